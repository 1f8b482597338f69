// The conference composite encoded once per distinct encoding (issue 8, shared_video_encoder.h).
// By hand (no thread, no sockets): participants' EncodedVideoSources asked for frames as their
// video streams ask, every member's frames decoded by a decoder of its own; the encoders and
// encode calls counted (3 alike: 1 encoder; 1 H.264 + 2 VP8: 2), the lowest member bitrate
// encoded, a keyframe request from one member reaching its group and not the other, a member
// leaving or renegotiating without disturbing the rest. Then on loopback (RTP 17500-17999):
// three VP8 calls fed by one ConferenceVideo as the bridge wires them; each far end decodes the
// composite, one encoder ran, and after one call ends the other two keep decoding.
#include "engine/conference_video.h"
#include "media_engine_test_util.h"
#include "video/test_pattern.h"

#include <mutex>
#include <optional>

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

namespace {

constexpr int kW = 320, kH = 180, kFps = 15;

/// One participant as its video stream sees the conference: its source, what it asks for,
/// and a decoder for what it would send.
struct Member {
    Member(ConferenceVideo& cv, int id, VideoCodecId codec) : source(cv.sourceFor(id))
    {
        encoded = dynamic_cast<EncodedVideoSource*>(source.get());
        setCodec(codec);
    }
    void setCodec(VideoCodecId codec)
    {
        request.settings.codec = codec;
        request.settings.width = kW;
        request.settings.height = kH;
        request.settings.fps = kFps;
        request.settings.bitrateKbps = 500;
        auto d = VideoDecoder::create(codec);
        EXPECT_TRUE(d);
        if (d) decoder = std::move(*d);
    }
    /// Asks for this tick's frames and decodes them; the number decoded (-1 on any failure).
    int tick(bool keyframe = false)
    {
        request.keyframe = keyframe;
        frames.clear();
        auto ok = encoded->encoded(std::chrono::steady_clock::now(), request, frames);
        if (!ok) return -1;
        int n = 0;
        for (const auto& f : frames) {
            keyframes += f->keyframe ? 1 : 0;
            auto d = decoder->decode(f->data, picture);
            if (!d || !*d) return -1;
            ++n;
        }
        decoded += n;
        return n;
    }
    std::unique_ptr<VideoSource> source;
    EncodedVideoSource* encoded = nullptr;
    EncodeRequest request;
    std::unique_ptr<VideoDecoder> decoder;
    std::vector<SharedEncodedFrame> frames;
    VideoFrame picture;
    int decoded = 0;
    int keyframes = 0;
};

class ConferenceSharedEncoder : public ::testing::Test {
protected:
    void SetUp() override
    {
        silenceFfmpegLogs();
        for (int id = 1; id <= 4; ++id)
            cv.add(id);
    }
    /// Each participant's cell gets a fresh test pattern picture, then one composite.
    void compose()
    {
        VideoFrame f;
        for (int id = 1; id <= 4; ++id) {
            pattern.render(std::uint32_t(k * id), f);
            cv.sinkFor(id)->write(f, std::chrono::steady_clock::now());
        }
        ++k;
        // Composites 70 ms apart in capture time, so a 15 fps group takes every one.
        std::this_thread::sleep_for(70ms);
        ASSERT_TRUE(cv.composeOnce());
    }
    ConferenceVideo cv{kW, kH, kFps, VideoCompositor::Layout::Grid, {}};
    TestPattern pattern{kW, kH};
    int k = 0;
};

} // namespace

