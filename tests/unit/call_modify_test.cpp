// Session changes in a call: our re-INVITE (RFC 3261 §14), glare and its back-off, UPDATE
// (RFC 3311) both ways, and the failures that end a call or leave it up (RFC 5057).
#include "ua_test_net.h"

using namespace uatest;

namespace {

/// Alice has called Bob and he answered: a confirmed call on both sides.
struct ConfirmedCall : DirectCall {
    CallHandle out = 0;
    CallHandle in = 0;

    void SetUp() override
    {
        out = dial();
        in = incoming();
        bob.ua->answer(in, "v=0 answer", net.now);
        net.flush();
        ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
        ASSERT_EQ(bob.lastCallEvent(in)->state, CallState::Confirmed);
    }
    static std::vector<CallModified> modifications(const Node& n, ModifyOrigin origin)
    {
        std::vector<CallModified> out;
        for (const auto& m : n.seen<CallModified>()) {
            if (m.origin == origin) out.push_back(m);
        }
        return out;
    }
};

/// A peer at kServer that answered alice's call and then answers every in-dialog INVITE or
/// UPDATE with `status`; BYE with 200.
struct ModifyResponder {
    explicit ModifyResponder(Net& n) : net(n) {}
    Net& net;
    int status = 200;
    std::vector<Message> requests;

    void operator()(const Message& m, const Peer& from)
    {
        if (!m.isRequest()) return;
        requests.push_back(m);
        if (m.method() == Method::Ack) return;
        const bool reinvite = m.method() == Method::Invite && m.toView() && !m.toView()->tag.empty();
        const int code = (reinvite || m.method() == Method::Update) ? status : 200;
        Message r = TransactionLayer::buildResponse(m, code, "srv");
        if (code / 100 == 2 && (m.method() == Method::Invite || m.method() == Method::Update)) {
            r.addHeader(HeaderId::Contact, "<sip:srv@192.0.2.10>");
            r.setBody("v=0 server", "application/sdp");
        }
        net.send(kServer, from, r);
    }
};

} // namespace

TEST_F(ConfirmedCall, ReInviteIsAnsweredAckedAndReportedOnBothSides)
{
    alice.ua->reinvite(out, "v=0 hold", net.now);
    net.flush();
    const auto invites = net.sent(kAlice, Method::Invite);
    ASSERT_EQ(invites.size(), 2u);
    EXPECT_EQ(invites[1].cseq()->sequence, 2u);
    EXPECT_EQ(invites[1].body(), "v=0 hold");
    EXPECT_FALSE(invites[1].toView()->tag.empty());
    EXPECT_TRUE(invites[1].get(HeaderId::Contact));
    const auto acks = net.sent(kAlice, Method::Ack);
    ASSERT_EQ(acks.size(), 2u);
    EXPECT_EQ(acks[1].cseq()->sequence, 2u);

    const auto mine = modifications(alice, ModifyOrigin::Local);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].call, out);
    EXPECT_EQ(mine[0].method, Method::Invite);
    EXPECT_EQ(mine[0].code, 200);
    EXPECT_EQ(mine[0].sdp, "v=0 answer");
    const auto theirs = modifications(bob, ModifyOrigin::Remote);
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_EQ(theirs[0].sdp, "v=0 hold");
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed); // no new state events
    net.runFor(10s);
    EXPECT_EQ(net.responses(kBob, 200).size(), 2u); // ACKed: no retransmission
    EXPECT_EQ(bob.ua->activeCalls(), 1u);

    // The callee can re-INVITE too, and the session we answer with is the one we changed to.
    bob.ua->reinvite(in, "v=0 bob2", net.now);
    net.flush();
    EXPECT_EQ(modifications(bob, ModifyOrigin::Local).at(0).sdp, "v=0 hold");
    EXPECT_EQ(modifications(bob, ModifyOrigin::Local).at(0).code, 200);
    EXPECT_EQ(net.sent(kBob, Method::Ack).size(), 1u);
}

