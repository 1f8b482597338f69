// The app's QML views (ui/app/qml, the Vphone module) over a real PhoneController, offscreen,
// driven by keys as a user would: type an address in the dial bar and press Enter, Ctrl+M mutes,
// Escape hangs up; an incoming call shows the dialog and Ctrl+Return answers it, Ctrl+E ends it.
// The far end is another PhoneController (SIP 5618-5619, RTP 12560-12599 on 127.0.0.1). The
// sidebar's contact search and the chat send box (SIP 5624-5625). The dial bar's completion (SIP
// 5643-5644).
#include "common/qt_video.h"
#include "models/phone_controller.h"
#include "models_test_util.h"
#include "video_view.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace vphone;
using ui::PhoneController;

namespace {

using test::waitFor;

/// The app's real Main.qml over `phone`, with every QML warning collected.
struct MainWindow {
    explicit MainWindow(PhoneController& phone)
    {
        QObject::connect(&engine, &QQmlApplicationEngine::warnings, [this](const QList<QQmlError>& list) {
            for (const auto& e : list)
                warnings.append(e.toString());
        });
        engine.rootContext()->setContextProperty(QStringLiteral("phone"), &phone);
        vphone::app::VideoView::registerType();
        engine.load(QUrl(QStringLiteral("qrc:/Vphone/qml/Main.qml")));
        if (!engine.rootObjects().isEmpty())
            window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    }
    QQmlApplicationEngine engine;
    QStringList warnings;
    QQuickWindow* window = nullptr;
};

/// A direct-IP profile on 127.0.0.1; with `dir`, a profile directory (database, settings).
ui::ProfileConfig profile(int sipPort, std::uint16_t rtpMin, const QString& dir = {})
{
    ui::ProfileConfig c;
    c.profileDir = dir;
    c.listen = {QStringLiteral("udp:127.0.0.1:%1").arg(sipPort)};
    c.media.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 19)};
    c.media.codecs = {"pcmu", "telephone-event"};
    c.media.videoSource = "testsrc:320x180@15";
    return c;
}

} // namespace

TEST(AppViews, KeysDialMuteHangUpAnswerAndEndCalls)
{
    PhoneController alice(profile(5618, 12560));
    PhoneController bob(profile(5619, 12580));
    ASSERT_TRUE(alice.start());
    ASSERT_TRUE(bob.start());

    MainWindow ui(alice);
    ASSERT_FALSE(ui.engine.rootObjects().isEmpty());
    QQuickWindow* window = ui.window;
    const QStringList& warnings = ui.warnings;
    ASSERT_NE(window, nullptr);
    window->requestActivate();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window));
    auto* status = window->findChild<QObject*>(QStringLiteral("accountStatus"));
    ASSERT_NE(status, nullptr);
    EXPECT_TRUE(status->property("text").toString().contains(QLatin1String("127.0.0.1:5618")));

    // Type the address (the dial bar has the focus) and press Enter.
    for (const char c : std::string("127.0.0.1:5619"))
        QTest::keyClick(window, c);
    QTest::keyClick(window, Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    bob.answer(false);
    ASSERT_TRUE(waitFor([&] { return alice.currentCall() && alice.currentCall()->active(); }));
    auto* field = window->findChild<QObject*>(QStringLiteral("dialField"));
    ASSERT_NE(field, nullptr);
    EXPECT_TRUE(field->property("text").toString().isEmpty()); // cleared once dialled

    QTest::keyClick(window, Qt::Key_M, Qt::ControlModifier);
    EXPECT_TRUE(alice.currentCall()->muted());
    ui::CallItem* first = alice.currentCall();
    QTest::keyClick(window, Qt::Key_Escape);
    EXPECT_TRUE(waitFor([&] { return first->ended(); }));

    // An incoming call: the dialog, answered with Ctrl+Return, ended with Ctrl+E.
    ASSERT_TRUE(bob.dial(QStringLiteral("sip:alice@127.0.0.1:5618"), false));
    ASSERT_TRUE(waitFor([&] { return alice.incomingCall() != nullptr; }));
    ui::CallItem* in = alice.incomingCall();
    QTest::keyClick(window, Qt::Key_Return, Qt::ControlModifier);
    EXPECT_TRUE(waitFor([&] { return in->active(); }));
    QTest::keyClick(window, Qt::Key_E, Qt::ControlModifier);
    EXPECT_TRUE(waitFor([&] { return in->ended(); }));

    // Ctrl+L puts the focus back in the dial bar.
    QTest::keyClick(window, Qt::Key_L, Qt::ControlModifier);
    EXPECT_TRUE(field->property("activeFocus").toBool());
    EXPECT_FALSE(window->grabWindow().isNull());
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join(QLatin1Char('\n')).toStdString();
}

