// UserAgent tests: calls, messages, registration (the bench is in ua_test_net.h).
#include "ua_test_net.h"

using namespace uatest;

TEST_F(DirectCall, AnsweredCallIsConfirmedOnBothSidesAndEndsWithCallersBye)
{
    const CallHandle out = dial();
    const CallHandle in = incoming();
    EXPECT_EQ(bob.seen<IncomingCall>()[0].sdp, "v=0 offer");
    bob.ua->ringing(in, net.now);
    net.flush();
    EXPECT_TRUE(alice.sawState(out, CallState::Ringing));
    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    ASSERT_TRUE(alice.lastCallEvent(out));
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    EXPECT_EQ(alice.lastCallEvent(out)->sdp, "v=0 answer");
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Confirmed);
    EXPECT_EQ(bob.lastCallEvent(in)->sdp, "v=0 offer");

    const Message invite = net.sent(kAlice, Method::Invite).at(0);
    EXPECT_EQ(invite.get(HeaderId::ContentType), "application/sdp");
    EXPECT_EQ(invite.get(HeaderId::MaxForwards), "70");
    EXPECT_TRUE(invite.topVia()->hasRport());
    EXPECT_FALSE(invite.fromView()->tag.empty());
    EXPECT_EQ(invite.contactUri()->host, "192.0.2.1");

    alice.ua->hangUp(out, net.now);
    net.flush();
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Terminated);
    EXPECT_EQ(bob.lastCallEvent(in)->reason, "BYE received");
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Terminated);
    EXPECT_EQ(alice.ua->activeCalls(), 0u);
    EXPECT_EQ(bob.ua->activeCalls(), 0u);
    EXPECT_EQ(net.sent(kAlice, Method::Ack).size(), 1u);
}

TEST_F(DirectCall, CalleeCanEndTheCallWithBye)
{
    const CallHandle out = dial();
    const CallHandle in = incoming();
    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    bob.ua->hangUp(in, net.now);
    net.flush();
    EXPECT_EQ(net.sent(kBob, Method::Bye).size(), 1u);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(out)->reason, "BYE received");
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Terminated);
}

TEST_F(DirectCall, RejectedCallEndsWithTheRejectCode)
{
    const CallHandle out = dial();
    bob.ua->reject(incoming(), 486, net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(out)->code, 486);
    EXPECT_EQ(bob.ua->activeCalls(), 0u);
}

TEST_F(DirectCall, CancelWhileRingingGives487OnBothSides)
{
    const CallHandle out = dial();
    const CallHandle in = incoming();
    bob.ua->ringing(in, net.now);
    net.flush();
    alice.ua->hangUp(out, net.now);
    net.flush();
    EXPECT_EQ(net.sent(kAlice, Method::Cancel).size(), 1u);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Terminated);
    EXPECT_EQ(alice.lastCallEvent(out)->code, 487);
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Terminated);
    EXPECT_EQ(bob.lastCallEvent(in)->code, 487);
    EXPECT_EQ(alice.ua->activeCalls(), 0u);
}

TEST_F(DirectCall, CallToAnotherUserIsRejectedWith404)
{
    const CallHandle out = alice.ua->call(uri("sip:carol@192.0.2.2"), "", net.now);
    net.flush();
    EXPECT_TRUE(bob.seen<IncomingCall>().empty());
    EXPECT_EQ(alice.lastCallEvent(out)->code, 404);
}

TEST_F(DirectCall, MessagesAreDeliveredBothWays)
{
    const MessageHandle m1 = alice.ua->sendMessage(uri("sip:bob@192.0.2.2"), "text/plain", "hi bob", net.now);
    net.flush();
    ASSERT_EQ(bob.seen<MessageReceived>().size(), 1u);
    EXPECT_EQ(bob.seen<MessageReceived>()[0].body, "hi bob");
    EXPECT_EQ(bob.seen<MessageReceived>()[0].contentType, "text/plain");
    ASSERT_EQ(alice.seen<MessageResult>().size(), 1u);
    EXPECT_EQ(alice.seen<MessageResult>()[0].message, m1);
    EXPECT_EQ(alice.seen<MessageResult>()[0].code, 200);

    bob.ua->sendMessage(uri("sip:anyone@192.0.2.1"), "text/plain", "hi alice", net.now);
    net.flush();
    ASSERT_EQ(alice.seen<MessageReceived>().size(), 1u);
    EXPECT_EQ(alice.seen<MessageReceived>()[0].body, "hi alice");
    EXPECT_EQ(bob.seen<MessageResult>().at(0).code, 200);

    alice.ua->sendMessage(uri("sip:carol@192.0.2.2"), "text/plain", "wrong", net.now);
    net.flush();
    EXPECT_EQ(alice.seen<MessageResult>().at(1).code, 404);
}

