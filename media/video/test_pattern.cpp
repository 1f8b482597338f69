#include "video/test_pattern.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace vphone::media {

namespace {

constexpr int kCols = 20;
constexpr int kRows = 2;
constexpr int kBits = kCols * kRows; // 32 counter bits + 8 CRC bits
constexpr std::uint8_t kBlack = 16;
constexpr std::uint8_t kWhite = 235;
constexpr int kThreshold = (kBlack + kWhite + 1) / 2;
constexpr int kMinWidth = 40;
constexpr int kMinHeight = 20;

/// CRC-8, polynomial 0x07, initial 0xFF (so an all-black or all-white band does not check).
std::uint8_t crc8(std::uint32_t value)
{
    std::uint8_t crc = 0xFF;
    for (int shift = 24; shift >= 0; shift -= 8) {
        crc ^= std::uint8_t(value >> shift);
        for (int i = 0; i < 8; ++i)
            crc = std::uint8_t((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
    }
    return crc;
}

/// The barcode band's geometry for a picture size; shared by render and read.
struct Band {
    int width, height, rowHeight;
    int cellX0(int col) const { return col * width / kCols; }
    int cellX1(int col) const { return (col + 1) * width / kCols; }
    int bottom() const { return kRows * rowHeight; }
};

Band bandFor(int width, int height)
{
    return Band{width, height, std::max(2, height / 10)};
}

// 75 % colour bars, BT.601 limited range: white, yellow, cyan, green, magenta, red, blue, black.
constexpr std::array<std::array<std::uint8_t, 3>, 8> kBars{{{180, 128, 128},
                                                            {162, 44, 142},
                                                            {131, 156, 44},
                                                            {112, 72, 58},
                                                            {84, 184, 198},
                                                            {65, 100, 212},
                                                            {35, 212, 114},
                                                            {16, 128, 128}}};

void fillRect(std::uint8_t* plane, int stride, int x0, int y0, int x1, int y1, std::uint8_t value)
{
    for (int y = y0; y < y1; ++y)
        std::memset(plane + std::size_t(y) * stride + x0, value, std::size_t(std::max(0, x1 - x0)));
}

/// Triangle wave over [0, span] with the given period position.
int bounce(std::uint32_t t, int span)
{
    if (span <= 0) return 0;
    const std::uint32_t period = std::uint32_t(span) * 2;
    const std::uint32_t p = t % period;
    return int(p <= std::uint32_t(span) ? p : period - p);
}

} // namespace

TestPattern::TestPattern(int width, int height)
    : width_(std::max(width, kMinWidth)), height_(std::max(height, kMinHeight))
{
    barsY_.resize(std::size_t(width_));
    const int cw = (width_ + 1) / 2;
    barsU_.resize(std::size_t(cw));
    barsV_.resize(std::size_t(cw));
    for (int x = 0; x < width_; ++x)
        barsY_[std::size_t(x)] = kBars[std::size_t(x * 8 / width_)][0];
    for (int x = 0; x < cw; ++x) {
        const auto& c = kBars[std::size_t(std::min(width_ - 1, x * 2) * 8 / width_)];
        barsU_[std::size_t(x)] = c[1];
        barsV_[std::size_t(x)] = c[2];
    }
}

void TestPattern::render(std::uint32_t frameNumber, VideoFrame& out)
{
    out.resize(width_, height_);
    out.captured = std::chrono::steady_clock::now();
    const int cw = out.chromaWidth();
    const int ch = out.chromaHeight();
    const Band band = bandFor(width_, height_);

    // The barcode band: black/white cells, neutral chroma.
    const std::uint64_t bits = (std::uint64_t(frameNumber) << 8) | crc8(frameNumber);
    for (int i = 0; i < kBits; ++i) {
        const bool one = (bits >> (kBits - 1 - i)) & 1;
        const int row = i / kCols;
        const int col = i % kCols;
        fillRect(out.y(), width_, band.cellX0(col), row * band.rowHeight, band.cellX1(col),
                 (row + 1) * band.rowHeight, one ? kWhite : kBlack);
    }
    const int bandChromaRows = std::min(ch, (band.bottom() + 1) / 2);
    fillRect(out.u(), cw, 0, 0, cw, bandChromaRows, 128);
    fillRect(out.v(), cw, 0, 0, cw, bandChromaRows, 128);

    // A grey gap (half a row) keeps the moving picture from bleeding into the barcode.
    const int gapEnd = std::min(height_, band.bottom() + band.rowHeight / 2 + 1) & ~1;
    fillRect(out.y(), width_, 0, band.bottom(), width_, gapEnd, 128);
    fillRect(out.u(), cw, 0, bandChromaRows, cw, gapEnd / 2, 128);
    fillRect(out.v(), cw, 0, bandChromaRows, cw, gapEnd / 2, 128);

    // Colour bars scrolling left, 1/160 of the width (at least 2 pixels) a frame.
    const int speed = std::max(2, width_ / 160) & ~1;
    const int offset = int((std::uint64_t(frameNumber) * std::uint64_t(speed)) % std::uint64_t(width_)) & ~1;
    for (int y = gapEnd; y < height_; ++y) {
        std::uint8_t* row = out.y() + std::size_t(y) * width_;
        std::memcpy(row, barsY_.data() + offset, std::size_t(width_ - offset));
        std::memcpy(row + (width_ - offset), barsY_.data(), std::size_t(offset));
    }
    const int cOffset = std::min(offset / 2, cw);
    for (int y = gapEnd / 2; y < ch; ++y) {
        std::uint8_t* u = out.u() + std::size_t(y) * cw;
        std::uint8_t* v = out.v() + std::size_t(y) * cw;
        std::memcpy(u, barsU_.data() + cOffset, std::size_t(cw - cOffset));
        std::memcpy(u + (cw - cOffset), barsU_.data(), std::size_t(cOffset));
        std::memcpy(v, barsV_.data() + cOffset, std::size_t(cw - cOffset));
        std::memcpy(v + (cw - cOffset), barsV_.data(), std::size_t(cOffset));
    }

    // A bouncing orange box below the band.
    const int box = std::max(4, height_ / 5) & ~1;
    const int areaTop = gapEnd;
    const int bx = bounce(frameNumber * std::uint32_t(speed + 1), width_ - box) & ~1;
    const int by =
        (areaTop + bounce(frameNumber * std::uint32_t(std::max(1, speed / 2)), height_ - areaTop - box)) & ~1;
    const int bx1 = std::min(width_, bx + box);
    const int by1 = std::min(height_, by + box);
    fillRect(out.y(), width_, bx, by, bx1, by1, 170);
    fillRect(out.u(), cw, bx / 2, by / 2, (bx1 + 1) / 2, (by1 + 1) / 2, 60);
    fillRect(out.v(), cw, bx / 2, by / 2, (bx1 + 1) / 2, (by1 + 1) / 2, 190);
}

std::optional<std::uint32_t> readFrameCounter(const VideoFrame& frame)
{
    if (!frame.valid() || frame.width < kMinWidth || frame.height < kMinHeight) return std::nullopt;
    const Band band = bandFor(frame.width, frame.height);
    std::uint64_t bits = 0;
    for (int i = 0; i < kBits; ++i) {
        const int row = i / kCols;
        const int col = i % kCols;
        const int x0 = band.cellX0(col);
        const int x1 = band.cellX1(col);
        const int y0 = row * band.rowHeight;
        const int y1 = y0 + band.rowHeight;
        // The middle half of the cell: edges blur and ring after compression.
        const int mx = (x1 - x0) / 4;
        const int my = (y1 - y0) / 4;
        std::uint32_t sum = 0;
        std::uint32_t n = 0;
        for (int y = y0 + my; y < y1 - my; ++y) {
            const std::uint8_t* p = frame.y() + std::size_t(y) * frame.width;
            for (int x = x0 + mx; x < x1 - mx; ++x) {
                sum += p[x];
                ++n;
            }
        }
        if (n == 0) return std::nullopt;
        bits = (bits << 1) | (sum >= std::uint32_t(kThreshold) * n ? 1u : 0u);
    }
    const auto counter = std::uint32_t(bits >> 8);
    if (std::uint8_t(bits & 0xFF) != crc8(counter)) return std::nullopt;
    return counter;
}

} // namespace vphone::media
