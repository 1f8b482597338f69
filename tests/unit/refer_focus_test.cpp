// A REFER to a conference focus outside any dialog (RFC 4579 §5.5, RFC 3515) in the sans-I/O
// core (refer.cpp): accepted from a member of the conference (its own dialog, our To tag in
// the 202, NOTIFY sipfrag progress in that dialog), refused with 403 from anyone else (unless
// the focus takes them from anyone: setReferFromAnyone) and whenever we host no conference.
#include "ua_test_net.h"

namespace {

using namespace uatest;

/// Where the member's REFER says to send the NOTIFYs (its Contact): no UA, the test answers.
const Peer kElsewhere{Transport::Udp, "192.0.2.9", 5060};

/// A 200 to `request` from kElsewhere.
Message okTo(const Message& request)
{
    Message r = Message::response(200, "OK");
    for (HeaderId h : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
        for (auto v : request.values(h)) {
            r.addHeader(h, v);
        }
    }
    r.addHeader(HeaderId::ContentLength, "0");
    return r;
}

/// Alice calls Bob, who is the focus of a conference (the call is a focus call).
struct FocusRefer : DirectCall {
    CallHandle out = 0; ///< Alice's handle
    CallHandle in = 0;  ///< Bob's handle

    void SetUp() override
    {
        out = dial();
        in = incoming();
        bob.ua->setFocus(in, true);
        bob.ua->answer(in, "v=0 answer", net.now);
        net.flush();
        ASSERT_EQ(alice.lastCallEvent(out)->state, CallState::Confirmed);
    }
    /// A REFER outside any dialog, From `from` (new Call-ID, no To tag), to Bob.
    Message outside(std::string_view from, std::string_view contact, std::string_view referTo)
    {
        const std::string n = std::to_string(++cseq);
        return parse("REFER sip:conference@192.0.2.2:5060 SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKoutside" +
                     n + "\r\nFrom: <" + std::string(from) +
                     ">;tag=r1\r\nTo: <sip:conference@192.0.2.2>\r\nCall-ID: refer" + n +
                     "@192.0.2.1\r\nCSeq: " + n + " REFER\r\nMax-Forwards: 70\r\nContact: <" +
                     std::string(contact) + ">\r\nRefer-To: " + std::string(referTo) +
                     "\r\nContent-Length: 0\r\n\r\n");
    }
    /// Alice's address as Bob's dialog knows it (the From of her INVITE).
    std::string aliceUri() const
    {
        const Message invite = net.sent(kAlice, Method::Invite).at(0);
        return invite.from()->uri.toString();
    }
    int cseq = 0;
};

TEST_F(FocusRefer, AMemberOutsideTheCallGets202AndSipfragNotifiesInTheRefersDialog)
{
    net.send(kAlice, kBob, outside(aliceUri(), "sip:elsewhere@192.0.2.9", "<sip:carol@192.0.2.3>"));
    net.flush();
    const auto accepted = net.responses(kBob, 202);
    ASSERT_EQ(accepted.size(), 1u);
    const auto to = accepted[0].message.toView();
    ASSERT_TRUE(to);
    EXPECT_FALSE(to->tag.empty()); // the REFER made a dialog: our tag
    const auto received = bob.seen<ReferReceived>();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].call, in); // the member's call
    EXPECT_TRUE(received[0].outOfDialog);
    EXPECT_EQ(received[0].referTo.toString(), "sip:carol@192.0.2.3");

    // 100 Trying at once, then the final 200: both in the REFER's dialog, not the call's.
    bob.ua->notifyRefer(in, received[0].id, 200, "OK", net.now);
    net.flush();
    ASSERT_EQ(net.sent(kBob, Method::Notify).size(), 1u); // the 200 waits for the 100's answer
    net.send(kElsewhere, kBob, okTo(net.sent(kBob, Method::Notify).at(0)));
    net.flush();
    const auto notifies = net.sent(kBob, Method::Notify);
    ASSERT_EQ(notifies.size(), 2u);
    for (const Message& n : notifies) {
        EXPECT_EQ(n.callId(), "refer1@192.0.2.1");
        EXPECT_EQ(n.fromView()->tag, to->tag);
        EXPECT_EQ(n.toView()->tag, "r1");
        EXPECT_EQ(n.get(HeaderId::Event), "refer;id=1");
        EXPECT_EQ(n.requestUriText(), "sip:elsewhere@192.0.2.9"); // the REFER's Contact
    }
    EXPECT_EQ(notifies[0].body(), "SIP/2.0 100 Trying\r\n");
    EXPECT_EQ(notifies[1].body(), "SIP/2.0 200 OK\r\n");
    EXPECT_EQ(notifies[1].get(HeaderId::SubscriptionState), "terminated;reason=noresource");
    EXPECT_EQ(notifies[0].cseq()->sequence + 1, notifies[1].cseq()->sequence);
    EXPECT_EQ(bob.lastCallEvent(in)->state, CallState::Confirmed); // the member's call stays
}