TEST_F(ConfirmedCall, GlareGets491BothWaysAndEachSideRetriesAfterItsBackOff)
{
    alice.ua->reinvite(out, "v=0 alice2", net.now);
    bob.ua->reinvite(in, "v=0 bob2", net.now); // crosses alice's on the wire
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 491).size(), 1u);
    EXPECT_EQ(net.responses(kBob, 491).size(), 1u);
    EXPECT_TRUE(alice.seen<CallModified>().empty()); // not reported: retried
    // Bob does not own the Call-ID: 0-2 s. Alice does: 2.1-4 s, so Bob's goes first.
    net.runFor(2050ms);
    EXPECT_EQ(net.sent(kBob, Method::Invite).size(), 2u);
    EXPECT_EQ(net.sent(kAlice, Method::Invite).size(), 2u);
    net.runFor(2s);
    EXPECT_EQ(net.sent(kAlice, Method::Invite).size(), 3u);
    const auto a = modifications(alice, ModifyOrigin::Local);
    const auto b = modifications(bob, ModifyOrigin::Local);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(a[0].code, 200);
    EXPECT_EQ(b[0].code, 200);
    EXPECT_EQ(a[0].sdp, "v=0 bob2"); // bob's session after his own change
    EXPECT_EQ(modifications(alice, ModifyOrigin::Remote).size(), 1u);
    EXPECT_EQ(modifications(bob, ModifyOrigin::Remote).size(), 1u);
    EXPECT_EQ(alice.ua->activeCalls(), 1u);
    EXPECT_EQ(bob.ua->activeCalls(), 1u);
}

TEST_F(ConfirmedCall, SecondOfferWhileOneIsPendingIsRefusedLocally)
{
    alice.ua->reinvite(out, "v=0 one", net.now);
    alice.ua->update(out, "v=0 two", net.now);
    const auto mine = alice.ua->pollEvent();
    net.flush();
    ASSERT_TRUE(mine);
    const auto* m = std::get_if<CallModified>(&*mine);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->code, 0);
    EXPECT_EQ(m->method, Method::Update);
    EXPECT_EQ(net.sent(kAlice, Method::Update).size(), 0u);
}

TEST_F(ConfirmedCall, UpdateWithAnOfferIsAnsweredWithOurSession)
{
    alice.ua->update(out, "v=0 alice-update", net.now);
    net.flush();
    const auto updates = net.sent(kAlice, Method::Update);
    ASSERT_EQ(updates.size(), 1u);
    EXPECT_TRUE(updates[0].get(HeaderId::Contact));
    const auto ok = net.responses(kBob, 200).back().message;
    EXPECT_EQ(ok.cseq()->method, Method::Update);
    EXPECT_EQ(ok.body(), "v=0 answer");
    EXPECT_TRUE(ok.get(HeaderId::Contact));
    EXPECT_EQ(modifications(alice, ModifyOrigin::Local).at(0).code, 200);
    EXPECT_EQ(modifications(alice, ModifyOrigin::Local).at(0).method, Method::Update);
    EXPECT_EQ(modifications(bob, ModifyOrigin::Remote).at(0).sdp, "v=0 alice-update");
    EXPECT_EQ(net.sent(kAlice, Method::Ack).size(), 1u); // UPDATE is no INVITE: no ACK
}

TEST_F(ConfirmedCall, UpdateCrossingOurReInviteGets491)
{
    alice.ua->reinvite(out, "v=0 alice2", net.now);
    bob.ua->update(in, "v=0 bob-update", net.now);
    net.flush();
    // Each side has its own offer pending: the other's gets 491 (RFC 3311 §5.2, RFC 3261 §14.2).
    EXPECT_EQ(net.responses(kAlice, 491).size(), 1u);
    EXPECT_EQ(net.responses(kAlice, 491).at(0).message.cseq()->method, Method::Update);
    EXPECT_EQ(net.responses(kBob, 491).size(), 1u);
    net.runFor(5s);
    EXPECT_EQ(modifications(alice, ModifyOrigin::Local).at(0).code, 200);
    EXPECT_EQ(modifications(bob, ModifyOrigin::Local).at(0).code, 200);
}

