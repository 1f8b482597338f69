#include "sip/parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace vphone::sip;

namespace {
const char* kInvite = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
                      "Max-Forwards: 70\r\n"
                      "To: Bob <sip:bob@biloxi.example.com>\r\n"
                      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                      "Call-ID: a84b4c76e66710\r\n"
                      "CSeq: 314159 INVITE\r\n"
                      "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
                      "X-Custom:   kept   as written \r\n"
                      "Content-Type: application/sdp\r\n"
                      "Content-Length: 4\r\n"
                      "\r\n"
                      "v=0\n";

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
} // namespace

TEST(MessageParser, ParsesARequestWithItsHeadersInOrder)
{
    auto m = parseMessage(kInvite);
    ASSERT_TRUE(m) << m.error().what;
    EXPECT_TRUE(m->isRequest());
    EXPECT_EQ(m->method(), Method::Invite);
    EXPECT_EQ(m->requestUriText(), "sip:bob@biloxi.example.com");
    EXPECT_EQ(m->version(), "SIP/2.0");
    ASSERT_EQ(m->headers().size(), 10u);
    EXPECT_EQ(m->headers()[0].id, HeaderId::Via);
    EXPECT_EQ(m->headers()[7].id, HeaderId::Other);
    EXPECT_EQ(m->name(m->headers()[7]), "X-Custom");
    EXPECT_EQ(m->value(m->headers()[7]), "kept   as written");
    EXPECT_EQ(m->body(), "v=0\n");
    EXPECT_EQ(m->topVia()->branch(), "z9hG4bKnashds8");
    EXPECT_EQ(m->from()->tag(), "1928301774");
    EXPECT_EQ(m->to()->tag(), "");
    EXPECT_EQ(m->callId(), "a84b4c76e66710");
    EXPECT_EQ(m->cseq()->sequence, 314159u);
    EXPECT_EQ(m->contacts()->contacts.at(0).uri.host, "pc33.atlanta.example.com");
    EXPECT_EQ(m->requestUri()->user, "bob");
}

TEST(MessageParser, ParsesAResponseWithAnEmptyOrUtf8Reason)
{
    auto m = parseMessage("SIP/2.0 100 \r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n");
    ASSERT_TRUE(m) << m.error().what;
    EXPECT_TRUE(m->isResponse());
    EXPECT_EQ(m->status(), 100);
    EXPECT_EQ(m->reason(), "");
    auto u = parseMessage("SIP/2.0 200 = 2**3 * 5**2 \xd0\xbd\xd0\xbe\r\nContent-Length: 0\r\n\r\n");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->reason(), "= 2**3 * 5**2 \xd0\xbd\xd0\xbe");
}

TEST(MessageParser, UnfoldsContinuationLinesIntoTheValue)
{
    auto m = parseMessage("OPTIONS sip:a@b SIP/2.0\r\nSubject: first\r\n  second\r\n\tthird\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m) << m.error().what;
    EXPECT_EQ(m->get(HeaderId::Subject), "first\r\n  second\r\n\tthird");
    EXPECT_NE(m->serialize().find("Subject: first second third\r\n"), std::string::npos);
}

TEST(MessageParser, AnEmptyHeaderValueIsKept)
{
    auto m = parseMessage("OPTIONS sip:a@b SIP/2.0\r\ns :\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m) << m.error().what;
    EXPECT_EQ(m->get(HeaderId::Subject), "");
}

TEST(MessageParser, ReadsSeveralValuesOnOneLineAndOnSeveralLines)
{
    auto m = parseMessage("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b;branch=2\r\nv: "
                          "SIP/2.0/TCP c;branch=3\r\n"
                          "Supported: 100rel, timer\r\nk: replaces\r\nContent-Length: 0\r\n\r\n");
    ASSERT_TRUE(m);
    auto vias = m->vias();
    ASSERT_TRUE(vias);
    ASSERT_EQ(vias->size(), 3u);
    EXPECT_EQ((*vias)[2].host, "c");
    EXPECT_EQ(m->tokens(HeaderId::Supported), (std::vector<std::string_view>{"100rel", "timer", "replaces"}));
}

TEST(MessageParser, DatagramWithoutContentLengthTakesTheRestAsBody)
{
    auto m = parseMessage("MESSAGE sip:a@b SIP/2.0\r\nContent-Type: text/plain\r\n\r\nhello");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->body(), "hello");
}

TEST(MessageParser, IgnoresBytesPastContentLengthInADatagram)
{
    auto m =
        parseMessage("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\n\r\nokINVITE sip:x SIP/2.0\r\n\r\n");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->body(), "ok");
    EXPECT_EQ(m->raw().size(), m->raw().find("ok") + 2);
}

