// ConferenceHost (the bridge with the host joined and the roster figures vphone-cli and the app
// show) with real MediaSessions on loopback (RTP 16200-16399): rows come host first then in
// joining order with codec, level, speaking and frame counts; a participant who leaves keeps the
// figures it had and is marked not connected; stop() freezes everyone's; bad host devices and
// joins after stop() are refused with a reason; the app's camera factory makes the host's picture.
#include "engine/conference_host.h"
#include "media_engine_test_util.h"

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

namespace {

MediaConfig hostConfig(std::string source, std::string sink, std::vector<std::string> codecs)
{
    auto c = config(std::move(source), std::move(sink), std::move(codecs));
    c.rtpPorts = PortRange{16200, 16399};
    return c;
}

ConferenceHost::Options hostOptions(std::string source)
{
    ConferenceHost::Options o;
    o.audioSource = std::move(source);
    o.audioSink = "null";
    o.hostLabel = "sip:host@127.0.0.1";
    return o;
}

} // namespace

TEST(ConferenceHost, RowsComeHostFirstAndKeepTheFiguresOfThoseWhoLeft)
{
    auto made = ConferenceHost::start(hostOptions("tone:1500"));
    ASSERT_TRUE(made) << made.error().what;
    auto& host = **made;
    ASSERT_TRUE(host.running());
    auto farA = session(hostConfig("tone:440", "null", {"opus"}));
    auto nearA = session(hostConfig("silence", "null", {"opus"}));
    auto farB = session(hostConfig("tone:700", "null", {"pcmu"}));
    auto nearB = session(hostConfig("silence", "null", {"pcmu"}));
    ASSERT_TRUE(farA && nearA && farB && nearB);
    ASSERT_TRUE(negotiate(*farA, *nearA));
    ASSERT_TRUE(negotiate(*farB, *nearB));
    auto a = host.join(*nearA, "alice");
    auto b = host.join(*nearB, "bob");
    ASSERT_TRUE(a && b) << (a ? b.error().what : a.error().what);
    EXPECT_TRUE(nearA->audioDevicesSet());
    EXPECT_FALSE(host.join(*nearA, "alice again")) << "a session joins once";

    // Everyone's sound reaches the mixer.
    ASSERT_TRUE(waitFor(
        [&] {
            auto rows = host.rows();
            return std::all_of(rows.begin(), rows.end(), [](const auto& r) {
                return r.speaking && r.framesIn > 50 && r.framesOut > 50;
            });
        },
        10s));
    auto rows = host.rows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[0].host);
    EXPECT_EQ(rows[0].id, host.hostId());
    EXPECT_EQ(rows[0].label, "sip:host@127.0.0.1");
    EXPECT_EQ(rows[0].codec, "pcm");
    EXPECT_EQ(rows[1].label, "alice");
    EXPECT_EQ(rows[1].codec, "opus");
    EXPECT_EQ(rows[2].label, "bob");
    EXPECT_EQ(rows[2].codec, "pcmu");
    for (const auto& r : rows) {
        EXPECT_TRUE(r.connected) << r.label;
        EXPECT_TRUE(r.measured) << r.label;
        EXPECT_GT(r.levelDbfs, -30) << r.label;
    }
    EXPECT_FALSE(rows[1].host);
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.activeSpeaker; }), 1)
        << "one active speaker among three tones";

    // Bob leaves: out of the mix with his own devices back, his figures frozen.
    host.leave(*b);
    EXPECT_FALSE(nearB->audioDevicesSet());
    const auto left = host.row(*b);
    ASSERT_TRUE(left);
    EXPECT_FALSE(left->connected);
    EXPECT_TRUE(left->measured);
    EXPECT_GT(left->framesIn, 50u);
    host.leave(*b);            // twice: nothing
    host.leave(host.hostId()); // the host cannot leave: nothing
    host.leave(999);           // unknown: nothing
    const auto aliceBefore = host.row(*a)->framesIn;
    ASSERT_TRUE(waitFor([&] { return host.row(*a)->framesIn > aliceBefore + 10; }));
    const auto later = host.row(*b);
    EXPECT_EQ(later->framesIn, left->framesIn) << "a participant who left keeps its last figures";
    EXPECT_EQ(later->framesOut, left->framesOut);
    EXPECT_EQ(host.bridge().participants().size(), 2u);

    // The conference ends: everyone keeps the flag and figures of that moment.
    host.stop();
    EXPECT_FALSE(host.running());
    EXPECT_FALSE(nearA->audioDevicesSet()) << "stop() gives a live session its devices back";
    const auto final = host.rows();
    ASSERT_EQ(final.size(), 3u);
    EXPECT_TRUE(final[0].connected);
    EXPECT_TRUE(final[1].connected);
    EXPECT_FALSE(final[2].connected);
    EXPECT_EQ(host.rows()[1].framesIn, final[1].framesIn);
    EXPECT_FALSE(host.activeSpeaker());
    auto late = host.join(*nearB, "bob again");
    ASSERT_FALSE(late);
    EXPECT_NE(late.error().what.find("stopped"), std::string::npos) << late.error().what;
    host.stop(); // idempotent
    for (auto* s : {farA.get(), nearA.get(), farB.get(), nearB.get()})
        s->stop();
}

