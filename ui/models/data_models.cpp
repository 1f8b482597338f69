#include "models/data_models.h"

#include "contacts/vcard.h"

#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace vphone::ui {

using contacts::CallOutcome;

namespace {

QStringList splitList(const QString& text)
{
    QStringList out;
    for (const QString& part : text.split(QRegularExpression(QStringLiteral("[,;\\n]")))) {
        const QString t = part.trimmed();
        if (!t.isEmpty()) out.append(t);
    }
    return out;
}

QString sipAddress(const QString& text)
{
    if (text.startsWith(QLatin1String("sip:")) || text.startsWith(QLatin1String("sips:"))) return text;
    return QStringLiteral("sip:") + text;
}

contacts::Contact fromDialog(contacts::Contact c, const QString& name, const QString& sipAddresses,
                             const QString& numbers, const QString& note, bool favourite, bool blf)
{
    c.displayName = name.trimmed();
    c.note = note;
    c.favourite = favourite;
    c.blf = blf;
    c.sipAddresses.clear();
    for (const QString& a : splitList(sipAddresses))
        c.sipAddresses.append({sipAddress(a), {}});
    c.phoneNumbers.clear();
    for (const QString& n : splitList(numbers))
        c.phoneNumbers.append({n, {}});
    return c;
}

QString durationText(qint64 s)
{
    if (s <= 0) return {};
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString shortUri(QString uri)
{
    for (const char* scheme : {"sip:", "sips:"}) {
        if (uri.startsWith(QLatin1String(scheme))) uri = uri.mid(static_cast<int>(qstrlen(scheme)));
    }
    return uri.section(QLatin1Char(';'), 0, 0);
}

} // namespace

// --- HistoryModel ---------------------------------------------------------------------------

HistoryModel::HistoryModel(QObject* parent) : QAbstractListModel(parent) {}

void HistoryModel::setDatabase(contacts::Database* db)
{
    db_ = db;
    reload();
}

void HistoryModel::reload()
{
    beginResetModel();
    rows_.clear();
    if (db_) {
        if (auto r = db_->calls(500))
            rows_ = *r;
        else
            emit problem(r.error().what);
    }
    endResetModel();
    int missed = 0;
    if (db_) {
        if (auto m = db_->unseenMissedCallCount()) missed = *m;
    }
    if (missed != missed_) {
        missed_ = missed;
        emit missedCountChanged();
    }
}

int HistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QString HistoryModel::outcomeName(CallOutcome outcome)
{
    switch (outcome) {
    case CallOutcome::Answered: return QStringLiteral("answered");
    case CallOutcome::Missed: return QStringLiteral("missed");
    case CallOutcome::Rejected: return QStringLiteral("rejected");
    case CallOutcome::Failed: return QStringLiteral("failed");
    case CallOutcome::Cancelled: return QStringLiteral("cancelled");
    case CallOutcome::Busy: return QStringLiteral("busy");
    }
    return {};
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const contacts::CallRecord& r = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case PeerNameRole: return r.peerDisplayName.isEmpty() ? shortUri(r.peerUri) : r.peerDisplayName;
    case PeerUriRole: return r.peerUri;
    case IncomingRole: return r.direction == contacts::Direction::Incoming;
    case OutcomeRole: return outcomeName(r.outcome);
    case MissedRole: return r.outcome == CallOutcome::Missed;
    case SeenRole: return r.seen;
    case StartRole: return r.startTime.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case DurationRole: return static_cast<int>(r.durationSeconds);
    case DurationTextRole: return durationText(r.durationSeconds);
    default: return {};
    }
}

QHash<int, QByteArray> HistoryModel::roleNames() const
{
    return {{PeerUriRole, "peerUri"}, {PeerNameRole, "peerName"}, {IncomingRole, "incoming"},
            {OutcomeRole, "outcome"}, {MissedRole, "missed"},     {SeenRole, "seen"},
            {StartRole, "startText"}, {DurationRole, "duration"}, {DurationTextRole, "durationText"}};
}

void HistoryModel::markSeen()
{
    if (!db_ || missed_ == 0) return;
    if (auto ok = db_->markMissedCallsSeen(); !ok) emit problem(ok.error().what);
    reload();
}

QString HistoryModel::peerUriAt(int row) const
{
    if (row < 0 || row >= rows_.size()) return {};
    return rows_.at(row).peerUri;
}

void HistoryModel::clear()
{
    if (!db_) return;
    if (auto ok = db_->clearCalls(); !ok) emit problem(ok.error().what);
    reload();
}

// --- ContactListModel -----------------------------------------------------------------------

ContactListModel::ContactListModel(QObject* parent) : QAbstractListModel(parent) {}

