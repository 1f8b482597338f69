// StunPrefetch (issue 7: the STUN probe off the call set-up path) with a loopback STUN server the
// test controls (127.0.0.1:3500-3505; RTP 18000-18199). The server counts the Binding requests it
// sees and answers only when the test releases it, with a fake mapping 127.0.0.5:(port + 22000),
// RTCP (odd ports) 10 higher again so a=rtcp shows:
//  - an offer made while the server holds its reply returns (the test's thread is not blocked:
//    it completes while the reply is still held and the pool's probe still runs) with the local
//    address and a warning; after the server answered the pool, the next offer carries the mapping;
//  - an answer (incoming call) takes a probed set the same way;
//  - a silent server: 20 offers in a row all return while the pool's one probe still runs;
//  - after a failed probe the pool backs off: 20 more offers, no new probe, the server's count
//    stays that of the one probe;
//  - a set older than maxAge is probed again on the same sockets; a one-pair range keeps none.
#include "engine/media_session.h"
#include "engine/stun_prefetch.h"
#include "net/stun.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace vphone;
using namespace vphone::media;

namespace {

constexpr const char* kMappedHost = "127.0.0.5";

std::uint16_t mappedPort(std::uint16_t source)
{
    return static_cast<std::uint16_t>(source + 22000 + (source % 2 ? 10 : 0));
}

/// A STUN server on its own thread: counts Binding requests; holds them until release(), then
/// answers the held ones and every later one.
class ControlledStunServer {
public:
    explicit ControlledStunServer(std::uint16_t port)
    {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << "port " << port;
        timeval tv{0, 20000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        thread_ = std::thread([this] { run(); });
    }
    ~ControlledStunServer()
    {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    void release() { answering_ = true; }
    int requests() const { return requests_; }
    int answered() const { return answered_; }

private:
    struct Held {
        net::stun::TransactionId id;
        sockaddr_in from;
    };
    void answer(const Held& h)
    {
        const std::string reply =
            net::stun::bindingSuccess(h.id, {kMappedHost, mappedPort(ntohs(h.from.sin_port))});
        ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<const sockaddr*>(&h.from),
                 sizeof h.from);
        ++answered_;
    }
    void run()
    {
        char buffer[1500];
        std::vector<Held> held;
        while (!stop_) {
            if (answering_) {
                for (const auto& h : held)
                    answer(h);
                held.clear();
            }
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const auto n =
                ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &len);
            if (n <= 0) continue;
            const auto m = net::stun::decode(std::string_view(buffer, static_cast<std::size_t>(n)));
            if (!m || m->type != net::stun::kBindingRequest) continue;
            ++requests_;
            held.push_back({m->id, from});
        }
    }
    int fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<bool> answering_{false};
    std::atomic<int> requests_{0};
    std::atomic<int> answered_{0};
    std::thread thread_;
};

/// Polls `done` until it holds or 10 s pass (a deadline against hanging, not a measurement).
bool waitFor(const std::function<bool()>& done)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

MediaConfig stunConfig(std::uint16_t stunPort, PortRange ports, std::chrono::milliseconds timeout)
{
    MediaConfig c;
    c.rtpPorts = ports;
    c.localAddresses = {"127.0.0.1"};
    c.codecs = {"pcmu", "telephone-event"};
    c.audioSource = "silence";
    c.audioSink = "null";
    c.videoSource = "off";
    c.stunHost = "127.0.0.1";
    c.stunPort = stunPort;
    c.stunTimeout = timeout;
    return c;
}

std::unique_ptr<MediaSession> makeSession(const MediaConfig& c)
{
    auto made = MediaSession::create(c);
    EXPECT_TRUE(made) << (made ? "" : made.error().what);
    return made ? std::move(*made) : nullptr;
}

/// The session's warnings and mappings ("rtp host:port").
void drain(MediaSession& s, std::vector<std::string>& warnings, std::vector<std::string>* mapped = nullptr)
{
    while (auto e = s.pollEvent()) {
        if (const auto* w = std::get_if<MediaErrorEvent>(&*e)) warnings.push_back(w->what);
        if (const auto* m = std::get_if<StunMapped>(&*e); m && mapped)
            mapped->push_back(m->socket + " " + m->mapped);
    }
}

} // namespace

