// The video receive buffer: reordering, loss, NACK and retransmission, giving up, wraparound.
// A virtual clock only: `t0 + n ms`, never the wall clock.
#include "payload/h264_rtp.h"
#include "payload/video_receive_buffer.h"
#include "payload/vp8_rtp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

using Bytes = std::vector<std::uint8_t>;

struct Rtp {
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    bool marker = false;
    Bytes payload;
    VideoPacket view() const { return VideoPacket{sequence, timestamp, marker, payload}; }
};

const TimePoint t0{std::chrono::seconds(1000)};

// An H.264 access unit: SPS + PPS + IDR slice (key) or one P slice, `slice` bytes, no zeros.
Bytes accessUnit(bool key, std::size_t slice, std::uint8_t salt = 0)
{
    Bytes au;
    auto add = [&](std::uint8_t header, std::size_t size) {
        au.insert(au.end(), {0, 0, 0, 1, header, 0x88});
        for (std::size_t i = 2; i < size; ++i)
            au.push_back(static_cast<std::uint8_t>((i * 7 + salt) % 255 + 1));
    };
    if (key) {
        add(0x67, 12);
        add(0x68, 5);
        add(0x65, slice);
    } else {
        add(0x41, slice);
    }
    return au;
}

Bytes vp8Frame(bool key, std::size_t size, std::uint8_t salt = 0)
{
    Bytes f(size);
    for (std::size_t i = 0; i < size; ++i)
        f[i] = static_cast<std::uint8_t>(i * 13 + salt);
    f[0] = key ? 0x10 : 0x11;
    return f;
}

// Packetizes frames into RTP packets with running sequence numbers and 90 kHz timestamps.
struct Sender {
    explicit Sender(VideoPayloadFormat f = VideoPayloadFormat::H264, std::uint16_t seq = 1000,
                    std::uint32_t ts = 90000, std::size_t mtu = 1200)
        : format(f), h264(mtu), vp8(mtu), sequence(seq), timestamp(ts)
    {}
    std::vector<Rtp> frame(const Bytes& data)
    {
        std::vector<Bytes> payloads;
        if (format == VideoPayloadFormat::H264)
            h264.packetize(data, payloads);
        else
            vp8.packetize(data, payloads);
        std::vector<Rtp> out;
        for (std::size_t i = 0; i < payloads.size(); ++i)
            out.push_back(Rtp{sequence++, timestamp, i + 1 == payloads.size(), std::move(payloads[i])});
        timestamp += 3000;
        return out;
    }
    VideoPayloadFormat format;
    H264Packetizer h264;
    Vp8Packetizer vp8;
    std::uint16_t sequence;
    std::uint32_t timestamp;
};

VideoReceiveConfig h264Config()
{
    return VideoReceiveConfig{};
}

void pushAll(VideoReceiveBuffer& buffer, const std::vector<Rtp>& packets, TimePoint now)
{
    for (const auto& p : packets)
        buffer.push(p.view(), now);
}

std::uint64_t dropped(const VideoReceiveBuffer& b, VideoDrop why)
{
    return b.drops()[static_cast<std::size_t>(why)];
}

} // namespace

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
