// Transaction layer tests on a virtual clock: the harness below drives `now` from deadline to
// deadline and records what each layer sends and reports, so every schedule is checked exactly.
#include "sip/parser.h"
#include "sip/transaction_layer.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

using namespace vphone::sip;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace test {

const Peer kAlice{Transport::Udp, "192.0.2.1", 5060};
const Peer kBob{Transport::Udp, "192.0.2.2", 5060};

/// A clock that only moves when a test says so.
struct VirtualClock {
    TimePoint now{};
    milliseconds elapsed() const { return std::chrono::duration_cast<milliseconds>(now - TimePoint{}); }
};

struct Sent {
    milliseconds at;
    Outgoing out;
    Message message;
};

struct Seen {
    milliseconds at;
    TransactionEvent event;
};

/// One TransactionLayer with everything it sent and reported, on a (possibly shared) clock.
class Endpoint {
public:
    explicit Endpoint(VirtualClock& clock, TimerConfig timers = {}, std::size_t maxTransactions = 4096)
        : layer(timers, maxTransactions), clock_(clock)
    {}

    TransactionLayer layer;
    std::vector<Sent> sent;
    std::vector<Seen> seen;

    TimePoint now() const { return clock_.now; }
    milliseconds elapsed() const { return clock_.elapsed(); }

    /// Moves the layer's queues into `sent` and `seen`.
    void drain()
    {
        while (auto out = layer.pollTransmit()) {
            auto parsed = parseMessage(out->bytes);
            EXPECT_TRUE(parsed) << out->bytes;
            if (parsed) sent.push_back({elapsed(), *out, *parsed});
        }
        while (auto ev = layer.pollEvent())
            seen.push_back({elapsed(), std::move(*ev)});
    }
    /// Fires timers one deadline at a time up to `until` (from the clock's start), then stops there.
    void advanceTo(milliseconds until)
    {
        while (auto next = layer.nextTimeout()) {
            if (*next > TimePoint{} + until) break;
            clock_.now = *next;
            layer.onTimeout(clock_.now);
            drain();
        }
        clock_.now = TimePoint{} + until;
    }
    /// Virtual clock jumps deadline to deadline until no timer is left.
    void runUntilIdle()
    {
        while (auto next = layer.nextTimeout()) {
            clock_.now = *next;
            layer.onTimeout(clock_.now);
            drain();
        }
    }
    TransactionId send(Message request, Peer to = kBob)
    {
        auto id = layer.sendRequest(std::move(request), std::move(to), now());
        EXPECT_TRUE(id) << (id ? "" : id.error().what);
        drain();
        return id ? *id : 0;
    }
    /// Delivers a message as if it came off the wire (serialised and parsed again).
    void receive(const Message& m, Peer from = kBob)
    {
        auto parsed = parseMessage(m.serialize());
        ASSERT_TRUE(parsed) << parsed.error().what;
        layer.receive(*parsed, from, now());
        drain();
    }
    bool respond(TransactionId id, int status, std::string_view toTag = "bob-tag")
    {
        const Message* request = requestOf(id);
        if (!request) return false;
        const bool ok =
            layer.sendResponse(id, TransactionLayer::buildResponse(*request, status, toTag), now());
        drain();
        return ok;
    }

    /// Messages sent with this method (requests) or status (responses), in order.
    std::vector<const Sent*> sentRequests(Method m) const
    {
        std::vector<const Sent*> out;
        for (const auto& s : sent)
            if (s.message.isRequest() && s.message.method() == m) out.push_back(&s);
        return out;
    }
    std::vector<const Sent*> sentResponses(int status) const
    {
        std::vector<const Sent*> out;
        for (const auto& s : sent)
            if (s.message.isResponse() && s.message.status() == status) out.push_back(&s);
        return out;
    }
    std::vector<milliseconds> timesOf(const std::vector<const Sent*>& list) const
    {
        std::vector<milliseconds> out;
        for (const auto* s : list)
            out.push_back(s->at);
        return out;
    }
    template <class E> std::vector<E> events() const
    {
        std::vector<E> out;
        for (const auto& s : seen)
            if (auto* e = std::get_if<E>(&s.event)) out.push_back(*e);
        return out;
    }
    template <class E> std::optional<milliseconds> firstTime() const
    {
        for (const auto& s : seen)
            if (std::holds_alternative<E>(s.event)) return s.at;
        return std::nullopt;
    }
    /// The request a server transaction was created for.
    const Message* requestOf(TransactionId id) const
    {
        for (const auto& s : seen)
            if (auto* r = std::get_if<RequestReceived>(&s.event); r && r->id == id) return &r->request;
        return nullptr;
    }

private:
    VirtualClock& clock_;
};

/// Two endpoints wired back to back through a lossy, instant network, each with a scripted TU.
class Pair {
public:
    explicit Pair(TimerConfig timers = {}) : alice(clock, timers), bob(clock, timers) {}

    VirtualClock clock;
    Endpoint alice;
    Endpoint bob;
    std::function<bool(const Sent&)> lose = [](const Sent&) { return false; };
    std::function<void(Endpoint&, const TransactionEvent&)> aliceTu = [](Endpoint&, const TransactionEvent&) {
    };
    std::function<void(Endpoint&, const TransactionEvent&)> bobTu = [](Endpoint&, const TransactionEvent&) {};

    /// Delivers what is in flight and lets the TUs react, until nothing moves.
    void pump()
    {
        for (bool moved = true; moved;) {
            moved = false;
            if (forward(alice, aliceSent_, bob, test::kAlice)) moved = true;
            if (forward(bob, bobSent_, alice, test::kBob)) moved = true;
            if (react(alice, aliceSeen_, aliceTu)) moved = true;
            if (react(bob, bobSeen_, bobTu)) moved = true;
        }
    }
    /// Runs the network and both layers' timers until nothing is pending.
    void runUntilIdle()
    {
        pump();
        for (;;) {
            auto a = alice.layer.nextTimeout();
            auto b = bob.layer.nextTimeout();
            if (!a && !b) break;
            clock.now = !a ? *b : !b ? *a : std::min(*a, *b);
            alice.layer.onTimeout(clock.now);
            bob.layer.onTimeout(clock.now);
            alice.drain();
            bob.drain();
            pump();
        }
    }

private:
    bool forward(Endpoint& from, std::size_t& cursor, Endpoint& to, const Peer& source)
    {
        bool moved = false;
        while (cursor < from.sent.size()) {
            const Sent s = from.sent[cursor++];
            moved = true;
            if (!lose(s)) to.receive(s.message, source);
        }
        return moved;
    }
    static bool react(Endpoint& e, std::size_t& cursor,
                      const std::function<void(Endpoint&, const TransactionEvent&)>& tu)
    {
        bool moved = false;
        while (cursor < e.seen.size()) {
            const TransactionEvent ev = e.seen[cursor++].event;
            tu(e, ev);
            moved = true;
        }
        return moved;
    }
    std::size_t aliceSent_ = 0, bobSent_ = 0, aliceSeen_ = 0, bobSeen_ = 0;
};

/// A request from alice to bob, as a UA would build it.
Message request(Method method, std::string_view branch, std::uint32_t sequence = 1,
                std::string_view sentBy = "192.0.2.1:5060")
{
    Message r = Message::request(method, "sip:bob@192.0.2.2");
    r.addHeader(HeaderId::Via, "SIP/2.0/UDP " + std::string(sentBy) + ";branch=" + std::string(branch));
    r.addHeader(HeaderId::MaxForwards, "70");
    r.addHeader(HeaderId::From, "<sip:alice@example.test>;tag=alice-tag");
    r.addHeader(HeaderId::To, "<sip:bob@example.test>");
    r.addHeader(HeaderId::CallId, "call-1@192.0.2.1");
    r.addHeader(HeaderId::CSeq, std::to_string(sequence) + " " + std::string(methodName(method)));
    return r;
}

/// bob's answer to the n-th request alice sent.
Message answer(const Endpoint& alice, std::size_t index, int status, std::string_view toTag = "bob-tag")
{
    return TransactionLayer::buildResponse(alice.sent.at(index).message, status, toTag);
}

std::vector<milliseconds> ms(std::initializer_list<long> values)
{
    std::vector<milliseconds> out;
    for (long v : values)
        out.push_back(milliseconds(v));
    return out;
}

} // namespace test

