// The phone's local data: contacts, call history and chat messages in one SQLite file, through
// QtSql. The GUI's list models read and write through this class.
//
// Durability: the file runs in WAL mode with `synchronous=FULL` and every change is one
// transaction, so a call that returned success survives a killed process (kill -9) and also a
// power cut; the fsync per commit is nothing at the rate people call and chat.
//
// Threads: a Database and its QSqlDatabase connection belong to the thread that opened it (a
// QtSql rule). Open one Database per thread on the same file; each gets its own connection
// name, WAL lets readers run alongside the one writer, and a busy file is waited for (5 s).
#pragma once

#include "contacts/contact.h"
#include "contacts/error.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace vphone::contacts {

/// Which way a call or a message went.
enum class Direction {
    Incoming,
    Outgoing,
};

/// How a call ended.
enum class CallOutcome {
    Answered,  ///< connected (duration counts from the connection)
    Missed,    ///< incoming, never answered here or elsewhere
    Rejected,  ///< incoming, declined by the user (or DND)
    Failed,    ///< network, auth or media failure
    Cancelled, ///< outgoing, hung up by us before an answer
    Busy,      ///< outgoing, the callee was busy (486/600)
};

/// Where an outgoing message is (incoming ones are Delivered).
enum class DeliveryState {
    Pending,   ///< queued, not yet sent
    Sent,      ///< MESSAGE sent, no final answer yet
    Delivered, ///< 2xx received
    Failed,    ///< error answer or timeout
};

/// One entry of the call history.
struct CallRecord {
    qint64 id = 0; ///< row id; 0 until stored
    Direction direction = Direction::Incoming;
    QString peerUri;                        ///< the other side's URI
    QString peerDisplayName;                ///< name from the signalling (may be empty)
    QString accountUri;                     ///< our account (AoR) that placed/took the call
    QDateTime startTime;                    ///< when the call began (ring or dial)
    std::optional<QDateTime> connectedTime; ///< when it was answered, if it was
    qint64 durationSeconds = 0;             ///< connected time, 0 if never connected
    CallOutcome outcome = CallOutcome::Answered;
    bool seen = false; ///< for missed calls: the user has looked at them

    /// Field-by-field equality.
    bool operator==(const CallRecord&) const = default;
};

/// One chat message of a conversation (account URI, peer URI).
struct Message {
    qint64 id = 0;      ///< row id; 0 until stored
    QString accountUri; ///< our account (AoR); with peerUri, the conversation key
    QString peerUri;    ///< the other side's AoR, compared exactly: pass it canonical
    Direction direction = Direction::Incoming;
    QString text;                                       ///< the body
    QString contentType = QStringLiteral("text/plain"); ///< MIME type of the body
    QDateTime time;                                     ///< sent or received
    DeliveryState state = DeliveryState::Delivered;
    bool read = false; ///< incoming: the user has seen it (outgoing: store as read)

    /// Field-by-field equality.
    bool operator==(const Message&) const = default;
};

/// A conversation as the chat list shows it.
struct Conversation {
    QString accountUri;  ///< our side
    QString peerUri;     ///< their side
    Message lastMessage; ///< newest message
    int unreadCount = 0; ///< messages with read == false

    /// Field-by-field equality.
    bool operator==(const Conversation&) const = default;
};

/// How Database::contacts() orders and filters.
struct ContactListOptions {
    bool favouritesFirst = false; ///< favourites before the others, each group by name
    bool favouritesOnly = false;  ///< only favourites
};

/// An open contacts/history/messages file. Move-only; closes its connection when destroyed.
class Database {
public:
    /// Opens or creates the file at `path` (its directory is created), sets WAL, FULL sync and
    /// foreign keys, and migrates the schema to schema::kCurrentVersion.
    static Result<Database> open(const QString& path);

    /// Takes over the connection of `other`, which is left closed.
    Database(Database&& other) noexcept;
    /// Closes this connection and takes over the one of `other`.
    Database& operator=(Database&& other) noexcept;
    /// Not copyable: one object, one connection.
    Database(const Database&) = delete;
    /// Not copyable: one object, one connection.
    Database& operator=(const Database&) = delete;
    /// Closes the connection and removes its name from QtSql.
    ~Database();

