// The dial bar's normaliser (ui/models/dial_target.h): what users type and what other programs
// hand over (sip:, sips:, tel:, callto: links) into the SIP request URI, or a sentence saying why not.
#include "models/dial_target.h"

#include <gtest/gtest.h>

using vphone::ui::DialPlan;
using vphone::ui::normaliseDialTarget;

namespace {

DialPlan account(QString domain = QStringLiteral("example.test"))
{
    DialPlan p;
    p.domain = std::move(domain);
    return p;
}

std::string uriOf(const char* input, const DialPlan& plan = account())
{
    const auto t = normaliseDialTarget(QString::fromUtf8(input), plan);
    EXPECT_TRUE(t.ok()) << input << ": " << t.error.toStdString();
    return t.uri.toStdString();
}

std::string errorOf(const char* input, const DialPlan& plan = account())
{
    const auto t = normaliseDialTarget(QString::fromUtf8(input), plan);
    EXPECT_FALSE(t.ok()) << input << " gave " << t.uri.toStdString();
    EXPECT_TRUE(t.uri.isEmpty());
    return t.error.toStdString();
}

} // namespace

TEST(DialTarget, SipAndSipsUrisAreKeptAsTyped)
{
    EXPECT_EQ(uriOf("sip:bob@example.com"), "sip:bob@example.com");
    EXPECT_EQ(uriOf("  sips:bob@example.com:5061;transport=tcp  "),
              "sips:bob@example.com:5061;transport=tcp");
    EXPECT_EQ(uriOf("SIP:bob@example.com"), "sip:bob@example.com");
    EXPECT_EQ(uriOf("sip:[::1]:5070"), "sip:[::1]:5070");
    EXPECT_EQ(uriOf("sip:127.0.0.1:5600"), "sip:127.0.0.1:5600");
    EXPECT_EQ(uriOf("sip:far@127.0.0.1:5610", {}), "sip:far@127.0.0.1:5610");
}

TEST(DialTarget, BadSipUrisAreRefusedWithTheInputQuoted)
{
    EXPECT_NE(errorOf("sip:").find("nothing after 'sip:'"), std::string::npos);
    EXPECT_NE(errorOf("sip:bob@").find("'sip:bob@' is not a valid SIP address"), std::string::npos);
    EXPECT_NE(errorOf("sip:bob@exa mple.com").find("not a valid SIP address"), std::string::npos);
    EXPECT_NE(errorOf("sip:[::1").find("not a valid SIP address"), std::string::npos);
}

TEST(DialTarget, CalltoBecomesSip)
{
    EXPECT_EQ(uriOf("callto:bob@example.com"), "sip:bob@example.com");
    EXPECT_EQ(uriOf("callto://bob@example.com/"), "sip:bob@example.com");
    EXPECT_EQ(uriOf("callto:+123"), "sip:+123@example.test;user=phone");
    EXPECT_NE(errorOf("callto:").find("nothing after 'callto:'"), std::string::npos);
}