TEST_F(DirectCall, UnackedOkIsRetransmittedUntilTheAckArrives)
{
    int acksDropped = 0;
    net.drop = [&](const Wire& w) {
        return w.message.isRequest() && w.message.method() == Method::Ack && acksDropped++ < 2;
    };
    const CallHandle out = dial();
    const CallHandle in = incoming();
    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    EXPECT_FALSE(bob.sawState(in, CallState::Confirmed));
    net.runFor(2s); // retransmissions at 0.5 s and 1.5 s, each re-ACKed; the second ACK gets through
    EXPECT_EQ(net.responses(kBob, 200).size(), 3u);
    EXPECT_TRUE(bob.sawState(in, CallState::Confirmed));
    net.runFor(10s);
    EXPECT_EQ(net.responses(kBob, 200).size(), 3u);
}

TEST_F(DirectCall, OkNeverAckedEndsWithByeAnd408)
{
    net.drop = [](const Wire& w) { return w.message.isRequest() && w.message.method() == Method::Ack; };
    dial();
    const CallHandle in = incoming();
    bob.ua->answer(in, "v=0 answer", net.now);
    net.runFor(40s);
    EXPECT_GT(net.responses(kBob, 200).size(), 6u);
    EXPECT_EQ(net.sent(kBob, Method::Bye).size(), 1u);
    ASSERT_TRUE(bob.lastCallEvent(in));
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Terminated);
    EXPECT_EQ(bob.lastCallEvent(in)->code, 408);
}

TEST(UserAgent, AnswersOptionsWithAllow)
{
    Net net;
    net.addUa(kBob, directConfig());
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    net.send(kServer, kBob,
             parse("OPTIONS sip:bob@192.0.2.2 SIP/2.0\r\n"
                   "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKopt1\r\n"
                   "Max-Forwards: 70\r\n"
                   "From: <sip:probe@192.0.2.10>;tag=p1\r\n"
                   "To: <sip:bob@192.0.2.2>\r\n"
                   "Call-ID: opt1\r\n"
                   "CSeq: 1 OPTIONS\r\n"
                   "Content-Length: 0\r\n\r\n"));
    net.flush();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].status(), 200);
    const std::string allow(got[0].get(HeaderId::Allow).value_or(""));
    EXPECT_NE(allow.find("INVITE"), std::string::npos);
    EXPECT_NE(allow.find("MESSAGE"), std::string::npos);
    EXPECT_TRUE(got[0].get(HeaderId::Accept));
}

TEST(UserAgent, ByeForAnUnknownDialogGets481)
{
    Net net;
    net.addUa(kBob, directConfig());
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    net.send(kServer, kBob,
             parse("BYE sip:bob@192.0.2.2 SIP/2.0\r\n"
                   "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbye1\r\n"
                   "Max-Forwards: 70\r\n"
                   "From: <sip:probe@192.0.2.10>;tag=p1\r\n"
                   "To: <sip:bob@192.0.2.2>;tag=nosuch\r\n"
                   "Call-ID: bye1\r\n"
                   "CSeq: 2 BYE\r\n"
                   "Content-Length: 0\r\n\r\n"));
    net.flush();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].status(), 481);
}