TEST(StunPrefetch, OfferGoesOutAtOnceWhileTheServerHoldsItsReplyThenCarriesTheMapping)
{
    ControlledStunServer server(3500);
    // A 10 s probe budget: the pool's probe is still waiting for the server while we make the offer.
    const MediaConfig config = stunConfig(3500, {18000, 18019}, std::chrono::seconds(10));
    auto first = makeSession(config); // starts the process's pool for this config
    ASSERT_TRUE(first);
    ASSERT_TRUE(waitFor([&] { return server.requests() >= 2; })) << "the pool never asked the server";
    const auto offer = first->createOffer();
    ASSERT_TRUE(offer) << offer.error().what;
    // The offer is out and the server still holds its reply: nobody waited for it.
    EXPECT_EQ(server.answered(), 0);
    auto pool = StunPrefetch::forConfig(config);
    ASSERT_TRUE(pool);
    EXPECT_EQ(pool->status().probes, 0) << "the pool's first probe is still running";
    EXPECT_NE(offer->find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << *offer;
    const auto port = first->audioPort();
    EXPECT_GE(port, 18000);
    EXPECT_LE(port, 18019);
    EXPECT_NE(offer->find("m=audio " + std::to_string(port) + " "), std::string::npos) << *offer;
    std::vector<std::string> warnings;
    drain(*first, warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].rfind("stun: 127.0.0.1:3500: no answer yet", 0), 0u) << warnings[0];
    EXPECT_NE(warnings[0].find("the SDP keeps the local address 127.0.0.1"), std::string::npos)
        << warnings[0];
    first->stop();

    server.release();
    ASSERT_TRUE(waitFor([&] { return pool->status().ready >= 1; })) << pool->status().lastError;
    auto second = makeSession(config);
    ASSERT_TRUE(second);
    const auto mappedOffer = second->createOffer();
    ASSERT_TRUE(mappedOffer) << mappedOffer.error().what;
    const auto local = second->audioPort();
    EXPECT_GE(local, 18000);
    EXPECT_LE(local, 18019);
    const std::string rtp = std::to_string(mappedPort(local));
    const std::string rtcp = std::to_string(mappedPort(static_cast<std::uint16_t>(local + 1)));
    EXPECT_NE(mappedOffer->find("c=IN IP4 127.0.0.5\r\n"), std::string::npos) << *mappedOffer;
    EXPECT_NE(mappedOffer->find("m=audio " + rtp + " "), std::string::npos) << *mappedOffer;
    EXPECT_NE(mappedOffer->find("a=rtcp:" + rtcp), std::string::npos) << *mappedOffer;
    std::vector<std::string> mapped;
    warnings.clear();
    drain(*second, warnings, &mapped);
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    EXPECT_EQ(mapped, (std::vector<std::string>{"rtp 127.0.0.5:" + rtp, "rtcp 127.0.0.5:" + rtcp}));
    second->stop();
    EXPECT_GE(pool->status().taken, 1);
}

