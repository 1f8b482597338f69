// Qt Multimedia camera and display behind VideoSource / VideoSink (see qt_video.h).
#include "qt_video.h"

#include <QCamera>
#include <QCameraDevice>
#include <QCoreApplication>
#include <QImage>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QThread>
#include <QVideoFrameFormat>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>

namespace vphone::ui {

using media::mediaError;
using media::MediaResult;
using media::VideoFrame;

namespace {

/// Copies `rows` rows of `bytes` each between pictures with different strides.
void copyPlane(std::uint8_t* dst, int dstStride, const std::uint8_t* src, int srcStride, int bytes, int rows)
{
    for (int r = 0; r < rows; ++r)
        std::memcpy(dst + std::ptrdiff_t(r) * dstStride, src + std::ptrdiff_t(r) * srcStride,
                    std::size_t(bytes));
}

std::string text(const QString& s)
{
    return s.toStdString();
}

} // namespace

// ---- QtVideoSinkAdapter ------------------------------------------------------------------------

namespace {
std::atomic<bool> bgraOutput{false};
} // namespace

QtVideoSinkAdapter::QtVideoSinkAdapter(QVideoSink* sink)
    : sink_(sink), inFlight_(std::make_shared<std::atomic<int>>(0)),
      bgra_(bgraOutput.load(std::memory_order_relaxed))
{
    if (sink != nullptr) {
        context_ = new QObject;
        context_->moveToThread(sink->thread());
    }
}

QtVideoSinkAdapter::~QtVideoSinkAdapter()
{
    // Frames already posted run first (the sink may still show them); then the context goes.
    if (context_ != nullptr) context_->deleteLater();
}

QVideoFrame QtVideoSinkAdapter::toQVideoFrame(const VideoFrame& frame)
{
    if (!frame.valid()) return {};
    // Qt 6.4 lays out odd-sized YUV420P frames with floor(h/2) chroma rows (one short of ours):
    // odd sizes lose their last column / row.
    const int w = frame.width & ~1;
    const int h = frame.height & ~1;
    if (w < 2 || h < 2) return {};
    QVideoFrame out(QVideoFrameFormat(QSize(w, h), QVideoFrameFormat::Format_YUV420P));
    if (!out.map(QVideoFrame::WriteOnly)) return {};
    if (out.planeCount() != 3) {
        out.unmap();
        return {};
    }
    const std::uint8_t* src[3] = {frame.y(), frame.u(), frame.v()};
    for (int p = 0; p < 3; ++p) {
        const int srcStride = p == 0 ? frame.width : frame.chromaWidth();
        const int bytes = std::min(p == 0 ? w : w / 2, out.bytesPerLine(p));
        const int rows = std::min(p == 0 ? h : h / 2, out.mappedBytes(p) / std::max(1, out.bytesPerLine(p)));
        copyPlane(out.bits(p), out.bytesPerLine(p), src[p], srcStride, bytes, rows);
    }
    out.unmap();
    return out;
}

void QtVideoSinkAdapter::setBgraOutput(bool on)
{
    bgraOutput.store(on, std::memory_order_relaxed);
}

QVideoFrame QtVideoSinkAdapter::toBgraVideoFrame(const VideoFrame& frame, media::VideoScaler& scaler,
                                                 std::vector<std::uint8_t>& scratch)
{
    if (!frame.valid()) return {};
    if (!scaler.i420ToRgba(frame, scratch, media::PixelOrder::Bgra)) return {};
    QVideoFrame out(QVideoFrameFormat(QSize(frame.width, frame.height), QVideoFrameFormat::Format_BGRA8888));
    if (!out.map(QVideoFrame::WriteOnly)) return {};
    const int rowBytes = frame.width * 4;
    const int rows = std::min(frame.height, out.mappedBytes(0) / std::max(1, out.bytesPerLine(0)));
    copyPlane(out.bits(0), out.bytesPerLine(0), scratch.data(), rowBytes,
              std::min(rowBytes, out.bytesPerLine(0)), rows);
    out.unmap();
    return out;
}

void QtVideoSinkAdapter::write(const VideoFrame& frame, std::chrono::steady_clock::time_point)
{
    if (context_ == nullptr || sink_.isNull()) return;
    // A GUI thread that cannot keep up loses frames here rather than memory in its queue.
    if (inFlight_->load(std::memory_order_acquire) >= 2) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    QVideoFrame converted = bgra_ ? toBgraVideoFrame(frame, scaler_, scratch_) : toQVideoFrame(frame);
    if (!converted.isValid()) {
        error_ = "video view: cannot convert a " + std::to_string(frame.width) + "x" +
                 std::to_string(frame.height) + " frame";
        return;
    }
    inFlight_->fetch_add(1, std::memory_order_acq_rel);
    QMetaObject::invokeMethod(
        context_,
        [sink = sink_, inFlight = inFlight_, converted] {
            inFlight->fetch_sub(1, std::memory_order_acq_rel);
            if (!sink.isNull()) sink->setVideoFrame(converted);
        },
        Qt::QueuedConnection);
}

std::string QtVideoSinkAdapter::lastError() const
{
    return error_;
}

// ---- QtCameraSource ----------------------------------------------------------------------------

struct QtCameraSource::Shared {
    mutable std::mutex mutex;
    QVideoFrame latest;        // guarded by mutex
    bool fresh = false;        // guarded by mutex
    bool lost = false;         // guarded by mutex
    std::string error;         // guarded by mutex
    QObject* holder = nullptr; // parent of the camera's QObjects, on the thread that made them
    QCameraDevice device;      // set before the source is shared
    QCameraFormat format;
    std::string name;
    int width = 0;
    int height = 0;
    int fps = 0;
};

namespace {

/// The format closest to w x h at fps: the area ratio counts most, then the frame rate, then
/// pixel formats capture() converts directly.
QCameraFormat closestFormat(const QCameraDevice& device, int w, int h, int fps)
{
    QCameraFormat best;
    double bestCost = 1e18;
    for (const QCameraFormat& f : device.videoFormats()) {
        const QSize size = f.resolution();
        if (size.isEmpty()) continue;
        double cost = std::abs(std::log(double(size.width()) * size.height() / (double(w) * h)));
        if (fps < f.minFrameRate() || fps > f.maxFrameRate())
            cost += 0.5 * std::abs(std::log(std::max(1.0, double(f.maxFrameRate())) / fps));
        switch (f.pixelFormat()) {
        case QVideoFrameFormat::Format_YUV420P:
        case QVideoFrameFormat::Format_NV12:
        case QVideoFrameFormat::Format_RGBA8888:
        case QVideoFrameFormat::Format_RGBX8888:
        case QVideoFrameFormat::Format_BGRA8888:
        case QVideoFrameFormat::Format_BGRX8888: break;
        default: cost += 0.01; // through QImage
        }
        if (cost < bestCost) {
            bestCost = cost;
            best = f;
        }
    }
    return best;
}

} // namespace

MediaResult<std::unique_ptr<QtCameraSource>> QtCameraSource::create(const QString& name, int width,
                                                                    int height, int fps)
{
    const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
    if (inputs.isEmpty()) return mediaError("no camera found");
    QCameraDevice device;
    if (name.isEmpty()) {
        device = QMediaDevices::defaultVideoInput();
        if (device.isNull()) device = inputs.front();
    } else {
        QList<QCameraDevice> partial;
        for (const QCameraDevice& d : inputs) {
            if (d.description() == name) {
                device = d;
                break;
            }
            if (d.description().contains(name, Qt::CaseInsensitive)) partial.push_back(d);
        }
        if (device.isNull() && partial.size() == 1) device = partial.front();
        if (device.isNull()) {
            std::string have;
            for (const QCameraDevice& d : inputs)
                have += (have.empty() ? "'" : ", '") + text(d.description()) + "'";
            return mediaError("no camera named '" + text(name) + "' (have: " + have + ")");
        }
    }

    auto shared = std::make_shared<Shared>();
    shared->device = device;
    shared->name = text(device.description());
    shared->format = closestFormat(device, std::max(width, 16), std::max(height, 16), std::max(fps, 1));
    shared->width = shared->format.isNull() ? width : shared->format.resolution().width();
    shared->height = shared->format.isNull() ? height : shared->format.resolution().height();
    shared->fps = shared->format.isNull() ? fps
                                          : std::clamp(fps, int(std::ceil(shared->format.minFrameRate())),
                                                       std::max(1, int(shared->format.maxFrameRate())));

    auto* holder = new QObject;
    auto* camera = new QCamera(device, holder);
    if (!shared->format.isNull()) camera->setCameraFormat(shared->format);
    auto* session = new QMediaCaptureSession(holder);
    auto* sink = new QVideoSink(holder);
    auto* devices = new QMediaDevices(holder);
    session->setCamera(camera);
    session->setVideoSink(sink);
    shared->holder = holder;
    std::weak_ptr<Shared> weak = shared;

    // Whatever thread the backend delivers on: only a reference is kept, capture() converts.
    QObject::connect(
        sink, &QVideoSink::videoFrameChanged, holder,
        [weak](const QVideoFrame& frame) {
            if (auto s = weak.lock()) {
                std::lock_guard lock(s->mutex);
                s->latest = frame;
                s->fresh = true;
            }
        },
        Qt::DirectConnection);
    QObject::connect(camera, &QCamera::errorOccurred, holder,
                     [weak](QCamera::Error error, const QString& what) {
                         if (error == QCamera::NoError) return;
                         if (auto s = weak.lock()) {
                             std::lock_guard lock(s->mutex);
                             s->error = "camera '" + s->name + "': " + text(what);
                         }
                     });
    // Hot-plug: the camera in use going away stops it; its coming back restarts it.
    QObject::connect(devices, &QMediaDevices::videoInputsChanged, holder, [weak, camera] {
        auto s = weak.lock();
        if (!s) return;
        const QByteArray id = s->device.id();
        QCameraDevice present;
        for (const QCameraDevice& d : QMediaDevices::videoInputs())
            if (d.id() == id) present = d;
        std::unique_lock lock(s->mutex);
        if (present.isNull() && !s->lost) {
            s->lost = true;
            s->fresh = false;
            s->latest = QVideoFrame();
            s->error = "camera '" + s->name + "' was unplugged";
            lock.unlock();
            camera->stop();
        } else if (!present.isNull() && s->lost) {
            s->lost = false;
            s->error.clear();
            lock.unlock();
            camera->setCameraDevice(present);
            if (!s->format.isNull()) camera->setCameraFormat(s->format);
            camera->start();
        }
    });
    camera->start();
    return std::unique_ptr<QtCameraSource>(new QtCameraSource(std::move(shared)));
}

QtCameraSource::QtCameraSource(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

QtCameraSource::~QtCameraSource()
{
    // The camera's QObjects die on their own thread (this runs on the media thread).
    if (shared_->holder == nullptr) return;
    if (shared_->holder->thread() == QThread::currentThread())
        delete shared_->holder;
    else
        shared_->holder->deleteLater();
}

int QtCameraSource::width() const
{
    return shared_->width;
}
int QtCameraSource::height() const
{
    return shared_->height;
}
int QtCameraSource::fps() const
{
    return shared_->fps;
}

std::string QtCameraSource::describe() const
{
    return "camera '" + shared_->name + "' " + std::to_string(shared_->width) + "x" +
           std::to_string(shared_->height) + "@" + std::to_string(shared_->fps);
}

std::string QtCameraSource::lastError() const
{
    std::lock_guard lock(shared_->mutex);
    return shared_->error;
}

bool QtCameraSource::capture(std::chrono::steady_clock::time_point frameTime, VideoFrame& out)
{
    QVideoFrame frame;
    {
        std::lock_guard lock(shared_->mutex);
        if (!shared_->fresh || shared_->lost) return false;
        frame = shared_->latest;
        shared_->fresh = false;
    }
    if (!toI420(frame, scaler_, out)) return false;
    out.captured = frameTime;
    return true;
}

bool QtCameraSource::toI420(const QVideoFrame& source, media::VideoScaler& scaler, VideoFrame& out)
{
    QVideoFrame in = source;
    const int w = in.width();
    const int h = in.height();
    if (w < 2 || h < 2) return false;
    const auto format = in.pixelFormat();
    const bool direct =
        format == QVideoFrameFormat::Format_YUV420P || format == QVideoFrameFormat::Format_NV12 ||
        format == QVideoFrameFormat::Format_RGBA8888 || format == QVideoFrameFormat::Format_RGBX8888 ||
        format == QVideoFrameFormat::Format_BGRA8888 || format == QVideoFrameFormat::Format_BGRX8888;
    if (!direct) {
        // Other layouts (YUYV, MJPEG decoded by the backend, ...) through Qt's own converter.
        const QImage image = in.toImage().convertToFormat(QImage::Format_RGBA8888);
        if (image.isNull()) return false;
        const std::size_t bytes = std::size_t(image.bytesPerLine()) * std::size_t(image.height());
        return scaler
            .rgbaToI420(std::span<const std::uint8_t>(image.constBits(), bytes), image.width(),
                        image.height(), int(image.bytesPerLine()), out)
            .ok();
    }
    if (!in.map(QVideoFrame::ReadOnly)) return false;
    bool ok = true;
    if (format == QVideoFrameFormat::Format_YUV420P) {
        out.resize(w, h);
        copyPlane(out.y(), w, in.bits(0), in.bytesPerLine(0), w, h);
        copyPlane(out.u(), out.chromaWidth(), in.bits(1), in.bytesPerLine(1), out.chromaWidth(),
                  out.chromaHeight());
        copyPlane(out.v(), out.chromaWidth(), in.bits(2), in.bytesPerLine(2), out.chromaWidth(),
                  out.chromaHeight());
    } else if (format == QVideoFrameFormat::Format_NV12) {
        out.resize(w, h);
        copyPlane(out.y(), w, in.bits(0), in.bytesPerLine(0), w, h);
        const int cw = out.chromaWidth();
        for (int r = 0; r < out.chromaHeight(); ++r) {
            const std::uint8_t* uv = in.bits(1) + std::ptrdiff_t(r) * in.bytesPerLine(1);
            std::uint8_t* u = out.u() + std::ptrdiff_t(r) * cw;
            std::uint8_t* v = out.v() + std::ptrdiff_t(r) * cw;
            for (int c = 0; c < cw; ++c) {
                u[c] = uv[2 * c];
                v[c] = uv[2 * c + 1];
            }
        }
    } else {
        const bool rgba =
            format == QVideoFrameFormat::Format_RGBA8888 || format == QVideoFrameFormat::Format_RGBX8888;
        const std::size_t bytes = std::size_t(in.bytesPerLine(0)) * std::size_t(h);
        ok = scaler
                 .rgbaToI420(std::span<const std::uint8_t>(in.bits(0), bytes), w, h, in.bytesPerLine(0), out,
                             rgba ? media::PixelOrder::Rgba : media::PixelOrder::Bgra)
                 .ok();
    }
    in.unmap();
    return ok;
}

// ---- factories ---------------------------------------------------------------------------------

media::VideoSourceFactory qtCameraFactory()
{
    return [](const media::VideoSourceSpec& spec) -> MediaResult<std::unique_ptr<media::VideoSource>> {
        if (spec.kind != media::VideoSourceSpec::Kind::Device) return media::makeVideoSource(spec);
        QCoreApplication* app = QCoreApplication::instance();
        if (app == nullptr) return mediaError("camera: no Qt application");
        MediaResult<std::unique_ptr<QtCameraSource>> made = mediaError("camera: not opened");
        const auto open = [&] {
            made = QtCameraSource::create(QString::fromStdString(spec.device), spec.width, spec.height,
                                          spec.fps);
        };
        // The camera's QObjects need the application's event loop: make them on its thread.
        if (app->thread() == QThread::currentThread())
            open();
        else
            QMetaObject::invokeMethod(app, open, Qt::BlockingQueuedConnection);
        if (!made) return made.error();
        return std::unique_ptr<media::VideoSource>(std::move(*made));
    };
}

media::VideoSinkFactory qtSinkFactory(QVideoSink* sink)
{
    return [view = QPointer<QVideoSink>(sink)]() -> MediaResult<std::unique_ptr<media::VideoSink>> {
        if (view.isNull()) return mediaError("video view: the QVideoSink is gone");
        return std::unique_ptr<media::VideoSink>(std::make_unique<QtVideoSinkAdapter>(view.data()));
    };
}

} // namespace vphone::ui
