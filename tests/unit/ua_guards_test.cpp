// What the user agent does about requests that arrive oddly: Replaces (RFC 3891), merged
// requests (RFC 3261 §8.2.2.2, 482), Max-Forwards 0 (483), floods (per-source rate limit), and
// what it does with requests too large for UDP (§18.1.1).
#include "sip/rate_limiter.h"
#include "ua_test_net.h"

using namespace uatest;

namespace {

/// An out-of-dialog request from kServer to Bob, with a given branch and Call-ID.
Message request(std::string_view method, std::string_view branch, std::string_view callId,
                std::string_view extra = {})
{
    return parse(std::string(method) + " sip:bob@192.0.2.2 SIP/2.0\r\n" +
                 "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" + std::string(branch) +
                 "\r\n"
                 "Max-Forwards: 70\r\n"
                 "From: <sip:carol@192.0.2.10>;tag=c1\r\n"
                 "To: <sip:bob@192.0.2.2>\r\n"
                 "Call-ID: " +
                 std::string(callId) +
                 "\r\n"
                 "CSeq: 1 " +
                 std::string(method) +
                 "\r\n"
                 "Contact: <sip:carol@192.0.2.10>\r\n" +
                 std::string(extra) + "Content-Length: 0\r\n\r\n");
}

struct Guards : ::testing::Test {
    Net net;
    std::vector<Message> got;
    Node& bob = net.addUa(kBob, directConfig());
    Node& server = net.addScript(kServer, [this](const Message& m, const Peer&) { got.push_back(m); });
};

} // namespace

// RFC 3891 §3: an INVITE replacing a confirmed dialog is offered as a new call; answering it
// ends the old call with BYE, reported as "replaced".
TEST_F(DirectCall, AnsweringAReplacingInviteEndsTheReplacedCallWithBye)
{
    const CallHandle out = dial();
    const CallHandle old = incoming();
    bob.ua->answer(old, "v=0 answer", net.now);
    net.flush();
    const Message ok = net.responses(kBob, 200).at(0).message;
    std::vector<Message> atCarol;
    net.addScript(kServer, [&](const Message& m, const Peer& from) {
        atCarol.push_back(m);
        if (m.isResponse() && m.status() == 200) {
            Message ack = parse("ACK sip:bob@192.0.2.2 SIP/2.0\r\n"
                                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKack9\r\n"
                                "Max-Forwards: 70\r\n"
                                "From: <sip:carol@192.0.2.10>;tag=c1\r\n"
                                "To: " +
                                std::string(*m.get(HeaderId::To)) +
                                "\r\n"
                                "Call-ID: rep9\r\n"
                                "CSeq: 1 ACK\r\n"
                                "Content-Length: 0\r\n\r\n");
            net.send(kServer, from, ack);
        }
    });
    const std::string replaces = std::string(*ok.callId()) + ";to-tag=" + std::string(ok.toView()->tag) +
                                 ";from-tag=" + std::string(ok.fromView()->tag);
    net.send(kServer, kBob, request("INVITE", "z9hG4bKrep9", "rep9", "Replaces: " + replaces + "\r\n"));
    net.flush();
    ASSERT_EQ(bob.seen<IncomingCall>().size(), 2u);
    const IncomingCall fresh = bob.seen<IncomingCall>()[1];
    EXPECT_EQ(fresh.replaces, old);
    EXPECT_EQ(bob.lastCallEvent(old)->state, CallState::Confirmed); // nothing happens before the answer
    bob.ua->answer(fresh.call, "v=0 answer2", net.now);
    net.flush();
    EXPECT_EQ(bob.lastCallEvent(fresh.call)->state, CallState::Confirmed);
    const auto byes = net.sent(kBob, Method::Bye);
    ASSERT_EQ(byes.size(), 1u);
    EXPECT_EQ(byes[0].callId(), ok.callId());
    EXPECT_EQ(bob.lastCallEvent(old)->state, CallState::Terminated);
    EXPECT_EQ(bob.lastCallEvent(old)->reason, "replaced");
    EXPECT_EQ(alice.lastCallEvent(out)->reason, "BYE received");
    EXPECT_EQ(bob.ua->activeCalls(), 1u);
}

