// The presence facade (Phone::watchPresence/watchDialog/setOwnPresence/pickUp, Buddy, Account's
// voicemail properties) over real loopback sockets, ports 127.0.0.1:5800-5819 (helper
// "presence"): two Phones watching each other directly (the notifier role, no server), the
// automatic OnThePhone during a call, and a busy-lamp pick-up where a scripted UDP peer plays
// the ringing callee and the dialog-package server, and a registered account that publishes its
// status and shows voicemail counts from a scripted registrar / presence / voicemail server.
// Short transaction timers; waits are bounded.
#include "facade_test_util.h"
#include "ua/phone.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QUdpSocket>

#include <gtest/gtest.h>

using namespace vphone;
using namespace std::chrono_literals;
using ua::Buddy;
using ua::Call;
using ua::Phone;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

QString header(const QString& msg, const QString& name)
{
    QRegularExpression re(QStringLiteral("^%1:\\s*(.*?)\\r?$").arg(name),
                          QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    return re.match(msg).captured(1);
}

QString tagOf(const QString& value)
{
    return QRegularExpression(QStringLiteral(";tag=([^;>\\s]+)")).match(value).captured(1);
}

/// A UDP peer that answers requests from a script; keeps every message it got.
struct ScriptedPeer {
    QUdpSocket socket;
    QStringList got;
    QHostAddress lastFrom;
    quint16 lastPort = 0;
    bool bind(quint16 port) { return socket.bind(QHostAddress::LocalHost, port); }
    void pump()
    {
        while (socket.hasPendingDatagrams()) {
            QByteArray d(static_cast<qsizetype>(socket.pendingDatagramSize()), '\0');
            socket.readDatagram(d.data(), d.size(), &lastFrom, &lastPort);
            got.append(QString::fromUtf8(d));
        }
    }
    QString waitRequest(const QString& method, int skip = 0)
    {
        QString found;
        waitFor([&] {
            pump();
            int n = 0;
            for (const auto& m : std::as_const(got)) {
                if (m.startsWith(method + QLatin1Char(' ')) && n++ == skip) {
                    found = m;
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    void send(const QString& text, quint16 port)
    {
        socket.writeDatagram(text.toUtf8(), QHostAddress::LocalHost, port);
    }
    /// A response to `request` (Via, From, To with `toTag`, Call-ID, CSeq copied).
    QString response(const QString& request, const QString& status, const QString& toTag,
                     const QString& extra = {})
    {
        QString to = header(request, QStringLiteral("To"));
        if (!toTag.isEmpty() && tagOf(to).isEmpty()) to += QStringLiteral(";tag=") + toTag;
        return QStringLiteral("SIP/2.0 %1\r\nVia: %2\r\nFrom: %3\r\nTo: %4\r\nCall-ID: %5\r\nCSeq: %6\r\n%7"
                              "Content-Length: 0\r\n\r\n")
            .arg(status, header(request, QStringLiteral("Via")), header(request, QStringLiteral("From")), to,
                 header(request, QStringLiteral("Call-ID")), header(request, QStringLiteral("CSeq")), extra);
    }
};

} // namespace

TEST(PresenceFacade, DirectWatchersSeeStatusNoteAndOnThePhoneDuringACall)
{
    TestPhone a, b;
    b.phone.setOwnPresence(Buddy::Status::Busy, QStringLiteral("in a meeting"));
    ASSERT_TRUE(a.start(5800));
    ASSERT_TRUE(b.start(5801));
    Buddy* watched = a.phone.watchPresence(QStringLiteral("sip:bob@127.0.0.1:5801"));
    ASSERT_TRUE(watched);
    QSignalSpy changes(watched, &Buddy::presenceChanged);
    ASSERT_TRUE(waitFor([&] { return watched->status() == Buddy::Status::Busy; }))
        << a.problems.join('\n').toStdString();
    EXPECT_EQ(watched->note(), QStringLiteral("in a meeting"));
    EXPECT_EQ(watched->basic(), Buddy::Basic::Open);
    EXPECT_EQ(watched->watchState(), Buddy::Watch::Active);
    EXPECT_EQ(a.phone.buddies().size(), 1);

    b.phone.setOwnPresence(Buddy::Status::Available, QString());
    ASSERT_TRUE(waitFor([&] { return watched->status() == Buddy::Status::Available; }));
    EXPECT_TRUE(watched->note().isEmpty());

    // A call to B makes B OnThePhone for its watchers, and Available again after it.
    Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:5801"));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    b.incoming.first()->answer();
    ASSERT_TRUE(waitFor([&] { return watched->status() == Buddy::Status::OnThePhone; }));
    EXPECT_EQ(b.phone.publishedStatus(), Buddy::Status::OnThePhone);
    EXPECT_EQ(b.phone.ownStatus(), Buddy::Status::Available);
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return watched->status() == Buddy::Status::Available; }));
    EXPECT_GE(changes.count(), 4);

    watched->unwatch();
    ASSERT_TRUE(waitFor([&] { return watched->watchState() == Buddy::Watch::Ended; }));
    EXPECT_TRUE(b.problems.isEmpty()) << b.problems.join('\n').toStdString();
}

TEST(PresenceFacade, BadInputIsRefusedWithAProblem)
{
    TestPhone a;
    EXPECT_FALSE(a.phone.watchPresence(QStringLiteral("sip:bob@127.0.0.1:5803"))); // not started
    ASSERT_TRUE(a.start(5802));
    EXPECT_FALSE(a.phone.watchPresence(QStringLiteral("not a uri")));
    EXPECT_FALSE(a.phone.watchDialog(QStringLiteral("tel:+123")));
    a.phone.setOwnPresence(Buddy::Status::Unknown);
    Buddy* b = a.phone.watchDialog(QStringLiteral("sip:bob@127.0.0.1:5803"));
    ASSERT_TRUE(b);
    EXPECT_FALSE(a.phone.pickUp(b)); // nothing rings
    EXPECT_EQ(a.problems.size(), 5) << a.problems.join('\n').toStdString();
}

TEST(PresenceFacade, BusyLampShowsRingingAndPickUpReplacesTheCallersEarlyDialog)
{
    // A calls "bob" at a scripted peer (port 5806) that rings; C watches bob's dialog state at the
    // same peer, which NOTIFYs dialog-info for that early dialog; C picks it up: its INVITE with
    // Replaces reaches A, which takes the new call and CANCELs the one to bob.
    TestPhone a, c;
    ScriptedPeer bob;
    ASSERT_TRUE(bob.bind(5806));
    ASSERT_TRUE(a.start(5804));
    ASSERT_TRUE(c.start(5805));

    Call* out = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:5806"));
    ASSERT_TRUE(out);
    const QString invite = bob.waitRequest(QStringLiteral("INVITE"));
    ASSERT_FALSE(invite.isEmpty());
    bob.send(bob.response(invite, QStringLiteral("180 Ringing"), QStringLiteral("bobtag"),
                          QStringLiteral("Contact: <sip:bob@127.0.0.1:5806>\r\n")),
             5804);
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ringing; }));

    Buddy* lamp = c.phone.watchDialog(QStringLiteral("sip:bob@127.0.0.1:5806"));
    ASSERT_TRUE(lamp);
    const QString subscribe = bob.waitRequest(QStringLiteral("SUBSCRIBE"));
    ASSERT_FALSE(subscribe.isEmpty());
    EXPECT_EQ(header(subscribe, QStringLiteral("Event")), QStringLiteral("dialog"));
    bob.send(bob.response(subscribe, QStringLiteral("200 OK"), QStringLiteral("notifier"),
                          QStringLiteral("Contact: <sip:bob@127.0.0.1:5806>\r\nExpires: 600\r\n")),
             5805);
    const QString callId = header(invite, QStringLiteral("Call-ID"));
    const QString aliceTag = tagOf(header(invite, QStringLiteral("From")));
    const QString body =
        QStringLiteral(
            "<?xml version=\"1.0\"?>\n<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" "
            "version=\"1\" state=\"full\" entity=\"sip:bob@127.0.0.1\">"
            "<dialog id=\"d1\" call-id=\"%1\" local-tag=\"bobtag\" remote-tag=\"%2\" "
            "direction=\"recipient\"><state>early</state>"
            "<remote><identity>sip:alice@127.0.0.1</identity><target uri=\"sip:alice@127.0.0.1:5804\"/>"
            "</remote></dialog></dialog-info>")
            .arg(callId, aliceTag);
    const QString notify =
        QStringLiteral(
            "NOTIFY sip:vphone@127.0.0.1:5805 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5806;branch=z9hG4bKn1\r\n"
            "Max-Forwards: 70\r\nFrom: %1;tag=notifier\r\nTo: %2\r\nCall-ID: %3\r\nCSeq: 1 NOTIFY\r\n"
            "Contact: <sip:bob@127.0.0.1:5806>\r\nEvent: dialog\r\nSubscription-State: active;expires=600\r\n"
            "Content-Type: application/dialog-info+xml\r\nContent-Length: %4\r\n\r\n%5")
            .arg(header(subscribe, QStringLiteral("To")), header(subscribe, QStringLiteral("From")),
                 header(subscribe, QStringLiteral("Call-ID")))
            .arg(body.toUtf8().size())
            .arg(body);
    bob.send(notify, 5805);
    ASSERT_TRUE(waitFor([&] { return lamp->dialogState() == Buddy::DialogState::Ringing; }))
        << lamp->lastError().toStdString();
    EXPECT_EQ(lamp->ringingCallId(), callId);
    EXPECT_EQ(lamp->ringingCaller(), QStringLiteral("sip:alice@127.0.0.1"));

    Call* picked = c.phone.pickUp(lamp);
    ASSERT_TRUE(picked) << c.problems.join('\n').toStdString();
    ASSERT_TRUE(waitFor([&] { return !a.incoming.isEmpty(); }));
    a.incoming.first()->answer();
    ASSERT_TRUE(waitFor([&] { return picked->state() == Call::State::Active; }));
    // A's call to bob gives way: CANCEL to bob.
    EXPECT_FALSE(bob.waitRequest(QStringLiteral("CANCEL")).isEmpty());

    // The lamp goes back to idle with the next NOTIFY.
    QString idle = notify;
    idle.replace(QStringLiteral("CSeq: 1 NOTIFY"), QStringLiteral("CSeq: 2 NOTIFY"));
    idle.replace(QStringLiteral("z9hG4bKn1"), QStringLiteral("z9hG4bKn2"));
    const QString idleBody =
        QStringLiteral("<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"2\" "
                       "state=\"full\" entity=\"sip:bob@127.0.0.1\"/>");
    idle = idle.left(idle.indexOf(QStringLiteral("Content-Length:"))) +
           QStringLiteral("Content-Length: %1\r\n\r\n%2").arg(idleBody.size()).arg(idleBody);
    bob.send(idle, 5805);
    ASSERT_TRUE(waitFor([&] { return lamp->dialogState() == Buddy::DialogState::Idle; }));
}

