#include "sip/headers.h"

#include <gtest/gtest.h>

using namespace vphone::sip;

TEST(ViaParser, ReadsSentProtocolSentByAndParams)
{
    auto v = parseVia("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK776asdhds;rport;received=198.51.100.7");
    ASSERT_TRUE(v) << v.error().what;
    EXPECT_EQ(v->transport, "UDP");
    EXPECT_EQ(v->host, "192.0.2.1");
    EXPECT_EQ(v->hostType, HostType::IPv4);
    EXPECT_EQ(v->port, 5062);
    EXPECT_EQ(v->branch(), "z9hG4bK776asdhds");
    EXPECT_TRUE(v->hasRport());
    EXPECT_FALSE(v->rport());
    EXPECT_EQ(v->received(), "198.51.100.7");
}

TEST(ViaParser, AcceptsLinearWhitespaceAroundSlashesAndFolding)
{
    auto v = parseVia("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw");
    ASSERT_TRUE(v) << v.error().what;
    EXPECT_EQ(v->transport, "UDP");
    EXPECT_EQ(v->host, "192.0.2.2");
    EXPECT_EQ(v->branch(), "390skdjuw");
    auto w = parseVia("SIP  / 2.0  / tcp     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8");
    ASSERT_TRUE(w) << w.error().what;
    EXPECT_EQ(w->transport, "TCP");
    EXPECT_EQ(w->branch(), "z9hG4bK9ikj8");
}

TEST(ViaParser, ReadsIPv6SentByAndReceivedWithOrWithoutBrackets)
{
    auto v = parseVia("SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKas3-111;received=[2001:db8::9:255]");
    ASSERT_TRUE(v) << v.error().what;
    EXPECT_EQ(v->host, "2001:db8::9:1");
    EXPECT_EQ(v->hostType, HostType::IPv6);
    EXPECT_EQ(v->port, 5070);
    EXPECT_EQ(v->received(), "[2001:db8::9:255]");
    auto w = parseVia("SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3;received=2001:db8::9:255");
    ASSERT_TRUE(w) << w.error().what;
    EXPECT_EQ(w->received(), "2001:db8::9:255");
}

TEST(ViaParser, ReadsMaddrTtlAndFilledRport)
{
    auto v = parseVia("SIP/2.0/UDP 239.128.16.254:16;maddr=239.128.16.254;ttl=16;rport=5060;branch=z9hG4bK1");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->maddr(), "239.128.16.254");
    EXPECT_EQ(v->ttl(), 16);
    EXPECT_EQ(v->rport(), 5060);
}

TEST(ViaParser, RejectsBrokenValuesNamingTheProblem)
{
    EXPECT_FALSE(parseVia("SIP/2.0/UDP 192.0.2.15;;"));
    EXPECT_FALSE(parseVia("SIP/2.0 192.0.2.15"));
    EXPECT_FALSE(parseVia("SIP/2.0/UDP"));
    EXPECT_FALSE(parseVia("SIP/2.0/UDP host:99999"));
    EXPECT_FALSE(parseVia("SIP/2.0/UDP host;ttl=256"));
    EXPECT_FALSE(parseVia("SIP/2.0/UDP [2001:db8::1;branch=x"));
    auto e = parseVia("SIP/2.0/UDP 192.0.2.15;;");
    EXPECT_NE(e.error().what.find("Via"), std::string::npos);
    EXPECT_EQ(e.error().status, 400);
}

TEST(ViaParser, SerialisesCanonically)
{
    auto v = parseVia("sip / 2.0 / udp [::1] : 5060 ; branch = z9hG4bKx ; rport");
    ASSERT_TRUE(v) << v.error().what;
    EXPECT_EQ(v->toString(), "sip/2.0/UDP [::1]:5060;branch=z9hG4bKx;rport");
}

