// The video receive buffer: reordering, round trips, wraparound, duplicates, padding, restarts.
// A virtual clock only: `t0 + n ms`, never the wall clock.
#include "video_payload_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

TEST(VideoReceiveBuffer, ShuffledH264PacketsOfManyFramesComeOutAsTheSameAccessUnitsInOrder)
{
    Sender sender;
    std::vector<Bytes> units;
    std::vector<Rtp> packets;
    for (int i = 0; i < 12; ++i) {
        units.push_back(accessUnit(i % 6 == 0, i % 3 == 0 ? 9000 : 700, static_cast<std::uint8_t>(i)));
        for (auto& p : sender.frame(units.back()))
            packets.push_back(std::move(p));
    }
    std::mt19937 rng(42);
    std::shuffle(packets.begin(), packets.end(), rng);
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, packets, t0);
    for (int i = 0; i < 12; ++i) {
        auto frame = buffer.pop(t0);
        ASSERT_TRUE(frame) << i;
        EXPECT_EQ(frame->data, units[static_cast<std::size_t>(i)]) << i;
        EXPECT_EQ(frame->timestamp, 90000u + 3000u * static_cast<std::uint32_t>(i));
        EXPECT_EQ(frame->keyframe, i % 6 == 0) << i;
        EXPECT_EQ(frame->firstArrival, t0);
    }
    EXPECT_FALSE(buffer.pop(t0 + 1s));
    EXPECT_EQ(buffer.framesCompleted(), 12u);
    EXPECT_EQ(buffer.packetsReceived(), packets.size());
    EXPECT_EQ(buffer.packetsHeld(), 0u);
    EXPECT_FALSE(buffer.takeFrameLost());
    EXPECT_TRUE(buffer.nacks(t0).empty());
}

TEST(VideoReceiveBuffer, ShuffledVp8PacketsComeOutAsTheSameFrames)
{
    Sender sender(VideoPayloadFormat::Vp8);
    std::vector<Bytes> frames;
    std::vector<Rtp> packets;
    for (int i = 0; i < 8; ++i) {
        frames.push_back(
            vp8Frame(i == 0, 500 + 1700 * static_cast<std::size_t>(i % 4), static_cast<std::uint8_t>(i)));
        for (auto& p : sender.frame(frames.back()))
            packets.push_back(std::move(p));
    }
    std::mt19937 rng(7);
    std::shuffle(packets.begin(), packets.end(), rng);
    VideoReceiveConfig config;
    config.format = VideoPayloadFormat::Vp8;
    VideoReceiveBuffer buffer(config);
    pushAll(buffer, packets, t0);
    for (int i = 0; i < 8; ++i) {
        auto frame = buffer.pop(t0);
        ASSERT_TRUE(frame) << i;
        EXPECT_EQ(frame->data, frames[static_cast<std::size_t>(i)]);
        EXPECT_EQ(frame->keyframe, i == 0);
    }
    EXPECT_EQ(buffer.framesCompleted(), 8u);
}

TEST(VideoReceiveBuffer, SequenceAndTimestampWraparoundKeepOrder)
{
    Sender sender(VideoPayloadFormat::H264, 65530, 0xffffd000u);
    std::vector<Rtp> packets;
    std::vector<Bytes> units;
    for (int i = 0; i < 6; ++i) {
        units.push_back(accessUnit(i == 0, 3000, static_cast<std::uint8_t>(i)));
        for (auto& p : sender.frame(units.back()))
            packets.push_back(std::move(p));
    }
    std::reverse(packets.begin(), packets.end());
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, packets, t0);
    std::uint32_t ts = 0xffffd000u;
    for (int i = 0; i < 6; ++i, ts += 3000) {
        auto frame = buffer.pop(t0);
        ASSERT_TRUE(frame) << i;
        EXPECT_EQ(frame->data, units[static_cast<std::size_t>(i)]);
        EXPECT_EQ(frame->timestamp, ts);
    }
    EXPECT_EQ(buffer.framesCompleted(), 6u);
    EXPECT_EQ(dropped(buffer, VideoDrop::Late), 0u);
}

TEST(VideoReceiveBuffer, FuAFragmentsOutOfOrderAreReassembled)
{
    Sender sender;
    const Bytes au = accessUnit(true, 10000);
    auto packets = sender.frame(au);
    ASSERT_GT(packets.size(), 8u);
    std::swap(packets[1], packets[5]);
    std::reverse(packets.begin() + 3, packets.end());
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, packets, t0);
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au);
    EXPECT_TRUE(frame->keyframe);
}

TEST(VideoReceiveBuffer, FrameStartIsKnownFromTheEndOfThePreviousFrame)
{
    // A second slice (first_mb_in_slice != 0) opens no access unit by itself; right after a
    // released frame it is the first packet all the same.
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 500));
    Rtp slice{sender.sequence++, sender.timestamp, true, Bytes{0x41, 0x1a, 0x33}};
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(slice.view(), t0);
    EXPECT_FALSE(buffer.pop(t0)); // f1 not seen yet: this could be any slice
    pushAll(buffer, f1, t0);
    ASSERT_TRUE(buffer.pop(t0));
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, (Bytes{0, 0, 0, 1, 0x41, 0x1a, 0x33}));
}

