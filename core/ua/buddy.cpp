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
    dialogs_.apply(*info);
    updateLamp();
}

void Buddy::updateLamp()
{
    DialogEntry ringing;
    const auto lamp = dialogs_.lamp(&ringing);
    const DialogState state = lamp == DialogSet::Lamp::Ringing  ? DialogState::Ringing
                              : lamp == DialogSet::Lamp::InCall ? DialogState::InCall
                                                                : DialogState::Idle;
    const bool moved =
        state != dialogState_ || ringing.id != ringing_.id || ringing.callId != ringing_.callId;
    dialogState_ = state;
    ringing_ = ringing;
    if (moved) emit dialogStateChanged(state);
}

} // namespace vphone::ua
