// UaDriver's network watch over real loopback sockets, with the route probe, the interface list
// and the wall clock injected: a new local address, a wake from sleep and a changed interface set
// each make the account re-register at once.
#include "../net/net_test_support.h"
#include "fake_registrar.h"
#include "sip/parser.h"
#include "sip/transaction_layer.h"
#include "ua/ua_driver.h"

#include <gtest/gtest.h>

using namespace vphone;
using namespace std::chrono_literals;
using test::spec;
using test::waitFor;

namespace {

struct Watch : ::testing::Test {
    test::FakeRegistrar registrar;
    ua::UaDriver driver;
    QHostAddress route{QHostAddress::LocalHost};
    QList<QHostAddress> interfaces{QHostAddress(QHostAddress::LocalHost)};
    qint64 wall = 1'000'000'000'000;
    std::vector<QString> changes;
    bool registered = false;

    void SetUp() override
    {
        driver.setNetworkPollInterval(0ms); // the test calls checkNetwork() itself
        driver.setAddressProbe([this](const QHostAddress&) { return route; });
        driver.setInterfaceAddressSource([this] { return interfaces; });
        driver.setWallClock([this] { return wall; });
        QObject::connect(&driver, &ua::UaDriver::networkChanged,
                         [this](const QString& why) { changes.push_back(why); });
        QObject::connect(&driver, &ua::UaDriver::registrationChanged,
                         [this](ua::AccountId, const sip::RegistrationChanged& e) {
                             registered = e.state == sip::RegistrationState::Registered;
                         });
        QString error;
        ASSERT_TRUE(driver.listen({spec("udp:0.0.0.0:0")}, &error)) << error.toStdString();
        sip::UaConfig config;
        config.account = *sip::parseUri(registrar.uri("alice").toStdString());
        config.registerExpires = 600;
        driver.start(config);
        driver.registerAccount();
        ASSERT_TRUE(waitFor([&] { return registered; }));
        ASSERT_EQ(registrar.registers.size(), 1u);
        port = std::to_string(driver.boundAddresses().at(0).port);
    }
    /// Our Contact from this address.
    std::string contact(const char* host) const
    {
        return "<sip:alice@" + std::string(host) + ":" + port + ";transport=udp>";
    }
    std::string port;
};

} // namespace

TEST_F(Watch, AWildcardSocketUsesTheSourceAddressTowardTheRegistrar)
{
    EXPECT_EQ(registrar.contacts(0), (std::vector<std::string>{contact("127.0.0.1")}));
    EXPECT_EQ(driver.localAddresses(0).at(0).host, "127.0.0.1");
}

TEST_F(Watch, ANewLocalAddressReRegistersAtOnceAndRemovesTheOldContact)
{
    route = QHostAddress(QStringLiteral("127.0.0.2"));
    driver.checkNetwork();
    ASSERT_TRUE(waitFor([&] { return registrar.registers.size() == 2 && registered; }));
    EXPECT_EQ(registrar.contacts(1),
              (std::vector<std::string>{contact("127.0.0.2"), contact("127.0.0.1") + ";expires=0"}));
    EXPECT_EQ(registrar.registers[1].topVia()->host, "127.0.0.2");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_TRUE(changes[0].contains(QStringLiteral("local address changed (now 127.0.0.2)")));

    driver.checkNetwork(); // nothing changed since: nothing happens
    EXPECT_EQ(changes.size(), 1u);
}

TEST_F(Watch, AWakeFromSleepReRegisters)
{
    wall += 600'000; // ten minutes passed on the wall clock, none on the monotonic one
    driver.checkNetwork();
    ASSERT_TRUE(waitFor([&] { return registrar.registers.size() == 2; }));
    EXPECT_EQ(registrar.contacts(1), (std::vector<std::string>{contact("127.0.0.1")}));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0], QStringLiteral("woke from sleep"));
}

TEST_F(Watch, AChangedInterfaceSetReRegisters)
{
    interfaces.append(QHostAddress(QStringLiteral("192.0.2.77")));
    driver.checkNetwork();
    ASSERT_TRUE(waitFor([&] { return registrar.registers.size() == 2; }));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0], QStringLiteral("interface addresses changed"));
}

TEST(WakeCheck, TellsSleepFromAnOrdinaryTick)
{
    using ua::UaDriver;
    EXPECT_FALSE(UaDriver::looksLikeWake(5000ms, 5010ms, 5000ms));
    EXPECT_TRUE(UaDriver::looksLikeWake(5000ms, 305000ms, 5000ms)); // suspended: only the wall clock ran
    EXPECT_TRUE(UaDriver::looksLikeWake(65000ms, 65000ms, 5000ms)); // the timer fired a minute late
    EXPECT_FALSE(UaDriver::looksLikeWake(5000ms, -3000ms, 5000ms)); // the wall clock was set back
}
