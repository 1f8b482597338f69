// Typed SDP attributes: rtpmap, fmtp, rtcp, crypto (RFC 4568), fingerprint (RFC 8122), setup,
// ssrc, rtcp-fb, extmap, and direction arithmetic.
#include "sdp/attributes.h"
#include "sdp/session_description.h"

#include <gtest/gtest.h>

using namespace vphone::sdp;

TEST(SdpAttributes, RtpmapReadsChannelsAndRoundTrips)
{
    auto r = parseRtpmap("111 opus/48000/2");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->payloadType, 111);
    EXPECT_EQ(r->encoding, "opus");
    EXPECT_EQ(r->clockRate, 48000u);
    EXPECT_EQ(r->channels, 2u);
    EXPECT_EQ(toString(*r), "111 opus/48000/2");
    EXPECT_FALSE(parseRtpmap("128 x/8000"));
    EXPECT_FALSE(parseRtpmap("96 opus"));
    EXPECT_FALSE(parseRtpmap("96 opus/0"));
    EXPECT_FALSE(parseRtpmap("96 opus/48000/zero"));
}

TEST(SdpAttributes, CryptoReadsKeyLifetimeMkiAndSessionParams)
{
    auto c = parseCrypto("1 AES_CM_128_HMAC_SHA1_80 "
                         "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP");
    ASSERT_TRUE(c) << c.error().what;
    EXPECT_EQ(c->tag, 1u);
    EXPECT_EQ(c->suite, "AES_CM_128_HMAC_SHA1_80");
    ASSERT_EQ(c->keys.size(), 1u);
    EXPECT_EQ(c->keys[0].keySalt, "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
    EXPECT_EQ(c->keys[0].lifetime, "2^20");
    EXPECT_EQ(c->keys[0].mki, 1u);
    EXPECT_EQ(c->keys[0].mkiLength, 4u);
    EXPECT_EQ(c->sessionParams, (std::vector<std::string>{"FEC_ORDER=FEC_SRTP"}));
    EXPECT_EQ(toString(*c), "1 AES_CM_128_HMAC_SHA1_80 "
                            "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP");

    auto two = parseCrypto("2 F8_128_HMAC_SHA1_80 inline:MTIz|2^20|1:4;inline:QUJj|2^20|2:4");
    ASSERT_TRUE(two);
    ASSERT_EQ(two->keys.size(), 2u);
    EXPECT_EQ(two->keys[1].mki, 2u);
    auto mkiOnly = parseCrypto("3 AES_CM_128_HMAC_SHA1_32 inline:QUJj|7:1");
    ASSERT_TRUE(mkiOnly);
    EXPECT_FALSE(mkiOnly->keys[0].lifetime);
    EXPECT_EQ(mkiOnly->keys[0].mki, 7u);
}

TEST(SdpAttributes, CryptoErrorsNeverQuoteTheKey)
{
    const std::string secret = "c2VjcmV0a2V5c2VjcmV0a2V5c2VjcmV0a2V5!!";
    auto c = parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + secret);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().what, "a=crypto: the inline key||salt is not base64");
    EXPECT_EQ(c.error().what.find("c2Vj"), std::string::npos);
    EXPECT_FALSE(parseCrypto("1 AES_CM_128_HMAC_SHA1_80 srtp:QUJj"));
    EXPECT_FALSE(parseCrypto("x AES_CM_128_HMAC_SHA1_80 inline:QUJj"));
    EXPECT_FALSE(parseCrypto("1 AES-CM inline:QUJj"));
    EXPECT_FALSE(parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:QUJj|1:0"));
    EXPECT_FALSE(parseCrypto("1 AES_CM_128_HMAC_SHA1_80 inline:QUJj|1:4|2^20"));
    EXPECT_FALSE(parseCrypto("1 AES_CM_128_HMAC_SHA1_80"));
}