TEST_F(ConferenceSharedEncoder, ThreeAlikeShareOneEncoderAndAllDecode)
{
    std::vector<std::unique_ptr<Member>> m;
    for (int id = 1; id <= 3; ++id)
        m.push_back(std::make_unique<Member>(cv, id, VideoCodecId::Vp8));
    ASSERT_TRUE(m[0]->encoded) << "the composite source hands out encoded frames";
    constexpr int kTicks = 10;
    for (int t = 0; t < kTicks; ++t) {
        compose();
        for (auto& p : m)
            ASSERT_EQ(p->tick(t == 0), 1) << "tick " << t;
    }
    const auto s = cv.encoderStats();
    EXPECT_EQ(s.groups, 1u);
    EXPECT_EQ(s.encoders, 1u);
    EXPECT_EQ(s.encodersCreated, 1u);
    EXPECT_EQ(s.framesEncoded, std::uint64_t(kTicks)) << "one encode per composite, not one per participant";
    for (auto& p : m) {
        EXPECT_EQ(p->decoded, kTicks);
        EXPECT_EQ(p->picture.width, kW);
        EXPECT_EQ(p->frames.front().get(), m[0]->frames.front().get()) << "the same encoded frame";
    }
}

TEST_F(ConferenceSharedEncoder, DifferentCodecOrSizeGetsItsOwnEncoder)
{
    Member h264(cv, 1, VideoCodecId::H264);
    Member vp8a(cv, 2, VideoCodecId::Vp8);
    Member vp8b(cv, 3, VideoCodecId::Vp8);
    for (int t = 0; t < 6; ++t) {
        compose();
        for (auto* p : {&h264, &vp8a, &vp8b})
            ASSERT_EQ(p->tick(t == 0), 1) << "tick " << t;
    }
    auto s = cv.encoderStats();
    EXPECT_EQ(s.groups, 2u);
    EXPECT_EQ(s.encodersCreated, 2u);
    EXPECT_EQ(s.framesEncoded, 12u);
    // A smaller layer (the peer's max-fs, a low estimate) is another encoding.
    vp8b.request.settings.width = 160;
    vp8b.request.settings.height = 90;
    compose();
    EXPECT_EQ(h264.tick(), 1);
    EXPECT_EQ(vp8a.tick(), 1);
    EXPECT_EQ(vp8b.tick(), 1) << "starts in its new group at a keyframe";
    EXPECT_EQ(vp8b.picture.width, 160);
    s = cv.encoderStats();
    EXPECT_EQ(s.groups, 3u);
    EXPECT_EQ(s.encodersCreated, 3u);
}

TEST_F(ConferenceSharedEncoder, KeyframeRequestReachesTheWholeGroupOnly)
{
    Member vp8a(cv, 1, VideoCodecId::Vp8);
    Member vp8b(cv, 2, VideoCodecId::Vp8);
    Member h264(cv, 3, VideoCodecId::H264);
    for (int t = 0; t < 5; ++t) {
        compose();
        for (auto* p : {&vp8a, &vp8b, &h264})
            ASSERT_EQ(p->tick(t == 0), 1);
    }
    ASSERT_EQ(vp8a.keyframes, 1);
    ASSERT_EQ(vp8b.keyframes, 1);
    ASSERT_EQ(h264.keyframes, 1);
    // B's peer sent a PLI: its stream asks for a keyframe on its next tick.
    compose();
    ASSERT_EQ(vp8b.tick(true), 1);
    ASSERT_EQ(vp8a.tick(), 1);
    ASSERT_EQ(h264.tick(), 1);
    EXPECT_TRUE(vp8b.frames.front()->keyframe);
    EXPECT_TRUE(vp8a.frames.front()->keyframe) << "the same frame goes to every member";
    EXPECT_FALSE(h264.frames.front()->keyframe) << "another group is untouched";
    EXPECT_EQ(cv.encoderStats().keyframes, 3u);
    // And the frame after is a delta again.
    compose();
    ASSERT_EQ(vp8a.tick(), 1);
    EXPECT_FALSE(vp8a.frames.front()->keyframe);
}