TEST(NameAddrParser, ReadsQuotedDisplayNameUriAndTag)
{
    auto a =
        parseNameAddr("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8");
    ASSERT_TRUE(a) << a.error().what;
    EXPECT_EQ(a->displayName, "J Rosenberg \\\"");
    EXPECT_EQ(a->uri.user, "jdrosen");
    EXPECT_EQ(a->tag(), "98asjd8");
}

TEST(NameAddrParser, ReadsTokenDisplayNamesWithoutSpaceBeforeAngle)
{
    auto a = parseNameAddr("caller<sip:caller@example.com>;tag=323");
    ASSERT_TRUE(a) << a.error().what;
    EXPECT_EQ(a->displayName, "caller");
    auto b = parseNameAddr("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;tag=_token~1'+`*%!-.");
    ASSERT_TRUE(b) << b.error().what;
    EXPECT_EQ(b->displayName, "token1~` token2'+_ token3*%!.-");
    EXPECT_EQ(b->tag(), "_token~1'+`*%!-.");
}

TEST(NameAddrParser, AddrSpecParamsBelongToTheHeader)
{
    auto a = parseNameAddr("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n");
    ASSERT_TRUE(a) << a.error().what;
    EXPECT_FALSE(a->angleBrackets);
    EXPECT_TRUE(a->uri.params.empty());
    EXPECT_EQ(a->tag(), "1918181833n");
    auto b = parseNameAddr("<sip:alice@example.com;transport=tcp>;tag=1");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->uri.param("transport"), "tcp");
    EXPECT_EQ(b->tag(), "1");
}

TEST(NameAddrParser, RejectsWhatMustBeBracketedOrQuoted)
{
    EXPECT_FALSE(parseNameAddr("sip:user@example.com?Route=%3Csip:sip.example.com%3E"));
    EXPECT_FALSE(parseNameAddr("Bell, Alexander <sip:a.g.bell@bell-tel.com>;tag=43"));
    EXPECT_FALSE(parseNameAddr("\"Mr. J. User <sip:j.user@example.com>"));
    EXPECT_FALSE(parseNameAddr("< sip:user@example.com >"));
    EXPECT_FALSE(parseNameAddr("<sip:user@example.com"));
    EXPECT_FALSE(parseNameAddr("\"Joe\" <sip:joe@example.org>;;;;"));
}

TEST(NameAddrParser, SerialisesWithQuotedDisplayName)
{
    auto a = parseNameAddr("Bob <sip:bob@biloxi.com>;tag=a6c85cf");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->toString(), "\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf");
}

TEST(ContactParser, ReadsStarListsExpiresAndQ)
{
    auto star = parseContacts({"*"});
    ASSERT_TRUE(star);
    EXPECT_TRUE(star->star);
    auto list = parseContacts({"<sip:a@host1>;q=0.7;expires=3600", "\"B\" <sip:b@host2>;q=1"});
    ASSERT_TRUE(list) << list.error().what;
    ASSERT_EQ(list->contacts.size(), 2u);
    EXPECT_EQ(*contactQ(list->contacts[0]), 700);
    EXPECT_EQ(*contactQ(list->contacts[1]), 1000);
    EXPECT_EQ(list->contacts[0].param("expires"), "3600");
}

TEST(ContactParser, RejectsStarWithAddressesAndBadScalars)
{
    EXPECT_FALSE(parseContacts({"*", "<sip:a@h>"}));
    EXPECT_FALSE(parseContacts({"<sip:a@h>;expires=280297596632815"}));
    EXPECT_FALSE(parseContacts({"<sip:a@h>;q=1.5"}));
    EXPECT_FALSE(parseContacts({"<sip:a@h>;q=0.1234"}));
}

TEST(CSeqParser, ReadsNumberAndMethodAcrossFolding)
{
    auto c = parseCSeq("0009\r\n  INVITE");
    ASSERT_TRUE(c) << c.error().what;
    EXPECT_EQ(c->sequence, 9u);
    EXPECT_EQ(c->method, Method::Invite);
    auto x = parseCSeq("4294967295 NEWMETHOD");
    ASSERT_TRUE(x);
    EXPECT_EQ(x->method, Method::Extension);
    EXPECT_EQ(x->methodText, "NEWMETHOD");
}

