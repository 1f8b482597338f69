// UDP keep-alive (RFC 5626 §4.4.2) over real loopback sockets: STUN Binding requests to the
// registrar from the SIP socket while registered, their answers told apart from SIP, and a
// re-REGISTER when the answers stop or the mapped address changes. The interval is shortened to
// 200 ms (the CLI's minimum is 1 s); waits are bounded, nothing asserts on timing.
#include "../net/net_test_support.h"
#include "fake_registrar.h"
#include "ua/ua_driver.h"

#include <gtest/gtest.h>

using namespace vphone;
using namespace std::chrono_literals;
using test::spec;
using test::waitFor;

namespace {

struct KeepAlive : ::testing::Test {
    test::FakeRegistrar registrar;
    ua::UaDriver driver;
    std::vector<QString> changes;
    std::vector<QString> problems;
    bool registered = false;

    void start(std::chrono::milliseconds interval)
    {
        driver.setNetworkPollInterval(0ms);
        driver.setKeepAliveInterval(interval);
        QObject::connect(&driver, &ua::UaDriver::networkChanged,
                         [this](const QString& why) { changes.push_back(why); });
        QObject::connect(&driver, &ua::UaDriver::problem,
                         [this](const QString& what) { problems.push_back(what); });
        QObject::connect(&driver, &ua::UaDriver::registrationChanged,
                         [this](ua::AccountId, const sip::RegistrationChanged& e) {
                             registered = e.state == sip::RegistrationState::Registered;
                         });
        QString error;
        ASSERT_TRUE(driver.listen({spec("udp:127.0.0.1:0")}, &error)) << error.toStdString();
        sip::UaConfig config;
        config.account = *sip::parseUri(registrar.uri("alice").toStdString());
        config.registerExpires = 600;
        driver.start(config);
        driver.registerAccount();
        ASSERT_TRUE(waitFor([&] { return registered; }));
    }
};

} // namespace

TEST_F(KeepAlive, BindingRequestsGoToTheRegistrarAndTheirAnswersAreNotSip)
{
    start(200ms);
    ASSERT_TRUE(waitFor([&] { return registrar.stunRequests >= 3; }));
    EXPECT_TRUE(problems.empty()) << problems.front().toStdString(); // no "malformed message"
    EXPECT_TRUE(changes.empty());
    EXPECT_EQ(registrar.registers.size(), 1u);
}

TEST_F(KeepAlive, UnansweredBindingsAfterAnsweredOnesMakeTheAccountRegisterAgain)
{
    start(200ms);
    ASSERT_TRUE(waitFor([&] { return registrar.stunRequests >= 2; }));
    registrar.answerStun = false; // the flow broke
    ASSERT_TRUE(waitFor([&] { return registrar.registers.size() >= 2; }));
    ASSERT_FALSE(changes.empty());
    EXPECT_EQ(changes[0],
              QStringLiteral("keep-alive: no STUN answer from 127.0.0.1:%1").arg(registrar.port()));
}

TEST_F(KeepAlive, AChangedMappedAddressMakesTheAccountRegisterAgain)
{
    start(200ms);
    ASSERT_TRUE(waitFor([&] { return registrar.stunRequests >= 2; }));
    registrar.mappedOverride = net::stun::MappedAddress{"203.0.113.5", 40000}; // the NAT rebound us
    ASSERT_TRUE(waitFor([&] { return registrar.registers.size() >= 2; }));
    ASSERT_FALSE(changes.empty());
    EXPECT_EQ(
        changes[0],
        QStringLiteral("keep-alive: 127.0.0.1:%1 now sees us as 203.0.113.5:40000").arg(registrar.port()));
}

TEST_F(KeepAlive, AServerThatNeverAnswersStunIsNotTakenForAFailedFlow)
{
    registrar.answerStun = false;
    start(200ms);
    ASSERT_TRUE(waitFor([&] { return registrar.stunRequests >= 5; }));
    EXPECT_TRUE(changes.empty());
    EXPECT_EQ(registrar.registers.size(), 1u);
}

TEST_F(KeepAlive, ZeroIntervalSendsNothing)
{
    start(0ms);
    ASSERT_FALSE(waitFor([&] { return registrar.stunRequests > 0; })); // 5 s bound
}
