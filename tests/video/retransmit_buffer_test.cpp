// RetransmitBuffer: answering generic NACKs (RFC 4585 §6.2.1) with the packets we sent.
#include "rtp/retransmit_buffer.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = TimePoint{} + 1h;

std::vector<std::uint8_t> packet(std::uint16_t sequence, std::size_t size = 172)
{
    std::vector<std::uint8_t> p(size);
    std::iota(p.begin(), p.end(), static_cast<std::uint8_t>(sequence));
    p[2] = static_cast<std::uint8_t>(sequence >> 8);
    p[3] = static_cast<std::uint8_t>(sequence);
    return p;
}

} // namespace

TEST(RetransmitBuffer, AnswersANackWithTheBytesThatWereSent)
{
    RetransmitBuffer buffer;
    for (std::uint16_t s = 100; s < 110; ++s)
        buffer.store(s, packet(s), t0 + std::chrono::milliseconds(s));
    const auto* p = buffer.take(105, t0 + 200ms);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, packet(105));
    EXPECT_EQ(buffer.retransmitted(), 1u);
    EXPECT_EQ(buffer.missed(), 0u);
}

TEST(RetransmitBuffer, MissesANumberNeverStoredOrAlreadyOverwritten)
{
    RetransmitBuffer buffer(4);
    for (std::uint16_t s = 0; s < 6; ++s)
        buffer.store(s, packet(s), t0);
    EXPECT_EQ(buffer.take(1, t0), nullptr); // its slot now holds 5
    EXPECT_EQ(buffer.take(6, t0), nullptr); // not sent yet
    ASSERT_NE(buffer.take(5, t0), nullptr);
    EXPECT_EQ(*buffer.take(2, t0), packet(2));
    EXPECT_EQ(buffer.missed(), 2u);
    EXPECT_EQ(buffer.retransmitted(), 2u);
}

TEST(RetransmitBuffer, MissesAPacketOlderThanMaxAge)
{
    RetransmitBuffer buffer(1024, 500ms);
    buffer.store(7, packet(7), t0);
    buffer.store(8, packet(8), t0);
    EXPECT_NE(buffer.take(7, t0 + 500ms), nullptr);
    EXPECT_EQ(buffer.take(8, t0 + 501ms), nullptr);
    EXPECT_EQ(buffer.missed(), 1u);
}

TEST(RetransmitBuffer, IgnoresANackRepeatedWithinTheMinimumInterval)
{
    RetransmitBuffer buffer;
    buffer.setMinInterval(40ms);
    buffer.store(1, packet(1), t0);
    EXPECT_NE(buffer.take(1, t0 + 10ms), nullptr);
    EXPECT_EQ(buffer.take(1, t0 + 20ms), nullptr); // the burst repeats the NACK
    EXPECT_EQ(buffer.take(1, t0 + 49ms), nullptr);
    EXPECT_NE(buffer.take(1, t0 + 50ms), nullptr); // the retransmission was lost too: again
    EXPECT_EQ(buffer.retransmitted(), 2u);
    EXPECT_EQ(buffer.suppressed(), 2u);
    EXPECT_EQ(buffer.missed(), 0u);
}

TEST(RetransmitBuffer, AnswersEveryRepeatWithAZeroMinimumInterval)
{
    RetransmitBuffer buffer;
    buffer.setMinInterval(0ms);
    buffer.store(1, packet(1), t0);
    for (int i = 0; i < 3; ++i)
        EXPECT_NE(buffer.take(1, t0), nullptr);
    EXPECT_EQ(buffer.retransmitted(), 3u);
}

TEST(RetransmitBuffer, DefaultMinimumIntervalIsHalfATypicalRoundTrip)
{
    RetransmitBuffer buffer;
    buffer.store(1, packet(1), t0);
    EXPECT_NE(buffer.take(1, t0), nullptr);
    EXPECT_EQ(buffer.take(1, t0 + RetransmitBuffer::kDefaultMinInterval - 1ms), nullptr);
    EXPECT_NE(buffer.take(1, t0 + RetransmitBuffer::kDefaultMinInterval), nullptr);
}

TEST(RetransmitBuffer, KeepsPacketsAcrossTheSequenceNumberWrap)
{
    RetransmitBuffer buffer(1000); // not a divisor of 65536: the wrap lands mid-buffer
    for (std::uint16_t s = 65530; s != 6; ++s)
        buffer.store(s, packet(s), t0);
    for (std::uint16_t s = 65530; s != 6; ++s) {
        const auto* p = buffer.take(s, t0);
        ASSERT_NE(p, nullptr) << s;
        EXPECT_EQ(*p, packet(s));
    }
}

TEST(RetransmitBuffer, ReusesASlotsMemoryForTheNextPacket)
{
    RetransmitBuffer buffer(16);
    buffer.store(0, packet(0, 1200), t0);
    const std::uint8_t* memory = buffer.take(0, t0)->data();
    buffer.store(16, packet(16, 900), t0 + 1ms); // same slot, smaller packet
    const auto* p = buffer.take(16, t0 + 1ms);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->data(), memory);
    EXPECT_EQ(*p, packet(16, 900));
}

TEST(RetransmitBuffer, AFreshPacketInASlotMayBeRetransmittedAtOnce)
{
    RetransmitBuffer buffer(16);
    buffer.store(3, packet(3), t0);
    EXPECT_NE(buffer.take(3, t0), nullptr);
    buffer.store(19, packet(19), t0 + 1ms);
    EXPECT_NE(buffer.take(19, t0 + 2ms), nullptr);
}

TEST(RetransmitBuffer, ClearForgetsThePacketsButNotTheCounters)
{
    RetransmitBuffer buffer;
    buffer.store(1, packet(1), t0);
    EXPECT_NE(buffer.take(1, t0), nullptr);
    buffer.clear();
    EXPECT_EQ(buffer.take(1, t0 + 1s), nullptr);
    EXPECT_EQ(buffer.retransmitted(), 1u);
    EXPECT_EQ(buffer.missed(), 1u);
    buffer.store(1, packet(1), t0 + 2s);
    EXPECT_NE(buffer.take(1, t0 + 2s), nullptr);
}

TEST(RetransmitBuffer, ClampsAZeroCapacityToOneSlot)
{
    RetransmitBuffer buffer(0);
    EXPECT_EQ(buffer.capacity(), 1u);
    buffer.store(9, packet(9), t0);
    buffer.store(10, packet(10), t0);
    EXPECT_EQ(buffer.take(9, t0), nullptr);
    EXPECT_NE(buffer.take(10, t0), nullptr);
}
