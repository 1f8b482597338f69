// ConferenceBridge with real MediaSessions on loopback (RTP 15500-15999): three far ends, each
// calling its own host-side session, with tone sources at different frequencies and WAV sinks;
// the host joins with a fourth tone. Each far end must decode the other three tones and not its
// own, through Opus and PCMU alike; after one leaves the others no longer hear it.
#include "engine/conference_bridge.h"
#include "media_engine_test_util.h"

#include <array>

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

namespace {

MediaConfig bridgeConfig(std::string source, std::string sink, std::vector<std::string> codecs)
{
    auto c = config(std::move(source), std::move(sink), std::move(codecs));
    c.rtpPorts = PortRange{15500, 15999};
    return c;
}

/// Share of 20 ms windows (after the first 400 ms of sound, before `untilSeconds` into the file)
/// in which every tone of `present` holds at least 8% of the energy and `absent` less than 1%.
double mixFraction(const std::string& path, const std::vector<double>& present, double absent,
                   double untilSeconds = 1e9)
{
    const auto samples = readWav(path);
    const std::size_t window = 960;
    std::size_t first = samples.size();
    for (std::size_t at = 0; at + window <= samples.size(); at += window) {
        if (rmsDbfs(std::span<const std::int16_t>(samples).subspan(at, window)) > -50) {
            first = at;
            break;
        }
    }
    first += 48000 * 4 / 10;
    std::size_t windows = 0;
    std::size_t good = 0;
    const auto end = std::min(samples.size(), std::size_t(untilSeconds * 48000));
    for (std::size_t at = first; at + window <= end; at += window) {
        const auto block = std::span<const std::int16_t>(samples).subspan(at, window);
        ++windows;
        bool ok = rmsDbfs(block) > -40;
        for (double hz : present)
            ok = ok && toneEnergyRatio(block, hz, 48000) > 0.08;
        if (absent > 0) ok = ok && toneEnergyRatio(block, absent, 48000) < 0.01;
        good += ok ? 1 : 0;
    }
    return windows < 25 ? 0.0 : double(good) / double(windows);
}

} // namespace

TEST(ConferenceBridge, EachFarEndHearsEveryOtherParticipantAndNotItselfThenOneLeaves)
{
    const auto dir = tempDir("conference");
    const std::array<double, 3> hz{440, 700, 1100};
    const double hostHz = 1500;
    const std::array<std::vector<std::string>, 3> codecs{
        std::vector<std::string>{"opus"}, std::vector<std::string>{"pcmu"}, std::vector<std::string>{"opus"}};
    std::vector<std::unique_ptr<MediaSession>> far, near;
    for (int i = 0; i < 3; ++i) {
        far.push_back(session(bridgeConfig("tone:" + std::to_string(int(hz[i])),
                                           "file:" + dir + "/far" + std::to_string(i) + ".wav", codecs[i])));
        near.push_back(session(bridgeConfig("silence", "null", codecs[i])));
        ASSERT_TRUE(far[i] && near[i]);
    }
    auto made = ConferenceBridge::create({});
    ASSERT_TRUE(made) << made.error().what;
    auto& bridge = **made;
    // Participant 0 joins before its media starts, the others once their calls run.
    auto p0 = bridge.join(*near[0], "alice");
    ASSERT_TRUE(p0) << p0.error().what;
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(negotiate(*far[i], *near[i]));
    const auto callStart = std::chrono::steady_clock::now(); // the far ends' files start about now
    auto p1 = bridge.join(*near[1], "bob");
    auto p2 = bridge.join(*near[2], "carol");
    ASSERT_TRUE(p1 && p2);
    auto host = bridge.joinLocal("tone:1500", "file:" + dir + "/host.wav", "", "host");
    ASSERT_TRUE(host) << host.error().what;
    const auto hostStart = std::chrono::steady_clock::now();
    EXPECT_TRUE(near[1]->audioDevicesSet());

    // A re-INVITE from the host side keeps the call in the bridge.
    std::this_thread::sleep_for(500ms);
    ASSERT_TRUE(negotiate(*near[0], *far[0]));
    std::this_thread::sleep_for(1500ms);

    const auto roster = bridge.participants();
    ASSERT_EQ(roster.size(), 4u);
    EXPECT_EQ(roster[0].label, "alice");
    EXPECT_EQ(roster[3].label, "host");
    for (const auto& p : roster) {
        EXPECT_GT(p.framesIn, 50u) << p.label;
        EXPECT_GT(p.framesOut, 50u) << p.label;
        EXPECT_TRUE(p.speaking) << p.label;
        EXPECT_GT(p.levelDbfs, -30) << p.label;
    }
    EXPECT_TRUE(bridge.activeSpeaker());

    // Bob leaves: the far ends record into new files from here.
    for (int i : {0, 2})
        ASSERT_TRUE(far[i]->setAudioSink("file:" + dir + "/after" + std::to_string(i) + ".wav"));
    bridge.leave(*p1);
    const auto leftAt = std::chrono::steady_clock::now();
    const auto secondsSince = [&](auto start) {
        return std::chrono::duration<double>(leftAt - start).count() - 0.1; // up to the leave
    };
    EXPECT_FALSE(near[1]->audioDevicesSet());
    EXPECT_EQ(bridge.participants().size(), 3u);
    std::this_thread::sleep_for(1200ms);
    bridge.stop();
    for (auto& s : far)
        s->stop();
    for (auto& s : near)
        s->stop();

    for (int i = 0; i < 3; ++i) {
        std::vector<double> others{hostHz};
        for (int j = 0; j < 3; ++j)
            if (j != i) others.push_back(hz[j]);
        const auto path = dir + "/far" + std::to_string(i) + ".wav";
        EXPECT_GT(mixFraction(path, others, hz[i], secondsSince(callStart)), 0.8)
            << path << ": not every other tone, or its own";
    }
    EXPECT_GT(mixFraction(dir + "/host.wav", {hz[0], hz[1], hz[2]}, hostHz, secondsSince(hostStart)), 0.8)
        << "the host's speaker";
    // After Bob left: Alice hears Carol and the host, not Bob; Bob's far end hears silence.
    EXPECT_GT(mixFraction(dir + "/after0.wav", {hz[2], hostHz}, hz[1]), 0.8);
    EXPECT_GT(mixFraction(dir + "/after2.wav", {hz[0], hostHz}, hz[1]), 0.8);
}

