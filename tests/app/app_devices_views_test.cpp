// The settings page's devices section (ui/app/qml/SettingsPage.qml) over a real SettingsController
// and PhoneController (SIP 127.0.0.1:5940, no call): shown, it starts the live device test — the
// level bar under the microphone box follows the microphone (here a tone:440 source), the
// preview under the camera box gets the test pattern's frames — "Play test tone" plays, and
// leaving the section or closing the page stops everything. The page is loaded on its own in an
// ApplicationWindow (it is a Popup on the window's overlay). Offscreen by default; with
// VPHONE_DEVICES_SCREENSHOT=FILE (scripts/screenshot-devices.sh, under Xvfb) the window is also
// saved as a picture once the bar and the preview are live.
#include "common/qt_video.h"
#include "models/phone_controller.h"
#include "models/settings_controller.h"
#include "models_test_util.h"
#include "video_view.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace vphone;
using test::waitFor;

TEST(DevicesViews, LevelBarMovesPreviewShowsAndLeavingStopsTheTests)
{
    QTemporaryDir dir;
    ui::SettingsController settings{dir.path()};
    {
        QSettings s(settings.iniPath(), QSettings::IniFormat);
        s.setValue(QStringLiteral("network/listen"), QStringList{QStringLiteral("udp:127.0.0.1:5940")});
        s.setValue(QStringLiteral("network/rtpPorts"), QStringLiteral("13600-13619"));
        s.setValue(QStringLiteral("media/audioSource"), QStringLiteral("tone:440"));
        s.setValue(QStringLiteral("media/audioSink"), QStringLiteral("null"));
        s.setValue(QStringLiteral("media/videoSource"), QStringLiteral("testsrc:320x180@15"));
    }
    settings.passwordStore().setDisabled(true);
    auto controller = std::make_unique<ui::PhoneController>(settings.load());
    settings.setController(controller.get());
    controller->setSettings(&settings);
    ASSERT_TRUE(controller->start());
    QQmlApplicationEngine engine;
    QStringList warnings;
    QObject::connect(&engine, &QQmlApplicationEngine::warnings, [&](const QList<QQmlError>& list) {
        for (const auto& e : list)
            warnings.append(e.toString());
    });
    engine.rootContext()->setContextProperty(QStringLiteral("phone"), controller.get());
    vphone::app::VideoView::registerType();
    engine.loadData(R"(import QtQuick
import QtQuick.Controls
ApplicationWindow {
    width: 900
    height: 560
    visible: true
    title: "vphone settings"
    property alias page: loader.item
    Loader { id: loader; source: "qrc:/Vphone/qml/SettingsPage.qml" }
})");
    ASSERT_FALSE(engine.rootObjects().isEmpty()) << warnings.join('\n').toStdString();
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    ASSERT_NE(window, nullptr);
    QObject* page = window->property("page").value<QObject*>();
    ASSERT_NE(page, nullptr) << warnings.join('\n').toStdString();
    ui::DeviceTester* tester = settings.deviceTester();

    page->setProperty("section", 1);
    QMetaObject::invokeMethod(page, "open");
    QObject* bar = page->findChild<QObject*>(QStringLiteral("micLevel"));
    ASSERT_NE(bar, nullptr);
    ASSERT_TRUE(waitFor([&] { return bar->property("value").toDouble() > 0.5; }, 5000))
        << bar->property("value").toDouble() << " " << tester->message().toStdString();
    EXPECT_TRUE(tester->micTesting());
    ASSERT_TRUE(waitFor([&] { return tester->previewFrames() > 5; }, 5000));
    EXPECT_TRUE(tester->previewing());
    auto* preview = page->findChild<QQuickItem*>(QStringLiteral("cameraPreviewView"));
    ASSERT_NE(preview, nullptr);
    EXPECT_TRUE(
        waitFor([&] { return preview->property("framesShown").toInt() > 5; }, 5000)); // drawn, not only sent
    EXPECT_TRUE(tester->message().isEmpty()) << tester->message().toStdString();

    QObject* tone = page->findChild<QObject*>(QStringLiteral("testToneButton"));
    ASSERT_NE(tone, nullptr);
    QMetaObject::invokeMethod(tone, "clicked");
    EXPECT_TRUE(tester->tonePlaying());
    EXPECT_EQ(tone->property("text").toString(), QStringLiteral("Playing…"));
    ASSERT_TRUE(waitFor([&] { return !tester->tonePlaying(); }, 5000));

    const QByteArray shot = qgetenv("VPHONE_DEVICES_SCREENSHOT");
    if (!shot.isEmpty()) {
        QTest::qWait(1500); // a few preview frames and level updates on screen
        const QImage image = window->grabWindow();
        EXPECT_TRUE(image.save(QString::fromLocal8Bit(shot), "PNG")) << shot.constData();
    }

    // Another section: the tests stop; back: they start again; the page closed: stopped.
    page->setProperty("section", 2);
    EXPECT_TRUE(waitFor([&] { return !tester->micTesting() && !tester->previewing(); }, 2000));
    EXPECT_EQ(bar->property("value").toDouble(), 0.0);
    page->setProperty("section", 1);
    EXPECT_TRUE(
        waitFor([&] { return tester->micTesting() && bar->property("value").toDouble() > 0.5; }, 5000));
    QMetaObject::invokeMethod(page, "close");
    EXPECT_TRUE(waitFor([&] { return !tester->micTesting() && !tester->previewing(); }, 3000));
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join('\n').toStdString();
}

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("VPHONE_DEVICES_SCREENSHOT")) qputenv("QT_QPA_PLATFORM", "offscreen");
    // As vphone does without a GPU: the software scene graph, and BGRA frames for VideoView.
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    vphone::ui::QtVideoSinkAdapter::setBgraOutput(true);
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