TEST(ConferenceHost, RefusesBadHostDevicesAndPicturesWithAReason)
{
    auto spec = ConferenceHost::start(hostOptions("bogus:1"));
    ASSERT_FALSE(spec);
    EXPECT_NE(spec.error().what.find("bogus"), std::string::npos) << spec.error().what;
    auto file = ConferenceHost::start(hostOptions("file:/nonexistent/x.wav"));
    ASSERT_FALSE(file);
    EXPECT_NE(file.error().what.find("/nonexistent/x.wav"), std::string::npos) << file.error().what;
    auto o = hostOptions("silence");
    o.bridge.width = 641;
    auto size = ConferenceHost::start(o);
    ASSERT_FALSE(size);
    EXPECT_NE(size.error().what.find("641x360"), std::string::npos) << size.error().what;
    o = hostOptions("silence");
    o.videoSource = "testsrc:320x180@15";
    EXPECT_FALSE(ConferenceHost::start(o)) << "a host camera in an audio-only conference";
    o.bridge.video = true;
    o.bridge.width = 320;
    o.bridge.height = 180;
    o.bridge.fps = 15;
    auto video = ConferenceHost::start(o);
    ASSERT_TRUE(video) << video.error().what;
    ASSERT_NE((*video)->bridge().video(), nullptr);
    EXPECT_EQ((*video)->rows().size(), 1u);
}

TEST(ConferenceHost, ASessionDestroyedWithoutLeaveKeepsItsLastFiguresAsDisconnected)
{
    auto made = ConferenceHost::start(hostOptions("silence"));
    ASSERT_TRUE(made);
    auto& host = **made;
    auto a = session(hostConfig("silence", "null", {"pcmu"}));
    ASSERT_TRUE(a);
    auto first = host.join(*a, "a");
    ASSERT_TRUE(first);
    EXPECT_TRUE(host.row(*first)->measured);
    a->stop();
    a.reset(); // the call ended and its session went away before leave()
    auto c = session(hostConfig("silence", "null", {"pcmu"}));
    ASSERT_TRUE(c);
    auto third = host.join(*c, "c");
    ASSERT_TRUE(third);
    const auto rows = host.rows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].label, "a");
    EXPECT_FALSE(rows[1].connected);
    EXPECT_TRUE(rows[2].connected);
    host.leave(*first); // nothing to give back: no crash
    host.stop();
    EXPECT_FALSE(c->audioDevicesSet());
}

TEST(ConferenceHost, TheHostCameraComesFromTheAppsFactoryWhenOneIsGiven)
{
    auto o = hostOptions("silence");
    o.bridge.video = true;
    o.bridge.width = 320;
    o.bridge.height = 180;
    o.bridge.fps = 15;
    o.videoSource = "device:Front camera";
    std::vector<VideoSourceSpec> asked;
    o.videoSourceFactory =
        [&asked](const VideoSourceSpec& spec) -> MediaResult<std::unique_ptr<VideoSource>> {
        asked.push_back(spec);
        return makeVideoSource(*parseVideoSourceSpec("testsrc:320x180@15"));
    };
    auto made = ConferenceHost::start(o);
    ASSERT_TRUE(made) << made.error().what;
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0].kind, VideoSourceSpec::Kind::Device);
    EXPECT_EQ(asked[0].device, "Front camera");
    auto* video = (*made)->bridge().video();
    ASSERT_NE(video, nullptr);
    // The host's cell shows the factory's pattern: the composite is no longer all dark.
    ASSERT_TRUE(waitFor([&] {
        const VideoFrame f = video->latest();
        if (f.width == 0) return false;
        const auto luma = f.data.begin() + static_cast<std::ptrdiff_t>(f.width) * f.height;
        return std::any_of(f.data.begin(), luma, [](std::uint8_t v) { return v > 40; });
    })) << "no host picture in the composite";
    (*made)->stop();

    o.videoSourceFactory = [](const VideoSourceSpec&) -> MediaResult<std::unique_ptr<VideoSource>> {
        return mediaError("camera: no camera found");
    };
    auto refused = ConferenceHost::start(o);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().what.find("no camera found"), std::string::npos) << refused.error().what;
    o.bridge.video = false;
    EXPECT_FALSE(ConferenceHost::start(o)) << "a camera in an audio-only conference";
}
