// The call-waiting tone (issue 8): LocalTone's cadence by hand, then in a real call between two
// MediaSessions on loopback: the tone is in what the waiting side plays out, in its cadence,
// and never in what it sends (the peer hears none of it); switching it off stops it.
#include "engine/local_tone.h"
#include "media_engine_test_util.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace vphone::media::test {
namespace {

/// 20 ms windows of `samples` in which `hz` carries most of the energy.
std::vector<bool> toneWindows(const std::vector<std::int16_t>& samples, int rate, double hz)
{
    std::vector<bool> out;
    const std::size_t window = std::size_t(rate) / 50;
    for (std::size_t at = 0; at + window <= samples.size(); at += window) {
        const auto block = std::span<const std::int16_t>(samples).subspan(at, window);
        out.push_back(rmsDbfs(block) > -40 && toneEnergyRatio(block, hz, rate) > 0.3);
    }
    return out;
}

TEST(LocalTone, CadenceIsTwoBeepsEveryFourSeconds)
{
    ToneMixer mixer(LocalTone::callWaiting(), 48000);
    const auto ms = [](int t) { return std::uint64_t(t) * 48; };
    EXPECT_TRUE(mixer.on(ms(0)));
    EXPECT_TRUE(mixer.on(ms(299)));
    EXPECT_FALSE(mixer.on(ms(300)));
    EXPECT_FALSE(mixer.on(ms(499)));
    EXPECT_TRUE(mixer.on(ms(500)));
    EXPECT_TRUE(mixer.on(ms(799)));
    EXPECT_FALSE(mixer.on(ms(800)));
    EXPECT_FALSE(mixer.on(ms(3999)));
    EXPECT_TRUE(mixer.on(ms(4000))); // the next period
}

TEST(LocalTone, MixSaturatesAndLeavesTheQuietPartAlone)
{
    LocalTone loud;
    loud.level = 1.0;
    ToneMixer mixer(loud, 48000);
    std::vector<std::int16_t> frame(48000, 30000); // one second of a loud DC signal
    mixer.mix(frame);
    const auto [lo, hi] = std::minmax_element(frame.begin(), frame.begin() + 300 * 48);
    EXPECT_EQ(*hi, 32767); // saturated, not wrapped
    EXPECT_LT(*lo, 0);
    EXPECT_TRUE(
        std::all_of(frame.begin() + 800 * 48, frame.end(), [](std::int16_t s) { return s == 30000; }));
}

TEST(MediaEngineLocalTone, CallWaitingToneIsHeardLocallyOnlyAndStops)
{
    const auto dir = tempDir("localtone");
    auto a = session(config("tone:1000", "file:" + dir + "/a.wav"));
    auto b = session(config("silence", "file:" + dir + "/b.wav"));
    ASSERT_TRUE(negotiate(*a, *b));
    ASSERT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > 25; }));
    b->setLocalTone(LocalTone::callWaiting());
    EXPECT_TRUE(b->localTone());
    std::this_thread::sleep_for(1500ms);
    b->setLocalTone(std::nullopt);
    std::this_thread::sleep_for(1000ms);
    a->stop();
    b->stop();

    int rate = 0;
    const auto heard = readWav(dir + "/b.wav", &rate);
    ASSERT_GT(heard.size(), std::size_t(rate) * 2);
    const auto beeps = toneWindows(heard, rate, 440);
    // Two 300 ms beeps: about 30 windows, in two runs 200 ms apart, and nothing after them.
    int on = 0, runs = 0;
    std::size_t first = beeps.size(), last = 0;
    for (std::size_t i = 0; i < beeps.size(); ++i) {
        if (!beeps[i]) continue;
        ++on;
        if (i == 0 || !beeps[i - 1]) ++runs;
        first = std::min(first, i);
        last = i;
    }
    EXPECT_GE(on, 24) << "the beeps are missing from the play-out";
    EXPECT_LE(on, 32);
    EXPECT_EQ(runs, 2);
    EXPECT_LE(last - first, 42u) << "a beep outside the first period's cadence";
    // The peer's tone went on under the beeps and after them.
    EXPECT_GT(analyseReceived(dir + "/b.wav", 1000).report.dominated, 50u);
    // And the peer heard none of it: b sends silence, tone or not.
    const auto sent = readWav(dir + "/a.wav", &rate);
    const auto leaked = toneWindows(sent, rate, 440);
    EXPECT_EQ(std::count(leaked.begin(), leaked.end(), true), 0);
}

} // namespace
} // namespace vphone::media::test
