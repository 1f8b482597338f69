// The STUN Binding client (RFC 5389 §7.2.1) on a virtual clock: retransmission times, the
// give-up bound, matching responses by transaction id, error responses, garbage ignored; and
// the "host[:port]" parser of the STUN server setting.
#include "net/stun_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace vphone::net;
using namespace std::chrono_literals;

namespace {

const stun::TransactionId kId{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
const stun::TransactionId kOther{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
const stun::TimePoint kT0{};

/// Runs the client on a virtual clock until it ends; returns the send times in ms from kT0.
std::vector<long> sendTimes(stun::BindingClient& c)
{
    std::vector<long> times;
    auto now = kT0;
    for (int guard = 0; guard < 100; ++guard) {
        while (auto tx = c.pollTransmit()) {
            EXPECT_EQ(stun::decode(*tx)->type, stun::kBindingRequest);
            times.push_back(
                static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(now - kT0).count()));
        }
        const auto next = c.nextTimeout();
        if (!next) break;
        EXPECT_GE(*next, now);
        now = *next;
        c.onTimeout(now);
    }
    return times;
}

} // namespace

TEST(StunClient, RetransmitsAtRfc5389TimesAndGivesUpAfter39500Ms)
{
    stun::BindingClient c(kId, kT0);
    EXPECT_EQ(sendTimes(c), (std::vector<long>{0, 500, 1500, 3500, 7500, 15500, 31500}));
    EXPECT_EQ(c.state(), stun::BindingClient::State::Failed);
    EXPECT_EQ(c.requestsSent(), 7);
    EXPECT_EQ(c.error(), "no answer after 7 requests in 39500 ms");
}

TEST(StunClient, GiveUpBoundEndsItEarly)
{
    stun::BindingClient c(kId, kT0, stun::BindingTimers{500ms, 7, 16, 1500ms});
    EXPECT_EQ(sendTimes(c), (std::vector<long>{0, 500}));
    EXPECT_EQ(c.state(), stun::BindingClient::State::Failed);
    EXPECT_EQ(c.error(), "no answer after 2 requests in 1500 ms");
    EXPECT_FALSE(c.nextTimeout());
}

TEST(StunClient, NothingIsSentBeforeItsTime)
{
    stun::BindingClient c(kId, kT0);
    ASSERT_TRUE(c.pollTransmit());
    EXPECT_FALSE(c.pollTransmit());
    c.onTimeout(kT0 + 499ms);
    EXPECT_FALSE(c.pollTransmit());
    c.onTimeout(kT0 + 500ms);
    EXPECT_TRUE(c.pollTransmit());
    EXPECT_EQ(*c.nextTimeout(), kT0 + 1500ms);
}

TEST(StunClient, SuccessWithItsIdEndsWithTheMappedAddress)
{
    stun::BindingClient c(kId, kT0);
    const auto request = c.pollTransmit();
    ASSERT_TRUE(request);
    EXPECT_EQ(stun::decode(*request)->id, kId);
    // Another transaction's answer is not ours.
    EXPECT_FALSE(c.receive(stun::bindingSuccess(kOther, {"192.0.2.9", 1000}), kT0 + 10ms));
    EXPECT_EQ(c.state(), stun::BindingClient::State::Running);
    EXPECT_TRUE(c.receive(stun::bindingSuccess(kId, {"198.51.100.7", 40000}), kT0 + 20ms));
    EXPECT_EQ(c.state(), stun::BindingClient::State::Succeeded);
    ASSERT_TRUE(c.mapped());
    EXPECT_EQ(*c.mapped(), (stun::MappedAddress{"198.51.100.7", 40000}));
    EXPECT_FALSE(c.nextTimeout());
    EXPECT_FALSE(c.pollTransmit());
    // A late duplicate changes nothing.
    EXPECT_FALSE(c.receive(stun::bindingSuccess(kId, {"203.0.113.1", 1}), kT0 + 600ms));
    EXPECT_EQ(c.mapped()->host, "198.51.100.7");
}

TEST(StunClient, Ipv6MappedAddress)
{
    stun::BindingClient c(kId, kT0);
    (void)c.pollTransmit();
    EXPECT_TRUE(c.receive(stun::bindingSuccess(kId, {"2001:db8::5", 5060}), kT0 + 1ms));
    EXPECT_EQ(*c.mapped(), (stun::MappedAddress{"2001:db8::5", 5060}));
}

TEST(StunClient, ErrorResponseEndsItWithTheCode)
{
    stun::BindingClient c(kId, kT0);
    (void)c.pollTransmit();
    EXPECT_FALSE(c.receive(stun::bindingError(kOther, 400, "Bad Request"), kT0 + 1ms));
    EXPECT_TRUE(c.receive(stun::bindingError(kId, 420, "Unknown Attribute"), kT0 + 2ms));
    EXPECT_EQ(c.state(), stun::BindingClient::State::Failed);
    EXPECT_EQ(c.errorCode(), 420);
    EXPECT_EQ(c.error(), "error response 420");
}

TEST(StunClient, GarbageAndRequestsAreIgnored)
{
    stun::BindingClient c(kId, kT0);
    (void)c.pollTransmit();
    EXPECT_FALSE(c.receive("", kT0));
    EXPECT_FALSE(c.receive("SIP/2.0 200 OK\r\n\r\n", kT0));
    EXPECT_FALSE(c.receive(std::string(20, '\0'), kT0));
    std::string truncated = stun::bindingSuccess(kId, {"192.0.2.1", 9});
    truncated.resize(truncated.size() - 4);
    EXPECT_FALSE(c.receive(truncated, kT0));
    std::string corrupted = stun::bindingSuccess(kId, {"192.0.2.1", 9});
    corrupted[27] = static_cast<char>(corrupted[27] ^ 0x01); // address byte: FINGERPRINT no longer matches
    EXPECT_FALSE(c.receive(corrupted, kT0));
    EXPECT_FALSE(c.receive(stun::bindingRequest(kId), kT0)); // our own request reflected
    EXPECT_EQ(c.state(), stun::BindingClient::State::Running);
    // Still retransmits on time afterwards.
    c.onTimeout(kT0 + 500ms);
    EXPECT_TRUE(c.pollTransmit());
}

TEST(StunClient, SuccessWithoutAddressFails)
{
    // A bare success header (no attributes) has no mapped address.
    std::string noAddress = stun::bindingRequest(kId);
    noAddress[0] = 0x01; // type 0x0101: Binding success
    noAddress.resize(20);
    noAddress[2] = 0;
    noAddress[3] = 0;
    stun::BindingClient c(kId, kT0);
    (void)c.pollTransmit();
    EXPECT_TRUE(c.receive(noAddress, kT0 + 1ms));
    EXPECT_EQ(c.state(), stun::BindingClient::State::Failed);
    EXPECT_EQ(c.error(), "success response without a mapped address");
}

TEST(StunServerSetting, ParsesHostAndPortForms)
{
    std::string error;
    EXPECT_EQ(*stun::parseServer("stun.example.org", &error), (stun::Server{"stun.example.org", 3478}));
    EXPECT_EQ(*stun::parseServer(" 127.0.0.1:3479 ", &error), (stun::Server{"127.0.0.1", 3479}));
    EXPECT_EQ(*stun::parseServer("[::1]:19302", &error), (stun::Server{"::1", 19302}));
    EXPECT_EQ(*stun::parseServer("[::1]", &error), (stun::Server{"::1", 3478}));
    EXPECT_EQ(*stun::parseServer("2001:db8::1", &error), (stun::Server{"2001:db8::1", 3478}));
    EXPECT_EQ(*stun::parseServer("stun:stun.example.org:3480", &error),
              (stun::Server{"stun.example.org", 3480}));
    EXPECT_EQ(stun::toString({"::1", 3478}), "[::1]:3478");
    EXPECT_EQ(stun::toString({"127.0.0.1", 3478}), "127.0.0.1:3478");
}

TEST(StunServerSetting, RefusesBadValuesInPlainWords)
{
    std::string error;
    EXPECT_FALSE(stun::parseServer("", &error));
    EXPECT_EQ(error, "the STUN server has no host (write host or host:port)");
    EXPECT_FALSE(stun::parseServer(":3478", &error));
    EXPECT_EQ(error, "the STUN server has no host (write host or host:port)");
    EXPECT_FALSE(stun::parseServer("host:70000", &error));
    EXPECT_EQ(error, "the STUN server port 70000 is out of range (1-65535)");
    EXPECT_FALSE(stun::parseServer("host:0", &error));
    EXPECT_EQ(error, "the STUN server port 0 is out of range (1-65535)");
    EXPECT_FALSE(stun::parseServer("host:abc", &error));
    EXPECT_EQ(error, "the STUN server port 'abc' is not a number");
    EXPECT_FALSE(stun::parseServer("host:", &error));
    EXPECT_FALSE(stun::parseServer("[::1", &error));
    EXPECT_FALSE(stun::parseServer("bad host", &error));
}
