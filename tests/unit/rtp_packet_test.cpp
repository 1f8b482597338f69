// RTP header codec and shared-port demultiplexing (RFC 3550 §5.1, RFC 5761, RFC 7983).
#include "rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <vector>

using namespace vphone::media;

namespace {

std::vector<std::uint8_t> packet(std::initializer_list<int> bytes)
{
    std::vector<std::uint8_t> v;
    for (int b : bytes)
        v.push_back(static_cast<std::uint8_t>(b));
    return v;
}

// V=2, PT 111, seq 0x1234, ts 0x01020304, ssrc 0xdeadbeef, then payload.
const std::vector<std::uint8_t> kSimple =
    packet({0x80, 0x6f, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0xde, 0xad, 0xbe, 0xef, 0xaa, 0xbb});

} // namespace

TEST(RtpPacket, ParsesTheFixedHeaderAndPayload)
{
    const RtpParse r = parseRtp(kSimple);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.packet.header.payloadType, 111);
    EXPECT_FALSE(r.packet.header.marker);
    EXPECT_EQ(r.packet.header.sequenceNumber, 0x1234);
    EXPECT_EQ(r.packet.header.timestamp, 0x01020304u);
    EXPECT_EQ(r.packet.header.ssrc, 0xdeadbeefu);
    ASSERT_EQ(r.packet.payload.size(), 2u);
    EXPECT_EQ(r.packet.payload[0], 0xaa);
}

TEST(RtpPacket, RoundTripsCsrcsExtensionAndPadding)
{
    const std::vector<std::uint8_t> ext = {1, 2, 3, 4, 5, 6, 7, 8};
    const std::vector<std::uint8_t> payload = {9, 9, 9};
    RtpHeader h;
    h.marker = true;
    h.payloadType = 96;
    h.sequenceNumber = 65535;
    h.timestamp = 0xffffffff;
    h.ssrc = 42;
    h.csrcCount = 2;
    h.csrcs[0] = 7;
    h.csrcs[1] = 8;
    h.hasExtension = true;
    h.extensionProfile = 0xbede;
    h.extension = ext;
    const auto bytes = serializeRtp(h, payload, 5);
    ASSERT_EQ(bytes.size(), 12u + 8 + 4 + 8 + 3 + 5);
    const RtpParse r = parseRtp(bytes);
    ASSERT_TRUE(r.ok()) << toString(r.error);
    EXPECT_TRUE(r.packet.header.marker);
    EXPECT_EQ(r.packet.header.csrcCount, 2);
    EXPECT_EQ(r.packet.header.csrcs[1], 8u);
    EXPECT_EQ(r.packet.header.extensionProfile, 0xbede);
    EXPECT_EQ(std::vector<std::uint8_t>(r.packet.header.extension.begin(), r.packet.header.extension.end()),
              ext);
    EXPECT_EQ(std::vector<std::uint8_t>(r.packet.payload.begin(), r.packet.payload.end()), payload);
    EXPECT_EQ(r.packet.paddingSize, 5u);
}

TEST(RtpPacket, NamesEachWayAHeaderCanBeBroken)
{
    EXPECT_EQ(parseRtp(packet({0x80, 0, 0, 1})).error, RtpError::TooShort);
    auto v1 = kSimple;
    v1[0] = 0x40;
    EXPECT_EQ(parseRtp(v1).error, RtpError::BadVersion);
    auto csrc = kSimple;
    csrc[0] = 0x8f; // 15 CSRCs = 60 bytes, only 2 follow
    EXPECT_EQ(parseRtp(csrc).error, RtpError::CsrcPastEnd);
    auto ext = packet({0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0xff, 0xff});
    EXPECT_EQ(parseRtp(ext).error, RtpError::ExtensionPastEnd);
    auto extHeader = packet({0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe});
    EXPECT_EQ(parseRtp(extHeader).error, RtpError::ExtensionPastEnd);
    auto padZero = kSimple;
    padZero[0] |= 0x20;
    padZero.back() = 0;
    EXPECT_EQ(parseRtp(padZero).error, RtpError::PaddingZero);
    auto padLong = kSimple;
    padLong[0] |= 0x20;
    padLong.back() = 3; // only 2 bytes after the header
    EXPECT_EQ(parseRtp(padLong).error, RtpError::PaddingPastEnd);
    EXPECT_EQ(toString(RtpError::CsrcPastEnd), "csrc past end");
}

TEST(RtpPacket, PaddingMayTakeTheWholePayload)
{
    auto p = kSimple;
    p[0] |= 0x20;
    p.back() = 2;
    const RtpParse r = parseRtp(p);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.packet.payload.empty());
}

TEST(RtpPacket, WriteRefusesWhatItCannotEncode)
{
    std::vector<std::uint8_t> out(64);
    RtpHeader h;
    h.payloadType = 128;
    EXPECT_EQ(writeRtp(h, {}, out), 0u);
    h.payloadType = 0;
    const std::vector<std::uint8_t> odd = {1, 2, 3};
    h.hasExtension = true;
    h.extension = odd;
    EXPECT_EQ(writeRtp(h, {}, out), 0u);
    h.hasExtension = false;
    std::vector<std::uint8_t> small(11);
    EXPECT_EQ(writeRtp(h, {}, small), 0u);
    EXPECT_EQ(writeRtp(h, {}, out), 12u);
}

TEST(RtpMux, ClassifiesByFirstAndSecondByte)
{
    EXPECT_EQ(classifyDatagram(kSimple), DatagramKind::Rtp);
    EXPECT_EQ(classifyDatagram(packet({0x81, 200, 0, 6})), DatagramKind::Rtcp);
    EXPECT_EQ(classifyDatagram(packet({0x80, 223})), DatagramKind::Rtcp);
    EXPECT_EQ(classifyDatagram(packet({0x80, 0xe0})), DatagramKind::Rtp); // PT 96 with marker
    EXPECT_EQ(classifyDatagram(packet({0x80, 0xbf})), DatagramKind::Rtp); // PT 63 with marker
    EXPECT_EQ(classifyDatagram(packet({0x00, 0x01})), DatagramKind::Stun);
    EXPECT_EQ(classifyDatagram(packet({22, 0xfe, 0xfd})), DatagramKind::Dtls);
    EXPECT_EQ(classifyDatagram(packet({0x40})), DatagramKind::Invalid);
    EXPECT_EQ(classifyDatagram({}), DatagramKind::Invalid);
    EXPECT_EQ(classifyDatagram(packet({0x80})), DatagramKind::Invalid);
}