TEST(VideoReceiveBuffer, DuplicatePacketsAreIgnoredAndCounted)
{
    Sender sender;
    const Bytes au = accessUnit(true, 3000);
    const auto packets = sender.frame(au);
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, packets, t0);
    pushAll(buffer, packets, t0);
    EXPECT_EQ(buffer.duplicates(), packets.size());
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au);
    EXPECT_FALSE(buffer.pop(t0));
    pushAll(buffer, packets, t0); // after release: late, not duplicates
    EXPECT_EQ(dropped(buffer, VideoDrop::Late), packets.size());
    EXPECT_EQ(buffer.packetsReceived(), 3 * packets.size());
}

TEST(VideoReceiveBuffer, SequenceJumpOfARestartedSenderStartsAfresh)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 500));
    const auto f2 = sender.frame(accessUnit(false, 3000));
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, f1, t0);
    ASSERT_TRUE(buffer.pop(t0));
    buffer.push(f2[0].view(), t0);
    Sender restarted(VideoPayloadFormat::H264, 30000, 5);
    const Bytes key = accessUnit(true, 500, 8);
    pushAll(buffer, restarted.frame(key), t0 + 10ms);
    auto frame = buffer.pop(t0 + 10ms);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, key);
    EXPECT_TRUE(buffer.takeFrameLost());
    EXPECT_TRUE(buffer.nacks(t0 + 10ms).empty());
}

TEST(VideoReceiveBuffer, ResetForgetsPacketsButKeepsCounters)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 3000));
    VideoReceiveBuffer buffer(h264Config());
    buffer.push(f1[0].view(), t0);
    buffer.reset();
    EXPECT_EQ(buffer.packetsHeld(), 0u);
    EXPECT_FALSE(buffer.nextDeadline());
    EXPECT_FALSE(buffer.pop(t0 + 1s));
    EXPECT_EQ(buffer.packetsReceived(), 1u);
    pushAll(buffer, f1, t0); // the same packets again are new after reset
    EXPECT_TRUE(buffer.pop(t0));
    EXPECT_EQ(toString(VideoDrop::MissingStart), "missing start");
}

TEST(VideoReceiveBuffer, Mode0StreamOfSingleNalUnitPacketsIsAssembled)
{
    // packetization-mode 0: SPS, PPS and two slices each in their own packet, same timestamp.
    const std::vector<Bytes> nals{{0x67, 0x42, 0x1f}, {0x68, 0xce}, {0x65, 0x88, 0x01}, {0x65, 0x1a, 0x02}};
    VideoReceiveBuffer buffer(h264Config());
    Bytes expected;
    for (std::size_t i = 0; i < nals.size(); ++i) {
        expected.insert(expected.end(), {0, 0, 0, 1});
        expected.insert(expected.end(), nals[i].begin(), nals[i].end());
    }
    for (std::size_t i = nals.size(); i-- > 0;) {
        buffer.push(VideoPacket{static_cast<std::uint16_t>(7 + i), 1234, i + 1 == nals.size(), nals[i]}, t0);
    }
    auto frame = buffer.pop(t0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, expected);
    EXPECT_TRUE(frame->keyframe);
    EXPECT_EQ(frame->firstSequence, 7);
    EXPECT_EQ(frame->lastSequence, 10);
}

TEST(VideoReceiveBuffer, PaddingOnlyPacketsFillTheirSequenceNumbersWithoutDelayingFrames)
{
    Sender sender;
    const auto f1 = sender.frame(accessUnit(true, 500));
    const std::uint16_t pad = sender.sequence;
    sender.sequence += 3; // three padding-only packets (empty once the RTP padding is removed)
    const Bytes au2 = accessUnit(false, 2500, 2);
    const auto f2 = sender.frame(au2);
    VideoReceiveBuffer buffer(h264Config());
    pushAll(buffer, f1, t0);
    ASSERT_TRUE(buffer.pop(t0));
    buffer.push(VideoPacket{static_cast<std::uint16_t>(pad + 2), f1[0].timestamp, false, {}}, t0);
    buffer.push(VideoPacket{pad, f1[0].timestamp, false, {}}, t0);
    pushAll(buffer, f2, t0 + 1ms);
    EXPECT_EQ(buffer.nacks(t0 + 1ms), std::vector<std::uint16_t>{static_cast<std::uint16_t>(pad + 1)});
    EXPECT_FALSE(buffer.pop(t0 + 1ms)); // pad + 1 might be a lost frame
    buffer.push(VideoPacket{static_cast<std::uint16_t>(pad + 1), f1[0].timestamp, false, {}}, t0 + 20ms);
    auto frame = buffer.pop(t0 + 20ms); // the delta frame follows without waiting
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, au2);
    EXPECT_EQ(buffer.paddingPackets(), 3u);
    EXPECT_EQ(dropped(buffer, VideoDrop::BadPayload), 0u);
    EXPECT_FALSE(buffer.takeFrameLost());
    EXPECT_FALSE(buffer.nextDeadline());
}