using test::Endpoint;
using test::kAlice;
using test::kBob;
using test::ms;
using test::Pair;
using test::VirtualClock;

// ================================================================ INVITE client

TEST(InviteClientTransaction, GivesUpAtTimerBAfterSevenInvitesWhenAllIsLostOverUdp)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto id = alice.send(test::request(Method::Invite, TransactionLayer::newBranch("a1")));
    alice.runUntilIdle();
    EXPECT_EQ(alice.timesOf(alice.sentRequests(Method::Invite)),
              ms({0, 500, 1500, 3500, 7500, 15500, 31500}));
    ASSERT_EQ(alice.events<TransactionTimeout>().size(), 1u);
    EXPECT_EQ(alice.events<TransactionTimeout>()[0].id, id);
    EXPECT_EQ(alice.firstTime<TransactionTimeout>(), 32s);
    EXPECT_TRUE(std::holds_alternative<TransactionTerminated>(alice.seen.back().event));
    EXPECT_EQ(alice.layer.size(), 0u);
}

TEST(InviteClientTransaction, SendsOneInviteAndGivesUpAtTimerBOverTcp)
{
    VirtualClock clock;
    Endpoint alice(clock);
    alice.send(test::request(Method::Invite, "z9hG4bKtcp"), Peer{Transport::Tcp, "192.0.2.2", 5060});
    alice.runUntilIdle();
    EXPECT_EQ(alice.sentRequests(Method::Invite).size(), 1u);
    EXPECT_EQ(alice.firstTime<TransactionTimeout>(), 32s);
}

