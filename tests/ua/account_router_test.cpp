// Which account's user agent gets a received message when several share one socket.
#include "ua/account_router.h"

#include "sip/parser.h"

#include <gtest/gtest.h>

using vphone::ua::AccountKey;
using vphone::ua::branchTagFor;
using vphone::ua::routeToAccount;

namespace {

const std::vector<AccountKey> kAccounts{
    {branchTagFor(0), "alice", "example.test"},
    {branchTagFor(1), "bob", "example.test"},
    {branchTagFor(2), "alice", "other.test"},
    {branchTagFor(10), "carol", "example.test"},
};

vphone::sip::Message parse(const std::string& text)
{
    auto m = vphone::sip::parseMessage(text);
    EXPECT_TRUE(m) << text;
    return *m;
}

vphone::sip::Message response(const std::string& branch)
{
    return parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch +
                 "\r\nFrom: <sip:alice@example.test>;tag=1\r\nTo: <sip:alice@example.test>;tag=2\r\n"
                 "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
}

vphone::sip::Message invite(const std::string& requestUri, const std::string& to)
{
    return parse("INVITE " + requestUri +
                 " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKp1\r\n"
                 "From: <sip:dave@example.test>;tag=9\r\nTo: " +
                 to +
                 "\r\nCall-ID: c2\r\nCSeq: 1 INVITE\r\n"
                 "Max-Forwards: 70\r\nContact: <sip:dave@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n");
}

} // namespace

TEST(AccountRouter, TagsAreNoPrefixOfEachOtherFollowedByAHexToken)
{
    EXPECT_EQ(branchTagFor(1), "a1x");
    EXPECT_EQ(routeToAccount(response("z9hG4bKa1x0123456789abcdef"), kAccounts), 1u);
    EXPECT_EQ(routeToAccount(response("z9hG4bKa10x0123456789abcdef"), kAccounts), 3u);
    EXPECT_EQ(routeToAccount(response("z9hG4bKa2x0123456789abcdef"), kAccounts), 2u);
}

TEST(AccountRouter, ResponsesWithAnUnknownBranchGoToTheFirstAccount)
{
    EXPECT_EQ(routeToAccount(response("z9hG4bK0123456789abcdef"), kAccounts), 0u);
    EXPECT_EQ(routeToAccount(response("a1x-not-rfc3261"), kAccounts), 0u);
}

TEST(AccountRouter, RequestsGoToTheAccountTheRequestUriNames)
{
    // A proxy's lookup() rewrites the Request-URI to the registered Contact (user = account user).
    EXPECT_EQ(routeToAccount(invite("sip:bob@127.0.0.1:5242", "<sip:bob@example.test>"), kAccounts), 1u);
    EXPECT_EQ(routeToAccount(invite("sip:carol@127.0.0.1:5242", "<sip:x@example.test>"), kAccounts), 3u);
}

TEST(AccountRouter, TheToHostSeparatesTwoAccountsWithTheSameUser)
{
    EXPECT_EQ(routeToAccount(invite("sip:alice@127.0.0.1:5242", "<sip:alice@other.test>"), kAccounts), 2u);
    EXPECT_EQ(routeToAccount(invite("sip:alice@127.0.0.1:5242", "<sip:alice@example.test>"), kAccounts), 0u);
}

TEST(AccountRouter, WithoutAUserInTheRequestUriTheToHeaderDecides)
{
    EXPECT_EQ(routeToAccount(invite("sip:127.0.0.1:5242", "<sip:bob@example.test>"), kAccounts), 1u);
    EXPECT_EQ(routeToAccount(invite("sip:127.0.0.1:5242", "<sip:carol@elsewhere.test>"), kAccounts), 3u);
}

TEST(AccountRouter, UnknownUsersGoToTheFirstAccount)
{
    EXPECT_EQ(routeToAccount(invite("sip:nobody@127.0.0.1:5242", "<sip:nobody@example.test>"), kAccounts),
              0u);
}

TEST(AccountRouter, ALoneUaGetsEverything)
{
    const std::vector<AccountKey> one{{"", "bob", "example.test"}};
    EXPECT_EQ(routeToAccount(invite("sip:bob@127.0.0.1", "<sip:bob@example.test>"), one), 0u);
    EXPECT_EQ(routeToAccount(response("z9hG4bKa1x0123"), one), 0u);
}
