// Call transfer in the sans-I/O core (refer.cpp): REFER with Referred-By and Replaces (RFC 3515,
// RFC 3892, RFC 3891), the implicit subscription's NOTIFYs with message/sipfrag, in both roles,
// on the virtual clock, with lost packets and bad input.
#include "ua_test_net.h"

namespace {

using namespace uatest;

/// Alice and Bob (both UserAgents) in a confirmed call.
struct Transfer : DirectCall {
    CallHandle out = 0; ///< Alice's handle
    CallHandle in = 0;  ///< Bob's handle

    void SetUp() override
    {
        out = dial();
        in = incoming();
        bob.ua->answer(in, "v=0 answer", net.now);
        net.flush();
        ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    }
    std::vector<ReferProgress> progress() const { return alice.seen<ReferProgress>(); }

    /// A request from "Bob's address" inside Alice's dialog (Bob's UA sees only the response).
    Message inDialog(std::string_view method, int cseq, std::string_view extra)
    {
        const auto id = alice.ua->dialogId(out);
        EXPECT_TRUE(id);
        const std::string m(method);
        return parse(m +
                     " sip:vphone@192.0.2.1:5060 SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bKscripted" +
                     std::to_string(cseq) +
                     "\r\n"
                     "From: <sip:bob@example.test>;tag=" +
                     id->remoteTag + "\r\nTo: <sip:vphone@192.0.2.1>;tag=" + id->localTag +
                     "\r\nCall-ID: " + id->callId + "\r\nCSeq: " + std::to_string(cseq) + " " + m +
                     "\r\nMax-Forwards: 70\r\nContact: <sip:bob@192.0.2.2>\r\n" + std::string(extra) +
                     "Content-Length: 0\r\n\r\n");
    }
    /// Alice's last response with this status, its reason phrase.
    std::string answered(int status) const
    {
        const auto r = net.responses(kAlice, status);
        return r.empty() ? std::string("(none)") : std::string(r.back().message.reason());
    }
};

TEST_F(Transfer, BlindTransferReportsEachNotifyUntilTheFinalOne)
{
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "", net.now);
    net.flush();
    const Message refer = net.sent(kAlice, Method::Refer).at(0);
    EXPECT_EQ(refer.get(HeaderId::ReferTo), "<sip:carol@192.0.2.3>");
    EXPECT_NE(refer.get(HeaderId::ReferredBy)->find("sip:vphone@192.0.2.1"), std::string_view::npos);
    EXPECT_EQ(refer.callId(), alice.ua->dialogId(out)->callId);
    ASSERT_EQ(net.responses(kBob, 202).size(), 1u);