TEST(InviteClientTransaction, AcknowledgesA486WithTheResponsesToTagAndAbsorbsItsRetransmissions)
{
    VirtualClock clock;
    Endpoint alice(clock);
    Message invite = test::request(Method::Invite, "z9hG4bK486");
    invite.addHeader(HeaderId::Route, "<sip:proxy.example.test;lr>");
    invite.prependHeader(HeaderId::Via, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtop");
    const auto id = alice.send(invite);
    alice.advanceTo(100ms);
    const Message busy = test::answer(alice, 0, 486, "busy-tag");
    alice.receive(busy);

    auto acks = alice.sentRequests(Method::Ack);
    ASSERT_EQ(acks.size(), 1u);
    const Message& ack = acks[0]->message;
    EXPECT_EQ(ack.requestUriText(), "sip:bob@192.0.2.2");
    EXPECT_EQ(ack.count(HeaderId::Via), 1u);
    EXPECT_EQ(ack.topViaView()->branch, "z9hG4bKtop");
    EXPECT_EQ(ack.toView()->tag, "busy-tag");
    EXPECT_EQ(ack.fromView()->tag, "alice-tag");
    EXPECT_EQ(ack.callId(), invite.callId());
    EXPECT_EQ(ack.get(HeaderId::CSeq), "1 ACK");
    EXPECT_EQ(ack.get(HeaderId::Route), "<sip:proxy.example.test;lr>");
    EXPECT_EQ(acks[0]->out.id, id);
    EXPECT_EQ(alice.layer.state(id), TransactionState::Completed);

    alice.advanceTo(2s);
    alice.receive(busy); // the server did not hear our ACK
    EXPECT_EQ(alice.sentRequests(Method::Ack).size(), 2u);
    EXPECT_EQ(alice.events<ResponseReceived>().size(), 1u);
    EXPECT_EQ(alice.sentRequests(Method::Invite).size(), 1u); // Timer A stopped at the 486

    alice.runUntilIdle();
    EXPECT_EQ(alice.firstTime<TransactionTerminated>(), 32100ms); // Timer D
    EXPECT_TRUE(alice.events<TransactionTimeout>().empty());
}

TEST(InviteClientTransaction, TerminatesAtOnceAfterA486OverTcp)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto id =
        alice.send(test::request(Method::Invite, "z9hG4bKtcp486"), Peer{Transport::Tcp, "b", 5060});
    alice.receive(test::answer(alice, 0, 486));
    EXPECT_EQ(alice.sentRequests(Method::Ack).size(), 1u);
    EXPECT_FALSE(alice.layer.state(id));
    EXPECT_EQ(alice.events<TransactionTerminated>().size(), 1u);
}

TEST(InviteClientTransaction, ReportsThe180AndThe200ThenTerminates)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto id = alice.send(test::request(Method::Invite, "z9hG4bK180"));
    alice.advanceTo(200ms);
    alice.receive(test::answer(alice, 0, 180));
    EXPECT_EQ(alice.layer.state(id), TransactionState::Proceeding);
    alice.advanceTo(40s); // Proceeding has no timers: no retransmission, no Timer B
    EXPECT_EQ(alice.sentRequests(Method::Invite).size(), 1u);
    alice.receive(test::answer(alice, 0, 200));
    const auto responses = alice.events<ResponseReceived>();
    ASSERT_EQ(responses.size(), 2u);
    EXPECT_EQ(responses[0].response.status(), 180);
    EXPECT_EQ(responses[1].response.status(), 200);
    EXPECT_EQ(alice.events<TransactionTerminated>().size(), 1u);
    EXPECT_TRUE(alice.sentRequests(Method::Ack).empty()); // the TU acknowledges a 2xx
    EXPECT_EQ(alice.layer.size(), 0u);
}

TEST(InviteClientTransaction, HandlesA200OvertakingThe180AndReportsTheRetransmitted200AsStray)
{
    VirtualClock clock;
    Endpoint alice(clock);
    alice.send(test::request(Method::Invite, "z9hG4bKreorder"));
    const Message ok = test::answer(alice, 0, 200);
    alice.receive(ok);
    alice.receive(test::answer(alice, 0, 180)); // late: no transaction left
    alice.receive(ok);                          // retransmitted 2xx: the dialog layer re-ACKs
    EXPECT_EQ(alice.events<ResponseReceived>().size(), 1u);
    EXPECT_EQ(alice.layer.droppedResponses(), 1u);
    ASSERT_EQ(alice.events<StrayResponse>().size(), 1u);
    EXPECT_EQ(alice.events<StrayResponse>()[0].from, kBob);
}

