// The test pattern: its barcode reads back exactly, rejects garbage, survives noise and scaling.
#include "video/test_pattern.h"
#include "video/video_convert.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace vphone::media;

namespace {

TEST(TestPattern, RendersTheRequestedSize)
{
    TestPattern pattern(641, 359);
    VideoFrame f;
    pattern.render(0, f);
    EXPECT_EQ(f.width, 641);
    EXPECT_EQ(f.height, 359);
    EXPECT_TRUE(f.valid());
    EXPECT_EQ(f.data.size(), 641u * 359 + 2u * 321 * 180);
    EXPECT_NE(f.captured, std::chrono::steady_clock::time_point{});
}

TEST(TestPattern, TinySizesAreRaised)
{
    TestPattern pattern(8, 8);
    VideoFrame f;
    pattern.render(3, f);
    EXPECT_EQ(f.width, 40);
    EXPECT_EQ(f.height, 20);
    EXPECT_EQ(readFrameCounter(f), 3u);
}

TEST(TestPattern, CounterReadsBackAtManySizes)
{
    const std::uint32_t numbers[] = {0, 1, 2, 255, 256, 65535, 123456789, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF};
    for (const auto& [w, h] :
         {std::pair{1280, 720}, {640, 360}, {320, 180}, {160, 90}, {176, 144}, {41, 21}}) {
        TestPattern pattern(w, h);
        VideoFrame f;
        for (const auto n : numbers) {
            pattern.render(n, f);
            EXPECT_EQ(readFrameCounter(f), n) << w << "x" << h;
        }
    }
}

TEST(TestPattern, PictureMovesBetweenFrames)
{
    TestPattern pattern(320, 180);
    VideoFrame a, b;
    pattern.render(10, a);
    pattern.render(11, b);
    // Below the barcode band (top 20 %), the bars scroll and the box moves.
    const std::size_t start = std::size_t(320) * 60;
    EXPECT_FALSE(std::equal(a.data.begin() + std::ptrdiff_t(start), a.data.begin() + 320 * 180,
                            b.data.begin() + std::ptrdiff_t(start)));
}

TEST(TestPattern, BlankAndRandomFramesDoNotCheck)
{
    VideoFrame f;
    f.resize(320, 180);
    for (const std::uint8_t level : {0, 16, 128, 235, 255}) {
        std::fill(f.data.begin(), f.data.end(), level);
        EXPECT_FALSE(readFrameCounter(f).has_value()) << int(level);
    }
    std::mt19937 rng(3);
    int falsePositives = 0;
    for (int i = 0; i < 200; ++i) {
        for (auto& b : f.data)
            b = std::uint8_t(rng());
        falsePositives += readFrameCounter(f).has_value() ? 1 : 0;
    }
    EXPECT_LE(falsePositives, 4); // an 8-bit CRC lets about 1 in 256 through
    VideoFrame empty;
    EXPECT_FALSE(readFrameCounter(empty).has_value());
    VideoFrame broken;
    broken.width = 320;
    broken.height = 180;
    broken.data.resize(10);
    EXPECT_FALSE(readFrameCounter(broken).has_value());
}

TEST(TestPattern, CounterSurvivesNoise)
{
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0, 25);
    for (const auto& [w, h] : {std::pair{640, 360}, {160, 90}}) {
        TestPattern pattern(w, h);
        VideoFrame f;
        for (std::uint32_t n = 0; n < 50; ++n) {
            pattern.render(n * 7919u, f);
            for (auto& b : f.data)
                b = std::uint8_t(std::clamp(int(b) + int(noise(rng)), 0, 255));
            EXPECT_EQ(readFrameCounter(f), n * 7919u) << w << "x" << h;
        }
    }
}

TEST(TestPattern, CounterSurvivesScaling)
{
    TestPattern pattern(1280, 720);
    VideoScaler scaler;
    VideoFrame big, small;
    pattern.render(4242, big);
    for (const auto& [w, h] : {std::pair{640, 360}, {320, 180}, {160, 90}}) {
        ASSERT_TRUE(scaler.scale(big, w, h, small));
        EXPECT_EQ(readFrameCounter(small), 4242u) << w << "x" << h;
    }
}

TEST(VideoScaler, RgbaRoundTripKeepsColours)
{
    TestPattern pattern(320, 180);
    VideoScaler scaler;
    VideoFrame f, back;
    pattern.render(99, f);
    std::vector<std::uint8_t> rgba;
    ASSERT_TRUE(scaler.i420ToRgba(f, rgba));
    ASSERT_EQ(rgba.size(), 320u * 180 * 4);
    EXPECT_EQ(rgba[3], 255);
    ASSERT_TRUE(scaler.rgbaToI420(rgba, 320, 180, 320 * 4, back));
    EXPECT_EQ(back.width, 320);
    EXPECT_EQ(readFrameCounter(back), 99u);
    long long diff = 0;
    for (std::size_t i = 0; i < std::size_t(320 * 180); ++i)
        diff += std::abs(int(f.data[i]) - int(back.data[i]));
    EXPECT_LT(double(diff) / (320 * 180), 3.0);
    EXPECT_FALSE(scaler.rgbaToI420(std::span(rgba).first(100), 320, 180, 320 * 4, back));
    EXPECT_FALSE(scaler.rgbaToI420(rgba, 320, 180, 100, back));
}

TEST(VideoScaler, BgraIsRgbaWithRedAndBlueSwapped)
{
    TestPattern pattern(64, 40);
    VideoScaler scaler;
    VideoFrame f, back;
    pattern.render(5, f);
    std::vector<std::uint8_t> rgba, bgra;
    ASSERT_TRUE(scaler.i420ToRgba(f, rgba));
    ASSERT_TRUE(scaler.i420ToRgba(f, bgra, PixelOrder::Bgra));
    ASSERT_EQ(rgba.size(), bgra.size());
    for (std::size_t i = 0; i < rgba.size(); i += 4) {
        ASSERT_EQ(rgba[i], bgra[i + 2]);
        ASSERT_EQ(rgba[i + 1], bgra[i + 1]);
        ASSERT_EQ(rgba[i + 2], bgra[i]);
    }
    // A padded stride (as QImage rows are 4-byte aligned and may carry more).
    std::vector<std::uint8_t> padded(std::size_t(64 * 4 + 32) * 40);
    for (int y = 0; y < 40; ++y)
        std::copy_n(bgra.begin() + y * 64 * 4, 64 * 4, padded.begin() + y * (64 * 4 + 32));
    ASSERT_TRUE(scaler.rgbaToI420(padded, 64, 40, 64 * 4 + 32, back, PixelOrder::Bgra));
    EXPECT_EQ(readFrameCounter(back), 5u);
}

TEST(VideoScaler, RejectsBadInput)
{
    VideoScaler scaler;
    VideoFrame in, out;
    EXPECT_FALSE(scaler.scale(in, 320, 180, out));
    in.resize(64, 64);
    EXPECT_FALSE(scaler.scale(in, 0, 180, out));
    EXPECT_TRUE(scaler.scale(in, 63, 37, out));
    EXPECT_EQ(out.width, 63);
    EXPECT_TRUE(out.valid());
}

} // namespace
