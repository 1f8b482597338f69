// Unit tests for URI parsing, printing and comparison (RFC 3261 §19.1, RFC 3966, RFC 4475, RFC 5118).
#include "sip/uri.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vphone::sip {
namespace {

/// Parses text that must be valid.
Uri parsed(std::string_view text)
{
    auto result = parseUri(text);
    EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().what);
    return result.ok() ? *result : Uri{};
}

/// Parses text that must be rejected with a 400.
ParseError rejected(std::string_view text)
{
    auto result = parseUri(text);
    EXPECT_FALSE(result.ok()) << text << " parsed as " << (result.ok() ? result->toString() : "");
    if (result.ok()) return {};
    EXPECT_EQ(result.error().status, 400) << text;
    EXPECT_LE(result.error().offset, text.size()) << text;
    return result.error();
}

/// Equivalence in both directions, checking the relation is symmetric.
bool equivalent(std::string_view a, std::string_view b)
{
    const Uri x = parsed(a);
    const Uri y = parsed(b);
    const bool forward = x.equivalent(y);
    EXPECT_EQ(forward, y.equivalent(x)) << a << " vs " << b << " is not symmetric";
    EXPECT_TRUE(x.equivalent(x)) << a;
    return forward;
}

// ---- sip / sips structure -------------------------------------------------------------------

TEST(UriParser, ParsesSipUriWithPortAndParams)
{
    const Uri uri = parsed("sip:alice@atlanta.com:5070;transport=tcp;lr");
    EXPECT_EQ(uri.scheme, UriScheme::Sip);
    EXPECT_EQ(uri.schemeText, "sip");
    EXPECT_EQ(uri.user, "alice");
    EXPECT_FALSE(uri.password.has_value());
    EXPECT_EQ(uri.host, "atlanta.com");
    EXPECT_EQ(uri.hostType, HostType::Name);
    EXPECT_EQ(uri.port, 5070);
    ASSERT_EQ(uri.params.size(), 2u);
    EXPECT_EQ(uri.params[0], (Param{"transport", "tcp"}));
    EXPECT_EQ(uri.params[1], (Param{"lr", std::nullopt}));
    EXPECT_EQ(uri.param("transport"), "tcp");
    EXPECT_EQ(uri.param("LR"), "");
    EXPECT_FALSE(uri.param("maddr").has_value());
    EXPECT_TRUE(uri.hasParam("Transport"));
    EXPECT_TRUE(uri.headers.empty());
}

TEST(UriParser, ParsesHostOnlyUri)
{
    const Uri uri = parsed("sip:example.com");
    EXPECT_TRUE(uri.user.empty());
    EXPECT_EQ(uri.host, "example.com");
    EXPECT_FALSE(uri.port.has_value());
}

TEST(UriParser, AcceptsSchemeInAnyCase)
{
    const Uri uri = parsed("SIP:bob@biloxi.com");
    EXPECT_EQ(uri.scheme, UriScheme::Sip);
    EXPECT_EQ(uri.schemeText, "SIP");
    EXPECT_EQ(parsed("SiPs:bob@biloxi.com").scheme, UriScheme::Sips);
    EXPECT_EQ(parsed("TEL:+1234").scheme, UriScheme::Tel);
}

TEST(UriParser, ParsesSipsUriWithPassword)
{
    const Uri uri = parsed("sips:alice:secretword@atlanta.com;transport=tcp");
    EXPECT_EQ(uri.scheme, UriScheme::Sips);
    EXPECT_EQ(uri.user, "alice");
    EXPECT_EQ(uri.password, "secretword");
    EXPECT_EQ(uri.host, "atlanta.com");
}

TEST(UriParser, AcceptsEmptyPassword)
{
    const Uri uri = parsed("sip:alice:@atlanta.com");
    EXPECT_EQ(uri.password, "");
    EXPECT_EQ(uri.toString(), "sip:alice:@atlanta.com");
}

TEST(UriParser, ParsesTelephoneSubscriberUserWithPassword)
{
    // RFC 3261 §19.1.3 example.
    const Uri uri = parsed("sip:+1-212-555-1212:1234@gateway.com;user=phone");
    EXPECT_EQ(uri.user, "+1-212-555-1212");
    EXPECT_EQ(uri.password, "1234");
    EXPECT_EQ(uri.param("user"), "phone");
}

TEST(UriParser, ParsesIPv4HostWithPort)
{
    const Uri uri = parsed("sip:alice@192.0.2.4:5060");
    EXPECT_EQ(uri.hostType, HostType::IPv4);
    EXPECT_EQ(uri.host, "192.0.2.4");
    EXPECT_EQ(uri.port, 5060);
    EXPECT_EQ(uri.hostPort(), "192.0.2.4:5060");
}

