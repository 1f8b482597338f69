// Phone's side of calls and accounts: the commands the facade objects send to the driver, and
// the driver's call events applied to the Call objects (see phone.h for the handle bookkeeping).
#include "ua/phone.h"

#include "ua/ua_driver.h"

#include <QMetaEnum>

#include <algorithm>

namespace vphone::ua {

namespace {

using Purpose = SessionDescriptionProvider::Purpose;

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
    call->localSdp_ = call->remoteSdp_.empty() ? provider().offer(*call, Purpose::Initial)
                                               : provider().answer(*call, call->remoteSdp_);
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
    call->pendingPurpose_ = purpose;
    call->pendingOffer_ = provider().offer(*call, purpose);
    driver_->reinvite(call->handle_, call->pendingOffer_);
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
        if (!sdp.empty()) c->remoteSdp_ = sdp;
        c->setState(Call::State::EarlyMedia, code, reason);
        break;
    case sip::CallState::Incoming: c->setState(Call::State::Incoming, code, reason); break;
    case sip::CallState::Confirmed:
        if (!sdp.empty()) c->remoteSdp_ = sdp;
        provider().negotiated(*c, c->localSdp_, c->remoteSdp_);
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
        const Purpose purpose = c->pendingPurpose_;
        c->pendingPurpose_ = Purpose::Invalid;
        if (ok) {
            c->localSdp_ = std::move(c->pendingOffer_);
            if (!sdp.empty()) c->remoteSdp_ = sdp;
            provider().negotiated(*c, c->localSdp_, c->remoteSdp_);
            if (purpose == Purpose::Hold) c->setState(Call::State::Held, code, reason);
            if (purpose == Purpose::Resume) c->setState(Call::State::Active, code, reason);
        }
        c->pendingOffer_.clear();
    } else if (ok) {
        if (!sdp.empty()) c->remoteSdp_ = sdp;
        provider().negotiated(*c, c->localSdp_, c->remoteSdp_);
    }
    emit c->modified(local, code, reason);
}

void Phone::callEnded(Call* call)
{
    // The driver forgets the handle now: so do we, so no command reaches a dropped dialog.
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
    if (call->handle_ != 0) {
        driver_->hangUp(call->handle_); // may end it at once (603 for an unanswered incoming one)
        if (call->handle_ != 0) callByHandle_.remove(call->handle_);
        call->handle_ = 0;
        provider().ended(*call);
    }
    if (calls_.removeOne(call)) emit callsChanged();
}

} // namespace vphone::ua
