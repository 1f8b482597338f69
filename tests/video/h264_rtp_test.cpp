// RFC 6184 packetization-mode 1: Annex B splitting, STAP-A, FU-A, and what the receiver refuses.
#include "payload/h264_rtp.h"
#include "payload/video_payload.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

using namespace vphone::media;

namespace {

using Bytes = std::vector<std::uint8_t>;

// A NAL unit: header byte then `size - 1` body bytes that never form a start code.
Bytes nal(std::uint8_t header, std::size_t size, std::uint8_t firstBody = 0x88)
{
    Bytes n{header};
    if (size > 1) n.push_back(firstBody);
    for (std::size_t i = 2; i < size; ++i)
        n.push_back(static_cast<std::uint8_t>(i * 7 % 255 + 1));
    return n;
}

Bytes annexB(const std::vector<Bytes>& nals)
{
    Bytes out;
    for (const auto& n : nals) {
        out.insert(out.end(), {0, 0, 0, 1});
        out.insert(out.end(), n.begin(), n.end());
    }
    return out;
}

Bytes depacketize(const std::vector<Bytes>& payloads, bool* key = nullptr)
{
    std::vector<std::span<const std::uint8_t>> views(payloads.begin(), payloads.end());
    Bytes out;
    bool keyframe = false;
    EXPECT_EQ(depacketizeVideo(VideoPayloadFormat::H264, views, out, keyframe), VideoDepacketize::Ok);
    if (key) *key = keyframe;
    return out;
}

} // namespace

TEST(H264Rtp, SplitsAnnexBAtThreeAndFourByteStartCodesDroppingTrailingZeros)
{
    const Bytes stream{0, 0, 1, 0x67, 1, 2, 0, 0, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 4, 0};
    const auto nals = splitAnnexB(stream);
    ASSERT_EQ(nals.size(), 3u);
    EXPECT_EQ(Bytes(nals[0].begin(), nals[0].end()), (Bytes{0x67, 1, 2}));
    EXPECT_EQ(Bytes(nals[1].begin(), nals[1].end()), (Bytes{0x68, 3}));
    EXPECT_EQ(Bytes(nals[2].begin(), nals[2].end()), (Bytes{0x65, 4}));
    EXPECT_TRUE(splitAnnexB(Bytes{1, 2, 3}).empty());
    EXPECT_TRUE(splitAnnexB(Bytes{0, 0, 1, 0, 0, 1}).empty());
}

TEST(H264Rtp, SmallNalsAreAggregatedIntoOneStapA)
{
    const Bytes au = annexB({nal(0x67, 10), nal(0x68, 4), nal(0x65, 300)});
    H264Packetizer packetizer(1200);
    std::vector<Bytes> out;
    ASSERT_EQ(packetizer.packetize(au, out), 1u);
    const Bytes& p = out[0];
    EXPECT_EQ(p[0], 0x60 | kH264StapA); // NRI is the largest of the three (3), F is 0
    EXPECT_EQ(p.size(), 1u + 2 + 10 + 2 + 4 + 2 + 300);
    EXPECT_EQ(p[1], 0);
    EXPECT_EQ(p[2], 10);
    const H264PacketInfo info = inspectH264(p);
    EXPECT_EQ(info.error, H264PayloadError::None);
    EXPECT_TRUE(info.frameStart);
    EXPECT_TRUE(info.idr);
    bool key = false;
    EXPECT_EQ(depacketize(out, &key), au);
    EXPECT_TRUE(key);
}

TEST(H264Rtp, StapAStopsWhereTheNextNalNoLongerFits)
{
    const Bytes au = annexB({nal(0x67, 10), nal(0x68, 4), nal(0x41, 1000), nal(0x41, 900)});
    H264Packetizer packetizer(1200);
    std::vector<Bytes> out;
    ASSERT_EQ(packetizer.packetize(au, out), 2u);
    EXPECT_EQ(out[0][0] & 0x1f, kH264StapA); // SPS, PPS, first slice: 1 + 12 + 6 + 1002 bytes
    EXPECT_EQ(out[0].size(), 1u + 12 + 6 + 1002);
    EXPECT_EQ(out[1], nal(0x41, 900)); // a lone NAL unit goes as a single NAL unit packet
    EXPECT_EQ(depacketize(out), au);
}

