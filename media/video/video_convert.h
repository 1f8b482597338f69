// Picture conversions over libswscale: I420 scaling (the encoder's input, the Y4M writer, the
// 720p -> 360p preview) and RGBA <-> I420 (Qt's QImage::Format_RGBA8888 later). Each VideoScaler
// caches its SwsContext for the last sizes and formats it saw, so a steady stream pays set-up once.
#pragma once

#include "dsp/media_result.h"
#include "video/video_frame.h"

#include <cstdint>
#include <span>
#include <vector>

struct SwsContext;

namespace vphone::media {

/// Byte order of a 32-bit packed picture: Rgba is QImage::Format_RGBA8888; Bgra is
/// QImage::Format_RGB32 / Format_ARGB32 on a little-endian machine (what QVideoFrame::toImage gives).
enum class PixelOrder { Rgba, Bgra };

/// Scales and converts pictures; keeps one cached SwsContext. Not thread-safe.
class VideoScaler {
public:
    VideoScaler() = default;
    ~VideoScaler();
    VideoScaler(const VideoScaler&) = delete;
    VideoScaler& operator=(const VideoScaler&) = delete;

    /// Scales I420 `in` to w x h into `out` (bilinear; copies when the size matches). Errors on an
    /// invalid input frame or size.
    MediaResult<bool> scale(const VideoFrame& in, int w, int h, VideoFrame& out);

    /// Converts a w x h RGBA picture (bytes R, G, B, A, or B, G, R, A with PixelOrder::Bgra; rows
    /// `stride` bytes apart) to I420 of the same size. Errors when `rgba` is too short for the size
    /// and stride.
    MediaResult<bool> rgbaToI420(std::span<const std::uint8_t> rgba, int w, int h, int stride,
                                 VideoFrame& out, PixelOrder order = PixelOrder::Rgba);

    /// Converts I420 `in` to tightly packed RGBA (width*4 bytes a row, alpha 255; B, G, R, A with
    /// PixelOrder::Bgra) in `rgba`.
    MediaResult<bool> i420ToRgba(const VideoFrame& in, std::vector<std::uint8_t>& rgba,
                                 PixelOrder order = PixelOrder::Rgba);

private:
    SwsContext* context(int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat);

    SwsContext* sws_ = nullptr;
    int srcW_ = 0, srcH_ = 0, srcFormat_ = -1, dstW_ = 0, dstH_ = 0, dstFormat_ = -1;
};

} // namespace vphone::media
