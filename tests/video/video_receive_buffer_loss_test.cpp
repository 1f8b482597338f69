// The video receive buffer on loss: NACK and retransmission, giving up (maxWait, a later
// keyframe, maxPackets), malformed payloads, oversize frames. A virtual clock only.
#include "video_payload_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

TEST(VideoReceiveBuffer, LostMiddlePacketWithholdsTheFrameUntilItsRetransmissionCompletesIt)
{
    Sender sender;
    const Bytes au = accessUnit(true, 5000);
    const auto packets = sender.frame(au);
    ASSERT_EQ(packets.size(), 6u); // STAP-A (SPS, PPS) + 5 FU-A
    VideoReceiveBuffer buffer(h264Config());
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (i != 2) buffer.push(packets[i].view(), t0);
    }
    EXPECT_FALSE(buffer.pop(t0));
    ASSERT_TRUE(buffer.nextDeadline());
    EXPECT_LE(*buffer.nextDeadline(), t0);
    EXPECT_EQ(buffer.nacks(t0), std::vector<std::uint16_t>{1002});
    EXPECT_TRUE(buffer.nacks(t0 + 10ms).empty()); // asked 10 ms ago
    EXPECT_EQ(buffer.nextDeadline(), t0 + 40ms);
    EXPECT_EQ(buffer.nacks(t0 + 40ms), std::vector<std::uint16_t>{1002});
    buffer.push(packets[2].view(), t0 + 60ms);
    auto frame = buffer.pop(t0 + 60ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au);
    EXPECT_EQ(frame->firstSequence, 1000);
    EXPECT_EQ(frame->lastSequence, 1005);
    EXPECT_TRUE(buffer.nacks(t0 + 200ms).empty());
    EXPECT_FALSE(buffer.nextDeadline());
    EXPECT_FALSE(buffer.takeFrameLost());
}

TEST(VideoReceiveBuffer, AMissingPacketIsAskedForAtMostMaxNackRetriesTimes)
{
    Sender sender;
    const auto packets = sender.frame(accessUnit(true, 5000));
    VideoReceiveConfig config;
    config.maxNackRetries = 3;
    config.maxWait = 10s;
    VideoReceiveBuffer buffer(config);
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (i != 1) buffer.push(packets[i].view(), t0);
    }
    int asked = 0;
    for (int ms = 0; ms < 1000; ms += 5)
        asked += static_cast<int>(buffer.nacks(t0 + std::chrono::milliseconds(ms)).size());
    EXPECT_EQ(asked, 3);
    buffer.setNackInterval(10ms);
    EXPECT_EQ(buffer.config().nackInterval, 10ms);
}

TEST(VideoReceiveBuffer, PacketNeverRecoveredGivesUpTheFrameAfterMaxWaitAndLaterFramesFollowInOrder)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 3000));
    const Bytes au2 = accessUnit(false, 800, 2);
    const Bytes au3 = accessUnit(false, 800, 3);
    const auto f2 = sender.frame(au2);
    const auto f3 = sender.frame(au3);
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(f1[0].view(), t0);
    buffer.push(f1[2].view(), t0 + 5ms);
    pushAll(buffer, f2, t0 + 33ms);
    pushAll(buffer, f3, t0 + 66ms);
    EXPECT_FALSE(buffer.pop(t0 + 66ms));
    EXPECT_FALSE(buffer.pop(t0 + 149ms));
    buffer.nacks(t0 + 149ms);
    ASSERT_TRUE(buffer.nextDeadline());
    EXPECT_LE(*buffer.nextDeadline(), t0 + 150ms);
    auto frame = buffer.pop(t0 + 150ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au2);
    EXPECT_TRUE(buffer.takeFrameLost());
    EXPECT_FALSE(buffer.takeFrameLost());
    EXPECT_EQ(dropped(buffer, VideoDrop::MissingPackets), 1u);
    frame = buffer.pop(t0 + 150ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au3);
    EXPECT_FALSE(buffer.takeFrameLost());
    // The retransmission that comes too late is counted, not used.
    buffer.push(f1[1].view(), t0 + 200ms);
    EXPECT_EQ(dropped(buffer, VideoDrop::Late), 1u);
    EXPECT_FALSE(buffer.pop(t0 + 200ms));
}

TEST(VideoReceiveBuffer, LaterCompleteKeyframeGivesUpTheIncompleteFrameAtOnce)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(false, 3000));
    const Bytes key = accessUnit(true, 3000, 9);
    const auto f2 = sender.frame(key);
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(f1[0].view(), t0);
    pushAll(buffer, f2, t0 + 1ms);
    auto frame = buffer.pop(t0 + 1ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, key);
    EXPECT_TRUE(frame->keyframe);
    EXPECT_TRUE(buffer.takeFrameLost());
    EXPECT_EQ(dropped(buffer, VideoDrop::MissingPackets), 1u);
}