// RFC 3891 §3: an early dialog we initiated may be replaced (it is then CANCELled); one the
// peer initiated (an incoming call still ringing) may not: 481.
TEST_F(DirectCall, ReplacingOurRingingCallCancelsItButAnIncomingEarlyDialogGets481)
{
    const CallHandle out = dial();
    bob.ua->ringing(incoming(), net.now);
    net.flush();
    const Message ringing = net.responses(kBob, 180).at(0).message;
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    // Bob's side: the early dialog is alice's; Bob did not initiate it.
    const std::string atBob = std::string(*ringing.callId()) +
                              ";to-tag=" + std::string(ringing.toView()->tag) +
                              ";from-tag=" + std::string(ringing.fromView()->tag);
    net.send(kServer, kBob, request("INVITE", "z9hG4bKr1", "r1", "Replaces: " + atBob + "\r\n"));
    net.flush();
    EXPECT_EQ(got.back().status(), 481);
    // Alice's side: she initiated it; to-tag is hers (the From tag), from-tag Bob's.
    const std::string atAlice = std::string(*ringing.callId()) +
                                ";to-tag=" + std::string(ringing.fromView()->tag) +
                                ";from-tag=" + std::string(ringing.toView()->tag) + ";early-only";
    Message invite = request("INVITE", "z9hG4bKr2", "r2", "Replaces: " + atAlice + "\r\n");
    invite.setHeader(HeaderId::Via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKr2");
    net.send(kServer, kAlice, invite);
    net.flush();
    ASSERT_EQ(alice.seen<IncomingCall>().size(), 1u);
    EXPECT_EQ(alice.seen<IncomingCall>()[0].replaces, out);
    alice.ua->answer(alice.seen<IncomingCall>()[0].call, "v=0 a", net.now);
    net.flush();
    EXPECT_EQ(net.sent(kAlice, Method::Cancel).size(), 1u);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(out)->reason, "replaced");
}

TEST_F(Guards, TheSameRequestArrivingByAnotherPathGets482)
{
    net.send(kServer, kBob, request("MESSAGE", "z9hG4bKpathA", "m1"));
    net.send(kServer, kBob, request("MESSAGE", "z9hG4bKpathA", "m1")); // a retransmission
    net.send(kServer, kBob, request("MESSAGE", "z9hG4bKpathB", "m1")); // merged: another branch
    net.flush();
    ASSERT_EQ(got.size(), 3u); // 200, the 200 again (retransmission absorbed), 482
    EXPECT_EQ(got[0].status(), 200);
    EXPECT_EQ(got[1].status(), 200);
    EXPECT_EQ(got[2].status(), 482);
    EXPECT_EQ(got[2].topVia()->branch(), "z9hG4bKpathB");
    EXPECT_EQ(bob.seen<MessageReceived>().size(), 1u);
    net.runFor(40s); // the first transaction is gone: the same request is new again
    net.send(kServer, kBob, request("MESSAGE", "z9hG4bKpathC", "m1"));
    net.flush();
    EXPECT_EQ(got.back().status(), 200);
}

TEST_F(Guards, MaxForwardsZeroGets483ExceptOptions)
{
    Message invite = request("INVITE", "z9hG4bKmf1", "mf1");
    invite.setHeader(HeaderId::MaxForwards, "0");
    net.send(kServer, kBob, invite);
    Message options = request("OPTIONS", "z9hG4bKmf2", "mf2");
    options.setHeader(HeaderId::MaxForwards, "0");
    net.send(kServer, kBob, options);
    net.flush();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].status(), 483);
    EXPECT_EQ(got[1].status(), 200);
    EXPECT_TRUE(bob.seen<IncomingCall>().empty());
}

TEST(RateLimiter, CutsAFloodPerSourceRefillsOverTimeAndStaysBounded)
{
    RateLimiter limiter(10, 20, 3);
    TimePoint now{};
    int allowed = 0;
    for (int i = 0; i < 100; ++i) {
        if (limiter.allow("192.0.2.66", now)) ++allowed;
    }
    EXPECT_EQ(allowed, 20);                       // the burst
    EXPECT_TRUE(limiter.allow("192.0.2.7", now)); // another source is unaffected
    now += 1s;
    allowed = 0;
    for (int i = 0; i < 100; ++i) {
        if (limiter.allow("192.0.2.66", now)) ++allowed;
    }
    EXPECT_EQ(allowed, 10); // one second of refill
    for (int i = 0; i < 1000; ++i) {
        limiter.allow("198.51.100." + std::to_string(i), now);
    }
    EXPECT_EQ(limiter.size(), 3u);
    RateLimiter off(0, 1, 1);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(off.allow("x", now));
    }
}

