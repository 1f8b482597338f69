#include "ua/account.h"

#include "ua/phone.h"

namespace vphone::ua {

Account::Account(Phone* phone, AccountSettings settings, QString uri)
    : QObject(phone), phone_(phone), settings_(std::move(settings)), uri_(std::move(uri)),
      wantRegistration_(settings_.registerOnStart)
{}

void Account::registerAccount()
{
    if (phone_) phone_->registerAccount(this);
}

void Account::unregister()
{
    if (phone_) phone_->unregisterAccount(this);
}

void Account::applyRegistration(RegistrationState state, int code, const QString& reason, int expires)
{
    // Each property first, then its signal, so a slot reading the others sees the new values.
    const bool stateMoved = state != state_;
    const bool codeMoved = code != lastCode_;
    const bool reasonMoved = reason != lastReason_;
    if (state != RegistrationState::Registered) expires = 0;
    const bool expiresMoved = expires != expires_;
    state_ = state;
    lastCode_ = code;
    lastReason_ = reason;
    expires_ = expires;
    if (codeMoved) emit lastCodeChanged(code);
    if (reasonMoved) emit lastReasonChanged(reason);
    if (expiresMoved) emit expiresChanged(expires);
    if (stateMoved) emit registrationStateChanged(state);
}

} // namespace vphone::ua
