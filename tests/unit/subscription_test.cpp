// Event subscriptions (RFC 6665), publication (RFC 3903) and the presence notifier of the
// UserAgent, on the virtual-clock bench of ua_test_net.h: a scripted presence server at kServer
// and, for the notifier role, two UAs talking directly.
#include "ua_test_net.h"

#include "sip/dialog.h"

using namespace uatest;

namespace {

/// A presence server at kServer for alice@example.test: challenges every new SUBSCRIBE and
/// PUBLISH once (Digest, checked with verifyDigest), answers in-dialog requests, and sends
/// NOTIFYs on request of the test.
struct PresenceServer {
    explicit PresenceServer(Net& n) : net(n) {}
    Net& net;
    std::vector<Message> requests;
    bool challenge = true;
    bool notifyFirst = false; ///< NOTIFY before the 200 to an initial SUBSCRIBE
    bool silent = false;      ///< a 200 to every SUBSCRIBE and never a NOTIFY
    std::uint32_t grant = 120;
    std::string etag = "e1";
    int publishStatus = 200; ///< answer to the next PUBLISH (412 once for the test)
    std::uint32_t notifyCseq = 0;
    std::optional<Message> lastSubscribe;
    std::vector<Message> responses; ///< answers to our NOTIFYs

    void operator()(const Message& m, const Peer& from)
    {
        if (m.isResponse()) {
            responses.push_back(m);
            return;
        }
        requests.push_back(m);
        const bool inDialog = !m.toView()->tag.empty();
        if (challenge && !inDialog && !m.find(HeaderId::Authorization)) {
            Message r = TransactionLayer::buildResponse(m, 401, "srv");
            r.addHeader(HeaderId::WwwAuthenticate,
                        "Digest realm=\"example.test\", nonce=\"n1\", qop=\"auth\"");
            net.send(kServer, from, r);
            return;
        }
        if (auto authz = m.get(HeaderId::Authorization)) {
            auto params = parseAuth(*authz, "Authorization");
            EXPECT_TRUE(params && verifyDigest(*params, "alice", "secret", m.methodText(), m.body()));
        }
        if (m.method() == Method::Publish) {
            Message r = TransactionLayer::buildResponse(m, publishStatus, "srv");
            publishStatus = 200;
            if (r.status() == 200) {
                r.addHeader(HeaderId::SipETag, etag);
                r.addHeader(HeaderId::Expires, std::to_string(grant));
            }
            net.send(kServer, from, r);
            return;
        }
        if (m.method() != Method::Subscribe) return;
        lastSubscribe = m;
        Message ok = TransactionLayer::buildResponse(m, 200, "srv");
        ok.addHeader(HeaderId::Contact, "<sip:pres@192.0.2.10>");
        ok.addHeader(HeaderId::Expires, std::to_string(m.expires() && *m.expires() == 0 ? 0 : grant));
        if (!notifyFirst) net.send(kServer, from, ok);
        if (silent) return;
        const bool ending = m.expires() && *m.expires() == 0;
        notify(ending ? "terminated;reason=timeout" : "active;expires=" + std::to_string(grant), "open");
        if (notifyFirst) net.send(kServer, from, ok);
    }
    /// A NOTIFY in the dialog of the last SUBSCRIBE.
    void notify(const std::string& state, const std::string& body, std::string event = "presence",
                const std::string& tag = "srv")
    {
        const Message& s = *lastSubscribe;
        ++notifyCseq;
        std::string text =
            "NOTIFY " + std::string(s.contactUri()->toString()) + " SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnotify" + std::to_string(notifyCseq) +
            "\r\nMax-Forwards: 70\r\nFrom: " + withTag(*s.get(HeaderId::To), tag) +
            "\r\nTo: " + std::string(*s.get(HeaderId::From)) + "\r\nCall-ID: " + std::string(*s.callId()) +
            "\r\nCSeq: " + std::to_string(notifyCseq) +
            " NOTIFY\r\nContact: <sip:pres@192.0.2.10>\r\nEvent: " + event +
            "\r\nSubscription-State: " + state +
            "\r\nContent-Type: application/pidf+xml\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body;
        net.send(kServer, kAlice, parse(text));
    }
    std::vector<Message> of(Method method) const
    {
        std::vector<Message> out;
        for (const auto& m : requests) {
            if (m.method() == method) out.push_back(m);
        }
        return out;
    }
};

struct EventSubscription : ::testing::Test {
    Net net;
    PresenceServer server{net};
    Node& serverNode = net.addScript(kServer, std::ref(server));
    Node& alice = net.addUa(kAlice, config());