TEST(CallModify, UpdateInAnEarlyDialogBeforeTheOfferIsAnsweredGets500WithRetryAfter)
{
    Net net;
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    Node& bob = net.addUa(kBob, directConfig());
    net.send(kServer, kBob,
             parse("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
                   "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKe1\r\n"
                   "Max-Forwards: 70\r\n"
                   "From: <sip:carol@192.0.2.10>;tag=c1\r\n"
                   "To: <sip:bob@192.0.2.2>\r\n"
                   "Call-ID: early1\r\n"
                   "CSeq: 1 INVITE\r\n"
                   "Contact: <sip:carol@192.0.2.10>\r\n"
                   "Content-Type: application/sdp\r\n\r\n"
                   "v=0 carol"));
    net.flush();
    const CallHandle in = bob.seen<IncomingCall>().at(0).call;
    bob.ua->ringing(in, net.now);
    net.flush();
    const std::string tag(got.back().toView()->tag);
    auto update = [&](std::string_view branch, std::string_view body) {
        Message u = parse("UPDATE sip:bob@192.0.2.2 SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" +
                          std::string(branch) +
                          "\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: <sip:carol@192.0.2.10>;tag=c1\r\n"
                          "To: <sip:bob@192.0.2.2>;tag=" +
                          tag +
                          "\r\n"
                          "Call-ID: early1\r\n"
                          "CSeq: 2 UPDATE\r\n"
                          "Contact: <sip:carol2@192.0.2.10>\r\n"
                          "Content-Length: 0\r\n\r\n");
        if (!body.empty()) u.setBody(body, "application/sdp");
        net.send(kServer, kBob, u);
        net.flush();
    };
    update("z9hG4bKu1", "v=0 carol2");
    EXPECT_EQ(got.back().status(), 500);
    const auto retryAfter = parseRetryAfter(got.back().get(HeaderId::RetryAfter).value_or(""));
    ASSERT_TRUE(retryAfter);
    EXPECT_LE(retryAfter->seconds, 10u);
    update("z9hG4bKu2", ""); // no offer: a target refresh, accepted in the early dialog
    EXPECT_EQ(got.back().status(), 200);
    EXPECT_EQ(got.back().toView()->tag, tag);
    bob.ua->answer(in, "v=0 bob", net.now);
    net.flush();
    // Requests in the dialog go to the target the UPDATE refreshed: the BYE shows it (sent
    // when Bob gives up waiting for the ACK this script never sends).
    bob.ua->hangUp(in, net.now);
    net.runFor(40s);
    const auto byes = net.sent(kBob, Method::Bye); // one BYE, retransmitted: nobody answers it
    ASSERT_FALSE(byes.empty());
    EXPECT_EQ(byes[0].requestUriText(), "sip:carol2@192.0.2.10");
    EXPECT_EQ(byes.back().topVia()->branch(), byes[0].topVia()->branch());
}

TEST(CallModify, ReInviteRefusedWith488LeavesTheCallUpAnd481EndsIt)
{
    Net net;
    ModifyResponder peer{net};
    net.addScript(kServer, std::ref(peer));
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:srv@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    ASSERT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    peer.status = 488;
    alice.ua->reinvite(h, "v=0 video", net.now);
    net.flush();
    ASSERT_EQ(alice.seen<CallModified>().size(), 1u);
    EXPECT_EQ(alice.seen<CallModified>()[0].code, 488);
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    EXPECT_EQ(alice.ua->activeCalls(), 1u);
    // The transaction ACKed the 488 itself, with the re-INVITE's CSeq.
    EXPECT_EQ(net.sent(kAlice, Method::Ack).back().cseq()->sequence, 2u);

    peer.status = 481;
    alice.ua->update(h, "v=0 again", net.now);
    net.flush();
    EXPECT_EQ(alice.seen<CallModified>().back().code, 481);
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(h)->code, 481);
    EXPECT_EQ(alice.ua->activeCalls(), 0u);
}

TEST(CallModify, ReInviteNeverAnsweredEndsTheCallWithBye)
{
    Net net;
    ModifyResponder peer{net};
    net.addScript(kServer, std::ref(peer));
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:srv@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    net.drop = [](const Wire& w) {
        return w.message.isRequest() && w.message.method() == Method::Invite &&
               w.message.cseq()->sequence == 2;
    };
    alice.ua->reinvite(h, "v=0 hold", net.now);
    net.runFor(40s);
    EXPECT_EQ(alice.seen<CallModified>().back().code, 408);
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(h)->code, 408);
    EXPECT_EQ(net.sent(kAlice, Method::Bye).size(), 1u);
}