TEST(TransactionLayer, ReportsAStray2xxToInviteAndDropsOtherStrayResponses)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const Message invite = test::request(Method::Invite, "z9hG4bKnobody");
    alice.receive(TransactionLayer::buildResponse(invite, 200, "t"));
    alice.receive(TransactionLayer::buildResponse(invite, 486, "t"));
    alice.receive(TransactionLayer::buildResponse(test::request(Method::Bye, "z9hG4bKnobye", 2), 200, "t"));
    EXPECT_EQ(alice.events<StrayResponse>().size(), 1u);
    EXPECT_EQ(alice.layer.droppedResponses(), 2u);
}

TEST(TransactionLayer, RefusesRequestsItCannotMatchResponsesTo)
{
    VirtualClock clock;
    Endpoint alice(clock);
    auto ack = alice.layer.sendRequest(test::request(Method::Ack, "z9hG4bKack"), kBob, alice.now());
    EXPECT_FALSE(ack);
    auto old = alice.layer.sendRequest(test::request(Method::Options, "1234"), kBob, alice.now());
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().status, 400);
    Message noVia = test::request(Method::Options, "z9hG4bKx");
    noVia.removeHeaders(HeaderId::Via);
    EXPECT_FALSE(alice.layer.sendRequest(noVia, kBob, alice.now()));
    alice.send(test::request(Method::Options, "z9hG4bKdup"));
    EXPECT_FALSE(alice.layer.sendRequest(test::request(Method::Options, "z9hG4bKdup"), kBob, alice.now()));
    EXPECT_EQ(TransactionLayer::newBranch("0123abcd"), "z9hG4bK0123abcd");
}

TEST(TransactionLayer, ReportsATransportFailureAsATimeout)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto id = alice.send(test::request(Method::Invite, "z9hG4bKfail"));
    alice.layer.transportError(id, alice.now());
    alice.drain();
    ASSERT_EQ(alice.events<TransactionTimeout>().size(), 1u);
    EXPECT_EQ(alice.events<TransactionTimeout>()[0].cause, TimeoutCause::Transport);
    EXPECT_EQ(alice.events<TransactionTerminated>().size(), 1u);
    EXPECT_FALSE(alice.layer.nextTimeout());
}

TEST(TransactionLayer, FiresOnlyTheTimersDueAtNow)
{
    VirtualClock clock;
    Endpoint alice(clock);
    alice.send(test::request(Method::Invite, "z9hG4bKearly"));
    EXPECT_EQ(alice.layer.nextTimeout(), TimePoint{} + 500ms);
    alice.layer.onTimeout(TimePoint{} + 499ms);
    alice.drain();
    EXPECT_EQ(alice.sent.size(), 1u);
    alice.layer.onTimeout(TimePoint{} + 500ms);
    alice.drain();
    EXPECT_EQ(alice.sent.size(), 2u);
    EXPECT_EQ(alice.layer.nextTimeout(), TimePoint{} + 1500ms);
}

// ================================================================ non-INVITE client

