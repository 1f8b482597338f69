// Trust on first use through the settings model (issue 7), against Kamailio over TLS with a
// self-signed certificate made by openssl (tests/app/settings_tofu.sh runs these in two phases,
// restarting Kamailio with a new certificate in between; skipped unless it does):
//  TrustOnFirstUse: an account added over TLS says "Certificate not trusted"; inspecting it gives
//    the fingerprint `openssl x509 -fingerprint -sha256` printed; trusting it registers at once and
//    stores the PEM in the profile; a new controller on the same profile registers with no prompt.
//  CertificateChanged: the server now has another certificate: "the server's certificate changed
//    since you trusted it", both fingerprints in the details, not registered; forgetting the pin
//    goes back to "Certificate not trusted", and the stored file is gone.
// The phone listens on 127.0.0.1:5921 (RTP 13500-13519); Kamailio on tls:127.0.0.1:5920.
#include "models/account_list_model.h"
#include "models/phone_controller.h"
#include "models/settings_controller.h"
#include "models_test_util.h"
#include "net/tls_config.h"

#include <QFile>
#include <QGuiApplication>
#include <QSettings>

#include <gtest/gtest.h>

using namespace vphone;
using ui::SettingsController;

namespace {

using test::waitFor;

QString env(const char* name)
{
    return QString::fromLocal8Bit(qgetenv(name));
}

/// A controller on 127.0.0.1:5921 over the profile in `dir` (kept between phases).
struct Rig {
    explicit Rig(const QString& dir) : settings(dir)
    {
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // never a real keychain in tests
        {
            QSettings s(settings.iniPath(), QSettings::IniFormat);
            s.setValue(QStringLiteral("network/listen"), QStringList{QStringLiteral("udp:127.0.0.1:5921")});
            s.setValue(QStringLiteral("network/rtpPorts"), QStringLiteral("13500-13519"));
            s.setValue(QStringLiteral("media/audioSource"), QStringLiteral("silence"));
            s.setValue(QStringLiteral("media/audioSink"), QStringLiteral("null"));
            s.setValue(QStringLiteral("media/videoSource"), QStringLiteral("off"));
        }
        settings.passwordStore().setDisabled(true);
        controller = std::make_unique<ui::PhoneController>(settings.load());
        settings.setController(controller.get());
        EXPECT_TRUE(controller->start()) << controller->lastProblem().toStdString();
    }
    ui::AccountListModel& accounts() { return *settings.accounts(); }
    SettingsController settings;
    std::unique_ptr<ui::PhoneController> controller;
};

const QString kNotTrusted =
    QStringLiteral("Certificate not trusted: the server's identity could not be verified");
const QString kChanged = QStringLiteral("The server's certificate changed since you trusted it");

bool settled(ui::AccountListModel& m)
{
    return m.level(0) == QLatin1String("error") || m.level(0) == QLatin1String("ok");
}

} // namespace

