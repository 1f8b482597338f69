// PresenceWatch: see presence_watch.h.
#include "models/presence_watch.h"

#include "contacts/database.h"
#include "models/phone_controller.h"
#include "ua/account.h"
#include "ua/phone.h"

#include <QDir>
#include <QSet>
#include <QSettings>

namespace vphone::ui {

namespace {

ua::Buddy::Status statusFromWord(const QString& word)
{
    if (word == QLatin1String("available")) return ua::Buddy::Status::Available;
    if (word == QLatin1String("away")) return ua::Buddy::Status::Away;
    if (word == QLatin1String("busy")) return ua::Buddy::Status::Busy;
    if (word == QLatin1String("offline")) return ua::Buddy::Status::Offline;
    return ua::Buddy::Status::Unknown;
}

} // namespace

QString PresenceWatch::statusWord(ua::Buddy::Status status)
{
    switch (status) {
    case ua::Buddy::Status::Available: return QStringLiteral("available");
    case ua::Buddy::Status::Away: return QStringLiteral("away");
    case ua::Buddy::Status::Busy: return QStringLiteral("busy");
    case ua::Buddy::Status::OnThePhone: return QStringLiteral("on-the-phone");
    case ua::Buddy::Status::Offline: return QStringLiteral("offline");
    case ua::Buddy::Status::Unknown: break;
    }
    return {};
}

PresenceWatch::PresenceWatch(PhoneController& controller) : QObject(&controller), controller_(controller)
{
    connect(&controller_, &PhoneController::restarted, this, &PresenceWatch::attachPhone);
    connect(controller_.contacts(), &ContactListModel::contactsChanged, this, &PresenceWatch::sync);
    controller_.contacts()->setStateProvider([this](qint64 id, int role) {
        return role == ContactListModel::LampRole ? lampOf(id) : presenceOf(id);
    });
    connect(this, &PresenceWatch::contactChanged, controller_.contacts(),
            &ContactListModel::contactStateChanged);
    attachPhone();
}

void PresenceWatch::attachPhone()
{
    if (phone_) disconnect(phone_, nullptr, this, nullptr);
    // The Buddies of a replaced phone went with it.
    const QList<qint64> ids = watched_.keys();
    watched_.clear();
    for (qint64 id : ids)
        emit contactChanged(id);
    phone_ = &controller_.phone();
    connect(phone_, &ua::Phone::ownPresenceChanged, this, &PresenceWatch::ownStatusChanged);
    connect(phone_, &ua::Phone::runningChanged, this, &PresenceWatch::sync);
    const auto watchAccounts = [this] {
        for (ua::Account* account : phone_->accounts()) {
            if (account->property("vphoneVoicemailHooked").toBool()) continue;
            account->setProperty("vphoneVoicemailHooked", true);
            connect(account, &ua::Account::voicemailChanged, this, &PresenceWatch::voicemailChanged);
            account->setVoicemailWatched(true); // message waiting on the account's own address
        }
        emit voicemailChanged();
    };
    connect(phone_, &ua::Phone::accountsChanged, this, watchAccounts);
    watchAccounts();
    applySavedStatus();
    sync();
}

void PresenceWatch::applySavedStatus()
{
    if (!phone_) return;
    QString word = QStringLiteral("available");
    QString note;
    if (!controller_.config().profileDir.isEmpty()) {
        const QSettings s(QDir(controller_.config().profileDir).filePath(QStringLiteral("vphone.ini")),
                          QSettings::IniFormat);
        word = s.value(QStringLiteral("presence/status"), word).toString();
        note = s.value(QStringLiteral("presence/note")).toString();
    }
    ua::Buddy::Status status = statusFromWord(word);
    if (status == ua::Buddy::Status::Unknown) status = ua::Buddy::Status::Available;
    phone_->setOwnPresence(status, note);
}

bool PresenceWatch::setOwnStatus(const QString& status, const QString& note)
{
    const ua::Buddy::Status s = statusFromWord(status);
    if (s == ua::Buddy::Status::Unknown || !phone_) return false;
    phone_->setOwnPresence(s, note);
    if (!controller_.config().profileDir.isEmpty()) {
        QSettings ini(QDir(controller_.config().profileDir).filePath(QStringLiteral("vphone.ini")),
                      QSettings::IniFormat);
        ini.setValue(QStringLiteral("presence/status"), status);
        ini.setValue(QStringLiteral("presence/note"), note);
    }
    controller_.log({{QStringLiteral("event"), QStringLiteral("own_presence")},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("note"), note}});
    return true;
}

