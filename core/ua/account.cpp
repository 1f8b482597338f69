#include "ua/account.h"

#include "ua/phone.h"
#include "ua/ua_driver.h"

namespace vphone::ua {

Account::Account(Phone* phone, AccountSettings settings, QString uri)
    : QObject(phone), phone_(phone), settings_(std::move(settings)), uri_(std::move(uri)),
      wantRegistration_(settings_.registerOnStart)
{
    UaDriver& driver = phone->driver();
    connect(&driver, &UaDriver::certificateFailed, this, [this](AccountId id, const CertificateProblem& p) {
        if (id == id_) applyCertificateProblem(p);
    });
    // Phone::start() says it runs once the driver has our id, before it sends any REGISTER.
    connect(phone, &Phone::runningChanged, this, [this] {
        if (phone_ && phone_->running() && id_ >= 0 && !trusted_.isNull())
            phone_->driver().setTrustedCertificate(id_, trusted_);
    });
}

void Account::setTrustedCertificate(const QSslCertificate& certificate)
{
    trusted_ = certificate;
    if (phone_ && phone_->running() && id_ >= 0) phone_->driver().setTrustedCertificate(id_, trusted_);
    clearCertificateProblem();
}

bool Account::trustCertificate()
{
    if (!certificateProblem_ || certificateProblem_->failure.leaf().isNull()) return false;
    setTrustedCertificate(certificateProblem_->failure.leaf());
    return true;
}

void Account::applyCertificateProblem(const CertificateProblem& problem)
{
    certificateProblem_ = problem;
    emit certificateProblemChanged();
}

void Account::clearCertificateProblem()
{
    if (!certificateProblem_) return;
    certificateProblem_.reset();
    emit certificateProblemChanged();
}

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
    // A new attempt, or success, makes the last refused certificate old news.
    if (state == RegistrationState::Registered || state == RegistrationState::Registering)
        clearCertificateProblem();
    if (codeMoved) emit lastCodeChanged(code);
    if (reasonMoved) emit lastReasonChanged(reason);
    if (expiresMoved) emit expiresChanged(expires);
    if (stateMoved) emit registrationStateChanged(state);
}

} // namespace vphone::ua
