// SDP parsing (RFC 8866): the model, leniency where phones are sloppy, strict errors that name
// the line and the field, and the bounds against hostile input.
#include "sdp/session_description.h"

#include <gtest/gtest.h>

#include <string>

using namespace vphone::sdp;

namespace {

const char* kBasic = "v=0\r\n"
                     "o=alice 2890844526 2890844527 IN IP4 192.0.2.10\r\n"
                     "s=-\r\n"
                     "c=IN IP4 192.0.2.10\r\n"
                     "t=0 0\r\n"
                     "a=sendonly\r\n"
                     "m=audio 49170 RTP/AVP 0 96 101\r\n"
                     "b=AS:64\r\n"
                     "a=rtpmap:96 opus/48000/2\r\n"
                     "a=fmtp:96 useinbandfec=1; minptime=10\r\n"
                     "a=rtpmap:101 telephone-event/8000\r\n"
                     "a=fmtp:101 0-16\r\n"
                     "a=ptime:20\r\n"
                     "a=maxptime:40\r\n"
                     "a=rtcp:49200 IN IP4 192.0.2.11\r\n"
                     "a=x-unknown:keep me\r\n"
                     "m=video 0 RTP/AVP 31\r\n";

std::string errorOf(const std::string& text, const Limits& limits = {})
{
    auto r = parse(text, limits);
    if (r) return "parsed";
    return r.error().message();
}

std::string withBody(const std::string& mediaPart)
{
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + mediaPart;
}

} // namespace

TEST(SdpParse, ReadsTheSessionAndMediaSections)
{
    auto r = parse(kBasic);
    ASSERT_TRUE(r) << r.error().message();
    const auto& sdp = *r;
    EXPECT_EQ(sdp.origin.username, "alice");
    EXPECT_EQ(sdp.origin.sessionId, "2890844526");
    EXPECT_EQ(sdp.origin.sessionVersion, 2890844527u);
    EXPECT_EQ(sdp.origin.address, "192.0.2.10");
    ASSERT_TRUE(sdp.connection);
    EXPECT_EQ(sdp.connection->address, "192.0.2.10");
    ASSERT_EQ(sdp.media.size(), 2u);
    const auto& audio = sdp.media[0];
    EXPECT_EQ(audio.media, "audio");
    EXPECT_EQ(audio.port, 49170);
    EXPECT_EQ(audio.proto, "RTP/AVP");
    EXPECT_EQ(audio.payloadTypes(), (std::vector<int>{0, 96, 101}));
    EXPECT_EQ(audio.bandwidth("AS"), 64u);
    auto opus = audio.rtpmap(96);
    ASSERT_TRUE(opus);
    EXPECT_EQ(opus->encoding, "opus");
    EXPECT_EQ(opus->clockRate, 48000u);
    EXPECT_EQ(opus->channels, 2u);
    EXPECT_FALSE(audio.rtpmap(0)); // static, no rtpmap line
    auto fmtp = audio.fmtp(96);
    ASSERT_TRUE(fmtp);
    EXPECT_EQ(fmtp->parameter("minptime"), "10");
    EXPECT_EQ(fmtp->parameter("USEINBANDFEC"), "1");
    EXPECT_EQ(audio.fmtp(101)->parameters, "0-16");
    EXPECT_EQ(audio.ptime(), std::chrono::milliseconds(20));
    EXPECT_EQ(audio.maxptime(), std::chrono::milliseconds(40));
    auto rtcp = audio.rtcp();
    ASSERT_TRUE(rtcp);
    EXPECT_EQ(rtcp->port, 49200);
    EXPECT_EQ(rtcp->address, "192.0.2.11");
    ASSERT_TRUE(audio.find("x-unknown"));
    EXPECT_EQ(audio.find("x-unknown")->value, "keep me");
    // Session-level direction is the default for media without their own (RFC 3264 §5.1).
    EXPECT_EQ(sdp.directionFor(audio), Direction::SendOnly);
    EXPECT_EQ(sdp.media[1].port, 0);
    EXPECT_EQ(sdp.connectionFor(sdp.media[1])->address, "192.0.2.10");
}

