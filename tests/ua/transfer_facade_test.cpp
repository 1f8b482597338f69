// Call transfer through the Phone facade (phone_transfer.cpp): blind and attended, with the
// transferor (A), transferee (B) and target (C) each a Phone on 127.0.0.1 (ports 6040-6049).
// Part of vphone_facade_tests (facade_test.cpp has main()).
#include "facade_test_util.h"
#include "ua/phone.h"

#include <gtest/gtest.h>

using namespace vphone;
using ua::Call;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

/// A calls B and B answers: A's call and B's call, both Active.
std::pair<Call*, Call*> connect(TestPhone& a, TestPhone& b, quint16 bPort)
{
    Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:%1").arg(bPort));
    EXPECT_NE(out, nullptr);
    if (!out) return {nullptr, nullptr};
    const auto before = b.incoming.size();
    EXPECT_TRUE(waitFor([&] { return b.incoming.size() > before; }));
    if (b.incoming.size() <= before) return {out, nullptr};
    Call* in = b.incoming.back();
    in->answer();
    EXPECT_TRUE(
        waitFor([&] { return out->state() == Call::State::Active && in->state() == Call::State::Active; }));
    return {out, in};
}

struct Seen {
    QList<std::pair<int, QString>> progress;
};

} // namespace

TEST(FacadeTransfer, BlindTransferMovesThePeerToTheTargetAndEndsOurCall)
{
    TestPhone a, b, c;
    ASSERT_TRUE(a.start(6040));
    ASSERT_TRUE(b.start(6041));
    ASSERT_TRUE(c.start(6042));
    auto [ab, ba] = connect(a, b, 6041);
    ASSERT_TRUE(ab && ba);
    Seen seen;
    QObject::connect(ab, &Call::transferProgress, [&](int code, const QString& reason) {
        seen.progress.append(std::make_pair(code, reason));
    });
    QList<std::pair<Call*, QString>> requested;
    QObject::connect(&b.phone, &ua::Phone::transferRequested,
                     [&](Call* original, Call* placed, const QString& target, const QString& by) {
                         EXPECT_EQ(original, ba);
                         EXPECT_TRUE(by.contains(QStringLiteral("127.0.0.1:6040"))) << by.toStdString();
                         requested.append(std::make_pair(placed, target));
                     });

    ASSERT_TRUE(ab->transfer(QStringLiteral("sip:carol@127.0.0.1:6042")));
    EXPECT_EQ(ab->transferState(), Call::TransferState::Trying);
    ASSERT_TRUE(waitFor([&] { return !c.incoming.isEmpty(); }));
    ASSERT_EQ(requested.size(), 1);
    EXPECT_EQ(requested[0].second, QStringLiteral("sip:carol@127.0.0.1:6042"));
    // The INVITE at the target comes from the transferee (B's address), not from A.
    EXPECT_TRUE(c.incoming.front()->remoteUri().contains(QStringLiteral("6041")))
        << c.incoming.front()->remoteUri().toStdString();
    ASSERT_TRUE(waitFor([&] { return ab->transferState() == Call::TransferState::Accepted; }));
    c.incoming.front()->answer();
    ASSERT_TRUE(
        waitFor([&] { return ab->state() == Call::State::Ended && ba->state() == Call::State::Ended; }));
    EXPECT_EQ(ab->transferState(), Call::TransferState::Done);
    EXPECT_EQ(requested[0].first->state(), Call::State::Active);
    EXPECT_EQ(c.incoming.front()->state(), Call::State::Active);
    QList<int> codes;
    for (const auto& p : seen.progress)
        codes.append(p.first);
    EXPECT_TRUE(codes.contains(202));
    EXPECT_TRUE(codes.contains(100));
    EXPECT_TRUE(codes.contains(180));
    EXPECT_EQ(codes.back(), 200);
    requested[0].first->hangUp();
    ASSERT_TRUE(waitFor([&] { return c.incoming.front()->state() == Call::State::Ended; }));
}

TEST(FacadeTransfer, AFailedTransferLeavesTheCallUp)
{
    TestPhone a, b, c;
    ASSERT_TRUE(a.start(6043));
    ASSERT_TRUE(b.start(6044));
    ASSERT_TRUE(c.start(6045));
    auto [ab, ba] = connect(a, b, 6044);
    ASSERT_TRUE(ab && ba);
    int last = 0;
    QObject::connect(ab, &Call::transferProgress, [&](int code, const QString&) { last = code; });
    ASSERT_TRUE(ab->transfer(QStringLiteral("sip:carol@127.0.0.1:6045")));
    ASSERT_TRUE(waitFor([&] { return !c.incoming.isEmpty(); }));
    c.incoming.front()->reject(486);
    ASSERT_TRUE(waitFor([&] { return ab->transferState() == Call::TransferState::Failed; }));
    EXPECT_EQ(last, 486);
    EXPECT_EQ(ab->state(), Call::State::Active);
    EXPECT_EQ(ba->state(), Call::State::Active);

    // Bad input is refused up front.
    EXPECT_FALSE(ab->transfer(QStringLiteral("http://example.test/")));
    EXPECT_FALSE(ab->transfer(QStringLiteral("not a uri")));
    EXPECT_FALSE(ab->transferTo(ab));
    EXPECT_GE(a.problems.size(), 3);
    ab->hangUp();
    ASSERT_TRUE(waitFor([&] { return ba->state() == Call::State::Ended; }));
}

TEST(FacadeTransfer, AttendedTransferReplacesTheConsultationCallAtTheTarget)
{
    TestPhone a, b, c;
    ASSERT_TRUE(a.start(6046));
    ASSERT_TRUE(b.start(6047));
    ASSERT_TRUE(c.start(6048));
    auto [ab, ba] = connect(a, b, 6047);
    ASSERT_TRUE(ab && ba);
    ab->hold();
    ASSERT_TRUE(waitFor([&] { return ab->state() == Call::State::Held; }));
    auto [ac, ca] = connect(a, c, 6048); // the consultation call
    ASSERT_TRUE(ac && ca);
    QList<std::pair<Call*, Call*>> replaced;
    QObject::connect(&c.phone, &ua::Phone::callReplaced,
                     [&](Call* old, Call* now) { replaced.append(std::make_pair(old, now)); });

    ASSERT_TRUE(ab->transferTo(ac));
    ASSERT_TRUE(waitFor([&] { return !replaced.isEmpty(); }));
    EXPECT_EQ(replaced[0].first, ca);
    Call* cb = replaced[0].second;
    EXPECT_TRUE(cb->remoteUri().contains(QStringLiteral("6047"))) << cb->remoteUri().toStdString();
    // Everything A had is over; B and C talk.
    ASSERT_TRUE(waitFor([&] {
        return ab->state() == Call::State::Ended && ac->state() == Call::State::Ended &&
               ca->state() == Call::State::Ended && ba->state() == Call::State::Ended;
    }));
    EXPECT_EQ(ab->transferState(), Call::TransferState::Done);
    EXPECT_EQ(ca->reason(), QStringLiteral("replaced"));
    EXPECT_EQ(cb->state(), Call::State::Active);
    EXPECT_TRUE(c.incoming.size() == 1); // the replacing INVITE never rang
    cb->hangUp();
    ASSERT_TRUE(waitFor([&] {
        const QList<Call*> calls = b.phone.calls();
        return std::any_of(calls.begin(), calls.end(), [](Call* x) {
            return x->state() == Call::State::Ended && x->direction() == Call::Direction::Outgoing;
        });
    }));
}
