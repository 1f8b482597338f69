// A three-party video conference on loopback (RTP 15500-15999): two far ends send solid-colour
// pictures (red over VP8, green over H.264) to their host-side sessions, the host joins with
// the test pattern; each far end decodes the composite and finds the other participant's colour
// and the host's pattern in their cells. Then one leaves and the grid re-lays out.
#include "engine/conference_bridge.h"
#include "media_engine_test_util.h"
#include "video/test_pattern.h"

#include <mutex>

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

namespace {

struct Yuv {
    int y, u, v;
};
constexpr Yuv kRed{81, 90, 240};
constexpr Yuv kGreen{145, 54, 34};

class SolidSource final : public VideoSource {
public:
    explicit SolidSource(Yuv c) : c_(c) {}
    int width() const override { return 320; }
    int height() const override { return 180; }
    int fps() const override { return 15; }
    bool capture(std::chrono::steady_clock::time_point, VideoFrame& out) override
    {
        out.resize(320, 180);
        std::fill(out.y(), out.y() + 320 * 180, std::uint8_t(c_.y));
        std::fill(out.u(), out.u() + 160 * 90, std::uint8_t(c_.u));
        std::fill(out.v(), out.v() + 160 * 90, std::uint8_t(c_.v));
        out.captured = std::chrono::steady_clock::now();
        return true;
    }
    std::string describe() const override { return "solid"; }

private:
    Yuv c_;
};

struct LastFrame {
    std::mutex mutex;
    VideoFrame frame;
    int frames = 0;
    VideoFrame get()
    {
        std::lock_guard lock(mutex);
        return frame;
    }
    int count()
    {
        std::lock_guard lock(mutex);
        return frames;
    }
};

class KeepSink final : public VideoSink {
public:
    explicit KeepSink(std::shared_ptr<LastFrame> last) : last_(std::move(last)) {}
    void write(const VideoFrame& frame, std::chrono::steady_clock::time_point) override
    {
        std::lock_guard lock(last_->mutex);
        last_->frame = frame;
        ++last_->frames;
    }

private:
    std::shared_ptr<LastFrame> last_;
};

MediaConfig videoConfig(std::vector<std::string> videoCodecs)
{
    auto c = config("silence", "null", {"pcmu"});
    c.rtpPorts = PortRange{15500, 15999};
    c.videoSource = "testsrc:320x180@15";
    c.videoCodecs = std::move(videoCodecs);
    c.rtcpMinimumInterval = 500ms;
    return c;
}

MediaConfig farConfig(Yuv colour, std::shared_ptr<LastFrame> last, std::vector<std::string> videoCodecs)
{
    auto c = videoConfig(std::move(videoCodecs));
    c.videoSourceFactory = [colour](const VideoSourceSpec&) -> MediaResult<std::unique_ptr<VideoSource>> {
        return std::unique_ptr<VideoSource>(std::make_unique<SolidSource>(colour));
    };
    c.videoSinkFactory = [last]() -> MediaResult<std::unique_ptr<VideoSink>> {
        return std::unique_ptr<VideoSink>(std::make_unique<KeepSink>(last));
    };
    return c;
}

/// The average colour of a w x h block centred at (cx, cy).
Yuv average(const VideoFrame& f, int cx, int cy, int w = 16, int h = 16)
{
    long y = 0, u = 0, v = 0, n = 0;
    for (int row = cy - h / 2; row < cy + h / 2; ++row) {
        for (int col = cx - w / 2; col < cx + w / 2; ++col) {
            y += f.y()[row * f.width + col];
            u += f.u()[(row / 2) * f.chromaWidth() + col / 2];
            v += f.v()[(row / 2) * f.chromaWidth() + col / 2];
            ++n;
        }
    }
    return {int(y / n), int(u / n), int(v / n)};
}

::testing::AssertionResult looksLike(const VideoFrame& f, int cx, int cy, Yuv want)
{
    const Yuv got = average(f, cx, cy);
    if (std::abs(got.y - want.y) <= 15 && std::abs(got.u - want.u) <= 15 && std::abs(got.v - want.v) <= 15)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "(" << cx << "," << cy << ") is " << got.y << "/" << got.u << "/"
                                         << got.v << ", want " << want.y << "/" << want.u << "/" << want.v;
}

} // namespace