TEST(SdpParse, AcceptsLfLineEndsTrailingBlanksAndEmptyLines)
{
    std::string text = "v=0\no=- 1 1 IN IP4 127.0.0.1  \n\ns=\nc=IN IP4 127.0.0.1\t\nt=0 0\n"
                       "m=audio 4000 RTP/AVP 0\na=sendrecv \n\n";
    auto r = parse(text);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->sessionName, "");
    EXPECT_EQ(r->media[0].attributes.size(), 1u);
    EXPECT_EQ(r->media[0].direction(), Direction::SendRecv);
}

TEST(SdpParse, ReadsIpv6Connections)
{
    auto r = parse("v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
                   "c=IN IP6 2001:db8::1\r\nm=video 4002 RTP/AVP 96\r\nc=IN IP6 ::ffff:192.0.2.1\r\n"
                   "a=rtpmap:96 VP8/90000\r\n");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->media[0].connections[0].addrType, "IP6");
    EXPECT_EQ(r->media[0].connections[0].address, "2001:db8::1");
    EXPECT_EQ(r->media[1].connections[0].address, "::ffff:192.0.2.1");
}

TEST(SdpParse, ErrorsNameTheLineAndTheField)
{
    EXPECT_EQ(errorOf(withBody("m=audio abc RTP/AVP 0\r\n")), "line 6: m=: port 'abc' is not a number");
    EXPECT_EQ(errorOf(withBody("m=audio 70000 RTP/AVP 0\r\n")), "line 6: m=: port 70000 is out of range");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0 200\r\n")),
              "line 6: m=: format '200' is not an RTP payload type (0-127)");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP\r\n")),
              "line 6: m=: expected '<media> <port> <proto> <format>...'");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 opus/x\r\n")),
              "line 7: a=rtpmap: clock rate 'x' is not a number");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\na=ptime:fast\r\n")),
              "line 7: a=ptime: ptime 'fast' is not a number of milliseconds");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\na=setup:sometimes\r\n")),
              "line 7: a=setup: 'sometimes' is not active, passive, actpass or holdconn");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\na=rtcp:99999\r\n")),
              "line 7: a=rtcp: port '99999' is not a number from 0 to 65535");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\na=sendrecv:yes\r\n")),
              "line 7: a=sendrecv: takes no value");
    EXPECT_EQ(errorOf("v=1\r\n"), "line 1: v=: version '1' is not 0");
    EXPECT_EQ(errorOf("o=- 1 1 IN IP4 1.2.3.4\r\n"),
              "line 1: the first line must be v=0, got 'o=- 1 1 IN IP4 1.2.3.4'");
    EXPECT_EQ(errorOf("v=0\r\no=- x 1 IN IP4 1.2.3.4\r\n"), "line 2: o=: sess-id 'x' is not a number");
    EXPECT_EQ(errorOf("v=0\r\no=- 1 1 IN IP4\r\n"), "line 2: o=: expected 6 fields, got 5");
    EXPECT_EQ(errorOf("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 300.1.1.1\r\n"),
              "line 4: c=: '300.1.1.1' is not an IPv4 address or host name");
    EXPECT_EQ(errorOf("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP6 2001:db8:::1\r\n"),
              "line 4: c=: '2001:db8:::1' is not an IPv6 address or host name");
    EXPECT_EQ(errorOf(withBody("x=what\r\n")), "line 6: unknown line type 'x='");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\nt=0 0\r\n")),
              "line 7: t= is not allowed in a media section");
    EXPECT_EQ(errorOf(withBody("s=again\r\n")), "line 6: duplicate s= line");
    EXPECT_EQ(errorOf(withBody("junk\r\n")), "line 6: expected '<type>=<value>', got 'junk'");
    EXPECT_EQ(errorOf(withBody("b=AS:lots\r\n")), "line 6: b=: bandwidth 'lots' is not a number");
    EXPECT_EQ(errorOf("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n"), "missing t= line");
    EXPECT_EQ(errorOf(""), "empty SDP: no v= line");
    EXPECT_EQ(errorOf(withBody("a=bad name\r\n")), "line 6: a=: attribute name 'bad name' is not a token");
    EXPECT_EQ(errorOf(withBody("a=ok\x01\r\n")), "line 6: control character in the line");
}

