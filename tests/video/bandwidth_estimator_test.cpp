// BandwidthEstimator: loss-based sender control (draft-ietf-rmcat-gcc-02 §6), remote caps and
// the layer ladder, on an explicit clock.
#include "rtp/bandwidth_estimator.h"

#include <gtest/gtest.h>

#include <set>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = TimePoint{} + 1h;

constexpr std::uint8_t lossOf(double fraction)
{
    return static_cast<std::uint8_t>(fraction * 256);
}

// Reports every `interval` from `from` for `span`; returns the time of the last one.
TimePoint reports(BandwidthEstimator& e, TimePoint from, std::chrono::milliseconds span,
                  std::chrono::milliseconds interval, double loss)
{
    TimePoint t = from;
    for (auto elapsed = 0ms; elapsed < span; elapsed += interval) {
        t += interval;
        e.onReceiverReport(lossOf(loss), 50ms, t);
    }
    return t;
}

} // namespace

TEST(BandwidthEstimator, StartsAtTheConfiguredRateWithinItsBounds)
{
    EXPECT_EQ(BandwidthEstimator({}).targetKbps(), 800);
    EXPECT_EQ(BandwidthEstimator({100, 5000, 2500}).targetKbps(), 2500);
    EXPECT_EQ(BandwidthEstimator({300, 50, 2500}).targetKbps(), 300);
}

TEST(BandwidthEstimator, ConvergesToTheFloorUnderTwentyPercentLoss)
{
    BandwidthEstimator e({});
    int previous = e.targetKbps();
    TimePoint t = t0;
    for (int i = 0; i < 30; ++i) {
        t += 1s;
        e.onReceiverReport(lossOf(0.2), 80ms, t);
        EXPECT_LE(e.targetKbps(), previous);
        previous = e.targetKbps();
    }
    EXPECT_EQ(e.targetKbps(), 100);
}

TEST(BandwidthEstimator, CutsByHalfTheLossFraction)
{
    BandwidthEstimator e({});
    e.onReceiverReport(lossOf(0.25), std::nullopt, t0);
    EXPECT_EQ(e.targetKbps(), 700); // 800 × (1 − 0.5 × 0.25)
}

TEST(BandwidthEstimator, CutsOncePerCongestionEpisode)
{
    BandwidthEstimator e({});
    e.onReceiverReport(lossOf(0.5), 100ms, t0);
    EXPECT_EQ(e.targetKbps(), 600);
    e.onReceiverReport(lossOf(0.5), 100ms, t0 + 399ms); // within 300 ms + RTT
    EXPECT_EQ(e.targetKbps(), 600);
    e.onReceiverReport(lossOf(0.5), 100ms, t0 + 400ms);
    EXPECT_EQ(e.targetKbps(), 450);
}

TEST(BandwidthEstimator, HoldsBetweenTwoAndTenPercentLoss)
{
    BandwidthEstimator e({});
    reports(e, t0, 20s, 1s, 0.05);
    EXPECT_EQ(e.targetKbps(), 800);
}

TEST(BandwidthEstimator, GrowsEightPercentPerSecondWhateverTheReportInterval)
{
    BandwidthEstimator often({});
    BandwidthEstimator seldom({});
    often.onReceiverReport(0, std::nullopt, t0);
    seldom.onReceiverReport(0, std::nullopt, t0);
    reports(often, t0, 10s, 250ms, 0);
    reports(seldom, t0, 10s, 2s, 0);
    // 800 × 1.08^10 = 1727
    EXPECT_NEAR(often.targetKbps(), 1727, 2);
    EXPECT_NEAR(seldom.targetKbps(), 1727, 2);
}

TEST(BandwidthEstimator, DoesNotJumpAfterALongSilence)
{
    BandwidthEstimator e({});
    e.onReceiverReport(0, std::nullopt, t0);
    e.onReceiverReport(0, std::nullopt, t0 + 60s);
    EXPECT_LE(e.targetKbps(), 1176); // at most 5 s of growth: 800 × 1.08^5
}

TEST(BandwidthEstimator, RecoversAfterTheLossStops)
{
    BandwidthEstimator e({});
    TimePoint t = reports(e, t0, 30s, 1s, 0.2);
    ASSERT_EQ(e.targetKbps(), 100);
    t = reports(e, t, 20s, 1s, 0.0);
    EXPECT_GT(e.targetKbps(), 400); // 100 × 1.08^20 = 466
    reports(e, t, 30s, 1s, 0.0);
    EXPECT_EQ(e.targetKbps(), 2500);
}