void ContactListModel::setDatabase(contacts::Database* db)
{
    db_ = db;
    reload();
}

void ContactListModel::reload()
{
    const int before = count();
    beginResetModel();
    rows_.clear();
    if (db_) {
        auto r = filter_.trimmed().isEmpty() ? db_->contacts({.favouritesFirst = true})
                                             : db_->searchContacts(filter_.trimmed(), 200);
        if (r)
            rows_ = *r;
        else
            emit problem(r.error().what);
        if (!filter_.trimmed().isEmpty()) {
            // Favourites first, the search's order kept within each group.
            std::stable_sort(rows_.begin(), rows_.end(),
                             [](const contacts::Contact& a, const contacts::Contact& b) {
                                 return a.favourite && !b.favourite;
                             });
        }
    }
    endResetModel();
    if (count() != before) emit countChanged();
}

void ContactListModel::setFilter(const QString& filter)
{
    if (filter == filter_) return;
    filter_ = filter;
    emit filterChanged();
    reload();
}

int ContactListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ContactListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const contacts::Contact& c = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return c.displayName;
    case IdRole: return c.id;
    case SipAddressRole: return c.sipAddresses.isEmpty() ? QString() : c.sipAddresses.first().uri;
    case SipAddressesRole: {
        QStringList out;
        for (const auto& a : c.sipAddresses)
            out.append(a.uri);
        return out;
    }
    case NumbersRole: {
        QStringList out;
        for (const auto& n : c.phoneNumbers)
            out.append(n.number);
        return out;
    }
    case FavouriteRole: return c.favourite;
    case BlfRole: return c.blf;
    case PresenceRole:
    case LampRole: return stateProvider_ ? stateProvider_(c.id, role) : QString();
    case NoteRole: return c.note;
    case HasPhotoRole: return !c.photo.isEmpty();
    default: return {};
    }
}

QHash<int, QByteArray> ContactListModel::roleNames() const
{
    return {{IdRole, "contactId"},
            {NameRole, "name"},
            {SipAddressRole, "sipAddress"},
            {SipAddressesRole, "sipAddresses"},
            {NumbersRole, "numbers"},
            {FavouriteRole, "favourite"},
            {BlfRole, "blf"},
            {NoteRole, "note"},
            {HasPhotoRole, "hasPhoto"},
            {PresenceRole, "presence"},
            {LampRole, "lamp"}};
}

void ContactListModel::contactStateChanged(qint64 id)
{
    for (int row = 0; row < rows_.size(); ++row) {
        if (rows_.at(row).id != id) continue;
        const QModelIndex i = index(row);
        emit dataChanged(i, i, {PresenceRole, LampRole});
    }
}

qint64 ContactListModel::add(const QString& name, const QString& sipAddresses, const QString& numbers,
                             const QString& note, bool favourite, bool blf)
{
    if (!db_) return 0;
    auto id = db_->addContact(fromDialog({}, name, sipAddresses, numbers, note, favourite, blf));
    if (!id) {
        emit problem(id.error().what);
        return 0;
    }
    reload();
    emit contactsChanged();
    return *id;
}

bool ContactListModel::update(qint64 id, const QString& name, const QString& sipAddresses,
                              const QString& numbers, const QString& note, bool favourite, bool blf)
{
    if (!db_) return false;
    auto old = db_->contact(id);
    if (!old || !*old) {
        emit problem(old ? tr("No contact %1").arg(id) : old.error().what);
        return false;
    }
    if (auto ok = db_->updateContact(fromDialog(**old, name, sipAddresses, numbers, note, favourite, blf));
        !ok) {
        emit problem(ok.error().what);
        return false;
    }
    reload();
    emit contactsChanged();
    return true;
}

bool ContactListModel::remove(qint64 id)
{
    if (!db_) return false;
    if (auto ok = db_->deleteContact(id); !ok) {
        emit problem(ok.error().what);
        return false;
    }
    reload();
    emit contactsChanged();
    return true;
}

QVariantMap ContactListModel::get(qint64 id) const
{
    if (!db_) return {};
    auto c = db_->contact(id);
    if (!c || !*c) return {};
    QStringList sip, numbers;
    for (const auto& a : (*c)->sipAddresses)
        sip.append(a.uri);
    for (const auto& n : (*c)->phoneNumbers)
        numbers.append(n.number);
    return {{QStringLiteral("name"), (*c)->displayName},
            {QStringLiteral("sipAddresses"), sip.join(QStringLiteral(", "))},
            {QStringLiteral("numbers"), numbers.join(QStringLiteral(", "))},
            {QStringLiteral("note"), (*c)->note},
            {QStringLiteral("favourite"), (*c)->favourite},
            {QStringLiteral("blf"), (*c)->blf}};
}

