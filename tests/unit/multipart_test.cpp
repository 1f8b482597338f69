// multipart/* bodies (RFC 2046 §5.1): splitting, serialising and their round trip.
#include "sip/multipart.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#ifndef VPHONE_TEST_DATA
#define VPHONE_TEST_DATA "tests/data"
#endif

using namespace std::string_literals;
using namespace std::string_view_literals;
using vphone::sip::BodyPart;
using vphone::sip::parseMultipart;
using vphone::sip::serializeMultipart;

namespace {

bool samePart(const BodyPart& a, const BodyPart& b)
{
    return a.headers == b.headers && a.body == b.body;
}

bool sameParts(const std::vector<BodyPart>& a, const std::vector<BodyPart>& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!samePart(a[i], b[i])) return false;
    }
    return true;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The body of a message file: everything after the first empty line.
std::string bodyOf(const std::string& message)
{
    const auto end = message.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : message.substr(end + 4);
}

} // namespace

TEST(Multipart, SplitsTwoPartsWithHeadersAndContent)
{
    const auto body = "--xyz\r\n"
                      "Content-Type: text/plain\r\n"
                      "\r\n"
                      "Hello\r\n"
                      "--xyz\r\n"
                      "Content-Type: application/sdp\r\n"
                      "Content-ID: <sdp@example.test>\r\n"
                      "\r\n"
                      "v=0\r\n"
                      "\r\n" // the last CRLF belongs to the delimiter, not the content
                      "--xyz--\r\n"sv;
    const auto parts = parseMultipart(body, "xyz");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].header("content-type"), "text/plain");
    EXPECT_EQ((*parts)[0].body, "Hello");
    EXPECT_EQ((*parts)[1].header("Content-Type"), "application/sdp");
    EXPECT_EQ((*parts)[1].header("CONTENT-ID"), "<sdp@example.test>");
    EXPECT_EQ((*parts)[1].body, "v=0\r\n");
    EXPECT_EQ((*parts)[1].header("Content-Disposition"), "");
}

TEST(Multipart, ParsesTheBinaryPartOfTortureMessageMpart01)
{
    // RFC 4475 §3.1.1.11: multipart/mixed;boundary=7a9cbec02ceef655, second part binary DER with
    // NUL bytes and bare CR and LF.
    const std::string body = bodyOf(readFile(VPHONE_TEST_DATA "/torture/mpart01.sip"));
    ASSERT_EQ(body.size(), 553u);
    const auto parts = parseMultipart(body, "7a9cbec02ceef655");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].header("Content-Type"), "text/plain");
    EXPECT_EQ((*parts)[0].header("Content-Transfer-Encoding"), "binary");
    EXPECT_EQ((*parts)[0].body, "Hello");
    EXPECT_EQ((*parts)[1].header("Content-Type"), "application/octet-stream");
    const std::string& der = (*parts)[1].body;
    ASSERT_EQ(der.size(), 342u); // DER SEQUENCE 30 82 01 52: 4 + 0x152 bytes
    EXPECT_EQ(der.substr(0, 4), "\x30\x82\x01\x52"s);
    EXPECT_NE(der.find('\0'), std::string::npos);
    EXPECT_EQ(der.back(), '\x05');
}

TEST(Multipart, RoundTripsTortureMessageMpart01)
{
    const std::string body = bodyOf(readFile(VPHONE_TEST_DATA "/torture/mpart01.sip"));
    const auto parts = parseMultipart(body, "7a9cbec02ceef655");
    ASSERT_TRUE(parts.ok());
    const std::string text = serializeMultipart(*parts, "7a9cbec02ceef655");
    EXPECT_EQ(text, body); // already canonical
    const auto again = parseMultipart(text, "7a9cbec02ceef655");
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(sameParts(*parts, *again));
}

TEST(Multipart, IgnoresPreambleAndEpilogue)
{
    const auto body = "This is the preamble.  It is to be ignored.\r\n"
                      "--b\r\n"
                      "\r\n"
                      "one\r\n"
                      "--b--\r\n"
                      "This is the epilogue.  It is also to be ignored.\r\n"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_TRUE((*parts)[0].headers.empty());
    EXPECT_EQ((*parts)[0].body, "one");
}

