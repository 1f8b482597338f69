// ConferenceMixer by hand (no thread, no sockets, no sleeps): ports fed with tones frame by
// frame, mix() called once per frame, what each port hears checked with Goertzel.
#include "device/basic_devices.h"
#include "dsp/goertzel.h"
#include "engine/conference_mixer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

using namespace vphone::media;

namespace {

constexpr std::size_t kFrame = 960;

/// A continuous sine, one frame at a time.
struct Tone {
    double hz;
    double amplitude;
    double phase = 0;
    std::vector<std::int16_t> next()
    {
        std::vector<std::int16_t> f(kFrame);
        for (auto& s : f) {
            s = static_cast<std::int16_t>(std::lround(amplitude * std::sin(phase)));
            phase += 2 * std::numbers::pi * hz / 48000;
        }
        phase = std::fmod(phase, 2 * std::numbers::pi);
        return f;
    }
};

std::vector<std::int16_t> pop(MixerPort& port)
{
    std::vector<std::int16_t> f(kFrame);
    EXPECT_TRUE(port.popOutput(f)) << "no mixed frame for " << port.label();
    return f;
}

/// Share of the frame's energy at hz.
double share(const std::vector<std::int16_t>& f, double hz)
{
    return toneEnergyRatio(f, hz, 48000);
}

/// A sink that keeps what it is given.
class CollectSink final : public AudioSink {
public:
    explicit CollectSink(std::vector<std::int16_t>* out) : out_(out) {}
    AudioFormat format() const override { return kMixerFormat; }
    FrameStatus write(std::span<const int16_t> frame) override
    {
        out_->insert(out_->end(), frame.begin(), frame.end());
        return FrameStatus::Ready;
    }
    std::string describe() const override { return "collect"; }

private:
    std::vector<std::int16_t>* out_;
};

} // namespace

TEST(ConferenceMixer, EachPortHearsEveryOtherPortAndNeverItself)
{
    ConferenceMixer mixer;
    const std::vector<double> hz{400, 700, 1100, 1700};
    std::vector<std::shared_ptr<MixerPort>> ports;
    std::vector<Tone> tones;
    for (double f : hz) {
        ports.push_back(mixer.addPort("p" + std::to_string(int(f))));
        tones.push_back(Tone{f, 6000});
    }
    for (int frame = 0; frame < 10; ++frame) {
        for (std::size_t i = 0; i < ports.size(); ++i)
            ASSERT_TRUE(ports[i]->pushInput(tones[i].next()));
        mixer.mix();
        for (std::size_t i = 0; i < ports.size(); ++i) {
            const auto heard = pop(*ports[i]);
            EXPECT_LT(share(heard, hz[i]), 0.001) << "port " << i << " hears itself";
            for (std::size_t j = 0; j < ports.size(); ++j) {
                if (j != i) {
                    EXPECT_GT(share(heard, hz[j]), 0.25) << "port " << i << " misses " << hz[j];
                }
            }
        }
    }
    for (auto& p : ports) {
        EXPECT_EQ(p->framesIn(), 10u);
        EXPECT_EQ(p->framesOut(), 10u);
        EXPECT_EQ(p->underruns(), 0u);
        EXPECT_EQ(p->overruns(), 0u);
    }
}

TEST(ConferenceMixer, FullScaleInputsAreLimitedNotWrappedAround)
{
    ConferenceMixer mixer;
    std::vector<std::shared_ptr<MixerPort>> ports;
    std::vector<Tone> tones;
    for (int i = 0; i < 5; ++i) {
        ports.push_back(mixer.addPort("loud" + std::to_string(i)));
        tones.push_back(Tone{1000, 32767}); // in phase: the sum is 4x full scale for everyone
    }
    for (int frame = 0; frame < 20; ++frame) {
        std::vector<std::int16_t> in;
        for (std::size_t i = 0; i < ports.size(); ++i) {
            in = tones[i].next();
            ASSERT_TRUE(ports[i]->pushInput(in));
        }
        mixer.mix();
        const auto heard = pop(*ports[0]);
        // No wrap-around: the output follows the input's sign, reaches near full scale, stays a
        // clean sine (a wrapped or hard-clipped sum would spread energy to harmonics).
        int sameSign = 0;
        int peak = 0;
        for (std::size_t s = 0; s < kFrame; ++s) {
            if ((heard[s] >= 0) == (in[s] >= 0) || std::abs(in[s]) < 200) ++sameSign;
            peak = std::max(peak, std::abs(int(heard[s])));
        }
        EXPECT_EQ(sameSign, int(kFrame)) << "frame " << frame;
        EXPECT_GT(peak, 30000) << "frame " << frame;
        EXPECT_GT(share(heard, 1000), 0.99) << "frame " << frame;
    }
}

