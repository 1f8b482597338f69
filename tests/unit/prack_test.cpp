// RFC 3262 reliable provisional responses (100rel/PRACK), both sides of a call, on the virtual
// clock of ua_test_net.h.
#include "ua_test_net.h"

using namespace uatest;

namespace {

/// Alice calls Bob, who sends his 1xx reliably when the INVITE supports it.
struct ReliableCall : ::testing::Test {
    Net net;
    Node& alice = net.addUa(kAlice, directConfig());
    Node& bob = net.addUa(kBob, [] {
        UaConfig c = directConfig();
        c.reliableProvisional = ReliableProvisional::WhenSupported;
        return c;
    }());

    CallHandle dial()
    {
        const CallHandle h = alice.ua->call(uri("sip:bob@192.0.2.2"), "v=0 offer", net.now);
        net.flush();
        return h;
    }
    CallHandle incoming() { return bob.seen<IncomingCall>().at(0).call; }
};

/// A request as a scripted peer at kServer sends it to Bob.
Message inviteWithRequire(std::string_view branch)
{
    return parse("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
                 "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" +
                 std::string(branch) +
                 "\r\n"
                 "Max-Forwards: 70\r\n"
                 "From: <sip:carol@192.0.2.10>;tag=c1\r\n"
                 "To: <sip:bob@192.0.2.2>\r\n"
                 "Call-ID: rel1\r\n"
                 "CSeq: 7 INVITE\r\n"
                 "Contact: <sip:carol@192.0.2.10>\r\n"
                 "Require: 100rel\r\n"
                 "Content-Type: application/sdp\r\n"
                 "\r\n"
                 "v=0 carol");
}

Message prack(std::string_view rack, std::string_view toTag, std::string_view branch)
{
    return parse("PRACK sip:bob@192.0.2.2 SIP/2.0\r\n"
                 "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" +
                 std::string(branch) +
                 "\r\n"
                 "Max-Forwards: 70\r\n"
                 "From: <sip:carol@192.0.2.10>;tag=c1\r\n"
                 "To: <sip:bob@192.0.2.2>;tag=" +
                 std::string(toTag) +
                 "\r\n"
                 "Call-ID: rel1\r\n"
                 "CSeq: 8 PRACK\r\n"
                 "RAck: " +
                 std::string(rack) +
                 "\r\n"
                 "Content-Length: 0\r\n\r\n");
}

} // namespace

TEST_F(ReliableCall, InviteAdvertises100relAndAllowsPrackAndUpdate)
{
    dial();
    const Message invite = net.sent(kAlice, Method::Invite).at(0);
    const auto supported = invite.values(HeaderId::Supported);
    EXPECT_NE(std::find(supported.begin(), supported.end(), "100rel"), supported.end());
    const std::string allow(invite.get(HeaderId::Allow).value_or(""));
    EXPECT_NE(allow.find("PRACK"), std::string::npos);
    EXPECT_NE(allow.find("UPDATE"), std::string::npos);
}

TEST_F(ReliableCall, RingingIsPrackedThenAnsweredAndTheDialogCSeqCountsThePrack)
{
    const CallHandle out = dial();
    const CallHandle in = incoming();
    bob.ua->ringing(in, net.now);
    net.flush();
    const auto ringing = net.responses(kBob, 180);
    ASSERT_EQ(ringing.size(), 1u);
    EXPECT_EQ(ringing[0].message.get(HeaderId::Require), "100rel");
    const std::string rseq(ringing[0].message.get(HeaderId::RSeq).value_or(""));
    ASSERT_FALSE(rseq.empty());
    const auto pracks = net.sent(kAlice, Method::Prack);
    ASSERT_EQ(pracks.size(), 1u);
    EXPECT_EQ(pracks[0].get(HeaderId::RAck), rseq + " 1 INVITE");
    EXPECT_EQ(pracks[0].cseq()->sequence, 2u);
    EXPECT_EQ(pracks[0].toView()->tag, ringing[0].message.toView()->tag);
    EXPECT_EQ(net.responses(kBob, 200).size(), 1u); // the PRACK's 200
    EXPECT_TRUE(alice.sawState(out, CallState::Ringing));

    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Confirmed);
    EXPECT_EQ(net.sent(kAlice, Method::Ack).at(0).cseq()->sequence, 1u); // the INVITE's number
    net.runFor(5s);
    EXPECT_EQ(net.responses(kBob, 180).size(), 1u); // PRACKed: never retransmitted
    alice.ua->hangUp(out, net.now);
    net.flush();
    EXPECT_EQ(net.sent(kAlice, Method::Bye).at(0).cseq()->sequence, 3u);
    EXPECT_EQ(bob.lastCallEvent(in)->reason, "BYE received");
}