TEST(Multipart, AcceptsTransportPaddingAfterABoundary)
{
    const auto body = "--b \t \r\n\r\none\r\n--b\t\r\n\r\ntwo\r\n--b-- \r\n"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].body, "one");
    EXPECT_EQ((*parts)[1].body, "two");
}

TEST(Multipart, TreatsAPartWithoutHeadersAsStartingWithAnEmptyLine)
{
    // RFC 2046 §5.1.1: no header fields means the part begins with CRLF, and the content is
    // then plain text that must not be read as headers.
    const auto parts = parseMultipart("--b\r\n\r\nName: not a header\r\n--b--"sv, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_TRUE((*parts)[0].headers.empty());
    EXPECT_EQ((*parts)[0].body, "Name: not a header");
}

TEST(Multipart, AcceptsAnEmptyBodyPartAndAHeadersOnlyPart)
{
    const auto parts = parseMultipart("--b\r\n\r\n--b\r\nContent-Type: text/plain\r\n--b--"sv, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_TRUE((*parts)[0].headers.empty());
    EXPECT_EQ((*parts)[0].body, "");
    EXPECT_EQ((*parts)[1].header("Content-Type"), "text/plain");
    EXPECT_EQ((*parts)[1].body, "");
}

TEST(Multipart, UnfoldsFoldedPartHeaders)
{
    const auto body = "--b\r\n"
                      "Content-Type: multipart/related;\r\n"
                      "\ttype=\"application/rlmi+xml\";\r\n"
                      "  boundary=inner  \r\n"
                      "Content-ID :<x>\r\n"
                      "\r\n"
                      "data\r\n"
                      "--b--\r\n"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    ASSERT_EQ((*parts)[0].headers.size(), 2u);
    EXPECT_EQ((*parts)[0].headers[0].first, "Content-Type");
    EXPECT_EQ((*parts)[0].headers[0].second,
              "multipart/related;\ttype=\"application/rlmi+xml\";  boundary=inner");
    EXPECT_EQ((*parts)[0].headers[1].first, "Content-ID");
    EXPECT_EQ((*parts)[0].headers[1].second, "<x>");
}

TEST(Multipart, KeepsContentByteForByteIncludingNulAndBareLineEnds)
{
    const std::string content = "a\0b\rc\nd\r\n\r\ne\r"s;
    const std::string body = "--b\r\n\r\n" + content + "\r\n--b--\r\n";
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].body, content);
}

TEST(Multipart, DoesNotTakeABoundaryPrefixedLineForADelimiter)
{
    // "--bx" and "--b x" are not "--b" followed by padding and CRLF: they are content.
    const auto body = "--b\r\n\r\nline\r\n--bx\r\n--b x\r\n--b--"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].body, "line\r\n--bx\r\n--b x");
}

TEST(Multipart, RequiresTheDelimiterToStartALine)
{
    const auto body = "--b\r\n\r\nabc--b\r\nstill content\r\n--b--"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].body, "abc--b\r\nstill content");
}

TEST(Multipart, AcceptsAQuotedBoundaryParameter)
{
    const auto parts = parseMultipart("--a b:c\r\n\r\nx\r\n--a b:c--"sv, "\"a b:c\"");
    ASSERT_TRUE(parts.ok()) << parts.error().what;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].body, "x");
}

TEST(Multipart, RejectsAMissingCloseDelimiter)
{
    const auto body = "--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.error().status, 400);
    EXPECT_EQ(parts.error().offset, body.size());
    EXPECT_EQ(parts.error().what, "multipart: missing close delimiter");
}

TEST(Multipart, RejectsAClosingDelimiterNotAtTheStartOfALine)
{
    const auto parts = parseMultipart("--b\r\n\r\none--b--"sv, "b");
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.error().what, "multipart: missing close delimiter");
}

TEST(Multipart, RejectsABodyWithoutTheBoundary)
{
    const auto parts = parseMultipart("just some text\r\n"sv, "b");
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.error().status, 400);
}

TEST(Multipart, RejectsACloseDelimiterWithNoBodyPart)
{
    const auto parts = parseMultipart("--b--\r\n"sv, "b");
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.error().what, "multipart: no body part");
}