TEST(StunPrefetch, AnAnswerTakesAProbedSetToo)
{
    ControlledStunServer server(3505);
    server.release();
    const MediaConfig config = stunConfig(3505, {18160, 18199}, std::chrono::seconds(2));
    auto pool = StunPrefetch::forConfig(config);
    ASSERT_TRUE(waitFor([&] { return pool->status().ready >= 1; })) << pool->status().lastError;
    MediaConfig plain = config; // the caller: no STUN server
    plain.stunHost.clear();
    auto caller = makeSession(plain);
    auto callee = makeSession(config);
    ASSERT_TRUE(caller && callee);
    const auto offer = caller->createOffer();
    ASSERT_TRUE(offer) << offer.error().what;
    EXPECT_NE(offer->find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << *offer;
    const auto answer = callee->answer(*offer);
    ASSERT_TRUE(answer) << answer.error().what;
    const auto local = callee->audioPort();
    EXPECT_NE(answer->find("c=IN IP4 127.0.0.5\r\n"), std::string::npos) << *answer;
    EXPECT_NE(answer->find("m=audio " + std::to_string(mappedPort(local)) + " "), std::string::npos)
        << *answer;
    std::vector<std::string> warnings;
    drain(*callee, warnings);
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    callee->stop();
    caller->stop();
}

TEST(StunPrefetch, SilentServerNeverHoldsAnOffer)
{
    ControlledStunServer server(3501); // never released: silent
    const MediaConfig config = stunConfig(3501, {18020, 18079}, std::chrono::seconds(10));
    auto pool = StunPrefetch::forConfig(config);
    ASSERT_TRUE(waitFor([&] { return server.requests() >= 2; }));
    for (int i = 0; i < 20; ++i) {
        auto s = makeSession(config);
        ASSERT_TRUE(s);
        const auto offer = s->createOffer();
        ASSERT_TRUE(offer) << offer.error().what;
        EXPECT_NE(offer->find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << *offer;
        std::vector<std::string> warnings;
        drain(*s, warnings);
        ASSERT_EQ(warnings.size(), 1u) << "offer " << i;
        EXPECT_EQ(warnings[0].rfind("stun: 127.0.0.1:3501: no answer yet", 0), 0u) << warnings[0];
        s->stop();
    }
    // All 20 offers are out and the pool's one probe (10 s budget) has not ended: none waited for it.
    const auto st = pool->status();
    EXPECT_EQ(st.probes, 0);
    EXPECT_EQ(st.ready, 0u);
    // Only the pool's two sockets asked (RFC 5389 retransmissions: 5 each within 10 s at most).
    EXPECT_LE(server.requests(), 10);
}

TEST(StunPrefetch, SilentServerIsBackedOffAfterAFailedProbe)
{
    ControlledStunServer server(3502);
    const MediaConfig config = stunConfig(3502, {18080, 18119}, std::chrono::milliseconds(300));
    auto pool = StunPrefetch::forConfig(config);
    ASSERT_TRUE(waitFor([&] { return pool->status().failures >= 1; }));
    const int seenAfterProbe = server.requests();
    EXPECT_GE(seenAfterProbe, 2); // RTP and RTCP asked once each within 300 ms
    for (int i = 0; i < 20; ++i) {
        auto s = makeSession(config);
        ASSERT_TRUE(s);
        const auto offer = s->createOffer();
        ASSERT_TRUE(offer) << offer.error().what;
        EXPECT_NE(offer->find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << *offer;
        std::vector<std::string> warnings;
        drain(*s, warnings);
        ASSERT_EQ(warnings.size(), 1u);
        EXPECT_EQ(warnings[0].rfind("stun: 127.0.0.1:3502: no answer after ", 0), 0u) << warnings[0];
        EXPECT_NE(warnings[0].find("(next try in "), std::string::npos) << warnings[0];
        s->stop();
    }
    const auto st = pool->status();
    EXPECT_EQ(st.failures, 1);
    EXPECT_EQ(st.probes, 1);
    EXPECT_TRUE(st.backingOff);
    EXPECT_EQ(st.requests, seenAfterProbe); // the server saw the one probe, not the 20 offers
    EXPECT_EQ(server.requests(), seenAfterProbe);
}

TEST(StunPrefetch, ASetOlderThanMaxAgeIsProbedAgainOnItsSockets)
{
    ControlledStunServer server(3503);
    server.release();
    StunPrefetchOptions options;
    options.ready = 1;
    options.maxAge = std::chrono::milliseconds(100);
    StunPrefetch pool({"127.0.0.1"}, {18120, 18139}, {"127.0.0.1", 3503}, std::chrono::seconds(2), options);
    // One set kept; each re-probe is one more probe with no take().
    ASSERT_TRUE(waitFor([&] { return pool.status().probes >= 3; }));
    EXPECT_EQ(pool.status().failures, 0);
    EXPECT_EQ(pool.status().taken, 0);
    std::optional<StunPrefetch::Ready> set;
    // take() skips a set that is being probed again at that moment: ask until one is there.
    ASSERT_TRUE(waitFor([&] { return (set = pool.take()).has_value(); }));
    ASSERT_EQ(set->sockets.size(), 1u);
    const auto rtpPort = set->sockets[0].rtp.port();
    EXPECT_GE(rtpPort, 18120);
    EXPECT_LE(rtpPort, 18139);
    EXPECT_EQ(rtpPort % 2, 0);
    EXPECT_EQ(set->sockets[0].rtcp.port(), rtpPort + 1);
    EXPECT_EQ(set->local, "127.0.0.1");
    EXPECT_EQ(set->rtp.host, kMappedHost);
    EXPECT_EQ(set->rtp.port, mappedPort(rtpPort));
    ASSERT_TRUE(set->rtcp);
    EXPECT_EQ(set->rtcp->port, mappedPort(static_cast<std::uint16_t>(rtpPort + 1)));
}

TEST(StunPrefetch, ARangeOfOnePairKeepsNoneAndSaysSo)
{
    StunPrefetch pool({"127.0.0.1"}, {18140, 18141}, {"127.0.0.1", 3504}, std::chrono::seconds(1));
    EXPECT_TRUE(pool.waitSettled(std::chrono::milliseconds(0)));
    std::string why;
    EXPECT_FALSE(pool.take(&why));
    EXPECT_EQ(
        why,
        "stun: 127.0.0.1:3504: the RTP port range is too small to keep sockets probed ahead of the calls");
    EXPECT_EQ(pool.status().requests, 0);
}
