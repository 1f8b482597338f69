// SRV ordering (RFC 2782) as SipResolver applies it before failing over target by target.
#include "ua/sip_resolver.h"

#include <QCoreApplication>

#include <gtest/gtest.h>

using vphone::ua::SipResolver;

namespace {
QStringList targets(const QList<SipResolver::Srv>& records)
{
    QStringList out;
    for (const auto& r : records)
        out.append(r.target);
    return out;
}
} // namespace

TEST(SrvOrdering, LowerPriorityComesFirstWhateverTheWeight)
{
    const QList<SipResolver::Srv> records{{"c", 5060, 30, 100}, {"a", 5060, 10, 1}, {"b", 5060, 20, 50}};
    EXPECT_EQ(targets(SipResolver::orderSrv(records, [](quint32) { return 0u; })),
              (QStringList{"a", "b", "c"}));
}

TEST(SrvOrdering, WeightsPickWithinOnePriorityByRunningSum)
{
    const QList<SipResolver::Srv> records{{"light", 5060, 10, 10}, {"heavy", 5060, 10, 90}};
    // A draw of 50 out of 100 lands in heavy's share (10 < 50 <= 100).
    EXPECT_EQ(targets(SipResolver::orderSrv(records, [](quint32 total) { return total / 2; })),
              (QStringList{"heavy", "light"}));
    // A draw of 5 lands in light's share.
    EXPECT_EQ(targets(SipResolver::orderSrv(records, [](quint32 total) { return total == 100 ? 5u : 0u; })),
              (QStringList{"light", "heavy"}));
}

TEST(SrvOrdering, ZeroWeightRecordsAreKeptAndComeFirstOnAZeroDraw)
{
    const QList<SipResolver::Srv> records{{"w5", 5060, 1, 5}, {"w0", 5060, 1, 0}};
    const auto ordered = SipResolver::orderSrv(records, [](quint32) { return 0u; });
    ASSERT_EQ(ordered.size(), 2);
    EXPECT_EQ(ordered[0].target, "w0");
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