TEST(RateLimit, AFloodFromOneSourceIsDroppedWhileOtherSourcesAndTheCallInProgressGoOn)
{
    Net net;
    UaConfig config = directConfig();
    config.rateLimit = RateLimit{10, 20, 64};
    Node& bob = net.addUa(kBob, config);
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle out = alice.ua->call(uri("sip:bob@192.0.2.2"), "v=0", net.now);
    net.flush();
    bob.ua->answer(bob.seen<IncomingCall>().at(0).call, "v=0 b", net.now);
    net.flush();
    ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    int answered = 0;
    net.addScript(kServer, [&](const Message& m, const Peer&) {
        if (m.isResponse()) ++answered;
    });
    for (int i = 0; i < 500; ++i) {
        net.send(kServer, kBob,
                 request("OPTIONS", "z9hG4bKflood" + std::to_string(i), "f" + std::to_string(i)));
    }
    net.flush();
    EXPECT_EQ(answered, 20); // the burst, then silence: no answer at all to the rest
    const Peer kOther{Transport::Udp, "192.0.2.77", 5060};
    int otherAnswered = 0;
    net.addScript(kOther, [&](const Message& m, const Peer&) {
        if (m.isResponse()) ++otherAnswered;
    });
    Message probe = request("OPTIONS", "z9hG4bKother", "other1");
    probe.setHeader(HeaderId::Via, "SIP/2.0/UDP 192.0.2.77:5060;branch=z9hG4bKother");
    net.send(kOther, kBob, probe);
    alice.ua->hangUp(out, net.now); // in dialog: never limited
    net.flush();
    EXPECT_EQ(otherAnswered, 1);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(out)->reason, "BYE sent");
    EXPECT_EQ(bob.ua->activeCalls(), 0u);
}

TEST(LargeRequests, AMessageOver1300BytesGoesOverTcpWhenWeListenOnTcp)
{
    Net net;
    UaConfig both;
    both.localAddresses = {Peer{Transport::Udp, "192.0.2.3", 5060}, Peer{Transport::Tcp, "192.0.2.3", 5060}};
    UserAgent ua(both);
    const std::string big(2000, 'x');
    ua.sendMessage(uri("sip:bob@192.0.2.2"), "text/plain", big, net.now);
    auto out = ua.pollTransmit();
    ASSERT_TRUE(out);
    EXPECT_EQ(out->to.transport, Transport::Tcp);
    auto sent = parseMessage(out->bytes);
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->topVia()->transport, "TCP");
    EXPECT_EQ(sent->body().size(), 2000u);

    ua.sendMessage(uri("sip:bob@192.0.2.2"), "text/plain", "small", net.now);
    EXPECT_EQ(ua.pollTransmit()->to.transport, Transport::Udp);
    ua.sendMessage(uri("sip:bob@192.0.2.2;transport=udp"), "text/plain", big, net.now);
    EXPECT_EQ(ua.pollTransmit()->to.transport, Transport::Udp); // the URI asked for UDP

    // Without a TCP address of our own, UDP it stays.
    UaConfig udpOnly;
    udpOnly.localAddresses = {Peer{Transport::Udp, "192.0.2.3", 5060}};
    UserAgent small(udpOnly);
    small.sendMessage(uri("sip:bob@192.0.2.2"), "text/plain", big, net.now);
    EXPECT_EQ(small.pollTransmit()->to.transport, Transport::Udp);
}

TEST(LargeRequests, WhenTheTcpConnectionFailsTheRequestFallsBackToUdp)
{
    UaConfig both;
    both.localAddresses = {Peer{Transport::Udp, "192.0.2.3", 5060}, Peer{Transport::Tcp, "192.0.2.3", 5060}};
    UserAgent ua(both);
    const TimePoint now{};
    ua.sendMessage(uri("sip:bob@192.0.2.2"), "text/plain", std::string(2000, 'x'), now);
    auto out = ua.pollTransmit();
    ASSERT_TRUE(out);
    ASSERT_EQ(out->to.transport, Transport::Tcp);
    ua.transportError(out->id, now); // connection refused
    auto retry = ua.pollTransmit();
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->to.transport, Transport::Udp);
    EXPECT_EQ(parseMessage(retry->bytes)->topVia()->transport, "UDP");
    EXPECT_FALSE(ua.pollEvent()); // no failure reported: the request is still on its way
}
