// SRTP/SRTCP through the libsrtp2 wrapper: every suite, replay and authentication failures
// counted by reason, bad input refused.
#include "srtp/srtp_session.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace vphone::media;

namespace {

constexpr SrtpSuite kSuites[] = {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32,
                                 SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm};

SecretBytes key(SrtpSuite suite, std::uint8_t seed)
{
    std::vector<std::uint8_t> k(srtpKeyMaterialLength(suite));
    std::iota(k.begin(), k.end(), seed);
    return SecretBytes(k);
}

// Alice and Bob, each sending with its own key.
std::pair<SrtpSession, SrtpSession> pair(SrtpSuite suite)
{
    auto a = SrtpSession::create({suite, key(suite, 1), key(suite, 100)});
    auto b = SrtpSession::create({suite, key(suite, 100), key(suite, 1)});
    EXPECT_TRUE(a && b);
    return {std::move(*a), std::move(*b)};
}

std::vector<std::uint8_t> rtp(std::uint16_t seq)
{
    std::vector<std::uint8_t> p = {0x80,
                                   111,
                                   static_cast<std::uint8_t>(seq >> 8),
                                   static_cast<std::uint8_t>(seq),
                                   0,
                                   0,
                                   0,
                                   1,
                                   0x12,
                                   0x34,
                                   0x56,
                                   0x78};
    for (int i = 0; i < 160; ++i)
        p.push_back(static_cast<std::uint8_t>(i));
    return p;
}

std::vector<std::uint8_t> rtcp()
{
    return {0x80, 201, 0, 1, 0x12, 0x34, 0x56, 0x78}; // RR, no blocks
}

std::size_t rtpTag(SrtpSuite s)
{
    return s == SrtpSuite::AesCm128HmacSha1_80 ? 10 : s == SrtpSuite::AesCm128HmacSha1_32 ? 4 : 16;
}

} // namespace

TEST(SrtpSession, ProtectsAndUnprotectsRtpAndRtcpWithEverySuite)
{
    for (SrtpSuite suite : kSuites) {
        SCOPED_TRACE(std::string(toString(suite)));
        auto [alice, bob] = pair(suite);
        for (std::uint16_t seq = 1; seq < 20; ++seq) {
            const auto plain = rtp(seq);
            auto wire = plain;
            ASSERT_EQ(alice.protectRtp(wire), SrtpStatus::Ok);
            EXPECT_EQ(wire.size(), plain.size() + rtpTag(suite));
            EXPECT_NE(std::vector<std::uint8_t>(wire.begin() + 12, wire.begin() + 40),
                      std::vector<std::uint8_t>(plain.begin() + 12, plain.begin() + 40)); // encrypted
            ASSERT_EQ(bob.unprotectRtp(wire), SrtpStatus::Ok);
            EXPECT_EQ(wire, plain);
        }
        const auto plain = rtcp();
        auto wire = plain;
        ASSERT_EQ(bob.protectRtcp(wire), SrtpStatus::Ok);
        // SRTCP: E flag + index (4), then the tag: 80 bits for both AES-CM suites (RFC 5764 §4.1.2).
        EXPECT_EQ(wire.size(),
                  plain.size() + 4 + (suite == SrtpSuite::AesCm128HmacSha1_32 ? 10 : rtpTag(suite)));
        ASSERT_EQ(alice.unprotectRtcp(wire), SrtpStatus::Ok);
        EXPECT_EQ(wire, plain);
        EXPECT_EQ(alice.protectedCount(), 19u);
        EXPECT_EQ(alice.unprotectedCount(), 1u);
    }
}

