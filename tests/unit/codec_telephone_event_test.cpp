// RFC 4733 telephone-events: the §2.3 payload layout, the §2.5.1 sending procedure (marker,
// constant timestamp, growing duration, three end packets) and a receiver that copes with
// duplicates and losses.
#include "codec/telephone_event.h"

#include <gtest/gtest.h>

#include <vector>

using namespace vphone::media;
using namespace std::chrono_literals;

TEST(TelephoneEvent, PayloadLayoutFollowsRfc4733Section23)
{
    // Event 1, E set, volume 20, duration 1760: the payload shown in [MS-RTPDT] §4 for
    // a=rtpmap:101 telephone-event/8000 — 0x01, 1|0|010100, 0x06E0.
    const TelephoneEvent e{1, true, 20, 1760};
    const std::array<uint8_t, 4> expected{0x01, 0x94, 0x06, 0xE0};
    EXPECT_EQ(encodeTelephoneEvent(e), expected);
    auto back = decodeTelephoneEvent(expected);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, e);
    // '#' (11), no E bit, volume 63 (the quietest), duration 65535.
    const std::array<uint8_t, 4> hash{0x0B, 0x3F, 0xFF, 0xFF};
    EXPECT_EQ(encodeTelephoneEvent({11, false, 63, 0xFFFF}), hash);
}

TEST(TelephoneEvent, ReservedBitIsIgnoredAndBadLengthsAreErrors)
{
    const std::array<uint8_t, 4> withR{0x05, 0x4A, 0x00, 0xA0}; // R set, volume 10
    auto e = decodeTelephoneEvent(withR);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->event, 5);
    EXPECT_FALSE(e->end);
    EXPECT_EQ(e->volume, 10);
    EXPECT_EQ(e->duration, 160);
    const std::vector<uint8_t> three{1, 2, 3};
    auto bad = decodeTelephoneEvent(three);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().what, "telephone-event: payload of 3 bytes (RFC 4733 §2.3: 4 bytes per event)");
    EXPECT_FALSE(decodeTelephoneEvent(std::vector<uint8_t>(6)));
    EXPECT_TRUE(decodeTelephoneEvent(std::vector<uint8_t>(8))); // two events in one packet
}

TEST(TelephoneEvent, KeysMapToEventCodes)
{
    EXPECT_EQ(dtmfEventCode('0'), 0);
    EXPECT_EQ(dtmfEventCode('9'), 9);
    EXPECT_EQ(dtmfEventCode('*'), 10);
    EXPECT_EQ(dtmfEventCode('#'), 11);
    EXPECT_EQ(dtmfEventCode('A'), 12);
    EXPECT_EQ(dtmfEventCode('d'), 15);
    EXPECT_FALSE(dtmfEventCode('x'));
    for (uint8_t e = 0; e < 16; ++e)
        EXPECT_EQ(dtmfEventCode(dtmfKey(e)), e);
    EXPECT_EQ(dtmfKey(16), '\0');
}

TEST(TelephoneEvent, SenderSendsGrowingDurationsThenThreeEndPackets)
{
    // A 200 ms '9' at 8000 Hz, a packet every 50 ms, starting at RTP timestamp 48000.
    DtmfSender sender(8000, 50ms);
    ASSERT_TRUE(sender.start(9, 200ms, 48000, 10));
    std::vector<TelephoneEventPacket> packets;
    while (auto p = sender.next())
        packets.push_back(*p);
    ASSERT_EQ(packets.size(), 6u);
    const uint16_t durations[] = {400, 800, 1200, 1600, 1600, 1600};
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto& p = packets[i];
        EXPECT_EQ(p.marker, i == 0) << i;    // §2.5.1.1: M on the first packet only
        EXPECT_EQ(p.timestamp, 48000u) << i; // §2.5.1.2: the event's start, unchanged
        EXPECT_EQ(p.event.event, 9) << i;
        EXPECT_EQ(p.event.volume, 10) << i;
        EXPECT_EQ(p.event.duration, durations[i]) << i;
        EXPECT_EQ(p.event.end, i >= 3) << i; // §2.5.1.4: the end three times
        EXPECT_EQ(p.payload, encodeTelephoneEvent(p.event)) << i;
    }
    EXPECT_EQ(packets[3].payload, (std::array<uint8_t, 4>{0x09, 0x8A, 0x06, 0x40}));
    EXPECT_FALSE(sender.busy());
    ASSERT_TRUE(sender.start(1, 120ms, 49600)); // not a multiple of the interval
    std::vector<uint16_t> got;
    while (auto p = sender.next())
        got.push_back(p->event.duration);
    EXPECT_EQ(got, (std::vector<uint16_t>{400, 800, 960, 960, 960}));
}

TEST(TelephoneEvent, SenderRefusesWhatTheFieldsCannotCarry)
{
    DtmfSender sender;
    EXPECT_FALSE(sender.start(1, 9000ms, 0)); // 72000 units > 65535
    EXPECT_FALSE(sender.start(1, 100ms, 0, 64));
    EXPECT_FALSE(sender.start(1, 0ms, 0));
    ASSERT_TRUE(sender.start(1, 100ms, 0));
    auto again = sender.start(2, 100ms, 0);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().what, "telephone-event: an event is still being sent");
    DtmfSender wideband(48000, 20ms); // telephone-event/48000 alongside Opus
    ASSERT_TRUE(wideband.start(5, 100ms, 0));
    EXPECT_EQ(wideband.next()->event.duration, 960);
}

TEST(TelephoneEvent, ReceiverReportsEachEventOnceDespiteDuplicatesAndLoss)
{
    DtmfSender sender(8000, 50ms);
    DtmfReceiver receiver;
    std::string keys;
    int began = 0;
    auto feed = [&](const TelephoneEventPacket& p) {
        auto u = receiver.receive(p.timestamp, p.payload);
        ASSERT_TRUE(u);
        if (u->began) ++began;
        if (u->ended) keys += dtmfKey(u->event);
    };
    // '1': every packet, the last twice more (duplicated by the network).
    ASSERT_TRUE(sender.start(1, 150ms, 1000));
    TelephoneEventPacket last;
    while (auto p = sender.next()) {
        feed(*p);
        last = *p;
    }
    feed(last);
    feed(last);
    // '2': the first packet (with the marker) and two of the three end packets are lost.
    ASSERT_TRUE(sender.start(2, 150ms, 3000));
    int i = 0;
    while (auto p = sender.next()) {
        if (i != 0 && i != 3 && i != 4) feed(*p);
        ++i;
    }
    // '3': every end packet lost; the next event's start still closes nothing twice.
    ASSERT_TRUE(sender.start(3, 100ms, 5000));
    feed(*sender.next());
    while (sender.next()) {}
    ASSERT_TRUE(sender.start(4, 100ms, 7000));
    while (auto p = sender.next())
        feed(*p);
    EXPECT_EQ(keys, "124");
    EXPECT_EQ(began, 4);
    EXPECT_FALSE(receiver.receive(0, std::vector<uint8_t>(2)));
}