    static UaConfig config()
    {
        UaConfig c = accountConfig("sip:alice@example.test");
        c.outboundProxy = uri("sip:192.0.2.10");
        return c;
    }
    SubscriptionHandle watchBob(std::uint32_t expires = 120)
    {
        const auto h = alice.ua->subscribe(uri("sip:bob@example.test"), "presence", "application/pidf+xml",
                                           expires, net.now);
        net.flush();
        return h;
    }
};

} // namespace

TEST_F(EventSubscription, SubscribeAnswersTheChallengeReportsNotifyAndRefreshesBeforeExpiry)
{
    const auto h = watchBob();
    ASSERT_EQ(server.of(Method::Subscribe).size(), 2u); // challenged, then with credentials
    const Message first = server.of(Method::Subscribe)[1];
    EXPECT_EQ(first.get(HeaderId::Event), "presence");
    EXPECT_EQ(first.get(HeaderId::Accept), "application/pidf+xml");
    EXPECT_EQ(first.get(HeaderId::Expires), "120");
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 1u);
    const auto n = alice.seen<SubscriptionNotified>()[0];
    EXPECT_EQ(n.subscription, h);
    EXPECT_EQ(n.event, "presence");
    EXPECT_EQ(n.state, SubscriptionState::Active);
    EXPECT_EQ(n.expires, 120u);
    EXPECT_EQ(n.contentType, "application/pidf+xml");
    EXPECT_EQ(n.body, "open");
    EXPECT_EQ(net.responses(kAlice, 200).size(), 1u); // the NOTIFY answered

    net.runFor(87s);
    EXPECT_EQ(server.of(Method::Subscribe).size(), 2u);
    net.runFor(2s); // refresh at 120 - 32 = 88 s, in the dialog, with credentials up front
    ASSERT_EQ(server.of(Method::Subscribe).size(), 3u);
    const Message refresh = server.of(Method::Subscribe)[2];
    EXPECT_EQ(refresh.toView()->tag, "srv");
    EXPECT_EQ(refresh.callId(), first.callId());
    EXPECT_EQ(refresh.requestUriText(), "sip:pres@192.0.2.10");
    EXPECT_TRUE(refresh.find(HeaderId::Authorization));
    EXPECT_EQ(alice.seen<SubscriptionNotified>().size(), 2u);
    EXPECT_TRUE(alice.seen<SubscriptionEnded>().empty());
}

TEST_F(EventSubscription, NotifyBeforeTheOkMakesTheDialog)
{
    server.notifyFirst = true;
    server.challenge = false;
    watchBob();
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[0].body, "open");
    server.notify("active;expires=100", "closed");
    net.flush();
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 2u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[1].body, "closed");
    net.runFor(90s);
    ASSERT_EQ(server.of(Method::Subscribe).size(), 2u);
    EXPECT_EQ(server.of(Method::Subscribe)[1].toView()->tag, "srv");
}

TEST_F(EventSubscription, NotifyMatchingNoSubscriptionGets481AndUnknownPackage489)
{
    server.challenge = false;
    watchBob();
    Message stray = *server.lastSubscribe;
    server.lastSubscribe = parse(std::string(stray.serialize())
                                     .replace(stray.serialize().find(std::string(*stray.callId())),
                                              stray.callId()->size(), "other-call"));
    server.notify("active", "x");
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 481).size(), 1u);
    server.lastSubscribe = stray;
    server.notify("active", "x", "conference");
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 489).size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>().size(), 1u);
}

TEST_F(EventSubscription, ANotifyFromAnotherForkGets481AndIsNotReported)
{
    server.challenge = false;
    watchBob(); // the 200 and the first NOTIFY come from tag "srv"
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 1u);
    server.notify("active;expires=120", "closed", "presence", "fork2"); // a second notifier
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 481).size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>().size(), 1u);
    server.notify("active;expires=120", "away"); // the first one goes on
    net.flush();
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 2u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[1].body, "away");
    EXPECT_TRUE(alice.seen<SubscriptionEnded>().empty());
}

