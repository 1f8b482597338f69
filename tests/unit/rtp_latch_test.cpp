// Symmetric RTP latching policy (RFC 4961, RFC 7362 §4).
#include "rtp/symmetric_rtp_latch.h"

#include <gtest/gtest.h>

using namespace vphone::media;

TEST(SymmetricRtpLatch, SendsToTheSignalledAddressUntilTrafficSaysOtherwise)
{
    SymmetricRtpLatch latch({"192.0.2.10", 4000});
    EXPECT_EQ(latch.destination(), (MediaAddress{"192.0.2.10", 4000}));
    EXPECT_FALSE(latch.latched());
    EXPECT_FALSE(latch.onValidPacket({"192.0.2.10", 4000}));
    EXPECT_TRUE(latch.latched());
    EXPECT_EQ(latch.moves(), 0u);
}

TEST(SymmetricRtpLatch, MovesAfterNConsecutivePacketsFromANewAddress)
{
    SymmetricRtpLatch latch({"192.0.2.10", 4000}, 3);
    const MediaAddress nat{"198.51.100.7", 61000};
    EXPECT_FALSE(latch.onValidPacket(nat));
    EXPECT_FALSE(latch.onValidPacket(nat));
    EXPECT_TRUE(latch.onValidPacket(nat));
    EXPECT_EQ(latch.destination(), nat);
    EXPECT_EQ(latch.moves(), 1u);
}

TEST(SymmetricRtpLatch, AStrayPacketNowAndThenCannotStealTheStream)
{
    SymmetricRtpLatch latch({"192.0.2.10", 4000}, 3);
    const MediaAddress peer{"192.0.2.10", 4000};
    const MediaAddress attacker{"203.0.113.66", 9};
    for (int i = 0; i < 100; ++i) {
        latch.onValidPacket(peer);
        latch.onValidPacket(attacker);
        latch.onValidPacket(attacker);
    }
    EXPECT_EQ(latch.destination(), peer);
    EXPECT_EQ(latch.moves(), 0u);
    // Two alternating candidates never reach three in a row either.
    SymmetricRtpLatch other({"192.0.2.10", 4000}, 3);
    for (int i = 0; i < 100; ++i) {
        other.onValidPacket({"203.0.113.1", 1});
        other.onValidPacket({"203.0.113.2", 2});
    }
    EXPECT_EQ(other.moves(), 0u);
}
