// Conference focus signalling in the sans-I/O UserAgent (RFC 4579 §5, RFC 4575): the per-call
// isfocus Contact knob, the remote side seeing it, and the conference event package notifier,
// on the virtual-clock bench of ua_test_net.h (alice and bob calling each other directly).
#include "ua_test_net.h"

using namespace uatest;

namespace {

bool contactIsFocus(const Message& m)
{
    const auto c = m.get(HeaderId::Contact);
    return c && c->find(";isfocus") != std::string_view::npos;
}

TEST_F(DirectCall, FocusCallsCarryIsfocusAndThePeerSeesIt)
{
    bob.ua->setFocusForNewCalls(true);
    dial();
    const CallHandle in = incoming();
    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    const auto ok = net.responses(kBob, 200);
    ASSERT_FALSE(ok.empty());
    EXPECT_TRUE(contactIsFocus(ok.back().message));
    const auto states = alice.seen<CallStateChanged>();
    ASSERT_FALSE(states.empty());
    EXPECT_EQ(states.back().state, CallState::Confirmed);
    EXPECT_TRUE(states.back().remoteFocus);
    EXPECT_NE(states.back().remoteContact.find("isfocus"), std::string::npos);
    // The caller is not a focus: bob sees a plain Contact.
    ASSERT_FALSE(bob.seen<CallStateChanged>().empty());
    EXPECT_FALSE(bob.seen<CallStateChanged>().back().remoteFocus);

    // Taken out of the conference: the next re-INVITE's Contact has no isfocus and alice's
    // CallModified says so.
    bob.ua->setFocus(in, false);
    bob.ua->reinvite(in, "v=0 again", net.now);
    net.flush();
    ASSERT_FALSE(net.sent(kBob, Method::Invite).empty());
    EXPECT_FALSE(contactIsFocus(net.sent(kBob, Method::Invite).back()));
    ASSERT_FALSE(alice.seen<CallModified>().empty());
    EXPECT_FALSE(alice.seen<CallModified>().back().remoteFocus);

    bob.ua->setFocus(in, true);
    bob.ua->reinvite(in, "v=0 third", net.now);
    net.flush();
    EXPECT_TRUE(contactIsFocus(net.sent(kBob, Method::Invite).back()));
    EXPECT_TRUE(alice.seen<CallModified>().back().remoteFocus);
}

TEST_F(DirectCall, OutgoingCallsOfAFocusCarryIsfocusInTheInvite)
{
    alice.ua->setFocusForNewCalls(true);
    dial();
    ASSERT_EQ(net.sent(kAlice, Method::Invite).size(), 1u);
    EXPECT_TRUE(contactIsFocus(net.sent(kAlice, Method::Invite)[0]));
    const CallHandle in = incoming();
    bob.ua->answer(in, "v=0 answer", net.now);
    net.flush();
    EXPECT_TRUE(bob.seen<CallStateChanged>().back().remoteFocus);
    // A later call after conference mode ends is an ordinary one.
    alice.ua->setFocusForNewCalls(false);
    alice.ua->call(uri("sip:bob@192.0.2.2"), "v=0 offer", net.now);
    net.flush();
    ASSERT_EQ(net.sent(kAlice, Method::Invite).size(), 2u);
    EXPECT_FALSE(contactIsFocus(net.sent(kAlice, Method::Invite)[1]));
}

TEST_F(DirectCall, ConferencePackageServesTheRosterAndEndsWithTheConference)
{
    // No conference yet: 489 naming only presence.
    alice.ua->subscribe(uri("sip:bob@192.0.2.2"), "conference", "application/conference-info+xml", 600,
                        net.now);
    net.flush();
    ASSERT_EQ(net.responses(kBob, 489).size(), 1u);
    EXPECT_EQ(net.responses(kBob, 489)[0].message.get(HeaderId::AllowEvents), "presence");

    bob.ua->setConferenceDocument("application/conference-info+xml", "<v1/>", net.now);
    bob.ua->setPresenceDocument("application/pidf+xml", "<open/>", net.now);
    alice.ua->subscribe(uri("sip:bob@192.0.2.2"), "conference", "application/conference-info+xml", 600,
                        net.now);
    net.flush();
    EXPECT_EQ(bob.ua->conferenceWatchers(), 1u);
    auto notes = alice.seen<SubscriptionNotified>();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0].event, "conference");
    EXPECT_EQ(notes[0].body, "<v1/>");
    EXPECT_EQ(notes[0].contentType, "application/conference-info+xml");

    // A presence change does not reach conference subscribers; a roster change does.
    bob.ua->setPresenceDocument("application/pidf+xml", "<closed/>", net.now);
    bob.ua->setConferenceDocument("application/conference-info+xml", "<v2/>", net.now);
    net.flush();
    notes = alice.seen<SubscriptionNotified>();
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_EQ(notes[1].body, "<v2/>");

    // The conference ends: a final NOTIFY, terminated;reason=noresource, and no watcher left.
    bob.ua->setConferenceDocument({}, {}, net.now);
    net.flush();
    EXPECT_EQ(bob.ua->conferenceWatchers(), 0u);
    const auto notifies = net.sent(kBob, Method::Notify);
    ASSERT_FALSE(notifies.empty());
    EXPECT_EQ(notifies.back().get(HeaderId::SubscriptionState), "terminated;reason=noresource");
    EXPECT_EQ(alice.seen<SubscriptionNotified>().back().state, SubscriptionState::Terminated);
    ASSERT_FALSE(alice.seen<SubscriptionEnded>().empty());
}

} // namespace