TEST(NonInviteClientTransaction, RetransmitsOnTimerECappedAtT2AndGivesUpAtTimerF)
{
    VirtualClock clock;
    Endpoint alice(clock);
    alice.send(test::request(Method::Options, "z9hG4bKopt"));
    alice.runUntilIdle();
    EXPECT_EQ(alice.timesOf(alice.sentRequests(Method::Options)),
              ms({0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
    EXPECT_EQ(alice.firstTime<TransactionTimeout>(), 32s);
}

TEST(NonInviteClientTransaction, RetransmitsEveryT2InProceedingAndAbsorbsTheFinalsRetransmission)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto id = alice.send(test::request(Method::Bye, "z9hG4bKbye", 2));
    alice.advanceTo(100ms);
    alice.receive(test::answer(alice, 0, 100));
    EXPECT_EQ(alice.layer.state(id), TransactionState::Proceeding);
    alice.advanceTo(10s);
    EXPECT_EQ(alice.timesOf(alice.sentRequests(Method::Bye)), ms({0, 500, 4500, 8500}));
    const Message ok = test::answer(alice, 0, 200);
    alice.receive(ok);
    alice.receive(ok);
    EXPECT_EQ(alice.events<ResponseReceived>().size(), 2u); // 100 and one 200
    EXPECT_EQ(alice.layer.state(id), TransactionState::Completed);
    alice.runUntilIdle();
    EXPECT_EQ(alice.firstTime<TransactionTerminated>(), 15s); // Timer K = T4
    EXPECT_EQ(alice.sentRequests(Method::Bye).size(), 4u);
}

TEST(NonInviteClientTransaction, NeitherRetransmitsNorLingersOverTcp)
{
    VirtualClock clock;
    Endpoint alice(clock);
    alice.send(test::request(Method::Register, "z9hG4bKreg"), Peer{Transport::Tls, "registrar", 5061});
    alice.advanceTo(5s);
    EXPECT_EQ(alice.sentRequests(Method::Register).size(), 1u);
    alice.receive(test::answer(alice, 0, 200));
    EXPECT_EQ(alice.events<TransactionTerminated>().size(), 1u);
    EXPECT_EQ(alice.layer.size(), 0u);
}

// ================================================================ CANCEL, client side

TEST(CancelClientTransaction, IsHeldUntilTheFirstProvisionalThenSentAsSection9Says)
{
    VirtualClock clock;
    Endpoint alice(clock);
    Message invite = test::request(Method::Invite, "z9hG4bKcancelme", 7);
    invite.addHeader(HeaderId::Route, "<sip:proxy.example.test;lr>");
    const auto inviteId = alice.send(invite);
    auto cancelId = alice.layer.cancel(inviteId, alice.now());
    ASSERT_TRUE(cancelId);
    alice.drain();
    EXPECT_TRUE(alice.sentRequests(Method::Cancel).empty());
    EXPECT_EQ(alice.layer.cancel(inviteId, alice.now()).value(), *cancelId); // asked twice: the same one

    alice.advanceTo(700ms);
    alice.receive(test::answer(alice, 0, 180));
    auto cancels = alice.sentRequests(Method::Cancel);
    ASSERT_EQ(cancels.size(), 1u);
    const Message& cancel = cancels[0]->message;
    EXPECT_EQ(cancel.requestUriText(), invite.requestUriText());
    EXPECT_EQ(cancel.count(HeaderId::Via), 1u);
    EXPECT_EQ(cancel.topViaView()->branch, "z9hG4bKcancelme");
    EXPECT_EQ(cancel.get(HeaderId::CSeq), "7 CANCEL");
    EXPECT_EQ(cancel.get(HeaderId::To), invite.get(HeaderId::To));
    EXPECT_EQ(cancel.get(HeaderId::From), invite.get(HeaderId::From));
    EXPECT_EQ(cancel.get(HeaderId::Route), "<sip:proxy.example.test;lr>");
    EXPECT_EQ(cancels[0]->out.id, *cancelId);
    const auto cancelIndex = static_cast<std::size_t>(cancels[0] - alice.sent.data());

    // Same branch, different CSeq methods: each response finds its own transaction.
    alice.receive(test::answer(alice, cancelIndex, 200));
    alice.receive(test::answer(alice, 0, 487));
    const auto responses = alice.events<ResponseReceived>();
    ASSERT_EQ(responses.size(), 3u);
    EXPECT_EQ(responses[1].id, *cancelId);
    EXPECT_EQ(responses[1].response.status(), 200);
    EXPECT_EQ(responses[2].id, inviteId);
    EXPECT_EQ(responses[2].response.status(), 487);
    EXPECT_EQ(alice.sentRequests(Method::Ack).size(), 1u);
}

TEST(CancelClientTransaction, EndsUnsentWhenTheInviteFailsFirst)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto inviteId = alice.send(test::request(Method::Invite, "z9hG4bKquick"));
    const auto cancelId = alice.layer.cancel(inviteId, alice.now());
    ASSERT_TRUE(cancelId);
    alice.receive(test::answer(alice, 0, 603));
    EXPECT_TRUE(alice.sentRequests(Method::Cancel).empty());
    EXPECT_FALSE(alice.layer.state(*cancelId));
    EXPECT_EQ(alice.events<TransactionTerminated>().size(), 1u); // the CANCEL; the INVITE waits for D
    EXPECT_EQ(alice.layer.cancel(inviteId, alice.now()).error().status, 481);
}

TEST(CancelClientTransaction, GivesTheInviteUp64T1AfterTheCancelWithoutAFinalResponse)
{
    VirtualClock clock;
    Endpoint alice(clock);
    const auto inviteId = alice.send(test::request(Method::Invite, "z9hG4bKdeaf"));
    alice.receive(test::answer(alice, 0, 183));
    alice.advanceTo(60s);
    ASSERT_TRUE(alice.layer.cancel(inviteId, alice.now()));
    alice.drain();
    alice.receive(test::answer(alice, 1, 200)); // the CANCEL is answered, the INVITE never is
    alice.runUntilIdle();
    ASSERT_EQ(alice.events<TransactionTimeout>().size(), 1u);
    EXPECT_EQ(alice.events<TransactionTimeout>()[0].id, inviteId);
    EXPECT_EQ(alice.firstTime<TransactionTimeout>(), 92s);
}

// ================================================================ INVITE server

TEST(InviteServerTransaction, Sends100TryingAfter200msWhenTheTuIsSilent)
{
    VirtualClock clock;
    Endpoint bob(clock);
    bob.receive(test::request(Method::Invite, "z9hG4bKslow"), kAlice);
    ASSERT_EQ(bob.events<RequestReceived>().size(), 1u);
    EXPECT_EQ(bob.layer.nextTimeout(), TimePoint{} + 200ms);
    bob.advanceTo(1s);
    auto trying = bob.sentResponses(100);
    ASSERT_EQ(trying.size(), 1u);
    EXPECT_EQ(trying[0]->at, 200ms);
    EXPECT_EQ(trying[0]->out.to, kAlice);
    EXPECT_EQ(trying[0]->message.get(HeaderId::CSeq), "1 INVITE");
    EXPECT_EQ(trying[0]->message.topViaView()->branch, "z9hG4bKslow");
}

TEST(InviteServerTransaction, SendsNo100TryingWhenTheTuRingsFirstAndRepeatsTheLastResponse)
{
    VirtualClock clock;
    Endpoint bob(clock);
    const Message invite = test::request(Method::Invite, "z9hG4bKring");
    bob.receive(invite, kAlice);
    const auto id = bob.events<RequestReceived>().at(0).id;
    bob.advanceTo(50ms);
    ASSERT_TRUE(bob.respond(id, 180));
    bob.advanceTo(500ms);
    bob.receive(invite, kAlice); // retransmission
    EXPECT_TRUE(bob.sentResponses(100).empty());
    EXPECT_EQ(bob.timesOf(bob.sentResponses(180)), ms({50, 500}));
    EXPECT_EQ(bob.events<RequestReceived>().size(), 1u);
}

TEST(InviteServerTransaction, RetransmitsA486OnTimerGUntilTheAckThenEndsAtTimerI)
{
    VirtualClock clock;
    Endpoint bob(clock);
    const Message invite = test::request(Method::Invite, "z9hG4bKbusy");
    bob.receive(invite, kAlice);
    const auto id = bob.events<RequestReceived>().at(0).id;
    ASSERT_TRUE(bob.respond(id, 486));
    EXPECT_FALSE(bob.respond(id, 200)); // one final response only
    bob.advanceTo(5s);
    EXPECT_EQ(bob.timesOf(bob.sentResponses(486)), ms({0, 500, 1500, 3500}));
    bob.receive(invite, kAlice); // the INVITE again: the 486 again
    EXPECT_EQ(bob.sentResponses(486).size(), 5u);

    Message ack = test::request(Method::Ack, "z9hG4bKbusy");
    ack.setHeader(HeaderId::To, "<sip:bob@example.test>;tag=bob-tag");
    bob.receive(ack, kAlice);
    EXPECT_EQ(bob.layer.state(id), TransactionState::Confirmed);
    bob.receive(ack, kAlice); // absorbed
    EXPECT_TRUE(bob.events<AckReceived>().empty());
    bob.runUntilIdle();
    EXPECT_EQ(bob.sentResponses(486).size(), 5u);
    EXPECT_EQ(bob.firstTime<TransactionTerminated>(), 10s); // Timer I = T4 after the ACK
    EXPECT_TRUE(bob.events<TransactionTimeout>().empty());
}

TEST(InviteServerTransaction, GivesUpAtTimerHWhenNoAckComes)
{
    VirtualClock clock;
    Endpoint bob(clock);
    bob.receive(test::request(Method::Invite, "z9hG4bKnoack"), kAlice);
    const auto id = bob.events<RequestReceived>().at(0).id;
    ASSERT_TRUE(bob.respond(id, 603));
    bob.runUntilIdle();
    EXPECT_EQ(bob.timesOf(bob.sentResponses(603)),
              ms({0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
    ASSERT_EQ(bob.events<TransactionTimeout>().size(), 1u);
    EXPECT_EQ(bob.firstTime<TransactionTimeout>(), 32s);
}

TEST(InviteServerTransaction, AcceptsA2xxAbsorbsTheInviteAgainAndPassesAcksUp)
{
    VirtualClock clock;
    Endpoint bob(clock);
    const Message invite = test::request(Method::Invite, "z9hG4bKyes");
    bob.receive(invite, kAlice);
    const auto id = bob.events<RequestReceived>().at(0).id;
    ASSERT_TRUE(bob.respond(id, 200));
    EXPECT_EQ(bob.layer.state(id), TransactionState::Accepted);
    bob.advanceTo(1s);
    bob.receive(invite, kAlice);
    EXPECT_EQ(bob.sentResponses(200).size(), 1u); // RFC 6026: absorbed, the TU retransmits 2xx
    EXPECT_TRUE(bob.respond(id, 200));            // ...through the transaction
    EXPECT_EQ(bob.sentResponses(200).size(), 2u);

    Message ack = test::request(Method::Ack, "z9hG4bKnewbranch");
    ack.setHeader(HeaderId::To, "<sip:bob@example.test>;tag=bob-tag");
    bob.receive(ack, kAlice);
    ASSERT_EQ(bob.events<AckReceived>().size(), 1u);
    EXPECT_EQ(bob.events<AckReceived>()[0].from, kAlice);
    EXPECT_EQ(bob.events<AckReceived>()[0].ack.topViaView()->branch, "z9hG4bKnewbranch");
    bob.runUntilIdle();
    EXPECT_EQ(bob.firstTime<TransactionTerminated>(), 32s); // Timer L
    EXPECT_TRUE(bob.sentResponses(100).empty());
}

// ================================================================ non-INVITE server

TEST(NonInviteServerTransaction, AnswersRetransmissionsWithTheLastResponseUntilTimerJ)
{
    VirtualClock clock;
    Endpoint bob(clock);
    const Message options = test::request(Method::Options, "z9hG4bKping");
    bob.receive(options, kAlice);
    const auto id = bob.events<RequestReceived>().at(0).id;
    bob.advanceTo(500ms);
    bob.receive(options, kAlice); // Trying: nothing to repeat yet
    EXPECT_TRUE(bob.sent.empty());
    ASSERT_TRUE(bob.respond(id, 200));
    EXPECT_EQ(bob.layer.state(id), TransactionState::Completed);
    bob.advanceTo(1500ms);
    bob.receive(options, kAlice);
    EXPECT_EQ(bob.timesOf(bob.sentResponses(200)), ms({500, 1500}));
    EXPECT_EQ(bob.events<RequestReceived>().size(), 1u);
    bob.runUntilIdle();
    EXPECT_EQ(bob.firstTime<TransactionTerminated>(), 32500ms);
}

TEST(NonInviteServerTransaction, EndsAtOnceAfterTheFinalResponseOverTcp)
{
    VirtualClock clock;
    Endpoint bob(clock);
    const Peer alice{Transport::Tcp, "192.0.2.1", 40123};
    bob.receive(test::request(Method::Message, "z9hG4bKim"), alice);
    const auto id = bob.events<RequestReceived>().at(0).id;
    ASSERT_TRUE(bob.respond(id, 202));
    EXPECT_EQ(bob.sent.at(0).out.to, alice); // back where it came from
    EXPECT_EQ(bob.layer.size(), 0u);
}

// ================================================================ matching

TEST(ServerMatching, KeepsACancelOnItsOwnTransactionAndFindsTheInviteItCancels)
{
    VirtualClock clock;
    Endpoint bob(clock);
    bob.receive(test::request(Method::Invite, "z9hG4bKtarget"), kAlice);
    const Message cancel = test::request(Method::Cancel, "z9hG4bKtarget");
    bob.receive(cancel, kAlice);
    const auto requests = bob.events<RequestReceived>();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_NE(requests[0].id, requests[1].id);
    EXPECT_EQ(bob.layer.findInviteFor(requests[1].request), requests[0].id);
    EXPECT_FALSE(bob.layer.findInviteFor(test::request(Method::Cancel, "z9hG4bKother")));
    EXPECT_FALSE(bob.layer.findInviteFor(test::request(Method::Cancel, "z9hG4bKtarget", 1, "198.51.100.9")));
}

TEST(ServerMatching, MatchesRfc2543RequestsWithoutTheMagicCookie)
{
    VirtualClock clock;
    Endpoint bob(clock);
    const Message invite = test::request(Method::Invite, "old1");
    bob.receive(invite, kAlice);
    bob.receive(invite, kAlice); // retransmission
    Message otherCall = invite;
    otherCall.setHeader(HeaderId::From, "<sip:alice@example.test>;tag=another");
    bob.receive(otherCall, kAlice);
    const auto requests = bob.events<RequestReceived>();
    ASSERT_EQ(requests.size(), 2u);
    const auto id = requests[0].id;

    EXPECT_EQ(bob.layer.findInviteFor(test::request(Method::Cancel, "old1")), id);
    ASSERT_TRUE(bob.respond(id, 486, "busy"));
    Message wrongAck = test::request(Method::Ack, "old1");
    wrongAck.setHeader(HeaderId::To, "<sip:bob@example.test>;tag=nope");
    bob.receive(wrongAck, kAlice);
    EXPECT_EQ(bob.layer.state(id), TransactionState::Completed);
    EXPECT_EQ(bob.events<AckReceived>().size(), 1u); // not ours: up to the TU
    Message ack = test::request(Method::Ack, "old1");
    ack.setHeader(HeaderId::To, "<sip:bob@example.test>;tag=busy");
    bob.receive(ack, kAlice);
    EXPECT_EQ(bob.layer.state(id), TransactionState::Confirmed);
}

TEST(ServerMatching, TellsSameBranchRequestsFromDifferentSentByApart)
{
    VirtualClock clock;
    Endpoint bob(clock);
    bob.receive(test::request(Method::Options, "z9hG4bKsame", 1, "192.0.2.1:5060"), kAlice);
    bob.receive(test::request(Method::Options, "z9hG4bKsame", 1, "192.0.2.7:5060"), kAlice);
    bob.receive(test::request(Method::Info, "z9hG4bKsame", 2, "192.0.2.1:5060"), kAlice);
    EXPECT_EQ(bob.events<RequestReceived>().size(), 3u);
}

TEST(TransactionLayer, AnswersStatelesslyWith503WhenTheTableIsFull)
{
    VirtualClock clock;
    Endpoint bob(clock, {}, 1);
    bob.receive(test::request(Method::Options, "z9hG4bKfirst"), kAlice);
    bob.receive(test::request(Method::Invite, "z9hG4bKsecond"), kAlice);
    EXPECT_EQ(bob.events<RequestReceived>().size(), 1u);
    EXPECT_EQ(bob.layer.size(), 1u);
    auto busy = bob.sentResponses(503);
    ASSERT_EQ(busy.size(), 1u);
    EXPECT_EQ(busy[0]->out.id, 0u);
    EXPECT_EQ(busy[0]->out.to, kAlice);
    EXPECT_TRUE(busy[0]->message.get(HeaderId::RetryAfter));
    EXPECT_FALSE(busy[0]->message.toView()->tag.empty());
    EXPECT_EQ(busy[0]->message.topViaView()->branch, "z9hG4bKsecond");

    auto refused = bob.layer.sendRequest(test::request(Method::Options, "z9hG4bKmine"), kAlice, bob.now());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().status, 503);
}

// ================================================================ end to end

TEST(TransactionPair, CancelsARingingCallWhileTheNetworkDuplicatesEverything)
{
    Pair net;
    // bob's TU: ring at once; answer a CANCEL with 200 and the INVITE it cancels with 487.
    net.bobTu = [](Endpoint& bob, const TransactionEvent& ev) {
        auto* r = std::get_if<RequestReceived>(&ev);
        if (!r) return;
        if (r->request.method() == Method::Invite) bob.respond(r->id, 180);
        if (r->request.method() == Method::Cancel) {
            auto invite = bob.layer.findInviteFor(r->request);
            bob.respond(r->id, invite ? 200 : 481);
            if (invite) bob.respond(*invite, 487);
        }
    };
    std::vector<TransactionId> aliceIds;
    net.aliceTu = [&](Endpoint& alice, const TransactionEvent& ev) {
        auto* r = std::get_if<ResponseReceived>(&ev);
        if (r && r->response.status() == 180 && aliceIds.empty()) {
            aliceIds.push_back(*alice.layer.cancel(r->id, alice.now()));
            alice.drain();
        }
    };
    const auto inviteId = net.alice.send(test::request(Method::Invite, "z9hG4bKe2e"));
    net.pump();
    // Everything again, as a duplicating network would deliver it.
    for (const auto& s : std::vector<test::Sent>(net.alice.sent))
        net.bob.receive(s.message, kAlice);
    for (const auto& s : std::vector<test::Sent>(net.bob.sent))
        net.alice.receive(s.message, kBob);
    net.runUntilIdle();

    ASSERT_EQ(aliceIds.size(), 1u);
    std::map<int, int> reported; // status -> times; every 180 goes up, each final once
    for (const auto& r : net.alice.events<ResponseReceived>()) {
        ++reported[r.response.status()];
        EXPECT_EQ(r.id, r.response.status() == 200 ? aliceIds[0] : inviteId);
    }
    EXPECT_GE(reported[180], 1);
    EXPECT_EQ(reported[200], 1);
    EXPECT_EQ(reported[487], 1);
    EXPECT_EQ(net.bob.events<RequestReceived>().size(), 2u); // INVITE and CANCEL, once each
    EXPECT_GE(net.alice.sentRequests(Method::Ack).size(), 1u);
    EXPECT_TRUE(net.bob.events<TransactionTimeout>().empty());
    EXPECT_TRUE(net.alice.events<TransactionTimeout>().empty());
    EXPECT_TRUE(net.bob.events<AckReceived>().empty());
    EXPECT_EQ(net.alice.layer.size(), 0u);
    EXPECT_EQ(net.bob.layer.size(), 0u);
}

TEST(TransactionPair, CompletesAnOptionsExchangeAcrossALossyNetwork)
{
    Pair net;
    int dropped = 0;
    net.lose = [&](const test::Sent& s) { return s.message.isRequest() && dropped++ < 2; }; // first two lost
    net.bobTu = [](Endpoint& bob, const TransactionEvent& ev) {
        if (auto* r = std::get_if<RequestReceived>(&ev)) bob.respond(r->id, 200);
    };
    net.alice.send(test::request(Method::Options, "z9hG4bKlossy"));
    net.runUntilIdle();
    EXPECT_EQ(net.alice.timesOf(net.alice.sentRequests(Method::Options)), ms({0, 500, 1500}));
    ASSERT_EQ(net.alice.events<ResponseReceived>().size(), 1u);
    EXPECT_EQ(net.alice.firstTime<ResponseReceived>(), 1500ms);
    EXPECT_TRUE(net.alice.events<TransactionTimeout>().empty());
}