// RFC 3891 §3: an INVITE whose Replaces names no dialog of ours is refused with 481 and never
// becomes a call; one naming a confirmed dialog (to-tag = our tag) is offered as a new call.
TEST_F(DirectCall, InviteReplacingAnUnknownDialogGets481)
{
    std::vector<Message> got;
    net.addScript(kServer, [&](const Message& m, const Peer&) { got.push_back(m); });
    const CallHandle out = dial();
    bob.ua->answer(incoming(), "v=0 answer", net.now);
    net.flush();
    ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    const Message ok = net.responses(kBob, 200).at(0).message;
    const std::string callId(*ok.callId());
    const std::string bobTag(ok.toView()->tag);
    const std::string aliceTag(ok.fromView()->tag);
    auto invite = [&](int n, const std::string& replaces) {
        const std::string id = std::to_string(n);
        net.send(kServer, kBob,
                 parse("INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKrep" +
                       id +
                       "\r\n"
                       "Max-Forwards: 70\r\n"
                       "From: <sip:carol@192.0.2.10>;tag=c" +
                       id +
                       "\r\n"
                       "To: <sip:bob@192.0.2.2>\r\n"
                       "Call-ID: rep" +
                       id +
                       "\r\n"
                       "CSeq: 1 INVITE\r\n"
                       "Contact: <sip:carol@192.0.2.10>\r\n"
                       "Replaces: " +
                       replaces +
                       "\r\n"
                       "Content-Length: 0\r\n\r\n"));
        net.flush();
    };
    invite(1, "nosuchcall@x;to-tag=1;from-tag=2");
    invite(2, callId + ";to-tag=" + aliceTag + ";from-tag=" + bobTag); // tags swapped: not ours
    invite(3, callId + ";to-tag=" + bobTag + ";from-tag=" + aliceTag + ";early-only");
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].status(), 481);
    EXPECT_EQ(got[1].status(), 481);
    EXPECT_EQ(got[2].status(), 486); // early-only, but the dialog is confirmed
    EXPECT_EQ(bob.seen<IncomingCall>().size(), 1u);
    invite(4, callId + ";to-tag=" + bobTag + ";from-tag=" + aliceTag);
    EXPECT_EQ(bob.seen<IncomingCall>().size(), 2u);
}

namespace {

/// A registrar for alice@example.test at kServer: challenges with Digest (`algorithm`), checks
/// the answer with verifyDigest(), and grants `grant` seconds via the Contact's expires param.
struct Registrar {
    explicit Registrar(Net& n) : net(n) {}
    Net& net;
    std::string algorithm = "MD5";
    std::string password = "secret";
    std::uint32_t minExpires = 0;
    std::uint32_t grant = 120;
    bool staleOnce = false;
    std::vector<Message> requests;
    int verified = 0;

    void operator()(const Message& m, const Peer& from)
    {
        requests.push_back(m);
        const auto authz = m.get(HeaderId::Authorization);
        const std::string nonce = staleOnce ? "n1" : "n2";
        bool ok = false;
        if (authz) {
            auto params = parseAuth(*authz, "Authorization");
            ok = params && verifyDigest(*params, "alice", password, "REGISTER", m.body());
            if (ok) ++verified;
            if (ok && staleOnce) {
                staleOnce = false;
                challenge(m, from, ", stale=true", "n2");
                return;
            }
        }
        if (!ok) {
            challenge(m, from, "", nonce);
            return;
        }
        const std::uint32_t asked = m.expires() ? *m.expires() : 3600;
        if (asked != 0 && asked < minExpires) {
            Message r = TransactionLayer::buildResponse(m, 423, "r1");
            r.addHeader(HeaderId::MinExpires, std::to_string(minExpires));
            net.send(kServer, from, r);
            return;
        }
        Message r = TransactionLayer::buildResponse(m, 200, "r1");
        if (asked != 0) {
            const std::uint32_t granted = minExpires ? asked : grant;
            r.addHeader(HeaderId::Contact,
                        std::string(*m.get(HeaderId::Contact)) + ";expires=" + std::to_string(granted));
        }
        net.send(kServer, from, r);
    }
    void challenge(const Message& m, const Peer& from, std::string_view extra, std::string_view nonce)
    {
        Message r = TransactionLayer::buildResponse(m, 401, "r1");
        r.addHeader(HeaderId::WwwAuthenticate, "Digest realm=\"example.test\", nonce=\"" +
                                                   std::string(nonce) + "\", algorithm=" + algorithm +
                                                   ", qop=\"auth\"" + std::string(extra));
        net.send(kServer, from, r);
    }
};

UaConfig registrarConfig(std::string_view password = "secret")
{
    UaConfig c = accountConfig("sip:alice@example.test", password);
    c.registrar = uri("sip:192.0.2.10");
    c.registerExpires = 600;
    return c;
}

std::vector<RegistrationState> states(const Node& n)
{
    std::vector<RegistrationState> out;
    for (const auto& e : n.seen<RegistrationChanged>()) {
        out.push_back(e.state);
    }
    return out;
}

} // namespace