TEST_F(FocusRefer, AMemberKnownByItsContactIsAcceptedAndMethodByeComesThrough)
{
    const auto id = bob.ua->dialogId(in);
    ASSERT_TRUE(id);
    net.send(kAlice, kBob,
             outside("sip:someone-else@example.test", id->remoteTarget.toString(),
                     "<sip:carol@192.0.2.3;method=BYE>"));
    net.flush();
    EXPECT_EQ(net.responses(kBob, 202).size(), 1u);
    const auto received = bob.seen<ReferReceived>();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].referTo.toString(), "sip:carol@192.0.2.3;method=BYE");
}

TEST_F(FocusRefer, AStrangerGets403AndNoEvent)
{
    net.send(kAlice, kBob,
             outside("sip:mallory@192.0.2.66", "sip:mallory@192.0.2.66", "<sip:carol@192.0.2.3>"));
    net.flush();
    const auto refused = net.responses(kBob, 403);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].message.reason(), "REFER outside a dialog is not accepted");
    EXPECT_TRUE(bob.seen<ReferReceived>().empty());
    EXPECT_TRUE(net.sent(kBob, Method::Notify).empty());
}

TEST_F(FocusRefer, NoConferenceNoOutOfDialogRefer)
{
    bob.ua->setFocus(in, false); // the call left the conference: Bob hosts none
    net.send(kAlice, kBob, outside(aliceUri(), "sip:elsewhere@192.0.2.9", "<sip:carol@192.0.2.3>"));
    net.flush();
    EXPECT_EQ(net.responses(kBob, 403).size(), 1u);
    EXPECT_TRUE(bob.seen<ReferReceived>().empty());
}

TEST_F(FocusRefer, AFocusTakingReferFromAnyoneAcceptsAStrangerWithNoCall)
{
    bob.ua->setReferFromAnyone(true);
    net.send(kAlice, kBob,
             outside("sip:mallory@192.0.2.66", "sip:elsewhere@192.0.2.9", "<sip:carol@192.0.2.3>"));
    net.flush();
    EXPECT_EQ(net.responses(kBob, 202).size(), 1u);
    const auto received = bob.seen<ReferReceived>();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].call, 0u); // no member sent it
    EXPECT_TRUE(received[0].outOfDialog);
    bob.ua->notifyRefer(0, received[0].id, 503, "", net.now);
    net.send(kElsewhere, kBob, okTo(net.sent(kBob, Method::Notify).at(0))); // the 100's answer
    net.flush();
    const auto notifies = net.sent(kBob, Method::Notify);
    ASSERT_EQ(notifies.size(), 2u);
    EXPECT_EQ(notifies[1].body(), "SIP/2.0 503 Service Unavailable\r\n");
    EXPECT_EQ(notifies[1].callId(), notifies[0].callId());

    // No conference (the call is no focus call, new calls are not either): 403 again.
    bob.ua->setFocus(in, false);
    net.send(kAlice, kBob,
             outside("sip:mallory@192.0.2.66", "sip:elsewhere@192.0.2.9", "<sip:carol@192.0.2.3>"));
    net.flush();
    EXPECT_EQ(net.responses(kBob, 403).size(), 1u);
    // A host in conference mode with no call yet (vphone-cli --conference) is a focus.
    bob.ua->setFocusForNewCalls(true);
    net.send(kAlice, kBob,
             outside("sip:mallory@192.0.2.66", "sip:elsewhere@192.0.2.9", "<sip:carol@192.0.2.3>"));
    net.flush();
    EXPECT_EQ(net.responses(kBob, 202).size(), 2u);
}

TEST_F(FocusRefer, AMembersBadReferIsRefusedWithOurTag)
{
    net.send(kAlice, kBob, outside(aliceUri(), "sip:elsewhere@192.0.2.9", "<http://example.test/>"));
    net.flush();
    const auto refused = net.responses(kBob, 403);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].message.reason(), "Refer-To scheme http not allowed");
    EXPECT_FALSE(refused[0].message.toView()->tag.empty());
    EXPECT_TRUE(bob.seen<ReferReceived>().empty());
}

} // namespace
