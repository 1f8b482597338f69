// The app's stored data through PhoneController (ui/models/data_models.h): call history after an
// answered, a missed and a busy call between two controllers on 127.0.0.1 (SIP 5620-5627, RTP
// 12600-12679), contacts (search as you type, edit, vCard import/export), MESSAGEs persisted on
// both sides and surviving a restart, caller names from the address book, and a database that
// cannot be opened. Each controller has its own temporary profile directory.
#include "models/phone_controller.h"
#include "models_test_util.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace vphone;
using ui::CallItem;
using ui::ContactListModel;
using ui::HistoryModel;
using ui::PhoneController;

namespace {

using test::waitFor;

ui::ProfileConfig profile(const QString& dir, int sipPort, std::uint16_t rtpMin)
{
    ui::ProfileConfig c;
    c.profileDir = dir;
    c.listen = {QStringLiteral("udp:127.0.0.1:%1").arg(sipPort)};
    c.media.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 19)};
    c.media.codecs = {"pcmu", "telephone-event"};
    c.media.audioSource = "silence";
    c.media.audioSink = "null";
    c.media.videoSource = "off";
    c.media.srtp = sdp::SrtpPolicy::Optional;
    return c;
}

QVariant role(const QAbstractListModel& m, int row, int r)
{
    return m.data(m.index(row), r);
}

} // namespace