TEST_F(ConferenceSharedEncoder, EveryMembersKeyframeRequestsMakeOneKeyframePerGapAndNoneIsDropped)
{
    std::vector<std::unique_ptr<Member>> m;
    for (int id = 1; id <= 4; ++id)
        m.push_back(std::make_unique<Member>(cv, id, VideoCodecId::Vp8));
    compose();
    for (auto& p : m)
        ASSERT_EQ(p->tick(true), 1);
    ASSERT_EQ(cv.encoderStats().keyframes, 1u);
    std::vector<std::chrono::steady_clock::time_point> keys{m[0]->frames.front()->captured};

    // A loss burst that every peer reports: all four ask for a keyframe on each of 12 composites
    // (at least 70 ms apart, so 840 ms or more of pictures).
    for (int t = 0; t < 12; ++t) {
        compose();
        for (auto& p : m)
            ASSERT_EQ(p->tick(true), 1) << "every member decodes every frame";
        const auto& f = m[0]->frames.front();
        for (auto& p : m)
            EXPECT_EQ(p->frames.front(), f) << "one frame for the whole group";
        if (f->keyframe) keys.push_back(f->captured);
    }
    for (std::size_t i = 1; i < keys.size(); ++i)
        EXPECT_GE(keys[i] - keys[i - 1], 300ms) << "keyframe " << i;
    // A keyframe at most every 5 composites of 70 ms: 48 requests were served by 2 or more.
    EXPECT_GE(keys.size(), 3u);
    EXPECT_LT(keys.size(), 12u);
    auto s = cv.encoderStats();
    EXPECT_EQ(s.keyframes, keys.size());
    EXPECT_GT(s.keyframesDeferred, 0u);

    // One request just after a keyframe is held, then served with nobody asking again. First the
    // gap passes (the storm's last held request may still make a keyframe on the way).
    auto lastKey = keys.back();
    for (int t = 0; t < 12; ++t) {
        compose();
        for (auto& p : m)
            ASSERT_EQ(p->tick(), 1);
        const auto& f = m[0]->frames.front();
        if (f->keyframe) lastKey = f->captured;
        if (f->captured - lastKey >= 300ms) break;
    }
    compose();
    for (auto& p : m)
        ASSERT_EQ(p->tick(true), 1);
    ASSERT_TRUE(m[0]->frames.front()->keyframe) << "a request after the gap is served at once";
    const auto last = m[0]->frames.front()->captured;
    compose();
    ASSERT_EQ(m[1]->tick(true), 1);
    EXPECT_FALSE(m[1]->frames.front()->keyframe) << "inside the gap";
    for (std::size_t i : {0u, 2u, 3u})
        ASSERT_EQ(m[i]->tick(), 1);
    std::optional<std::chrono::steady_clock::time_point> served;
    for (int t = 0; t < 6 && !served; ++t) {
        compose();
        for (auto& p : m)
            ASSERT_EQ(p->tick(), 1);
        if (m[1]->frames.front()->keyframe) served = m[1]->frames.front()->captured;
    }
    ASSERT_TRUE(served) << "the held request became a keyframe within 6 composites";
    EXPECT_GE(*served - last, 300ms);
}

