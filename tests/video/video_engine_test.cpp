// Video through the media engine: two MediaSessions on loopback (RTP ports 11700-11799) send the
// test pattern to each other; the receiving sink reads each frame's barcode back, so the tests
// count frames that arrived whole, in order, at what size. A lossy relay of our own (a thread
// forwarding UDP between the two sessions, dropping what the test says) shows NACK
// retransmission and PLI keyframe recovery. Real time, bounded waits; no timing is asserted
// beyond "recovers within one second", which is the requirement.
#include "engine/media_session.h"
#include "video/test_pattern.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace vphone::media {
namespace {

using Clock = std::chrono::steady_clock;
constexpr PortRange kPorts{11700, 11799};

/// What a receiving sink saw: one entry per frame shown.
struct Seen {
    std::uint32_t counter = 0;
    bool read = false;
    int width = 0;
    int height = 0;
    Clock::time_point at;
};

struct Recorder {
    std::mutex mutex;
    std::vector<Seen> frames;
    std::vector<Seen> snapshot()
    {
        std::lock_guard lock(mutex);
        return frames;
    }
    std::size_t readable()
    {
        std::lock_guard lock(mutex);
        return std::size_t(std::count_if(frames.begin(), frames.end(), [](const Seen& s) { return s.read; }));
    }
};

class RecordingSink final : public VideoSink {
public:
    explicit RecordingSink(std::shared_ptr<Recorder> r) : r_(std::move(r)) {}
    void write(const VideoFrame& frame, Clock::time_point now) override
    {
        Seen s;
        const auto c = readFrameCounter(frame);
        s.read = c.has_value();
        s.counter = c.value_or(0);
        s.width = frame.width;
        s.height = frame.height;
        s.at = now;
        std::lock_guard lock(r_->mutex);
        r_->frames.push_back(s);
    }

private:
    std::shared_ptr<Recorder> r_;
};

MediaConfig videoConfig(const std::string& source, const std::shared_ptr<Recorder>& recorder,
                        std::vector<std::string> codecs = {"h264", "vp8"})
{
    MediaConfig c;
    c.rtpPorts = kPorts;
    c.localAddresses = {"127.0.0.1"};
    c.codecs = {"opus", "telephone-event"};
    c.videoSource = source;
    c.videoCodecs = std::move(codecs);
    c.rtcpMinimumInterval = std::chrono::milliseconds{500};
    if (recorder)
        c.videoSinkFactory = [recorder] {
            return MediaResult<std::unique_ptr<VideoSink>>(std::make_unique<RecordingSink>(recorder));
        };
    return c;
}

std::unique_ptr<MediaSession> make(MediaConfig c)
{
    auto made = MediaSession::create(std::move(c));
    EXPECT_TRUE(made) << (made ? "" : made.error().what);
    return made ? std::move(*made) : nullptr;
}

std::optional<StreamStats> videoStats(const MediaSession& s)
{
    for (auto& st : s.stats()) {
        if (st.type == "video") return st;
    }
    return std::nullopt;
}

bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds limit)
{
    const auto end = Clock::now() + limit;
    while (Clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    return done();
}

/// The video port of an SDP, and the SDP with it replaced (no std::regex: GCC 12 -O2 with ASan
/// warns inside <regex>).
std::uint16_t videoPort(const std::string& sdp)
{
    const auto at = sdp.find("m=video ");
    return at == std::string::npos ? 0 : static_cast<std::uint16_t>(std::stoi(sdp.substr(at + 8)));
}
std::string withVideoPort(std::string sdp, std::uint16_t port)
{
    const auto at = sdp.find("m=video ");
    if (at == std::string::npos) return sdp;
    const auto end = sdp.find(' ', at + 8);
    return sdp.replace(at + 8, end - (at + 8), std::to_string(port));
}
/// The SDP without the line `line` (CRLF-terminated), if present.
std::string withoutLine(std::string sdp, const std::string& line)
{
    if (const auto at = sdp.find(line + "\r\n"); at != std::string::npos) sdp.erase(at, line.size() + 2);
    return sdp;
}

/// Forwards UDP between two loopback endpoints through two sockets of its own, dropping the
/// datagrams `drop` says (direction 0: towards `b`, 1: towards `a`); `drop` may also rewrite the
/// datagram it is shown (the bad-input test corrupts payloads). Stops when destroyed.
class LossyRelay {
public:
    using Drop = std::function<bool(int direction, std::span<std::uint8_t> datagram)>;
    LossyRelay()
    {
        for (int i = 0; i < 2; ++i) {
            fd_[i] = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            sockaddr_in sa{};
            sa.sin_family = AF_INET;
            sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            for (std::uint16_t p = 11790 + i * 4; p < 11800; ++p) {
                sa.sin_port = htons(p);
                if (::bind(fd_[i], reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
                    port_[i] = p;
                    break;
                }
            }
        }
    }
    ~LossyRelay()
    {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        for (int fd : fd_)
            ::close(fd);
    }
    /// Port `a` must send to (it reaches b), and the one b must send to.
    std::uint16_t portForA() const { return port_[0]; }
    std::uint16_t portForB() const { return port_[1]; }
    void start(std::uint16_t aPort, std::uint16_t bPort, Drop drop)
    {
        drop_ = std::move(drop);
        thread_ = std::thread([this, aPort, bPort] { run(aPort, bPort); });
    }
    std::uint64_t dropped() const { return dropped_; }

private:
    void run(std::uint16_t aPort, std::uint16_t bPort)
    {
        std::vector<std::uint8_t> buf(4096);
        const auto end = Clock::now() + std::chrono::seconds{60}; // bounded whatever happens
        while (!stop_ && Clock::now() < end) {
            pollfd p[2] = {{fd_[0], POLLIN, 0}, {fd_[1], POLLIN, 0}};
            if (::poll(p, 2, 20) <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                if (!(p[i].revents & POLLIN)) continue;
                const auto n = ::recv(fd_[i], buf.data(), buf.size(), 0);
                if (n <= 0) continue;
                // From a (on socket 0) to b, sent from socket 1 so b latches onto it; and back.
                const int direction = i;
                if (drop_ && drop_(direction, std::span<std::uint8_t>(buf.data(), std::size_t(n)))) {
                    ++dropped_;
                    continue;
                }
                sockaddr_in to{};
                to.sin_family = AF_INET;
                to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                to.sin_port = htons(i == 0 ? bPort : aPort);
                ::sendto(fd_[1 - i], buf.data(), std::size_t(n), 0, reinterpret_cast<sockaddr*>(&to),
                         sizeof to);
            }
        }
    }
    int fd_[2] = {-1, -1};
    std::uint16_t port_[2] = {0, 0};
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> dropped_{0};
    Drop drop_;
};

bool isRtp(std::span<const std::uint8_t> d)
{
    return d.size() >= 12 && (d[0] & 0xc0) == 0x80 && !(d[1] >= 192 && d[1] <= 223);
}

/// Longest time between two consecutive frames shown with a readable barcode, after `from`.
std::chrono::milliseconds longestGap(const std::vector<Seen>& frames, Clock::time_point from)
{
    std::optional<Clock::time_point> last;
    std::chrono::milliseconds worst{0};
    for (const auto& f : frames) {
        if (!f.read || f.at < from) continue;
        if (last)
            worst = std::max(worst, std::chrono::duration_cast<std::chrono::milliseconds>(f.at - *last));
        last = f.at;
    }
    return worst;
}

class VideoCall : public ::testing::TestWithParam<std::string> {};

TEST_P(VideoCall, BothSidesDecodeThePatternAtTheSentSizeWithSrtp)
{
    const std::string codec = GetParam();
    auto seenByA = std::make_shared<Recorder>();
    auto seenByB = std::make_shared<Recorder>();
    auto ca = videoConfig("testsrc:320x180@30", seenByA, {codec});
    auto cb = videoConfig("testsrc:320x180@30", seenByB, {codec});
    ca.srtp = cb.srtp = sdp::SrtpPolicy::Mandatory;
    auto a = make(ca);
    auto b = make(cb);
    ASSERT_TRUE(a && b);
    auto offer = a->createOffer();
    ASSERT_TRUE(offer) << offer.error().what;
    EXPECT_NE(offer->find("m=video"), std::string::npos);
    EXPECT_NE(offer->find("a=rtcp-fb:* nack pli"), std::string::npos);
    auto answer = b->answer(*offer);
    ASSERT_TRUE(answer) << answer.error().what;
    ASSERT_TRUE(a->applyAnswer(*answer));
    const auto start = Clock::now();
    // 3 s of 30 fps: at least 80 % of the frames shown, counters increasing.
    ASSERT_TRUE(waitFor([&] { return seenByB->readable() >= 72 && seenByA->readable() >= 72; },
                        std::chrono::seconds{8}));
    std::this_thread::sleep_for(std::chrono::seconds{3} - (Clock::now() - start));
    for (auto* r : {seenByA.get(), seenByB.get()}) {
        const auto frames = r->snapshot();
        ASSERT_FALSE(frames.empty());
        EXPECT_EQ(frames.back().width, 320);
        EXPECT_EQ(frames.back().height, 180);
        std::uint32_t last = 0;
        std::size_t ordered = 0;
        for (const auto& f : frames) {
            if (f.read && f.counter >= last) ++ordered;
            if (f.read) last = f.counter;
        }
        EXPECT_GE(ordered, frames.size() * 95 / 100);
    }
    const auto vs = videoStats(*b);
    ASSERT_TRUE(vs);
    EXPECT_EQ(vs->codec, codec);
    EXPECT_TRUE(vs->srtpSuite.has_value());
    EXPECT_GE(vs->video.framesDecoded, 72u);
    EXPECT_GE(vs->video.keyframes, 1u);
    EXPECT_EQ(vs->srtpAuthFailures, 0u);
    // Each side sends its delay-based estimate (REMB, both offered goog-remb) and hears the other's.
    EXPECT_GE(vs->video.rembSent, 1u);
    EXPECT_GE(vs->video.rembReceived, 1u);
    // Lip sync: both streams' sender reports arrived, and frames are shown with their sound.
    ASSERT_TRUE(vs->video.avSyncMs.has_value());
    std::cout << "[ lip sync ] video shown " << *vs->video.avSyncMs << " ms after its audio (held "
              << vs->video.syncDelayMs << " ms)\n";
    // Without lip sync the video would show ~40 ms (the audio jitter buffer) before its sound;
    // with it, never more than 20 ms early. Late is bounded loosely: a loaded machine (ASan, CI)
    // may wake the video thread late.
    EXPECT_GT(*vs->video.avSyncMs, -20.0);
    EXPECT_LT(*vs->video.avSyncMs, 150.0);
    a->stop();
    b->stop();
}

INSTANTIATE_TEST_SUITE_P(Codecs, VideoCall, ::testing::Values("h264", "vp8"));

/// Sets up a -> relay -> b for video (audio goes direct), both sending the pattern.
struct RelayedCall {
    std::shared_ptr<Recorder> seenByB = std::make_shared<Recorder>();
    std::unique_ptr<MediaSession> a, b;
    LossyRelay relay;
    ::testing::AssertionResult start(const std::string& codec, LossyRelay::Drop drop,
                                     const std::vector<std::string>& feedbackToRemove = {},
                                     const std::string& sourceOfA = "testsrc:320x180@30")
    {
        a = make(videoConfig(sourceOfA, nullptr, {codec}));
        b = make(videoConfig("testsrc:320x180@30", seenByB, {codec}));
        if (!a || !b) return ::testing::AssertionFailure() << "sessions";
        auto offer = a->createOffer();
        if (!offer) return ::testing::AssertionFailure() << offer.error().what;
        const auto aPort = videoPort(*offer);
        std::string o = withVideoPort(*offer, relay.portForB());
        for (const auto& fb : feedbackToRemove)
            o = withoutLine(o, "a=rtcp-fb:* " + fb);
        auto answer = b->answer(o);
        if (!answer) return ::testing::AssertionFailure() << answer.error().what;
        const auto bPort = videoPort(*answer);
        relay.start(aPort, bPort, std::move(drop));
        auto applied = a->applyAnswer(withVideoPort(*answer, relay.portForA()));
        if (!applied) return ::testing::AssertionFailure() << applied.error().what;
        return ::testing::AssertionSuccess();
    }
};

TEST(VideoLoss, NackRetransmissionKeepsDecodingWholeUnderRandomLoss)
{
    RelayedCall call;
    std::atomic<bool> lossy{false};
    std::uint32_t n = 0;
    // 10 % of a's video RTP towards b lost while `lossy`; feedback and b's media pass.
    ASSERT_TRUE(call.start("h264", [&](int direction, std::span<std::uint8_t> d) {
        return direction == 0 && lossy && isRtp(d) && (++n % 10) == 7;
    }));
    ASSERT_TRUE(waitFor([&] { return call.seenByB->readable() >= 15; }, std::chrono::seconds{5}));
    const auto lossStart = Clock::now();
    lossy = true;
    std::this_thread::sleep_for(std::chrono::seconds{3});
    lossy = false;
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    const auto frames = call.seenByB->snapshot();
    const auto during = std::count_if(frames.begin(), frames.end(), [&](const Seen& s) {
        return s.read && s.at >= lossStart && s.at < lossStart + std::chrono::seconds{3};
    });
    const auto as = videoStats(*call.a);
    const auto bs = videoStats(*call.b);
    ASSERT_TRUE(as && bs);
    std::cout << "[ loss 10% ] relay dropped " << call.relay.dropped() << ", b asked " << bs->video.nack
              << " NACKs, a retransmitted " << as->video.retransmitted << ", b showed " << during
              << " frames in 3 s, longest gap " << longestGap(frames, lossStart).count() << " ms, PLIs "
              << bs->video.pli << "\n";
    EXPECT_GE(call.relay.dropped(), 5u);
    EXPECT_GT(bs->video.nack, 0u);
    EXPECT_GT(as->video.retransmitted, 0u);
    EXPECT_GE(during, 72); // 80 % of 90 frames despite the loss
    EXPECT_LT(longestGap(frames, lossStart), std::chrono::milliseconds{1000});
}

TEST(VideoLoss, PliBringsAKeyframeWithinOneSecondWhenRetransmissionCannotHelp)
{
    RelayedCall call;
    std::atomic<bool> blackout{false};
    // Without "nack" in the offer b cannot ask for packets again: a 300 ms blackout of a's video
    // breaks the reference chain and only a keyframe (asked by PLI) repairs it.
    ASSERT_TRUE(call.start(
        "vp8",
        [&](int direction, std::span<std::uint8_t> d) { return direction == 0 && blackout && isRtp(d); },
        {"nack"}));
    ASSERT_TRUE(waitFor([&] { return call.seenByB->readable() >= 15; }, std::chrono::seconds{5}));
    blackout = true;
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    blackout = false;
    const auto restored = Clock::now();
    ASSERT_TRUE(waitFor(
        [&] {
            const auto f = call.seenByB->snapshot();
            return std::count_if(f.begin(), f.end(),
                                 [&](const Seen& s) { return s.read && s.at > restored; }) >= 5;
        },
        std::chrono::seconds{3}));
    const auto frames = call.seenByB->snapshot();
    const auto first =
        std::find_if(frames.begin(), frames.end(), [&](const Seen& s) { return s.read && s.at > restored; });
    ASSERT_NE(first, frames.end());
    const auto recovery = std::chrono::duration_cast<std::chrono::milliseconds>(first->at - restored);
    const auto as = videoStats(*call.a);
    const auto bs = videoStats(*call.b);
    ASSERT_TRUE(as && bs);
    std::cout << "[ blackout 300 ms ] recovered in " << recovery.count() << " ms; b sent " << bs->video.pli
              << " PLI, a got " << as->video.pliReceived << ", keyframes sent " << as->video.keyframesSent
              << ", b skipped " << bs->video.framesSkipped << " delta frames\n";
    EXPECT_LT(recovery, std::chrono::milliseconds{1000});
    EXPECT_GT(bs->video.pli, 0u);
    EXPECT_GT(as->video.pliReceived, 0u);
    EXPECT_GE(as->video.keyframesSent, 2u);
    EXPECT_EQ(bs->video.nack, 0u);
}

TEST(VideoRate, LossReportedByTheReceiverLowersTheBitrateThenTheResolution)
{
    // 20 % of a's video lost on the way and no NACK (removed from the offer), so b's receiver
    // reports show the loss; a's estimate must fall below what 640x360@30 needs and the layer step
    // down. 640x360 noise-free pattern at the default start (the 2500 kbit/s maximum).
    RelayedCall call;
    std::atomic<bool> lossy{false};
    std::uint32_t n = 0;
    ASSERT_TRUE(call.start(
        "vp8",
        [&](int direction, std::span<std::uint8_t> d) {
            return direction == 0 && lossy && isRtp(d) && (++n % 5) == 2;
        },
        {"nack"}, "testsrc:640x360@30"));
    ASSERT_TRUE(waitFor([&] { return call.seenByB->readable() >= 15; }, std::chrono::seconds{5}));
    const auto before = videoStats(*call.a);
    ASSERT_TRUE(before);
    lossy = true;
    const bool stepped = waitFor(
        [&] {
            const auto s = videoStats(*call.a);
            return s && s->video.sentWidth > 0 && s->video.sentWidth < 640;
        },
        std::chrono::seconds{25}); // from the 2500 kbit/s start: ~19 cuts of 10 %, one per report
    lossy = false;
    const auto after = videoStats(*call.a);
    ASSERT_TRUE(after);
    std::cout << "[ rate ] target " << before->video.targetKbps << " -> " << after->video.targetKbps
              << " kbit/s, sending " << after->video.sentWidth << "x" << after->video.sentHeight << " at "
              << after->video.fpsSent << " fps; b shows " << videoStats(*call.b)->video.width << "x"
              << videoStats(*call.b)->video.height << "\n";
    EXPECT_TRUE(stepped);
    EXPECT_LT(after->video.targetKbps, before->video.targetKbps);
    EXPECT_LT(after->video.sentWidth, 640);
}

// Payloads that lie, written into a's real packets on their way to b (plain RTP so the relay can
// touch them): b drops and counts them, asks for a keyframe, and keeps showing frames.
class VideoBadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(VideoBadInput, MalformedPayloadsAreDroppedCountedAndRecoveredFrom)
{
    const std::string codec = GetParam();
    RelayedCall call;
    std::atomic<bool> corrupt{false};
    std::atomic<int> corrupted{0};
    std::uint32_t n = 0;
    ASSERT_TRUE(call.start(codec, [&](int direction, std::span<std::uint8_t> d) {
        if (direction != 0 || !corrupt || !isRtp(d) || d.size() < 16 || (++n % 7) != 3) return false;
        std::uint8_t* p = d.data() + 12; // no CSRCs or extensions in our packets
        const std::size_t len = d.size() - 12;
        switch (corrupted++ % 4) {
        case 0: // H.264: an FU-A middle fragment with no start; VP8: X bit set, extension missing
            if (codec == "h264") {
                p[0] = 28 | 0x60;
                p[1] = 5; // S=0 E=0 type 5
            } else {
                p[0] = 0x80;
                std::fill(p + 1, p + len, std::uint8_t{0xff});
            }
            break;
        case 1: // H.264: STAP-A whose first length runs past the end; VP8: descriptor only
            if (codec == "h264") {
                p[0] = 24;
                p[1] = 0xff;
                p[2] = 0xff;
            } else {
                p[0] = 0x90;
                p[1] = 0x80;
                p[2] = 0x80; // 15-bit picture id: then nothing
                return false;
            }
            break;
        case 2: // a reserved NAL type (H.264) / a descriptor that ends inside the picture id (VP8)
            p[0] = codec == "h264" ? 30 : 0x90;
            if (codec != "h264") p[1] = 0x80;
            break;
        default: // random bytes
            for (std::size_t i = 0; i < len; ++i)
                p[i] = static_cast<std::uint8_t>(i * 131 + n);
            break;
        }
        return false;
    }));
    ASSERT_TRUE(waitFor([&] { return call.seenByB->readable() >= 15; }, std::chrono::seconds{5}));
    corrupt = true;
    std::this_thread::sleep_for(std::chrono::seconds{2});
    corrupt = false;
    const auto restored = Clock::now();
    ASSERT_TRUE(waitFor(
        [&] {
            const auto f = call.seenByB->snapshot();
            return std::count_if(f.begin(), f.end(),
                                 [&](const Seen& s) { return s.read && s.at > restored; }) >= 10;
        },
        std::chrono::seconds{3}));
    const auto bs = videoStats(*call.b);
    ASSERT_TRUE(bs);
    std::cout << "[ bad payloads " << codec << " ] corrupted " << corrupted << ", b counted " << bs->malformed
              << " malformed, dropped " << bs->video.framesDropped << " frames, decode errors "
              << bs->video.decodeErrors << ", PLIs " << bs->video.pli << ", showed "
              << call.seenByB->readable() << "\n";
    EXPECT_GE(corrupted.load(), 5);
    EXPECT_GT(bs->malformed + bs->video.framesDropped + bs->video.decodeErrors, 0u);
    EXPECT_GT(bs->video.pli, 0u);
}

INSTANTIATE_TEST_SUITE_P(Codecs, VideoBadInput, ::testing::Values("h264", "vp8"));

TEST(VideoModify, VideoIsAddedToAnAudioCallAndRemovedAgain)
{
    auto seenByB = std::make_shared<Recorder>();
    auto ca = videoConfig("testsrc:320x180@15", nullptr, {"vp8"});
    auto cb = videoConfig("testsrc:320x180@15", seenByB, {"vp8"});
    auto a = make(ca);
    auto b = make(cb);
    ASSERT_TRUE(a && b);
    // Start audio-only: a's camera is off.
    auto off = a->setVideo(false);
    ASSERT_TRUE(off) << off.error().what;
    EXPECT_EQ(off->find("m=video"), std::string::npos);
    auto answer = b->answer(*off);
    ASSERT_TRUE(answer) << answer.error().what;
    ASSERT_TRUE(a->applyAnswer(*answer));
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    EXPECT_FALSE(videoStats(*a));
    // Camera on: a re-offer with a second m-line.
    auto on = a->setVideo(true);
    ASSERT_TRUE(on) << on.error().what;
    EXPECT_NE(on->find("m=video"), std::string::npos);
    answer = b->answer(*on);
    ASSERT_TRUE(answer) << answer.error().what;
    ASSERT_TRUE(a->applyAnswer(*answer));
    ASSERT_TRUE(waitFor([&] { return seenByB->readable() >= 10; }, std::chrono::seconds{5}));
    // Camera off: port 0 on the video m-line; b stops showing frames, audio goes on.
    auto removed = a->setVideo(false);
    ASSERT_TRUE(removed) << removed.error().what;
    EXPECT_NE(removed->find("m=video 0 "), std::string::npos);
    answer = b->answer(*removed);
    ASSERT_TRUE(answer) << answer.error().what;
    ASSERT_TRUE(a->applyAnswer(*answer));
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    const auto shown = seenByB->snapshot().size();
    std::this_thread::sleep_for(std::chrono::milliseconds{600});
    EXPECT_EQ(seenByB->snapshot().size(), shown);
    const auto audio = a->stats().front();
    EXPECT_EQ(audio.type, "audio");
    EXPECT_EQ(audio.direction, "sendrecv");
    a->stop();
    b->stop();
}

TEST(VideoConfig, BadSpecsAreRefusedWithTheirText)
{
    MediaConfig c;
    c.videoSource = "testsrc:99x";
    auto made = MediaSession::create(c);
    ASSERT_FALSE(made);
    EXPECT_NE(made.error().what.find("testsrc:99x"), std::string::npos);
    c.videoSource = "off";
    c.videoSink = "screen";
    made = MediaSession::create(c);
    ASSERT_FALSE(made);
    EXPECT_NE(made.error().what.find("screen"), std::string::npos);
    c.videoSink = "null";
    c.videoCodecs = {"h265"};
    made = MediaSession::create(c);
    ASSERT_FALSE(made);
    EXPECT_NE(made.error().what.find("h265"), std::string::npos);
}

} // namespace
} // namespace vphone::media
