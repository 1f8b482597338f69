// Phone's presence side: Buddies (presence and busy lamp field watches), our own published
// status with the automatic OnThePhone during calls, message waiting per Account, and the
// pick-up of a call ringing at a busy-lamp buddy. Theory of operation: phone.h, buddy.h and
// account.h.
//
// Handles: the driver reports events for a subscription it could not even send (503) from inside
// subscribe(); subscribing_ / mwiSubscribing_ name the object being subscribed for then, so such
// an event still reaches it.
#include "ua/phone.h"

#include "sip/headers.h"
#include "ua/ua_driver.h"

namespace vphone::ua {

namespace {

constexpr std::uint32_t kWatchExpires = 3600;
constexpr std::uint32_t kPublishExpires = 3600;

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

std::optional<sip::Uri> parseSip(const QString& text, const char* what, QString* error)
{
    auto uri = sip::parseUri(text.trimmed().toStdString());
    if (!uri) {
        *error = QStringLiteral("%1 '%2' is not a URI: %3")
                     .arg(QLatin1String(what), text, fromStd(uri.error().what));
        return std::nullopt;
    }
    if (uri->scheme != sip::UriScheme::Sip && uri->scheme != sip::UriScheme::Sips) {
        *error = QStringLiteral("%1 '%2' is not a sip: or sips: URI").arg(QLatin1String(what), text);
        return std::nullopt;
    }
    uri->password.reset();
    uri->headers.clear();
    return *uri;
}

} // namespace

void Phone::connectPresence()
{
    UaDriver* d = driver_.get();
    connect(d, &UaDriver::subscriptionNotified, this, [this](AccountId, const sip::SubscriptionNotified& e) {
        const QByteArray body(e.body.data(), static_cast<qsizetype>(e.body.size()));
        Buddy* b = buddyByHandle_.value(e.subscription);
        if (!b && subscribing_ && !subscribing_->handle_) b = subscribing_;
        if (b) {
            b->applyNotify(static_cast<int>(e.state), fromStd(e.contentType), body);
            return;
        }
        Account* a = mwiByHandle_.value(e.subscription);
        if (!a && mwiSubscribing_ && !mwiSubscribing_->mwiHandle_) a = mwiSubscribing_;
        if (!a || body.trimmed().isEmpty()) return;
        QString error;
        if (auto summary = parseMessageSummary(body, &error)) {
            a->applyMessageSummary(*summary);
        } else {
            emit problem(QStringLiteral("account %1: %2").arg(a->uri(), error));
        }
    });
    connect(d, &UaDriver::subscriptionEnded, this, [this](AccountId, const sip::SubscriptionEnded& e) {
        const QString why =
            e.code ? QStringLiteral("%1 %2").arg(e.code).arg(fromStd(e.reason)) : fromStd(e.reason);
        Buddy* b = buddyByHandle_.take(e.subscription);
        if (!b && subscribing_ && !subscribing_->handle_) b = subscribing_;
        if (b) {
            b->applyEnded(why);
            return;
        }
        Account* a = mwiByHandle_.take(e.subscription);
        if (!a && mwiSubscribing_ && !mwiSubscribing_->mwiHandle_) a = mwiSubscribing_;
        if (!a) return;
        a->mwiHandle_ = 0;
        if (a->voicemailWatched_ && e.reason != "unsubscribed")
            emit problem(
                QStringLiteral("account %1: message-waiting subscription ended: %2").arg(a->uri(), why));
    });
    connect(d, &UaDriver::publicationResult, this, [this](AccountId id, const sip::PublicationResult& e) {
        if (e.gone && publicationOf_.value(id) == e.publication) publicationOf_.remove(id);
        if (e.code / 100 != 2) {
            Account* a = accountById(id);
            emit problem(QStringLiteral("account %1: presence not published: %2 %3")
                             .arg(a ? a->uri() : QString())
                             .arg(e.code)
                             .arg(fromStd(e.reason)));
        }
    });
    connect(d, &UaDriver::registrationChanged, this, [this](AccountId id, const sip::RegistrationChanged& e) {
        Account* a = accountById(id);
        if (!a || e.state != sip::RegistrationState::Registered) return;
        if (a->voicemailWatched_ && !a->mwiHandle_) watchVoicemail(a);
        if (ownStatus_ != Buddy::Status::Unknown && !publicationOf_.contains(id)) updatePresence();
    });
    connect(d, &UaDriver::callStateChanged, this, [this](AccountId, const sip::CallStateChanged& e) {
        const Buddy::Status before = publishedStatus();
        if (e.state == sip::CallState::Confirmed) callsUp_.insert(e.call);
        if (e.state == sip::CallState::Terminated) callsUp_.remove(e.call);
        if (publishedStatus() != before) {
            emit ownPresenceChanged();
            updatePresence();
        }
    });
}

void Phone::startPresence()
{
    for (Account* a : std::as_const(accounts_)) {
        if (a->voicemailWatched_ && !a->settings().registerOnStart) watchVoicemail(a);
    }
    updatePresence();
}

Buddy* Phone::watchPresence(const QString& uri, Account* account)
{
    return watch(Buddy::Kind::Presence, uri, account);
}

Buddy* Phone::watchDialog(const QString& uri, Account* account)
{
    return watch(Buddy::Kind::Dialog, uri, account);
}

Buddy* Phone::watch(Buddy::Kind kind, const QString& uri, Account* account)
{
    QString error;
    auto target = parseSip(uri, "watched address", &error);
    if (!running_) error = QStringLiteral("the phone is not started: cannot watch '%1'").arg(uri);
    if (account && !accounts_.contains(account)) error = QStringLiteral("that account is not this phone's");
    if (!error.isEmpty()) {
        emit problem(error);
        return nullptr;
    }
    if (!account && !accounts_.isEmpty()) account = accounts_.first();
    auto* b = new Buddy(this, kind, fromStd(target->toString()), account);
    buddies_.append(b);
    emit buddiesChanged();
    const bool presence = kind == Buddy::Kind::Presence;
    subscribing_ = b;
    const auto handle = driver_->subscribe(*target, presence ? "presence" : "dialog",
                                           presence ? "application/pidf+xml" : "application/dialog-info+xml",
                                           kWatchExpires, account ? account->id_ : 0);
    subscribing_ = nullptr;
    if (b->watch_ != Buddy::Watch::Ended && handle) {
        b->handle_ = handle;
        buddyByHandle_.insert(handle, b);
    } else if (b->watch_ != Buddy::Watch::Ended) {
        b->applyEnded(QStringLiteral("the engine refused the subscription"));
    }
    return b;
}

void Phone::unwatch(Buddy* buddy)
{
    if (!buddy) return;
    if (buddy->handle_) {
        driver_->unsubscribe(buddy->handle_);
    } else if (buddy->watch_ != Buddy::Watch::Ended) {
        buddy->applyEnded(QStringLiteral("unsubscribed"));
    }
}

void Phone::watchVoicemail(Account* account)
{
    if (!running_ || account->mwiHandle_ || account->id_ < 0) return;
    QString error;
    auto aor = parseSip(account->uri(), "account URI", &error);
    if (!aor) return;
    mwiSubscribing_ = account;
    const auto handle = driver_->subscribe(*aor, "message-summary", "application/simple-message-summary",
                                           kWatchExpires, account->id_);
    mwiSubscribing_ = nullptr;
    if (handle) {
        account->mwiHandle_ = handle;
        mwiByHandle_.insert(handle, account);
    }
}

void Account::setVoicemailWatched(bool watched)
{
    if (watched == voicemailWatched_) return;
    voicemailWatched_ = watched;
    emit voicemailWatchedChanged(watched);
    if (!phone_ || !phone_->running()) return; // Phone::start() or the registration does it
    if (watched && (state_ == RegistrationState::Registered || !settings_.registerOnStart))
        phone_->watchVoicemail(this);
    if (!watched && mwiHandle_) phone_->driver().unsubscribe(mwiHandle_);
}

void Account::applyMessageSummary(const MessageSummary& s)
{
    const bool moved = s.waiting != mwi_.waiting || s.newMessages != mwi_.newMessages ||
                       s.oldMessages != mwi_.oldMessages || s.newUrgent != mwi_.newUrgent ||
                       s.oldUrgent != mwi_.oldUrgent;
    mwi_ = s;
    if (moved) emit voicemailChanged();
}

void Phone::setOwnPresence(Buddy::Status status, const QString& note)
{
    if (status == Buddy::Status::Unknown) {
        emit problem(QStringLiteral("own presence: choose available, away, busy, on-the-phone or offline"));
        return;
    }
    if (status == ownStatus_ && note == ownNote_) return;
    ownStatus_ = status;
    ownNote_ = note;
    emit ownPresenceChanged();
    updatePresence();
}

Buddy::Status Phone::publishedStatus() const
{
    if (ownStatus_ == Buddy::Status::Unknown || ownStatus_ == Buddy::Status::Offline) return ownStatus_;
    return callsUp_.isEmpty() ? ownStatus_ : Buddy::Status::OnThePhone;
}

QByteArray Phone::presenceDocument(const QString& entity) const
{
    return writePidf(entity, static_cast<PresenceStatus>(publishedStatus()), ownNote_);
}

void Phone::updatePresence()
{
    if (!running_ || ownStatus_ == Buddy::Status::Unknown) return;
    const bool changed = publishedStatus() != lastPublished_ || ownNote_ != lastPublishedNote_;
    lastPublished_ = publishedStatus();
    lastPublishedNote_ = ownNote_;
    const std::string type = "application/pidf+xml";
    for (Account* a : std::as_const(accounts_)) {
        if (a->registrationState() != Account::RegistrationState::Registered) continue;
        const QByteArray doc = presenceDocument(a->uri());
        if (auto it = publicationOf_.constFind(a->id_); it != publicationOf_.constEnd()) {
            if (changed) driver_->republish(*it, type, doc.toStdString());
            continue;
        }
        const auto handle = driver_->publish("presence", type, doc.toStdString(), kPublishExpires, a->id_);
        if (handle) publicationOf_.insert(a->id_, handle);
    }
    if (!changed) return;
    // Direct watchers (no server): the first account's address, else our own at the socket.
    QString entity = accounts_.isEmpty() ? QString() : accounts_.first()->uri();
    if (entity.isEmpty()) {
        const auto locals = driver_->localAddresses(0);
        const QString host = locals.empty() ? QStringLiteral("127.0.0.1") : fromStd(locals.front().host);
        entity =
            QStringLiteral("sip:vphone@%1").arg(host.contains(QLatin1Char(':')) ? "[" + host + "]" : host);
    }
    driver_->setPresenceDocument(type, presenceDocument(entity).toStdString());
}

Call* Phone::pickUp(Buddy* buddy)
{
    QString error;
    if (!buddy || !buddies_.contains(buddy) || buddy->kind() != Buddy::Kind::Dialog) {
        error = QStringLiteral("pick-up needs a busy-lamp buddy of this phone");
    } else if (buddy->dialogState() != Buddy::DialogState::Ringing) {
        error = QStringLiteral("nothing rings at %1 to pick up").arg(buddy->uri());
    } else if (buddy->ringingCallId().isEmpty() || buddy->ringingLocalTag().isEmpty() ||
               buddy->ringingRemoteTag().isEmpty() || buddy->ringingCallerTarget().isEmpty()) {
        error = QStringLiteral("the server did not say which call rings at %1 (no call-id, tags or caller)")
                    .arg(buddy->uri());
    }
    if (!error.isEmpty()) {
        emit problem(error);
        return nullptr;
    }
    // RFC 3891 §3: to-tag is the tag of the UA receiving the INVITE (the caller, the watched
    // party's remote end), from-tag the other (the watched party's own).
    const std::string replaces =
        (buddy->ringingCallId() + QStringLiteral(";to-tag=") + buddy->ringingRemoteTag() +
         QStringLiteral(";from-tag=") + buddy->ringingLocalTag() + QStringLiteral(";early-only"))
            .toStdString();
    return placeCall(buddy->ringingCallerTarget(), buddy->account(), replaces);
}

} // namespace vphone::ua