namespace {

/// Bob's media layer answers re-offers (UaConfig::answerOffer): "v=0 video" is refused with
/// 488 and a reason, anything else answered with "answer to <offer>".
struct AnsweringCall : ::testing::Test {
    Net net;
    std::vector<std::pair<CallHandle, std::string>> offers;
    Node& alice = net.addUa(kAlice, directConfig());
    Node& bob = net.addUa(kBob, answering());
    CallHandle out = 0;
    CallHandle in = 0;

    UaConfig answering()
    {
        UaConfig c = accountConfig("sip:bob@example.test");
        c.answerOffer = [this](CallHandle call, std::string_view offer) {
            offers.emplace_back(call, std::string(offer));
            if (offer == "v=0 video") return OfferReply{488, {}, "no video \"here\""};
            return OfferReply{200, "answer to " + std::string(offer), {}};
        };
        return c;
    }
    void SetUp() override
    {
        out = alice.ua->call(uri("sip:bob@192.0.2.2"), "v=0 offer", net.now);
        net.flush();
        in = bob.seen<IncomingCall>().at(0).call;
        bob.ua->answer(in, "v=0 answer", net.now);
        net.flush();
        ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    }
};

} // namespace

TEST_F(AnsweringCall, ReInviteAndUpdateOffersAreAnsweredByTheMediaLayer)
{
    alice.ua->reinvite(out, "v=0 hold", net.now);
    net.flush();
    ASSERT_EQ(offers.size(), 1u);
    EXPECT_EQ(offers[0].first, in);
    EXPECT_EQ(offers[0].second, "v=0 hold");
    EXPECT_EQ(net.responses(kBob, 200).back().message.body(), "answer to v=0 hold");
    const auto local = alice.seen<CallModified>();
    ASSERT_EQ(local.size(), 1u);
    EXPECT_EQ(local[0].code, 200);
    EXPECT_EQ(local[0].sdp, "answer to v=0 hold");

    alice.ua->update(out, "v=0 resume", net.now);
    net.flush();
    ASSERT_EQ(offers.size(), 2u);
    EXPECT_EQ(net.responses(kBob, 200).back().message.body(), "answer to v=0 resume");
    // Bob's own re-INVITE now offers the session he last answered with.
    bob.ua->reinvite(in, "v=0 bob", net.now);
    net.flush();
    EXPECT_EQ(offers.size(), 2u); // our own offer is not handed to the media layer
    // An offerless UPDATE (target refresh) is not an offer either.
    alice.ua->update(out, "", net.now);
    net.flush();
    EXPECT_EQ(offers.size(), 2u);
}

TEST_F(AnsweringCall, RefusedOfferGets488WithAWarningAndTheCallStaysUp)
{
    alice.ua->reinvite(out, "v=0 video", net.now);
    net.flush();
    const auto refused = net.responses(kBob, 488);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].message.get(HeaderId::Warning).value_or(""), "399 vphone \"no video 'here'\"");
    EXPECT_EQ(net.sent(kAlice, Method::Ack).size(), 2u); // the 488 is ACKed
    const auto remote = bob.seen<CallModified>();
    ASSERT_EQ(remote.size(), 1u);
    EXPECT_EQ(remote[0].code, 488);
    EXPECT_EQ(remote[0].reason, "no video \"here\"");
    EXPECT_EQ(alice.seen<CallModified>().at(0).code, 488);
    net.runFor(40s);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    EXPECT_EQ(bob.ua->activeCalls(), 1u);

    // The next offer is answered again, and a refused UPDATE gets 488 too.
    alice.ua->update(out, "v=0 video", net.now);
    net.flush();
    EXPECT_EQ(net.responses(kBob, 488).size(), 2u);
    alice.ua->reinvite(out, "v=0 audio", net.now);
    net.flush();
    EXPECT_EQ(net.responses(kBob, 200).back().message.body(), "answer to v=0 audio");
}