TEST(VideoReceiveBuffer, FuAWithoutItsStartFragmentIsGivenUpAsMissingStart)
{
    Sender sender;
    const Bytes slice = accessUnit(false, 5000);
    const auto frame1 = sender.frame(accessUnit(true, 500));
    auto packets = sender.frame(slice); // 1 + 5 packets: the first is the FU-A start
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, frame1, t0);
    ASSERT_TRUE(buffer.pop(t0));
    for (std::size_t i = 1; i < packets.size(); ++i)
        buffer.push(packets[i].view(), t0);
    EXPECT_FALSE(buffer.pop(t0));
    EXPECT_EQ(buffer.nacks(t0), std::vector<std::uint16_t>{packets[0].sequence});
    EXPECT_FALSE(buffer.pop(t0 + 149ms));
    EXPECT_FALSE(buffer.pop(t0 + 150ms));
    EXPECT_EQ(dropped(buffer, VideoDrop::MissingStart), 1u);
    EXPECT_TRUE(buffer.takeFrameLost());
    EXPECT_EQ(buffer.packetsHeld(), 0u);
}

TEST(VideoReceiveBuffer, TruncatedStapAIsCountedAsBadPayloadAndItsFrameIsLost)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 500));
    Rtp bad{sender.sequence++, sender.timestamp, true, Bytes{0x18, 0, 9, 0x41, 0x88, 1}};
    sender.timestamp += 3000;
    const Bytes key = accessUnit(true, 600, 4);
    const auto f3 = sender.frame(key);
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, f1, t0);
    buffer.push(bad.view(), t0);
    pushAll(buffer, f3, t0);
    ASSERT_TRUE(buffer.pop(t0));
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, key);
    EXPECT_EQ(dropped(buffer, VideoDrop::BadPayload), 1u);
    EXPECT_TRUE(buffer.takeFrameLost());
    EXPECT_TRUE(buffer.nacks(t0).empty()); // a malformed packet is not asked for again
}

TEST(VideoReceiveBuffer, StapBAndFuAWithStartAndEndAreBadPayload)
{
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(VideoPacket{1, 0, true, Bytes{0x19, 0, 0, 2, 0x41, 0x88}}, t0);
    buffer.push(VideoPacket{2, 3000, true, Bytes{0x7c, 0xc1, 0x88}}, t0);
    buffer.push(VideoPacket{3, 6000, true, Bytes{0x1e, 0x88}}, t0);
    EXPECT_FALSE(buffer.pop(t0));
    EXPECT_EQ(dropped(buffer, VideoDrop::BadPayload), 3u);
    EXPECT_EQ(buffer.packetsHeld(), 0u);
}

TEST(VideoReceiveBuffer, Vp8DescriptorsThatLieAreBadPayload)
{
    VideoReceiveConfig config;
    config.format = VideoPayloadFormat::Vp8;
    VideoReceiveBuffer buffer(config);
    buffer.push(VideoPacket{1, 0, true, Bytes{0x90, 0x80}}, t0);                // I without picture ID
    buffer.push(VideoPacket{2, 3000, true, Bytes{0x90, 0x80, 0x81, 0x02}}, t0); // nothing after it
    buffer.push(VideoPacket{3, 6000, true, Bytes{0x90, 0xe0, 0x81}}, t0);       // 15-bit ID cut short
    EXPECT_FALSE(buffer.pop(t0));
    EXPECT_EQ(dropped(buffer, VideoDrop::BadPayload), 3u);
    Sender sender(VideoPayloadFormat::Vp8, 4, 9000);
    const Bytes key = vp8Frame(true, 100);
    pushAll(buffer, sender.frame(key), t0);
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, key);
}

TEST(VideoReceiveBuffer, OversizeFrameIsDroppedAndTheNextOneReleased)
{
    Sender sender;
    const auto big = sender.frame(accessUnit(true, 10000));
    const Bytes key = accessUnit(true, 2000, 1);
    const auto next = sender.frame(key);
    VideoReceiveConfig config;
    config.maxFrameBytes = 5000;
    VideoReceiveBuffer buffer(config);
    pushAll(buffer, big, t0);
    pushAll(buffer, next, t0);
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, key);
    EXPECT_EQ(dropped(buffer, VideoDrop::Oversize), 1u);
    EXPECT_TRUE(buffer.takeFrameLost());
}

TEST(VideoReceiveBuffer, FrameWhoseMarkerPacketIsLostIsNackedAndCompletedByItsRetransmission)
{
    Sender sender;
    const Bytes au1 = accessUnit(true, 3000);
    const auto f1 = sender.frame(au1);
    const Bytes au2 = accessUnit(false, 500, 1);
    const auto f2 = sender.frame(au2);
    VideoReceiveBuffer buffer(h264Config());
    for (std::size_t i = 0; i + 1 < f1.size(); ++i)
        buffer.push(f1[i].view(), t0);
    EXPECT_FALSE(buffer.pop(t0));
    EXPECT_TRUE(buffer.nacks(t0).empty()); // nothing says a packet is missing yet
    pushAll(buffer, f2, t0 + 33ms);
    EXPECT_FALSE(buffer.pop(t0 + 33ms));
    EXPECT_EQ(buffer.nacks(t0 + 33ms), std::vector<std::uint16_t>{f1.back().sequence});
    buffer.push(f1.back().view(), t0 + 50ms);
    auto frame = buffer.pop(t0 + 50ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au1);
    frame = buffer.pop(t0 + 50ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au2);
}