TEST(CSeqParser, RejectsOverflowAndMissingParts)
{
    EXPECT_FALSE(parseCSeq("36893488147419103232 REGISTER"));
    EXPECT_FALSE(parseCSeq("4294967296 INVITE"));
    EXPECT_FALSE(parseCSeq("INVITE"));
    EXPECT_FALSE(parseCSeq("1"));
    EXPECT_FALSE(parseCSeq("1 INVITE extra"));
}

TEST(ScalarParsers, EnforceRanges)
{
    EXPECT_EQ(*parseMaxForwards("0068"), 68u);
    EXPECT_FALSE(parseMaxForwards("300"));
    EXPECT_EQ(*parseUint32("4294967295", "Expires"), 4294967295u);
    EXPECT_FALSE(parseUint32("10000000000000000000000", "Expires"));
    EXPECT_FALSE(parseUint32("-1", "Expires"));
    auto e = parseUint32("x", "Min-Expires");
    EXPECT_NE(e.error().what.find("Min-Expires"), std::string::npos);
}

TEST(MediaTypeParser, ReadsTypeSubtypeAndParams)
{
    auto m = parseMediaType(
        "multipart/signed;protocol=\"application/pkcs7-signature\";micalg=sha1;boundary=boundary42");
    ASSERT_TRUE(m) << m.error().what;
    EXPECT_TRUE(m->is("multipart", "signed"));
    EXPECT_TRUE(m->is("multipart", "*"));
    EXPECT_EQ(m->param("boundary"), "boundary42");
    EXPECT_EQ(m->param("protocol"), "\"application/pkcs7-signature\"");
    EXPECT_TRUE(parseMediaType("Application/SDP")->is("application", "sdp"));
    EXPECT_FALSE(parseMediaType("application"));
    EXPECT_FALSE(parseMediaType("/sdp"));
}

TEST(AuthParser, ReadsDigestChallengeWithQuotedCommas)
{
    auto a = parseAuth("Digest realm=\"atlanta.example.com\", qop=\"auth,auth-int\", "
                       "nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", "
                       "opaque=\"\", stale=FALSE, algorithm=SHA-256",
                       "WWW-Authenticate");
    ASSERT_TRUE(a) << a.error().what;
    EXPECT_EQ(a->scheme, "Digest");
    EXPECT_EQ(a->param("realm"), "atlanta.example.com");
    EXPECT_EQ(a->param("qop"), "auth,auth-int");
    EXPECT_EQ(a->param("opaque"), "");
    EXPECT_EQ(a->param("algorithm"), "SHA-256");
    EXPECT_FALSE(parseAuth("Digest realm=\"x", "WWW-Authenticate"));
    EXPECT_FALSE(parseAuth("Digest realm", "WWW-Authenticate"));
}

