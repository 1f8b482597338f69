#include "sip/validate.h"

#include <gtest/gtest.h>

using namespace vphone::sip;

namespace {
std::string request(std::string_view method, std::string_view uri, std::string_view extra = "",
                    std::string_view body = "")
{
    std::string m(method);
    std::string s = m + " " + std::string(uri) + " SIP/2.0\r\n" +
                    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1@x\r\n"
                    "CSeq: 1 " +
                    m + "\r\nMax-Forwards: 70\r\n" + std::string(extra) +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
    return s;
}
} // namespace

TEST(RequestValidation, AcceptsAWellFormedInvite)
{
    EXPECT_EQ(
        verdictLine(request("INVITE", "sip:b@example.com", "Content-Type: application/sdp\r\n", "v=0\r\n")),
        "OK INVITE");
}

TEST(RequestValidation, UnknownMethodGets501WithAllow)
{
    auto m = parseMessage(request("FOO", "sip:b@example.com"));
    auto v = validateRequest(*m);
    EXPECT_EQ(v.status, 501);
    ASSERT_EQ(v.extraHeaders.size(), 1u);
    EXPECT_EQ(v.extraHeaders[0].rfind("Allow: INVITE, ACK", 0), 0u);
}

TEST(RequestValidation, MethodTheUaDoesNotAllowGets405)
{
    UaCapabilities caps;
    caps.allowed = {Method::Invite, Method::Ack, Method::Bye, Method::Cancel, Method::Options};
    auto m = parseMessage(request("REGISTER", "sip:example.com"));
    EXPECT_EQ(validateRequest(*m, caps).status, 405);
}

TEST(RequestValidation, UnsupportedRequireGets420ListingTheTags)
{
    auto m = parseMessage(request("INVITE", "sip:b@example.com", "Require: 100rel, foo, bar\r\n"));
    auto v = validateRequest(*m);
    EXPECT_EQ(v.status, 420);
    EXPECT_EQ(v.extraHeaders.at(0), "Unsupported: foo, bar");
    auto ack = parseMessage(request("ACK", "sip:b@example.com", "Require: foo\r\n"));
    EXPECT_EQ(validateRequest(*ack).action, Verdict::Action::Accept);
}

TEST(RequestValidation, UriSchemesOtherThanSipSipsTelGet416)
{
    EXPECT_EQ(verdictLine(request("OPTIONS", "http://example.com/")).substr(0, 10), "REJECT 416");
    EXPECT_EQ(verdictLine(request("OPTIONS", "tel:+15551234567")), "OK OPTIONS");
    EXPECT_EQ(verdictLine(request("OPTIONS", "sips:b@example.com")), "OK OPTIONS");
}

TEST(RequestValidation, BadRequestsGet400NamingTheHeader)
{
    const std::pair<std::string, std::string> cases[] = {
        {request("OPTIONS", "sip:b@example.com", "Max-Forwards: 999\r\n"), "Max-Forwards"},
        {request("OPTIONS", "sip:b@example.com", "Expires: abc\r\n"), "Expires"},
        {request("OPTIONS", "sip:b@example.com", "Contact: <sip:x@y\r\n"), "Contact"},
        {request("OPTIONS", "sip:b@example.com", "Route: garbage<\r\n"), "Route"},
        {request("OPTIONS", "sip:b@example.com", "Content-Type: nonsense\r\n"), "Content-Type"},
        {request("OPTIONS", "sip:b@example.com", "Call-ID: second\r\n"), "Call-ID"},
        {request("OPTIONS", "sip:b@example.com", "", "body"), "Content-Type missing"},
        {request("OPTIONS", "sip:b@example.com?Route=x"), "Request-URI"},
        {request("OPTIONS", "sip:b@exa mple.com"), "version"},
    };
    for (const auto& [text, header] : cases) {
        const auto line = verdictLine(text);
        EXPECT_EQ(line.substr(0, 10), "REJECT 400") << header << ": " << line;
        EXPECT_NE(line.find(header), std::string::npos) << line;
    }
}

