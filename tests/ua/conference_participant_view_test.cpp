// The app's call view for a call into a conference hosted elsewhere (ui/app/qml/CallView.qml over
// CallItem's conference/roster/addToConference), offscreen over a real PhoneController. The host
// is a ua::Phone whose Conference answers calls by itself and the one it is asked to add is
// another Phone (SIP 6295-6297, RTP 17100-17119 on 127.0.0.1): the view shows the "Conference"
// badge, the roster (host and us, then the added one), "Add to conference…" in place of "Add
// participant", and the add's progress. A picture of the view is left as
// conference_participant_view.png in the working directory.
#include "common/qt_video.h"
#include "facade_test_util.h"
#include "models/phone_controller.h"
#include "video_view.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTest>

#include <gtest/gtest.h>

using namespace vphone;
using ui::PhoneController;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

ui::ProfileConfig profile(int sipPort, std::uint16_t rtpMin)
{
    ui::ProfileConfig c;
    c.listen = {QStringLiteral("udp:127.0.0.1:%1").arg(sipPort)};
    c.media.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 19)};
    c.media.codecs = {"pcmu", "telephone-event"};
    c.media.videoSource = "testsrc:320x180@15";
    return c;
}

bool shown(QQuickItem* item)
{
    return item && item->isVisible();
}

} // namespace

TEST(ConferenceParticipantView, TheCallViewShowsTheBadgeTheRosterAndAddsSomeone)
{
    TestPhone host, carol;
    ASSERT_TRUE(host.start(6295));
    ASSERT_TRUE(carol.start(6297));
    host.phone.conference()->setAutoAnswer(true);
    PhoneController alice(profile(6296, 17100));
    ASSERT_TRUE(alice.start());

    QQmlApplicationEngine engine;
    QStringList warnings;
    QObject::connect(&engine, &QQmlApplicationEngine::warnings, [&](const QList<QQmlError>& list) {
        for (const auto& e : list)
            warnings.append(e.toString());
    });
    engine.rootContext()->setContextProperty(QStringLiteral("phone"), &alice);
    app::VideoView::registerType();
    engine.load(QUrl(QStringLiteral("qrc:/Vphone/qml/Main.qml")));
    ASSERT_FALSE(engine.rootObjects().isEmpty());
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    ASSERT_NE(window, nullptr);

    ASSERT_TRUE(alice.dial(QStringLiteral("sip:conference@127.0.0.1:6295"), false));
    ASSERT_TRUE(waitFor([&] { return alice.currentCall() && alice.currentCall()->active(); }));
    ui::CallItem* call = alice.currentCall();
    ASSERT_TRUE(waitFor([&] { return call->property("roster").toList().size() == 2; }));
    EXPECT_TRUE(call->property("conference").toBool());

    auto* badge = window->findChild<QQuickItem*>(QStringLiteral("conferenceBadge"));
    auto* roster = window->findChild<QObject*>(QStringLiteral("conferenceRoster"));
    auto* add = window->findChild<QQuickItem*>(QStringLiteral("addToConferenceButton"));
    auto* addParticipant = window->findChild<QQuickItem*>(QStringLiteral("addParticipantButton"));
    ASSERT_TRUE(badge && roster && add && addParticipant);
    EXPECT_TRUE(waitFor([&] { return shown(badge) && roster->property("count").toInt() == 2; }));
    EXPECT_TRUE(shown(add));
    EXPECT_TRUE(add->isEnabled());
    EXPECT_FALSE(shown(addParticipant)); // hosting our own conference is not what this call offers

    // "Add to conference…" as the dialog does it: the focus calls carol in, our call stays.
    bool ok = false;
    QMetaObject::invokeMethod(call, "addToConference", Q_RETURN_ARG(bool, ok),
                              Q_ARG(QString, QStringLiteral("sip:carol@127.0.0.1:6297")));
    EXPECT_TRUE(ok);
    ASSERT_TRUE(waitFor([&] { return !carol.incoming.isEmpty(); }));
    carol.incoming.front()->answer();
    EXPECT_TRUE(waitFor([&] { return roster->property("count").toInt() == 3; }));
    auto* addText = window->findChild<QQuickItem*>(QStringLiteral("conferenceAddText"));
    ASSERT_NE(addText, nullptr);
    EXPECT_TRUE(waitFor([&] {
        return addText->property("text").toString() == QStringLiteral("Added to the conference");
    })) << addText->property("text").toString().toStdString();
    EXPECT_TRUE(call->active());
    const QImage picture = window->grabWindow();
    EXPECT_FALSE(picture.isNull());
    picture.save(QStringLiteral("conference_participant_view.png"));
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join(QLatin1Char('\n')).toStdString();
    call->hangUp();
    ASSERT_TRUE(waitFor([&] { return call->ended(); }));
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    ui::QtVideoSinkAdapter::setBgraOutput(true);
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
