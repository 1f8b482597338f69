#include "sip/parser.h"

#include <gtest/gtest.h>

using namespace vphone::sip;

TEST(MessageBuilder, BuildsACanonicalRequestWithComputedContentLength)
{
    auto m = Message::request(Method::Invite, "sip:bob@biloxi.example.com");
    m.addHeader(HeaderId::Via, "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds");
    m.addHeader(HeaderId::MaxForwards, "70");
    m.addHeader(HeaderId::To, "<sip:bob@biloxi.example.com>");
    m.addHeader(HeaderId::From, "<sip:alice@atlanta.example.com>;tag=1928301774");
    m.addHeader(HeaderId::CallId, "a84b4c76e66710@pc33.atlanta.example.com");
    m.addHeader(HeaderId::CSeq, "314159 INVITE");
    m.setBody("v=0\r\n", "application/sdp");
    const std::string text = m.serialize();
    EXPECT_EQ(text, "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
                    "Max-Forwards: 70\r\n"
                    "To: <sip:bob@biloxi.example.com>\r\n"
                    "From: <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
                    "CSeq: 314159 INVITE\r\n"
                    "Content-Type: application/sdp\r\n"
                    "Content-Length: 5\r\n"
                    "\r\n"
                    "v=0\r\n");
    auto back = parseMessage(text, Framing::Stream);
    ASSERT_TRUE(back) << back.error().what;
    EXPECT_EQ(back->serialize(), text);
}