TEST(UriParser, ParsesHeaders)
{
    const Uri uri = parsed("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com&priority=urgent");
    ASSERT_EQ(uri.headers.size(), 2u);
    EXPECT_EQ(uri.headers[0], (Param{"to", "alice%40atlanta.com"}));
    EXPECT_EQ(uri.headers[1], (Param{"priority", "urgent"}));
    EXPECT_EQ(uri.param("method"), "REGISTER");
}

TEST(UriParser, AcceptsHeaderWithEmptyValueAndQuestionMarkInside)
{
    const Uri uri = parsed("sip:host?a=&b=x?y:z");
    ASSERT_EQ(uri.headers.size(), 2u);
    EXPECT_EQ(uri.headers[0].value, "");
    EXPECT_EQ(uri.headers[1].value, "x?y:z");
}

TEST(UriParser, ParsesIPv6ParamValue)
{
    const Uri uri = parsed("sip:alice@example.com;maddr=[2001:db8::1];ttl=15");
    EXPECT_EQ(uri.param("maddr"), "[2001:db8::1]");
    EXPECT_EQ(uri.param("ttl"), "15");
}

TEST(UriParser, ParsesFullyQualifiedHostAndPortBounds)
{
    EXPECT_EQ(parsed("sip:example.com.").host, "example.com.");
    EXPECT_EQ(parsed("sip:h:0").port, 0);
    EXPECT_EQ(parsed("sip:h:65535").port, 65535);
    EXPECT_EQ(parsed("sip:h:0005060").port, 5060);
    EXPECT_EQ(parsed("sip:a-b.c-d.example").host, "a-b.c-d.example");
    EXPECT_EQ(parsed("sip:host123").hostType, HostType::Name);
    EXPECT_EQ(parsed("sip:3com.com").hostType, HostType::Name);
}

// ---- RFC 4475 URIs ---------------------------------------------------------------------------

TEST(UriParser, KeepsFlagParameterOfWsinv)
{
    const Uri uri = parsed("sip:vivekg@chair-dnrc.example.com;unknownparam");
    EXPECT_EQ(uri.host, "chair-dnrc.example.com");
    EXPECT_EQ(uri.param("unknownparam"), "");
}

TEST(UriParser, KeepsEscapedColonAndAtInUserOfEsc01)
{
    const Uri uri = parsed("sip:sips%3Auser%40example.com@example.net");
    EXPECT_EQ(uri.scheme, UriScheme::Sip);
    EXPECT_EQ(uri.user, "sips%3Auser%40example.com");
    EXPECT_EQ(unescape(uri.user), "sips:user@example.com");
    EXPECT_EQ(uri.host, "example.net");
    EXPECT_TRUE(equivalent("sip:%75se%72@example.com", "sip:user@example.com"));
    EXPECT_EQ(unescape(parsed("sip:I%20have%20spaces@example.net").user), "I have spaces");
}

