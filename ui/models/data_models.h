// The app's stored data as QML list models: call history, contacts, conversations and one
// conversation's messages, all read from the profile's contacts::Database (PROFILE/vphone.db).
//
// Theory of operation: PhoneController owns the Database and these models. Each model reloads
// its rows from the database when told (reload(), after every change the controller or the
// model itself writes), which keeps them simple and correct; the lists are short (the history
// is capped at 500 rows). A null database (it could not be opened) leaves every model empty.
#pragma once

#include "contacts/database.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <functional>

namespace vphone::ui {

/// The call history, newest first; missed calls are marked and counted until seen.
class HistoryModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int missedCount READ missedCount NOTIFY missedCountChanged)
public:
    enum Role {
        PeerUriRole = Qt::UserRole + 1,
        PeerNameRole,
        IncomingRole,
        OutcomeRole, ///< "answered", "missed", "rejected", "failed", "cancelled", "busy"
        MissedRole,
        SeenRole,
        StartRole,
        DurationRole,
        DurationTextRole,
    };
    explicit HistoryModel(QObject* parent = nullptr);
    void setDatabase(contacts::Database* db);
    /// Re-reads the rows and the missed count.
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Missed calls not yet seen (the badge).
    int missedCount() const { return missed_; }
    /// The user has looked at the history: missed calls are seen.
    Q_INVOKABLE void markSeen();
    /// The peer URI of row `row` (for "call back"), empty for a bad row.
    Q_INVOKABLE QString peerUriAt(int row) const;
    /// Deletes the whole history.
    Q_INVOKABLE void clear();
    const QList<contacts::CallRecord>& rows() const { return rows_; }
    /// "answered", "missed"... for an outcome.
    static QString outcomeName(contacts::CallOutcome outcome);

signals:
    void missedCountChanged();
    /// A database call failed (the controller shows it in the status line).
    void problem(const QString& what);

private:
    contacts::Database* db_ = nullptr;
    QList<contacts::CallRecord> rows_;
    int missed_ = 0;
};

/// The address book, favourites first, filtered by search as you type.
class ContactListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,
        SipAddressRole, ///< the first SIP address (empty if none)
        SipAddressesRole,
        NumbersRole,
        FavouriteRole,
        BlfRole,
        NoteRole,
        HasPhotoRole,
        PresenceRole, ///< "available", "away", "busy", "on-the-phone", "offline" or "" (unknown)
        LampRole,     ///< busy lamp: "idle", "ringing", "in-call" or "" (not BLF / unknown)
    };
    explicit ContactListModel(QObject* parent = nullptr);
    /// Where PresenceRole and LampRole come from (PresenceWatch): (contact id, role) -> word.
    void setStateProvider(std::function<QString(qint64, int)> provider)
    {
        stateProvider_ = std::move(provider);
    }
    /// Contact `id`'s presence or lamp changed: its row is refreshed.
    void contactStateChanged(qint64 id);
    void setDatabase(contacts::Database* db);
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString filter() const { return filter_; }
    void setFilter(const QString& filter);
    int count() const { return static_cast<int>(rows_.size()); }
    const QList<contacts::Contact>& rows() const { return rows_; }

    /// Adds a contact from the edit dialog; returns its id (0 and problem() on failure).
    /// `sipAddresses` and `numbers` are separated by commas or new lines.
    Q_INVOKABLE qint64 add(const QString& name, const QString& sipAddresses, const QString& numbers,
                           const QString& note, bool favourite, bool blf);
    /// Replaces contact `id` (its photo and other fields not in the dialog are kept).
    Q_INVOKABLE bool update(qint64 id, const QString& name, const QString& sipAddresses,
                            const QString& numbers, const QString& note, bool favourite, bool blf);
    Q_INVOKABLE bool remove(qint64 id);
    /// The contact `id` as a map for the edit dialog (name, sipAddresses, numbers, note,
    /// favourite, blf); empty when there is none.
    Q_INVOKABLE QVariantMap get(qint64 id) const;
    /// Imports a vCard file: "12 imported, 2 rejected: line 7: …".
    Q_INVOKABLE QString importVCard(const QString& path);
    /// Writes every contact to `path` as vCard `version` (3 or 4): "5 exported to …" or the error.
    Q_INVOKABLE QString exportVCard(const QString& path, int version = 3);
    /// The address to call for row `row`: the first SIP address, else the first number.
    Q_INVOKABLE QString callTargetAt(int row) const;

signals:
    void filterChanged();
    void countChanged();
    void problem(const QString& what);
    /// The address book changed (caller names may change).
    void contactsChanged();

private:
    contacts::Database* db_ = nullptr;
    QString filter_;
    QList<contacts::Contact> rows_;
    std::function<QString(qint64, int)> stateProvider_;
};

/// The conversations, most recent first, with their last message and unread count.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
public:
    enum Role {
        PeerUriRole = Qt::UserRole + 1,
        PeerNameRole,
        AccountUriRole,
        LastTextRole,
        LastTimeRole,
        UnreadRole,
    };
    explicit ConversationListModel(QObject* parent = nullptr);
    void setDatabase(contacts::Database* db);
    /// Names peers (a contact's name); set by the controller.
    void setNamer(std::function<QString(const QString&)> namer) { namer_ = std::move(namer); }
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Unread messages over all conversations (the badge).
    int unreadCount() const { return unread_; }
    const QList<contacts::Conversation>& rows() const { return rows_; }

signals:
    void unreadCountChanged();
    void problem(const QString& what);

private:
    contacts::Database* db_ = nullptr;
    std::function<QString(const QString&)> namer_;
    QList<contacts::Conversation> rows_;
    int unread_ = 0;
};

/// The messages of the open conversation, oldest first, from the database.
class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString peerUri READ peerUri NOTIFY conversationChanged)
    Q_PROPERTY(QString accountUri READ accountUri NOTIFY conversationChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        TextRole = Qt::UserRole + 1,
        IncomingRole,
        TimeRole,
        DeliveryRole, ///< "pending", "sent", "delivered", "failed"
    };
    explicit MessageListModel(QObject* parent = nullptr);
    void setDatabase(contacts::Database* db);
    /// Shows the conversation (accountUri, peerUri) and reloads.
    void setConversation(const QString& accountUri, const QString& peerUri);
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString peerUri() const { return peer_; }
    QString accountUri() const { return account_; }
    int count() const { return static_cast<int>(rows_.size()); }
    const QList<contacts::Message>& rows() const { return rows_; }

signals:
    void conversationChanged();
    void countChanged();
    void problem(const QString& what);

private:
    contacts::Database* db_ = nullptr;
    QString account_;
    QString peer_;
    QList<contacts::Message> rows_;
};

} // namespace vphone::ui
