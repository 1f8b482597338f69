// SDP multicast connection addresses (RFC 8866 §5.7): "c=IN IP4 239.x.y.z/TTL" parsed, emitted
// again as written, its TTL read; an IPv4 group without a TTL or with a TTL over 255 refused
// with an error that says so; an answer naming a group gives the negotiated stream its TTL.
#include "sdp/session_description.h"
#include "sdp_test_helpers.h"

#include <gtest/gtest.h>

#include <string>

using namespace vphone::sdp;

namespace {

std::string page(const std::string& connection, const std::string& direction = "a=recvonly\r\n")
{
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Paging\r\nc=" + connection +
           "\r\nt=0 0\r\nm=audio 13840 RTP/AVP 0\r\n" + direction;
}

std::string errorOf(const std::string& text)
{
    auto r = parse(text);
    return r ? "parsed" : r.error().message();
}

} // namespace

TEST(SdpMulticast, ParsesGroupWithTtlAndEmitsItAgain)
{
    auto r = parse(page("IN IP4 239.255.1.2/127"));
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_TRUE(r->connection);
    EXPECT_EQ(r->connection->address, "239.255.1.2");
    EXPECT_EQ(r->connection->multicastSuffix, "/127");
    EXPECT_EQ(multicastTtl(*r->connection), 127u);
    const auto text = serialize(*r);
    EXPECT_NE(text.find("c=IN IP4 239.255.1.2/127\r\n"), std::string::npos) << text;
    EXPECT_EQ(parse(text).value(), *r);
}

TEST(SdpMulticast, TtlBoundsAndNumberOfAddresses)
{
    auto zero = parse(page("IN IP4 224.2.1.1/0"));
    ASSERT_TRUE(zero) << zero.error().message();
    EXPECT_EQ(multicastTtl(*zero->connection), 0u);
    auto max = parse(page("IN IP4 239.0.0.1/255/3"));
    ASSERT_TRUE(max) << max.error().message();
    EXPECT_EQ(multicastTtl(*max->connection), 255u);
    EXPECT_EQ(max->connection->multicastSuffix, "/255/3");
    EXPECT_NE(serialize(*max).find("c=IN IP4 239.0.0.1/255/3\r\n"), std::string::npos);
}

TEST(SdpMulticast, GroupWithoutTtlIsRefused)
{
    const auto e = errorOf(page("IN IP4 239.255.1.2"));
    EXPECT_NE(e.find("needs a TTL"), std::string::npos) << e;
    EXPECT_NE(e.find("239.255.1.2"), std::string::npos) << e;
    // In a media section too.
    const auto m = errorOf("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 13840 RTP/AVP 0\r\n"
                           "c=IN IP4 224.0.1.9\r\n");
    EXPECT_NE(m.find("needs a TTL"), std::string::npos) << m;
}

TEST(SdpMulticast, TtlOver255IsRefused)
{
    const auto e = errorOf(page("IN IP4 239.255.1.2/256"));
    EXPECT_NE(e.find("over 255"), std::string::npos) << e;
    EXPECT_NE(errorOf(page("IN IP4 239.255.1.2/x")), "parsed");
    EXPECT_NE(errorOf(page("IN IP4 239.255.1.2/")), "parsed");
}

TEST(SdpMulticast, UnicastAndIpv6HaveNoTtl)
{
    auto u = parse(page("IN IP4 127.0.0.1"));
    ASSERT_TRUE(u);
    EXPECT_FALSE(multicastTtl(*u->connection));
    auto v6 = parse(page("IN IP6 ff15::101"));
    ASSERT_TRUE(v6) << v6.error().message();
    EXPECT_FALSE(multicastTtl(*v6->connection));
    EXPECT_TRUE(isIpv4Multicast("224.0.0.1"));
    EXPECT_TRUE(isIpv4Multicast("239.255.255.255"));
    EXPECT_FALSE(isIpv4Multicast("223.255.255.255"));
    EXPECT_FALSE(isIpv4Multicast("240.0.0.1"));
    EXPECT_FALSE(isIpv4Multicast("239.1.1"));
}

TEST(SdpMulticast, AnswerNamingAGroupGivesTheStreamItsTtl)
{
    OfferAnswerSession a("1");
    auto offer = a.createOffer(test::phone("127.0.0.1", {test::audio(13850, {test::pcmu()})}));
    ASSERT_TRUE(offer) << offer.error().message();
    auto answer = parse("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 239.255.7.7/4\r\nt=0 0\r\n"
                        "m=audio 13842 RTP/AVP 0\r\na=sendonly\r\n");
    ASSERT_TRUE(answer) << answer.error().message();
    auto n = a.receiveAnswer(*answer);
    ASSERT_TRUE(n) << n.error().message();
    const auto* s = n->find("audio");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->remoteAddress, "239.255.7.7");
    EXPECT_EQ(s->remotePort, 13842);
    EXPECT_EQ(s->multicastTtl, 4u);
    EXPECT_EQ(s->direction, Direction::RecvOnly);

    OfferAnswerSession b("2");
    auto o2 = b.createOffer(test::phone("127.0.0.1", {test::audio(13852, {test::pcmu()})}));
    ASSERT_TRUE(o2);
    auto unicast =
        b.receiveAnswer(parse("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                              "m=audio 13854 RTP/AVP 0\r\n")
                            .value());
    ASSERT_TRUE(unicast);
    EXPECT_FALSE(unicast->find("audio")->multicastTtl);
}

TEST(SdpMulticast, MulticastOfferIsAnsweredWithTheGroup)
{
    // RFC 3264 §6.2: the answer names the offer's group, TTL and port; a sendonly page is received.
    OfferAnswerSession b("3");
    auto offer = parse("v=0\r\no=pager 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 239.255.9.9/2\r\nt=0 0\r\n"
                       "m=audio 13846 RTP/AVP 0\r\na=sendonly\r\n");
    ASSERT_TRUE(offer) << offer.error().message();
    auto local = test::phone("127.0.0.1", {test::audio(13856, {test::pcmu()})});
    local.streams[0].rtcpPort = 13857;
    auto answer = b.receiveOffer(*offer, local);
    ASSERT_TRUE(answer) << answer.error().message();
    const auto text = serialize(answer->sdp);
    EXPECT_NE(text.find("m=audio 13846 RTP/AVP 0\r\nc=IN IP4 239.255.9.9/2\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("a=recvonly"), std::string::npos) << text;
    EXPECT_EQ(text.find("a=rtcp:"), std::string::npos) << text;
    const auto* s = answer->negotiated.find("audio");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->multicastTtl, 2u);
    EXPECT_EQ(s->remoteAddress, "239.255.9.9");
    EXPECT_EQ(s->direction, Direction::RecvOnly);
    // The answer parses again (the group keeps its TTL on the way).
    auto again = parse(text);
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_EQ(multicastTtl(*again->connectionFor(again->media[0])), 2u);
}