TEST(BandwidthEstimator, RembCapsAtOnceAndTheEstimateGrowsFromTheCapWhenLifted)
{
    BandwidthEstimator e({});
    TimePoint t = reports(e, t0, 20s, 1s, 0.0);
    ASSERT_EQ(e.targetKbps(), 2500);
    e.onRemoteEstimate(300'000, t);
    EXPECT_EQ(e.targetKbps(), 300);
    t = reports(e, t, 10s, 1s, 0.0);
    EXPECT_EQ(e.targetKbps(), 300);
    e.onRemoteEstimate(2'000'000, t);
    EXPECT_EQ(e.targetKbps(), 300); // no jump: growth resumes at 8 %/s
    reports(e, t, 1s, 1s, 0.0);
    EXPECT_EQ(e.targetKbps(), 324);
}

TEST(BandwidthEstimator, TheFloorWinsOverARemoteEstimateBelowIt)
{
    BandwidthEstimator e({});
    e.onRemoteEstimate(20'000, t0);
    EXPECT_EQ(e.targetKbps(), 100);
}

TEST(BandwidthEstimator, SdpBandwidthLowersTheCeiling)
{
    BandwidthEstimator e({});
    e.setMaxKbps(512);
    EXPECT_EQ(e.targetKbps(), 512);
    reports(e, t0, 30s, 1s, 0.0);
    EXPECT_EQ(e.targetKbps(), 512);
    e.setMaxKbps(10); // below the floor
    EXPECT_EQ(e.targetKbps(), 100);
}

TEST(BandwidthEstimator, CountsNacks)
{
    BandwidthEstimator e({});
    e.onNack(3, t0);
    e.onNack(2, t0 + 1s);
    EXPECT_EQ(e.nacked(), 5u);
    EXPECT_EQ(e.targetKbps(), 800);
}

TEST(BandwidthEstimatorLayers, FullSourceWhenTheBitrateAffordsIt)
{
    BandwidthEstimator e({100, 2500, 2500});
    // 1280×720@30 needs 0.05 × 1280 × 720 × 30 = 1.38 Mbit/s.
    EXPECT_EQ(e.layerFor(1280, 720, 30), (BandwidthEstimator::Layer{1280, 720, 30}));
}

TEST(BandwidthEstimatorLayers, NeverAboveTheSource)
{
    BandwidthEstimator e({100, 2500, 2500});
    EXPECT_EQ(e.layerFor(320, 240, 10), (BandwidthEstimator::Layer{320, 240, 10}));
    EXPECT_EQ(e.layerFor(1280, 720, 15), (BandwidthEstimator::Layer{1280, 720, 15}));
}

TEST(BandwidthEstimatorLayers, StepsDownAreaFirstThenFramerateBeforeAQuarter)
{
    auto at = [](int kbps) {
        BandwidthEstimator e({100, kbps, 2500});
        return e.layerFor(1280, 720, 30);
    };
    using L = BandwidthEstimator::Layer;
    EXPECT_EQ(at(800), (L{960, 540, 30})); // needs 778 kbit/s
    EXPECT_EQ(at(400), (L{640, 360, 30})); // 346
    EXPECT_EQ(at(300), (L{640, 360, 15})); // 173: 15 fps before going below a quarter
    EXPECT_EQ(at(100), (L{480, 270, 15})); // 97
}

TEST(BandwidthEstimatorLayers, GoesDownUnderLossAndBackUpWhenItStops)
{
    BandwidthEstimator e({});
    TimePoint t = reports(e, t0, 20s, 1s, 0.0);
    ASSERT_EQ(e.targetKbps(), 2500);
    EXPECT_EQ(e.layerFor(1280, 720, 30).width, 1280);
    std::set<int> widths;
    for (int i = 0; i < 30; ++i) {
        t += 1s;
        e.onReceiverReport(lossOf(0.2), 50ms, t);
        widths.insert(e.layerFor(1280, 720, 30).width);
    }
    EXPECT_EQ(e.layerFor(1280, 720, 30), (BandwidthEstimator::Layer{480, 270, 15}));
    EXPECT_TRUE(widths.count(960) && widths.count(640));
    for (int i = 0; i < 60; ++i) {
        t += 1s;
        e.onReceiverReport(0, 50ms, t);
        e.layerFor(1280, 720, 30);
    }
    EXPECT_EQ(e.layerFor(1280, 720, 30), (BandwidthEstimator::Layer{1280, 720, 30}));
}

TEST(BandwidthEstimatorLayers, StepsUpOnlyTwentyPercentAboveTheThreshold)
{
    // 960×540@30 needs 777.6 kbit/s; 1280×720@30 needs 1382.4.
    BandwidthEstimator e({100, 1000, 2500});
    ASSERT_EQ(e.layerFor(1280, 720, 30).width, 960);
    e.setMaxKbps(1400); // above the threshold, below 1.2 × it: no step up
    e.onRemoteEstimate(1'400'000, t0);
    TimePoint t = reports(e, t0, 10s, 1s, 0.0);
    ASSERT_EQ(e.targetKbps(), 1400);
    EXPECT_EQ(e.layerFor(1280, 720, 30).width, 960);
    e.setMaxKbps(1659); // 1.2 × 1382.4 = 1658.9
    e.onRemoteEstimate(1'659'000, t);
    reports(e, t, 5s, 1s, 0.0);
    EXPECT_EQ(e.layerFor(1280, 720, 30).width, 1280);
}

TEST(BandwidthEstimatorLayers, DoesNotFlapAroundAThreshold)
{
    BandwidthEstimator e({100, 1500, 2500});
    ASSERT_EQ(e.layerFor(1280, 720, 30).width, 1280);
    // The estimate wobbles around the 1382 kbit/s threshold of the full size.
    int changes = 0;
    int width = 1280;
    TimePoint t = t0;
    for (int i = 0; i < 40; ++i) {
        t += 1s;
        e.onRemoteEstimate(i % 2 ? 1'300'000 : 1'450'000, t);
        if (i % 2 == 0) e.onReceiverReport(0, 50ms, t);
        const int now = e.layerFor(1280, 720, 30).width;
        changes += now != width;
        width = now;
    }
    EXPECT_EQ(changes, 1); // down once, then stays
    EXPECT_EQ(width, 960);
}

TEST(BandwidthEstimatorLayers, ANewSourceStartsAfresh)
{
    BandwidthEstimator e({100, 1000, 2500});
    EXPECT_EQ(e.layerFor(1280, 720, 30).width, 960);
    EXPECT_EQ(e.layerFor(640, 480, 30), (BandwidthEstimator::Layer{640, 480, 30}));
}

TEST(BandwidthEstimatorLayers, DimensionsStayEven)
{
    BandwidthEstimator e({100, 200, 2500});
    const auto l = e.layerFor(1366, 766, 30);
    EXPECT_EQ(l.width % 2, 0);
    EXPECT_EQ(l.height % 2, 0);
    EXPECT_LT(l.width, 1366);
}