TEST(ConferenceBridge, RefusesBadJoinsWithAReason)
{
    auto bad = ConferenceBridge::create({.video = false, .width = 641});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().what.find("641x360"), std::string::npos) << bad.error().what;
    auto made = ConferenceBridge::create({});
    ASSERT_TRUE(made);
    auto& bridge = **made;
    auto spec = bridge.joinLocal("bogus:1", "null", "", "host");
    ASSERT_FALSE(spec);
    EXPECT_NE(spec.error().what.find("bogus"), std::string::npos) << spec.error().what;
    auto file = bridge.joinLocal("file:/nonexistent/x.wav", "null", "", "host");
    ASSERT_FALSE(file);
    EXPECT_NE(file.error().what.find("/nonexistent/x.wav"), std::string::npos) << file.error().what;
    EXPECT_FALSE(bridge.joinLocal("silence", "null", "testsrc", "host")) << "video in an audio bridge";

    auto s = session(bridgeConfig("silence", "null", {"pcmu"}));
    ASSERT_TRUE(s);
    auto first = bridge.join(*s, "a");
    ASSERT_TRUE(first);
    EXPECT_FALSE(bridge.join(*s, "a again"));
    bridge.leave(*first);
    bridge.leave(*first); // twice: nothing
    bridge.leave(999);
    s->stop();
    auto stopped = bridge.join(*s, "stopped");
    ASSERT_FALSE(stopped);
    EXPECT_NE(stopped.error().what.find("stopped"), std::string::npos) << stopped.error().what;
    EXPECT_TRUE(bridge.participants().empty());
    bridge.stop();
    EXPECT_FALSE(bridge.joinLocal("silence", "null", "", "late"));
}

TEST(ConferenceBridge, ASessionDestroyedWithoutLeaveIsOnlyTakenOutOfTheMix)
{
    auto made = ConferenceBridge::create({});
    ASSERT_TRUE(made);
    auto& bridge = **made;
    auto a = session(bridgeConfig("silence", "null", {"pcmu"}));
    auto b = session(bridgeConfig("silence", "null", {"pcmu"}));
    ASSERT_TRUE(a && b);
    auto first = bridge.join(*a, "a");
    auto second = bridge.join(*b, "b");
    ASSERT_TRUE(first && second);
    a.reset(); // the call ended and its session went away first
    b->stop();
    b.reset();
    bridge.leave(*first); // nothing to give back: no crash, out of the mix
    EXPECT_EQ(bridge.participants().size(), 1u);
    auto c = session(bridgeConfig("silence", "null", {"pcmu"}));
    ASSERT_TRUE(c);
    ASSERT_TRUE(bridge.join(*c, "c")); // b's leftover is cleared, even if c reuses its address
    EXPECT_EQ(bridge.participants().size(), 1u);
    EXPECT_EQ(bridge.participants().front().label, "c");
    bridge.stop();
    EXPECT_FALSE(c->audioDevicesSet()) << "stop() gives a live session its devices back";
}