TEST(VideoReceiveBuffer, FrameWhoseMarkerPacketNeverComesIsGivenUp)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 3000));
    const Bytes au2 = accessUnit(false, 500, 1);
    const auto f2 = sender.frame(au2);
    VideoReceiveBuffer buffer(h264Config());
    for (std::size_t i = 0; i + 1 < f1.size(); ++i)
        buffer.push(f1[i].view(), t0);
    pushAll(buffer, f2, t0 + 33ms);
    auto frame = buffer.pop(t0 + 150ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au2);
    EXPECT_EQ(dropped(buffer, VideoDrop::MissingPackets), 1u);
    EXPECT_TRUE(buffer.takeFrameLost());
}

TEST(VideoReceiveBuffer, WholeFrameLostDelaysTheNextDeltaFrameButNotAKeyframe)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 500));
    sender.frame(accessUnit(false, 2500)); // lost entirely
    const Bytes au3 = accessUnit(false, 500, 3);
    const auto f3 = sender.frame(au3);
    sender.frame(accessUnit(false, 2500)); // lost entirely
    const Bytes au5 = accessUnit(true, 500, 5);
    const auto f5 = sender.frame(au5);
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, f1, t0);
    ASSERT_TRUE(buffer.pop(t0));
    pushAll(buffer, f3, t0 + 66ms);
    EXPECT_FALSE(buffer.pop(t0 + 66ms)); // the missing numbers may still come
    EXPECT_EQ(buffer.nacks(t0 + 66ms).size(), 3u);
    auto frame = buffer.pop(t0 + 216ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au3);
    EXPECT_TRUE(buffer.takeFrameLost());
    pushAll(buffer, f5, t0 + 300ms);
    frame = buffer.pop(t0 + 300ms); // a keyframe does not wait for what is missing before it
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au5);
    EXPECT_EQ(dropped(buffer, VideoDrop::MissingPackets), 2u);
}

TEST(VideoReceiveBuffer, HoldingMoreThanMaxPacketsGivesUpTheOldestFrames)
{
    Sender sender(VideoPayloadFormat::H264, 0, 0, 200);
    VideoReceiveConfig config;
    config.maxPackets = 20;
    VideoReceiveBuffer buffer(config);
    for (int i = 0; i < 5; ++i) {
        auto packets = sender.frame(accessUnit(i == 0, 1500, static_cast<std::uint8_t>(i)));
        packets.pop_back(); // never complete
        pushAll(buffer, packets, t0);
        EXPECT_LE(buffer.packetsHeld(), 20u);
    }
    EXPECT_GE(dropped(buffer, VideoDrop::MissingPackets), 1u);
    EXPECT_TRUE(buffer.takeFrameLost());
}

TEST(VideoReceiveBuffer, NacksAreBoundedPerCallAndTheRestFollowOnTheNextCall)
{
    Sender sender(VideoPayloadFormat::H264, 100, 0, 100);
    const auto packets = sender.frame(accessUnit(true, 20000)); // ~200 packets
    ASSERT_GT(packets.size(), 150u);
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(packets.front().view(), t0);
    buffer.push(packets.back().view(), t0);
    const std::size_t missing = packets.size() - 2;
    const auto first = buffer.nacks(t0);
    EXPECT_EQ(first.size(), VideoReceiveBuffer::kMaxNacksPerCall);
    EXPECT_EQ(first.front(), 101);
    EXPECT_EQ(buffer.nextDeadline(), t0); // more to ask for at once
    std::size_t total = first.size();
    for (int i = 0; i < 5; ++i)
        total += buffer.nacks(t0).size();
    EXPECT_EQ(total, missing);
    EXPECT_EQ(buffer.nextDeadline(), t0 + 40ms);
}

TEST(VideoReceiveBuffer, OnlyTheOldestFrameSetsTheDeadlineAndLaterOnesWaitForIt)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 3000));
    const auto f2 = sender.frame(accessUnit(false, 3000, 2));
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(f2[0].view(), t0);         // a later frame first
    buffer.push(f1[0].view(), t0 + 100ms); // then the start of the earlier one
    buffer.nacks(t0 + 100ms);
    EXPECT_FALSE(buffer.pop(t0 + 150ms)); // f2 expired, but f1 is still owed its maxWait
    buffer.nacks(t0 + 150ms);
    const auto at = buffer.nextDeadline();
    ASSERT_TRUE(at);
    EXPECT_GT(*at, t0 + 150ms); // no deadline in the past: a timer would spin
    EXPECT_FALSE(buffer.pop(t0 + 250ms));
    EXPECT_EQ(dropped(buffer, VideoDrop::MissingPackets), 2u); // f1, then f2 at once
    EXPECT_EQ(buffer.packetsHeld(), 0u);
    EXPECT_FALSE(buffer.nextDeadline());
}
