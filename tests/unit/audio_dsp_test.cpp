// Resampling (libswresample) and echo cancellation (speexdsp), measured with Goertzel.
#include "dsp/echo_canceller.h"
#include "dsp/goertzel.h"
#include "dsp/resampler.h"

#include "audio_test_signals.h"

#include <gtest/gtest.h>

using namespace vphone::media;

namespace {

struct RatePair {
    int in;
    int out;
    int inChannels;
    int outChannels;
};

} // namespace

TEST(Resampler, KeepsAToneFrequencyAcrossRatesAndChannelsFrameByFrame)
{
    const RatePair pairs[] = {{48000, 8000, 1, 1},  {8000, 48000, 1, 1},  {44100, 48000, 2, 1},
                              {48000, 44100, 1, 2}, {16000, 48000, 2, 2}, {48000, 16000, 1, 1}};
    for (const auto& p : pairs) {
        const double hz = 1000;
        auto r = Resampler::create({p.in, p.inChannels}, {p.out, p.outChannels}, std::size_t(p.in / 50));
        ASSERT_TRUE(r) << r.error().what;
        const auto inFrame = std::size_t(p.in / 50); // 20 ms
        const auto outFrame = std::size_t(p.out / 50);
        const auto tone = test::sine(hz, p.in, inFrame * 50, 10000, p.inChannels);
        std::vector<int16_t> out(outFrame * std::size_t(p.outChannels));
        std::vector<int16_t> all;
        for (std::size_t f = 0; f < 50; ++f) {
            const auto in = std::span(tone).subspan(f * inFrame * std::size_t(p.inChannels),
                                                    inFrame * std::size_t(p.inChannels));
            const auto real = r->convert(in, out);
            if (f > 0) {
                ASSERT_EQ(real, outFrame) << "steady state gives whole frames";
            }
            all.insert(all.end(), out.begin(), out.end());
        }
        const auto mono = test::channel(all, p.outChannels, p.outChannels - 1);
        // Skip the first frame (start-up padding); every later 20 ms window is the tone.
        ToneAnalysis strict;
        strict.threshold = 0.95;
        const auto report = analyseTone(std::span(mono).subspan(outFrame), p.out, hz, strict);
        EXPECT_EQ(report.dominated, report.windows) << p.in << " -> " << p.out;
        EXPECT_GE(report.windows, 48u);
        EXPECT_GT(rmsDbfs(std::span(mono).subspan(outFrame)), -13.5)
            << "level kept, " << p.in << " -> " << p.out;
    }
}

TEST(Resampler, StateCarriesAcrossFramesWithoutClicks)
{
    // A continuous tone resampled in 10 ms pieces must match the same tone resampled in one go.
    auto pieces = Resampler::create({48000, 1}, {16000, 1}, 48000);
    auto whole = Resampler::create({48000, 1}, {16000, 1}, 48000);
    ASSERT_TRUE(pieces && whole);
    const auto tone = test::sine(440, 48000, 48000);
    for (std::size_t at = 0; at < tone.size(); at += 480)
        ASSERT_TRUE(pieces->push(std::span(tone).subspan(at, 480)));
    ASSERT_TRUE(whole->push(tone));
    ASSERT_EQ(pieces->availableFrames(), whole->availableFrames());
    std::vector<int16_t> a(pieces->availableFrames());
    std::vector<int16_t> b(a.size());
    ASSERT_TRUE(pieces->pop(a));
    ASSERT_TRUE(whole->pop(b));
    EXPECT_EQ(a, b);
}

TEST(Resampler, RefusesBadFormatsAndOversizedInput)
{
    EXPECT_FALSE(Resampler::create({48000, 3}, {8000, 1}, 960));
    EXPECT_FALSE(Resampler::create({100, 1}, {8000, 1}, 960));
    auto r = Resampler::create({48000, 2}, {8000, 1}, 960);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->push(std::vector<int16_t>(961 * 2)));
    EXPECT_FALSE(r->push(std::vector<int16_t>(3))); // not whole stereo frames
    std::vector<int16_t> out(160);
    EXPECT_FALSE(r->pop(out));
}