TEST(ConferenceMixer, CountsOverrunsDroppingTheOldestAndUnderrunsAsSilence)
{
    ConferenceMixer mixer;
    auto a = mixer.addPort("a");
    auto b = mixer.addPort("b");
    // Before a's first frame an empty input is not an underrun (the call is still starting).
    mixer.mix();
    EXPECT_EQ(a->underruns(), 0u);
    // Six frames at once, numbered by value: the three oldest are dropped, 4, 5, 6 are mixed in order.
    for (int k = 1; k <= 6; ++k)
        ASSERT_TRUE(a->pushInput(std::vector<std::int16_t>(kFrame, std::int16_t(k * 100))));
    std::vector<std::int16_t> heard(kFrame);
    while (b->popOutput(heard)) {} // b's silence from the first tick
    for (int k = 4; k <= 6; ++k) {
        mixer.mix();
        ASSERT_TRUE(b->popOutput(heard));
        EXPECT_EQ(heard[0], k * 100);
    }
    EXPECT_EQ(a->overruns(), 3u);
    EXPECT_EQ(a->framesIn(), 3u);
    // Nothing queued: silence, counted.
    mixer.mix();
    ASSERT_TRUE(b->popOutput(heard));
    EXPECT_EQ(heard[0], 0);
    EXPECT_EQ(a->underruns(), 1u);
    // A producer far ahead of the mixer finds the ring full: the newest are refused, counted too.
    int refused = 0;
    for (int k = 0; k < 12; ++k)
        refused += a->pushInput(std::vector<std::int16_t>(kFrame, 1)) ? 0 : 1;
    EXPECT_GT(refused, 0);
    EXPECT_EQ(a->overruns(), 3u + std::uint64_t(refused));
    // A frame of the wrong size is refused, not mixed.
    EXPECT_FALSE(a->pushInput(std::vector<std::int16_t>(100, 1)));
    // A participant that stops reading loses the surplus, and is counted.
    for (int k = 0; k < 8; ++k)
        mixer.mix();
    EXPECT_GT(b->outputDrops(), 0u);
}

TEST(ConferenceMixer, APortLeavingMidCallIsNoLongerHeardAndTheOthersGoOn)
{
    ConferenceMixer mixer;
    auto a = mixer.addPort("a");
    auto b = mixer.addPort("b");
    auto c = mixer.addPort("c");
    Tone ta{500, 5000}, tb{900, 5000}, tc{1300, 5000};
    for (int frame = 0; frame < 3; ++frame) {
        a->pushInput(ta.next());
        b->pushInput(tb.next());
        c->pushInput(tc.next());
        mixer.mix();
        EXPECT_GT(share(pop(*a), 900), 0.3);
        pop(*b);
        pop(*c);
    }
    mixer.removePort(b->id());
    EXPECT_EQ(mixer.ports().size(), 2u);
    for (int frame = 0; frame < 3; ++frame) {
        a->pushInput(ta.next());
        b->pushInput(tb.next()); // still talking into its (now detached) port: harmless
        c->pushInput(tc.next());
        mixer.mix();
        const auto heardA = pop(*a);
        EXPECT_LT(share(heardA, 900), 0.001) << "a still hears b";
        EXPECT_GT(share(heardA, 1300), 0.99);
        EXPECT_GT(share(pop(*c), 500), 0.99);
    }
    std::vector<std::int16_t> f(kFrame);
    EXPECT_FALSE(b->popOutput(f)) << "a removed port hears nothing";
    mixer.removePort(b->id()); // twice: nothing happens
    mixer.removePort(12345);
    EXPECT_EQ(mixer.ports().size(), 2u);
}