// The sidebar's Contacts tab filters as the user types ("jose" finds "José"), and the chat view's
// send box sends a MESSAGE that the far end stores (SIP 5624-5625, no media).
TEST(AppViews, ContactSearchAsYouTypeAndChatSendBox)
{
    QTemporaryDir aliceDir, bobDir;
    ui::ProfileConfig a = profile(5624, 12680, aliceDir.path());
    ui::ProfileConfig b = profile(5625, 12690, bobDir.path());
    PhoneController alice(a);
    PhoneController bob(b);
    ASSERT_TRUE(alice.start());
    ASSERT_TRUE(bob.start());
    ASSERT_GT(alice.contacts()->add(QStringLiteral("José García"), QStringLiteral("sip:127.0.0.1:5625"), {},
                                    {}, false, false),
              0);
    ASSERT_GT(alice.contacts()->add(QStringLiteral("Zoë Adams"), QStringLiteral("zoe@example.test"), {}, {},
                                    true, false),
              0);

    MainWindow ui(alice);
    ASSERT_FALSE(ui.engine.rootObjects().isEmpty());
    QQuickWindow* window = ui.window;
    const QStringList& warnings = ui.warnings;
    ASSERT_NE(window, nullptr);
    window->requestActivate();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window));

    window->setProperty("sidebarTab", 1);
    auto* search = window->findChild<QQuickItem*>(QStringLiteral("contactSearch"));
    auto* list = window->findChild<QObject*>(QStringLiteral("contactList"));
    ASSERT_NE(search, nullptr);
    ASSERT_NE(list, nullptr);
    EXPECT_EQ(list->property("count").toInt(), 2);
    search->forceActiveFocus();
    for (const char c : std::string("jose"))
        QTest::keyClick(window, c);
    EXPECT_EQ(alice.contacts()->filter(), QStringLiteral("jose"));
    EXPECT_EQ(list->property("count").toInt(), 1);
    EXPECT_EQ(alice.contacts()->data(alice.contacts()->index(0), ui::ContactListModel::NameRole).toString(),
              QStringLiteral("José García"));

    // The chats tab with the conversation open: type and press Enter.
    alice.openConversation(QStringLiteral("sip:127.0.0.1:5625"));
    window->setProperty("sidebarTab", 3);
    auto* field = window->findChild<QQuickItem*>(QStringLiteral("messageField"));
    ASSERT_NE(field, nullptr);
    EXPECT_TRUE(field->isVisible());
    field->forceActiveFocus();
    for (const char c : std::string("hi bob"))
        QTest::keyClick(window, c);
    QTest::keyClick(window, Qt::Key_Return);
    EXPECT_TRUE(field->property("text").toString().isEmpty());
    ASSERT_TRUE(waitFor([&] { return bob.conversations()->unreadCount() == 1; }));
    EXPECT_EQ(alice.messages()->rowCount(), 1);
    auto* messages = window->findChild<QObject*>(QStringLiteral("messageList"));
    ASSERT_NE(messages, nullptr);
    EXPECT_EQ(messages->property("count").toInt(), 1);
    EXPECT_FALSE(window->grabWindow().isNull());
    EXPECT_TRUE(warnings.isEmpty()) << warnings.join(QLatin1Char('\n')).toStdString();
}

