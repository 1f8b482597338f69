// The settings page and the first-run assistant (ui/app/qml) over a real PhoneController and
// SettingsController, offscreen, driven by keys and objectName as a user would: the assistant
// refuses a bad address in words, adds a good one (registered at a registrar on 127.0.0.1), or
// is skipped for direct IP calls; Ctrl+, opens the settings page showing the account's state.
// SIP 5866-5867 on 127.0.0.1 (the registrar on a free port), no media.
#include "models/phone_controller.h"
#include "models/settings_controller.h"
#include "models_test_util.h"
#include "sip/parser.h"
#include "sip/transaction_layer.h"
#include "video_view.h"

#include <QGuiApplication>
#include <QNetworkDatagram>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

using test::waitFor;

/// A registrar on a free loopback UDP port that accepts every REGISTER.
struct OkRegistrar {
    QUdpSocket socket;
    OkRegistrar()
    {
        EXPECT_TRUE(socket.bind(QHostAddress::LocalHost, 0));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] {
            while (socket.hasPendingDatagrams()) {
                const QNetworkDatagram d = socket.receiveDatagram();
                auto m = sip::parseMessage(d.data().toStdString());
                if (!m || !m->isRequest() || m->method() != sip::Method::Register) continue;
                sip::Message r = sip::TransactionLayer::buildResponse(*m, 200, "r1");
                for (const auto c : m->values(sip::HeaderId::Contact))
                    r.addHeader(sip::HeaderId::Contact, std::string(c) + ";expires=600");
                socket.writeDatagram(QByteArray::fromStdString(r.serialize()), d.senderAddress(),
                                     static_cast<quint16>(d.senderPort()));
            }
        });
    }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(socket.localPort()); }
};

void type(QQuickWindow* window, const char* text)
{
    for (const char* c = text; *c; ++c)
        QTest::keyClick(window, *c);
}

/// A profile with no account yet, its phone on 127.0.0.1:`port`, and Main.qml over it.
struct App {
    explicit App(int port)
    {
        {
            QSettings s(settings.iniPath(), QSettings::IniFormat);
            s.setValue(QStringLiteral("network/listen"),
                       QStringList{QStringLiteral("udp:127.0.0.1:%1").arg(port)});
            s.setValue(QStringLiteral("media/audioSource"), QStringLiteral("silence"));
            s.setValue(QStringLiteral("media/audioSink"), QStringLiteral("null"));
            s.setValue(QStringLiteral("media/videoSource"), QStringLiteral("off"));
        }
        settings.passwordStore().setDisabled(true);
        controller = std::make_unique<ui::PhoneController>(settings.load());
        settings.setController(controller.get());
        controller->setSettings(&settings);
        EXPECT_TRUE(controller->start());
        QObject::connect(&engine, &QQmlApplicationEngine::warnings, [this](const QList<QQmlError>& list) {
            for (const auto& e : list)
                warnings.append(e.toString());
        });
        engine.rootContext()->setContextProperty(QStringLiteral("phone"), controller.get());
        vphone::app::VideoView::registerType();
        engine.load(QUrl(QStringLiteral("qrc:/Vphone/qml/Main.qml")));
        if (!engine.rootObjects().isEmpty())
            window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    }
    QObject* find(const char* name) const { return window->findChild<QObject*>(QLatin1String(name)); }
    void click(const char* name) const
    {
        QObject* button = find(name);
        ASSERT_NE(button, nullptr) << name;
        QMetaObject::invokeMethod(button, "clicked");
    }

    QTemporaryDir dir;
    ui::SettingsController settings{dir.path()};
    std::unique_ptr<ui::PhoneController> controller;
    QQmlApplicationEngine engine;
    QStringList warnings;
    QQuickWindow* window = nullptr;
};

} // namespace

