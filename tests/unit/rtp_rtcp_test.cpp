// RTCP compound codec (RFC 3550 §6.4–6.6, RFC 4585, RFC 5104, draft-alvestrand-rmcat-remb).
#include "rtp/rtcp_packet.h"
#include "rtp/rtp_session.h"

#include <limits>
#include <span>

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
    in.emplace_back(Remb{1, 1'000'000, {2, 3}});
    in.emplace_back(Tmmbr{1, {{2, 256'000, 40}, {3, 64'000, 0}}});
    in.emplace_back(Tmmbn{1, {{2, 256'000, 40}}});
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
    // One packet fewer (a view, not resize(): GCC 12 at -O1 with ASan misreads the shrink).
    EXPECT_TRUE(parseRtcp(std::span<const std::uint8_t>(d).first(d.size() - 8)).ok());
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

namespace {

std::vector<std::uint8_t> bytesOf(std::initializer_list<int> list)
{
    std::vector<std::uint8_t> out;
    for (int b : list)
        out.push_back(static_cast<std::uint8_t>(b));
    return out;
}

} // namespace

TEST(Rtcp, RembFollowsTheDraftsWireLayout)
{
    // 1 Mbit/s = 250000 × 2^2: num SSRC 1, exp 2, mantissa 0x3d090.
    const auto expected = bytesOf(
        {0x8f, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 0x01, 0x0b, 0xd0, 0x90, 0, 0, 0, 2});
    EXPECT_EQ(serializeRtcp(std::vector<RtcpPacket>{Remb{1, 1'000'000, {2}}}), expected);
    const RtcpParse r = parseRtcp(expected);
    ASSERT_TRUE(r.ok()) << toString(r.error);
    EXPECT_EQ(std::get<Remb>(r.packets[0]), (Remb{1, 1'000'000, {2}}));
}

TEST(Rtcp, RembRoundsAnUnrepresentableBitrateDownAndSaturatesAnOverflowingOne)
{
    auto roundTrip = [](std::uint64_t bps) {
        const RtcpParse r = parseRtcp(serializeRtcp(std::vector<RtcpPacket>{Remb{1, bps, {}}}));
        return r.ok() ? std::get<Remb>(r.packets.at(0)).bitrateBps : 0;
    };
    EXPECT_EQ(roundTrip(0), 0u);
    EXPECT_EQ(roundTrip(262'143), 262'143u); // largest exact 18-bit mantissa
    EXPECT_EQ(roundTrip(1'000'001), 1'000'000u);
    EXPECT_EQ(roundTrip(std::numeric_limits<std::uint64_t>::max()), kMaxRembBitrate);
    // exp 63 with a full mantissa overflows 64 bits: the largest value the field can carry.
    const auto huge =
        bytesOf({0x8f, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 0x00, 0xff, 0xff, 0xff});
    const RtcpParse r = parseRtcp(huge);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<Remb>(r.packets[0]).bitrateBps, kMaxRembBitrate);
}

TEST(Rtcp, SkipsAnApplicationFeedbackThatIsNotRemb)
{
    auto d = serializeRtcp(std::vector<RtcpPacket>{ReceiverReport{1, {}}});
    for (std::uint8_t b :
         bytesOf({0x8f, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'X', 0x01, 0x0b, 0xd0, 0x90}))
        d.push_back(b);
    const RtcpParse r = parseRtcp(d);
    ASSERT_TRUE(r.ok()) << toString(r.error);
    EXPECT_EQ(r.packets.size(), 1u);
    EXPECT_EQ(r.skipped, 1u);
}

TEST(Rtcp, RembWhoseSsrcListRunsPastThePacketIsTruncated)
{
    // Num SSRC 2, one present.
    EXPECT_EQ(parseRtcp(bytesOf({0x8f, 206, 0,   5,   0,    0,    0,    1,    0, 0, 0, 0,
                                 'R',  'E', 'M', 'B', 0x02, 0x0b, 0xd0, 0x90, 0, 0, 0, 2}))
                  .error,
              RtcpError::TruncatedBody);
    // The identifier but no bitrate word.
    EXPECT_EQ(parseRtcp(bytesOf({0x8f, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B'})).error,
              RtcpError::TruncatedBody);
}

TEST(Rtcp, CutsARembSsrcListTo255)
{
    Remb remb{1, 500'000, {}};
    for (std::uint32_t i = 0; i < 300; ++i)
        remb.ssrcs.push_back(i);
    const RtcpParse r = parseRtcp(serializeRtcp(std::vector<RtcpPacket>{remb}));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<Remb>(r.packets[0]).ssrcs.size(), 255u);
}

TEST(Rtcp, TmmbrFollowsRfc5104WireLayout)
{
    // 256 kbit/s = 128000 × 2^1, overhead 40: exp(6)=1 | mantissa(17)=0x1f400 | overhead(9)=40.
    const auto expected =
        bytesOf({0x83, 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0x07, 0xe8, 0x00, 0x28});
    EXPECT_EQ(serializeRtcp(std::vector<RtcpPacket>{Tmmbr{1, {{2, 256'000, 40}}}}), expected);
    const RtcpParse r = parseRtcp(expected);
    ASSERT_TRUE(r.ok()) << toString(r.error);
    EXPECT_EQ(std::get<Tmmbr>(r.packets[0]), (Tmmbr{1, {{2, 256'000, 40}}}));
    // TMMBN is FMT 4 with the same FCI.
    auto tmmbn = expected;
    tmmbn[0] = 0x84;
    const RtcpParse n = parseRtcp(tmmbn);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(std::get<Tmmbn>(n.packets[0]), (Tmmbn{1, {{2, 256'000, 40}}}));
}

TEST(Rtcp, TmmbrSaturatesBitrateAndCutsOverhead)
{
    const Tmmbr in{1, {{2, std::numeric_limits<std::uint64_t>::max(), 600}, {3, 131'073, 511}}};
    const RtcpParse r = parseRtcp(serializeRtcp(std::vector<RtcpPacket>{in}));
    ASSERT_TRUE(r.ok());
    const auto& out = std::get<Tmmbr>(r.packets[0]);
    ASSERT_EQ(out.entries.size(), 2u);
    EXPECT_EQ(out.entries[0].bitrateBps, kMaxTmmbrBitrate);
    EXPECT_EQ(out.entries[0].overhead, 511u);
    EXPECT_EQ(out.entries[1].bitrateBps, 131'072u); // rounded down to 65536 × 2
    EXPECT_EQ(out.entries[1].overhead, 511u);
}

TEST(Rtcp, AnEmptyTmmbnIsTheEmptyBoundingSet)
{
    const RtcpParse r = parseRtcp(serializeRtcp(std::vector<RtcpPacket>{Tmmbn{7, {}}}));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<Tmmbn>(r.packets[0]), (Tmmbn{7, {}}));
}

TEST(Rtcp, SessionStampsOurSsrcOnRembAndTmmbr)
{
    RtpSessionConfig config;
    config.ssrc = 5;
    RtpSession s(config, TimePoint{});
    s.sendFeedback(Remb{0, 300'000, {9}}, TimePoint{});
    s.sendFeedback(Tmmbr{0, {{9, 300'000, 0}}}, TimePoint{});
    const auto remb = s.pollRtcp();
    const auto tmmbr = s.pollRtcp();
    ASSERT_TRUE(remb && tmmbr);
    const RtcpParse a = parseRtcp(*remb);
    const RtcpParse b = parseRtcp(*tmmbr);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(std::get<Remb>(a.packets.back()).senderSsrc, 5u);
    EXPECT_EQ(std::get<Tmmbr>(b.packets.back()).senderSsrc, 5u);
}