class Registration : public ::testing::TestWithParam<const char*> {};

TEST_P(Registration, AnswersTheDigestChallengeAndRefreshesBeforeExpiry)
{
    Net net;
    Registrar registrar{net};
    registrar.algorithm = GetParam();
    net.addScript(kServer, std::ref(registrar));
    Node& alice = net.addUa(kAlice, registrarConfig());
    alice.ua->registerAccount(net.now);
    net.flush();
    ASSERT_EQ(registrar.requests.size(), 2u);
    EXPECT_EQ(registrar.verified, 1);
    const Message first = registrar.requests[0];
    const Message second = registrar.requests[1];
    EXPECT_EQ(first.requestUriText(), "sip:192.0.2.10");
    EXPECT_EQ(first.get(HeaderId::Expires), "600");
    EXPECT_EQ(second.callId(), first.callId());
    EXPECT_EQ(second.cseq()->sequence, first.cseq()->sequence + 1);
    EXPECT_NE(second.topVia()->branch(), first.topVia()->branch());
    EXPECT_NE(second.get(HeaderId::Authorization)->find(GetParam()), std::string_view::npos);
    ASSERT_EQ(alice.seen<RegistrationChanged>().back().state, RegistrationState::Registered);
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().expires, 120u);

    net.runFor(100s); // refresh at max(60 s, 120 s - 32 s) = 88 s, answering the nonce pre-emptively
    ASSERT_EQ(registrar.requests.size(), 3u);
    EXPECT_TRUE(registrar.requests[2].get(HeaderId::Authorization));
    EXPECT_EQ(registrar.verified, 2);
    EXPECT_EQ(registrar.requests[2].callId(), first.callId());
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().state, RegistrationState::Registered);

    alice.ua->unregister(net.now);
    net.flush();
    EXPECT_EQ(registrar.requests.back().get(HeaderId::Expires), "0");
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().state, RegistrationState::Unregistered);
}

INSTANTIATE_TEST_SUITE_P(Digest, Registration, ::testing::Values("MD5", "SHA-256"));

TEST(RegistrationFlow, RetriesWithMinExpiresAfter423)
{
    Net net;
    Registrar registrar{net};
    registrar.minExpires = 1800;
    net.addScript(kServer, std::ref(registrar));
    Node& alice = net.addUa(kAlice, registrarConfig());
    alice.ua->registerAccount(net.now);
    net.flush();
    ASSERT_EQ(registrar.requests.size(), 3u); // 401, 423, 200
    EXPECT_EQ(registrar.requests[2].get(HeaderId::Expires), "1800");
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().state, RegistrationState::Registered);
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().expires, 1800u);
}

TEST(RegistrationFlow, WrongPasswordFailsAfterTheSecondChallenge)
{
    Net net;
    Registrar registrar{net};
    net.addScript(kServer, std::ref(registrar));
    Node& alice = net.addUa(kAlice, registrarConfig("wrong"));
    alice.ua->registerAccount(net.now);
    net.flush();
    EXPECT_EQ(registrar.requests.size(), 2u);
    EXPECT_EQ(registrar.verified, 0);
    const auto last = alice.seen<RegistrationChanged>().back();
    EXPECT_EQ(last.state, RegistrationState::Failed);
    EXPECT_EQ(last.code, 401);
    EXPECT_EQ(states(alice), (std::vector{RegistrationState::Registering, RegistrationState::Failed}));
}

