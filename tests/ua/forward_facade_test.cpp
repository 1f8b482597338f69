// Forwarding and do not disturb per account (AccountSettings) through the Phone facade, and the
// caller's Phone following the 302 (RFC 3261 §8.1.3.4): three Phones on 127.0.0.1 (ports
// 6010-6019, distinct per test: ctest runs them in parallel). Part of vphone_facade_tests (facade_test.cpp
// has main()).
#include "facade_test_util.h"
#include "ua/phone.h"

#include <gtest/gtest.h>

using namespace vphone;
using ua::Call;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

/// `phone` takes calls for sip:bob@127.0.0.1:PORT with these settings (no REGISTER).
ua::Account* bobAccount(TestPhone& phone, quint16 port, ua::AccountSettings s)
{
    s.uri = QStringLiteral("sip:bob@127.0.0.1:%1").arg(port);
    s.registerOnStart = false;
    return phone.phone.addAccount(s);
}

} // namespace

TEST(FacadeForward, AnAccountForwardingAlwaysSendsTheCallerToTheTarget)
{
    TestPhone a, b, c;
    ua::AccountSettings s;
    s.forward = QStringLiteral("sip:carol@127.0.0.1:6017");
    ASSERT_NE(bobAccount(b, 6016, s), nullptr);
    ASSERT_TRUE(a.start(6015));
    ASSERT_TRUE(b.start(6016));
    ASSERT_TRUE(c.start(6017));
    Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:6016"));
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return !c.incoming.isEmpty(); }));
    c.incoming.front()->answer();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active; }));
    EXPECT_TRUE(b.incoming.isEmpty()); // never rang at bob
    ASSERT_FALSE(b.phone.calls().isEmpty());
    Call* atBob = b.phone.calls().front();
    ASSERT_TRUE(waitFor([&] { return atBob->state() == Call::State::Ended; }));
    EXPECT_EQ(atBob->code(), 302);
    EXPECT_EQ(atBob->reason(), QStringLiteral("redirected to sip:carol@127.0.0.1:6017"));
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return c.incoming.front()->state() == Call::State::Ended; }));
}

TEST(FacadeForward, DoNotDisturbRefusesWithTheChosenCode)
{
    for (int code : {486, 603}) {
        TestPhone a, b;
        ua::AccountSettings s;
        s.dnd = true;
        s.dndCode = code;
        ASSERT_NE(bobAccount(b, 6019, s), nullptr);
        ASSERT_TRUE(a.start(6018));
        ASSERT_TRUE(b.start(6019));
        Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:6019"));
        ASSERT_NE(out, nullptr);
        ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
        EXPECT_EQ(out->code(), code);
        EXPECT_TRUE(b.incoming.isEmpty());
    }
}

TEST(FacadeForward, AnUnansweredCallIsForwardedAfterTheRingingTime)
{
    TestPhone a, b, c;
    ua::AccountSettings s;
    s.forwardNoAnswer = QStringLiteral("sip:carol@127.0.0.1:6012");
    s.forwardAfter = 1;
    ASSERT_NE(bobAccount(b, 6011, s), nullptr);
    ASSERT_TRUE(a.start(6010));
    ASSERT_TRUE(b.start(6011));
    ASSERT_TRUE(c.start(6012));
    Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:6011"));
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); })); // it rings at bob first
    ASSERT_TRUE(waitFor([&] { return !c.incoming.isEmpty(); }));
    EXPECT_EQ(b.incoming.front()->state(), Call::State::Ended);
    EXPECT_EQ(b.incoming.front()->code(), 302);
    c.incoming.front()->answer();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active; }));
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
}

TEST(FacadeForward, ABadForwardingTargetIsAProblemAndTheCallRings)
{
    TestPhone a, b;
    ua::AccountSettings s;
    s.forward = QStringLiteral("mailto:bob@example.test");
    ASSERT_NE(bobAccount(b, 6014, s), nullptr);
    ASSERT_TRUE(a.start(6013));
    ASSERT_TRUE(b.start(6014));
    Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:6014"));
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    ASSERT_FALSE(b.problems.isEmpty());
    EXPECT_TRUE(b.problems.front().contains(QStringLiteral("not a sip: or sips: URI")));
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
}