TEST(RequestValidation, MissingMandatoryHeaderIsNamed)
{
    std::string text = request("OPTIONS", "sip:b@example.com");
    text.erase(text.find("Call-ID"), text.find("CSeq") - text.find("Call-ID"));
    EXPECT_EQ(verdictLine(text), "REJECT 400 Bad Request (Call-ID header missing)");
}

TEST(RequestValidation, BodyTypesAndEncodingsTheUaCannotReadGet415)
{
    auto v = validateRequest(
        *parseMessage(request("MESSAGE", "sip:b@example.com", "Content-Type: image/gif\r\n", "GIF89a")));
    EXPECT_EQ(v.status, 415);
    EXPECT_EQ(v.extraHeaders.at(0).rfind("Accept: application/sdp", 0), 0u);
    auto e = validateRequest(*parseMessage(request(
        "MESSAGE", "sip:b@example.com", "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n", "x")));
    EXPECT_EQ(e.status, 415);
    EXPECT_EQ(e.extraHeaders.at(0), "Accept-Encoding: identity");
}

TEST(RequestValidation, InviteThatAcceptsNoSdpGets406)
{
    auto v = validateRequest(*parseMessage(request("INVITE", "sip:b@example.com", "Accept: text/plain\r\n")));
    EXPECT_EQ(v.status, 406);
    EXPECT_EQ(verdictLine(request("INVITE", "sip:b@example.com", "Accept: application/*\r\n")), "OK INVITE");
}

TEST(RequestValidation, WrongVersionGets505)
{
    std::string text = request("OPTIONS", "sip:b@example.com");
    text.replace(text.find("SIP/2.0\r\n"), 7, "SIP/3.0");
    EXPECT_EQ(verdictLine(text), "REJECT 505 Version Not Supported");
}

TEST(ResponseValidation, DropsResponsesAUaMustNotAct)
{
    const std::string base =
        "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n"
        "Call-ID: x\r\nCSeq: 1 INVITE\r\n";
    EXPECT_EQ(verdictLine("SIP/2.0 200 OK\r\n" + base + "l: 0\r\n\r\n"), "OK 200");
    EXPECT_EQ(
        verdictLine("SIP/2.0 200 OK\r\n" + base + "Via: SIP/2.0/UDP other;branch=z9hG4bK2\r\nl: 0\r\n\r\n"),
        "DROP");
    EXPECT_EQ(verdictLine("SIP/2.0 700 Odd\r\n" + base + "l: 0\r\n\r\n"), "DROP");
    EXPECT_EQ(verdictLine("SIP/2.0 503 Busy\r\n" + base + "Retry-After: 99999999999\r\nl: 0\r\n\r\n"),
              "DROP");
    EXPECT_EQ(verdictLine("SIP/2.0 200 OK\r\n" + base + "Warning: 1812 x \"y\"\r\nl: 0\r\n\r\n"), "DROP");
    EXPECT_EQ(verdictLine("SIP/2.0 200 OK\r\nl: 0\r\n\r\n"), "DROP");
    std::string why;
    EXPECT_EQ(verdictLine("SIP/2.0 2000 OK\r\n\r\n", Framing::Datagram, {}, &why), "DROP");
    EXPECT_NE(why.find("three digits"), std::string::npos);
}

TEST(Verdicts, StreamFramingNeedsContentLength)
{
    std::string text = request("OPTIONS", "sip:b@example.com");
    EXPECT_EQ(verdictLine(text, Framing::Stream), "OK OPTIONS");
    text.erase(text.find("Content-Length"));
    text += "\r\n";
    EXPECT_EQ(verdictLine(text, Framing::Stream).substr(0, 10), "REJECT 400");
}

TEST(Verdicts, ReasonPhrasesAreTheStandardOnes)
{
    EXPECT_EQ(reasonPhrase(416), "Unsupported URI Scheme");
    EXPECT_EQ(reasonPhrase(513), "Message Too Large");
    EXPECT_EQ(reasonPhrase(499), "Client Error");
}
