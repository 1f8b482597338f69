// The certificate dialog of the settings page (issue 7) over a real PhoneController, offscreen:
// run by tests/app/settings_tofu.sh after SettingsTofu.* (skipped otherwise), on the profile
// they left (one TLS account at Kamailio, whose self-signed certificate is not trusted). The
// account's row offers "Inspect certificate…"; the dialog shows the fingerprint openssl printed;
// "Trust this certificate" registers the account at once; removing the account deletes the pin. With
// VPHONE_TOFU_SCREENSHOT=FILE the window with the dialog open is saved there
// (docs/screenshots/certificate.png). SIP 5921 on 127.0.0.1, no media.
#include "models/phone_controller.h"
#include "models/settings_controller.h"
#include "models_test_util.h"
#include "video_view.h"

#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTest>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

using test::waitFor;

QString env(const char* name)
{
    return QString::fromLocal8Bit(qgetenv(name));
}

} // namespace

TEST(SettingsTofuView, InspectTheCertificateAndTrustItFromTheAccountRow)
{
    const QString profile = env("VPHONE_TOFU_PROFILE");
    if (profile.isEmpty()) GTEST_SKIP() << "needs Kamailio over TLS: run tests/app/settings_tofu.sh";
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    ui::SettingsController settings(profile);
    {
        QSettings s(settings.iniPath(), QSettings::IniFormat);
        s.setValue(QStringLiteral("ui/assistantDone"), true);
    }
    settings.passwordStore().setDisabled(true);
    ui::PhoneController controller(settings.load());
    settings.setController(&controller);
    controller.setSettings(&settings);
    ASSERT_TRUE(controller.start()) << controller.lastProblem().toStdString();
    QQmlApplicationEngine engine;
    QStringList warnings;
    QObject::connect(&engine, &QQmlApplicationEngine::warnings, [&](const QList<QQmlError>& list) {
        for (const auto& e : list)
            warnings.append(e.toString());
    });
    engine.rootContext()->setContextProperty(QStringLiteral("phone"), &controller);
    vphone::app::VideoView::registerType();
    engine.load(QUrl(QStringLiteral("qrc:/Vphone/qml/Main.qml")));
    ASSERT_FALSE(engine.rootObjects().isEmpty());
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    ASSERT_NE(window, nullptr);
    window->requestActivate();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window));

    QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier);
    QObject* page = nullptr; // made the first time it opens
    ASSERT_TRUE(waitFor([&] {
        page = window->findChild<QObject*>(QStringLiteral("settingsPage"));
        return page && page->property("opened").toBool();
    }));
    QObject* list = page->findChild<QObject*>(QStringLiteral("accountList"));
    ASSERT_NE(list, nullptr);
    const auto inRow = [list](const QString& name) -> QObject* {
        QQuickItem* row = nullptr;
        QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, row), Q_ARG(int, 0));
        return row ? row->findChild<QObject*>(name) : nullptr;
    };
    const auto rowText = [&] {
        QObject* status = inRow(QStringLiteral("accountStatus0"));
        return status ? status->property("text").toString() : QString();
    };
    ASSERT_TRUE(waitFor([&] {
        return rowText() ==
               QStringLiteral("Certificate not trusted: the server's identity could not be verified · TLS");
    })) << rowText().toStdString();
    // The main window's status line says it too (not "transport error").
    EXPECT_TRUE(controller.accountStatus().contains(QLatin1String("certificate is not trusted")))
        << controller.accountStatus().toStdString();
    QObject* inspect = inRow(QStringLiteral("inspectCertificate0"));
    ASSERT_NE(inspect, nullptr);
    EXPECT_TRUE(inspect->property("visible").toBool());
    QMetaObject::invokeMethod(inspect, "clicked");

    QObject* dialog = window->findChild<QObject*>(QStringLiteral("certificateDialog"));
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(waitFor([&] { return dialog->property("opened").toBool(); }));
    QObject* fingerprint = dialog->findChild<QObject*>(QStringLiteral("certificateFingerprint"));
    ASSERT_NE(fingerprint, nullptr);
    EXPECT_EQ(fingerprint->property("text").toString(), env("VPHONE_TOFU_SHA256"));
    QObject* subject = dialog->findChild<QObject*>(QStringLiteral("certificateSubject"));
    ASSERT_NE(subject, nullptr);
    EXPECT_EQ(subject->property("text").toString(), QStringLiteral("127.0.0.1 (vphone tofu test)"));
    EXPECT_EQ(dialog->property("title").toString(), QStringLiteral("Certificate not trusted"));
    if (const QString shot = env("VPHONE_TOFU_SCREENSHOT"); !shot.isEmpty()) {
        QTest::qWait(300); // the dialog's open transition
        EXPECT_TRUE(window->grabWindow().save(shot)) << shot.toStdString();
    }

    QObject* trust = dialog->findChild<QObject*>(QStringLiteral("trustCertificate"));
    ASSERT_NE(trust, nullptr);
    QMetaObject::invokeMethod(trust, "clicked");
    EXPECT_TRUE(waitFor([&] { return rowText() == QStringLiteral("Registered · TLS"); }, 5000))
        << rowText().toStdString();
    EXPECT_TRUE(waitFor([&] { return !dialog->property("visible").toBool(); }));
    QObject* forget = inRow(QStringLiteral("forgetCertificate0"));
    ASSERT_NE(forget, nullptr);
    EXPECT_TRUE(forget->property("visible").toBool());
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join(QLatin1Char('\n')).toStdString();

    // Removing the account removes its trusted certificate from the profile too.
    const QString pem = ui::AccountListModel::pinPath(profile, settings.account(0).value("uri").toString());
    EXPECT_TRUE(QFile::exists(pem));
    ASSERT_TRUE(settings.removeAccount(0)) << settings.message().toStdString();
    EXPECT_FALSE(QFile::exists(pem));
}

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