TEST(UriParser, DecodesEscapedParameterNamesAndValuesOfEsc01Contact)
{
    const Uri uri = parsed("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
    ASSERT_EQ(uri.params.size(), 2u);
    EXPECT_EQ(uri.params[0].name, "%6C%72");
    EXPECT_TRUE(uri.hasParam("lr"));
    EXPECT_EQ(uri.param("name"), "v%61lue%25%34%31");
    EXPECT_EQ(unescape(*uri.param("name")), "value%41");
    EXPECT_TRUE(equivalent("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
                           "sip:caller@host5.example.net;lr;name=value%2541"));
}

TEST(UriParser, KeepsEscapedNulOfEscnull)
{
    const Uri uri = parsed("sip:null-%00-null@example.com");
    EXPECT_EQ(uri.user, "null-%00-null");
    const auto user = unescape(uri.user);
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(*user, std::string("null-\0-null", 11));
    // The two Contacts of escnull are distinct URIs.
    EXPECT_FALSE(equivalent("sip:%00@host5.example.com", "sip:%00%00@host5.example.com"));
}

TEST(UriParser, FindsUserWithSemicolonOfSemiuri)
{
    const Uri uri = parsed("sip:user;par=u%40example.net@example.com");
    EXPECT_EQ(uri.user, "user;par=u%40example.net");
    EXPECT_EQ(uri.host, "example.com");
    EXPECT_TRUE(uri.params.empty());
}

TEST(UriParser, ParsesUnusualUserAndPasswordOfIntmeth)
{
    const Uri uri =
        parsed("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
               "(doesn't-it)@example.com");
    EXPECT_EQ(uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    EXPECT_EQ(uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    EXPECT_EQ(uri.host, "example.com");
}

TEST(UriParser, KeepsEscapedRouteHeaderOfEscruriAndRegescrt)
{
    const Uri uri = parsed("sip:user@example.com?Route=%3Csip:sip.example.com%3E");
    ASSERT_EQ(uri.headers.size(), 1u);
    EXPECT_EQ(uri.headers[0].name, "Route");
    EXPECT_EQ(unescape(*uri.headers[0].value), "<sip:sip.example.com>");
}

TEST(UriParser, ParsesLongreqContact)
{
    const Uri uri = parsed("sip:user@example.com:6000;unknownparam1=verylonglonglonglonglongvalue;"
                           "longparamnamenamenamenamename=shortvalue;verylongParameterNameWithNoValue");
    EXPECT_EQ(uri.port, 6000);
    EXPECT_EQ(uri.params.size(), 3u);
    EXPECT_EQ(uri.param("VERYLONGPARAMETERNAMEWITHNOVALUE"), "");
}

TEST(UriParser, RejectsSpaceInUriOfLwsruri)
{
    const ParseError error = rejected("sip:user@example.com; lr");
    EXPECT_EQ(error.offset, 21u);
    EXPECT_EQ(error.what, "URI: space in parameter");
}

TEST(UriParser, RejectsAngleBracketsOfLtgtruri)
{
    EXPECT_EQ(rejected("<sip:user@example.com>").what, "URI: missing scheme");
    EXPECT_EQ(rejected("sip:user@example.com>").what, "URI: bad character in host");
}

TEST(UriParser, ParsesOtherSchemesOfUnkscmNovelscAndUnksm2)
{
    const Uri unknown = parsed("nobodyKnowsThisScheme:totally-opaque-content");
    EXPECT_EQ(unknown.scheme, UriScheme::Other);
    EXPECT_EQ(unknown.schemeText, "nobodyKnowsThisScheme");
    EXPECT_EQ(unknown.opaque, "totally-opaque-content");
    EXPECT_EQ(unknown.toString(), "nobodyknowsthisscheme:totally-opaque-content");

    const Uri beep = parsed("soap.beep://192.0.2.103:3002");
    EXPECT_EQ(beep.schemeText, "soap.beep");
    EXPECT_EQ(beep.opaque, "//192.0.2.103:3002");
    EXPECT_TRUE(beep.host.empty());

    EXPECT_EQ(parsed("isbn:2983792873").opaque, "2983792873");
    EXPECT_EQ(parsed("http://www.example.com").opaque, "//www.example.com");
    EXPECT_EQ(parsed("mailto:user@example.com").opaque, "user@example.com");
    EXPECT_EQ(parsed("name:John_Smith").opaque, "John_Smith");
    EXPECT_EQ(parsed("x-a+b.c:1").schemeText, "x-a+b.c");
}

// ---- RFC 5118 IPv6 --------------------------------------------------------------------------

TEST(UriParser, ParsesIPv6ReferenceOfIpv6Good)
{
    const Uri uri = parsed("sip:[2001:db8::10]");
    EXPECT_EQ(uri.hostType, HostType::IPv6);
    EXPECT_EQ(uri.host, "2001:db8::10");
    EXPECT_FALSE(uri.port.has_value());
    EXPECT_EQ(uri.hostPort(), "[2001:db8::10]");
    EXPECT_EQ(parsed("sip:caller@[2001:db8::1]").host, "2001:db8::1");
}

TEST(UriParser, RejectsBareIPv6AddressOfIpv6Bad)
{
    const ParseError error = rejected("sip:2001:db8::10");
    EXPECT_EQ(error.offset, 4u);
    rejected("sip:user@2001:db8::10");
}

TEST(UriParser, TreatsPortInsideBracketsAsAddressOfPortAmbiguous)
{
    const Uri uri = parsed("sip:[2001:db8::10:5070]");
    EXPECT_EQ(uri.host, "2001:db8::10:5070");
    EXPECT_FALSE(uri.port.has_value());
}

TEST(UriParser, ParsesPortAfterBracketsOfPortUnambiguous)
{
    const Uri uri = parsed("sip:[2001:db8::10]:5070");
    EXPECT_EQ(uri.host, "2001:db8::10");
    EXPECT_EQ(uri.port, 5070);
    EXPECT_EQ(uri.hostPort(), "[2001:db8::10]:5070");
    EXPECT_EQ(uri.toString(), "sip:[2001:db8::10]:5070");
}

TEST(UriParser, ParsesIPv4MappedIPv6)
{
    const Uri uri = parsed("sip:ted@[::ffff:192.0.2.2]");
    EXPECT_EQ(uri.hostType, HostType::IPv6);
    EXPECT_EQ(uri.host, "::ffff:192.0.2.2");
}

TEST(UriParser, RejectsThreeColonsOfIpv6BugAbnf)
{
    const ParseError error = rejected("sip:user@[2001:db8:::192.0.2.1]");
    EXPECT_EQ(error.what, "URI: bad IPv6 address");
    EXPECT_EQ(error.offset, 10u);
    EXPECT_EQ(parsed("sip:user@[2001:db8::192.0.2.1]").host, "2001:db8::192.0.2.1");
}

TEST(UriParser, RejectsBrokenIPv6References)
{
    EXPECT_EQ(rejected("sip:[2001:db8::1").what, "URI: unterminated IPv6 reference");
    EXPECT_EQ(rejected("sip:[2001:db8::1]5060").what, "URI: bad character in host");
    EXPECT_EQ(rejected("sip:[2001:db8::g]").what, "URI: bad character in IPv6 reference");
    rejected("sip:[]");
    rejected("sip:[192.0.2.1]");
    rejected("sip:[2001:db8::1]:");
}

TEST(UriEquivalence, ComparesIPv6AddressesByValue)
{
    // RFC 5118 §4.5: leading zeros and "::" compression do not change the address.
    EXPECT_TRUE(equivalent("sip:[2001:db8::9:1]", "sip:[2001:db8::9:01]"));
    EXPECT_TRUE(equivalent("sip:[2001:DB8:0:0:0:0:0:1]", "sip:[2001:db8::1]"));
    EXPECT_TRUE(equivalent("sip:[::ffff:192.0.2.1]", "sip:[::ffff:c000:0201]"));
    EXPECT_FALSE(equivalent("sip:[2001:db8::1]", "sip:[2001:db8::2]"));
}

// ---- Address helpers ------------------------------------------------------------------------

TEST(UriAddress, ValidatesIPv4)
{
    EXPECT_TRUE(isIPv4("192.0.2.1"));
    EXPECT_TRUE(isIPv4("0.0.0.0"));
    EXPECT_TRUE(isIPv4("255.255.255.255"));
    EXPECT_TRUE(isIPv4("01.02.03.004"));
    EXPECT_FALSE(isIPv4("256.0.0.1"));
    EXPECT_FALSE(isIPv4("1.2.3"));
    EXPECT_FALSE(isIPv4("1.2.3.4."));
    EXPECT_FALSE(isIPv4("1.2.3.4.5"));
    EXPECT_FALSE(isIPv4("1..2.3"));
    EXPECT_FALSE(isIPv4("1234.1.1.1"));
    EXPECT_FALSE(isIPv4("a.b.c.d"));
    EXPECT_FALSE(isIPv4(""));
}

TEST(UriAddress, ValidatesIPv6TextForms)
{
    for (std::string_view good :
         {"::", "::1", "1::", "2001:db8::10", "2001:db8::10:5070", "2001:0db8:0000:0000:0000:0000:0000:0001",
          "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:192.0.2.1", "::192.0.2.1",
          "1:2:3:4:5:6:192.0.2.1", "1::5:6:192.0.2.1", "FE80::abcd"}) {
        EXPECT_TRUE(isIPv6(good)) << good;
    }
    for (std::string_view bad : {"",
                                 ":",
                                 ":::",
                                 "2001:db8:::192.0.2.1",
                                 "1:2:3:4:5:6:7",
                                 "1:2:3:4:5:6:7:8:9",
                                 "1:2:3:4:5:6:7:8::",
                                 "::1:2:3:4:5:6:7:8",
                                 "1::2::3",
                                 "12345::1",
                                 "1:",
                                 ":1",
                                 "1::2:",
                                 "g::1",
                                 "1:2:3:4:5:6:7:192.0.2.1",
                                 "::192.0.2",
                                 "::192.0.2.256",
                                 "1.2.3.4::",
                                 "::ffff:192.0.2.1:1",
                                 "[::1]",
                                 "::1%eth0"}) {
        EXPECT_FALSE(isIPv6(bad)) << bad;
    }
}

TEST(UriAddress, UnescapesAndRejectsMalformedEscapes)
{
    EXPECT_EQ(unescape("a%41%6a"), "aAj");
    EXPECT_EQ(unescape("plain"), "plain");
    EXPECT_EQ(unescape(""), "");
    EXPECT_FALSE(unescape("%").has_value());
    EXPECT_FALSE(unescape("%4").has_value());
    EXPECT_FALSE(unescape("%zz").has_value());
    EXPECT_FALSE(unescape("ab%4g").has_value());
}

TEST(UriAddress, FindsParamsByCaseInsensitiveName)
{
    const std::vector<Param> params{{"Transport", "UDP"}, {"lr", std::nullopt}, {"transport", "tcp"}};
    ASSERT_NE(findParam(params, "TRANSPORT"), nullptr);
    EXPECT_EQ(findParam(params, "TRANSPORT")->value, "UDP");
    EXPECT_EQ(findParam(params, "lr"), &params[1]);
    EXPECT_EQ(findParam(params, "maddr"), nullptr);
    EXPECT_EQ(findParam({}, "lr"), nullptr);
}

// ---- Errors ---------------------------------------------------------------------------------

TEST(UriParser, RejectsMissingOrBrokenScheme)
{
    EXPECT_EQ(rejected("").what, "URI: empty");
    EXPECT_EQ(rejected("alice@example.com").what, "URI: missing scheme");
    EXPECT_EQ(rejected("example.com").offset, 11u);
    EXPECT_EQ(rejected(":foo").what, "URI: missing scheme");
    EXPECT_EQ(rejected("1sip:foo").what, "URI: missing scheme");
    EXPECT_EQ(rejected(" sip:foo").what, "URI: space in scheme");
    EXPECT_EQ(rejected("sip :foo").offset, 3u);
}

TEST(UriParser, RejectsWhitespaceAndControlCharactersAnywhere)
{
    EXPECT_EQ(rejected("sip:ali ce@example.com").what, "URI: space in user");
    EXPECT_EQ(rejected("sip:alice:pa ss@example.com").what, "URI: space in password");
    EXPECT_EQ(rejected("sip:alice@exam ple.com").what, "URI: space in host");
    EXPECT_EQ(rejected("sip:alice@example.com ").offset, 21u);
    EXPECT_EQ(rejected("sip:alice@example.com:50 60").what, "URI: space in port");
    EXPECT_EQ(rejected("sip:a@b;x=1 2").what, "URI: space in parameter");
    EXPECT_EQ(rejected("sip:a@b?h=1\t2").what, "URI: space in header");
    EXPECT_EQ(rejected("sip:a@b\r\n").what, "URI: control character in host");
    EXPECT_EQ(rejected(std::string_view("sip:a\0b@c", 9)).what, "URI: control character in user");
    EXPECT_EQ(rejected("tel:+1 234").what, "URI: space in tel number");
    EXPECT_EQ(rejected("tel:+1234;a=b c").what, "URI: space in tel parameter");
    EXPECT_EQ(rejected("mailto:a b").what, "URI: space in opaque part");
    EXPECT_EQ(rejected("mailto:a\x7f").what, "URI: control character in opaque part");
}

TEST(UriParser, RejectsMalformedEscapesWithOffset)
{
    const ParseError error = rejected("sip:al%4gce@example.com");
    EXPECT_EQ(error.what, "URI: bad escape in user");
    EXPECT_EQ(error.offset, 6u);
    EXPECT_EQ(rejected("sip:a:%@b").what, "URI: bad escape in password");
    EXPECT_EQ(rejected("sip:a@b;x=%").what, "URI: bad escape in parameter");
    EXPECT_EQ(rejected("sip:a@b?h=%2").what, "URI: bad escape in header");
    EXPECT_EQ(rejected("sip:a@b%41.com").what, "URI: bad escape in host");
}

TEST(UriParser, RejectsBadHostsAndPorts)
{
    EXPECT_EQ(rejected("sip:").what, "URI: missing host");
    EXPECT_EQ(rejected("sip:alice@").what, "URI: missing host");
    EXPECT_EQ(rejected("sip:alice@;lr").what, "URI: missing host");
    EXPECT_EQ(rejected("sip:alice@:5060").what, "URI: missing host");
    EXPECT_EQ(rejected("sip:a@under_score.com").what, "URI: bad character in host");
    EXPECT_EQ(rejected("sip:a@example..com").what, "URI: bad host name");
    EXPECT_EQ(rejected("sip:a@.example.com").what, "URI: bad host name");
    EXPECT_EQ(rejected("sip:a@.").what, "URI: bad host name");
    EXPECT_EQ(rejected("sip:a@256.1.1.1").what, "URI: bad host name");
    EXPECT_EQ(rejected("sip:a@1.2.3").what, "URI: bad host name");
    EXPECT_EQ(rejected("sip:a@b@c").what, "URI: bad character in host");
    EXPECT_EQ(rejected("sip:a@b:").what, "URI: empty port");
    EXPECT_EQ(rejected("sip:a@b:65536").what, "URI: port out of range");
    EXPECT_EQ(rejected("sip:a@b:99999999999999999999").offset, 8u);
    EXPECT_EQ(rejected("sip:a@b:-1").what, "URI: bad character in port");
    EXPECT_EQ(rejected("sip:a@b:50:60").what, "URI: bad character in port");
    EXPECT_EQ(rejected("sip:a@b#frag").what, "URI: bad character in host");
}

TEST(UriParser, RejectsBadUserinfo)
{
    EXPECT_EQ(rejected("sip:@example.com").what, "URI: empty user");
    EXPECT_EQ(rejected("sip::pw@example.com").what, "URI: empty user");
    EXPECT_EQ(rejected("sip:a:b:c@example.com").what, "URI: bad character in password");
    EXPECT_EQ(rejected("sip:a\"b@example.com").what, "URI: bad character in user");
    EXPECT_EQ(rejected("sip:a[b@example.com").offset, 5u);
}

TEST(UriParser, RejectsBadParametersAndHeaders)
{
    const ParseError empty = rejected("sip:a@b;;lr");
    EXPECT_EQ(empty.what, "URI: empty parameter name");
    EXPECT_EQ(empty.offset, 8u);
    EXPECT_EQ(rejected("sip:a@b;").what, "URI: empty parameter name");
    EXPECT_EQ(rejected("sip:a@b;=x").what, "URI: empty parameter name");
    EXPECT_EQ(rejected("sip:a@b;x=y=z").what, "URI: bad character in parameter");
    EXPECT_EQ(rejected("sip:a@b;x=\"y\"").what, "URI: bad character in parameter");
    EXPECT_EQ(rejected("sip:a@b?").what, "URI: empty header name");
    EXPECT_EQ(rejected("sip:a@b?h=1&").what, "URI: empty header name");
    EXPECT_EQ(rejected("sip:a@b?h").what, "URI: header without '='");
    EXPECT_EQ(rejected("sip:a@b?h&x=1").what, "URI: header without '='");
    EXPECT_EQ(rejected("sip:a@b?h=1=2").what, "URI: bad character in header");
    EXPECT_EQ(rejected("sip:a@b?h=1;x").what, "URI: bad character in header");
    // '@' after the host cannot be userinfo: the first '@' always ends the user.
    EXPECT_EQ(rejected("sip:a@b;x=u@v").what, "URI: bad character in parameter");
    EXPECT_EQ(parsed("sip:a;x=u@v").user, "a;x=u");
}

TEST(UriParser, AcceptsEmptyParameterValue)
{
    const Uri uri = parsed("sip:a@b;x=");
    EXPECT_EQ(uri.params[0].value, "");
    EXPECT_EQ(uri.toString(), "sip:a@b;x=");
}

// ---- tel ------------------------------------------------------------------------------------

TEST(UriParser, ParsesGlobalTelNumberWithParams)
{
    const Uri uri = parsed("tel:+1-201-555-0123;ext=1234;isub=1411");
    EXPECT_EQ(uri.scheme, UriScheme::Tel);
    EXPECT_EQ(uri.user, "+1-201-555-0123");
    EXPECT_EQ(uri.hostType, HostType::Invalid);
    EXPECT_TRUE(uri.host.empty());
    EXPECT_EQ(uri.param("ext"), "1234");
    EXPECT_EQ(uri.param("isub"), "1411");
    EXPECT_EQ(uri.toString(), "tel:+1-201-555-0123;ext=1234;isub=1411");
    EXPECT_EQ(parsed("tel:+(33).1-23").user, "+(33).1-23");
}

TEST(UriParser, ParsesLocalTelNumberWithPhoneContext)
{
    const Uri uri = parsed("tel:7042;phone-context=example.com");
    EXPECT_EQ(uri.user, "7042");
    EXPECT_EQ(uri.param("phone-context"), "example.com");
    EXPECT_EQ(parsed("tel:*21#;phone-context=+1-212").user, "*21#");
    EXPECT_EQ(parsed("tel:863-1234;phone-context=+1-914-555").user, "863-1234");
    EXPECT_EQ(parsed("tel:AB12;Phone-Context=example.com").user, "AB12");
}

TEST(UriParser, RejectsLocalTelNumberWithoutPhoneContext)
{
    const ParseError error = rejected("tel:7042");
    EXPECT_EQ(error.what, "URI: local tel number without phone-context");
    EXPECT_EQ(error.offset, 4u);
}

TEST(UriParser, RejectsMalformedTelUris)
{
    EXPECT_EQ(rejected("tel:").what, "URI: tel number without digits");
    EXPECT_EQ(rejected("tel:+").what, "URI: tel number without digits");
    EXPECT_EQ(rejected("tel:+--").what, "URI: tel number without digits");
    EXPECT_EQ(rejected("tel:+12a4").what, "URI: bad character in tel number");
    EXPECT_EQ(rejected("tel:+1234;").what, "URI: empty tel parameter name");
    EXPECT_EQ(rejected("tel:+1234;e_x=1").what, "URI: bad character in tel parameter");
    EXPECT_EQ(rejected("tel:+1234?x=1").what, "URI: bad character in tel number");
    EXPECT_EQ(rejected("tel:+1234;a=1?x=1").what, "URI: bad character in tel parameter");
    EXPECT_EQ(rejected("tel:+1@host").offset, 6u);
}

TEST(UriEquivalence, ComparesTelNumbersIgnoringVisualSeparators)
{
    EXPECT_TRUE(equivalent("tel:+1-201-555-0123", "tel:+12015550123"));
    EXPECT_TRUE(equivalent("tel:+1(201)555.0123", "TEL:+1-201-555-0123"));
    EXPECT_TRUE(equivalent("tel:7042;phone-context=example.com", "tel:7042;PHONE-CONTEXT=EXAMPLE.COM"));
    EXPECT_TRUE(equivalent("tel:ab12;phone-context=example.com", "tel:AB-12;phone-context=example.com"));
    EXPECT_TRUE(equivalent("tel:863-1234;phone-context=+1-914-555", "tel:8631234;phone-context=+1914555"));
    EXPECT_TRUE(equivalent("tel:+1234;ext=1-2;isub=x", "tel:+1234;isub=X;ext=12"));
    EXPECT_FALSE(equivalent("tel:+12015550123", "tel:+12015550124"));
    EXPECT_FALSE(equivalent("tel:+1234;phone-context=+1", "tel:1234;phone-context=+1"));
    EXPECT_FALSE(equivalent("tel:+1234", "tel:+1234;ext=1"));
    EXPECT_FALSE(equivalent("tel:+1234;ext=1", "tel:+1234;ext=2"));
    EXPECT_FALSE(equivalent("tel:1234;phone-context=a.com", "tel:1234;phone-context=b.com"));
    EXPECT_FALSE(equivalent("tel:+1234", "sip:+1234@example.com;user=phone"));
}

// ---- Equivalence: RFC 3261 §19.1.4 ------------------------------------------------------------

TEST(UriEquivalence, MatchesEquivalentExamplesOfRfc3261)
{
    EXPECT_TRUE(equivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
    EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
    EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
    EXPECT_TRUE(equivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
    EXPECT_TRUE(equivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                           "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
    EXPECT_TRUE(equivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                           "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(UriEquivalence, SeparatesNonEquivalentExamplesOfRfc3261)
{
    // Different usernames (user is case-sensitive).
    EXPECT_FALSE(equivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
    // Can resolve to different ports.
    EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
    // Can resolve to different transports.
    EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
    // Can resolve to different port and transports.
    EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
    // Different header component.
    EXPECT_FALSE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
    // Even though that's what phone21.boxesbybob.com resolves to.
    EXPECT_FALSE(equivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

TEST(UriEquivalence, NeverMatchesSipWithSips)
{
    EXPECT_FALSE(equivalent("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
    EXPECT_TRUE(equivalent("SIPS:alice@atlanta.com", "sips:alice@ATLANTA.com"));
}

TEST(UriEquivalence, RequiresSpecialParamsInBothUris)
{
    for (std::string_view name : {"user", "ttl", "method", "maddr", "transport"}) {
        const std::string with = "sip:a@b;" + std::string(name) + "=x";
        EXPECT_FALSE(equivalent("sip:a@b", with)) << name;
        EXPECT_TRUE(equivalent(with, "sip:a@b;" + std::string(name) + "=X")) << name;
        EXPECT_FALSE(equivalent(with, "sip:a@b;" + std::string(name) + "=y")) << name;
    }
    EXPECT_FALSE(equivalent("sip:a@b;lr", "sip:a@b;lr=on"));
    EXPECT_FALSE(equivalent("sip:a@b;foo=1", "sip:a@b;FOO=2"));
    EXPECT_TRUE(equivalent("sip:a@b;maddr=%31.2.3.4", "sip:a@b;maddr=1.2.3.4"));
}

TEST(UriEquivalence, ComparesUserinfoCaseSensitivelyAfterUnescaping)
{
    EXPECT_TRUE(equivalent("sip:%41lice@a.com", "sip:Alice@a.com"));
    EXPECT_FALSE(equivalent("sip:%61lice@a.com", "sip:Alice@a.com"));
    EXPECT_FALSE(equivalent("sip:alice@a.com", "sip:a.com"));
    EXPECT_TRUE(equivalent("sip:alice:p%41ss@a.com", "sip:alice:pAss@a.com"));
    EXPECT_FALSE(equivalent("sip:alice:pass@a.com", "sip:alice:PASS@a.com"));
    EXPECT_FALSE(equivalent("sip:alice:@a.com", "sip:alice@a.com"));
}

TEST(UriEquivalence, ComparesHeadersInBothDirections)
{
    EXPECT_TRUE(equivalent("sip:a@b?Subject=x&To=y", "sip:a@b?to=y&subject=x"));
    EXPECT_TRUE(equivalent("sip:a@b?subject=%78", "sip:a@b?subject=x"));
    EXPECT_FALSE(equivalent("sip:a@b?subject=x", "sip:a@b?subject=X"));
    EXPECT_FALSE(equivalent("sip:a@b?subject=x", "sip:a@b?subject=x&to=y"));
    EXPECT_FALSE(equivalent("sip:a@b?h=1&h=2", "sip:a@b?h=1&h=1"));
}

TEST(UriEquivalence, UsesFirstOccurrenceOfRepeatedParams)
{
    EXPECT_TRUE(equivalent("sip:a@b;transport=tcp;transport=udp", "sip:a@b;transport=tcp"));
    EXPECT_FALSE(equivalent("sip:a@b;transport=udp;transport=tcp", "sip:a@b;transport=tcp"));
}

TEST(UriEquivalence, HandlesLongParameterListsLikeShortOnes)
{
    std::string base = "sip:a@b";
    for (int i = 0; i < 20; ++i)
        base += ";p" + std::to_string(i) + "=v" + std::to_string(i);
    EXPECT_TRUE(equivalent(base, base + ";extra=1"));
    EXPECT_TRUE(equivalent(base, "sip:a@b;P3=V3;p7=v7"));
    EXPECT_FALSE(equivalent(base, "sip:a@b;p3=other"));
    EXPECT_FALSE(equivalent(base, base + ";transport=tcp"));
    EXPECT_FALSE(equivalent(base + ";transport=udp", base + ";transport=tcp"));
    EXPECT_TRUE(equivalent(base + ";transport=udp", base + ";TRANSPORT=UDP;transport=tcp"));
    std::string tel = "tel:+1234";
    for (int i = 0; i < 20; ++i)
        tel += ";p" + std::to_string(i) + "=" + std::to_string(i);
    EXPECT_TRUE(equivalent(tel, tel));
    EXPECT_FALSE(equivalent(tel, tel + ";x=1"));
}

TEST(UriEquivalence, ComparesOtherSchemesByTextWithCaseInsensitiveScheme)
{
    EXPECT_TRUE(equivalent("MAILTO:user@example.com", "mailto:user@example.com"));
    EXPECT_FALSE(equivalent("mailto:user@example.com", "mailto:USER@example.com"));
    EXPECT_FALSE(equivalent("mailto:user@example.com", "http:user@example.com"));
}

TEST(UriEquivalence, NeverMatchesInvalidUris)
{
    EXPECT_FALSE(Uri{}.equivalent(Uri{}));
    EXPECT_EQ(Uri{}.toString(), "");
}

// ---- toString round trips -------------------------------------------------------------------

TEST(UriPrinter, RoundTripsCanonicalText)
{
    for (std::string_view text :
         {"sip:alice@atlanta.com", "sips:alice:secret@atlanta.com:5061;transport=tcp;lr",
          "sip:[2001:db8::10]:5070;maddr=[2001:db8::1]", "sip:192.0.2.1", "sip:host?a=1&b=%20",
          "sip:user;par=u%40example.net@example.com", "sip:null-%00-null@example.com",
          "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", "tel:+1-201-555-0123;ext=1234",
          "tel:7042;phone-context=example.com", "isbn:2983792873", "soap.beep://192.0.2.103:3002"}) {
        const Uri uri = parsed(text);
        EXPECT_EQ(uri.toString(), text);
        const Uri again = parsed(uri.toString());
        EXPECT_TRUE(again.equivalent(uri)) << text;
        EXPECT_EQ(again.params, uri.params) << text;
        EXPECT_EQ(again.headers, uri.headers) << text;
    }
}

TEST(UriPrinter, LowerCasesSchemeOnly)
{
    EXPECT_EQ(parsed("SIP:Alice@AtLanTa.CoM;Transport=TCP").toString(),
              "sip:Alice@AtLanTa.CoM;Transport=TCP");
    EXPECT_EQ(parsed("SIPS:a@b").toString(), "sips:a@b");
    EXPECT_EQ(parsed("TEL:+1").toString(), "tel:+1");
    EXPECT_EQ(parsed("HTTP://X").toString(), "http://X");
}

TEST(UriPrinter, PrintsHostPortForBuiltUris)
{
    Uri uri;
    uri.scheme = UriScheme::Sip;
    uri.host = "::1";
    uri.hostType = HostType::IPv6;
    uri.port = 65535;
    uri.params = {{"lr", std::nullopt}};
    uri.headers = {{"h", "v"}};
    EXPECT_EQ(uri.hostPort(), "[::1]:65535");
    EXPECT_EQ(uri.toString(), "sip:[::1]:65535;lr?h=v");
    uri.user = "bob";
    uri.password = "";
    EXPECT_EQ(uri.toString(), "sip:bob:@[::1]:65535;lr?h=v");
}

} // namespace
} // namespace vphone::sip