TEST(SdpAttributes, FingerprintNormalisesCaseAndChecksHexPairs)
{
    auto f = parseFingerprint("SHA-256 4a:ad:b9:b1:3f:82:18:3b");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->hashFunction, "sha-256");
    EXPECT_EQ(f->value, "4A:AD:B9:B1:3F:82:18:3B");
    EXPECT_EQ(toString(*f), "sha-256 4A:AD:B9:B1:3F:82:18:3B");
    EXPECT_FALSE(parseFingerprint("sha-256 4A:AD:B"));
    EXPECT_FALSE(parseFingerprint("sha-256 4AAD"));
    EXPECT_FALSE(parseFingerprint("sha-256 4G:AD"));
    EXPECT_FALSE(parseFingerprint("sha-256"));
}

TEST(SdpAttributes, SetupSsrcRtcpFbAndExtmap)
{
    EXPECT_EQ(*parseSetup("actpass"), Setup::ActPass);
    EXPECT_EQ(*parseSetup("Active"), Setup::Active);
    EXPECT_EQ(*parseSetup("holdconn"), Setup::HoldConn);

    auto s = parseSsrc("3970432372 msid:stream track");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->id, 3970432372u);
    EXPECT_EQ(s->attribute, "msid");
    EXPECT_EQ(s->value, "stream track");
    EXPECT_FALSE(parseSsrc("4294967296 cname:x"));

    auto fb = parseRtcpFb("96 nack pli");
    ASSERT_TRUE(fb);
    EXPECT_EQ(fb->payloadType, 96);
    EXPECT_EQ(fb->type, "nack");
    EXPECT_EQ(fb->parameters, "pli");
    auto any = parseRtcpFb("* trr-int 1000");
    ASSERT_TRUE(any);
    EXPECT_FALSE(any->payloadType);
    EXPECT_FALSE(parseRtcpFb("300 nack"));

    auto e = parseExtmap("2/sendonly http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->id, 2);
    EXPECT_EQ(e->direction, Direction::SendOnly);
    EXPECT_EQ(e->uri, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
    EXPECT_FALSE(parseExtmap("0 urn:x"));
    EXPECT_FALSE(parseExtmap("1/sideways urn:x"));
}

TEST(SdpAttributes, RtcpWithAndWithoutAddress)
{
    auto a = parseRtcp("53020");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->port, 53020);
    EXPECT_TRUE(a->address.empty());
    auto b = parseRtcp("53020 IN IP6 2001:db8::11");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->addrType, "IP6");
    EXPECT_EQ(toString(*b), "53020 IN IP6 2001:db8::11");
    EXPECT_FALSE(parseRtcp("53020 IN IP4"));
}

TEST(SdpAttributes, DirectionsMirrorAndIntersect)
{
    EXPECT_EQ(mirror(Direction::SendOnly), Direction::RecvOnly);
    EXPECT_EQ(mirror(Direction::RecvOnly), Direction::SendOnly);
    EXPECT_EQ(mirror(Direction::Inactive), Direction::Inactive);
    EXPECT_EQ(mirror(Direction::SendRecv), Direction::SendRecv);
    EXPECT_EQ(intersect(Direction::SendRecv, Direction::RecvOnly), Direction::RecvOnly);
    EXPECT_EQ(intersect(Direction::SendOnly, Direction::RecvOnly), Direction::Inactive);
}

TEST(SdpAttributes, MediaAccessorsReadTheTypedLists)
{
    auto r = parse("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                   "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"
                   "m=video 4000 RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\n"
                   "a=rtcp-fb:96 ccm fir\r\na=extmap:1 urn:ietf:params:rtp-hdrext:toffset\r\n"
                   "a=ssrc:1 cname:x\r\na=mid:v\r\na=setup:passive\r\na=rtcp-mux\r\n"
                   "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5\r\n");
    ASSERT_TRUE(r) << r.error().message();
    const auto& m = r->media[0];
    EXPECT_EQ(m.rtcpFbs().size(), 2u);
    EXPECT_EQ(m.extmaps().size(), 1u);
    EXPECT_EQ(m.ssrcs().size(), 1u);
    EXPECT_EQ(m.mid(), "v");
    EXPECT_TRUE(m.rtcpMux());
    EXPECT_EQ(m.cryptos().at(0).tag, 7u);
    EXPECT_EQ(r->setupFor(m), Setup::Passive);
    ASSERT_TRUE(r->fingerprintFor(m));
    EXPECT_EQ(r->fingerprintFor(m)->hashFunction, "sha-1");
}