TEST(H264Rtp, NalsThatFitOnlyAloneGoAsSingleNalUnitPackets)
{
    const Bytes au = annexB({nal(0x41, 700), nal(0x41, 700)});
    H264Packetizer packetizer(1200);
    std::vector<Bytes> out;
    ASSERT_EQ(packetizer.packetize(au, out), 2u);
    EXPECT_EQ(out[0], nal(0x41, 700));
    EXPECT_EQ(out[1], nal(0x41, 700));
    EXPECT_EQ(depacketize(out), au);
}

TEST(H264Rtp, A10kBNalIsSplitIntoFuAFragmentsOfNearEqualSize)
{
    const Bytes idr = nal(0x65, 10000);
    const Bytes au = annexB({idr});
    H264Packetizer packetizer(1200);
    std::vector<Bytes> out;
    // 9999 body bytes in fragments of at most 1198: 9 of them.
    ASSERT_EQ(packetizer.packetize(au, out), 9u);
    std::size_t body = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const Bytes& p = out[i];
        EXPECT_LE(p.size(), 1200u);
        EXPECT_GE(p.size(), 1100u);
        EXPECT_EQ(p[0], 0x60 | kH264FuA);
        EXPECT_EQ(p[1] & 0x1f, kH264Idr);
        EXPECT_EQ((p[1] & 0x80) != 0, i == 0) << i;
        EXPECT_EQ((p[1] & 0x40) != 0, i + 1 == out.size()) << i;
        const H264PacketInfo info = inspectH264(p);
        EXPECT_EQ(info.error, H264PayloadError::None);
        EXPECT_EQ(info.frameStart, i == 0);
        EXPECT_TRUE(info.idr);
        body += p.size() - 2;
    }
    EXPECT_EQ(body, 9999u);
    bool key = false;
    EXPECT_EQ(depacketize(out, &key), au);
    EXPECT_TRUE(key);
}

TEST(H264Rtp, PacketizerSkipsEmptyAndNonH264NalUnits)
{
    Bytes au = annexB({nal(0x18, 5), nal(0x41, 20), nal(0x00, 3), nal(0x1f, 3)});
    au.insert(au.begin(), {0, 0, 1}); // an empty NAL unit first
    H264Packetizer packetizer(1200);
    std::vector<Bytes> out;
    ASSERT_EQ(packetizer.packetize(au, out), 1u);
    EXPECT_EQ(out[0], nal(0x41, 20));
    EXPECT_EQ(packetizer.packetize(Bytes{}, out), 0u);
    EXPECT_TRUE(out.empty());
}

TEST(H264Rtp, TinyMaxPayloadStillGivesValidFragments)
{
    const Bytes au = annexB({nal(0x67, 4), nal(0x65, 7)});
    H264Packetizer packetizer(1); // raised to 3: FU indicator, FU header, one byte
    EXPECT_EQ(packetizer.maxPayload(), 3u);
    std::vector<Bytes> out;
    EXPECT_EQ(packetizer.packetize(au, out), 3u + 6u);
    for (const auto& p : out)
        EXPECT_EQ(inspectH264(p).error, H264PayloadError::None);
    EXPECT_EQ(depacketize(out), au);
}

TEST(H264Rtp, FirstPacketOfAnAccessUnitIsRecognised)
{
    EXPECT_TRUE(inspectH264(nal(0x09, 2)).frameStart);             // AUD
    EXPECT_TRUE(inspectH264(nal(0x06, 5)).frameStart);             // SEI
    EXPECT_TRUE(inspectH264(nal(0x67, 5)).frameStart);             // SPS
    EXPECT_TRUE(inspectH264(nal(0x41, 5, 0x9a)).frameStart);       // first_mb_in_slice == 0
    EXPECT_FALSE(inspectH264(nal(0x41, 5, 0x1a)).frameStart);      // a later slice
    EXPECT_FALSE(inspectH264(nal(0x41, 1)).frameStart);            // no slice header at all
    EXPECT_FALSE(inspectH264(nal(0x0c, 5)).frameStart);            // filler
    EXPECT_FALSE(inspectH264(Bytes{0x7c, 0x05, 0x88}).frameStart); // FU-A middle fragment
    EXPECT_TRUE(inspectH264(Bytes{0x7c, 0x85, 0x88}).frameStart);  // FU-A start of a first slice
    EXPECT_FALSE(inspectH264(Bytes{0x7c, 0x85, 0x08}).frameStart); // FU-A start of a later slice
}