TEST(Multipart, RejectsAPartHeaderWithoutAColon)
{
    const auto body = "preamble\r\n--b\r\nContent-Type: text/plain\r\nHello\r\n--b--"sv;
    const auto parts = parseMultipart(body, "b");
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.error().what, "multipart: malformed part header");
    EXPECT_EQ(parts.error().offset, body.find("Hello"));
}

TEST(Multipart, RejectsInvalidBoundaries)
{
    const auto body = "--b\r\n\r\nx\r\n--b--"sv;
    EXPECT_FALSE(parseMultipart(body, "").ok());
    EXPECT_FALSE(parseMultipart(body, std::string(71, 'b')).ok());
    EXPECT_FALSE(parseMultipart(body, "b ").ok());  // may not end in a space
    EXPECT_FALSE(parseMultipart(body, "b;c").ok()); // ';' is not a bchar
    EXPECT_FALSE(parseMultipart(body, "b\r\nc").ok());
    EXPECT_EQ(parseMultipart(body, "\"\"").error().what, "multipart: invalid boundary");
    const std::string longest(70, 'z');
    EXPECT_TRUE(parseMultipart("--" + longest + "\r\n\r\nx\r\n--" + longest + "--", longest).ok());
    EXPECT_TRUE(parseMultipart("--'()+_,-./:=? 9\r\n\r\nx\r\n--'()+_,-./:=? 9--"sv, "'()+_,-./:=? 9").ok());
}

TEST(Multipart, SerializesWithCrlfLineEnds)
{
    std::vector<BodyPart> parts(2);
    parts[0].headers = {{"Content-Type", "text/plain"}};
    parts[0].body = "hi";
    parts[1].body = "raw";
    EXPECT_EQ(serializeMultipart(parts, "sep"), "--sep\r\n"
                                                "Content-Type: text/plain\r\n"
                                                "\r\n"
                                                "hi\r\n"
                                                "--sep\r\n"
                                                "\r\n"
                                                "raw\r\n"
                                                "--sep--\r\n");
}

TEST(Multipart, ParsesWhatItSerializes)
{
    std::vector<BodyPart> parts(4);
    parts[0].headers = {{"Content-Type", "application/sdp"}, {"Content-Disposition", "session"}};
    parts[0].body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n";
    parts[1].body = "";
    parts[2].headers = {{"X", ""}};
    parts[2].body = "\r\nstarts with CRLF, has \0 NUL and ends in CR\r"s;
    parts[3].headers = {{"Content-Type", "text/plain"}};
    parts[3].body = "--boundary-lookalike\r\n--boundaryX\r\n";
    const auto text = serializeMultipart(parts, "boundary");
    const auto again = parseMultipart(text, "boundary");
    ASSERT_TRUE(again.ok()) << again.error().what;
    EXPECT_TRUE(sameParts(parts, *again));
}

TEST(Multipart, RoundTripsAnyParsedBodyToTheSameParts)
{
    // The fuzz target's invariant, on inputs with awkward but legal spellings.
    const std::vector<std::string_view> bodies{
        "pre\r\n--b  \r\nA :  1 \r\n\t2\r\nB:\r\n\r\n\r\n--b\r\n\r\n--b\r\nC: 3\r\n--b--epi"sv,
        "--b\r\n--bx: 1\r\n\r\n--b \r\n\r\n\r\n--b--"sv,
        "--b\r\nA: x\r\r\n\r\ny\r\n--b--"sv,
        "--b\r\nA: x\r\n \r\n\r\n\r\n\r\n--b--"sv,
    };
    for (const auto body : bodies) {
        const auto parts = parseMultipart(body, "b");
        ASSERT_TRUE(parts.ok()) << parts.error().what << " in " << body;
        const auto again = parseMultipart(serializeMultipart(*parts, "b"), "b");
        ASSERT_TRUE(again.ok()) << again.error().what;
        EXPECT_TRUE(sameParts(*parts, *again)) << body;
    }
}

TEST(Multipart, StaysLinearOnManyDelimiterLookalikes)
{
    // 200k near-delimiters inside one part: a re-scanning parser would take quadratic time.
    std::string body = "--b\r\n\r\n";
    for (int i = 0; i < 200000; ++i)
        body += "\r\n--bx";
    body += "\r\n--b--";
    const auto parts = parseMultipart(body, "b");
    ASSERT_TRUE(parts.ok());
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].body.size(), 200000u * 6u);
}