TEST(MessageParser, SkipsCrlfBeforeTheStartLine)
{
    auto m = parseMessage("\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->method(), Method::Options);
}

TEST(MessageParser, AcceptsBareLineFeeds)
{
    auto m = parseMessage("OPTIONS sip:a@b SIP/2.0\nCall-ID: x\nl: 0\n\n");
    ASSERT_TRUE(m) << m.error().what;
    EXPECT_EQ(m->callId(), "x");
}

TEST(MessageParser, RejectsBadFramingWithTheRightStatus)
{
    struct Bad {
        const char* text;
        int status;
        const char* what;
    };
    const Bad cases[] = {
        {"", 400, "empty"},
        {"OPTIONS sip:a@b SIP/2.0", 400, "start line"},
        {"OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n", 400, "not terminated"},
        {"OPTIONS  sip:a@b SIP/2.0\r\n\r\n", 400, "empty Request-URI"},
        {"OPTIONS sip:a@b SIP/2.0 \r\n\r\n", 400, "version"},
        {"OPTIONS sip:a@b HTTP/1.1\r\n\r\n", 400, "version"},
        {"OPT<IONS sip:a@b SIP/2.0\r\n\r\n", 400, "method"},
        {"OPTIONS sip:a@b SIP/2.0\r\nNoColon\r\n\r\n", 400, "':'"},
        {"OPTIONS sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n", 400, "header name"},
        {"OPTIONS sip:a@b SIP/2.0\r\n folded\r\n\r\n", 400, "continuation"},
        {"OPTIONS sip:a@b SIP/2.0\r\nl: 5\r\n\r\nab", 400, "Content-Length larger"},
        {"OPTIONS sip:a@b SIP/2.0\r\nl: -1\r\n\r\n", 400, "negative"},
        {"OPTIONS sip:a@b SIP/2.0\r\nl: 1x\r\n\r\n", 400, "not a number"},
        {"OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nContent-Length: 0\r\n\r\n", 400, "more than once"},
        {"SIP/2.0 4294967301 Huge\r\n\r\n", 400, "three digits"},
        {"SIP/2.0 20 OK\r\n\r\n", 400, "three digits"},
        {"SIP/2.0 099 Low\r\n\r\n", 400, "below 100"},
        // Found by fuzz_message_datagram: a CR that does not end a line.
        {"OPTIONS sip:a@b SIP/2.0\r\nExpires:\r5\r\n\r\n", 400, "bare CR"},
        {"OPTIONS sip:a@b SIP/2.0\r\nSubject: x\r\r\n\r\n", 400, "bare CR"},
        {"SIP/2.0 200 O\rK\r\n\r\n", 400, "bare CR"},
    };
    for (const auto& c : cases) {
        auto m = parseMessage(c.text);
        ASSERT_FALSE(m) << c.text;
        EXPECT_EQ(m.error().status, c.status) << c.text;
        EXPECT_NE(m.error().what.find(c.what), std::string::npos) << c.text << " -> " << m.error().what;
    }
}

TEST(MessageParser, EnforcesSizeHeaderCountAndLineLengthLimits)
{
    Limits small;
    small.maxMessageSize = 64;
    auto big = parseMessage(std::string("OPTIONS sip:a@b SIP/2.0\r\n") + std::string(100, 'x'),
                            Framing::Datagram, small);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().status, 513);

    Limits few;
    few.maxHeaderCount = 3;
    std::string many = "OPTIONS sip:a@b SIP/2.0\r\n";
    for (int i = 0; i < 5; ++i)
        many += "X-H: " + std::to_string(i) + "\r\n";
    many += "\r\n";
    auto m = parseMessage(many, Framing::Datagram, few);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().status, 513);
    EXPECT_NE(m.error().what.find("headers"), std::string::npos);

    Limits shortLines;
    shortLines.maxLineLength = 32;
    auto l = parseMessage("OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(40, 'y') + "\r\n\r\n",
                          Framing::Datagram, shortLines);
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error().status, 513);

    Limits bodyLimit;
    bodyLimit.maxMessageSize = 200;
    auto cl = parseMessage("OPTIONS sip:a@b SIP/2.0\r\nl: 99999\r\n\r\n", Framing::Datagram, bodyLimit);
    ASSERT_FALSE(cl);
    EXPECT_EQ(cl.error().status, 413);
}

TEST(MessageParser, StreamFramingRequiresContentLength)
{
    auto m = parseMessage("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n", Framing::Stream);
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().what.find("Content-Length"), std::string::npos);
}

TEST(MessageParser, ParsesEveryBenchmarkCorpusMessage)
{
    const auto dir = std::filesystem::path(VPHONE_BENCH_CORPUS);
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".sip") continue;
        ++n;
        auto m = parseMessage(readFile(e.path()), Framing::Stream);
        ASSERT_TRUE(m) << e.path() << ": " << m.error().what;
        EXPECT_TRUE(m->topVia()) << e.path();
        EXPECT_TRUE(m->from()) << e.path();
        EXPECT_FALSE(m->from()->tag().empty()) << e.path();
        EXPECT_TRUE(m->to()) << e.path();
        EXPECT_TRUE(m->cseq()) << e.path();
        EXPECT_TRUE(m->contacts()) << e.path();
        EXPECT_FALSE(m->topVia()->branch().empty()) << e.path();
    }
    EXPECT_EQ(n, 10);
}