TEST(H264Rtp, ReceiverRefusesStapBMtapFuBAndReservedTypes)
{
    for (std::uint8_t type : {25, 26, 27, 29}) {
        EXPECT_EQ(inspectH264(Bytes{type, 0, 2, 0x41, 1}).error, H264PayloadError::UnsupportedType) << +type;
    }
    for (std::uint8_t type : {0, 30, 31}) {
        EXPECT_EQ(inspectH264(Bytes{type, 1, 2}).error, H264PayloadError::ReservedType) << +type;
    }
    EXPECT_EQ(inspectH264(Bytes{}).error, H264PayloadError::Empty);
    // Inside a STAP-A and an FU-A too.
    EXPECT_EQ(inspectH264(Bytes{0x18, 0, 2, 0x1e, 1}).error, H264PayloadError::ReservedType);
    EXPECT_EQ(inspectH264(Bytes{0x18, 0, 2, 0x19, 1}).error, H264PayloadError::UnsupportedType);
    EXPECT_EQ(inspectH264(Bytes{0x1c, 0x80, 1}).error, H264PayloadError::ReservedType);
    EXPECT_EQ(inspectH264(Bytes{0x1c, 0x98, 1}).error, H264PayloadError::ReservedType); // nested STAP-A
}

TEST(H264Rtp, TruncatedOrEmptyStapAIsRefused)
{
    EXPECT_EQ(inspectH264(Bytes{0x18, 0, 5, 0x41, 1}).error, H264PayloadError::StapTruncated);
    EXPECT_EQ(inspectH264(Bytes{0x18, 0, 2, 0x41, 1, 0}).error, H264PayloadError::StapTruncated); // lone byte
    EXPECT_EQ(inspectH264(Bytes{0x18, 0xff, 0xff, 0x41}).error, H264PayloadError::StapTruncated);
    EXPECT_EQ(inspectH264(Bytes{0x18}).error, H264PayloadError::StapEmpty);
    EXPECT_EQ(inspectH264(Bytes{0x18, 0, 0, 0, 1, 0x41}).error, H264PayloadError::StapEmpty);
    EXPECT_EQ(inspectH264(Bytes{0x18, 0, 2, 0x41, 1, 0, 1, 0x41}).error, H264PayloadError::None);
    EXPECT_EQ(toString(H264PayloadError::StapTruncated), "stap-a truncated");
}

TEST(H264Rtp, FuAWithStartAndEndOrWithoutBodyIsRefused)
{
    EXPECT_EQ(inspectH264(Bytes{0x7c, 0xc5, 1}).error, H264PayloadError::FuStartAndEnd);
    EXPECT_EQ(inspectH264(Bytes{0x7c, 0x85}).error, H264PayloadError::FuTooShort);
    EXPECT_EQ(inspectH264(Bytes{0x7c}).error, H264PayloadError::FuTooShort);
}

TEST(H264Rtp, DepacketizerNeedsFuAFragmentsInOrderFromTheStart)
{
    Bytes out;
    {
        H264Depacketizer d(out);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x05, 1}), H264PayloadError::FuMissingStart);
    }
    {
        H264Depacketizer d(out);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x85, 1}), H264PayloadError::None);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x01, 2}), H264PayloadError::FuTypeMismatch);
    }
    {
        H264Depacketizer d(out);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x85, 1}), H264PayloadError::None);
        EXPECT_EQ(d.finish(), H264PayloadError::FuMissingEnd);
    }
    {
        H264Depacketizer d(out);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x85, 1}), H264PayloadError::None);
        EXPECT_EQ(d.add(Bytes{0x41, 0x88}), H264PayloadError::FuMissingEnd);
    }
    {
        H264Depacketizer d(out);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x85, 1}), H264PayloadError::None);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x05, 2}), H264PayloadError::None);
        EXPECT_EQ(d.add(Bytes{0x7c, 0x45, 3}), H264PayloadError::None);
        EXPECT_EQ(d.finish(), H264PayloadError::None);
        EXPECT_TRUE(d.idr());
    }
    EXPECT_EQ(out, (Bytes{0, 0, 0, 1, 0x65, 1, 2, 3}));
}