TEST(ExtensionHeaders, ParseSessionExpiresRAckRetryAfterReplacesWarning)
{
    auto se = parseSessionExpires("1800;refresher=uac");
    ASSERT_TRUE(se);
    EXPECT_EQ(se->seconds, 1800u);
    EXPECT_EQ(se->refresher, "uac");
    auto ra = parseRAck("776656 1 INVITE");
    ASSERT_TRUE(ra);
    EXPECT_EQ(ra->rseq, 776656u);
    EXPECT_EQ(ra->method, Method::Invite);
    auto retry = parseRetryAfter("18000 (in a (nested) meeting);duration=3600");
    ASSERT_TRUE(retry) << retry.error().what;
    EXPECT_EQ(retry->seconds, 18000u);
    EXPECT_EQ(retry->comment, "in a (nested) meeting");
    EXPECT_FALSE(parseRetryAfter("949302838503028349304023988"));
    auto rep = parseReplaces("425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only");
    ASSERT_TRUE(rep);
    EXPECT_EQ(rep->callId, "425928@bobster.example.org");
    EXPECT_EQ(rep->toTag, "7743");
    EXPECT_TRUE(rep->earlyOnly);
    EXPECT_FALSE(parseReplaces("abc;to-tag=1"));
    auto w = parseWarning("370 devnull \"Choose a bigger pipe\"");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->code, 370);
    EXPECT_EQ(w->text, "Choose a bigger pipe");
    EXPECT_FALSE(parseWarning("1812 overture \"In Progress\""));
    auto ev = parseTokenParams("presence;id=12", "Event");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->token, "presence");
    EXPECT_EQ(ev->param("id"), "12");
    auto ss = parseTokenParams("active;expires=600", "Subscription-State");
    ASSERT_TRUE(ss);
    EXPECT_EQ(ss->param("expires"), "600");
}

TEST(ListSplitting, IgnoresCommasInsideQuotesAndAngleBrackets)
{
    auto parts = splitList("\"Doe, John\" <sip:j@x;a=b,c>, <sip:k@y> , *");
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0], "\"Doe, John\" <sip:j@x;a=b,c>");
    EXPECT_EQ(parts[1], "<sip:k@y>");
    EXPECT_EQ(parts[2], "*");
    EXPECT_EQ(splitList("a,,b").size(), 3u);
    EXPECT_EQ(firstOfList(" SIP/2.0/UDP a;branch=1 , SIP/2.0/UDP b"), "SIP/2.0/UDP a;branch=1");
    EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(ViaView, PointsIntoTheTextAndFindsTheBranchWhileChecking)
{
    const std::string text = "SIP/2.0/udp [2001:db8::1]:5062 ; rport ; Branch=z9hG4bKabc ;received=192.0.2.9";
    auto v = parseViaView(text);
    ASSERT_TRUE(v) << v.error().what;
    EXPECT_EQ(v->transport, "udp");
    EXPECT_EQ(v->host, "2001:db8::1");
    EXPECT_EQ(v->port, 5062);
    EXPECT_EQ(v->branch, "z9hG4bKabc");
    EXPECT_EQ(v->param("received"), "192.0.2.9");
    EXPECT_EQ(v->param("rport"), "");
    EXPECT_FALSE(v->param("maddr"));
    EXPECT_GE(v->branch.data(), text.data());
    EXPECT_LE(v->branch.data() + v->branch.size(), text.data() + text.size());
    EXPECT_FALSE(parseViaView("SIP/2.0/UDP host;ttl=999"));
    EXPECT_FALSE(parseViaView("SIP/2.0/UDP host;;branch=1"));
}

TEST(NameAddrView, SplitsDisplayNameUriAndParamsAndFindsTheTag)
{
    auto a = parseNameAddrView(
        "\"Alice \\\"A\\\" Liddell\" <sip:alice@atlanta.example.com;transport=tcp>;tag=9fx;x=\"a;b\"");
    ASSERT_TRUE(a) << a.error().what;
    EXPECT_EQ(a->displayName, "\"Alice \\\"A\\\" Liddell\"");
    EXPECT_EQ(a->uri, "sip:alice@atlanta.example.com;transport=tcp");
    EXPECT_EQ(a->tag, "9fx");
    EXPECT_EQ(a->param("x"), "\"a;b\"");
    auto b = parseNameAddrView("sip:bob@biloxi.example.com;tag=77");
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->angleBrackets);
    EXPECT_EQ(b->uri, "sip:bob@biloxi.example.com");
    EXPECT_EQ(b->tag, "77");
    EXPECT_EQ(findParamIn(";a=1;TAG=x;b", "tag"), "x");
    EXPECT_EQ(findParamIn(";a=1;b", "b"), "");
    EXPECT_FALSE(findParamIn(";a=1", "b"));
}