TEST(SdpParse, RequiresAConnectionForEveryActiveStream)
{
    const std::string noSessionC = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    EXPECT_EQ(errorOf(noSessionC + "m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"),
              "line 5: m=: no c= line in this media section or at session level");
    // A disabled stream needs none.
    EXPECT_EQ(errorOf(noSessionC + "m=audio 0 RTP/AVP 0\r\n"), "parsed");
}

TEST(SdpParse, AcceptsUnknownTransportsAndKeepsTheirFormats)
{
    auto r = parse(withBody("m=application 5000 TCP/MSRP *\r\na=accept-types:text/plain\r\n"
                            "m=image 6000 udptl t38\r\n"));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->media[0].proto, "TCP/MSRP");
    EXPECT_EQ(r->media[0].formats, (std::vector<std::string>{"*"}));
    EXPECT_FALSE(r->media[0].isRtp());
    EXPECT_EQ(r->media[1].formats, (std::vector<std::string>{"t38"}));
}

TEST(SdpParse, RefusesAThousandMediaSections)
{
    std::string text = withBody("");
    for (int i = 0; i < 1000; ++i)
        text += "m=audio " + std::to_string(4000 + 2 * i) + " RTP/AVP 0\r\n";
    EXPECT_EQ(errorOf(text), "line 38: more than 32 media sections");
}

TEST(SdpParse, RefusesAHugeFmtpLineAndAHugeBody)
{
    const std::string huge = withBody("m=video 4000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 " +
                                      std::string(10000, 'x') + "\r\n");
    EXPECT_EQ(errorOf(huge), "line 8: a=: line is 10010 bytes, more than the limit of 4096");
    std::string big = withBody("");
    while (big.size() <= 70000)
        big += "a=x-filler:0123456789012345678901234567890123456789\r\n";
    EXPECT_EQ(errorOf(big).rfind("SDP is ", 0), 0u);
}

TEST(SdpParse, RefusesTooManyAttributesAndFormats)
{
    std::string text = withBody("m=audio 4000 RTP/AVP 0\r\n");
    for (int i = 0; i < 600; ++i)
        text += "a=x:" + std::to_string(i) + "\r\n";
    EXPECT_EQ(errorOf(text), "line 519: more than 512 a= lines");
    std::string formats;
    for (int i = 0; i < 128; ++i)
        formats += " " + std::to_string(i);
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP" + formats + " 0\r\n")),
              "line 6: m=: 129 formats, more than the limit of 128");
    Limits small;
    small.maxMediaSections = 1;
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 31\r\n"), small),
              "line 7: more than 1 media sections");
}

TEST(SdpParse, SerialisesInRfcOrderWithCrlf)
{
    auto r = parse(kBasic);
    ASSERT_TRUE(r);
    EXPECT_EQ(serialize(*r), kBasic);
    auto again = parse(serialize(*r));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *r);
}

TEST(SdpParse, AcceptsHostNamesInConnections)
{
    auto r = parse(withBody("m=audio 4000 RTP/AVP 0\r\nc=IN IP4 media1.example.com\r\n"));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->media[0].connections[0].address, "media1.example.com");
    EXPECT_EQ(errorOf(withBody("m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0\r\n")),
              "line 7: c=: '10.0.0' is not an IPv4 address or host name");
}

TEST(SdpParse, ValidatesIpAddresses)
{
    EXPECT_TRUE(isIpv4Address("192.0.2.1"));
    EXPECT_FALSE(isIpv4Address("192.0.2"));
    EXPECT_FALSE(isIpv4Address("192.0.2.01"));
    EXPECT_FALSE(isIpv4Address("1.2.3.4.5"));
    EXPECT_TRUE(isIpv6Address("::"));
    EXPECT_TRUE(isIpv6Address("::1"));
    EXPECT_TRUE(isIpv6Address("2001:db8::"));
    EXPECT_TRUE(isIpv6Address("2001:db8:0:0:0:0:0:1"));
    EXPECT_TRUE(isIpv6Address("::ffff:192.0.2.1"));
    EXPECT_FALSE(isIpv6Address("2001:db8::1::2"));
    EXPECT_FALSE(isIpv6Address("2001:db8:0:0:0:0:0:1:2"));
    EXPECT_FALSE(isIpv6Address(":1"));
    EXPECT_FALSE(isIpv6Address("1:"));
    EXPECT_FALSE(isIpv6Address("12345::"));
}