TEST(SettingsTofu, TrustOnFirstUse)
{
    const QString port = env("VPHONE_TOFU_PORT");
    if (port.isEmpty()) GTEST_SKIP() << "needs Kamailio over TLS: run tests/app/settings_tofu.sh";
    const QString profile = env("VPHONE_TOFU_PROFILE");
    const QString sha256 = env("VPHONE_TOFU_SHA256");
    const QString server = QStringLiteral("127.0.0.1:%1").arg(port);
    const QString uri = QStringLiteral("sip:alice@") + server;
    {
        Rig rig(profile);
        ASSERT_TRUE(
            rig.settings.saveAccount(-1, {{QStringLiteral("uri"), uri},
                                          {QStringLiteral("password"), QStringLiteral("alice-secret")},
                                          {QStringLiteral("registrar"), server},
                                          {QStringLiteral("transport"), QStringLiteral("tls")}}))
            << rig.settings.message().toStdString();
        ui::AccountListModel& m = rig.accounts();
        ASSERT_TRUE(waitFor([&] { return settled(m); })) << m.statusText(0).toStdString();
        EXPECT_EQ(m.statusText(0), kNotTrusted);
        EXPECT_EQ(m.level(0), QStringLiteral("error"));
        EXPECT_TRUE(m.data(m.index(0), ui::AccountListModel::CertificateProblemRole).toBool());
        EXPECT_FALSE(m.hasTrustedCertificate(0));

        const QVariantMap cert = m.inspectCertificate(0);
        EXPECT_EQ(cert.value(QStringLiteral("sha256")).toString(), sha256);
        EXPECT_EQ(cert.value(QStringLiteral("host")).toString(), QStringLiteral("127.0.0.1"));
        EXPECT_EQ(cert.value(QStringLiteral("subject")).toString(), QStringLiteral("127.0.0.1"));
        EXPECT_EQ(cert.value(QStringLiteral("organization")).toString(), QStringLiteral("vphone tofu test"));
        EXPECT_TRUE(cert.value(QStringLiteral("selfSigned")).toBool());
        EXPECT_FALSE(cert.value(QStringLiteral("changed")).toBool());
        EXPECT_FALSE(cert.value(QStringLiteral("validTo")).toString().isEmpty());
        EXPECT_FALSE(cert.value(QStringLiteral("errors")).toStringList().isEmpty());
        EXPECT_EQ(cert.value(QStringLiteral("uri")).toString(),
                  rig.settings.account(0).value("uri").toString());

        ASSERT_TRUE(m.trustCertificate(0)) << m.lastError().toStdString();
        // Re-registers at once, over the pinned certificate.
        EXPECT_TRUE(waitFor([&] { return m.statusText(0) == QLatin1String("Registered"); }, 5000))
            << m.statusText(0).toStdString();
        EXPECT_TRUE(m.hasTrustedCertificate(0));
        EXPECT_TRUE(m.inspectCertificate(0).isEmpty());
        const QString pem =
            ui::AccountListModel::pinPath(profile, rig.settings.account(0).value("uri").toString());
        QString error;
        const auto stored = net::loadCertificates(pem, &error);
        ASSERT_TRUE(stored) << error.toStdString();
        EXPECT_EQ(net::sha256Fingerprint(stored->first()), sha256);
        QFile file(pem);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        EXPECT_FALSE(file.readAll().contains("PRIVATE KEY"));
        rig.controller.reset(); // unregisters as the app would on exit
    }
    {
        // The same profile again: the pin is applied before the first handshake, no prompt.
        Rig rig(profile);
        ui::AccountListModel& m = rig.accounts();
        ASSERT_TRUE(waitFor([&] { return settled(m); })) << m.statusText(0).toStdString();
        EXPECT_EQ(m.statusText(0), QStringLiteral("Registered"));
        EXPECT_TRUE(m.inspectCertificate(0).isEmpty());
    }
}

TEST(SettingsTofu, CertificateChanged)
{
    const QString port = env("VPHONE_TOFU_PORT");
    if (port.isEmpty()) GTEST_SKIP() << "needs Kamailio over TLS: run tests/app/settings_tofu.sh";
    const QString profile = env("VPHONE_TOFU_PROFILE");
    Rig rig(profile);
    ui::AccountListModel& m = rig.accounts();
    ASSERT_EQ(m.count(), 1);
    ASSERT_TRUE(waitFor([&] { return settled(m); })) << m.statusText(0).toStdString();
    EXPECT_EQ(m.statusText(0), kChanged);
    EXPECT_EQ(m.level(0), QStringLiteral("error"));
    const QVariantMap cert = m.inspectCertificate(0);
    EXPECT_TRUE(cert.value(QStringLiteral("changed")).toBool());
    EXPECT_EQ(cert.value(QStringLiteral("sha256")).toString(), env("VPHONE_TOFU_SHA256"));
    EXPECT_EQ(cert.value(QStringLiteral("trustedSha256")).toString(), env("VPHONE_TOFU_TRUSTED"));
    // It stays refused: registering again changes nothing.
    rig.controller->phone().accounts().first()->registerAccount();
    ASSERT_TRUE(waitFor([&] { return m.statusText(0) == kChanged; }));
    EXPECT_NE(m.statusText(0), QStringLiteral("Registered"));

    // Forgetting the pin: back to a first meeting.
    ASSERT_TRUE(m.forgetCertificate(0)) << m.lastError().toStdString();
    EXPECT_FALSE(m.hasTrustedCertificate(0));
    EXPECT_FALSE(QFile::exists(
        ui::AccountListModel::pinPath(profile, rig.settings.account(0).value("uri").toString())));
    ASSERT_TRUE(waitFor([&] { return m.statusText(0) == kNotTrusted; })) << m.statusText(0).toStdString();
    EXPECT_FALSE(m.inspectCertificate(0).value(QStringLiteral("changed")).toBool());
    EXPECT_EQ(m.inspectCertificate(0).value(QStringLiteral("sha256")).toString(), env("VPHONE_TOFU_SHA256"));
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
