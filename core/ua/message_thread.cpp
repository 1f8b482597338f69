#include "ua/message_thread.h"

#include "ua/account.h"
#include "ua/phone.h"

namespace vphone::ua {

MessageThread::MessageThread(Phone* phone, QString remoteUri, Account* account)
    : QAbstractListModel(phone), phone_(phone), account_(account), remoteUri_(std::move(remoteUri))
{}

Account* MessageThread::account() const
{
    return account_.data();
}

int MessageThread::send(const QString& text)
{
    Message m;
    m.text = text;
    m.contentType = QStringLiteral("text/plain;charset=utf-8");
    m.direction = Direction::Outgoing;
    m.time = QDateTime::currentDateTimeUtc();
    m.delivery = Delivery::Sending;
    const int row = append(std::move(m));
    if (phone_) {
        phone_->sendText(this, row, text);
    } else {
        setResult(row, 0, QStringLiteral("the phone is gone"));
    }
    return row;
}

int MessageThread::append(Message m)
{
    const int row = count();
    beginInsertRows({}, row, row);
    messages_.push_back(std::move(m));
    endInsertRows();
    emit countChanged();
    return row;
}

void MessageThread::appendIncoming(const QString& text, const QString& contentType,
                                   const QString& displayName)
{
    if (!displayName.isEmpty() && displayName != remoteDisplayName_) {
        remoteDisplayName_ = displayName;
        emit remoteDisplayNameChanged();
    }
    Message m;
    m.text = text;
    m.contentType = contentType;
    m.direction = Direction::Incoming;
    m.time = QDateTime::currentDateTimeUtc();
    m.delivery = Delivery::Delivered;
    emit messageReceived(append(std::move(m)));
}

void MessageThread::setResult(int row, int code, const QString& reason)
{
    if (row < 0 || row >= count()) return;
    Message& m = messages_[static_cast<std::size_t>(row)];
    if (m.delivery != Delivery::Sending) return; // final already
    m.code = code;
    m.reason = reason;
    m.delivery = code >= 200 && code < 300 ? Delivery::Delivered : Delivery::Failed;
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {DeliveryRole, CodeRole, ReasonRole});
    emit deliveryChanged(row, m.delivery);
}

int MessageThread::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant MessageThread::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count()) return {};
    const Message& m = at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return m.text;
    case DirectionRole: return QVariant::fromValue(m.direction);
    case TimeRole: return m.time;
    case DeliveryRole: return QVariant::fromValue(m.delivery);
    case CodeRole: return m.code;
    case ReasonRole: return m.reason;
    case ContentTypeRole: return m.contentType;
    default: return {};
    }
}

QHash<int, QByteArray> MessageThread::roleNames() const
{
    return {{TextRole, "text"},
            {DirectionRole, "direction"},
            {TimeRole, "time"},
            {DeliveryRole, "delivery"},
            {CodeRole, "code"},
            {ReasonRole, "reason"},
            {ContentTypeRole, "contentType"}};
}

} // namespace vphone::ua
