// VideoCompositor with solid-colour and test-pattern pictures: which colour lands in which cell,
// letterboxing, the dark cell of a participant without picture, re-layout after a leave, the
// Speaker layout.
#include "video/test_pattern.h"
#include "video/video_compositor.h"

#include <gtest/gtest.h>

using namespace vphone::media;

namespace {

struct Yuv {
    int y, u, v;
};
// BT.601 limited range.
constexpr Yuv kRed{81, 90, 240};
constexpr Yuv kGreen{145, 54, 34};
constexpr Yuv kBlue{41, 240, 110};
constexpr Yuv kWhite{235, 128, 128};

VideoFrame solid(int w, int h, Yuv c)
{
    VideoFrame f;
    f.resize(w, h);
    std::fill(f.y(), f.y() + std::size_t(w) * h, std::uint8_t(c.y));
    const std::size_t chroma = std::size_t(f.chromaWidth()) * f.chromaHeight();
    std::fill(f.u(), f.u() + chroma, std::uint8_t(c.u));
    std::fill(f.v(), f.v() + chroma, std::uint8_t(c.v));
    return f;
}

Yuv at(const VideoFrame& f, int x, int y)
{
    const std::size_t c = std::size_t(y / 2) * f.chromaWidth() + x / 2;
    return {f.y()[std::size_t(y) * f.width + x], f.u()[c], f.v()[c]};
}

::testing::AssertionResult near(const VideoFrame& f, int x, int y, Yuv want)
{
    const Yuv got = at(f, x, y);
    if (std::abs(got.y - want.y) <= 3 && std::abs(got.u - want.u) <= 3 && std::abs(got.v - want.v) <= 3)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "at (" << x << "," << y << ") YUV " << got.y << "/" << got.u << "/" << got.v << ", want "
           << want.y << "/" << want.u << "/" << want.v;
}

} // namespace

TEST(VideoCompositor, GridPutsEachParticipantInItsCell)
{
    VideoCompositor c(640, 360, VideoCompositor::Layout::Grid);
    for (int id : {1, 2, 3, 4})
        c.add(id);
    c.submit(1, solid(640, 360, kRed));
    c.submit(2, solid(320, 180, kGreen)); // smaller pictures scale up
    c.submit(3, solid(1280, 720, kBlue)); // larger ones down
    c.submit(4, solid(640, 360, kWhite));
    VideoFrame out;
    ASSERT_TRUE(c.compose(out));
    ASSERT_EQ(out.width, 640);
    ASSERT_EQ(out.height, 360);
    // 2x2 cells of 320x180, each filled (16:9 in 16:9).
    EXPECT_TRUE(near(out, 160, 90, kRed));
    EXPECT_TRUE(near(out, 480, 90, kGreen));
    EXPECT_TRUE(near(out, 160, 270, kBlue));
    EXPECT_TRUE(near(out, 480, 270, kWhite));
    EXPECT_TRUE(near(out, 4, 4, kRed));
    EXPECT_TRUE(near(out, 636, 356, kWhite));
}

