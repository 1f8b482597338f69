// Re-registration after a network change or a wake from sleep (UserAgent::networkChanged), on a
// virtual clock: the new Contact at once, the old one removed, back-off with jitter while the
// registrar is unreachable, and recovery when it answers again.
#include "sip/parser.h"
#include "sip/transaction_layer.h"
#include "sip/user_agent.h"

#include <gtest/gtest.h>

#include <memory>

using namespace vphone::sip;
using namespace std::chrono_literals;

namespace {

const Peer kOld{Transport::Udp, "192.0.2.1", 5060};
const Peer kNew{Transport::Udp, "198.51.100.7", 5062};
const Peer kRegistrar{Transport::Udp, "192.0.2.10", 5060};

/// One UA and a registrar that answers 200 (echoing the Contacts) while `online`.
struct Bench {
    TimePoint now{};
    bool online = true;
    std::unique_ptr<UserAgent> ua;
    std::vector<std::pair<TimePoint, Message>> registers; ///< every REGISTER sent (retransmissions too)
    std::vector<RegistrationChanged> events;

    explicit Bench(bool withAccount = true)
    {
        UaConfig c;
        if (withAccount) {
            c.account = *parseUri("sip:alice@example.test");
            c.registrar = *parseUri("sip:192.0.2.10");
        }
        c.registerExpires = 600;
        c.localAddresses = {kOld};
        std::uint64_t seed = 42;
        c.random = [seed]() mutable { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
        ua = std::make_unique<UserAgent>(std::move(c));
    }
    void flush()
    {
        while (auto out = ua->pollTransmit()) {
            auto m = parseMessage(out->bytes);
            ASSERT_TRUE(m) << out->bytes;
            if (!m->isRequest() || m->method() != Method::Register) continue;
            registers.emplace_back(now, *m);
            if (!online) continue;
            Message ok = TransactionLayer::buildResponse(*m, 200, "r1");
            for (const auto c : m->values(HeaderId::Contact)) {
                if (c.find("expires=0") == std::string_view::npos)
                    ok.addHeader(HeaderId::Contact, std::string(c) + ";expires=600");
            }
            ua->receive(*parseMessage(ok.serialize()), kRegistrar, now);
        }
        while (auto ev = ua->pollEvent()) {
            if (auto* r = std::get_if<RegistrationChanged>(&*ev)) events.push_back(*r);
        }
    }
    void runFor(std::chrono::milliseconds d)
    {
        const TimePoint end = now + d;
        flush();
        while (auto at = ua->nextTimeout()) {
            if (*at > end) break;
            now = std::max(now, *at);
            ua->onTimeout(now);
            flush();
        }
        now = end;
    }
    /// Send times of the distinct REGISTER requests (by CSeq), retransmissions left out.
    std::vector<TimePoint> attempts() const
    {
        std::vector<TimePoint> out;
        std::uint32_t last = 0;
        for (const auto& [at, m] : registers) {
            if (m.cseq()->sequence == last) continue;
            last = m.cseq()->sequence;
            out.push_back(at);
        }
        return out;
    }
    RegistrationState state() const
    {
        return events.empty() ? RegistrationState::Invalid : events.back().state;
    }
};

} // namespace

TEST(NetworkChange, ReRegistersAtOnceFromTheNewAddressAndRemovesTheOldContact)
{
    Bench b;
    b.ua->registerAccount(b.now);
    b.flush();
    ASSERT_EQ(b.state(), RegistrationState::Registered);
    b.runFor(10s);
    const std::size_t before = b.registers.size();

    b.ua->networkChanged({kNew}, b.now);
    b.flush();
    ASSERT_EQ(b.registers.size(), before + 1);
    const Message& m = b.registers.back().second;
    EXPECT_EQ(m.topVia()->host, "198.51.100.7");
    EXPECT_EQ(m.topVia()->port, 5062);
    const auto contacts = m.values(HeaderId::Contact);
    ASSERT_EQ(contacts.size(), 2u);
    EXPECT_EQ(contacts[0], "<sip:alice@198.51.100.7:5062;transport=udp>");
    EXPECT_EQ(contacts[1], "<sip:alice@192.0.2.1:5060;transport=udp>;expires=0");
    EXPECT_EQ(b.state(), RegistrationState::Registered);

    // The refresh that follows carries only the new contact.
    b.runFor(600s);
    EXPECT_GT(b.registers.size(), before + 1);
    EXPECT_EQ(b.registers.back().second.values(HeaderId::Contact).size(), 1u);
}

TEST(NetworkChange, WakeWithTheSameAddressReRegistersWithoutRemovingAnything)
{
    Bench b;
    b.ua->registerAccount(b.now);
    b.flush();
    const std::size_t before = b.registers.size();
    b.ua->networkChanged({kOld}, b.now);
    b.flush();
    ASSERT_EQ(b.registers.size(), before + 1);
    EXPECT_EQ(b.registers.back().second.values(HeaderId::Contact).size(), 1u);
}

TEST(NetworkChange, BacksOffWithJitterWhileTheRegistrarIsUnreachableThenRecovers)
{
    Bench b;
    b.ua->registerAccount(b.now);
    b.flush();
    b.online = false;
    const TimePoint changedAt = b.now;
    b.ua->networkChanged({kNew}, b.now);
    b.runFor(3h);
    const auto at = b.attempts();
    ASSERT_GE(at.size(), 8u);
    EXPECT_EQ(at[1], changedAt); // at once
    // Each retry: Timer F (32 s) after the previous attempt, then 80-100 % of 30 s, 60 s, ... 30 min.
    std::chrono::seconds nominal{30};
    for (std::size_t i = 2; i < at.size(); ++i) {
        const auto gap = at[i] - at[i - 1] - 32s;
        EXPECT_GE(gap, nominal * 8 / 10) << "retry " << i;
        EXPECT_LE(gap, nominal) << "retry " << i;
        nominal = std::min<std::chrono::seconds>(nominal * 2, 1800s);
    }
    EXPECT_EQ(nominal, 1800s); // the cap was reached within three hours
    EXPECT_EQ(b.state(), RegistrationState::Failed);
    EXPECT_EQ(b.events.back().code, 0);

    // The registrar is back: the next retry registers, and the back-off starts over.
    b.online = true;
    b.runFor(31min);
    EXPECT_EQ(b.state(), RegistrationState::Registered);
    b.online = false;
    b.ua->networkChanged({kOld}, b.now);
    const TimePoint second = b.now;
    b.runFor(70s);
    const auto again = b.attempts();
    ASSERT_GE(again.size(), 2u);
    EXPECT_EQ(again[again.size() - 2], second);
    EXPECT_LE(again.back() - second, 62s); // 32 s timeout + at most 30 s
}

TEST(NetworkChange, JitterSpreadsTheRetriesOfDifferentPhones)
{
    std::vector<TimePoint> firstRetry;
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        UaConfig c;
        c.account = *parseUri("sip:alice@example.test");
        c.registrar = *parseUri("sip:192.0.2.10");
        c.localAddresses = {kOld};
        c.random = [seed]() mutable { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
        UserAgent ua(std::move(c));
        TimePoint now{};
        ua.registerAccount(now);
        std::uint32_t lastCseq = 0;
        std::vector<TimePoint> sent;
        while (sent.size() < 2) {
            while (auto out = ua.pollTransmit()) {
                auto m = parseMessage(out->bytes);
                if (m->cseq()->sequence != lastCseq) sent.push_back(now);
                lastCseq = m->cseq()->sequence;
            }
            auto next = ua.nextTimeout();
            ASSERT_TRUE(next);
            now = *next;
            ua.onTimeout(now);
        }
        firstRetry.push_back(sent[1]);
    }
    EXPECT_FALSE(firstRetry[0] == firstRetry[1] && firstRetry[1] == firstRetry[2]);
}

TEST(NetworkChange, AnAccountThatNeverRegisteredOnlyMoves)
{
    Bench b;
    b.ua->networkChanged({kNew}, b.now);
    b.flush();
    EXPECT_TRUE(b.registers.empty());
    b.ua->registerAccount(b.now);
    b.flush();
    ASSERT_EQ(b.registers.size(), 1u);
    EXPECT_EQ(b.registers[0].second.values(HeaderId::Contact)[0],
              "<sip:alice@198.51.100.7:5062;transport=udp>");
}

TEST(NetworkChange, AUaWithoutAccountUsesTheNewAddressForCalls)
{
    Bench b(false);
    b.ua->networkChanged({kNew}, b.now);
    b.ua->call(*parseUri("sip:bob@192.0.2.2"), "", b.now);
    auto out = b.ua->pollTransmit();
    ASSERT_TRUE(out);
    auto m = parseMessage(out->bytes);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->topVia()->host, "198.51.100.7");
    EXPECT_NE(m->get(HeaderId::Contact)->find("198.51.100.7:5062"), std::string_view::npos);
}
