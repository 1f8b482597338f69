// Where a call's video comes from and goes to: the VideoSource / VideoSink interfaces the video
// stream drives on its media thread, and the ones built from vphone-cli's spec strings.
//
//   source: testsrc[:WxH[@FPS]]  a moving test pattern whose frames carry their number as a
//                                 barcode (test_pattern.h); default 640x360@30
//           device[:NAME]        a camera (only through a VideoSourceFactory the app installs:
//                                 Qt Multimedia lives in the app; the spec is checked here)
//           off                   no video
//   sink:   null                  decode and count, show nothing
//           file:PATH.y4m         every decoded frame into a YUV4MPEG2 file (scaled to the first
//                                 frame's size if the size changes)
//
// Both run on the video stream's thread only. A source is pulled once per tick of that thread
// (its frame rate); capture() returns false when it has no new frame (a camera between frames).
#pragma once

#include "dsp/media_result.h"
#include "video/video_frame.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vphone::media {

/// A video source on the media thread.
class VideoSource {
public:
    virtual ~VideoSource() = default;
    /// The size and rate it produces (a camera may change size; frames carry their own).
    virtual int width() const = 0;
    virtual int height() const = 0;
    virtual int fps() const = 0;
    /// The frame for this tick into `out`; false when there is none.
    virtual bool capture(std::chrono::steady_clock::time_point frameTime, VideoFrame& out) = 0;
    /// "testsrc 640x360@30", "camera 'Integrated'".
    virtual std::string describe() const = 0;
};

/// A video sink on the media thread.
class VideoSink {
public:
    virtual ~VideoSink() = default;
    /// One decoded frame, at the time it is shown.
    virtual void write(const VideoFrame& frame, std::chrono::steady_clock::time_point now) = 0;
    /// Finishes a file; errors reported by write()/close() come back in lastError().
    virtual void close() {}
    virtual std::string lastError() const { return {}; }
};

/// What a source spec says.
struct VideoSourceSpec {
    enum class Kind { Off, TestPattern, Device };
    Kind kind = Kind::Off;
    int width = 640;
    int height = 360;
    int fps = 30;
    std::string device; ///< Device: the camera's name, empty for the default one
};
struct VideoSinkSpec {
    enum class Kind { Null, File };
    Kind kind = Kind::Null;
    std::string path;
};

/// "testsrc[:WxH[@FPS]]" | "device[:NAME]" | "off"; the error quotes what is wrong.
MediaResult<VideoSourceSpec> parseVideoSourceSpec(std::string_view text);
/// "null" | "file:PATH.y4m".
MediaResult<VideoSinkSpec> parseVideoSinkSpec(std::string_view text);
/// "WxH" (16..4096 each, even).
MediaResult<std::pair<int, int>> parseVideoSize(std::string_view text);

/// Builds a source from a spec (Device needs a factory: the error says so).
MediaResult<std::unique_ptr<VideoSource>> makeVideoSource(const VideoSourceSpec& spec);
/// Builds a sink from a spec (File opens the file when the first frame arrives).
MediaResult<std::unique_ptr<VideoSink>> makeVideoSink(const VideoSinkSpec& spec, int fps);

/// The app's own camera / display hand-off in place of the spec strings.
using VideoSourceFactory =
    std::function<MediaResult<std::unique_ptr<VideoSource>>(const VideoSourceSpec& spec)>;
using VideoSinkFactory = std::function<MediaResult<std::unique_ptr<VideoSink>>()>;

} // namespace vphone::media