    /// The file path given to open().
    const QString& path() const { return path_; }
    /// The unique QSqlDatabase connection name of this object.
    const QString& connectionName() const { return connection_; }

    // --- Contacts ---------------------------------------------------------------------

    /// Stores a new contact (its id is ignored) and returns the new id.
    Result<qint64> addContact(const Contact& contact);
    /// Stores many contacts (a vCard import) in one transaction: all or none. Returns their ids.
    Result<QList<qint64>> addContacts(const QList<Contact>& contacts);
    /// Replaces the stored contact with the same id (addresses and numbers included).
    Status updateContact(const Contact& contact);
    /// Deletes a contact with its addresses and numbers; an error if there is no such id.
    Status deleteContact(qint64 id);
    /// The contact with this id, or nullopt.
    Result<std::optional<Contact>> contact(qint64 id) const;
    /// All contacts by name (accents and case folded), optionally favourites first or only.
    Result<QList<Contact>> contacts(const ContactListOptions& options = {}) const;
    /// Number of stored contacts.
    Result<int> contactCount() const;
    /// Search as you type: every word of `query` must occur (case- and accent-insensitive) in a
    /// name, the organisation, a SIP address or a number; a query of dialling characters also
    /// matches numbers ignoring spaces and dashes. Names starting with the query come first.
    Result<QList<Contact>> searchContacts(const QString& query, int limit = 50) const;
    /// The contact owning this SIP address (scheme, port, parameters and case ignored); a
    /// `user=phone` or all-digits user part falls back to findByNumber(); nullopt if none.
    Result<std::optional<Contact>> findBySipUri(const QString& uri) const;
    /// The contact with this number, digits compared: exact first, else, leading zeros dropped,
    /// one number ending with the other when both keep 7+ digits ("030 1234567" finds
    /// "+49 30 1234567").
    Result<std::optional<Contact>> findByNumber(const QString& number) const;

    // --- Call history -----------------------------------------------------------------

    /// Stores a call and returns its id.
    Result<qint64> addCall(const CallRecord& call);
    /// Calls newest first; `limit` < 0 means all.
    Result<QList<CallRecord>> calls(int limit = 100, int offset = 0) const;
    /// Number of stored calls.
    Result<int> callCount() const;
    /// Missed calls the user has not looked at yet (the badge on the history tab).
    Result<int> unseenMissedCallCount() const;
    /// Marks every missed call as seen.
    Status markMissedCallsSeen();
    /// Deletes one call; an error if there is no such id.
    Status deleteCall(qint64 id);
    /// Deletes the whole history.
    Status clearCalls();

    // --- Messages ---------------------------------------------------------------------

    /// Stores a message and returns its id.
    Result<qint64> addMessage(const Message& message);
    /// Changes the delivery state of a message; an error if there is no such id.
    Status setDeliveryState(qint64 id, DeliveryState state);
    /// One conversation, oldest first.
    Result<QList<Message>> messages(const QString& accountUri, const QString& peerUri) const;
    /// Every conversation with its newest message and unread count, most recent first.
    Result<QList<Conversation>> conversations() const;
    /// Marks every message of the conversation read.
    Status markConversationRead(const QString& accountUri, const QString& peerUri);
    /// Unread messages over all conversations.
    Result<int> unreadMessageCount() const;
    /// Deletes a conversation.
    Status deleteConversation(const QString& accountUri, const QString& peerUri);

private:
    Database(QSqlDatabase db, QString path, QString connection);
    void close();
    Status configure();
    Status migrate();
    Status migrateV1ToV2();
    Result<qint64> insertContact(const Contact& contact);
    Status writeAddresses(qint64 id, const Contact& contact);
    Result<QList<Contact>> selectContacts(const QString& where, const QVariantList& values,
                                          const QString& orderLimit) const;
    Result<std::optional<Contact>> contactWhere(const QString& sql, const QVariantList& values) const;

    QSqlDatabase db_;
    QString path_;
    QString connection_;
};

} // namespace vphone::contacts
