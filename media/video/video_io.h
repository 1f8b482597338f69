// The two ends of a video pipeline as the media engine drives them: a VideoSource it pulls frames
// from once per tick of the stream's thread, and a VideoSink it hands decoded frames to. The
// engine builds its own (test pattern, Y4M file, X11 screen); the app plugs in Qt's camera and
// display through the same interfaces (ui/common/qt_video.h).
#pragma once

#include "video/video_frame.h"

#include <chrono>
#include <string>

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

} // namespace vphone::media
