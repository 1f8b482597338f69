// The receive path under loss: a relay between the two sessions drops a share of the packets
// each way (seeded, so the same packets every run), and the jitter buffer, Opus FEC/PLC or
// G.711 concealment must keep the tone going while the stats count what was lost.
#include "media_engine_test_util.h"

#include <atomic>
#include <poll.h>

using namespace vphone::media;
using namespace vphone::media::test;
namespace sdp = vphone::sdp;
using namespace std::chrono_literals;

namespace {

// Replaces the m=audio port of an SDP text.
std::string withPort(std::string sdpText, std::uint16_t port)
{
    const auto at = sdpText.find("m=audio ");
    const auto start = at + std::string("m=audio ").size();
    const auto end = sdpText.find(' ', start);
    return sdpText.replace(start, end - start, std::to_string(port));
}

// Two relay sockets: `towardA` (A sends to it, it sends to A) and `towardB`. Every datagram is
// forwarded from the other socket, so each side sees one peer address, except the dropped ones.
class LossyRelay {
public:
    LossyRelay(double loss, std::uint32_t seed) : loss_(loss), random_(seed)
    {
        auto a = UdpSocket::bind("127.0.0.1", 0);
        auto b = UdpSocket::bind("127.0.0.1", 0);
        EXPECT_TRUE(a && b);
        towardA_ = std::move(*a);
        towardB_ = std::move(*b);
    }
    ~LossyRelay() { stop(); }
    std::uint16_t portForA() const { return towardA_.port(); }
    std::uint16_t portForB() const { return towardB_.port(); }
    void start(std::uint16_t portA, std::uint16_t portB)
    {
        thread_ = std::thread([this, portA, portB] { run({"127.0.0.1", portA}, {"127.0.0.1", portB}); });
    }
    void stop()
    {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::uint64_t dropped() const { return dropped_; }

private:
    void run(const MediaAddress& a, const MediaAddress& b)
    {
        std::vector<std::uint8_t> buffer(2048);
        std::uniform_real_distribution<double> coin(0, 1);
        while (!stopping_) {
            pollfd fds[2] = {{towardA_.fd(), POLLIN, 0}, {towardB_.fd(), POLLIN, 0}};
            if (::poll(fds, 2, 20) <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                UdpSocket& in = i == 0 ? towardA_ : towardB_;
                UdpSocket& out = i == 0 ? towardB_ : towardA_;
                const MediaAddress& to = i == 0 ? b : a;
                MediaAddress from;
                while (const auto n = in.receive(buffer, from)) {
                    if (coin(random_) < loss_) {
                        ++dropped_;
                        continue;
                    }
                    out.sendTo(std::span<const std::uint8_t>(buffer.data(), *n), to);
                }
            }
        }
    }

    double loss_;
    std::mt19937 random_;
    UdpSocket towardA_;
    UdpSocket towardB_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> dropped_{0};
};

void lossyCall(const std::string& codec, double loss)
{
    const auto dir = tempDir("loss-" + codec);
    auto a = session(config("tone:440", "file:" + dir + "/a.wav", {codec}));
    auto b = session(config("tone:1000", "file:" + dir + "/b.wav", {codec}));
    LossyRelay relay(loss, 1234);
    auto offer = a->createOffer();
    ASSERT_TRUE(offer);
    auto answer = b->answer(withPort(*offer, relay.portForB())); // B sends to the relay...
    ASSERT_TRUE(answer) << answer.error().what;
    ASSERT_TRUE(a->applyAnswer(withPort(*answer, relay.portForA()))); // ...and so does A
    relay.start(a->audioPort(), b->audioPort());
    std::this_thread::sleep_for(2500ms);
    const auto sa = audioStats(*a);
    const auto sb = audioStats(*b);
    a->stop();
    b->stop();
    relay.stop();
    EXPECT_GT(relay.dropped(), 10u);
    for (const auto* s : {&sa, &sb}) {
        EXPECT_GT(s->lost, 0);
        EXPECT_LT(s->lost, static_cast<std::int64_t>(s->packetsReceived) / 3);
        EXPECT_GT(s->concealedMs, 0u);
        EXPECT_NE(toJson(*s).find("\"lost\":" + std::to_string(s->lost)), std::string::npos);
    }
    // Concealment keeps the tone: most windows still carry it.
    const auto atA = analyseReceived(dir + "/a.wav", 1000);
    const auto atB = analyseReceived(dir + "/b.wav", 440);
    EXPECT_GE(atA.report.fraction(), 0.8) << atA.report.dominated << "/" << atA.report.windows;
    EXPECT_GE(atB.report.fraction(), 0.8) << atB.report.dominated << "/" << atB.report.windows;
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

} // namespace

TEST(MediaEngineLoss, OpusConcealsTenPercentLossAndCountsIt)
{
    lossyCall("opus", 0.10);
}

TEST(MediaEngineLoss, PcmuConcealsTenPercentLossAndCountsIt)
{
    lossyCall("pcmu", 0.10);
}