// The dial bar completes from the address book and the history (SIP 5643-5644, RTP 12800-12839):
// typing part of a name offers the contact, Down and Enter call the address it stands for.
TEST(AppViews, TheDialBarOffersContactsAndCallsThePickedOne)
{
    QTemporaryDir aliceDir, bobDir;
    ui::ProfileConfig a = profile(5643, 12800, aliceDir.path());
    ui::ProfileConfig b = profile(5644, 12820, bobDir.path());
    PhoneController alice(a);
    PhoneController bob(b);
    ASSERT_TRUE(alice.start() && bob.start());
    ASSERT_GT(alice.contacts()->add(QStringLiteral("Bob Builder"), QStringLiteral("sip:bob@127.0.0.1:5644"),
                                    {}, {}, false, false),
              0);

    MainWindow ui(alice);
    QQuickWindow* window = ui.window;
    ASSERT_NE(window, nullptr);
    window->requestActivate();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window));
    auto* popup = window->findChild<QObject*>(QStringLiteral("dialSuggestions"));
    auto* list = window->findChild<QObject*>(QStringLiteral("dialSuggestionList"));
    ASSERT_NE(popup, nullptr);
    ASSERT_NE(list, nullptr);
    for (const char c : std::string("buil"))
        QTest::keyClick(window, c);
    ASSERT_TRUE(waitFor([&] { return popup->property("visible").toBool(); }));
    EXPECT_EQ(list->property("count").toInt(), 1);
    QTest::keyClick(window, Qt::Key_Down);
    EXPECT_EQ(list->property("currentIndex").toInt(), 0);
    QTest::keyClick(window, Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    EXPECT_FALSE(popup->property("visible").toBool());
    bob.incomingCall()->decline();
    ASSERT_TRUE(waitFor([&] { return alice.currentCall() == nullptr || alice.currentCall()->ended(); }));

    // The history now knows bob's address: typing part of it offers it once (contact and history agree).
    const QVariantList offered = alice.dialSuggestions(QStringLiteral("127.0.0.1:5644"));
    ASSERT_EQ(offered.size(), 1);
    EXPECT_EQ(offered.first().toMap().value(QStringLiteral("target")).toString(),
              QStringLiteral("sip:bob@127.0.0.1:5644"));
    EXPECT_TRUE(alice.dialSuggestions(QStringLiteral("b")).isEmpty()); // one letter: nothing yet
    EXPECT_TRUE(ui.warnings.isEmpty()) << ui.warnings.join(QLatin1Char('\n')).toStdString();
}

// A video call shown by the app's VideoView items with the software scene graph (what vphone
// uses without a GPU): the far end's moving test pattern fills the remote view and our own the
// self view, both drawn in the window (SIP 5990-5991, RTP 13340-13379).
TEST(AppViews, AVideoCallIsShownInTheRemoteAndSelfViews)
{
    PhoneController alice(profile(5990, 13340));
    PhoneController bob(profile(5991, 13360));
    ASSERT_TRUE(alice.start());
    ASSERT_TRUE(bob.start());
    MainWindow ui(alice);
    ASSERT_NE(ui.window, nullptr);
    ASSERT_TRUE(alice.dial(QStringLiteral("sip:bob@127.0.0.1:5991"), true));
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    bob.answer(true);
    ASSERT_TRUE(waitFor([&] { return alice.currentCall() && alice.currentCall()->active(); }));
    auto* remote = ui.window->findChild<QQuickItem*>(QStringLiteral("remoteVideo"));
    auto* self = ui.window->findChild<QQuickItem*>(QStringLiteral("selfVideo"));
    ASSERT_NE(remote, nullptr);
    ASSERT_NE(self, nullptr);
    ASSERT_TRUE(waitFor([&] { return remote->property("framesShown").toInt() >= 10; }, 10000));
    EXPECT_TRUE(waitFor([&] { return self->property("framesShown").toInt() >= 5; }, 5000));
    EXPECT_EQ(remote->property("frameSize").toSize(), QSize(320, 180));

    // The picture: the remote view's area of the window holds the pattern (many colours, not
    // the dark backdrop alone).
    const QImage shot = ui.window->grabWindow();
    ASSERT_FALSE(shot.isNull());
    const QRectF area = remote->mapRectToScene(QRectF(0, 0, remote->width(), remote->height()));
    const qreal dpr = shot.devicePixelRatio();
    QSet<QRgb> colours;
    for (int y = int(area.top() * dpr) + 2; y < int(area.bottom() * dpr) - 2; y += 4)
        for (int x = int(area.left() * dpr) + 2; x < int(area.right() * dpr) - 2; x += 4)
            colours.insert(shot.pixel(x, y) & 0xf0f0f0);
    EXPECT_GE(colours.size(), 20) << "remote view area " << area.width() << "x" << area.height();
    alice.currentCall()->hangUp();
    EXPECT_TRUE(ui.warnings.isEmpty()) << ui.warnings.join(QLatin1Char('\n')).toStdString();
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // As vphone does without a GPU: the software scene graph, and BGRA frames for VideoView.
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    ui::QtVideoSinkAdapter::setBgraOutput(true);
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
