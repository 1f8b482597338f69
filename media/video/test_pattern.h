// The synthetic camera of tests and headless calls (this machine has no camera): colour bars
// scrolling sideways, a bouncing box, and the frame number as a barcode that survives lossy
// compression, so a receiver can tell which frames arrived, in which order, and how late.
//
// The barcode: 32 bits of frame number and an 8-bit CRC (polynomial 0x07) as 40 large black/white
// cells in a band across the top (2 rows of 20 cells, each 1/20 of the width and 1/10 of the
// height). readFrameCounter() averages the middle of each cell and thresholds halfway between the
// darkest and brightest cell, so blur, ringing and noise from H.264/VP8 at 300 kbit/s 640x360, and
// at 160x90, leave it readable; the CRC rejects a misread.
#pragma once

#include "video/video_frame.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace vphone::media {

/// A moving test pattern of a fixed size.
class TestPattern {
public:
    /// Sizes below 40 x 20 are raised to it (the barcode needs room); odd sizes are fine.
    TestPattern(int width, int height);

    /// Draws frame `frameNumber` into `out` (sets out.width/height/data; out.captured = now).
    void render(std::uint32_t frameNumber, VideoFrame& out);

    int width() const { return width_; }
    int height() const { return height_; }

private:
    int width_;
    int height_;
    std::vector<std::uint8_t> barsY_, barsU_, barsV_; // one period of the bars, luma and chroma
};

/// Reads the frame number the test pattern drew into `frame`; nullopt when the frame is too small
/// or the barcode does not check (CRC mismatch, no contrast).
std::optional<std::uint32_t> readFrameCounter(const VideoFrame& frame);

} // namespace vphone::media
