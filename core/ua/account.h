// Account: one SIP account of a Phone as QML sees it — its address, display name and
// registration state (RFC 3261 §10) with the last response's code and reason.
//
// Theory of operation: Phone makes Accounts (addAccount()) and owns them (Qt parent). Before
// Phone::start() an account only records what it should do; start() turns each into one user
// agent of the UaDriver and remembers its AccountId. From then on every RegistrationChanged of
// that user agent lands in applyRegistration(), which updates the properties and emits one
// NOTIFY signal per property that changed. registerAccount()/unregister() go back to the driver.
//
// Message waiting (RFC 3842): with voicemailWatched set, the Phone subscribes to the account's
// own address for message-summary once it is registered (or at start for an account that does
// not register) and keeps voicemailNew / voicemailOld / messagesWaiting up to date from each
// NOTIFY (a voicemail badge). Defined in phone_presence.cpp.
//
// Trust on first use (issue 7): a TLS server certificate refused on the account's connection
// arrives from the driver (UaDriver::certificateFailed) as certificateProblem — what the server
// presented, for a dialog to show — and stays until the next attempt to register. trustCertificate()
// pins it for this account (setTrustedCertificate() also takes a pin stored earlier; before
// Phone::start() it is applied when the phone starts, ahead of the first REGISTER); the caller
// keeps it across runs (the app stores it in the profile) and registers again.
#pragma once

#include "ua/account_settings.h"
#include "ua/certificate_problem.h"
#include "ua/presence_bodies.h"

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QString>
#include <QVariantMap>

#include <cstdint>
#include <optional>

namespace vphone::ua {

class Phone;

/// One SIP account (address of record) and its registration.
class Account : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString uri READ uri CONSTANT)
    Q_PROPERTY(QString displayName READ displayName CONSTANT)
    Q_PROPERTY(RegistrationState registrationState READ registrationState NOTIFY registrationStateChanged)
    Q_PROPERTY(int lastCode READ lastCode NOTIFY lastCodeChanged)
    Q_PROPERTY(QString lastReason READ lastReason NOTIFY lastReasonChanged)
    Q_PROPERTY(int expires READ expires NOTIFY expiresChanged)
    Q_PROPERTY(
        bool voicemailWatched READ voicemailWatched WRITE setVoicemailWatched NOTIFY voicemailWatchedChanged)
    Q_PROPERTY(bool messagesWaiting READ messagesWaiting NOTIFY voicemailChanged)
    Q_PROPERTY(int voicemailNew READ voicemailNew NOTIFY voicemailChanged)
    Q_PROPERTY(int voicemailOld READ voicemailOld NOTIFY voicemailChanged)
    Q_PROPERTY(int voicemailNewUrgent READ voicemailNewUrgent NOTIFY voicemailChanged)
    Q_PROPERTY(QVariantMap certificateProblem READ certificateProblemMap NOTIFY certificateProblemChanged)
public:
    /// Registration state, as the user agent reports it (sip::RegistrationState).
    enum class RegistrationState { Invalid, Unregistered, Registering, Registered, Unregistering, Failed };
    Q_ENUM(RegistrationState)

    /// The address of record without password or headers, "sip:alice@example.test".
    QString uri() const { return uri_; }
    QString displayName() const { return settings_.displayName; }
    RegistrationState registrationState() const { return state_; }
    /// Status code of the last REGISTER response (0: none, or a timeout: lastReason says so).
    int lastCode() const { return lastCode_; }
    QString lastReason() const { return lastReason_; }
    /// Seconds the registrar granted (0 when not registered).
    int expires() const { return expires_; }

    /// Sends REGISTER and keeps the binding fresh. Before Phone::start() it is done at start.
    Q_INVOKABLE void registerAccount();
    /// Removes our binding (REGISTER with Expires: 0).
    Q_INVOKABLE void unregister();

    /// Message-waiting indication wanted: subscribe to our message-summary (see above).
    bool voicemailWatched() const { return voicemailWatched_; }
    void setVoicemailWatched(bool watched);
    /// The voicemail server says messages are waiting (Messages-Waiting: yes).
    bool messagesWaiting() const { return mwi_.waiting; }
    /// Voice-Message counts: new and old messages, and the urgent new ones.
    int voicemailNew() const { return mwi_.newMessages; }
    int voicemailOld() const { return mwi_.oldMessages; }
    int voicemailNewUrgent() const { return mwi_.newUrgent; }

    /// The server certificate refused on the last attempt to register (see above); nullopt
    /// when there is none.
    const std::optional<CertificateProblem>& certificateProblem() const { return certificateProblem_; }
    /// certificateProblem() as CertificateProblem::toMap(); empty when there is none.
    QVariantMap certificateProblemMap() const
    {
        return certificateProblem_ ? certificateProblem_->toMap() : QVariantMap();
    }
    /// The server certificate this account trusts on first use (null: none).
    QSslCertificate trustedCertificate() const { return trusted_; }
    /// Trusts exactly `certificate` for this account's server (null forgets the pin). The
    /// certificate problem is cleared; call registerAccount() to connect with it.
    void setTrustedCertificate(const QSslCertificate& certificate);
    /// Trusts the certificate of certificateProblem(); false when there is none.
    bool trustCertificate();

    /// The settings it was made with (C++ only: holds the password).
    const AccountSettings& settings() const { return settings_; }
    /// The driver's index of this account, -1 before Phone::start().
    int accountId() const { return id_; }

signals:
    void registrationStateChanged(vphone::ua::Account::RegistrationState state);
    void lastCodeChanged(int code);
    void lastReasonChanged(const QString& reason);
    void expiresChanged(int seconds);
    void voicemailWatchedChanged(bool watched);
    /// The message-summary changed (counts or waiting flag).
    void voicemailChanged();
    /// certificateProblem() appeared, changed or went away.
    void certificateProblemChanged();

private:
    friend class Phone;
    Account(Phone* phone, AccountSettings settings, QString uri);
    /// A RegistrationChanged of this account's user agent (state as sip::RegistrationState's value).
    void applyRegistration(RegistrationState state, int code, const QString& reason, int expires);

    QPointer<Phone> phone_;
    AccountSettings settings_;
    QString uri_;
    int id_ = -1;
    bool wantRegistration_ = false; ///< registerAccount() came before start()
    RegistrationState state_ = RegistrationState::Unregistered;
    int lastCode_ = 0;
    QString lastReason_;
    int expires_ = 0;
    bool voicemailWatched_ = false;
    std::uint64_t mwiHandle_ = 0; ///< the message-summary subscription (driver handle)
    MessageSummary mwi_;
    std::optional<CertificateProblem> certificateProblem_;
    QSslCertificate trusted_;
    void applyCertificateProblem(const CertificateProblem& problem);
    void clearCertificateProblem();
    /// A message-summary NOTIFY body.
    void applyMessageSummary(const MessageSummary& summary);
};

} // namespace vphone::ua