TEST_F(ReliableCall, AnswerWaitsForThePrackAndRetransmittedRingingIsNotPrackedAgain)
{
    int prackDrops = 0;
    net.drop = [&](const Wire& w) {
        return w.message.isRequest() && w.message.method() == Method::Prack && prackDrops++ == 0;
    };
    const CallHandle out = dial();
    const CallHandle in = incoming();
    bob.ua->ringing(in, net.now);
    bob.ua->answer(in, "v=0 answer", net.now); // before any PRACK: queued (RFC 3262 §3)
    net.flush();
    EXPECT_TRUE(net.responses(kBob, 200).empty());
    EXPECT_FALSE(alice.sawState(out, CallState::Confirmed));
    net.runFor(1s); // the 180 comes again at 0.5 s; the PRACK's own retransmission gets through
    EXPECT_GE(net.responses(kBob, 180).size(), 2u);
    std::set<std::string> branches;
    for (const auto& p : net.sent(kAlice, Method::Prack)) {
        branches.insert(p.topVia()->branch());
    }
    EXPECT_EQ(branches.size(), 1u); // one PRACK transaction, retransmitted by its Timer E
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Confirmed);
}

TEST(ReliableProvisional, RetransmittedAndOutOfOrderResponsesAreNotPracked)
{
    Net net;
    std::vector<Message> pracks;
    std::optional<Message> invite;
    auto reliable = [&](std::uint32_t rseq) {
        Message r = TransactionLayer::buildResponse(*invite, 183, "srv");
        r.addHeader(HeaderId::Contact, "<sip:srv@192.0.2.10>");
        r.addHeader(HeaderId::Require, "100rel");
        r.addHeader(HeaderId::RSeq, std::to_string(rseq));
        r.setBody("v=0 early", "application/sdp");
        net.send(kServer, kAlice, r);
    };
    net.addScript(kServer, [&](const Message& m, const Peer& from) {
        if (!m.isRequest()) return;
        if (m.method() == Method::Invite) invite = m;
        if (m.method() == Method::Prack) {
            pracks.push_back(m);
            net.send(kServer, from, TransactionLayer::buildResponse(m, 200));
        }
    });
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:srv@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    ASSERT_TRUE(invite);
    reliable(5);
    net.flush();
    reliable(5); // retransmission
    reliable(7); // out of order: 6 is missing
    net.flush();
    ASSERT_EQ(pracks.size(), 1u);
    EXPECT_EQ(pracks[0].get(HeaderId::RAck), "5 1 INVITE");
    EXPECT_EQ(pracks[0].requestUriText(), "sip:srv@192.0.2.10");
    EXPECT_EQ(alice.callEvents(h).size(), 2u); // Calling, EarlyMedia once
    reliable(6);
    net.flush();
    ASSERT_EQ(pracks.size(), 2u);
    EXPECT_EQ(pracks[1].get(HeaderId::RAck), "6 1 INVITE");
    EXPECT_GT(pracks[1].cseq()->sequence, pracks[0].cseq()->sequence);
}

TEST(ReliableProvisional, RequiredByTheCallerEvenWhenNotPreferredAndWrongRAckGets481)
{
    Net net;
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    Node& bob = net.addUa(kBob, directConfig()); // WhenRequired (the default)
    net.send(kServer, kBob, inviteWithRequire("z9hG4bKinv1"));
    net.flush();
    const CallHandle in = bob.seen<IncomingCall>().at(0).call;
    bob.ua->ringing(in, net.now);
    net.flush();
    ASSERT_FALSE(got.empty());
    const Message ringing = got.back();
    ASSERT_EQ(ringing.status(), 180);
    EXPECT_EQ(ringing.get(HeaderId::Require), "100rel");
    const std::string rseq(ringing.get(HeaderId::RSeq).value_or("0"));
    const std::string tag(ringing.toView()->tag);
    net.send(kServer, kBob, prack(std::to_string(std::stoul(rseq) + 1) + " 7 INVITE", tag, "z9hG4bKpr1"));
    net.flush();
    EXPECT_EQ(got.back().status(), 481);
    net.send(kServer, kBob, prack(rseq + " 6 INVITE", tag, "z9hG4bKpr2")); // wrong CSeq
    net.flush();
    EXPECT_EQ(got.back().status(), 481);
    net.send(kServer, kBob, prack(rseq + " 7 INVITE", tag, "z9hG4bKpr3"));
    net.flush();
    EXPECT_EQ(got.back().status(), 200);
    EXPECT_EQ(got.back().cseq()->method, Method::Prack);
}

TEST(ReliableProvisional, WithoutPrackTheRingingIsRetransmittedThenTheInviteGets500)
{
    Net net;
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    Node& bob = net.addUa(kBob, directConfig());
    net.send(kServer, kBob, inviteWithRequire("z9hG4bKinv2"));
    net.flush();
    const CallHandle in = bob.seen<IncomingCall>().at(0).call;
    bob.ua->ringing(in, net.now);
    net.runFor(40s);
    int ringings = 0;
    for (const auto& m : got) {
        if (m.status() == 180) ++ringings;
    }
    // Sent at 0, then T1 doubling: 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; gives up at 32 s.
    EXPECT_EQ(ringings, 7);
    ASSERT_TRUE(bob.lastCallEvent(in));
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Terminated);
    EXPECT_EQ(bob.lastCallEvent(in)->code, 500);
    EXPECT_TRUE(std::any_of(got.begin(), got.end(), [](const Message& m) { return m.status() == 500; }));
}