TEST(DialTarget, TelUrisGoThroughTheAccountsDomain)
{
    EXPECT_EQ(uriOf("tel:+15551234"), "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("tel:+1-555-1234"), "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("tel:+1.555.1234"), "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("tel:+1(555)1234"), "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("TEL:+1 (555) 123-4;phone-context=example.test"),
              "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("tel:5551234"), "sip:5551234@example.test;user=phone");
}

TEST(DialTarget, BadTelUrisAreRefused)
{
    EXPECT_NE(errorOf("tel:").find("not a valid telephone number"), std::string::npos);
    EXPECT_NE(errorOf("tel:abc").find("'tel:abc' is not a valid telephone number"), std::string::npos);
    EXPECT_NE(errorOf("tel:1+2").find("not a valid telephone number"), std::string::npos);
    EXPECT_NE(errorOf("tel:---").find("not a valid telephone number"), std::string::npos);
}

TEST(DialTarget, BareNumbersAreDialledLikeTelUris)
{
    EXPECT_EQ(uriOf("+15551234"), "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("+1 555 1234"), "sip:+15551234@example.test;user=phone");
    EXPECT_EQ(uriOf("030 1234-56"), "sip:030123456@example.test;user=phone");
    EXPECT_EQ(uriOf("*97"), "sip:*97@example.test;user=phone");
    EXPECT_EQ(uriOf("12#"), "sip:12%23@example.test;user=phone");
}

TEST(DialTarget, TheDialPlanRewritesNumbers)
{
    DialPlan p = account();
    p.internationalPrefix = QStringLiteral("00");
    EXPECT_EQ(uriOf("+49301234", p), "sip:0049301234@example.test;user=phone");
    EXPECT_EQ(uriOf("tel:+49-30-1234", p), "sip:0049301234@example.test;user=phone");
    p = account();
    p.stripPrefix = QStringLiteral("0");
    p.addPrefix = QStringLiteral("+49");
    EXPECT_EQ(uriOf("0301234", p), "sip:+49301234@example.test;user=phone");
    EXPECT_EQ(uriOf("301234", p), "sip:+49301234@example.test;user=phone");
    EXPECT_EQ(uriOf("+33123", p), "sip:+33123@example.test;user=phone"); // international: untouched
    p = account();
    p.userPhone = false;
    EXPECT_EQ(uriOf("+1555", p), "sip:+1555@example.test");
}

TEST(DialTarget, NumbersNeedAnAccount)
{
    EXPECT_NE(errorOf("+15551234", {}).find("needs an account"), std::string::npos);
    EXPECT_NE(errorOf("tel:+15551234", {}).find("needs an account"), std::string::npos);
}

TEST(DialTarget, AddressesWithoutSchemeBecomeSip)
{
    EXPECT_EQ(uriOf("bob@example.com"), "sip:bob@example.com");
    EXPECT_EQ(uriOf("bob@example.com:5070", {}), "sip:bob@example.com:5070");
    EXPECT_EQ(uriOf("example.com", {}), "sip:example.com");
    EXPECT_EQ(uriOf("example.com:5070", {}), "sip:example.com:5070");
    EXPECT_EQ(uriOf("localhost:5070", {}), "sip:localhost:5070");
    EXPECT_EQ(uriOf("192.0.2.7", {}), "sip:192.0.2.7");
    EXPECT_EQ(uriOf("192.0.2.7:5070", {}), "sip:192.0.2.7:5070");
    EXPECT_EQ(uriOf("[::1]:5070", {}), "sip:[::1]:5070");
    EXPECT_EQ(uriOf("[2001:db8::1]", {}), "sip:[2001:db8::1]");
    EXPECT_EQ(uriOf("::1", {}), "sip:[::1]");
    EXPECT_EQ(uriOf("2001:db8::7", {}), "sip:[2001:db8::7]");
}

TEST(DialTarget, ABareNameIsAUserAtTheAccountsDomain)
{
    EXPECT_EQ(uriOf("bob"), "sip:bob@example.test");
    EXPECT_NE(errorOf("bob", {}).find("'bob' has no host"), std::string::npos);
}

TEST(DialTarget, GarbageGetsAClearError)
{
    EXPECT_NE(errorOf("").find("Type a number or a SIP address"), std::string::npos);
    EXPECT_NE(errorOf("   ").find("Type a number or a SIP address"), std::string::npos);
    EXPECT_NE(errorOf("bob smith").find("is not a number or a SIP address"), std::string::npos);
    EXPECT_NE(errorOf("<sip:bob@x>").find("is not a number or a SIP address"), std::string::npos);
    EXPECT_NE(errorOf("mailto:bob@example.com").find("'mailto:' addresses cannot be called"),
              std::string::npos);
    EXPECT_NE(errorOf("http://example.com").find("'http:' addresses cannot be called"), std::string::npos);
    EXPECT_NE(errorOf("1::2::3", {}).find("not a valid IPv6 address"), std::string::npos);
    EXPECT_NE(errorOf("bob@", {}).find("not a valid SIP address"), std::string::npos);
    EXPECT_NE(errorOf("@example.com", {}).find("not a valid SIP address"), std::string::npos);
    EXPECT_NE(errorOf("example.com:99999", {}).find("not a valid SIP address"), std::string::npos);
}

TEST(DialTarget, VeryLongInputIsShortenedInTheError)
{
    const std::string junk = "bad input " + std::string(200, 'x');
    const std::string why = errorOf(junk.c_str());
    EXPECT_LT(why.size(), 160u);
    EXPECT_NE(why.find("..."), std::string::npos);
}