TEST(MessageBuilder, BuildsAResponse)
{
    auto r = Message::response(486, "Busy Here");
    r.addHeader(HeaderId::Via, "SIP/2.0/UDP h;branch=z9hG4bK1");
    r.addHeader("X-Reason", "in a meeting");
    EXPECT_EQ(r.serialize(), "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                             "X-Reason: in a meeting\r\nContent-Length: 0\r\n\r\n");
}

TEST(MessageBuilder, RefusesLineBreaksThatWouldInjectHeaders)
{
    auto m = Message::request(Method::Options, "sip:a@b");
    m.addHeader("Subject", "hi\r\nVia: SIP/2.0/UDP evil");
    m.addHeader("X-Ok", "fine");
    EXPECT_EQ(m.headers().size(), 1u);
    EXPECT_EQ(m.serialize().find("evil"), std::string::npos);
}

TEST(MessageModel, CompactFormsSerialiseAsLongNamesAndUnknownHeadersRoundTrip)
{
    auto m = parseMessage("OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\ni: abc\r\n"
                          "NewFangledHeader:   newfangled value\r\n continued newfangled value\r\n"
                          "UnknownHeaderWithUnusualValue: ;;,,;;,;\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m) << m.error().what;
    const auto out = m->serialize();
    EXPECT_NE(out.find("Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"), std::string::npos);
    EXPECT_NE(out.find("Call-ID: abc\r\n"), std::string::npos);
    EXPECT_NE(out.find("NewFangledHeader: newfangled value continued newfangled value\r\n"),
              std::string::npos);
    EXPECT_NE(out.find("UnknownHeaderWithUnusualValue: ;;,,;;,;\r\n"), std::string::npos);
    EXPECT_NE(out.find("Content-Length: 0\r\n\r\n"), std::string::npos);
    EXPECT_EQ(m->get("newfangledheader"), "newfangled value\r\n continued newfangled value");
}

TEST(MessageModel, EditsKeepCopiesValid)
{
    auto m = parseMessage("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=1\r\nTo: <sip:a@b>\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m);
    Message copy = *m;
    copy.prependHeader(HeaderId::RecordRoute, "<sip:proxy.example.com;lr>");
    copy.setHeader(HeaderId::To, "<sip:a@b>;tag=xyz");
    m = Result<Message>(Message::response(500, "gone")); // the original goes away
    EXPECT_EQ(copy.headers().front().id, HeaderId::RecordRoute);
    EXPECT_EQ(copy.to()->tag(), "xyz");
    EXPECT_EQ(copy.count(HeaderId::To), 1u);
    EXPECT_EQ(copy.removeHeaders(HeaderId::Via), 1u);
    EXPECT_FALSE(copy.topVia());
    EXPECT_EQ(copy.status(), 200);
}

TEST(MessageModel, TypedAccessorsReportMissingHeaders)
{
    auto m = Message::request(Method::Options, "sip:a@b");
    EXPECT_FALSE(m.topVia());
    EXPECT_NE(m.from().error().what.find("From"), std::string::npos);
    EXPECT_FALSE(m.cseq());
    EXPECT_FALSE(m.maxForwards());
    EXPECT_FALSE(m.contentType());
    EXPECT_FALSE(m.expires());
    EXPECT_TRUE(m.contacts()); // no Contact is an empty list
    EXPECT_FALSE(m.callId());
    EXPECT_EQ(m.raw(), "");
}

TEST(MessageModel, ReadsRouteSetsAndContentType)
{
    auto m = parseMessage(
        "SIP/2.0 180 Ringing\r\nRecord-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
        "Record-Route: <sip:p3.example.com;lr>\r\nc: application/sdp\r\nExpires: 60\r\n"
        "Max-Forwards: 10\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m);
    auto rr = m->routes(HeaderId::RecordRoute);
    ASSERT_TRUE(rr);
    ASSERT_EQ(rr->size(), 3u);
    EXPECT_EQ((*rr)[2].uri.host, "p3.example.com");
    EXPECT_TRUE((*rr)[0].uri.hasParam("lr"));
    EXPECT_TRUE(m->contentType()->is("application", "sdp"));
    EXPECT_EQ(*m->expires(), 60u);
    EXPECT_EQ(*m->maxForwards(), 10u);
    EXPECT_EQ(m->contentLengthHeader(), 0u);
}

TEST(MessageModel, HotPathViewsAgreeWithTheOwningParsers)
{
    auto m = parseMessage(
        "INVITE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h:5060;branch=z9hG4bK9, SIP/2.0/UDP g\r\n"
        "From: \"A\" <sip:a@example.com>;tag=ft\r\nTo: sip:b@example.com\r\n"
        "Contact: <sip:a@192.0.2.1:5070;transport=tcp>;expires=60, <sip:x@y>\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->topViaView()->branch, m->topVia()->branch());
    EXPECT_EQ(m->fromView()->tag, m->from()->tag());
    EXPECT_EQ(m->toView()->tag, "");
    auto uri = m->contactUri();
    ASSERT_TRUE(uri) << uri.error().what;
    EXPECT_TRUE(uri->equivalent(m->contacts()->contacts.at(0).uri));
    EXPECT_EQ(uri->port, 5070);
    auto star = parseMessage("REGISTER sip:r SIP/2.0\r\nContact: *\r\nl: 0\r\n\r\n");
    EXPECT_FALSE(star->contactUri());
    EXPECT_FALSE(star->topViaView());
}

TEST(MessageModel, ReadsTheExtensionHeadersTheStackUses)
{
    auto m = parseMessage(
        "NOTIFY sip:a@192.0.2.1 SIP/2.0\r\n"
        "Event: dialog;id=42\r\nu: presence, message-summary\r\n"
        "Subscription-State: terminated;reason=timeout\r\n"
        "r: <sip:carol@example.com?Replaces=abc%40x%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\n"
        "b: \"Bob\" <sip:bob@example.com>\r\n"
        "P-Asserted-Identity: \"Alice\" <sip:alice@example.com>, <tel:+15551234567>\r\n"
        "Reason: SIP ;cause=200 ;text=\"Call completed elsewhere\"\r\n"
        "Min-SE: 90\r\nRSeq: 988789\r\nContent-Disposition: session;handling=required\r\n"
        "Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"abc\", algorithm=MD5, qop=\"auth\"\r\n"
        "Server: vphone/0.1 (Debian; x86_64)\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m) << m.error().what;
    auto ev = parseTokenParams(*m->get(HeaderId::Event), "Event");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->token, "dialog");
    EXPECT_EQ(ev->param("id"), "42");
    EXPECT_EQ(m->tokens(HeaderId::AllowEvents),
              (std::vector<std::string_view>{"presence", "message-summary"}));
    EXPECT_EQ(parseTokenParams(*m->get(HeaderId::SubscriptionState), "Subscription-State")->param("reason"),
              "timeout");
    auto referTo = parseNameAddr(*m->get(HeaderId::ReferTo));
    ASSERT_TRUE(referTo) << referTo.error().what;
    ASSERT_EQ(referTo->uri.headers.size(), 1u);
    auto replaces = parseReplaces(*unescape(*referTo->uri.headers[0].value));
    ASSERT_TRUE(replaces) << replaces.error().what;
    EXPECT_EQ(replaces->callId, "abc@x");
    EXPECT_EQ(replaces->toTag, "1");
    EXPECT_EQ(parseNameAddr(*m->get(HeaderId::ReferredBy))->displayName, "Bob");
    auto pai = m->routes(HeaderId::PAssertedIdentity);
    ASSERT_TRUE(pai) << pai.error().what;
    ASSERT_EQ(pai->size(), 2u);
    EXPECT_EQ((*pai)[1].uri.scheme, UriScheme::Tel);
    auto reason = parseTokenParams(m->values(HeaderId::Reason).at(0), "Reason");
    ASSERT_TRUE(reason);
    EXPECT_EQ(reason->token, "SIP");
    EXPECT_EQ(reason->param("cause"), "200");
    EXPECT_EQ(*parseUint32(*m->get(HeaderId::MinSE), "Min-SE"), 90u);
    EXPECT_EQ(*parseUint32(*m->get(HeaderId::RSeq), "RSeq"), 988789u);
    EXPECT_EQ(
        parseTokenParams(*m->get(HeaderId::ContentDisposition), "Content-Disposition")->param("handling"),
        "required");
    auto auth = parseAuth(*m->get(HeaderId::ProxyAuthenticate), "Proxy-Authenticate");
    ASSERT_TRUE(auth);
    EXPECT_EQ(auth->param("nonce"), "abc");
    EXPECT_EQ(m->get(HeaderId::Server), "vphone/0.1 (Debian; x86_64)");
}

TEST(MessageModel, SerialiseUnfoldsAndIsIdempotent)
{
    auto m =
        parseMessage("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nExpires:\r\n 5\r\n"
                     "Subject: x \r\n\t y \r\nContent-Length: 0\r\n\r\n");
    ASSERT_TRUE(m) << m.error().what;
    const std::string once = m->serialize();
    EXPECT_NE(once.find("Expires: 5\r\n"), std::string::npos) << once;
    EXPECT_NE(once.find("Subject: x y\r\n"), std::string::npos) << once;
    auto again = parseMessage(once);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->serialize(), once);
}
