// Dialog construction and next-hop routing (RFC 3261 §12.1, §12.2.1.1, §8.1.2).
#include "sip/dialog.h"
#include "sip/parser.h"

#include <gtest/gtest.h>

using namespace vphone::sip;

namespace {

Message parse(std::string text)
{
    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto m = parseMessage(crlf);
    EXPECT_TRUE(m) << (m ? "" : m.error().what);
    return *m;
}

Uri uri(std::string_view text)
{
    return *parseUri(text);
}

} // namespace

TEST(PeerForUri, DefaultsToUdpOn5060AndTlsOn5061ForSips)
{
    EXPECT_EQ(peerForUri(uri("sip:bob@example.test")), (Peer{Transport::Udp, "example.test", 5060}));
    EXPECT_EQ(peerForUri(uri("sips:bob@example.test")), (Peer{Transport::Tls, "example.test", 5061}));
    EXPECT_EQ(peerForUri(uri("sip:bob@[2001:db8::1]:5070;transport=tcp")),
              (Peer{Transport::Tcp, "2001:db8::1", 5070}));
    EXPECT_EQ(peerForUri(uri("tel:+15551234")).transport, Transport::Invalid);
}

TEST(NextHop, GoesToTheTargetWithoutRoutes)
{
    const NextHop hop = nextHop(uri("sip:bob@192.0.2.2:5070"), {}, std::nullopt);
    EXPECT_EQ(hop.requestUri, "sip:bob@192.0.2.2:5070");
    EXPECT_TRUE(hop.routes.empty());
    EXPECT_EQ(hop.peer, (Peer{Transport::Udp, "192.0.2.2", 5070}));
}

TEST(NextHop, SendsToTheOutboundProxyWithALooseRoute)
{
    const NextHop hop = nextHop(uri("sip:bob@example.test"), {}, uri("sip:proxy.example.test"));
    EXPECT_EQ(hop.requestUri, "sip:bob@example.test");
    ASSERT_EQ(hop.routes.size(), 1u);
    EXPECT_EQ(hop.routes[0], "<sip:proxy.example.test;lr>");
    EXPECT_EQ(hop.peer, (Peer{Transport::Udp, "proxy.example.test", 5060}));
}

TEST(NextHop, StrictRouterBecomesTheRequestUri)
{
    std::vector<NameAddr> routes{*parseNameAddr("<sip:strict.example.test>"), *parseNameAddr("<sip:p2;lr>")};
    const NextHop hop = nextHop(uri("sip:bob@192.0.2.2"), routes, std::nullopt);
    EXPECT_EQ(hop.requestUri, "sip:strict.example.test");
    ASSERT_EQ(hop.routes.size(), 2u);
    EXPECT_EQ(hop.routes[1], "<sip:bob@192.0.2.2>");
    EXPECT_EQ(hop.peer.host, "strict.example.test");
}

TEST(DialogAsUac, ReversesRecordRouteAndTakesTheContact)
{
    const Message invite = parse("INVITE sip:bob@example.test SIP/2.0\n"
                                 "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\n"
                                 "From: <sip:alice@example.test>;tag=a1\n"
                                 "To: <sip:bob@example.test>\n"
                                 "Call-ID: c1\n"
                                 "CSeq: 7 INVITE\n"
                                 "Content-Length: 0\n\n");
    const Message ok = parse("SIP/2.0 200 OK\n"
                             "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\n"
                             "Record-Route: <sip:p1;lr>, <sip:p2;lr>\n"
                             "From: <sip:alice@example.test>;tag=a1\n"
                             "To: <sip:bob@example.test>;tag=b1\n"
                             "Call-ID: c1\n"
                             "CSeq: 7 INVITE\n"
                             "Contact: <sip:bob@192.0.2.2:5062>\n"
                             "Content-Length: 0\n\n");
    const auto d = dialogAsUac(invite, ok);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->matches("c1", "a1", "b1"));
    EXPECT_TRUE(d->confirmed);
    EXPECT_EQ(d->localSeq, 7u);
    ASSERT_EQ(d->routeSet.size(), 2u);
    EXPECT_EQ(d->routeSet[0].uri.host, "p2");
    EXPECT_EQ(d->remoteTarget.port, 5062);
    const auto asUas = dialogAsUas(invite, "b9");
    ASSERT_TRUE(asUas);
    EXPECT_TRUE(asUas->matches("c1", "b9", "a1"));
    EXPECT_EQ(asUas->remoteSeq, 7u);
    EXPECT_NE(asUas->localParty.find("tag=b9"), std::string::npos);
}
