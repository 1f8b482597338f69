// The app speaks the user's language: the German catalogue (ui/app/translations/vphone_de.ts,
// compiled into vphone_qml under :/i18n) loads for a German locale, and the real Main.qml shows
// its sidebar and dial bar in German; strings of the C++ side (tray, notifications) are in the
// same catalogue. No network: the PhoneController is not started.
#include "models/phone_controller.h"
#include "video_view.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QLocale>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QTranslator>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

/// Every "text" shown by an item under `item`.
void collectTexts(QQuickItem* item, QStringList& out)
{
    if (!item) return;
    const QVariant text = item->property("text");
    if (text.isValid() && !text.toString().isEmpty()) out.append(text.toString());
    for (QQuickItem* child : item->childItems())
        collectTexts(child, out);
}

} // namespace

TEST(AppTranslation, GermanCatalogueLoadsAndTheWindowSpeaksIt)
{
    QTranslator translator;
    ASSERT_TRUE(translator.load(QLocale(QLocale::German, QLocale::Germany), QStringLiteral("vphone"),
                                QStringLiteral("_"), QStringLiteral(":/i18n")));
    ASSERT_TRUE(QCoreApplication::installTranslator(&translator));
    EXPECT_EQ(QCoreApplication::translate("vphone::app::DesktopIntegration", "Answer"),
              QStringLiteral("Annehmen"));
    EXPECT_EQ(QCoreApplication::translate("CallView", "Hang up"), QStringLiteral("Auflegen"));

    ui::ProfileConfig config;
    ui::PhoneController phone(config);
    QQmlApplicationEngine engine;
    QStringList warnings;
    QObject::connect(&engine, &QQmlApplicationEngine::warnings, [&](const QList<QQmlError>& list) {
        for (const auto& e : list)
            warnings.append(e.toString());
    });
    engine.rootContext()->setContextProperty(QStringLiteral("phone"), &phone);
    vphone::app::VideoView::registerType();
    engine.load(QUrl(QStringLiteral("qrc:/Vphone/qml/Main.qml")));
    ASSERT_FALSE(engine.rootObjects().isEmpty());
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    ASSERT_NE(window, nullptr);
    QTest::qWait(200);
    QStringList texts;
    collectTexts(window->contentItem(), texts);
    EXPECT_TRUE(texts.contains(QStringLiteral("Anrufe"))) << texts.join(QLatin1String(" | ")).toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("Kontakte")));
    EXPECT_TRUE(texts.contains(QStringLiteral("Videoanruf")));
    EXPECT_FALSE(texts.contains(QStringLiteral("Contacts")));
    EXPECT_FALSE(texts.contains(QStringLiteral("Video call")));
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join(QLatin1Char('\n')).toStdString();
    QCoreApplication::removeTranslator(&translator);
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
