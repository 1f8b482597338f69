// Qt's camera and display behind the media engine's VideoSource / VideoSink (media/video/video_io.h),
// so the app's QML VideoOutput (remote view, self-view) shows calls and QCamera feeds them.
//
// Threads: both objects are driven by a video stream's media thread. The sink adapter converts
// each I420 frame into a QVideoFrame there and posts only the finished frame to the QVideoSink's
// thread (QVideoSink::setVideoFrame is not documented as thread-safe; its frame and signal
// belong to the sink's thread). At most two frames are in flight: a slow GUI drops frames
// instead of queueing them. The camera's QObjects (QCamera, QMediaCaptureSession, QVideoSink,
// QMediaDevices) live on the thread that created the source, normally the GUI thread; each
// QVideoFrame the camera gives is only referenced there (no copy) and converted to I420 by
// capture() on the media thread.
#pragma once

#include "dsp/media_result.h"
#include "engine/video_device.h"
#include "video/video_convert.h"
#include "video/video_io.h"

#include <QPointer>
#include <QString>
#include <QVideoFrame>
#include <QVideoSink>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vphone::ui {

/// Hands decoded frames to a QVideoSink (a QML VideoOutput's videoSink).
class QtVideoSinkAdapter final : public media::VideoSink {
public:
    /// `sink` may be destroyed at any time; frames then go nowhere.
    explicit QtVideoSinkAdapter(QVideoSink* sink);
    ~QtVideoSinkAdapter() override;

    /// Converts on the calling (media) thread, posts the QVideoFrame to the sink's thread.
    void write(const media::VideoFrame& frame, std::chrono::steady_clock::time_point now) override;
    std::string lastError() const override;

    /// An I420 frame as a QVideoFrame in Format_YUV420P (planes copied row by row into Qt's
    /// strides; an odd width or height loses its last column or row, as Qt 6.4 has no room for
    /// it); an invalid QVideoFrame for an invalid input.
    static QVideoFrame toQVideoFrame(const media::VideoFrame& frame);

    /// The same picture as a QVideoFrame in Format_BGRA8888 (alpha 255), converted by `scaler`:
    /// what the app's VideoView shows without a GPU; an invalid QVideoFrame for an invalid input.
    static QVideoFrame toBgraVideoFrame(const media::VideoFrame& frame, media::VideoScaler& scaler,
                                        std::vector<std::uint8_t>& scratch);

    /// Process-wide: when on, adapters made from then on post BGRA frames (converted on the
    /// media thread) instead of YUV420P. The desktop app turns it on for its VideoView items.
    static void setBgraOutput(bool on);

    /// Frames dropped because two were still waiting for the sink's thread.
    std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

private:
    QPointer<QVideoSink> sink_;
    QObject* context_ = nullptr; // lives on the sink's thread; deleteLater() when we go
    std::shared_ptr<std::atomic<int>> inFlight_;
    std::atomic<std::uint64_t> dropped_{0};
    std::string error_;
    bool bgra_ = false;
    media::VideoScaler scaler_;
    std::vector<std::uint8_t> scratch_;
};

/// A camera through Qt Multimedia. create() on a thread with an event loop (the GUI thread).
class QtCameraSource final : public media::VideoSource {
public:
    /// The camera whose description is `name` (exact, else the only one containing it, case
    /// insensitive), or the default one when empty, in the format closest to width x height at
    /// fps. Errors: "no camera found", "no camera named 'X' (have: 'A', 'B')".
    static media::MediaResult<std::unique_ptr<QtCameraSource>> create(const QString& name, int width,
                                                                      int height, int fps);
    ~QtCameraSource() override;

    int width() const override;
    int height() const override;
    int fps() const override;
    /// Converts the newest camera frame (if new) to I420; false when none, or while the camera
    /// is unplugged (lastError() says so; it restarts when it comes back).
    bool capture(std::chrono::steady_clock::time_point frameTime, media::VideoFrame& out) override;
    std::string describe() const override;
    /// Empty while the camera works; else why it gives no frames ("camera 'X' was unplugged").
    std::string lastError() const;

    /// A camera's frame in I420: YUV420P and NV12 copied, RGBA/RGBX/BGRA/BGRX through `scaler`,
    /// other formats through QVideoFrame::toImage(). False when it cannot be read.
    static bool toI420(const QVideoFrame& in, media::VideoScaler& scaler, media::VideoFrame& out);

    struct Shared; // the state the camera's thread and the media thread share

private:
    explicit QtCameraSource(std::shared_ptr<Shared> shared);

    std::shared_ptr<Shared> shared_;
    media::VideoScaler scaler_;
};

/// For MediaConfig::videoSourceFactory: Device specs open a QtCameraSource (made on the
/// application's thread, blocking the caller until it is), other specs the engine's own sources.
media::VideoSourceFactory qtCameraFactory();
/// For MediaConfig::videoSinkFactory: each call's frames go to `sink` (an error once it is gone).
media::VideoSinkFactory qtSinkFactory(QVideoSink* sink);

} // namespace vphone::ui