TEST(SettingsViews, AssistantRefusesABadAddressAddsAGoodOneAndCtrlCommaShowsItRegistered)
{
    OkRegistrar registrar;
    App app(5866);
    ASSERT_NE(app.window, nullptr);
    app.window->requestActivate();
    ASSERT_TRUE(QTest::qWaitForWindowActive(app.window));
    QObject* assistant = app.find("firstRunAssistant");
    ASSERT_NE(assistant, nullptr);
    ASSERT_TRUE(waitFor([&] { return assistant->property("opened").toBool(); }));

    // Typed into the address field (it has the focus): no '@', refused in words.
    // (the settings page's account dialog has the same form: this one is the assistant's)
    QObject* uri = assistant->findChild<QObject*>(QStringLiteral("accountUri"));
    ASSERT_NE(uri, nullptr);
    ASSERT_TRUE(waitFor([&] { return uri->property("activeFocus").toBool(); }));
    type(app.window, ("alice"));
    EXPECT_EQ(uri->property("text").toString(), QStringLiteral("alice"));
    app.click("assistantAdd");
    EXPECT_EQ(
        app.find("assistantError")->property("text").toString(),
        QStringLiteral("\"alice\" is not an address: write it as user@domain, e.g. alice@sip.example.com"));
    EXPECT_TRUE(assistant->property("visible").toBool());

    // Completed, with a password and the registrar: added, the phone registers.
    type(app.window, ("@127.0.0.1"));
    QTest::keyClick(app.window, Qt::Key_Tab);
    type(app.window, ("secret"));
    assistant->findChild<QObject*>(QStringLiteral("accountRegistrar"))
        ->setProperty("text", registrar.address());
    app.click("assistantAdd");
    ASSERT_TRUE(waitFor([&] { return !assistant->property("visible").toBool(); }));
    ASSERT_EQ(app.settings.accounts()->count(), 1);
    EXPECT_EQ(app.settings.account(0).value(QStringLiteral("uri")).toString(),
              QStringLiteral("sip:alice@127.0.0.1"));
    EXPECT_EQ(app.settings.load().accounts.value(0).settings.password, QStringLiteral("secret"));

    // Ctrl+, opens the settings page; the account's row says Registered.
    // (the page is made the first time it opens)
    EXPECT_EQ(app.find("settingsPage"), nullptr);
    QTest::keyClick(app.window, Qt::Key_Comma, Qt::ControlModifier);
    QObject* page = nullptr;
    ASSERT_TRUE(
        waitFor([&] { return (page = app.find("settingsPage")) && page->property("opened").toBool(); }));
    QObject* list = page->findChild<QObject*>(QStringLiteral("accountList"));
    ASSERT_NE(list, nullptr);
    const auto rowText = [list] {
        QQuickItem* row = nullptr;
        QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, row), Q_ARG(int, 0));
        QObject* status = row ? row->findChild<QObject*>(QStringLiteral("accountStatus0")) : nullptr;
        return status ? status->property("text").toString() : QString();
    };
    EXPECT_TRUE(waitFor([&] { return rowText() == QStringLiteral("Registered · UDP"); }))
        << rowText().toStdString();
    EXPECT_FALSE(app.window->grabWindow().isNull());
    // Ctrl+, again closes it (Escape is the window's hang-up key).
    QTest::keyClick(app.window, Qt::Key_Comma, Qt::ControlModifier);
    EXPECT_TRUE(waitFor([&] { return !page->property("visible").toBool(); }));
    EXPECT_TRUE(app.warnings.isEmpty()) << app.warnings.join(QLatin1Char('\n')).toStdString();
}

TEST(SettingsViews, SkippingTheAssistantLeavesDirectIpCallsAndItStaysAway)
{
    App app(5867);
    ASSERT_NE(app.window, nullptr);
    QObject* assistant = app.find("firstRunAssistant");
    ASSERT_NE(assistant, nullptr);
    ASSERT_TRUE(waitFor([&] { return assistant->property("opened").toBool(); }));
    app.click("assistantSkip");
    ASSERT_TRUE(waitFor([&] { return !assistant->property("visible").toBool(); }));
    EXPECT_FALSE(app.settings.firstRun());
    EXPECT_TRUE(QSettings(app.settings.iniPath(), QSettings::IniFormat)
                    .value(QStringLiteral("ui/assistantDone"))
                    .toBool());
    EXPECT_EQ(app.controller->phone().accounts().size(), 0);
    EXPECT_TRUE(app.controller->accountStatus().startsWith(QLatin1String("No account: direct IP calls on")));
    // The settings button of the sidebar opens the page, which says there is no account.
    app.click("settingsButton");
    EXPECT_TRUE(waitFor([&] {
        QObject* page = app.find("settingsPage");
        return page && page->property("opened").toBool();
    }));
    // Its conference switch (off: members only) turned on reaches the file and the running phone.
    QObject* referAny = app.find("conferenceReferFromAnyone");
    ASSERT_NE(referAny, nullptr);
    EXPECT_FALSE(referAny->property("checked").toBool());
    app.find("settingsPage")->setProperty("section", 3); // General
    EXPECT_TRUE(waitFor([&] { return referAny->property("visible").toBool(); }));
    if (const QString shot = qEnvironmentVariable("VPHONE_TEST_SCREENSHOT"); !shot.isEmpty())
        app.window->grabWindow().save(shot);
    referAny->setProperty("checked", true); // as a click does, then its toggled() signal
    QMetaObject::invokeMethod(referAny, "toggled");
    EXPECT_TRUE(app.settings.conferenceReferFromAnyone());
    EXPECT_TRUE(app.controller->phone().conferenceReferFromAnyone());
    EXPECT_TRUE(QSettings(app.settings.iniPath(), QSettings::IniFormat)
                    .value(QStringLiteral("conference/referFromAnyone"))
                    .toBool());
    EXPECT_TRUE(app.warnings.isEmpty()) << app.warnings.join(QLatin1Char('\n')).toStdString();
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