QString PresenceWatch::ownStatus() const
{
    return phone_ ? statusWord(phone_->ownStatus()) : QString();
}

QString PresenceWatch::publishedStatus() const
{
    return phone_ ? statusWord(phone_->publishedStatus()) : QString();
}

void PresenceWatch::sync()
{
    contacts::Database* db = controller_.database();
    if (!phone_ || !phone_->running() || !db) return;
    const auto all = db->contacts();
    if (!all) return;
    QSet<qint64> seen;
    for (const contacts::Contact& c : *all) {
        if (c.sipAddresses.isEmpty()) continue;
        seen.insert(c.id);
        const QString uri = c.sipAddresses.first().uri;
        Watched& w = watched_[c.id];
        if (w.uri != uri) {
            if (w.presence) w.presence->unwatch();
            if (w.lamp) w.lamp->unwatch();
            w = Watched{uri, nullptr, nullptr};
        }
        const qint64 id = c.id;
        if (!w.presence) {
            w.presence = phone_->watchPresence(uri);
            if (w.presence) {
                connect(w.presence, &ua::Buddy::presenceChanged, this,
                        [this, id] { emit contactChanged(id); });
                connect(w.presence, &ua::Buddy::watchStateChanged, this,
                        [this, id] { emit contactChanged(id); });
            }
        }
        if (c.blf && !w.lamp) {
            w.lamp = phone_->watchDialog(uri);
            if (w.lamp)
                connect(w.lamp, &ua::Buddy::dialogStateChanged, this,
                        [this, id] { emit contactChanged(id); });
        } else if (!c.blf && w.lamp) {
            w.lamp->unwatch();
            w.lamp = nullptr;
            emit contactChanged(id);
        }
    }
    for (auto it = watched_.begin(); it != watched_.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        if (it->presence) it->presence->unwatch();
        if (it->lamp) it->lamp->unwatch();
        it = watched_.erase(it);
    }
}

QString PresenceWatch::presenceOf(qint64 contactId) const
{
    const auto it = watched_.constFind(contactId);
    if (it == watched_.cend() || !it->presence || it->presence->watchState() == ua::Buddy::Watch::Ended)
        return {};
    return statusWord(it->presence->status());
}

QString PresenceWatch::lampOf(qint64 contactId) const
{
    const auto it = watched_.constFind(contactId);
    if (it == watched_.cend() || !it->lamp) return {};
    switch (it->lamp->dialogState()) {
    case ua::Buddy::DialogState::Idle: return QStringLiteral("idle");
    case ua::Buddy::DialogState::Ringing: return QStringLiteral("ringing");
    case ua::Buddy::DialogState::InCall: return QStringLiteral("in-call");
    case ua::Buddy::DialogState::Unknown: break;
    }
    return {};
}

bool PresenceWatch::pickUp(qint64 contactId)
{
    const auto it = watched_.constFind(contactId);
    if (it == watched_.cend() || !it->lamp || !phone_) return false;
    ua::Call* call = phone_->pickUp(it->lamp);
    controller_.log({{QStringLiteral("event"), QStringLiteral("pick_up")},
                     {QStringLiteral("peer"), it->uri},
                     {QStringLiteral("ok"), call != nullptr}});
    return call != nullptr;
}

int PresenceWatch::voicemailSum(int (ua::Account::*count)() const) const
{
    int n = 0;
    if (phone_)
        for (const ua::Account* a : phone_->accounts())
            n += (a->*count)();
    return n;
}

int PresenceWatch::voicemailNew() const
{
    return voicemailSum(&ua::Account::voicemailNew);
}

int PresenceWatch::voicemailOld() const
{
    return voicemailSum(&ua::Account::voicemailOld);
}

QString PresenceWatch::voicemailText() const
{
    const int fresh = voicemailNew();
    const int old = voicemailOld();
    if (fresh == 0 && old == 0) return {};
    if (old == 0) return tr("%n new voice message(s)", nullptr, fresh);
    return tr("%n new voice message(s)", nullptr, fresh) + QStringLiteral(" ") + tr("(%n old)", nullptr, old);
}

} // namespace vphone::ui