TEST(AppData, HistoryRecordsAnAnsweredAndAMissedCallWithTheContactsName)
{
    QTemporaryDir aliceDir, bobDir;
    PhoneController alice(profile(aliceDir.path(), 5620, 12600));
    PhoneController bob(profile(bobDir.path(), 5621, 12620));
    ASSERT_TRUE(alice.hasDatabase()) << alice.lastProblem().toStdString();
    ASSERT_TRUE(bob.hasDatabase());
    ASSERT_TRUE(alice.start()) << alice.lastProblem().toStdString();
    ASSERT_TRUE(bob.start()) << bob.lastProblem().toStdString();
    EXPECT_TRUE(QFile::exists(bobDir.filePath(QStringLiteral("vphone.db"))));

    // 1: answered, about a second long, hung up by alice.
    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5621"), false));
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    CallItem* in = bob.incomingCall();
    const QString aliceUri = in->peerUri();
    in->answer(false);
    ASSERT_TRUE(
        waitFor([&] { return alice.currentCall() && alice.currentCall()->active() && in->active(); }));
    QElapsedTimer held;
    held.start();
    waitFor([&] { return held.elapsed() > 1200; }, 1500);
    alice.hangUp();
    ASSERT_TRUE(waitFor([&] { return bob.history()->rowCount() == 1 && alice.history()->rowCount() == 1; }));
    HistoryModel& bh = *bob.history();
    EXPECT_EQ(role(bh, 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("answered"));
    EXPECT_TRUE(role(bh, 0, HistoryModel::IncomingRole).toBool());
    EXPECT_EQ(role(bh, 0, HistoryModel::PeerUriRole).toString(), aliceUri);
    EXPECT_GE(role(bh, 0, HistoryModel::DurationRole).toInt(), 1);
    EXPECT_LE(role(bh, 0, HistoryModel::DurationRole).toInt(), 3);
    EXPECT_EQ(bh.missedCount(), 0);
    const HistoryModel& ah = *alice.history();
    EXPECT_EQ(role(ah, 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("answered"));
    EXPECT_FALSE(role(ah, 0, HistoryModel::IncomingRole).toBool());
    EXPECT_EQ(role(ah, 0, HistoryModel::PeerUriRole).toString(), QStringLiteral("sip:127.0.0.1:5621"));
    EXPECT_TRUE(ah.rows().first().connectedTime.has_value());

    // Bob knows alice now: the next call shows her name.
    ASSERT_NE(
        bob.contacts()->add(QStringLiteral("José Álvarez"), aliceUri, QString(), QString(), true, false), 0);
    EXPECT_EQ(bob.contactNameFor(aliceUri), QStringLiteral("José Álvarez"));

    // 2: alice gives up before bob answers: missed for bob, cancelled for alice.
    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5621"), false));
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    EXPECT_EQ(bob.incomingCall()->peerName(), QStringLiteral("José Álvarez"));
    QSignalSpy missed(&bh, &HistoryModel::missedCountChanged);
    alice.hangUp();
    ASSERT_TRUE(waitFor([&] { return bh.rowCount() == 2 && ah.rowCount() == 2; }));
    EXPECT_EQ(role(bh, 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("missed")); // newest first
    EXPECT_TRUE(role(bh, 0, HistoryModel::MissedRole).toBool());
    EXPECT_FALSE(role(bh, 0, HistoryModel::SeenRole).toBool());
    EXPECT_EQ(role(bh, 0, HistoryModel::PeerNameRole).toString(), QStringLiteral("José Álvarez"));
    EXPECT_EQ(role(bh, 0, HistoryModel::DurationRole).toInt(), 0);
    EXPECT_EQ(role(bh, 1, HistoryModel::OutcomeRole).toString(), QStringLiteral("answered"));
    EXPECT_EQ(bh.missedCount(), 1);
    EXPECT_EQ(missed.size(), 1);
    EXPECT_EQ(role(ah, 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("cancelled"));
    EXPECT_EQ(ah.missedCount(), 0);

    // Looking at the history marks it seen.
    bh.markSeen();
    EXPECT_EQ(bh.missedCount(), 0);
    EXPECT_TRUE(role(bh, 0, HistoryModel::SeenRole).toBool());
    EXPECT_EQ(bh.rowCount(), 2);

    // Call back from alice's history row 0 (the cancelled call) reaches bob, who declines. (Bob
    // cannot call back: without an account alice's From URI, sip:vphone@127.0.0.1, has no port.)
    ASSERT_TRUE(alice.callBack(0)) << alice.lastProblem().toStdString();
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    bob.incomingCall()->decline();
    ASSERT_TRUE(waitFor([&] { return ah.rowCount() == 3 && bh.rowCount() == 3; }));
    EXPECT_EQ(role(bh, 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("rejected"));
    EXPECT_EQ(bh.missedCount(), 0);
    EXPECT_EQ(role(ah, 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("rejected"));
    EXPECT_FALSE(role(ah, 0, HistoryModel::IncomingRole).toBool());
    EXPECT_EQ(role(ah, 0, HistoryModel::PeerUriRole).toString(), QStringLiteral("sip:127.0.0.1:5621"));
}

TEST(AppData, ABusyCalleeIsRecordedAsBusy)
{
    QTemporaryDir aliceDir, bobDir;
    PhoneController alice(profile(aliceDir.path(), 5626, 12600));
    PhoneController bob(profile(bobDir.path(), 5627, 12620));
    ASSERT_TRUE(alice.start());
    ASSERT_TRUE(bob.start());
    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5627"), false));
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    bob.incomingCall()->call()->reject(486); // busy here, not the user's decline
    ASSERT_TRUE(waitFor([&] { return alice.history()->rowCount() == 1 && bob.history()->rowCount() == 1; }));
    EXPECT_EQ(role(*alice.history(), 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("busy"));
    EXPECT_EQ(role(*alice.history(), 0, HistoryModel::DurationTextRole).toString(), QString());
    EXPECT_EQ(role(*bob.history(), 0, HistoryModel::OutcomeRole).toString(), QStringLiteral("missed"));
    EXPECT_EQ(bob.history()->missedCount(), 1);
    bob.history()->clear();
    EXPECT_EQ(bob.history()->rowCount(), 0);
    EXPECT_EQ(bob.history()->missedCount(), 0);
}

TEST(AppData, ContactsSearchEditAndVCardRoundTrip)
{
    QTemporaryDir dir;
    PhoneController phone(profile(dir.path(), 5622, 12640)); // not started: no sockets needed
    ASSERT_TRUE(phone.hasDatabase()) << phone.lastProblem().toStdString();
    ContactListModel& m = *phone.contacts();
    EXPECT_EQ(m.rowCount(), 0);
    const qint64 jose = m.add(QStringLiteral("José García"), QStringLiteral("jose@example.test"),
                              QStringLiteral("+49 30 1234567"), QStringLiteral("met at FOSDEM"), false, true);
    const qint64 zoe =
        m.add(QStringLiteral("Zoë Adams"), QStringLiteral("sip:zoe@example.test, zoe@home.test"), QString(),
              QString(), true, false);
    ASSERT_GT(jose, 0);
    ASSERT_GT(zoe, 0);
    ASSERT_EQ(m.rowCount(), 2);
    // Favourites first.
    EXPECT_EQ(role(m, 0, ContactListModel::NameRole).toString(), QStringLiteral("Zoë Adams"));
    EXPECT_TRUE(role(m, 0, ContactListModel::FavouriteRole).toBool());
    EXPECT_EQ(role(m, 0, ContactListModel::SipAddressRole).toString(),
              QStringLiteral("sip:zoe@example.test"));
    EXPECT_EQ(role(m, 0, ContactListModel::SipAddressesRole).toStringList().size(), 2);
    EXPECT_EQ(role(m, 1, ContactListModel::SipAddressRole).toString(),
              QStringLiteral("sip:jose@example.test"));
    EXPECT_EQ(role(m, 1, ContactListModel::NumbersRole).toStringList(),
              QStringList{QStringLiteral("+49 30 1234567")});
    EXPECT_TRUE(role(m, 1, ContactListModel::BlfRole).toBool());
    EXPECT_EQ(m.callTargetAt(1), QStringLiteral("sip:jose@example.test"));

    // Search as you type: "jose" finds "José", case and accents folded; a number part works.
    m.setFilter(QStringLiteral("jose"));
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(role(m, 0, ContactListModel::NameRole).toString(), QStringLiteral("José García"));
    m.setFilter(QStringLiteral("ZOE"));
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(role(m, 0, ContactListModel::IdRole).toLongLong(), zoe);
    m.setFilter(QStringLiteral("1234567"));
    ASSERT_EQ(m.rowCount(), 1);
    EXPECT_EQ(role(m, 0, ContactListModel::IdRole).toLongLong(), jose);
    m.setFilter(QStringLiteral("nobody"));
    EXPECT_EQ(m.rowCount(), 0);
    m.setFilter(QString());
    EXPECT_EQ(m.rowCount(), 2);

    // Edit keeps the id; the lookup follows.
    ASSERT_TRUE(m.update(jose, QStringLiteral("José G."), QStringLiteral("sip:jg@example.test"), QString(),
                         QStringLiteral("note"), true, false));
    const QVariantMap got = m.get(jose);
    EXPECT_EQ(got.value(QStringLiteral("name")).toString(), QStringLiteral("José G."));
    EXPECT_EQ(got.value(QStringLiteral("sipAddresses")).toString(), QStringLiteral("sip:jg@example.test"));
    EXPECT_EQ(got.value(QStringLiteral("numbers")).toString(), QString());
    EXPECT_TRUE(got.value(QStringLiteral("favourite")).toBool());
    EXPECT_EQ(phone.contactNameFor(QStringLiteral("sip:jg@example.test:5060")), QStringLiteral("José G."));
    EXPECT_EQ(phone.contactNameFor(QStringLiteral("sip:jose@example.test")), QString());
    ASSERT_TRUE(m.remove(zoe));
    EXPECT_EQ(m.rowCount(), 1);
    EXPECT_FALSE(m.remove(zoe)); // gone already
    EXPECT_FALSE(phone.lastProblem().isEmpty());

    // vCard import: two good cards, one without END (line 7 is its BEGIN).
    const QString vcf = dir.filePath(QStringLiteral("in.vcf"));
    {
        QFile f(vcf);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nIMPP:sip:ann@example.test\r\nEND:VCARD\r\n"
                "\r\n"
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n"
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bo Ek\r\nTEL:+46 8 123 456\r\nEND:VCARD\r\n");
    }
    const QString summary = m.importVCard(vcf);
    EXPECT_TRUE(summary.startsWith(QStringLiteral("2 imported, 1 rejected: line 7:")))
        << summary.toStdString();
    EXPECT_EQ(m.rowCount(), 3);
    EXPECT_EQ(phone.contactNameFor(QStringLiteral("sip:ann@example.test")), QStringLiteral("Ann Lee"));
    EXPECT_TRUE(m.importVCard(dir.filePath(QStringLiteral("missing.vcf")))
                    .startsWith(QStringLiteral("Import failed")));

    // Export and read back into a fresh profile: same names and addresses.
    const QString out = dir.filePath(QStringLiteral("out.vcf"));
    EXPECT_EQ(m.exportVCard(out, 4), QStringLiteral("3 exported to %1").arg(out));
    QTemporaryDir other;
    PhoneController fresh(profile(other.path(), 5623, 12660));
    EXPECT_EQ(fresh.contacts()->importVCard(out), QStringLiteral("3 imported"));
    ASSERT_EQ(fresh.contacts()->rowCount(), 3);
    for (int i = 0; i < 3; ++i) {
        for (int r :
             {ContactListModel::NameRole, ContactListModel::SipAddressesRole, ContactListModel::NumbersRole,
              ContactListModel::FavouriteRole, ContactListModel::NoteRole})
            EXPECT_EQ(role(*fresh.contacts(), i, r), role(m, i, r)) << i << " " << r;
    }
}

TEST(AppData, MessagesArePersistedOnBothSidesAndSurviveARestart)
{
    QTemporaryDir aliceDir, bobDir;
    QString peer;
    {
        PhoneController alice(profile(aliceDir.path(), 5622, 12640));
        PhoneController bob(profile(bobDir.path(), 5623, 12660));
        ASSERT_TRUE(alice.start());
        ASSERT_TRUE(bob.start());
        ASSERT_TRUE(alice.sendMessage(QStringLiteral("127.0.0.1:5623"), QStringLiteral("Hallo Bob, ça va?")));
        ASSERT_TRUE(alice.sendMessage(QStringLiteral("sip:127.0.0.1:5623"), QStringLiteral("second")));
        ASSERT_TRUE(waitFor([&] { return bob.conversations()->unreadCount() == 2; }));
        const auto& bc = *bob.conversations();
        ASSERT_EQ(bc.rowCount(), 1);
        EXPECT_EQ(role(bc, 0, ui::ConversationListModel::UnreadRole).toInt(), 2);
        EXPECT_EQ(role(bc, 0, ui::ConversationListModel::LastTextRole).toString(), QStringLiteral("second"));
        peer = role(bc, 0, ui::ConversationListModel::PeerUriRole).toString();

        // Alice: one conversation, nothing unread, both delivered (200 OK).
        const auto& ac = *alice.conversations();
        ASSERT_EQ(ac.rowCount(), 1);
        EXPECT_EQ(ac.unreadCount(), 0);
        alice.openConversation(QStringLiteral("sip:127.0.0.1:5623"));
        const auto& am = *alice.messages();
        ASSERT_TRUE(waitFor([&] {
            return am.rowCount() == 2 &&
                   role(am, 1, ui::MessageListModel::DeliveryRole) == QStringLiteral("delivered") &&
                   role(am, 0, ui::MessageListModel::DeliveryRole) == QStringLiteral("delivered");
        })) << am.rowCount();
        EXPECT_EQ(role(am, 0, ui::MessageListModel::TextRole).toString(),
                  QStringLiteral("Hallo Bob, ça va?"));
        EXPECT_FALSE(role(am, 0, ui::MessageListModel::IncomingRole).toBool());

        // Bob opens the conversation: read.
        bob.openConversation(peer);
        EXPECT_EQ(bc.unreadCount(), 0);
        EXPECT_EQ(role(bc, 0, ui::ConversationListModel::UnreadRole).toInt(), 0);
        ASSERT_EQ(bob.messages()->rowCount(), 2);
        EXPECT_TRUE(role(*bob.messages(), 0, ui::MessageListModel::IncomingRole).toBool());

        // A reply (to alice's address: her From URI, sip:vphone@127.0.0.1, has no port) is a
        // second conversation on both sides, unread at alice's.
        ASSERT_TRUE(bob.sendMessage(QStringLiteral("127.0.0.1:5622"), QStringLiteral("bien")));
        ASSERT_TRUE(waitFor([&] { return ac.unreadCount() == 1; }));
        EXPECT_EQ(ac.rowCount(), 2);
        EXPECT_EQ(role(ac, 0, ui::ConversationListModel::LastTextRole).toString(), QStringLiteral("bien"));
        EXPECT_EQ(role(ac, 0, ui::ConversationListModel::UnreadRole).toInt(), 1);
        EXPECT_EQ(am.rowCount(), 2);
        EXPECT_EQ(bc.rowCount(), 2);
        EXPECT_EQ(bc.unreadCount(), 0);
    }
    // Restart: a new controller on bob's profile has the conversation and its messages.
    PhoneController again(profile(bobDir.path(), 5623, 12660));
    ASSERT_EQ(again.conversations()->rowCount(), 2);
    EXPECT_EQ(again.conversations()->unreadCount(), 0);
    again.openConversation(peer);
    ASSERT_EQ(again.messages()->rowCount(), 2);
    EXPECT_EQ(role(*again.messages(), 0, ui::MessageListModel::TextRole).toString(),
              QStringLiteral("Hallo Bob, ça va?"));
    EXPECT_TRUE(role(*again.messages(), 1, ui::MessageListModel::IncomingRole).toBool());
    again.openConversation(QStringLiteral("sip:127.0.0.1:5622"));
    ASSERT_EQ(again.messages()->rowCount(), 1);
    EXPECT_EQ(role(*again.messages(), 0, ui::MessageListModel::TextRole).toString(), QStringLiteral("bien"));
    EXPECT_FALSE(role(*again.messages(), 0, ui::MessageListModel::IncomingRole).toBool());
    EXPECT_EQ(role(*again.messages(), 0, ui::MessageListModel::DeliveryRole).toString(),
              QStringLiteral("delivered"));
}

TEST(AppData, ADatabaseThatCannotBeOpenedIsSaidInTheStatusLine)
{
    QTemporaryDir dir;
    // The profile "directory" is a file: vphone.db cannot be made under it.
    const QString file = dir.filePath(QStringLiteral("plain-file"));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.close();
    PhoneController phone(profile(file, 5622, 12640));
    EXPECT_FALSE(phone.hasDatabase());
    EXPECT_TRUE(phone.lastProblem().startsWith(QStringLiteral("Contacts and history unavailable:")))
        << phone.lastProblem().toStdString();
    EXPECT_EQ(phone.contacts()->add(QStringLiteral("X"), {}, {}, {}, false, false), 0);
    EXPECT_EQ(phone.history()->rowCount(), 0);
}

// Presence between two direct-IP controllers (SIP 5650-5651, RTP 12760-12799): bob is in
// alice's address book, so alice watches him (SUBSCRIBE to his address, his NOTIFYs); the
// status bob picks shows in alice's contact row, a call makes him "on the phone" on its own, and
// his choice is remembered in his profile.
TEST(AppData, AContactsPresenceShowsInTheAddressBookAndFollowsHisCalls)
{
    QTemporaryDir aliceDir, bobDir;
    PhoneController alice(profile(aliceDir.path(), 5650, 12760));
    PhoneController bob(profile(bobDir.path(), 5651, 12780));
    ASSERT_TRUE(bob.start() && alice.start());
    ContactListModel& book = *alice.contacts();
    ASSERT_GT(book.add(QStringLiteral("Bob"), QStringLiteral("sip:bob@127.0.0.1:5651"), {}, {}, false, false),
              0);
    ASSERT_EQ(book.count(), 1);
    const int presenceRole = ContactListModel::PresenceRole;
    EXPECT_TRUE(waitFor([&] { return role(book, 0, presenceRole).toString() == QLatin1String("available"); }))
        << role(book, 0, presenceRole).toString().toStdString();

    QSignalSpy rowChanged(&book, &QAbstractItemModel::dataChanged);
    ASSERT_TRUE(bob.presence()->setOwnStatus(QStringLiteral("busy"), QStringLiteral("in a meeting")));
    EXPECT_FALSE(bob.presence()->setOwnStatus(QStringLiteral("sleepy")));
    EXPECT_EQ(bob.presence()->ownStatus(), QLatin1String("busy"));
    EXPECT_TRUE(waitFor([&] { return role(book, 0, presenceRole).toString() == QLatin1String("busy"); }));
    EXPECT_GE(rowChanged.count(), 1); // the view is told

    // During a call bob is "on the phone", then back to busy.
    ASSERT_TRUE(bob.dial(QStringLiteral("127.0.0.1:5650"), false));
    ASSERT_TRUE(waitFor([&] { return alice.incomingCall() != nullptr; }));
    alice.answer(false);
    EXPECT_TRUE(
        waitFor([&] { return role(book, 0, presenceRole).toString() == QLatin1String("on-the-phone"); }));
    EXPECT_EQ(bob.presence()->publishedStatus(), QLatin1String("on-the-phone"));
    bob.hangUp();
    EXPECT_TRUE(waitFor([&] { return role(book, 0, presenceRole).toString() == QLatin1String("busy"); }));

    // Remembered in bob's profile.
    const QSettings ini(QDir(bobDir.path()).filePath(QStringLiteral("vphone.ini")), QSettings::IniFormat);
    EXPECT_EQ(ini.value(QStringLiteral("presence/status")).toString(), QLatin1String("busy"));
    EXPECT_EQ(ini.value(QStringLiteral("presence/note")).toString(), QLatin1String("in a meeting"));
    // A contact who is not BLF has no lamp.
    EXPECT_EQ(role(book, 0, ContactListModel::LampRole).toString(), QString());
}

// Call recording from the app (SIP 5652-5653, RTP 12840-12879): on demand, the call view's
// button records into PROFILE/recordings and stops; an account-less profile with [media]
// recordCalls records every call from the answer on, and the file is closed when the call ends.
TEST(AppData, CallsAreRecordedOnDemandAndAlwaysWhenTheProfileSaysSo)
{
    QTemporaryDir aliceDir, bobDir;
    ui::ProfileConfig a = profile(aliceDir.path(), 5652, 12840);
    a.media.audioSource = "tone:440";
    ui::ProfileConfig b = profile(bobDir.path(), 5653, 12860);
    b.media.audioSource = "tone:1000";
    b.recordCalls = true;
    PhoneController alice(a);
    PhoneController bob(b);
    ASSERT_TRUE(alice.start() && bob.start());
    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5653"), false));
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    CallItem* in = bob.incomingCall();
    EXPECT_FALSE(in->recording());
    bob.answer(false);
    CallItem* out = alice.currentCall();
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return out->active() && in->active(); }));
    EXPECT_TRUE(in->recording()) << "bob's profile records every call";
    EXPECT_TRUE(in->recordingFile().startsWith(QDir(bobDir.path()).filePath(QStringLiteral("recordings/"))))
        << in->recordingFile().toStdString();
    EXPECT_FALSE(out->recording());

    out->toggleRecording();
    ASSERT_TRUE(out->recording()) << alice.lastProblem().toStdString();
    const QString aliceFile = out->recordingFile();
    EXPECT_TRUE(aliceFile.endsWith(QLatin1String(".wav")));
    waitFor([] { return false; }, 1500); // record for a while
    out->toggleRecording();
    EXPECT_FALSE(out->recording());
    const QString bobFile = in->recordingFile();
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return out->ended() && in->ended(); }));
    EXPECT_FALSE(in->recording());
    waitFor([] { return false; }, 300); // the media thread closes the files
    for (const QString& file : {aliceFile, bobFile}) {
        QFile f(file);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << file.toStdString();
        const QByteArray head = f.read(44);
        EXPECT_TRUE(head.startsWith("RIFF")) << file.toStdString();
        // More than a second of 48 kHz 16-bit mono, and the header's data size was fixed up.
        EXPECT_GT(f.size(), 44 + 96000) << file.toStdString();
        const quint32 dataBytes = quint32(quint8(head[40])) | quint32(quint8(head[41])) << 8 |
                                  quint32(quint8(head[42])) << 16 | quint32(quint8(head[43])) << 24;
        EXPECT_EQ(qint64(dataBytes), f.size() - 44) << file.toStdString();
    }
}