TEST(RegistrationFlow, StaleNonceIsAnsweredSilently)
{
    Net net;
    Registrar registrar{net};
    registrar.staleOnce = true;
    net.addScript(kServer, std::ref(registrar));
    Node& alice = net.addUa(kAlice, registrarConfig());
    alice.ua->registerAccount(net.now);
    net.flush();
    EXPECT_EQ(registrar.requests.size(), 3u);
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().state, RegistrationState::Registered);
}

TEST(RegistrationFlow, TimeoutFailsAndRetriesLater)
{
    Net net;
    int seen = 0;
    net.addScript(kServer, [&](const Message&, const Peer&) { ++seen; });
    Node& alice = net.addUa(kAlice, registrarConfig());
    alice.ua->registerAccount(net.now);
    net.runFor(33s);
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().state, RegistrationState::Failed);
    EXPECT_EQ(alice.seen<RegistrationChanged>().back().code, 0);
    const int firstAttempt = seen;
    net.runFor(31s); // retry 30 s after the timeout
    EXPECT_GT(seen, firstAttempt);
}

namespace {

/// A UAS at kServer answering INVITEs itself: 407 first (when `challenge`), then 200 with
/// `recordRoute`; answers BYE with 200. Keeps what it received.
struct ScriptedCallee {
    explicit ScriptedCallee(Net& n) : net(n) {}
    Net& net;
    bool challenge = false;
    std::vector<std::string> recordRoute;
    std::vector<Message> requests;
    int verified = 0;

    void operator()(const Message& m, const Peer& from)
    {
        requests.push_back(m);
        if (!m.isRequest()) return;
        if (m.method() == Method::Invite) {
            const auto pa = m.get(HeaderId::ProxyAuthorization);
            if (challenge && !pa) {
                Message r = TransactionLayer::buildResponse(m, 407, "c1");
                r.addHeader(HeaderId::ProxyAuthenticate,
                            "Digest realm=\"proxy.test\", nonce=\"pn\", algorithm=SHA-256, qop=\"auth\"");
                net.send(kServer, from, r);
                return;
            }
            if (pa) {
                auto params = parseAuth(*pa, "Proxy-Authorization");
                if (params && verifyDigest(*params, "alice", "secret", "INVITE", m.body())) ++verified;
            }
            Message r = TransactionLayer::buildResponse(m, 200, "c1");
            for (const auto& rr : recordRoute) {
                r.addHeader(HeaderId::RecordRoute, rr);
            }
            r.addHeader(HeaderId::Contact, "<sip:callee@192.0.2.10>");
            r.setBody("v=0 answer", "application/sdp");
            net.send(kServer, from, r);
        } else if (m.method() == Method::Bye) {
            net.send(kServer, from, TransactionLayer::buildResponse(m, 200));
        }
    }
};

} // namespace

TEST(OutgoingCall, ChallengedInviteIsResentWithProxyAuthorizationThroughTheOutboundProxy)
{
    Net net;
    ScriptedCallee proxy{net};
    proxy.challenge = true;
    net.addScript(kServer, std::ref(proxy));
    UaConfig config = accountConfig("sip:alice@example.test");
    config.outboundProxy = uri("sip:192.0.2.10");
    Node& alice = net.addUa(kAlice, config);
    const CallHandle h = alice.ua->call(uri("sip:bob@example.test"), "v=0 offer", net.now);
    net.flush();
    EXPECT_EQ(proxy.verified, 1);
    const auto invites = net.sent(kAlice, Method::Invite);
    ASSERT_EQ(invites.size(), 2u);
    EXPECT_EQ(invites[0].requestUriText(), "sip:bob@example.test");
    EXPECT_EQ(invites[0].get(HeaderId::Route), "<sip:192.0.2.10;lr>");
    EXPECT_EQ(invites[1].cseq()->sequence, invites[0].cseq()->sequence + 1);
    EXPECT_EQ(invites[1].callId(), invites[0].callId());
    EXPECT_EQ(invites[1].fromView()->tag, invites[0].fromView()->tag);
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    EXPECT_EQ(alice.lastCallEvent(h)->sdp, "v=0 answer");
    // Two ACKs: the transaction's for the 407, ours for the 200; both went to the proxy.
    EXPECT_EQ(net.sent(kAlice, Method::Ack).size(), 2u);
}

