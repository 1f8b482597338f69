// Redirects (RFC 3261 §8.1.3.4): following a 3xx to our INVITE in q order, loop and limit
// protection, trying the next Contact after a failure, and answering with a 3xx (redirect()).
#include "ua_test_net.h"

using namespace uatest;

namespace {

const Peer kCarol{Transport::Udp, "192.0.2.13", 5060};

/// A redirect server at kServer: answers every INVITE with `status` and `contacts`, or when
/// `chain` is set with a Contact naming a fresh user there each time (an endless chain).
struct Redirector {
    explicit Redirector(Net& n) : net(n) {}
    Net& net;
    int status = 302;
    std::vector<std::string> contacts;
    bool chain = false;
    int invites = 0;

    void operator()(const Message& m, const Peer& from)
    {
        if (!m.isRequest() || m.method() != Method::Invite) return;
        ++invites;
        Message r = TransactionLayer::buildResponse(m, status, "r" + std::to_string(invites));
        if (chain) r.addHeader(HeaderId::Contact, "<sip:hop" + std::to_string(invites) + "@192.0.2.10>");
        for (const auto& c : contacts)
            r.addHeader(HeaderId::Contact, c);
        net.send(kServer, from, r);
    }
};

std::vector<CallStateChanged> statesOf(const Node& n, CallHandle h)
{
    std::vector<CallStateChanged> out;
    for (const auto& e : n.seen<CallStateChanged>()) {
        if (e.call == h) out.push_back(e);
    }
    return out;
}

} // namespace

