// RFC 4568 a=crypto lines: parse, generate, format, and keys that work end to end.
#include "srtp/sdes_crypto.h"

#include <gtest/gtest.h>

using namespace vphone::media;

TEST(SdesCrypto, ParsesTheRfc4568Example)
{
    // RFC 4568 §4, without the MKI.
    const auto c =
        parseSdesCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->tag, 1u);
    EXPECT_EQ(c->suite, SrtpSuite::AesCm128HmacSha1_80);
    EXPECT_EQ(c->keySalt.size(), 30u);
    EXPECT_EQ(c->keySalt.bytes()[0], 0x3d); // 'P' 'S' '1' → 0x3d 0x2d ...
    EXPECT_EQ(c->lifetime, "2^20");
    EXPECT_EQ(formatSdesCrypto(*c),
              "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20");
}

TEST(SdesCrypto, GeneratesFormatsAndParsesBackEverySuite)
{
    for (SrtpSuite s : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32,
                        SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm}) {
        const auto a = generateSdesCrypto(3, s);
        const auto b = generateSdesCrypto(3, s);
        ASSERT_TRUE(a && b);
        EXPECT_FALSE(a->keySalt == b->keySalt); // random
        std::string error;
        const auto parsed = parseSdesCrypto(formatSdesCrypto(*a), &error);
        ASSERT_TRUE(parsed) << error;
        EXPECT_EQ(parsed->suite, s);
        EXPECT_TRUE(parsed->keySalt == a->keySalt);
    }
}

TEST(SdesCrypto, RefusesWhatItCannotOrWillNotHonour)
{
    const std::string key30 = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";
    const std::pair<std::string, std::string> cases[] = {
        {"x AES_CM_128_HMAC_SHA1_80 inline:" + key30, "crypto: tag must be 1 to 9 digits"},
        {"1 F8_128_HMAC_SHA1_80 inline:" + key30, "crypto: unsupported suite 'F8_128_HMAC_SHA1_80'"},
        {"1 AES_CM_128_HMAC_SHA1_80 uri:" + key30, "crypto: key method must be inline"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + "|2^20|1:4", "crypto: MKI is not supported"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + "|1:4", "crypto: MKI is not supported"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + ";inline:" + key30,
         "crypto: several keys are not supported"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + "|2^x", "crypto: bad key lifetime"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:PS1u*CVe", "crypto: key is not valid base64"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:PS1=QCVe", "crypto: key is not valid base64"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVe",
         "crypto: AES_CM_128_HMAC_SHA1_80 needs a 30-byte key||salt"},
        {"1 AEAD_AES_256_GCM inline:" + key30, "crypto: AEAD_AES_256_GCM needs a 44-byte key||salt"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + " UNENCRYPTED_SRTP",
         "crypto: UNENCRYPTED_SRTP is refused"},
        {"1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + " KDR=1", "crypto: key derivation rate not supported"},
        {"", "crypto: tag must be 1 to 9 digits"},
    };
    for (const auto& [line, why] : cases) {
        std::string error;
        EXPECT_FALSE(parseSdesCrypto(line, &error)) << line;
        EXPECT_EQ(error, why) << line;
        EXPECT_EQ(error.find(key30), std::string::npos); // never echoes key material
    }
    // Harmless session parameters are ignored.
    EXPECT_TRUE(parseSdesCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + key30 + " WSH=128 KDR=0"));
}

TEST(SdesCrypto, OfferAndAnswerKeysProtectBothWays)
{
    const auto offer = generateSdesCrypto(1, SrtpSuite::AesCm128HmacSha1_80);
    const auto answer =
        parseSdesCrypto(formatSdesCrypto(*generateSdesCrypto(1, SrtpSuite::AesCm128HmacSha1_80)));
    ASSERT_TRUE(offer && answer);
    auto aliceKeys = sdesKeys(*offer, *answer);
    auto bobKeys = sdesKeys(*answer, *offer);
    ASSERT_TRUE(aliceKeys && bobKeys);
    auto alice = SrtpSession::create(*aliceKeys);
    auto bob = SrtpSession::create(*bobKeys);
    ASSERT_TRUE(alice && bob);
    std::vector<std::uint8_t> p = {0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 3};
    const auto plain = p;
    ASSERT_EQ(alice->protectRtp(p), SrtpStatus::Ok);
    ASSERT_EQ(bob->unprotectRtp(p), SrtpStatus::Ok);
    EXPECT_EQ(p, plain);
    const auto gcm = generateSdesCrypto(1, SrtpSuite::AeadAes128Gcm);
    EXPECT_FALSE(sdesKeys(*offer, *gcm)); // suites must agree
}
