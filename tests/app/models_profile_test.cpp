// The profile's settings file (ui/models/profile_config.h) and an account registered through
// PhoneController at a fake registrar on 127.0.0.1 (a free port): the status line says so in
// plain words, and a number typed in the dial bar goes out through the account's dial plan.
#include "../ua/fake_registrar.h"
#include "models/phone_controller.h"
#include "models/profile_config.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

template <class Pred> bool waitFor(Pred pred)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return pred();
}

} // namespace

TEST(ProfileConfig, TheSettingsFileGivesAccountsDialPlanListenAndMedia)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("vphone.ini"));
    {
        QSettings s(path, QSettings::IniFormat);
        s.setValue(QStringLiteral("network/listen"),
                   QStringList{QStringLiteral("udp:127.0.0.1:5616"), QStringLiteral("tcp:127.0.0.1:5616")});
        s.setValue(QStringLiteral("network/rtpPorts"), QStringLiteral("12540-12549"));
        s.setValue(QStringLiteral("media/codecs"), QStringLiteral("pcmu,telephone-event"));
        s.setValue(QStringLiteral("media/videoSource"), QStringLiteral("testsrc:320x180@15"));
        s.setValue(QStringLiteral("media/srtp"), QStringLiteral("sometimes"));
        s.beginWriteArray(QStringLiteral("accounts"));
        s.setArrayIndex(0);
        s.setValue(QStringLiteral("uri"), QStringLiteral("sip:alice@example.test"));
        s.setValue(QStringLiteral("displayName"), QStringLiteral("Alice"));
        s.setValue(QStringLiteral("password"), QStringLiteral("secret"));
        s.setValue(QStringLiteral("transport"), QStringLiteral("TLS"));
        s.setValue(QStringLiteral("internationalPrefix"), QStringLiteral("00"));
        s.setArrayIndex(1);
        s.setValue(QStringLiteral("uri"), QStringLiteral("sip:bob@example.org"));
        s.setValue(QStringLiteral("transport"), QStringLiteral("carrier pigeon"));
        s.endArray();
    }
    QSettings s(path, QSettings::IniFormat);
    QStringList errors;
    const ui::ProfileConfig c = ui::loadProfileConfig(s, &errors);
    EXPECT_EQ(c.listen,
              (QStringList{QStringLiteral("udp:127.0.0.1:5616"), QStringLiteral("tcp:127.0.0.1:5616")}));
    EXPECT_EQ(c.media.rtpPorts.min, 12540);
    EXPECT_EQ(c.media.rtpPorts.max, 12549);
    EXPECT_EQ(c.media.codecs, (std::vector<std::string>{"pcmu", "telephone-event"}));
    EXPECT_EQ(c.media.videoSource, "testsrc:320x180@15");
    ASSERT_EQ(c.accounts.size(), 2);
    EXPECT_EQ(c.accounts[0].settings.displayName, QLatin1String("Alice"));
    EXPECT_EQ(c.accounts[0].settings.password, QLatin1String("secret"));
    EXPECT_EQ(c.accounts[0].transport, QLatin1String("tls"));
    EXPECT_EQ(c.accounts[0].plan.domain, QLatin1String("example.test"));
    EXPECT_EQ(c.accounts[0].plan.internationalPrefix, QLatin1String("00"));
    EXPECT_EQ(c.accounts[1].transport, QLatin1String("udp"));
    ASSERT_EQ(errors.size(), 2) << errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(errors[0].startsWith(QLatin1String("media/srtp: ")));
    EXPECT_EQ(errors[1], QLatin1String("accounts/2/transport: must be udp, tcp or tls"));
    for (const QString& e : errors)
        EXPECT_FALSE(e.contains(QLatin1String("secret")));
}

TEST(ProfileConfig, AnEmptyFileMeansDirectCallsOnPort5060AndTheDevices)
{
    QTemporaryDir dir;
    QSettings s(dir.filePath(QStringLiteral("vphone.ini")), QSettings::IniFormat);
    QStringList errors;
    const ui::ProfileConfig c = ui::loadProfileConfig(s, &errors);
    EXPECT_TRUE(errors.isEmpty());
    EXPECT_EQ(c.listen, QStringList{QStringLiteral("udp:0.0.0.0:5060")});
    EXPECT_TRUE(c.accounts.isEmpty());
    EXPECT_EQ(c.media.videoSource, "device");
    EXPECT_EQ(c.media.audioSource, "device");
    EXPECT_EQ(c.media.audioSink, "device");
}

TEST(PhoneController, AnAccountRegistersAndNumbersGoThroughItsDialPlan)
{
    test::FakeRegistrar registrar;
    ui::ProfileConfig c;
    c.listen = {QStringLiteral("udp:127.0.0.1:5617")};
    c.media.rtpPorts = {12540, 12559};
    c.media.videoSource = "off";
    ui::ProfileAccount a;
    a.settings.uri = registrar.uri("alice");
    a.plan.domain = QStringLiteral("127.0.0.1:%1").arg(registrar.port());
    a.plan.internationalPrefix = QStringLiteral("00");
    c.accounts = {a};
    ui::PhoneController phone(c);
    ASSERT_TRUE(phone.start()) << phone.lastProblem().toStdString();
    ASSERT_TRUE(waitFor([&] { return phone.accountLevel() == QLatin1String("ok"); }))
        << phone.accountStatus().toStdString();
    EXPECT_EQ(phone.accountStatus(), QStringLiteral("Registered as %1").arg(registrar.uri("alice")));
    EXPECT_EQ(registrar.registers.size(), 1u);

    ASSERT_TRUE(phone.dial(QStringLiteral("+49 (30) 1234"), false)) << phone.lastProblem().toStdString();
    ASSERT_NE(phone.currentCall(), nullptr);
    EXPECT_EQ(phone.currentCall()->peerUri(),
              QStringLiteral("sip:0049301234@127.0.0.1:%1;user=phone").arg(registrar.port()));
    phone.hangUp();
}