TEST(PresenceFacade, RegisteredAccountPublishesAndShowsVoicemailCounts)
{
    // A scripted server at 5818 plays registrar, presence server and voicemail server.
    ScriptedPeer server;
    ASSERT_TRUE(server.bind(5818));
    TestPhone a;
    ua::AccountSettings settings;
    settings.uri = QStringLiteral("sip:alice@127.0.0.1:5818");
    ua::Account* account = a.phone.addAccount(settings);
    ASSERT_TRUE(account);
    account->setVoicemailWatched(true);
    QSignalSpy voicemail(account, &ua::Account::voicemailChanged);
    a.phone.setOwnPresence(Buddy::Status::Away, QStringLiteral("at lunch"));
    ASSERT_TRUE(a.start(5817));

    const QString reg = server.waitRequest(QStringLiteral("REGISTER"));
    ASSERT_FALSE(reg.isEmpty());
    server.send(
        server.response(
            reg, QStringLiteral("200 OK"), QStringLiteral("r1"),
            QStringLiteral("Contact: %1;expires=600\r\n").arg(header(reg, QStringLiteral("Contact")))),
        5817);
    const QString publish = server.waitRequest(QStringLiteral("PUBLISH"));
    ASSERT_FALSE(publish.isEmpty());
    EXPECT_EQ(header(publish, QStringLiteral("Event")), QStringLiteral("presence"));
    EXPECT_TRUE(publish.contains(QStringLiteral("<rpid:away/>"))) << publish.toStdString();
    EXPECT_TRUE(publish.contains(QStringLiteral("at lunch")));
    server.send(server.response(publish, QStringLiteral("200 OK"), QStringLiteral("p1"),
                                QStringLiteral("SIP-ETag: e1\r\nExpires: 600\r\n")),
                5817);

    const QString subscribe = server.waitRequest(QStringLiteral("SUBSCRIBE"));
    ASSERT_FALSE(subscribe.isEmpty());
    EXPECT_EQ(header(subscribe, QStringLiteral("Event")), QStringLiteral("message-summary"));
    server.send(server.response(subscribe, QStringLiteral("200 OK"), QStringLiteral("vm"),
                                QStringLiteral("Contact: <sip:vm@127.0.0.1:5818>\r\nExpires: 600\r\n")),
                5817);
    const QString summary = QStringLiteral("Messages-Waiting: yes\r\nVoice-Message: 2/8 (1/0)\r\n");
    server.send(
        QStringLiteral(
            "NOTIFY sip:alice@127.0.0.1:5817 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5818;branch=z9hG4bKvm1\r\n"
            "Max-Forwards: 70\r\nFrom: %1;tag=vm\r\nTo: %2\r\nCall-ID: %3\r\nCSeq: 1 NOTIFY\r\n"
            "Contact: <sip:vm@127.0.0.1:5818>\r\nEvent: message-summary\r\n"
            "Subscription-State: active;expires=600\r\n"
            "Content-Type: application/simple-message-summary\r\nContent-Length: %4\r\n\r\n%5")
            .arg(header(subscribe, QStringLiteral("To")), header(subscribe, QStringLiteral("From")),
                 header(subscribe, QStringLiteral("Call-ID")))
            .arg(summary.size())
            .arg(summary),
        5817);
    ASSERT_TRUE(waitFor([&] { return account->voicemailNew() == 2; })) << a.problems.join('\n').toStdString();
    EXPECT_EQ(account->voicemailOld(), 8);
    EXPECT_EQ(account->voicemailNewUrgent(), 1);
    EXPECT_TRUE(account->messagesWaiting());
    EXPECT_EQ(voicemail.count(), 1);

    // A new status: a modify with the entity tag and the new body.
    a.phone.setOwnPresence(Buddy::Status::Busy, QStringLiteral("in a meeting"));
    const QString modify = server.waitRequest(QStringLiteral("PUBLISH"), 1);
    ASSERT_FALSE(modify.isEmpty());
    EXPECT_EQ(header(modify, QStringLiteral("SIP-If-Match")), QStringLiteral("e1"));
    EXPECT_TRUE(modify.contains(QStringLiteral("<rpid:busy/>")));
    EXPECT_TRUE(a.problems.isEmpty()) << a.problems.join('\n').toStdString();
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
