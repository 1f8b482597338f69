// Call history (newest first, paging, missed-call badge) and messages (conversations, delivery
// states, unread counts).
#include "contacts/database.h"
#include "contacts_test_util.h"

#include <QTimeZone>

using namespace vphone::contacts;
using contacts_test::value;

namespace {

QDateTime at(int minutes)
{
    return QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + qint64(minutes) * 60'000, QTimeZone::utc());
}

CallRecord call(int minute, CallOutcome outcome, Direction direction = Direction::Incoming)
{
    CallRecord c;
    c.direction = direction;
    c.peerUri = QStringLiteral("sip:peer%1@example.com").arg(minute);
    c.peerDisplayName = QStringLiteral("Pëer %1").arg(minute);
    c.accountUri = QStringLiteral("sip:me@example.com");
    c.startTime = at(minute);
    c.outcome = outcome;
    if (outcome == CallOutcome::Answered) {
        c.connectedTime = at(minute).addSecs(5);
        c.durationSeconds = 125;
    }
    return c;
}

Message message(const QString& peer, int minute, Direction direction, const QString& text, bool read)
{
    Message m;
    m.accountUri = QStringLiteral("sip:me@example.com");
    m.peerUri = peer;
    m.direction = direction;
    m.text = text;
    m.time = at(minute);
    m.read = read;
    m.state = direction == Direction::Outgoing ? DeliveryState::Pending : DeliveryState::Delivered;
    return m;
}

} // namespace

TEST(ContactsHistory, ListsNewestFirstWithPaging)
{
    QTemporaryDir dir;
    auto db = contacts_test::open(dir.filePath(QStringLiteral("h.db")));
    ASSERT_TRUE(db);
    QList<CallRecord> added;
    const CallOutcome outcomes[] = {CallOutcome::Answered, CallOutcome::Missed,    CallOutcome::Rejected,
                                    CallOutcome::Failed,   CallOutcome::Cancelled, CallOutcome::Busy};
    for (int i = 0; i < 6; ++i) {
        CallRecord c = call(i, outcomes[i], i % 2 ? Direction::Incoming : Direction::Outgoing);
        c.id = value(db->addCall(c));
        added.prepend(c); // newest first
    }
    EXPECT_EQ(value(db->calls()), added);
    EXPECT_EQ(value(db->calls(2, 1)), (QList<CallRecord>{added[1], added[2]}));
    EXPECT_EQ(value(db->calls(-1, 5)), QList<CallRecord>{added[5]});
    EXPECT_EQ(value(db->callCount()), 6);
    const QList<CallRecord> all = value(db->calls());
    ASSERT_EQ(all.size(), 6);
    EXPECT_EQ(all[5].connectedTime, std::optional<QDateTime>(at(0).addSecs(5)));
    EXPECT_EQ(all[5].durationSeconds, 125);
    EXPECT_EQ(all[4].connectedTime, std::nullopt);
    EXPECT_EQ(all[4].peerDisplayName, QStringLiteral("Pëer 1"));
}

TEST(ContactsHistory, MissedCountMarkSeenDeleteAndClear)
{
    QTemporaryDir dir;
    auto db = contacts_test::open(dir.filePath(QStringLiteral("h.db")));
    ASSERT_TRUE(db);
    const qint64 first = value(db->addCall(call(1, CallOutcome::Missed)));
    value(db->addCall(call(2, CallOutcome::Missed)));
    value(db->addCall(call(3, CallOutcome::Answered)));
    EXPECT_EQ(value(db->unseenMissedCallCount()), 2);
    ASSERT_TRUE(db->markMissedCallsSeen().ok());
    EXPECT_EQ(value(db->unseenMissedCallCount()), 0);
    value(db->addCall(call(4, CallOutcome::Missed)));
    EXPECT_EQ(value(db->unseenMissedCallCount()), 1);
    EXPECT_TRUE(value(db->calls(1)).first().seen == false);

    ASSERT_TRUE(db->deleteCall(first).ok());
    EXPECT_EQ(value(db->callCount()), 3);
    auto again = db->deleteCall(first);
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.error().what.contains(QStringLiteral("delete call")))
        << again.error().what.toStdString();
    ASSERT_TRUE(db->clearCalls().ok());
    EXPECT_EQ(value(db->callCount()), 0);
    EXPECT_EQ(value(db->unseenMissedCallCount()), 0);
}

TEST(ContactsMessages, ConversationsUnreadCountsAndDeliveryStates)
{
    QTemporaryDir dir;
    auto db = contacts_test::open(dir.filePath(QStringLiteral("m.db")));
    ASSERT_TRUE(db);
    const QString bob = QStringLiteral("sip:bob@example.com");
    const QString carol = QStringLiteral("sip:carol@example.com");
    Message b1 = message(bob, 1, Direction::Incoming, QStringLiteral("Hallo, wie geht's? 😀"), false);
    Message b2 = message(bob, 2, Direction::Outgoing, QStringLiteral("Gut, danke!"), true);
    Message b3 = message(bob, 5, Direction::Incoming, QStringLiteral("Kaffee?"), false);
    Message c1 = message(carol, 3, Direction::Incoming, QStringLiteral("<b>hi</b>"), false);
    c1.contentType = QStringLiteral("text/html");
    // Added out of time order: listing sorts by time.
    for (Message* m : {&b3, &b1, &c1, &b2})
        m->id = value(db->addMessage(*m));

    EXPECT_EQ(value(db->messages(QStringLiteral("sip:me@example.com"), bob)), (QList<Message>{b1, b2, b3}));
    EXPECT_EQ(value(db->messages(QStringLiteral("sip:other@example.com"), bob)), QList<Message>{});
    EXPECT_EQ(value(db->unreadMessageCount()), 3);

    ASSERT_TRUE(db->setDeliveryState(b2.id, DeliveryState::Sent).ok());
    ASSERT_TRUE(db->setDeliveryState(b2.id, DeliveryState::Delivered).ok());
    b2.state = DeliveryState::Delivered;
    EXPECT_EQ(value(db->messages(QStringLiteral("sip:me@example.com"), bob))[1], b2);
    EXPECT_FALSE(db->setDeliveryState(b2.id + 100, DeliveryState::Failed).ok());

    QList<Conversation> conversations = value(db->conversations());
    const QList<Conversation> expected{{QStringLiteral("sip:me@example.com"), bob, b3, 2},
                                       {QStringLiteral("sip:me@example.com"), carol, c1, 1}};
    EXPECT_EQ(conversations, expected);

    ASSERT_TRUE(db->markConversationRead(QStringLiteral("sip:me@example.com"), bob).ok());
    EXPECT_EQ(value(db->unreadMessageCount()), 1);
    conversations = value(db->conversations());
    ASSERT_EQ(conversations.size(), 2);
    EXPECT_EQ(conversations[0].unreadCount, 0);
    EXPECT_TRUE(conversations[0].lastMessage.read);

    // A newer message moves carol's conversation to the top.
    Message c2 = message(carol, 9, Direction::Outgoing, QStringLiteral("bye"), true);
    c2.id = value(db->addMessage(c2));
    conversations = value(db->conversations());
    ASSERT_EQ(conversations.size(), 2);
    EXPECT_EQ(conversations[0].peerUri, carol);
    EXPECT_EQ(conversations[0].lastMessage, c2);
    EXPECT_EQ(conversations[0].unreadCount, 1);

    ASSERT_TRUE(db->deleteConversation(QStringLiteral("sip:me@example.com"), carol).ok());
    EXPECT_EQ(value(db->conversations()).size(), 1);
    EXPECT_EQ(value(db->unreadMessageCount()), 0);
}
