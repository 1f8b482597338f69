// Call history and chat messages. Enums are stored as short words, not numbers, so the file
// stays readable with the sqlite3 shell and survives reordering of the C++ enums.
#include "contacts/database.h"

#include "contacts/database_sql.h"

#include <QSqlQuery>
#include <QTimeZone>

#include <array>
#include <utility>

namespace vphone::contacts {

using detail::run;
using detail::scalar;
using detail::toMs;

namespace {

template <class Enum, std::size_t N>
QString enumWord(Enum value, const std::array<std::pair<Enum, const char*>, N>& words)
{
    for (const auto& [e, word] : words)
        if (e == value) return QString::fromLatin1(word);
    return {};
}

template <class Enum, std::size_t N>
Enum enumFromWord(const QString& text, const std::array<std::pair<Enum, const char*>, N>& words,
                  Enum fallback)
{
    for (const auto& [e, word] : words)
        if (text == QLatin1String(word)) return e;
    return fallback;
}

constexpr std::array<std::pair<Direction, const char*>, 2> kDirections{{
    {Direction::Incoming, "in"},
    {Direction::Outgoing, "out"},
}};
constexpr std::array<std::pair<CallOutcome, const char*>, 6> kOutcomes{{
    {CallOutcome::Answered, "answered"},
    {CallOutcome::Missed, "missed"},
    {CallOutcome::Rejected, "rejected"},
    {CallOutcome::Failed, "failed"},
    {CallOutcome::Cancelled, "cancelled"},
    {CallOutcome::Busy, "busy"},
}};
constexpr std::array<std::pair<DeliveryState, const char*>, 4> kStates{{
    {DeliveryState::Pending, "pending"},
    {DeliveryState::Sent, "sent"},
    {DeliveryState::Delivered, "delivered"},
    {DeliveryState::Failed, "failed"},
}};

QDateTime fromMs(const QVariant& value)
{
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::utc());
}

const QString kCallColumns = QStringLiteral(
    "id, direction, peer_uri, peer_name, account_uri, start_ms, connected_ms, duration_s, outcome, seen");
const QString kMessageColumns =
    QStringLiteral("id, account_uri, peer_uri, direction, body, content_type, time_ms, state, read");

Message messageFromRow(const QSqlQuery& q, int first = 0)
{
    Message m;
    m.id = q.value(first + 0).toLongLong();
    m.accountUri = q.value(first + 1).toString();
    m.peerUri = q.value(first + 2).toString();
    m.direction = enumFromWord(q.value(first + 3).toString(), kDirections, Direction::Incoming);
    m.text = q.value(first + 4).toString();
    m.contentType = q.value(first + 5).toString();
    m.time = fromMs(q.value(first + 6));
    m.state = enumFromWord(q.value(first + 7).toString(), kStates, DeliveryState::Delivered);
    m.read = q.value(first + 8).toBool();
    return m;
}

/// Runs one UPDATE/DELETE in a transaction; `mustMatch` turns "no row changed" into an error.
Status change(const QSqlDatabase& db, const QString& step, const QString& sql, const QVariantList& values,
              bool mustMatch)
{
    return detail::inTransaction(db, step, [&]() -> Status {
        auto q = run(db, step, sql, values);
        if (!q) return q.error();
        if (mustMatch && q->numRowsAffected() == 0)
            return makeError(QStringLiteral("%1: no row with id %2 (%3)")
                                 .arg(step, values.last().toString(), db.databaseName()));
        return kOk;
    });
}

/// Runs one INSERT in a transaction and returns the new row id.
Result<qint64> insert(const QSqlDatabase& db, const QString& step, const QString& sql,
                      const QVariantList& values)
{
    qint64 id = 0;
    auto done = detail::inTransaction(db, step, [&]() -> Status {
        auto q = run(db, step, sql, values);
        if (!q) return q.error();
        id = q->lastInsertId().toLongLong();
        return kOk;
    });
    if (!done) return done.error();
    return id;
}

Result<int> count(const QSqlDatabase& db, const QString& step, const QString& sql)
{
    auto n = scalar(db, step, sql);
    if (!n) return n.error();
    return static_cast<int>(*n);
}

} // namespace

// --- Call history ---------------------------------------------------------------------------

Result<qint64> Database::addCall(const CallRecord& call)
{
    return insert(
        db_, QStringLiteral("add call"),
        QStringLiteral("INSERT INTO calls (direction, peer_uri, peer_name, account_uri, start_ms,"
                       " connected_ms, duration_s, outcome, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {enumWord(call.direction, kDirections), call.peerUri, call.peerDisplayName, call.accountUri,
         toMs(call.startTime),
         call.connectedTime ? QVariant(toMs(*call.connectedTime)) : QVariant(QMetaType::fromType<qint64>()),
         call.durationSeconds, enumWord(call.outcome, kOutcomes), call.seen});
}