TEST(SrtpSession, DropsReplaysAndForgeriesAndCountsThemByReason)
{
    for (SrtpSuite suite : kSuites) {
        SCOPED_TRACE(std::string(toString(suite)));
        auto [alice, bob] = pair(suite);
        auto wire = rtp(7);
        ASSERT_EQ(alice.protectRtp(wire), SrtpStatus::Ok);
        auto replay = wire;
        auto forged = wire;
        forged[20] ^= 1;
        ASSERT_EQ(bob.unprotectRtp(wire), SrtpStatus::Ok);
        EXPECT_EQ(bob.unprotectRtp(replay), SrtpStatus::ReplayFail);
        auto next = rtp(8);
        ASSERT_EQ(alice.protectRtp(next), SrtpStatus::Ok);
        forged = next;
        forged[20] ^= 1;
        EXPECT_EQ(bob.unprotectRtp(forged), SrtpStatus::AuthFail);
        EXPECT_EQ(bob.unprotectRtp(next), SrtpStatus::Ok); // the genuine one still passes
        auto rtcpWire = rtcp();
        ASSERT_EQ(alice.protectRtcp(rtcpWire), SrtpStatus::Ok);
        auto rtcpForged = rtcpWire;
        rtcpForged[5] ^= 0x40;
        auto rtcpReplay = rtcpWire;
        EXPECT_EQ(bob.unprotectRtcp(rtcpForged), SrtpStatus::AuthFail);
        EXPECT_EQ(bob.unprotectRtcp(rtcpWire), SrtpStatus::Ok);
        EXPECT_EQ(bob.unprotectRtcp(rtcpReplay), SrtpStatus::ReplayFail);
        EXPECT_EQ(bob.drops(SrtpStatus::ReplayFail), 2u);
        EXPECT_EQ(bob.drops(SrtpStatus::AuthFail), 2u);
        EXPECT_EQ(bob.unprotectedCount(), 3u);
    }
}

TEST(SrtpSession, AWrongKeyFailsAuthentication)
{
    auto alice = SrtpSession::create(
        {SrtpSuite::AeadAes128Gcm, key(SrtpSuite::AeadAes128Gcm, 1), key(SrtpSuite::AeadAes128Gcm, 2)});
    auto eve = SrtpSession::create(
        {SrtpSuite::AeadAes128Gcm, key(SrtpSuite::AeadAes128Gcm, 3), key(SrtpSuite::AeadAes128Gcm, 9)});
    ASSERT_TRUE(alice && eve);
    auto wire = rtp(1);
    ASSERT_EQ(alice->protectRtp(wire), SrtpStatus::Ok);
    EXPECT_EQ(eve->unprotectRtp(wire), SrtpStatus::AuthFail);
}

TEST(SrtpSession, RefusesBadKeysAndBadPacketsWithoutCrashing)
{
    std::string error;
    std::vector<std::uint8_t> shortKey(29, 0xab);
    EXPECT_FALSE(SrtpSession::create(
        {SrtpSuite::AesCm128HmacSha1_80, SecretBytes(shortKey), SecretBytes(shortKey)}, &error));
    EXPECT_EQ(error, "AES_CM_128_HMAC_SHA1_80 needs 30 bytes of key||salt");
    EXPECT_EQ(error.find("ab"), std::string::npos);
    EXPECT_FALSE(SrtpSession::create({SrtpSuite::Invalid, {}, {}}, &error));

    auto [alice, bob] = pair(SrtpSuite::AesCm128HmacSha1_80);
    std::vector<std::uint8_t> tiny = {0x80, 0};
    EXPECT_EQ(bob.unprotectRtp(tiny), SrtpStatus::BadPacket);
    EXPECT_EQ(bob.unprotectRtcp(tiny), SrtpStatus::BadPacket);
    EXPECT_EQ(bob.drops(SrtpStatus::BadPacket), 2u);
    // No room for the tag in a caller's buffer.
    auto packet = rtp(1);
    std::size_t length = packet.size();
    EXPECT_EQ(alice.protectRtp(packet, length), SrtpStatus::BadPacket);
    EXPECT_EQ(length, packet.size());
    // Garbage that looks like SRTP.
    std::vector<std::uint8_t> garbage(100, 0x80);
    EXPECT_NE(bob.unprotectRtp(garbage), SrtpStatus::Ok);
}

TEST(SrtpSession, NamesSuitesAsSdpDoes)
{
    for (SrtpSuite s : kSuites)
        EXPECT_EQ(srtpSuiteFromName(toString(s)), s);
    EXPECT_EQ(srtpSuiteFromName("aes_cm_128_hmac_sha1_80"), SrtpSuite::Invalid);
    EXPECT_EQ(srtpKeyMaterialLength(SrtpSuite::AeadAes256Gcm), 44u);
    EXPECT_EQ(srtpKeyMaterialLength(SrtpSuite::AeadAes128Gcm), 28u);
}