TEST(OutgoingCall, InDialogRequestsFollowTheRecordRoute)
{
    Net net;
    ScriptedCallee callee{net};
    callee.recordRoute = {"<sip:192.0.2.10;lr>", "<sip:192.0.2.11;lr>"};
    net.addScript(kServer, std::ref(callee));
    std::vector<Message> atEdge;
    const Peer kEdge{Transport::Udp, "192.0.2.11", 5060};
    net.addScript(kEdge, [&](const Message& m, const Peer& from) {
        atEdge.push_back(m);
        if (m.isRequest() && m.method() == Method::Bye)
            net.send(kEdge, from, TransactionLayer::buildResponse(m, 200));
    });
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:callee@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    alice.ua->hangUp(h, net.now);
    net.flush();
    // §12.1.2: the route set is the Record-Route reversed, so 192.0.2.11 is the first hop.
    ASSERT_EQ(atEdge.size(), 2u);
    EXPECT_EQ(atEdge[0].method(), Method::Ack);
    EXPECT_EQ(atEdge[1].method(), Method::Bye);
    EXPECT_EQ(atEdge[1].requestUriText(), "sip:callee@192.0.2.10");
    const auto routes = atEdge[1].routes();
    ASSERT_TRUE(routes);
    ASSERT_EQ(routes->size(), 2u);
    EXPECT_EQ((*routes)[0].uri.host, "192.0.2.11");
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Terminated);
    EXPECT_EQ(alice.ua->activeCalls(), 0u);
}

TEST(OutgoingCall, SecondForkOkIsAckedAndEndedWithBye)
{
    Net net;
    std::vector<Message> fork2;
    const Peer kFork2{Transport::Udp, "192.0.2.12", 5060};
    net.addScript(kFork2, [&](const Message& m, const Peer& from) {
        fork2.push_back(m);
        if (m.isRequest() && m.method() == Method::Bye)
            net.send(kFork2, from, TransactionLayer::buildResponse(m, 200));
    });
    net.addScript(kServer, [&](const Message& m, const Peer& from) {
        if (!m.isRequest() || m.method() != Method::Invite) return;
        Message a = TransactionLayer::buildResponse(m, 200, "fork1");
        a.addHeader(HeaderId::Contact, "<sip:b@192.0.2.10>");
        Message b = TransactionLayer::buildResponse(m, 200, "fork2");
        b.addHeader(HeaderId::Contact, "<sip:b@192.0.2.12>");
        net.send(kServer, from, a);
        net.send(kServer, from, b);
        net.send(kServer, from, a); // a retransmission of the first: re-ACKed
    });
    Node& alice = net.addUa(kAlice, directConfig());
    const CallHandle h = alice.ua->call(uri("sip:b@192.0.2.10"), "v=0 offer", net.now);
    net.flush();
    ASSERT_EQ(fork2.size(), 2u); // the ACK, then the BYE
    EXPECT_EQ(fork2[0].method(), Method::Ack);
    EXPECT_EQ(fork2[1].method(), Method::Bye);
    EXPECT_EQ(fork2[1].toView()->tag, "fork2");
    EXPECT_EQ(alice.lastCallEvent(h)->state, CallState::Confirmed);
    EXPECT_EQ(alice.callEvents(h).size(), 2u); // Calling, Confirmed
    EXPECT_EQ(alice.ua->activeCalls(), 1u);
    int acksToFork1 = 0;
    for (const auto& w : net.log) {
        if (w.to.host == "192.0.2.10" && w.message.isRequest() && w.message.method() == Method::Ack)
            ++acksToFork1;
    }
    EXPECT_EQ(acksToFork1, 2);
}

