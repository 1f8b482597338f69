// MessageThread: the instant messages (RFC 3428 MESSAGE) exchanged with one peer on one
// account, as a list model QML can show directly.
//
// Theory of operation: Phone keeps one thread per (account, peer address) — the peer address
// compared without parameters or password, so replies from "sip:bob@host;transport=udp" land
// beside "sip:bob@host". Rows are only ever appended. send() appends an Outgoing row in state
// Sending and hands the text to the Phone, which remembers the driver's message handle; the
// MessageResult then moves the row to Delivered (2xx) or Failed with the code and reason.
// Incoming MESSAGEs (already answered 200 by the user agent) arrive through appendIncoming().
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QPointer>
#include <QString>

#include <vector>

namespace vphone::ua {

class Account;
class Phone;

/// The messages exchanged with one peer.
class MessageThread : public QAbstractListModel {
    Q_OBJECT
    Q_MOC_INCLUDE("ua/account.h")
    Q_PROPERTY(QString remoteUri READ remoteUri CONSTANT)
    Q_PROPERTY(QString remoteDisplayName READ remoteDisplayName NOTIFY remoteDisplayNameChanged)
    Q_PROPERTY(vphone::ua::Account* account READ account CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum class Direction { Invalid, Incoming, Outgoing };
    Q_ENUM(Direction)
    /// Where an outgoing message stands; incoming ones are Delivered (the UA answered 200).
    enum class Delivery { Invalid, Sending, Delivered, Failed };
    Q_ENUM(Delivery)
    enum Role {
        TextRole = Qt::UserRole + 1,
        DirectionRole,
        TimeRole,
        DeliveryRole,
        CodeRole,
        ReasonRole,
        ContentTypeRole,
    };

    /// One row.
    struct Message {
        QString text;
        QString contentType;
        Direction direction = Direction::Invalid;
        QDateTime time;
        Delivery delivery = Delivery::Invalid;
        int code = 0;   ///< final status of an outgoing message (0 while Sending)
        QString reason; ///< its reason phrase
    };

    QString remoteUri() const { return remoteUri_; }
    QString remoteDisplayName() const { return remoteDisplayName_; }
    Account* account() const;
    int count() const { return static_cast<int>(messages_.size()); }
    /// Row `row` (C++; QML reads the roles).
    const Message& at(int row) const { return messages_.at(static_cast<std::size_t>(row)); }

    /// Sends `text` as text/plain (UTF-8) to the peer and returns the new row. When it cannot be
    /// sent at all (the Phone is not started) the row is Failed at once and Phone::problem says why.
    Q_INVOKABLE int send(const QString& text);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    /// A message from the peer was appended at `row`.
    void messageReceived(int row);
    /// An outgoing message at `row` reached its final state (Delivered or Failed).
    void deliveryChanged(int row, vphone::ua::MessageThread::Delivery delivery);
    void countChanged();
    void remoteDisplayNameChanged();

private:
    friend class Phone;
    MessageThread(Phone* phone, QString remoteUri, Account* account);
    int append(Message m);
    void appendIncoming(const QString& text, const QString& contentType, const QString& displayName);
    void setResult(int row, int code, const QString& reason);

    QPointer<Phone> phone_;
    QPointer<Account> account_;
    QString remoteUri_;
    QString remoteDisplayName_;
    std::vector<Message> messages_;
};

} // namespace vphone::ua