    const auto received = bob.seen<ReferReceived>();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].call, in);
    EXPECT_EQ(received[0].referTo.toString(), "sip:carol@192.0.2.3");
    EXPECT_TRUE(received[0].replaces.empty());
    EXPECT_EQ(received[0].referredBy, refer.get(HeaderId::ReferredBy));

    // The 202, then the first NOTIFY (100 Trying) that RFC 6665 wants at once.
    auto p = progress();
    ASSERT_EQ(p.size(), 2u);
    EXPECT_TRUE(p[0].referResponse);
    EXPECT_EQ(p[0].sipfragCode, 202);
    EXPECT_FALSE(p[0].final);
    EXPECT_EQ(p[1].sipfragCode, 100);
    EXPECT_FALSE(p[1].referResponse);
    const Message first = net.sent(kBob, Method::Notify).at(0);
    EXPECT_EQ(first.get(HeaderId::Event), "refer;id=" + std::to_string(refer.cseq()->sequence));
    EXPECT_EQ(first.get(HeaderId::ContentType), "message/sipfrag");
    EXPECT_EQ(first.body(), "SIP/2.0 100 Trying\r\n");
    EXPECT_EQ(first.get(HeaderId::SubscriptionState)->substr(0, 6), "active");

    bob.ua->notifyRefer(in, received[0].id, 100, "Trying", net.now); // already said: no repeat
    bob.ua->notifyRefer(in, received[0].id, 180, "Ringing", net.now);
    net.flush();
    bob.ua->notifyRefer(in, received[0].id, 200, "OK", net.now);
    net.flush();
    const auto notifies = net.sent(kBob, Method::Notify);
    ASSERT_EQ(notifies.size(), 3u);
    EXPECT_EQ(notifies[2].body(), "SIP/2.0 200 OK\r\n");
    EXPECT_EQ(notifies[2].get(HeaderId::SubscriptionState), "terminated;reason=noresource");
    EXPECT_EQ(net.responses(kAlice, 200).size(), 3u); // each NOTIFY answered
    p = progress();
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[2].sipfragCode, 180);
    EXPECT_EQ(p[2].reason, "Ringing");
    EXPECT_FALSE(p[2].final);
    EXPECT_EQ(p[3].sipfragCode, 200);
    EXPECT_TRUE(p[3].final);

    // The subscription is over on both sides: a late NOTIFY is unknown (481), no more events.
    bob.ua->notifyRefer(in, received[0].id, 503, "", net.now);
    net.flush();
    EXPECT_EQ(net.sent(kBob, Method::Notify).size(), 3u);
    net.send(kBob, kAlice, inDialog("NOTIFY", 900, "Event: refer\r\nSubscription-State: active\r\n"));
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 481).size(), 1u);
    EXPECT_EQ(progress().size(), 4u);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed); // the call is untouched
}

TEST_F(Transfer, AttendedTransferCarriesReplacesEscapedInReferTo)
{
    const std::string replaces = "abc@192.0.2.3;to-tag=c1;from-tag=a1";
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), replaces, net.now);
    net.flush();
    const Message refer = net.sent(kAlice, Method::Refer).at(0);
    EXPECT_EQ(refer.get(HeaderId::ReferTo),
              "<sip:carol@192.0.2.3?Replaces=abc%40192.0.2.3%3Bto-tag%3Dc1%3Bfrom-tag%3Da1>");
    const auto received = bob.seen<ReferReceived>();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].replaces, replaces);
    EXPECT_TRUE(received[0].referTo.headers.empty());
    EXPECT_EQ(received[0].referTo.toString(), "sip:carol@192.0.2.3");

    // The Replaces value for a peer is made from our dialog: its tag is the To tag there.
    const auto id = alice.ua->dialogId(out);
    const auto bobId = bob.ua->dialogId(in);
    ASSERT_TRUE(id && bobId);
    EXPECT_EQ(id->callId, bobId->callId);
    EXPECT_EQ(id->replacesForPeer(),
              id->callId + ";to-tag=" + bobId->localTag + ";from-tag=" + bobId->remoteTag);
    EXPECT_TRUE(parseReplaces(id->replacesForPeer()));

    // A bad Replaces is refused before anything is sent.
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "no tags", net.now);
    net.flush();
    EXPECT_EQ(net.sent(kAlice, Method::Refer).size(), 1u);
    EXPECT_TRUE(progress().back().final);
    EXPECT_EQ(progress().back().sipfragCode, 0);
}

TEST_F(Transfer, LostReferAndNotifyAreRetransmitted)
{
    int dropped = 0;
    net.drop = [&](const Wire& w) {
        if (!w.message.isRequest()) return false;
        const Method wanted = dropped == 0 ? Method::Refer : Method::Notify;
        if (dropped < 2 && w.message.method() == wanted) {
            ++dropped;
            return true;
        }
        return false;
    };
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "", net.now);
    net.flush();
    EXPECT_TRUE(bob.seen<ReferReceived>().empty());
    net.runFor(600ms); // Timer E: the REFER again; its NOTIFY 100 is lost once too
    ASSERT_EQ(bob.seen<ReferReceived>().size(), 1u);
    net.runFor(1s);
    EXPECT_EQ(dropped, 2);
    const auto p = progress();
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].sipfragCode, 202);
    EXPECT_EQ(p[1].sipfragCode, 100);
    // A retransmitted REFER is absorbed by its transaction: one ReferReceived, one subscription.
    EXPECT_EQ(bob.seen<ReferReceived>().size(), 1u);
    EXPECT_EQ(net.responses(kBob, 202).size(), 1u);
}