TEST(CallFailures, ATransportErrorEndsTheCallWith503NotATimeout)
{
    // RFC 3261 §8.1.3.1: a transport failure (refused connection, certificate refused) is
    // treated as a 503 response; only a timer expiring is a 408.
    UaConfig config;
    config.localAddresses = {Peer{Transport::Tcp, "192.0.2.1", 5060}};
    std::uint64_t n = 1;
    config.random = [&n] { return n *= 6364136223846793005ULL; };
    UserAgent ua(std::move(config));
    const TimePoint now{};
    const CallHandle call = ua.call(uri("sip:bob@192.0.2.2;transport=tcp"), "v=0", now);
    auto out = ua.pollTransmit();
    ASSERT_TRUE(out);
    ua.transportError(out->id, now);
    std::optional<CallStateChanged> last;
    while (auto ev = ua.pollEvent()) {
        if (auto* c = std::get_if<CallStateChanged>(&*ev); c && c->call == call) last = *c;
    }
    ASSERT_TRUE(last);
    EXPECT_EQ(last->state, CallState::Terminated);
    EXPECT_EQ(last->code, 503);
    EXPECT_EQ(ua.activeCalls(), 0u);
}

TEST(CallFailures, ATransportErrorFailsRegistrationWith503AtOnce)
{
    // A refused connection or a refused certificate is known at once: the registration fails
    // with 503 and says so, instead of waiting 32 s and blaming a timeout.
    UaConfig config;
    config.account = uri("sip:alice@example.test");
    config.registrar = uri("sip:192.0.2.2;transport=tls");
    config.localAddresses = {Peer{Transport::Tls, "192.0.2.1", 5061}};
    std::uint64_t n = 1;
    config.random = [&n] { return n *= 6364136223846793005ULL; };
    UserAgent ua(std::move(config));
    const TimePoint now{};
    ua.registerAccount(now);
    auto out = ua.pollTransmit();
    ASSERT_TRUE(out);
    ua.transportError(out->id, now);
    std::optional<RegistrationChanged> last;
    while (auto ev = ua.pollEvent()) {
        if (auto* r = std::get_if<RegistrationChanged>(&*ev)) last = *r;
    }
    ASSERT_TRUE(last);
    EXPECT_EQ(last->state, RegistrationState::Failed);
    EXPECT_EQ(last->code, 503);
    EXPECT_NE(last->reason.find("transport error"), std::string::npos) << last->reason;
}

TEST_F(DirectCall, MessagesInsideACallFollowItsDialog)
{
    const CallHandle out = dial();
    const CallHandle in = incoming();
    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);

    const MessageHandle m = alice.ua->sendMessage(out, "text/plain", "in the call", net.now);
    net.flush();
    ASSERT_EQ(bob.seen<MessageReceived>().size(), 1u);
    EXPECT_EQ(bob.seen<MessageReceived>()[0].body, "in the call");
    EXPECT_EQ(bob.seen<MessageReceived>()[0].call, in); // the dialog's call, not a new one
    ASSERT_EQ(alice.seen<MessageResult>().size(), 1u);
    EXPECT_EQ(alice.seen<MessageResult>()[0].message, m);
    EXPECT_EQ(alice.seen<MessageResult>()[0].code, 200);
    // §12.2.1.1: same Call-ID and tags as the INVITE, the next local CSeq.
    const Message invite = net.sent(kAlice, Method::Invite).at(0);
    const Message message = net.sent(kAlice, Method::Message).at(0);
    EXPECT_EQ(message.get(HeaderId::CallId), invite.get(HeaderId::CallId));
    EXPECT_EQ(message.fromView()->tag, invite.fromView()->tag);
    EXPECT_FALSE(message.toView()->tag.empty());
    EXPECT_EQ(message.cseq()->sequence, invite.cseq()->sequence + 1);

    bob.ua->sendMessage(in, "text/plain", "back", net.now);
    net.flush();
    ASSERT_EQ(alice.seen<MessageReceived>().size(), 1u);
    EXPECT_EQ(alice.seen<MessageReceived>()[0].call, out);
    EXPECT_EQ(bob.seen<MessageResult>().at(0).code, 200);

    alice.ua->hangUp(out, net.now);
    net.flush();
    alice.ua->sendMessage(out, "text/plain", "too late", net.now);
    net.flush();
    EXPECT_EQ(alice.seen<MessageResult>().back().code, 481);
}