TEST_F(EventSubscription, TimerNEndsASubscriptionWhoseNotifyNeverComes)
{
    server.challenge = false;
    server.silent = true;
    const auto h = watchBob();
    ASSERT_EQ(net.responses(kServer, 200).size(), 1u); // the SUBSCRIBE was accepted...
    net.runFor(31s);
    EXPECT_TRUE(alice.seen<SubscriptionEnded>().empty());
    net.runFor(2s); // ...but no NOTIFY within 64*T1 = 32 s (RFC 6665 §4.1.2.4)
    ASSERT_EQ(alice.seen<SubscriptionEnded>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].subscription, h);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].code, 408);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].reason, "no NOTIFY (Timer N)");
    net.runFor(600s);
    EXPECT_EQ(server.of(Method::Subscribe).size(), 1u); // given up, not refreshed
}

TEST_F(EventSubscription, TerminatedReasonsEndOrRetry)
{
    server.challenge = false;
    const auto h = watchBob();
    server.notify("terminated;reason=deactivated", "");
    net.flush(); // §4.1.3: deactivated: a new subscription at once (new Call-ID)
    ASSERT_EQ(server.of(Method::Subscribe).size(), 2u);
    EXPECT_TRUE(server.of(Method::Subscribe)[1].toView()->tag.empty());
    EXPECT_NE(server.of(Method::Subscribe)[1].callId(), server.of(Method::Subscribe)[0].callId());

    server.notify("terminated;reason=probation;retry-after=20", "");
    net.runFor(19s);
    EXPECT_EQ(server.of(Method::Subscribe).size(), 2u);
    net.runFor(2s);
    EXPECT_EQ(server.of(Method::Subscribe).size(), 3u);
    EXPECT_TRUE(alice.seen<SubscriptionEnded>().empty());

    server.notify("terminated;reason=rejected", "");
    net.flush();
    ASSERT_EQ(alice.seen<SubscriptionEnded>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].subscription, h);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].reason, "rejected");
    net.runFor(600s);
    EXPECT_EQ(server.of(Method::Subscribe).size(), 3u);
}

TEST_F(EventSubscription, UnsubscribeSendsExpiresZeroAndEnds)
{
    const auto h = watchBob();
    alice.ua->unsubscribe(h, net.now);
    net.flush();
    const auto subs = server.of(Method::Subscribe);
    ASSERT_EQ(subs.size(), 3u);
    EXPECT_EQ(subs[2].get(HeaderId::Expires), "0");
    EXPECT_EQ(subs[2].toView()->tag, "srv");
    ASSERT_EQ(alice.seen<SubscriptionEnded>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].reason, "unsubscribed");
    net.runFor(600s);
    EXPECT_EQ(server.of(Method::Subscribe).size(), 3u);
}

TEST_F(EventSubscription, SubscribeRefusedEndsWithTheStatus)
{
    server.challenge = false;
    net.drop = [](const Wire& w) { return w.message.isRequest() && w.message.method() == Method::Subscribe; };
    alice.ua->subscribe(uri("sip:bob@example.test"), "presence", "", 60, net.now);
    net.runFor(40s);
    ASSERT_EQ(alice.seen<SubscriptionEnded>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionEnded>()[0].code, 408);
}

TEST_F(EventSubscription, PublishKeepsTheEtagRefreshesModifiesRecoversFrom412AndRemoves)
{
    server.grant = 60;
    const auto h = alice.ua->publish("presence", "application/pidf+xml", "<busy/>", 60, net.now);
    net.flush();
    auto pubs = server.of(Method::Publish);
    ASSERT_EQ(pubs.size(), 2u); // challenged, then with credentials
    EXPECT_EQ(pubs[1].requestUriText(), "sip:alice@example.test");
    EXPECT_EQ(pubs[1].get(HeaderId::Event), "presence");
    EXPECT_EQ(pubs[1].body(), "<busy/>");
    EXPECT_FALSE(pubs[1].find(HeaderId::SipIfMatch));
    ASSERT_EQ(alice.seen<PublicationResult>().size(), 1u);
    EXPECT_EQ(alice.seen<PublicationResult>()[0].publication, h);
    EXPECT_EQ(alice.seen<PublicationResult>()[0].code, 200);
    EXPECT_EQ(alice.seen<PublicationResult>()[0].expires, 60u);

    net.runFor(31s); // refresh at max(30, 60 - 32) = 30 s: If-Match, no body
    pubs = server.of(Method::Publish);
    ASSERT_EQ(pubs.size(), 3u);
    EXPECT_EQ(pubs[2].get(HeaderId::SipIfMatch), "e1");
    EXPECT_TRUE(pubs[2].body().empty());
    EXPECT_TRUE(pubs[2].find(HeaderId::Authorization));

    server.etag = "e2";
    alice.ua->republish(h, "application/pidf+xml", "<open/>", net.now);
    net.flush();
    pubs = server.of(Method::Publish);
    ASSERT_EQ(pubs.size(), 4u);
    EXPECT_EQ(pubs[3].get(HeaderId::SipIfMatch), "e1");
    EXPECT_EQ(pubs[3].body(), "<open/>");

    server.publishStatus = 412; // the server lost our entity: a fresh PUBLISH with the body
    net.runFor(31s);
    pubs = server.of(Method::Publish);
    ASSERT_EQ(pubs.size(), 6u);
    EXPECT_EQ(pubs[4].get(HeaderId::SipIfMatch), "e2");
    EXPECT_FALSE(pubs[5].find(HeaderId::SipIfMatch));
    EXPECT_EQ(pubs[5].body(), "<open/>");

    alice.ua->unpublish(h, net.now);
    net.flush();
    pubs = server.of(Method::Publish);
    ASSERT_EQ(pubs.size(), 7u);
    EXPECT_EQ(pubs[6].get(HeaderId::Expires), "0");
    EXPECT_EQ(pubs[6].get(HeaderId::SipIfMatch), "e2");
    EXPECT_TRUE(alice.seen<PublicationResult>().back().removed);
    net.runFor(600s);
    EXPECT_EQ(server.of(Method::Publish).size(), 7u);
}

