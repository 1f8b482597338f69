// YUV4MPEG2 (.y4m) files: the raw-video format of ffmpeg, x264 and mpv, used to record what a call
// received and to feed a recorded camera back in. Only 4:2:0 (C420, C420jpeg, C420paldv,
// C420mpeg2 or no C tag) is read; the writer writes "C420" and one FRAME header per picture.
#pragma once

#include "dsp/media_result.h"
#include "video/video_convert.h"
#include "video/video_frame.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace vphone::media {

/// Writes a .y4m file. The header is written with the first frame (its size); later frames of
/// another size are scaled to it.
class Y4mWriter {
public:
    /// Creates (truncates) `path`; errors name the path and the system's reason.
    static MediaResult<std::unique_ptr<Y4mWriter>> open(const std::string& path, int fps);
    ~Y4mWriter();
    Y4mWriter(const Y4mWriter&) = delete;
    Y4mWriter& operator=(const Y4mWriter&) = delete;

    /// Appends one frame. Errors on an invalid frame or a write failure (naming the path).
    MediaResult<bool> write(const VideoFrame& frame);
    /// Flushes and closes; errors name the path. Later write() calls fail.
    MediaResult<bool> close();

    /// Frames written so far.
    std::uint64_t frames() const { return frames_; }

private:
    Y4mWriter(std::FILE* file, std::string path, int fps);

    std::FILE* file_;
    std::string path_;
    int fps_;
    int width_ = 0;
    int height_ = 0;
    std::uint64_t frames_ = 0;
    VideoScaler scaler_;
    VideoFrame scaled_;
};

/// Reads a .y4m file frame by frame.
class Y4mReader {
public:
    /// Opens `path` and parses its header; errors say what is wrong and at which byte offset.
    static MediaResult<std::unique_ptr<Y4mReader>> open(const std::string& path);
    ~Y4mReader();
    Y4mReader(const Y4mReader&) = delete;
    Y4mReader& operator=(const Y4mReader&) = delete;

    int width() const { return width_; }
    int height() const { return height_; }
    /// Frame rate as the header's F tag gives it (fpsNum/fpsDen; 30/1 when absent).
    int fpsNum() const { return fpsNum_; }
    int fpsDen() const { return fpsDen_; }
    /// fpsNum/fpsDen rounded (at least 1).
    int fps() const;

    /// Reads the next frame into `out`: true when read, false at the clean end of the file. Errors
    /// (a bad FRAME header, a truncated frame) name the frame index and byte offset.
    MediaResult<bool> read(VideoFrame& out);

    /// Frames read so far.
    std::uint64_t frames() const { return frames_; }

private:
    Y4mReader(std::FILE* file, std::string path);
    MediaResult<bool> parseHeader();

    std::FILE* file_;
    std::string path_;
    int width_ = 0;
    int height_ = 0;
    int fpsNum_ = 30;
    int fpsDen_ = 1;
    std::uint64_t offset_ = 0;
    std::uint64_t fileSize_ = UINT64_MAX;
    std::uint64_t frames_ = 0;
};

} // namespace vphone::media