TEST(ConferenceMixer, ActiveSpeakerFollowsTheLoudestWithHangoverAndHysteresis)
{
    ConferenceMixer mixer;
    auto a = mixer.addPort("a");
    auto b = mixer.addPort("b");
    const std::vector<std::int16_t> silence(kFrame, 0);
    Tone ta{440, 8000}, tb{880, 8000}, tbLoud{880, 24000};
    auto run = [&](int frames, Tone* forA, Tone* forB) {
        std::vector<std::int16_t> f(kFrame);
        for (int k = 0; k < frames; ++k) {
            a->pushInput(forA ? forA->next() : silence);
            b->pushInput(forB ? forB->next() : silence);
            mixer.mix();
            a->popOutput(f);
            b->popOutput(f);
        }
    };
    run(3, nullptr, nullptr);
    EXPECT_FALSE(mixer.activeSpeaker());
    run(5, &ta, nullptr);
    EXPECT_EQ(mixer.activeSpeaker(), a->id());
    EXPECT_TRUE(a->speaking());
    EXPECT_NEAR(a->levelDbfs(), 20 * std::log10(8000 / std::sqrt(2.0) / 32767), 0.5);
    // b as loud as a: a keeps the floor.
    run(20, &ta, &tb);
    EXPECT_EQ(mixer.activeSpeaker(), a->id());
    // b clearly louder: it takes over only after 200 ms.
    run(5, &ta, &tbLoud);
    EXPECT_EQ(mixer.activeSpeaker(), a->id());
    run(6, &ta, &tbLoud);
    EXPECT_EQ(mixer.activeSpeaker(), b->id());
    // b stops: still speaking during the hangover, then a (still talking) gets it back.
    run(5, &ta, nullptr);
    EXPECT_EQ(mixer.activeSpeaker(), b->id());
    EXPECT_TRUE(b->speaking());
    run(30, &ta, nullptr);
    EXPECT_FALSE(b->speaking());
    EXPECT_EQ(mixer.activeSpeaker(), a->id());
    // The active speaker leaving clears it.
    mixer.removePort(a->id());
    EXPECT_FALSE(mixer.activeSpeaker());
}

TEST(ConferenceMixer, DevicePortAndPortAdaptersCarryAudioBothWays)
{
    ManualClock clock;
    auto tone = ToneSource::create(600, kMixerFormat, clock, 8000);
    ASSERT_TRUE(tone);
    std::vector<std::int16_t> speaker;
    ConferenceMixer mixer;
    auto host = mixer.addDevicePort("host", std::move(*tone), std::make_unique<CollectSink>(&speaker));
    ASSERT_TRUE(host);
    auto remote = mixer.addPort("remote");
    PortSource toRemote(remote);
    PortSink fromRemote(remote);
    Tone voice{1500, 8000};
    std::vector<std::int16_t> heard(kFrame);
    std::vector<std::int16_t> remoteHeard;
    for (int k = 0; k < 10; ++k) {
        ASSERT_EQ(fromRemote.write(voice.next()), FrameStatus::Ready);
        mixer.mix();
        clock.advance(std::chrono::milliseconds{20});
        while (toRemote.read(heard) == FrameStatus::Ready)
            remoteHeard.insert(remoteHeard.end(), heard.begin(), heard.end());
    }
    EXPECT_EQ(toRemote.read(heard), FrameStatus::NotYet);
    ASSERT_EQ(speaker.size(), 10 * kFrame);
    ASSERT_EQ(remoteHeard.size(), 10 * kFrame);
    EXPECT_GT(analyseTone(speaker, 48000, 1500).fraction(), 0.99) << "the host does not hear the remote";
    EXPECT_EQ(analyseTone(speaker, 48000, 600).dominated, 0u) << "the host hears itself";
    EXPECT_GT(analyseTone(remoteHeard, 48000, 600).fraction(), 0.99) << "the remote does not hear the host";
    EXPECT_EQ(toRemote.describe(), "conference:remote");

    // A device of the wrong format is refused with its name.
    auto wrong = ToneSource::create(600, AudioFormat{8000, 1, 160}, clock);
    ASSERT_TRUE(wrong);
    auto refused = mixer.addDevicePort("bad", std::move(*wrong), nullptr);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().what.find("tone"), std::string::npos) << refused.error().what;
}

TEST(ConferenceMixer, ItsThreadTicksUntilStopped)
{
    ConferenceMixer mixer;
    auto a = mixer.addPort("a");
    ASSERT_TRUE(mixer.start());
    std::vector<std::int16_t> f(kFrame);
    for (int k = 0; k < 500 && mixer.ticks() < 3; ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    mixer.stop();
    const auto ticks = mixer.ticks();
    EXPECT_GE(ticks, 3u);
    EXPECT_TRUE(a->popOutput(f));
    mixer.stop(); // idempotent
    EXPECT_EQ(mixer.ticks(), ticks);
}