TEST_F(DirectCall, PresenceNotifierServesWatchersAndNotifiesChanges)
{
    bob.ua->setPresenceDocument("application/pidf+xml", "<open/>", net.now);
    const auto h =
        alice.ua->subscribe(uri("sip:bob@192.0.2.2"), "presence", "application/pidf+xml", 600, net.now);
    net.flush();
    EXPECT_EQ(bob.ua->presenceWatchers(), 1u);
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[0].body, "<open/>");
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[0].state, SubscriptionState::Active);
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[0].expires, 600u);

    bob.ua->setPresenceDocument("application/pidf+xml", "<closed/>", net.now);
    net.flush();
    ASSERT_EQ(alice.seen<SubscriptionNotified>().size(), 2u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>()[1].body, "<closed/>");

    net.runFor(570s); // alice refreshes at 568 s; bob answers with a NOTIFY
    EXPECT_EQ(net.sent(kAlice, Method::Subscribe).size(), 2u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>().size(), 3u);
    EXPECT_EQ(bob.ua->presenceWatchers(), 1u);

    alice.ua->unsubscribe(h, net.now);
    net.flush();
    EXPECT_EQ(bob.ua->presenceWatchers(), 0u);
    ASSERT_EQ(alice.seen<SubscriptionEnded>().size(), 1u);
    EXPECT_EQ(alice.seen<SubscriptionNotified>().back().state, SubscriptionState::Terminated);

    // Another package: 489 Bad Event with Allow-Events.
    alice.ua->subscribe(uri("sip:bob@192.0.2.2"), "dialog", "", 600, net.now);
    net.flush();
    EXPECT_EQ(alice.seen<SubscriptionEnded>().back().code, 489);
    ASSERT_EQ(net.responses(kBob, 489).size(), 1u);
    EXPECT_EQ(net.responses(kBob, 489)[0].message.get(HeaderId::AllowEvents), "presence");
}

TEST_F(DirectCall, WatcherThatNeverRefreshesIsDroppedWithAFinalNotify)
{
    net.drop = [](const Wire& w) {
        return w.message.isRequest() && w.message.method() == Method::Subscribe &&
               w.message.toView()->tag.size();
    };
    alice.ua->subscribe(uri("sip:bob@192.0.2.2"), "presence", "", 60, net.now);
    net.flush();
    EXPECT_EQ(bob.ua->presenceWatchers(), 1u);
    net.runFor(61s);
    const auto notifies = net.sent(kBob, Method::Notify);
    ASSERT_GE(notifies.size(), 2u);
    EXPECT_EQ(notifies[1].get(HeaderId::SubscriptionState), "terminated;reason=timeout");
    // alice's subscription got terminated;reason=timeout: §4.1.3, she subscribes afresh, and bob
    // holds only that new watcher.
    std::size_t initial = 0;
    for (const auto& m : net.sent(kAlice, Method::Subscribe)) {
        if (m.toView()->tag.empty()) ++initial;
    }
    EXPECT_EQ(initial, 2u);
    EXPECT_EQ(bob.ua->presenceWatchers(), 1u);
    EXPECT_TRUE(alice.seen<SubscriptionEnded>().empty());
}