TEST(Redirect, A302IsFollowedToTheHighestQContactWithANewInviteAndTheSameOffer)
{
    Net net;
    Redirector redirector{net};
    redirector.contacts = {"<sip:nobody@192.0.2.14>;q=0.5", "<sip:bob@192.0.2.2>;q=0.9"};
    net.addScript(kServer, std::ref(redirector));
    Node& alice = net.addUa(kAlice, directConfig());
    Node& bob = net.addUa(kBob, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:bob@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    const auto incoming = bob.seen<IncomingCall>();
    ASSERT_EQ(incoming.size(), 1u);
    EXPECT_EQ(incoming[0].sdp, "v=0 offer");
    bob.ua->answer(incoming[0].call, "v=0 answer", net.now);
    net.flush();
    ASSERT_TRUE(alice.lastCallEvent(h));
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    EXPECT_EQ(alice.lastCallEvent(h)->sdp, "v=0 answer");
    const auto states = statesOf(alice, h);
    ASSERT_GE(states.size(), 3u);
    EXPECT_EQ(states[1].state, CallState::Calling);
    EXPECT_EQ(states[1].code, 302);
    EXPECT_EQ(states[1].reason, "redirected to sip:bob@192.0.2.2");
    const auto invites = net.sent(kAlice, Method::Invite);
    ASSERT_EQ(invites.size(), 2u);
    EXPECT_EQ(invites[1].requestUriText(), "sip:bob@192.0.2.2");
    EXPECT_NE(invites[1].callId(), invites[0].callId());
    EXPECT_NE(invites[1].fromView()->tag, invites[0].fromView()->tag);
    EXPECT_NE(invites[1].topVia()->branch(), invites[0].topVia()->branch());
    EXPECT_EQ(invites[1].cseq()->sequence, 1u);
    EXPECT_EQ(invites[1].body(), "v=0 offer");
    for (const auto& w : net.log)
        EXPECT_NE(w.to.host, "192.0.2.14"); // the q=0.5 one: never needed
    EXPECT_EQ(alice.ua->activeCalls(), 1u);
}

TEST(Redirect, AFailedTargetIsFollowedByTheNextContact)
{
    Net net;
    Redirector redirector{net};
    redirector.contacts = {"<sip:carol@192.0.2.13>;q=1.0", "<sip:bob@192.0.2.2>;q=0.2"};
    net.addScript(kServer, std::ref(redirector));
    int carolInvites = 0;
    net.addScript(kCarol, [&](const Message& m, const Peer& from) {
        if (!m.isRequest() || m.method() != Method::Invite) return;
        ++carolInvites;
        net.send(kCarol, from, TransactionLayer::buildResponse(m, 486, "busy"));
    });
    Node& alice = net.addUa(kAlice, directConfig());
    Node& bob = net.addUa(kBob, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:x@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    EXPECT_EQ(carolInvites, 1);
    const auto incoming = bob.seen<IncomingCall>();
    ASSERT_EQ(incoming.size(), 1u);
    bob.ua->answer(incoming[0].call, "v=0 answer", net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    const auto states = statesOf(alice, h);
    ASSERT_GE(states.size(), 4u);
    EXPECT_EQ(states[1].reason, "redirected to sip:carol@192.0.2.13");
    EXPECT_EQ(states[2].code, 486);
    EXPECT_EQ(states[2].reason, "redirected to sip:bob@192.0.2.2");
}

TEST(Redirect, ARedirectBackToATargetAlreadyCalledIsALoop)
{
    Net net;
    Redirector redirector{net};
    redirector.contacts = {"<sip:x@192.0.2.10>"};
    net.addScript(kServer, std::ref(redirector));
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:x@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    EXPECT_EQ(redirector.invites, 1);
    ASSERT_TRUE(alice.lastCallEvent(h));
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(h)->code, 302);
    EXPECT_EQ(alice.lastCallEvent(h)->reason, "redirect loop");
    EXPECT_EQ(alice.ua->activeCalls(), 0u);
}

TEST(Redirect, AnEndlessChainStopsAfterFiveRedirects)
{
    Net net;
    Redirector redirector{net};
    redirector.chain = true;
    redirector.status = 301;
    net.addScript(kServer, std::ref(redirector));
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:x@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    EXPECT_EQ(redirector.invites, 6); // the first INVITE and five redirected ones
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(h)->code, 301);
    EXPECT_EQ(alice.lastCallEvent(h)->reason, "redirect loop (more than 5 redirects)");
    EXPECT_EQ(statesOf(alice, h).size(), 7u); // Calling, five redirects, Terminated
}

TEST(Redirect, A3xxWithoutAUsableContactEndsTheCall)
{
    Net net;
    Redirector redirector{net};
    redirector.contacts = {"<tel:+15550100>", "<mailto:x@example.test>"};
    net.addScript(kServer, std::ref(redirector));
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:x@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(h)->code, 302);
    EXPECT_EQ(alice.lastCallEvent(h)->reason, "redirect without a usable Contact");

    redirector.contacts.clear();
    const CallHandle h2 = alice.ua->call(uri("sip:y@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(h2)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(h2)->code, 302);
}

TEST(Redirect, TheCalleeForwardsWithA302AndTheCallerFollowsIt)
{
    Net net;
    Node& alice = net.addUa(kAlice, directConfig());
    Node& bob = net.addUa(kBob, directConfig());
    Node& carol = net.addUa(kCarol, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:bob@192.0.2.2"), "v=0 offer", net.now);
    net.flush();
    const auto atBob = bob.seen<IncomingCall>();
    ASSERT_EQ(atBob.size(), 1u);
    bob.ua->redirect(atBob[0].call, 302, {uri("sip:carol@192.0.2.13")}, net.now);
    net.flush();
    EXPECT_EQ(bob.lastCallEvent(atBob[0].call)->state, CallState::Terminated);
    EXPECT_EQ(bob.lastCallEvent(atBob[0].call)->code, 302);
    EXPECT_EQ(bob.lastCallEvent(atBob[0].call)->reason, "redirected to sip:carol@192.0.2.13");
    const auto responses = net.responses(kBob, 302);
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_EQ(responses[0].message.contactUri()->toString(), "sip:carol@192.0.2.13");
    const auto atCarol = carol.seen<IncomingCall>();
    ASSERT_EQ(atCarol.size(), 1u);
    carol.ua->answer(atCarol[0].call, "v=0 answer", net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    EXPECT_EQ(bob.ua->activeCalls(), 0u);
    EXPECT_EQ(carol.ua->activeCalls(), 1u);
}