QString ContactListModel::importVCard(const QString& path)
{
    if (!db_) return tr("No contacts database");
    auto read = contacts::readVCardFile(path);
    if (!read) return tr("Import failed: %1").arg(read.error().what);
    int imported = 0;
    if (!read->contacts.isEmpty()) {
        auto ids = db_->addContacts(read->contacts);
        if (!ids) return tr("Import failed: %1").arg(ids.error().what);
        imported = static_cast<int>(ids->size());
    }
    reload();
    emit contactsChanged();
    QString summary = tr("%n imported", nullptr, imported);
    if (!read->errors.isEmpty()) {
        QStringList why;
        for (const contacts::VCardError& e : read->errors)
            why.append(tr("line %1: %2").arg(e.line).arg(e.reason));
        summary += tr(", %n rejected: ", nullptr, static_cast<int>(read->errors.size())) +
                   why.join(QStringLiteral("; "));
    }
    return summary;
}

QString ContactListModel::exportVCard(const QString& path, int version)
{
    if (!db_) return tr("No contacts database");
    auto all = db_->contacts();
    if (!all) return tr("Export failed: %1").arg(all.error().what);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return tr("Export failed: %1").arg(file.errorString());
    file.write(
        contacts::writeVCards(*all, version == 4 ? contacts::VCardVersion::V4 : contacts::VCardVersion::V3));
    if (!file.commit()) return tr("Export failed: %1").arg(file.errorString());
    return tr("%n exported to %1", nullptr, static_cast<int>(all->size())).arg(path);
}

QString ContactListModel::callTargetAt(int row) const
{
    if (row < 0 || row >= rows_.size()) return {};
    const contacts::Contact& c = rows_.at(row);
    if (!c.sipAddresses.isEmpty()) return c.sipAddresses.first().uri;
    if (!c.phoneNumbers.isEmpty()) return c.phoneNumbers.first().number;
    return {};
}

// --- ConversationListModel ------------------------------------------------------------------

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {}

void ConversationListModel::setDatabase(contacts::Database* db)
{
    db_ = db;
    reload();
}

void ConversationListModel::reload()
{
    beginResetModel();
    rows_.clear();
    if (db_) {
        if (auto r = db_->conversations())
            rows_ = *r;
        else
            emit problem(r.error().what);
    }
    endResetModel();
    int unread = 0;
    if (db_) {
        if (auto u = db_->unreadMessageCount()) unread = *u;
    }
    if (unread != unread_) {
        unread_ = unread;
        emit unreadCountChanged();
    }
}

int ConversationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const contacts::Conversation& c = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case PeerNameRole: {
        const QString name = namer_ ? namer_(c.peerUri) : QString();
        return name.isEmpty() ? shortUri(c.peerUri) : name;
    }
    case PeerUriRole: return c.peerUri;
    case AccountUriRole: return c.accountUri;
    case LastTextRole: return c.lastMessage.text;
    case LastTimeRole: return c.lastMessage.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case UnreadRole: return c.unreadCount;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{PeerUriRole, "peerUri"},   {PeerNameRole, "peerName"}, {AccountUriRole, "accountUri"},
            {LastTextRole, "lastText"}, {LastTimeRole, "lastTime"}, {UnreadRole, "unread"}};
}

// --- MessageListModel -----------------------------------------------------------------------

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

void MessageListModel::setDatabase(contacts::Database* db)
{
    db_ = db;
    reload();
}

void MessageListModel::setConversation(const QString& accountUri, const QString& peerUri)
{
    account_ = accountUri;
    peer_ = peerUri;
    emit conversationChanged();
    reload();
}

void MessageListModel::reload()
{
    const int before = count();
    beginResetModel();
    rows_.clear();
    if (db_ && !peer_.isEmpty()) {
        if (auto r = db_->messages(account_, peer_))
            rows_ = *r;
        else
            emit problem(r.error().what);
    }
    endResetModel();
    if (count() != before) emit countChanged();
}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const contacts::Message& m = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return m.text;
    case IncomingRole: return m.direction == contacts::Direction::Incoming;
    case TimeRole: return m.time.toLocalTime().toString(QStringLiteral("HH:mm"));
    case DeliveryRole:
        switch (m.state) {
        case contacts::DeliveryState::Pending: return QStringLiteral("pending");
        case contacts::DeliveryState::Sent: return QStringLiteral("sent");
        case contacts::DeliveryState::Delivered: return QStringLiteral("delivered");
        case contacts::DeliveryState::Failed: return QStringLiteral("failed");
        }
        return {};
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{TextRole, "text"}, {IncomingRole, "incoming"}, {TimeRole, "time"}, {DeliveryRole, "delivery"}};
}

} // namespace vphone::ui
