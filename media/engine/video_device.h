// Where a call's video comes from and goes to: the VideoSource / VideoSink interfaces the video
// stream drives on its media thread, and the ones built from vphone-cli's spec strings.
//
//   source: testsrc[:WxH[@FPS]]  a moving test pattern whose frames carry their number as a
//                                 barcode (test_pattern.h); default 640x360@30
//           device[:NAME]        a camera (only through a VideoSourceFactory the app installs:
//                                 Qt Multimedia lives in the app; the spec is checked here)
//           screen[:DISPLAY][@FPS] the whole X11 screen (FFmpeg x11grab; DISPLAY defaults to $DISPLAY)
//           window:ID[@FPS]       one X11 window by its id (decimal or 0x hex)
//           off                   no video
//   sink:   null                  decode and count, show nothing
//           file:PATH.y4m         every decoded frame into a YUV4MPEG2 file (scaled to the first
//                                 frame's size if the size changes)
//
// Both run on the video stream's thread only. A source is pulled once per tick of that thread
// (its frame rate); capture() returns false when it has no new frame (a camera between frames).
#pragma once

#include "dsp/media_result.h"
#include "video/video_io.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vphone::media {

/// What a source spec says.
struct VideoSourceSpec {
    enum class Kind { Off, TestPattern, Device, Screen, Window };
    Kind kind = Kind::Off;
    int width = 640;
    int height = 360;
    int fps = 30;
    std::string device;       ///< Device: the camera's name, empty for the default one; Screen: the X display
    unsigned long window = 0; ///< Window: the X11 window id
};
struct VideoSinkSpec {
    enum class Kind { Null, File };
    Kind kind = Kind::Null;
    std::string path;
};

/// "testsrc[:WxH[@FPS]]" | "device[:NAME]" | "screen[:DISPLAY][@FPS]" | "window:ID[@FPS]" | "off"; the error
/// quotes what is wrong.
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
