// Buddy: a watched address. Theory of operation: buddy.h.
#include "ua/buddy.h"

#include "ua/phone.h"

namespace vphone::ua {

namespace {

// sip::SubscriptionState values (not included here: core/sip stays out of the facade headers).
constexpr int kPending = 1;
constexpr int kActive = 2;
constexpr int kTerminated = 3;

} // namespace

Buddy::Buddy(Phone* phone, Kind kind, QString uri, Account* account)
    : QObject(phone), phone_(phone), kind_(kind), uri_(std::move(uri)), account_(account)
{}

void Buddy::unwatch()
{
    if (phone_) phone_->unwatch(this);
}

void Buddy::setWatch(Watch w)
{
    if (w == watch_) return;
    watch_ = w;
    emit watchStateChanged(w);
}

void Buddy::setError(const QString& e)
{
    if (e == lastError_) return;
    lastError_ = e;
    emit lastErrorChanged(e);
}

void Buddy::applyEnded(const QString& why)
{
    handle_ = 0;
    if (!why.isEmpty()) setError(why);
    setWatch(Watch::Ended);
}

void Buddy::applyNotify(int subscriptionState, const QString& contentType, const QByteArray& body)
{
    if (subscriptionState == kPending) setWatch(Watch::Pending);
    if (subscriptionState == kActive) setWatch(Watch::Active);
    if (body.trimmed().isEmpty()) {
        if (subscriptionState == kTerminated) return; // the engine re-subscribes or reports the end
        if (kind_ == Kind::Presence && subscriptionState == kActive && status_ == Status::Unknown) {
            // Active with no document: nothing published for this address.
            status_ = Status::Offline;
            basic_ = Basic::Closed;
            emit presenceChanged();
        }
        return;
    }
    QString error;
    if (kind_ == Kind::Presence) {
        if (!contentType.isEmpty() &&
            !contentType.startsWith(QLatin1String("application/pidf+xml"), Qt::CaseInsensitive)) {
            setError(QStringLiteral("presence NOTIFY with %1, not application/pidf+xml").arg(contentType));
            return;
        }
        auto doc = parsePidf(body, &error);
        if (!doc) {
            setError(error);
            return;
        }
        const auto status = static_cast<Status>(doc->status);
        const Basic basic = !doc->open ? Basic::Unknown : *doc->open ? Basic::Open : Basic::Closed;
        if (status == status_ && basic == basic_ && doc->note == note_) return;
        status_ = status;
        basic_ = basic;
        note_ = doc->note;
        emit presenceChanged();
        return;
    }
    auto info = parseDialogInfo(body, &error);
    if (!info) {
        setError(error);
        return;
    }
    if (info->full) dialogs_.clear();
    for (const DialogEntry& d : info->dialogs) {
        if (d.state == DialogEntry::State::Terminated) {
            dialogs_.remove(d.id);
        } else {
            dialogs_.insert(d.id, d);
        }
    }
    updateLamp();
}

void Buddy::updateLamp()
{
    DialogState lamp = DialogState::Idle;
    DialogEntry ringing;
    for (const DialogEntry& d : std::as_const(dialogs_)) {
        const bool early = d.state == DialogEntry::State::Early ||
                           d.state == DialogEntry::State::Proceeding || d.state == DialogEntry::State::Trying;
        if (early && d.direction == DialogEntry::Direction::Recipient) {
            lamp = DialogState::Ringing; // a call to pick up shows over one in progress
            if (ringing.id.isEmpty()) ringing = d;
        } else if ((d.state == DialogEntry::State::Confirmed || early) && lamp != DialogState::Ringing) {
            lamp = DialogState::InCall;
        }
    }
    if (lamp != DialogState::Ringing) ringing = DialogEntry{};
    const bool moved = lamp != dialogState_ || ringing.id != ringing_.id || ringing.callId != ringing_.callId;
    dialogState_ = lamp;
    ringing_ = ringing;
    if (moved) emit dialogStateChanged(lamp);
}

} // namespace vphone::ua