TEST(ConferenceVideo, EachFarEndDecodesACompositeWithTheOthersPictures)
{
    auto seenA = std::make_shared<LastFrame>();
    auto seenB = std::make_shared<LastFrame>();
    auto farA = session(farConfig(kRed, seenA, {"vp8"}));
    auto farB = session(farConfig(kGreen, seenB, {"h264"}));
    auto nearA = session(videoConfig({"vp8", "h264"}));
    auto nearB = session(videoConfig({"h264", "vp8"}));
    ASSERT_TRUE(farA && farB && nearA && nearB);
    ConferenceBridge::Options options;
    options.video = true;
    options.width = 320;
    options.height = 180;
    options.fps = 15;
    auto made = ConferenceBridge::create(options);
    ASSERT_TRUE(made) << made.error().what;
    auto& bridge = **made;
    // A joins before its call is set up, B after its video runs with its own test pattern.
    auto a = bridge.join(*nearA, "red");
    ASSERT_TRUE(a) << a.error().what;
    ASSERT_TRUE(negotiate(*farA, *nearA));
    ASSERT_TRUE(negotiate(*farB, *nearB));
    ASSERT_TRUE(waitFor([&] { return seenB->count() > 5; }));
    auto b = bridge.join(*nearB, "green");
    ASSERT_TRUE(b) << b.error().what;
    auto host = bridge.joinLocal("silence", "null", "testsrc:320x180@15", "host");
    ASSERT_TRUE(host) << host.error().what;
    auto hostSeen = std::make_shared<LastFrame>();
    bridge.setHostVideoSink(std::make_shared<KeepSink>(hostSeen));

    // Grid of 3 in 2x2 cells of 160x90: red, green, host, (empty).
    const auto showsAll = [](const VideoFrame& f) {
        return f.width == 320 && f.height == 180 && looksLike(f, 80, 45, kRed) &&
               looksLike(f, 240, 45, kGreen);
    };
    EXPECT_TRUE(waitFor([&] { return showsAll(seenA->get()); }, 8s))
        << looksLike(seenA->get(), 240, 45, kGreen);
    EXPECT_TRUE(waitFor([&] { return showsAll(seenB->get()); }, 8s)) << looksLike(seenB->get(), 80, 45, kRed);
    EXPECT_TRUE(waitFor([&] { return showsAll(hostSeen->get()); }, 2s)) << "the host GUI's grid";
    // The host's cell holds its test pattern (not dark, not a solid colour): contrast inside it.
    const auto f = seenB->get();
    ASSERT_TRUE(f.valid());
    int lo = 255, hi = 0;
    for (int y = 95; y < 175; ++y) {
        for (int x = 5; x < 155; ++x) {
            lo = std::min<int>(lo, f.y()[y * f.width + x]);
            hi = std::max<int>(hi, f.y()[y * f.width + x]);
        }
    }
    EXPECT_GT(hi - lo, 100) << "the host's test pattern is not in its cell";

    // Green leaves: A's composite re-lays out to 2x1 (red left, host right) and loses green.
    bridge.leave(*b);
    EXPECT_TRUE(waitFor(
        [&] {
            const auto g = seenA->get();
            return looksLike(g, 80, 90, kRed) && !looksLike(g, 240, 45, kGreen) &&
                   !looksLike(g, 240, 90, kGreen);
        },
        5s))
        << looksLike(seenA->get(), 80, 90, kRed);
    // B's call has its own camera back (the test pattern): its far end no longer sees red on the left.
    EXPECT_TRUE(waitFor([&] { return !looksLike(seenB->get(), 80, 45, kRed); }, 5s));
    bridge.stop();
    for (auto* s : {farA.get(), farB.get(), nearA.get(), nearB.get()})
        s->stop();
}
