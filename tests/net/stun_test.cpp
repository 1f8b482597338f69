// The STUN codec (RFC 5389) against the RFC 5769 test vectors, round trips, demultiplexing
// from SIP, and truncated or corrupted input.
#include "net/stun.h"

#include <gtest/gtest.h>

#include <string>

using namespace vphone::net;

namespace {

std::string bytes(std::initializer_list<int> b)
{
    std::string out;
    for (int v : b)
        out.push_back(static_cast<char>(v));
    return out;
}

// RFC 5769 §2.2: sample IPv4 response (SOFTWARE, XOR-MAPPED-ADDRESS 192.0.2.1:32853,
// MESSAGE-INTEGRITY, FINGERPRINT).
const std::string kRfc5769Response =
    bytes({0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
           0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
           0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
           0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
           0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96});

const stun::TransactionId kId{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

} // namespace

TEST(Stun, DecodesTheRfc5769SampleResponseAndChecksItsFingerprint)
{
    const auto m = stun::decode(kRfc5769Response);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->type, stun::kBindingSuccess);
    EXPECT_EQ(m->id, kId);
    EXPECT_TRUE(m->fingerprinted);
    ASSERT_TRUE(m->mapped);
    EXPECT_EQ(*m->mapped, (stun::MappedAddress{"192.0.2.1", 32853}));
}

TEST(Stun, ABindingRequestIsTheHeaderPlusFingerprint)
{
    const std::string r = stun::bindingRequest(kId);
    ASSERT_EQ(r.size(), 28u);
    EXPECT_EQ(r.substr(0, 8), bytes({0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42}));
    EXPECT_EQ(r.substr(20, 4), bytes({0x80, 0x28, 0x00, 0x04}));
    const auto m = stun::decode(r);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->type, stun::kBindingRequest);
    EXPECT_EQ(m->id, kId);
    EXPECT_TRUE(m->fingerprinted);
    EXPECT_FALSE(m->mapped);
}

TEST(Stun, SuccessResponsesRoundTripForBothFamilies)
{
    for (const stun::MappedAddress& a :
         {stun::MappedAddress{"198.51.100.9", 5060}, stun::MappedAddress{"2001:db8::42", 65535}}) {
        const auto m = stun::decode(stun::bindingSuccess(kId, a));
        ASSERT_TRUE(m) << a.host;
        EXPECT_EQ(m->mapped, a);
    }
    EXPECT_TRUE(stun::bindingSuccess(kId, {"not-an-address", 1}).empty());
}

TEST(Stun, SipIsNeverTakenForStun)
{
    EXPECT_FALSE(stun::looksLikeStun("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1\r\n\r\n"));
    EXPECT_FALSE(stun::looksLikeStun("\r\n\r\n"));
    EXPECT_FALSE(stun::looksLikeStun(""));
    EXPECT_TRUE(stun::looksLikeStun(kRfc5769Response));
}

TEST(Stun, CorruptionAndTruncationAreRefused)
{
    std::string flipped = kRfc5769Response;
    flipped[45] ^= 0x01; // inside XOR-MAPPED-ADDRESS: the fingerprint no longer matches
    EXPECT_FALSE(stun::decode(flipped));
    for (std::size_t n = 0; n < kRfc5769Response.size(); ++n)
        EXPECT_FALSE(stun::decode(kRfc5769Response.substr(0, n))) << n;
    std::string overrun = stun::bindingRequest(kId);
    overrun[22] = 0x7f; // the FINGERPRINT attribute claims more bytes than there are
    EXPECT_FALSE(stun::decode(overrun));
    std::string family = stun::bindingSuccess(kId, {"192.0.2.1", 1});
    family[25] = 0x03; // no such address family
    EXPECT_FALSE(stun::decode(family));
}

TEST(Stun, EveryByteValueAtEveryPositionIsSafe)
{
    // A mutation sweep: decoding never crashes or reads out of bounds (ASan), and a changed
    // byte is caught by the FINGERPRINT unless it hides the FINGERPRINT attribute itself.
    const std::string base = stun::bindingSuccess(kId, {"2001:db8::1", 5060});
    const std::size_t fingerprintAt = base.size() - 8;
    for (std::size_t i = 0; i < base.size(); ++i) {
        for (int v = 0; v < 256; ++v) {
            std::string m = base;
            m[i] = static_cast<char>(v);
            const auto decoded = stun::decode(m);
            if (m == base) {
                EXPECT_TRUE(decoded);
            } else if (decoded) {
                EXPECT_GE(i, fingerprintAt) << i;
                EXPECT_LT(i, fingerprintAt + 2) << i; // the attribute type: now unknown, ignored
                EXPECT_FALSE(decoded->fingerprinted);
            }
        }
    }
}
