// RFC 7741: the VP8 payload descriptor, written and read, and descriptors that lie.
#include "payload/video_payload.h"
#include "payload/vp8_rtp.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

using namespace vphone::media;

namespace {
using Bytes = std::vector<std::uint8_t>;

Bytes frameOf(std::size_t size, bool key)
{
    Bytes f(size);
    for (std::size_t i = 0; i < size; ++i)
        f[i] = static_cast<std::uint8_t>(i * 13 + 5);
    if (!f.empty()) f[0] = key ? 0x10 : 0x11; // P bit: 0 key frame, 1 interframe
    return f;
}
} // namespace

TEST(Vp8Rtp, PacketizerWritesExtendedDescriptorWith15BitPictureId)
{
    Vp8Packetizer packetizer(1200, 0x1234);
    std::vector<Bytes> out;
    ASSERT_EQ(packetizer.packetize(frameOf(3000, true), out), 3u);
    for (std::size_t i = 0; i < out.size(); ++i) {
        EXPECT_EQ(out[i][0], i == 0 ? 0x90 : 0x80) << i; // X, S on the first only, PID 0
        EXPECT_EQ(out[i][1], 0x80);                      // I
        EXPECT_EQ(out[i][2], 0x80 | 0x12);               // M + high bits
        EXPECT_EQ(out[i][3], 0x34);
        EXPECT_EQ(out[i].size(), 1004u); // 3000 bytes in three equal chunks
        const Vp8Parse p = parseVp8Descriptor(out[i]);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p.descriptor.pictureId, 0x1234);
        EXPECT_TRUE(p.descriptor.longPictureId);
        EXPECT_EQ(p.descriptor.size, 4u);
        EXPECT_EQ(p.frameStart(), i == 0);
    }
    EXPECT_EQ(packetizer.nextPictureId(), 0x1235);
}

TEST(Vp8Rtp, PictureIdIncrementsPerFrameAndWrapsAt15Bits)
{
    Vp8Packetizer packetizer(1200, 0x7fff);
    std::vector<Bytes> out;
    packetizer.packetize(frameOf(10, false), out);
    EXPECT_EQ(parseVp8Descriptor(out[0]).descriptor.pictureId, 0x7fff);
    packetizer.packetize(frameOf(10, false), out);
    EXPECT_EQ(parseVp8Descriptor(out[0]).descriptor.pictureId, 0);
    EXPECT_EQ(packetizer.packetize(Bytes{}, out), 0u);
    EXPECT_EQ(packetizer.nextPictureId(), 1); // an empty frame is not sent and takes no ID
}

TEST(Vp8Rtp, RoundTripKeepsFrameBytesAndKeyframeBit)
{
    for (bool key : {true, false}) {
        const Bytes frame = frameOf(2500, key);
        Vp8Packetizer packetizer(500);
        std::vector<Bytes> out;
        ASSERT_EQ(packetizer.packetize(frame, out), 6u);
        std::vector<std::span<const std::uint8_t>> views(out.begin(), out.end());
        Bytes back;
        bool keyframe = !key;
        EXPECT_EQ(depacketizeVideo(VideoPayloadFormat::Vp8, views, back, keyframe), VideoDepacketize::Ok);
        EXPECT_EQ(back, frame);
        EXPECT_EQ(keyframe, key);
        EXPECT_EQ(inspectVideoPayload(VideoPayloadFormat::Vp8, out[0]).keyframe, key);
        EXPECT_FALSE(inspectVideoPayload(VideoPayloadFormat::Vp8, out[1]).keyframe);
    }
}

TEST(Vp8Rtp, ParsesEveryDescriptorExtension)
{
    // No X: one byte.
    Vp8Parse p = parseVp8Descriptor(Bytes{0x10, 0xaa});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.descriptor.size, 1u);
    EXPECT_FALSE(p.descriptor.pictureId);
    EXPECT_TRUE(p.frameStart());
    // 7-bit picture ID, N set, PID 1.
    p = parseVp8Descriptor(Bytes{0xa1, 0x80, 0x55, 0xaa});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.descriptor.pictureId, 0x55);
    EXPECT_FALSE(p.descriptor.longPictureId);
    EXPECT_TRUE(p.descriptor.nonReference);
    EXPECT_EQ(p.descriptor.partitionId, 1);
    EXPECT_FALSE(p.frameStart());
    // I (15 bit) + L + T + K: TID 2, Y, KEYIDX 5 in one byte.
    p = parseVp8Descriptor(Bytes{0x90, 0xf0, 0x81, 0x02, 0x07, 0xa5, 0xaa});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.descriptor.pictureId, 0x102);
    EXPECT_EQ(p.descriptor.tl0PicIdx, 7);
    EXPECT_EQ(p.descriptor.tid, 2);
    EXPECT_TRUE(p.descriptor.layerSync);
    EXPECT_EQ(p.descriptor.keyIdx, 5);
    EXPECT_EQ(p.descriptor.size, 6u);
    // K alone still takes the TID/Y/KEYIDX byte.
    p = parseVp8Descriptor(Bytes{0x90, 0x10, 0x03, 0xaa});
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p.descriptor.tid);
    EXPECT_EQ(p.descriptor.keyIdx, 3);
}

TEST(Vp8Rtp, DescriptorsThatLieAreRefused)
{
    EXPECT_EQ(parseVp8Descriptor(Bytes{}).error, Vp8PayloadError::Empty);
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90}).error, Vp8PayloadError::ExtensionPastEnd);       // X, no byte
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90, 0x80}).error, Vp8PayloadError::ExtensionPastEnd); // I, no ID
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90, 0x80, 0x80}).error,
              Vp8PayloadError::ExtensionPastEnd);                                              // M, 1 byte
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90, 0x40}).error, Vp8PayloadError::ExtensionPastEnd); // L
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90, 0x20}).error, Vp8PayloadError::ExtensionPastEnd); // T
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90, 0xf0, 0x81, 0x02, 0x07}).error,
              Vp8PayloadError::ExtensionPastEnd); // T/K byte
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x10}).error, Vp8PayloadError::NoPayload);
    EXPECT_EQ(parseVp8Descriptor(Bytes{0x90, 0x80, 0x80, 0x01}).error, Vp8PayloadError::NoPayload);
    EXPECT_EQ(toString(Vp8PayloadError::ExtensionPastEnd), "extension past end");
    EXPECT_FALSE(inspectVideoPayload(VideoPayloadFormat::Vp8, Bytes{0x90, 0x80}).valid);
}

TEST(Vp8Rtp, FrameNotStartingWithSAndPidZeroIsMissingItsStart)
{
    const Bytes a{0x80, 0x80, 0x01, 0x10}; // S = 0
    std::vector<std::span<const std::uint8_t>> views{a};
    Bytes out;
    bool key = false;
    EXPECT_EQ(depacketizeVideo(VideoPayloadFormat::Vp8, views, out, key), VideoDepacketize::MissingStart);
}