Result<QList<CallRecord>> Database::calls(int limit, int offset) const
{
    auto q = run(db_, QStringLiteral("read calls"),
                 QStringLiteral("SELECT %1 FROM calls ORDER BY start_ms DESC, id DESC LIMIT ? OFFSET ?")
                     .arg(kCallColumns),
                 {limit < 0 ? -1 : limit, offset < 0 ? 0 : offset});
    if (!q) return q.error();
    QList<CallRecord> out;
    while (q->next()) {
        CallRecord c;
        c.id = q->value(0).toLongLong();
        c.direction = enumFromWord(q->value(1).toString(), kDirections, Direction::Incoming);
        c.peerUri = q->value(2).toString();
        c.peerDisplayName = q->value(3).toString();
        c.accountUri = q->value(4).toString();
        c.startTime = fromMs(q->value(5));
        if (!q->value(6).isNull()) c.connectedTime = fromMs(q->value(6));
        c.durationSeconds = q->value(7).toLongLong();
        c.outcome = enumFromWord(q->value(8).toString(), kOutcomes, CallOutcome::Failed);
        c.seen = q->value(9).toBool();
        out.append(std::move(c));
    }
    return out;
}

Result<int> Database::callCount() const
{
    return count(db_, QStringLiteral("count calls"), QStringLiteral("SELECT COUNT(*) FROM calls"));
}

Result<int> Database::unseenMissedCallCount() const
{
    return count(db_, QStringLiteral("count missed calls"),
                 QStringLiteral("SELECT COUNT(*) FROM calls WHERE outcome = 'missed' AND seen = 0"));
}

Status Database::markMissedCallsSeen()
{
    return change(db_, QStringLiteral("mark missed calls seen"),
                  QStringLiteral("UPDATE calls SET seen = 1 WHERE outcome = 'missed' AND seen = 0"), {},
                  false);
}

Status Database::deleteCall(qint64 id)
{
    return change(db_, QStringLiteral("delete call"), QStringLiteral("DELETE FROM calls WHERE id = ?"), {id},
                  true);
}

Status Database::clearCalls()
{
    return change(db_, QStringLiteral("clear call history"), QStringLiteral("DELETE FROM calls"), {}, false);
}

// --- Messages -------------------------------------------------------------------------------

Result<qint64> Database::addMessage(const Message& m)
{
    return insert(
        db_, QStringLiteral("add message"),
        QStringLiteral("INSERT INTO messages (account_uri, peer_uri, direction, body, content_type, time_ms,"
                       " state, read) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {m.accountUri, m.peerUri, enumWord(m.direction, kDirections), m.text, m.contentType, toMs(m.time),
         enumWord(m.state, kStates), m.read});
}

Status Database::setDeliveryState(qint64 id, DeliveryState state)
{
    return change(db_, QStringLiteral("set message delivery state"),
                  QStringLiteral("UPDATE messages SET state = ? WHERE id = ?"),
                  {enumWord(state, kStates), id}, true);
}

Result<QList<Message>> Database::messages(const QString& accountUri, const QString& peerUri) const
{
    auto q = run(
        db_, QStringLiteral("read messages"),
        QStringLiteral("SELECT %1 FROM messages WHERE account_uri = ? AND peer_uri = ? ORDER BY time_ms, id")
            .arg(kMessageColumns),
        {accountUri, peerUri});
    if (!q) return q.error();
    QList<Message> out;
    while (q->next())
        out.append(messageFromRow(*q));
    return out;
}

Result<QList<Conversation>> Database::conversations() const
{
    // One row per conversation: its newest message (time, then id for equal times) and the
    // unread count, both from the (account_uri, peer_uri, time_ms, id) index.
    auto q =
        run(db_, QStringLiteral("read conversations"),
            QStringLiteral("SELECT (SELECT COUNT(*) FROM messages u WHERE u.account_uri = m.account_uri"
                           " AND u.peer_uri = m.peer_uri AND u.read = 0), %1 FROM messages m"
                           " WHERE m.id = (SELECT x.id FROM messages x WHERE x.account_uri = m.account_uri"
                           " AND x.peer_uri = m.peer_uri ORDER BY x.time_ms DESC, x.id DESC LIMIT 1)"
                           " ORDER BY m.time_ms DESC, m.id DESC")
                .arg(kMessageColumns));
    if (!q) return q.error();
    QList<Conversation> out;
    while (q->next()) {
        Conversation c;
        c.unreadCount = q->value(0).toInt();
        c.lastMessage = messageFromRow(*q, 1);
        c.accountUri = c.lastMessage.accountUri;
        c.peerUri = c.lastMessage.peerUri;
        out.append(std::move(c));
    }
    return out;
}

Status Database::markConversationRead(const QString& accountUri, const QString& peerUri)
{
    return change(
        db_, QStringLiteral("mark conversation read"),
        QStringLiteral("UPDATE messages SET read = 1 WHERE account_uri = ? AND peer_uri = ? AND read = 0"),
        {accountUri, peerUri}, false);
}

Result<int> Database::unreadMessageCount() const
{
    return count(db_, QStringLiteral("count unread messages"),
                 QStringLiteral("SELECT COUNT(*) FROM messages WHERE read = 0"));
}

Status Database::deleteConversation(const QString& accountUri, const QString& peerUri)
{
    return change(db_, QStringLiteral("delete conversation"),
                  QStringLiteral("DELETE FROM messages WHERE account_uri = ? AND peer_uri = ?"),
                  {accountUri, peerUri}, false);
}

} // namespace vphone::contacts