TEST_F(Transfer, UnansweredReferFailsWith408AndAMissingFinalNotifyTimesOut)
{
    net.drop = [](const Wire& w) { return w.message.isRequest() && w.message.method() == Method::Refer; };
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "", net.now);
    net.runFor(40s);
    auto p = progress();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_TRUE(p[0].referResponse);
    EXPECT_TRUE(p[0].final);
    EXPECT_EQ(p[0].sipfragCode, 408);

    // Accepted, but the transferee never says how it ended: 408 after the refer lifetime.
    net.drop = nullptr;
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "", net.now);
    net.flush();
    net.runFor(310s);
    p = progress();
    ASSERT_GE(p.size(), 4u);
    EXPECT_EQ(p.back().sipfragCode, 408);
    EXPECT_TRUE(p.back().final);
    EXPECT_FALSE(p.back().referResponse);
}

TEST_F(Transfer, FinalNotifyStillFlowsAfterTheTransferorHungUp)
{
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "", net.now);
    net.flush();
    const auto id = bob.seen<ReferReceived>().at(0).id;
    alice.ua->hangUp(out, net.now); // some transferors leave right after the 202
    net.flush();
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Terminated);
    bob.ua->notifyRefer(in, id, 200, "OK", net.now);
    net.flush();
    const auto notifies = net.sent(kBob, Method::Notify);
    ASSERT_EQ(notifies.size(), 2u);
    EXPECT_GT(notifies[1].cseq()->sequence, notifies[0].cseq()->sequence);
    EXPECT_EQ(net.responses(kAlice, 200).size(), 2u); // both NOTIFYs answered, the call gone
    const auto p = progress();
    ASSERT_FALSE(p.empty());
    EXPECT_EQ(p.back().sipfragCode, 200);
    EXPECT_TRUE(p.back().final);
}

TEST_F(Transfer, BadRefersAreAnsweredWithTheRightStatus)
{
    net.send(kBob, kAlice, inDialog("REFER", 50, ""));
    net.flush();
    EXPECT_EQ(answered(400), "Missing Refer-To");

    net.send(kBob, kAlice,
             inDialog("REFER", 51, "Refer-To: <sip:a@192.0.2.5>\r\nRefer-To: <sip:b@192.0.2.5>\r\n"));
    net.flush();
    EXPECT_EQ(answered(400), "Several Refer-To");

    net.send(kBob, kAlice, inDialog("REFER", 52, "Refer-To: <http://x>\r\n"));
    net.flush();
    EXPECT_EQ(answered(403), "Refer-To scheme http not allowed");

    net.send(kBob, kAlice, inDialog("REFER", 53, "Refer-To: <mailto:x@example.test>\r\n"));
    net.flush();
    EXPECT_EQ(answered(403), "Refer-To scheme mailto not allowed");

    net.send(kBob, kAlice, inDialog("REFER", 54, "Refer-To: <sip:c@192.0.2.5?Replaces=nonsense>\r\n"));
    net.flush();
    EXPECT_EQ(answered(400), "Bad Replaces in Refer-To");

    net.send(kBob, kAlice, inDialog("REFER", 55, "Refer-To: <sip:>\r\n"));
    net.flush();
    EXPECT_EQ(answered(400), "Malformed Refer-To");
    EXPECT_TRUE(alice.seen<ReferReceived>().empty());

    // A good one from the same script is accepted, a tel URI too.
    net.send(kBob, kAlice,
             inDialog("REFER", 56, "Refer-To: tel:+15551234\r\nReferred-By: <sip:bob@example.test>\r\n"));
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 202).size(), 1u);
    ASSERT_EQ(alice.seen<ReferReceived>().size(), 1u);
    EXPECT_EQ(alice.seen<ReferReceived>()[0].referTo.scheme, UriScheme::Tel);
    EXPECT_EQ(alice.seen<ReferReceived>()[0].referredBy, "<sip:bob@example.test>");

    // Out of dialog: 403. In a dialog we do not have: 481.
    Message outside = inDialog("REFER", 57, "Refer-To: <sip:c@192.0.2.5>\r\n");
    outside.setHeader(HeaderId::To, "<sip:vphone@192.0.2.1>");
    outside.setHeader(HeaderId::CallId, "other-call@192.0.2.2");
    net.send(kBob, kAlice, outside);
    net.flush();
    EXPECT_EQ(answered(403), "REFER outside a dialog is not accepted");
    Message stranger = inDialog("REFER", 58, "Refer-To: <sip:c@192.0.2.5>\r\n");
    stranger.setHeader(HeaderId::CallId, "unknown@192.0.2.2");
    net.send(kBob, kAlice, stranger);
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 481).size(), 1u);
    EXPECT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
}