TEST(EchoCanceller, RemovesEchoAndKeepsTheNearEndTalker)
{
    // Far end: noise-like speech stand-in. Room: 30 ms delay, -6 dB. Near end: a 700 Hz talker
    // who starts after 4 s. 16 kHz, 20 ms frames.
    constexpr int kRate = 16000;
    constexpr std::size_t kFrame = 320;
    constexpr std::size_t kDelay = 480;
    constexpr std::size_t kFrames = 300; // 6 s
    EchoCancellerConfig config;
    config.sampleRate = kRate;
    config.frameSamples = kFrame;
    config.noise = NoiseSuppression::Off;
    auto aec = EchoCanceller::create(config);
    ASSERT_TRUE(aec) << aec.error().what;

    const auto far = test::noise(kFrame * kFrames, 8000, 7);
    const auto talker = test::sine(700, kRate, kFrame * kFrames, 3000);
    std::vector<int16_t> echo(far.size(), 0);
    for (std::size_t i = kDelay; i < far.size(); ++i)
        echo[i] = int16_t(far[i - kDelay] / 2);

    double echoIn = 0;
    double echoOut = 0;
    std::vector<int16_t> talkerOut;
    std::vector<int16_t> out(kFrame);
    std::vector<int16_t> nearFrame(kFrame);
    for (std::size_t f = 0; f < kFrames; ++f) {
        const bool talking = f >= 200;
        for (std::size_t i = 0; i < kFrame; ++i) {
            const std::size_t k = f * kFrame + i;
            nearFrame[i] = int16_t(echo[k] + (talking ? talker[k] : 0));
        }
        ASSERT_TRUE(aec->process(std::span(far).subspan(f * kFrame, kFrame), nearFrame, out));
        if (f >= 150 && f < 200) { // converged, echo only: ERLE over the last second before talk
            echoIn += blockEnergy(nearFrame);
            echoOut += blockEnergy(out);
        }
        if (f >= 250) talkerOut.insert(talkerOut.end(), out.begin(), out.end());
    }
    const double erle = 10 * std::log10(echoIn / std::max(echoOut, 1.0));
    EXPECT_GT(erle, 20.0) << "echo return loss enhancement after 3 s (measured 35.6 dB)";
    // The talker's tone dominates the cleaned signal and keeps most of its level (-20.7 dBFS).
    const auto report = analyseTone(talkerOut, kRate, 700);
    EXPECT_GT(report.fraction(), 0.9) << report.dominated << " of " << report.windows;
    const double talkerLevel = 2.0 * goertzelPower(talkerOut, 700, kRate) / double(talkerOut.size());
    const double expected =
        2.0 * goertzelPower(std::span(talker).first(talkerOut.size()), 700, kRate) / double(talkerOut.size());
    EXPECT_GT(10 * std::log10(talkerLevel / expected), -6.0) << "talker attenuated by less than 6 dB";
    std::cout << "ERLE " << erle << " dB\n";
}

TEST(EchoCanceller, NoiseSuppressionLowersStationaryNoise)
{
    EchoCancellerConfig config;
    config.sampleRate = 16000;
    config.frameSamples = 320;
    config.noise = NoiseSuppression::On;
    auto aec = EchoCanceller::create(config);
    ASSERT_TRUE(aec);
    const auto hiss = test::noise(320 * 200, 1000, 3);
    const std::vector<int16_t> silentFar(320, 0);
    std::vector<int16_t> out(320);
    double in = 0;
    double cleaned = 0;
    for (std::size_t f = 0; f < 200; ++f) {
        const auto frame = std::span(hiss).subspan(f * 320, 320);
        ASSERT_TRUE(aec->process(silentFar, frame, out));
        if (f >= 100) {
            in += blockEnergy(frame);
            cleaned += blockEnergy(out);
        }
    }
    EXPECT_GT(10 * std::log10(in / std::max(cleaned, 1.0)), 10.0);
}

TEST(EchoCanceller, RefusesBadSettingsAndFrames)
{
    EchoCancellerConfig bad;
    bad.frameSamples = 7;
    EXPECT_FALSE(EchoCanceller::create(bad));
    bad = {};
    bad.sampleRate = 4000;
    EXPECT_FALSE(EchoCanceller::create(bad));
    auto aec = EchoCanceller::create({});
    ASSERT_TRUE(aec);
    std::vector<int16_t> a(320);
    std::vector<int16_t> shortFrame(100);
    EXPECT_FALSE(aec->process(a, shortFrame, a));
}

TEST(Goertzel, ToneRatioIsNearOneForTheToneAndSmallForNoise)
{
    const auto tone = test::sine(1234, 8000, 160);
    EXPECT_NEAR(toneEnergyRatio(tone, 1234, 8000), 1.0, 0.05);
    EXPECT_LT(toneEnergyRatio(tone, 2000, 8000), 0.05);
    const auto hiss = test::noise(160, 10000, 1);
    EXPECT_LT(toneEnergyRatio(hiss, 1234, 8000), 0.2);
    EXPECT_EQ(toneEnergyRatio(std::vector<int16_t>(160, 0), 1234, 8000), 0.0);
    std::vector<int16_t> half = test::sine(1000, 8000, 8000);
    std::fill(half.begin() + 4000, half.end(), int16_t{0});
    const auto report = analyseTone(half, 8000, 1000);
    EXPECT_EQ(report.windows, 50u);
    EXPECT_EQ(report.dominated, 25u);
    EXPECT_DOUBLE_EQ(report.fraction(), 0.5);
}