TEST(VideoCompositor, ReLaysOutAfterALeaveAndLetterboxesAndShowsNoPictureDark)
{
    VideoCompositor c(640, 360, VideoCompositor::Layout::Grid);
    for (int id : {1, 2, 3})
        c.add(id);
    c.submit(1, solid(640, 360, kRed));
    c.submit(2, solid(640, 360, kGreen));
    // 3 has no picture yet: a dark cell; the fourth cell of the 2x2 grid is empty (black).
    VideoFrame out;
    ASSERT_TRUE(c.compose(out));
    EXPECT_TRUE(near(out, 160, 270, {VideoCompositor::kNoPictureLuma, 128, 128}));
    EXPECT_TRUE(near(out, 480, 270, {16, 128, 128}));

    // 3 leaves, then 1: the next frame is 2x1 then 1x1.
    c.remove(3);
    ASSERT_TRUE(c.compose(out));
    // 2x1: cells of 320x360; a 16:9 picture is 320x180 centred, black above and below.
    EXPECT_TRUE(near(out, 160, 180, kRed));
    EXPECT_TRUE(near(out, 480, 180, kGreen));
    EXPECT_TRUE(near(out, 160, 40, {16, 128, 128})) << "no letterbox bar above";
    EXPECT_TRUE(near(out, 480, 330, {16, 128, 128})) << "no letterbox bar below";
    c.remove(1);
    EXPECT_EQ(c.order(), std::vector<int>{2});
    ASSERT_TRUE(c.compose(out));
    EXPECT_TRUE(near(out, 10, 10, kGreen));
    EXPECT_TRUE(near(out, 630, 350, kGreen));
    // A portrait picture in a landscape canvas: pillarboxed.
    c.submit(2, solid(180, 320, kBlue));
    ASSERT_TRUE(c.compose(out));
    EXPECT_TRUE(near(out, 320, 180, kBlue));
    EXPECT_TRUE(near(out, 40, 180, {16, 128, 128}));
    // Nobody: all black. Frames for unknown ids are ignored.
    c.remove(2);
    c.submit(7, solid(64, 64, kWhite));
    ASSERT_TRUE(c.compose(out));
    EXPECT_TRUE(near(out, 320, 180, {16, 128, 128}));
}

TEST(VideoCompositor, SpeakerLayoutShowsTheSpeakerLargeAndTheOthersInARow)
{
    VideoCompositor c(640, 360, VideoCompositor::Layout::Speaker);
    for (int id : {1, 2, 3})
        c.add(id);
    c.submit(1, solid(640, 360, kRed));
    c.submit(2, solid(640, 360, kGreen));
    c.submit(3, solid(640, 360, kBlue));
    c.setSpeaker(2);
    EXPECT_EQ(c.order(), (std::vector<int>{2, 1, 3}));
    VideoFrame out;
    ASSERT_TRUE(c.compose(out));
    // Large: top 640x270; small: two 320x90 cells underneath.
    EXPECT_TRUE(near(out, 320, 135, kGreen));
    EXPECT_TRUE(near(out, 160, 315, kRed));
    EXPECT_TRUE(near(out, 480, 315, kBlue));
    c.setSpeaker(3);
    ASSERT_TRUE(c.compose(out));
    EXPECT_TRUE(near(out, 320, 135, kBlue));
    EXPECT_TRUE(near(out, 160, 315, kRed));
    EXPECT_TRUE(near(out, 480, 315, kGreen));
    // Back to the grid.
    c.setLayout(VideoCompositor::Layout::Grid);
    ASSERT_TRUE(c.compose(out));
    EXPECT_TRUE(near(out, 160, 90, kRed));
}

TEST(VideoCompositor, CellsFollowTheParticipantCount)
{
    using L = VideoCompositor::Layout;
    EXPECT_EQ(VideoCompositor::cells(L::Grid, 1, 640, 360), (std::vector<VideoRect>{{0, 0, 640, 360}}));
    EXPECT_EQ(VideoCompositor::cells(L::Grid, 2, 640, 360).back(), (VideoRect{320, 0, 320, 360}));
    EXPECT_EQ(VideoCompositor::cells(L::Grid, 4, 640, 360).back(), (VideoRect{320, 180, 320, 180}));
    const auto nine = VideoCompositor::cells(L::Grid, 9, 640, 360);
    ASSERT_EQ(nine.size(), 9u);
    EXPECT_EQ(nine.back(), (VideoRect{424, 240, 212, 120}));
    EXPECT_EQ(VideoCompositor::cells(L::Grid, 10, 640, 360).size(), 10u); // 4x4
    EXPECT_TRUE(VideoCompositor::cells(L::Grid, 0, 640, 360).empty());
}

TEST(VideoCompositor, ATestPatternStaysReadableInAFullCell)
{
    VideoCompositor c(640, 360, VideoCompositor::Layout::Grid);
    c.add(1);
    TestPattern pattern(640, 360);
    VideoFrame in;
    pattern.render(1234, in);
    c.submit(1, in);
    VideoFrame out;
    ASSERT_TRUE(c.compose(out));
    EXPECT_EQ(readFrameCounter(out), 1234u);
}
