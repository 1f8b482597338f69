// RTCP compound codec (RFC 3550 §6.4–6.6, RFC 4585, RFC 5104).
#include "rtp/rtcp_packet.h"

#include <gtest/gtest.h>

using namespace vphone::media;

namespace {

ReportBlock block(std::uint32_t ssrc)
{
    return ReportBlock{ssrc, 25, -3, 0x00010005, 123, 0x11223344, 0x00018000};
}

} // namespace

TEST(Rtcp, RoundTripsACompoundOfEveryKind)
{
    std::vector<RtcpPacket> in;
    in.emplace_back(SenderReport{1, 0x0102030405060708ull, 160, 10, 1600, {block(2), block(3)}});
    in.emplace_back(ReceiverReport{1, {block(4)}});
    in.emplace_back(Sdes{{SdesChunk{1, "alice@example.test"}, SdesChunk{5, ""}}});
    in.emplace_back(Bye{{1, 9}, "done"});
    in.emplace_back(Nack{1, 2, {100, 101, 116, 200}});
    in.emplace_back(Pli{1, 2});
    in.emplace_back(Fir{1, {{2, 7}, {3, 8}}});
    const auto bytes = serializeRtcp(in);
    EXPECT_EQ(bytes.size() % 4, 0u);
    const RtcpParse r = parseRtcp(bytes);
    ASSERT_TRUE(r.ok()) << toString(r.error);
    EXPECT_EQ(r.skipped, 0u);
    ASSERT_EQ(r.packets.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i)
        EXPECT_EQ(r.packets[i], in[i]) << "packet " << i;
}

TEST(Rtcp, NegativeCumulativeLossKeepsItsSign)
{
    std::vector<RtcpPacket> in{ReceiverReport{1, {ReportBlock{2, 0, -0x800000, 0, 0, 0, 0}}}};
    const RtcpParse r = parseRtcp(serializeRtcp(in));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<ReceiverReport>(r.packets[0]).reports[0].cumulativeLost, -0x800000);
}

TEST(Rtcp, SkipsAppXrAndUnknownFeedbackByLength)
{
    std::vector<std::uint8_t> d = serializeRtcp(std::vector<RtcpPacket>{ReceiverReport{1, {}}});
    // APP (204): header + SSRC + name, length 2.
    for (int b : {0x80, 204, 0, 2, 0, 0, 0, 1, int{'n'}, int{'a'}, int{'m'}, int{'e'}})
        d.push_back(static_cast<std::uint8_t>(b));
    // PSFB FMT 15 (application layer feedback), length 2.
    for (int b : {0x8f, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2})
        d.push_back(static_cast<std::uint8_t>(b));
    const RtcpParse r = parseRtcp(d);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.packets.size(), 1u);
    EXPECT_EQ(r.skipped, 2u);
}

TEST(Rtcp, ReadsPaddingOnTheLastPacket)
{
    // RR with no blocks, P set, one word of padding (count 4).
    std::vector<std::uint8_t> d = {0xa0, 201, 0, 2, 0, 0, 0, 7, 0, 0, 0, 4};
    const RtcpParse r = parseRtcp(d);
    ASSERT_TRUE(r.ok()) << toString(r.error);
    EXPECT_EQ(std::get<ReceiverReport>(r.packets[0]).ssrc, 7u);
}

TEST(Rtcp, NamesEachWayACompoundCanBeBroken)
{
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x80, 201}).error, RtcpError::TooShort);
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x40, 201, 0, 1, 0, 0, 0, 1}).error, RtcpError::BadVersion);
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x80, 201, 0, 9, 0, 0, 0, 1}).error,
              RtcpError::LengthPastEnd);
    // Padding on the first of two packets.
    std::vector<std::uint8_t> notLast = {0xa0, 201, 0, 1, 0, 0, 0, 1, 0x80, 201, 0, 1, 0, 0, 0, 1};
    EXPECT_EQ(parseRtcp(notLast).error, RtcpError::PaddingNotLast);
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0xa0, 201, 0, 1, 0, 0, 0, 0}).error, RtcpError::BadPadding);
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0xa0, 201, 0, 1, 0, 0, 0, 9}).error, RtcpError::BadPadding);
    // RR claiming 2 report blocks with none present.
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x82, 201, 0, 1, 0, 0, 0, 1}).error,
              RtcpError::TruncatedBody);
    // SR too short for its sender info.
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x80, 200, 0, 1, 0, 0, 0, 1}).error,
              RtcpError::TruncatedBody);
    // SDES chunk without an END item.
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, 'a', 'b'}).error,
              RtcpError::TruncatedBody);
    // SDES item longer than the packet.
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x81, 202, 0, 2, 0, 0, 0, 1, 1, 9, 'a', 'b'}).error,
              RtcpError::TruncatedBody);
    // BYE reason longer than the packet.
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x81, 203, 0, 2, 0, 0, 0, 1, 9, 'a', 'b', 'c'}).error,
              RtcpError::TruncatedBody);
    // Feedback without its two SSRCs.
    EXPECT_EQ(parseRtcp(std::vector<std::uint8_t>{0x81, 205, 0, 1, 0, 0, 0, 1}).error,
              RtcpError::TruncatedBody);
}

TEST(Rtcp, StopsAtTheCompoundPacketLimit)
{
    std::vector<std::uint8_t> d;
    for (std::size_t i = 0; i <= kMaxRtcpPackets; ++i) {
        for (int b : {0x80, 201, 0, 1, 0, 0, 0, 1})
            d.push_back(static_cast<std::uint8_t>(b));
    }
    EXPECT_EQ(parseRtcp(d).error, RtcpError::TooManyPackets);
    d.resize(d.size() - 8);
    EXPECT_TRUE(parseRtcp(d).ok());
}

TEST(Rtcp, NackPacksRunsIntoPidAndBitmask)
{
    Nack nack{1, 2, {}};
    for (std::uint16_t s = 65530; s != 14; ++s)
        nack.lost.push_back(s); // 20 numbers through 0
    const auto bytes = serializeRtcp(std::vector<RtcpPacket>{nack});
    // PID 65530 and its 16-bit mask cover 65530..10; PID 11 covers 11..13: two FCIs.
    EXPECT_EQ(bytes.size(), 12u + 2 * 4);
    const RtcpParse r = parseRtcp(bytes);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<Nack>(r.packets[0]), nack);
}

TEST(Rtcp, CutsOverlongListsToWhatTheWireCanCarry)
{
    ReceiverReport rr{1, {}};
    for (std::uint32_t i = 0; i < 40; ++i)
        rr.reports.push_back(block(i));
    Bye bye{{1}, std::string(300, 'x')};
    const RtcpParse r = parseRtcp(serializeRtcp(std::vector<RtcpPacket>{rr, bye}));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<ReceiverReport>(r.packets[0]).reports.size(), 31u);
    EXPECT_EQ(std::get<Bye>(r.packets[1]).reason.size(), 255u);
}
