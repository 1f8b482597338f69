// DelayEstimator: the receiver's delay-based estimate (REMB) on synthetic arrivals.
#include "rtp/delay_estimator.h"

#include <gtest/gtest.h>

namespace vphone::media {
namespace {

using namespace std::chrono_literals;

struct Link {
    DelayEstimator estimator;
    TimePoint start{std::chrono::seconds{100}};
    TimePoint lastArrival = start;
    /// One frame of `bytes` (in 1000-byte packets) sent at frame `i` of a 30 fps stream over a
    /// link of `kbps` (0: unlimited); returns its arrival.
    TimePoint frame(int i, std::size_t bytes, std::uint64_t kbps)
    {
        const TimePoint sent = start + std::chrono::microseconds(i * 1'000'000LL / 30);
        TimePoint at = std::max(sent, lastArrival);
        for (std::size_t left = bytes; left > 0;) {
            const std::size_t n = std::min<std::size_t>(left, 1000);
            if (kbps) at += std::chrono::microseconds(n * 8 * 1000 / kbps);
            estimator.onPacket(n, at);
            left -= n;
        }
        lastArrival = at;
        estimator.onFrame(static_cast<std::uint32_t>(i * 3000), at);
        return at;
    }
};

TEST(DelayEstimator, AnUncongestedPathNeverOverusesAndTheEstimateFollowsWhatArrives)
{
    Link l;
    TimePoint at;
    for (int i = 0; i < 300; ++i)
        at = l.frame(i, 1000, 0); // 240 kbit/s, no queue
    EXPECT_EQ(l.estimator.overuses(), 0u);
    EXPECT_NEAR(l.estimator.trendMsPerSecond(), 0.0, 1.0);
    // No growth beyond what the sender proves (1.5 x received), no cut without congestion: a
    // sender whose content needs less than its target keeps the target (and its resolution).
    EXPECT_EQ(l.estimator.estimateBps(), 800'000u);
    (void)at;
}

TEST(DelayEstimator, AQueueBuildingBehindABottleneckIsOveruseAndTheEstimateFallsBelowTheLink)
{
    Link l;
    std::optional<std::uint64_t> firstUrgent;
    for (int i = 0; i < 150; ++i) {
        const auto at = l.frame(i, 4000, 500); // 960 kbit/s into a 500 kbit/s link
        if (l.estimator.overuses() > 0 && !firstUrgent) firstUrgent = l.estimator.remb(at);
    }
    EXPECT_GT(l.estimator.trendMsPerSecond(), 30.0);
    EXPECT_GT(l.estimator.overuses(), 0u);
    ASSERT_TRUE(firstUrgent.has_value()); // sent at once, not at the next interval
    EXPECT_LT(l.estimator.estimateBps(), 500'000u);
    EXPECT_GE(l.estimator.estimateBps(), 100'000u);
}

TEST(DelayEstimator, AfterCongestionTheEstimateGrowsBackOnlyAsFarAsWhatArrives)
{
    Link l;
    int i = 0;
    for (; i < 150; ++i)
        l.frame(i, 4000, 500); // congested: the estimate falls below 500 kbit/s
    const auto low = l.estimator.estimateBps();
    ASSERT_LT(low, 500'000u);
    for (; i < 600; ++i)
        l.frame(i, 1500, 0); // 15 s uncongested at 360 kbit/s
    EXPECT_GT(l.estimator.estimateBps(), low);
    EXPECT_LE(l.estimator.estimateBps(), 560'000u); // 1.5 x 360 kbit/s (+ a frame of window edge)
}

TEST(DelayEstimator, RembGoesOutOncePerIntervalWithoutNews)
{
    Link l;
    std::optional<TimePoint> first;
    int sent = 0;
    for (int i = 0; i < 90; ++i) { // 3 s
        const auto at = l.frame(i, 1000, 0);
        if (l.estimator.remb(at)) ++sent;
    }
    EXPECT_GE(sent, 2);
    EXPECT_LE(sent, 4);
}

TEST(DelayEstimator, APauseIsNotQueueing)
{
    Link l;
    for (int i = 0; i < 60; ++i)
        l.frame(i, 1000, 0);
    // The sender paused 5 s (hold): frame 210 follows frame 59.
    for (int i = 210; i < 270; ++i)
        l.frame(i, 1000, 0);
    EXPECT_EQ(l.estimator.overuses(), 0u);
}

} // namespace
} // namespace vphone::media