TEST_F(ConferenceSharedEncoder, LeavingOrRenegotiatingDisturbsNoOne)
{
    auto a = std::make_unique<Member>(cv, 1, VideoCodecId::Vp8);
    auto b = std::make_unique<Member>(cv, 2, VideoCodecId::Vp8);
    auto c = std::make_unique<Member>(cv, 3, VideoCodecId::H264);
    for (int t = 0; t < 4; ++t) {
        compose();
        for (auto* p : {a.get(), b.get(), c.get()})
            ASSERT_EQ(p->tick(t == 0), 1);
    }
    // B leaves (its call ends): A keeps decoding deltas.
    b.reset();
    cv.remove(2);
    for (int t = 0; t < 3; ++t) {
        compose();
        ASSERT_EQ(a->tick(), 1);
        ASSERT_EQ(c->tick(), 1);
    }
    EXPECT_EQ(a->keyframes, 1) << "no keyframe forced on those who stay";
    EXPECT_EQ(cv.encoderStats().groups, 2u);
    // C renegotiates to VP8: it joins A's group (a keyframe for both), and its H.264 encoder goes.
    c->setCodec(VideoCodecId::Vp8);
    compose();
    ASSERT_EQ(c->tick(true), 1);
    ASSERT_EQ(a->tick(), 1);
    EXPECT_TRUE(c->frames.front()->keyframe);
    auto s = cv.encoderStats();
    EXPECT_EQ(s.groups, 1u);
    EXPECT_EQ(s.encoders, 1u);
    // A falls behind (its thread stalled for two composites): it gets both, in order.
    compose();
    ASSERT_EQ(c->tick(), 1);
    compose();
    ASSERT_EQ(c->tick(), 1);
    EXPECT_EQ(a->tick(), 2);
    // The last member leaving ends the group and its encoder.
    a.reset();
    c.reset();
    s = cv.encoderStats();
    EXPECT_EQ(s.groups, 0u);
    EXPECT_EQ(s.encoders, 0u);
}

TEST_F(ConferenceSharedEncoder, AGroupBelowTheCompositeRateSkipsPicturesTheOthersDoNot)
{
    Member full(cv, 1, VideoCodecId::Vp8);
    Member slow(cv, 2, VideoCodecId::Vp8);
    slow.request.settings.fps = 4; // the peer's max-fr: a group of its own
    for (int t = 0; t < 8; ++t) {
        compose();
        ASSERT_EQ(full.tick(t == 0), 1) << "tick " << t;
        ASSERT_GE(slow.tick(t == 0), 0) << "tick " << t;
    }
    EXPECT_EQ(full.decoded, 8);
    EXPECT_GE(slow.decoded, 1);
    EXPECT_LT(slow.decoded, full.decoded) << "composites >= 70 ms apart, a 4 fps group every 250 ms";
    EXPECT_EQ(cv.encoderStats().groups, 2u);
}

TEST_F(ConferenceSharedEncoder, TheGroupEncodesAtItsMembersLowestBitrate)
{
    Member a(cv, 1, VideoCodecId::H264);
    Member b(cv, 2, VideoCodecId::H264);
    Member c(cv, 3, VideoCodecId::H264);
    a.request.settings.bitrateKbps = 900;
    b.request.settings.bitrateKbps = 900;
    c.request.settings.bitrateKbps = 900;
    compose();
    for (auto* p : {&a, &b, &c})
        ASSERT_EQ(p->tick(true), 1);
    auto s = cv.encoderStats();
    ASSERT_EQ(s.each.size(), 1u);
    EXPECT_EQ(s.each[0].members, 3u);
    EXPECT_EQ(s.each[0].bitrateKbps, 900);
    // C's congestion feedback lowers its target: the group follows on its next frame.
    c.request.settings.bitrateKbps = 400;
    for (int t = 0; t < 2; ++t) {
        compose();
        for (auto* p : {&c, &a, &b})
            ASSERT_EQ(p->tick(), 1);
    }
    s = cv.encoderStats();
    ASSERT_EQ(s.each.size(), 1u);
    EXPECT_EQ(s.each[0].bitrateKbps, 400);
    EXPECT_EQ(s.encodersCreated, 1u) << "H.264 retunes in place";
    // C leaves: the others' 900 again.
    {
        auto gone = std::move(c.source);
    }
    compose();
    ASSERT_EQ(a.tick(), 1);
    EXPECT_EQ(cv.encoderStats().each[0].bitrateKbps, 900);
    EXPECT_EQ(cv.encoderStats().each[0].members, 2u);
}

// ---- on loopback, through real calls ----

