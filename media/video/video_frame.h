// One uncompressed picture in I420 (YUV 4:2:0 planar, BT.601 limited range), the format every
// part of the video path exchanges: the test-pattern source renders it, encoders take it, decoders
// and Y4M files give it back. Planes are tightly packed in one vector so a frame moves or copies as
// one allocation and resize() to the same size allocates nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vphone::media {

/// One picture in I420 (YUV 4:2:0 planar), tightly packed: Y (width*height), then U and V
/// ((width+1)/2 * (height+1)/2 each).
struct VideoFrame {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> data;
    /// When the source made it (for latency measurements); copied through scaling.
    std::chrono::steady_clock::time_point captured{};

    /// Bytes of an I420 picture of w x h (0 for a non-positive size).
    static std::size_t byteSize(int w, int h);

    /// Width and height of the U and V planes.
    int chromaWidth() const { return (width + 1) / 2; }
    int chromaHeight() const { return (height + 1) / 2; }

    /// The planes (valid after resize(); rows are width or chromaWidth() bytes apart).
    std::uint8_t* y() { return data.data(); }
    std::uint8_t* u() { return data.data() + std::size_t(width) * height; }
    std::uint8_t* v() { return u() + std::size_t(chromaWidth()) * chromaHeight(); }
    const std::uint8_t* y() const { return data.data(); }
    const std::uint8_t* u() const { return data.data() + std::size_t(width) * height; }
    const std::uint8_t* v() const { return u() + std::size_t(chromaWidth()) * chromaHeight(); }

    /// Sets the size and allocates data for w x h (contents unspecified; negative sizes become 0).
    void resize(int w, int h);
    /// True when width and height are positive and data holds exactly one picture of that size.
    bool valid() const;
};

} // namespace vphone::media