TEST_F(Transfer, NotifyForAReferSubscriptionWeDoNotHaveIs481)
{
    // In the call's dialog, but no REFER of ours: 481; and in no dialog at all: 481 too.
    net.send(kBob, kAlice,
             inDialog("NOTIFY", 60, "Event: refer;id=1\r\nSubscription-State: active;expires=60\r\n"));
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 481).size(), 1u);
    Message stray = inDialog("NOTIFY", 61, "Event: refer\r\nSubscription-State: terminated\r\n");
    stray.setHeader(HeaderId::CallId, "nobody@192.0.2.2");
    net.send(kBob, kAlice, stray);
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 481).size(), 2u);
    // A refer NOTIFY without Subscription-State is malformed: 400.
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "", net.now);
    net.flush();
    net.send(kBob, kAlice, inDialog("NOTIFY", 100, "Event: refer\r\n"));
    net.flush();
    EXPECT_EQ(net.responses(kAlice, 400).size(), 1u);
    EXPECT_TRUE(alice.seen<ReferProgress>().size() == 2u); // 202 and Bob's own 100 only
}

TEST_F(Transfer, TheTransfereesInviteCarriesReferredByAndReplaces)
{
    alice.ua->refer(out, uri("sip:carol@192.0.2.3"), "abc@192.0.2.3;to-tag=c1;from-tag=a1", net.now);
    net.flush();
    const auto r = bob.seen<ReferReceived>().at(0);
    bob.ua->call(r.referTo, "v=0 offer", r.replaces, r.referredBy, net.now);
    net.flush();
    const auto invites = net.sent(kBob, Method::Invite);
    ASSERT_EQ(invites.size(), 1u);
    EXPECT_EQ(invites[0].get(HeaderId::ReferredBy), r.referredBy);
    EXPECT_EQ(invites[0].get(HeaderId::Replaces), "abc@192.0.2.3;to-tag=c1;from-tag=a1");
    EXPECT_EQ(invites[0].requestUriText(), "sip:carol@192.0.2.3");
    // An ordinary call carries neither.
    bob.ua->call(uri("sip:dave@192.0.2.4"), "v=0 offer", net.now);
    net.flush();
    const auto second = net.sent(kBob, Method::Invite).back();
    EXPECT_FALSE(second.find(HeaderId::ReferredBy));
    EXPECT_FALSE(second.find(HeaderId::Replaces));
}

TEST_F(Transfer, ReferNeedsAConfirmedCall)
{
    alice.ua->refer(12345, uri("sip:carol@192.0.2.3"), "", net.now);
    net.flush();
    const auto p = progress();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].sipfragCode, 481);
    EXPECT_TRUE(p[0].final);
    alice.ua->refer(out, uri("mailto:carol@example.test"), "", net.now);
    net.flush();
    EXPECT_EQ(progress().size(), 2u);
    EXPECT_TRUE(net.sent(kAlice, Method::Refer).empty());
    EXPECT_FALSE(alice.ua->dialogId(12345));
}

} // namespace