namespace {

struct Seen {
    std::mutex mutex;
    int frames = 0;
    int width = 0;
};

class CountSink final : public VideoSink {
public:
    explicit CountSink(std::shared_ptr<Seen> seen) : seen_(std::move(seen)) {}
    void write(const VideoFrame& frame, std::chrono::steady_clock::time_point) override
    {
        std::lock_guard lock(seen_->mutex);
        ++seen_->frames;
        seen_->width = frame.width;
    }

private:
    std::shared_ptr<Seen> seen_;
};

MediaConfig videoConfig(std::shared_ptr<Seen> seen = nullptr)
{
    auto c = config("silence", "null", {"pcmu"});
    c.rtpPorts = PortRange{17500, 17999};
    c.videoSource = "testsrc:320x180@15";
    c.videoCodecs = {"vp8"};
    c.rtcpMinimumInterval = 500ms;
    if (seen) {
        c.videoSinkFactory = [seen]() -> MediaResult<std::unique_ptr<VideoSink>> {
            return std::unique_ptr<VideoSink>(std::make_unique<CountSink>(seen));
        };
    }
    return c;
}

int framesOf(const std::shared_ptr<Seen>& s)
{
    std::lock_guard lock(s->mutex);
    return s->frames;
}

} // namespace

TEST(ConferenceSharedEncoderCalls, ThreeVp8CallsOneEncoderEachFarEndDecodes)
{
    silenceFfmpegLogs();
    auto cv = std::make_shared<ConferenceVideo>(kW, kH, kFps, VideoCompositor::Layout::Grid,
                                                std::function<std::optional<int>()>{});
    ASSERT_TRUE(cv->start());
    std::vector<std::shared_ptr<Seen>> seen;
    std::vector<std::unique_ptr<MediaSession>> far, near;
    for (int id = 1; id <= 3; ++id) {
        seen.push_back(std::make_shared<Seen>());
        far.push_back(session(videoConfig(seen.back())));
        near.push_back(session(videoConfig()));
        ASSERT_TRUE(far.back() && near.back());
        cv->add(id);
        // As ConferenceBridge::join() wires a participant.
        ASSERT_TRUE(near.back()->setVideoDevices(
            [cv, id](const VideoSourceSpec&) -> MediaResult<std::unique_ptr<VideoSource>> {
                return cv->sourceFor(id);
            },
            [cv, id]() -> MediaResult<std::unique_ptr<VideoSink>> { return cv->sinkFor(id); }));
        ASSERT_TRUE(negotiate(*far.back(), *near.back()));
    }
    EXPECT_TRUE(waitFor(
        [&] {
            return std::all_of(seen.begin(), seen.end(), [](const auto& s) { return framesOf(s) >= 20; });
        },
        10s))
        << framesOf(seen[0]) << " " << framesOf(seen[1]) << " " << framesOf(seen[2]);
    for (const auto& s : seen)
        EXPECT_EQ(s->width, kW);
    const auto st = cv->encoderStats();
    EXPECT_EQ(st.encoders, 1u);
    EXPECT_EQ(st.encodersCreated, 1u);
    // Every stream sent frames it did not encode: three streams' frames, one encode each.
    std::uint64_t sent = 0;
    for (const auto& n : near) {
        for (const auto& stream : n->stats()) {
            if (stream.type == "video") sent += stream.video.framesEncoded;
        }
    }
    EXPECT_GE(sent, 60u);
    EXPECT_LT(st.framesEncoded, sent / 2) << "encodes " << st.framesEncoded << ", frames sent " << sent;
    // One call ends: the two others keep decoding.
    near[1]->stop();
    far[1]->stop();
    const int a = framesOf(seen[0]), c = framesOf(seen[2]);
    EXPECT_TRUE(waitFor([&] { return framesOf(seen[0]) > a + 10 && framesOf(seen[2]) > c + 10; }, 5s));
    cv->stop();
    for (auto* s : {near[0].get(), near[2].get(), far[0].get(), far[2].get()})
        s->stop();
}
