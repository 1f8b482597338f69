// Phone's side of calls and accounts: the commands the facade objects send to the driver, and
// the driver's call events applied to the Call objects (see phone.h for the handle bookkeeping).
#include "ua/phone.h"

#include "ua/ua_driver.h"

#include <QMetaEnum>

#include <algorithm>

namespace vphone::ua {

namespace {

using Purpose = SessionDescriptionProvider::Purpose;

/// A provider's refusal as the user reads it.
QString refusalText(const SdpResult& result, const char* otherwise)
{
    if (result.reason.empty()) return QString::fromLatin1(otherwise);
    return QString::fromStdString(result.reason);
}

QString stateText(Call::State s)
{
    return QString::fromLatin1(QMetaEnum::fromType<Call::State>().valueToKey(static_cast<int>(s)));
}

} // namespace

void Phone::registerAccount(Account* account)
{
    if (!running_) {
        account->wantRegistration_ = true; // start() does it
        return;
    }
    driver_->registerAccount(account->id_);
}

void Phone::unregisterAccount(Account* account)
{
    if (!running_) {
        account->wantRegistration_ = false;
        return;
    }
    driver_->unregister(account->id_);
}

void Phone::answer(Call* call)
{
    if (call->handle_ == 0) return; // ended: nothing to answer
    if (call->state_ != Call::State::Incoming) {
        emit problem(QStringLiteral("answer(): the call is %1, not Incoming").arg(stateText(call->state_)));
        return;
    }
    // An INVITE without an offer gets ours in the 200 (RFC 3264 §2; the ACK answers).
    const SdpResult ours = call->remoteSdp_.empty() ? provider().offer(*call, Purpose::Initial)
                                                    : provider().answer(*call, call->remoteSdp_);
    if (!ours.ok() || ours.sdp.empty()) {
        // RFC 3264 §6: an offer we cannot accept is refused (488 Not Acceptable Here).
        const int status = ours.status >= 400 && ours.status <= 699 ? ours.status : 500;
        endCall(call, status, refusalText(ours, "no session description to answer with"), status);
        return;
    }
    call->localSdp_ = ours.sdp;
    driver_->answer(call->handle_, call->localSdp_);
}

void Phone::reject(Call* call, int code)
{
    if (call->handle_ == 0) return;
    if (code < 400 || code > 699) {
        emit problem(QStringLiteral("reject(): %1 is not a 4xx, 5xx or 6xx status").arg(code));
        return;
    }
    if (call->state_ != Call::State::Incoming) {
        emit problem(QStringLiteral("reject(): the call is %1, not Incoming").arg(stateText(call->state_)));
        return;
    }
    driver_->reject(call->handle_, code);
}

void Phone::hangUp(Call* call)
{
    if (call->handle_ != 0) driver_->hangUp(call->handle_);
}

void Phone::modify(Call* call, Purpose purpose)
{
    if (call->handle_ == 0) return;
    if (call->state_ != Call::State::Active && call->state_ != Call::State::Held) {
        emit problem(
            QStringLiteral("re-INVITE: the call is %1, not Active or Held").arg(stateText(call->state_)));
        return;
    }
    if (call->pendingPurpose_ != Purpose::Invalid) {
        emit problem(QStringLiteral("re-INVITE: another one is under way"));
        return;
    }
    if ((purpose == Purpose::Hold && call->state_ == Call::State::Held) ||
        (purpose == Purpose::Resume && call->state_ == Call::State::Active))
        return; // already there
    SdpResult offer = provider().offer(*call, purpose);
    if (!offer.ok() || offer.sdp.empty()) {
        emit problem(QStringLiteral("re-INVITE not sent: %1").arg(refusalText(offer, "no offer")));
        return;
    }
    call->pendingPurpose_ = purpose;
    call->pendingOffer_ = std::move(offer.sdp);
    driver_->reinvite(call->handle_, call->pendingOffer_);
}

SdpResult Phone::remoteOffer(std::uint64_t handle, const std::string& offer)
{
    Call* c = callByHandle_.value(handle);
    if (!c) return SdpResult::refuse(500, "no such call");
    SdpResult ours = provider().remoteOffer(*c, offer);
    if (ours.ok() && ours.sdp.empty()) return SdpResult::refuse(500, "no session description to answer with");
    // The UA sends this answer in its 200 now; modifiedEvent() brings the offer.
    if (ours.ok()) c->localSdp_ = ours.sdp;
    return ours;
}

bool Phone::agree(Call* call)
{
    const auto unusable = provider().negotiated(*call, call->localSdp_, call->remoteSdp_);
    if (!unusable) return true;
    endCall(call, 0, QString::fromStdString(*unusable), 0);
    return false;
}

void Phone::endCall(Call* call, int code, const QString& reason, int rejectCode)
{
    const auto handle = call->handle_;
    callEnded(call); // the driver's own Terminated event then finds no call
    if (handle != 0) {
        if (rejectCode != 0) {
            driver_->reject(handle, rejectCode);
        } else {
            driver_->hangUp(handle);
        }
    }
    call->setState(Call::State::Ended, code, reason);
    provider().ended(*call);
    pruneEndedCalls();
}

void Phone::callEvent(std::uint64_t handle, int state, int code, const QString& reason,
                      const std::string& sdp)
{
    Call* c = callByHandle_.value(handle);
    if (!c) {
        if (commandRunning_) early_.push_back(Early{handle, 0, state, code, reason, sdp});
        return;
    }
    switch (static_cast<sip::CallState>(state)) {
    case sip::CallState::Calling: c->setState(Call::State::Calling, code, reason); break;
    case sip::CallState::Proceeding: c->setState(Call::State::Proceeding, code, reason); break;
    case sip::CallState::Ringing:
        // For an incoming call this is our own 180: it stays Incoming until answered.
        if (c->direction_ == Call::Direction::Outgoing) c->setState(Call::State::Ringing, code, reason);
        break;
    case sip::CallState::EarlyMedia:
        if (!sdp.empty()) {
            // A 183's answer: early media (ringback, announcements) may flow now.
            c->remoteSdp_ = sdp;
            if (!agree(c)) return;
        }
        c->setState(Call::State::EarlyMedia, code, reason);
        break;
    case sip::CallState::Incoming: c->setState(Call::State::Incoming, code, reason); break;
    case sip::CallState::Confirmed:
        if (!sdp.empty()) c->remoteSdp_ = sdp;
        if (!agree(c)) return; // (the provider judges a missing answer too)
        c->setState(Call::State::Active, code, reason);
        break;
    case sip::CallState::Terminated:
        callEnded(c);
        c->setState(Call::State::Ended, code, reason);
        provider().ended(*c);
        pruneEndedCalls();
        break;
    case sip::CallState::Invalid: break;
    }
}

void Phone::modifiedEvent(std::uint64_t handle, bool local, int code, const QString& reason,
                          const std::string& sdp)
{
    Call* c = callByHandle_.value(handle);
    if (!c) return;
    const bool ok = code >= 200 && code < 300;
    if (local) {
        QPointer<Call> alive = c;
        const Purpose purpose = c->pendingPurpose_;
        std::string offer = std::move(c->pendingOffer_);
        c->pendingPurpose_ = Purpose::Invalid;
        c->pendingOffer_.clear();
        if (ok && !sdp.empty()) {
            c->localSdp_ = std::move(offer);
            c->remoteSdp_ = sdp;
            if (!agree(c)) return; // unusable answer: the call ended saying why
            if (purpose == Purpose::Hold) c->setState(Call::State::Held, code, reason);
            if (purpose == Purpose::Resume) c->setState(Call::State::Active, code, reason);
            if (alive) emit c->modified(local, code, reason);
            return;
        }
        // Refused, never sent, or (against RFC 3264 §5) a 2xx without an answer: the session
        // in force stays.
        if (purpose != Purpose::Invalid) provider().offerRefused(*c);
        if (ok)
            emit problem(QStringLiteral("re-INVITE: the %1 carries no answer; nothing changed").arg(code));
    } else if (ok) {
        // The peer's offer (remoteOffer() gave the answer already); none in an offerless re-INVITE.
        if (!sdp.empty()) c->remoteSdp_ = sdp;
        if (!agree(c)) return;
    }
    emit c->modified(local, code, reason);
}

void Phone::callEnded(Call* call)
{
    // The driver forgets the handle now: so do we, so no command reaches a dropped dialog.
    unwatchConference(call); // a conference hosted elsewhere: its roster is no longer ours
    if (call->handle_ != 0 && (call->transferState_ == Call::TransferState::Trying ||
                               call->transferState_ == Call::TransferState::Accepted))
        transferAfterEnd_.insert(call->handle_, call); // its outcome may still come (connectTransfer)
    if (call->handle_ != 0) callByHandle_.remove(call->handle_);
    call->handle_ = 0;
    call->pendingPurpose_ = Purpose::Invalid;
}

void Phone::pruneEndedCalls()
{
    qsizetype ended = std::count_if(calls_.begin(), calls_.end(), [](const Call* c) { return c->isEnded(); });
    bool removed = false;
    for (auto it = calls_.begin(); it != calls_.end() && ended > maxEndedCalls_;) {
        if (!(*it)->isEnded()) {
            ++it;
            continue;
        }
        (*it)->deleteLater();
        it = calls_.erase(it);
        --ended;
        removed = true;
    }
    if (removed) emit callsChanged();
}

void Phone::removeCall(Call* call)
{
    if (!call || !calls_.contains(call)) return;
    forget(call);
    call->phone_ = nullptr;
    call->deleteLater();
}

void Phone::forget(Call* call)
{
    if (conference_) conference_->release(call); // it leaves while it is still a whole Call
    unwatchConference(call);
    if (call->handle_ != 0) {
        driver_->hangUp(call->handle_); // may end it at once (603 for an unanswered incoming one)
        if (call->handle_ != 0) callByHandle_.remove(call->handle_);
        call->handle_ = 0;
        provider().ended(*call);
    }
    if (calls_.removeOne(call)) emit callsChanged();
}

} // namespace vphone::ua
