// AccountListModel: the profile's accounts for the settings page — address, name, transport and
// the registration state of the running phone's account of the same address, with a status line
// in plain words ("Wrong user name or password", "Server unreachable (no answer)", "Certificate
// not trusted") instead of a SIP status code.
//
// Theory of operation: rows are the ProfileAccounts SettingsController last wrote (setAccounts()).
// The state of a row is looked up live in PhoneController::phone().accounts() by URI, so it
// follows every registration change (accountStatusChanged) and a restart of the phone
// (restarted). A TLS verification failure reaches the account as "503 transport error" plus its
// certificateProblem (below), which the row says in words; the transport's reason also arrives as
// the controller's lastProblem, remembered here until the next restart as a fallback.
//
// Trust on first use (issue 7): the account's own certificateProblem (ua::Account) says what the
// refused server presented; inspectCertificate() hands it to the certificate dialog,
// trustCertificate() stores the certificate as PEM in PROFILE/certs/ (one file per account
// address, pinPath()) and pins it on the live account, which registers again at once;
// forgetCertificate() deletes the file and the pin. The stored pins are applied to the live
// accounts of every (re)started phone as soon as they appear, before their first TLS handshake
// can end (the controller's first status signal comes from within start()). A certificate that
// differs from the pinned one is said plainly: "The server's certificate changed since you
// trusted it".
#pragma once

#include "models/profile_config.h"
#include "ua/account.h"

#include <QAbstractListModel>
#include <QPointer>

namespace vphone::ui {

class PhoneController;

/// A registration state in words: `level` is the status dot ("ok", "busy", "error", "off").
struct PlainStatus {
    QString level;
    QString text;
};

/// What a user can act on, from an account's state and its last REGISTER response.
/// `hasPassword`: credentials were configured; `transportProblem`: the last socket-level failure
/// ("certificate not trusted: ..."), or empty.
PlainStatus plainRegistrationStatus(ua::Account::RegistrationState state, int code, const QString& reason,
                                    bool hasPassword, bool registerWanted, const QString& transportProblem);

class AccountListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        UriRole = Qt::UserRole + 1,
        DisplayNameRole,
        TransportRole,
        RegistrarRole,
        ProxyRole,
        AuthUserRole,
        SrtpRole,
        RegisterRole,
        LevelRole,
        StatusRole,
        CodeRole,
        CertificateProblemRole, ///< bool: a refused certificate can be inspected and trusted
        TrustedCertificateRole, ///< bool: a certificate is pinned for this account
    };

    explicit AccountListModel(QObject* parent = nullptr);

    void setController(PhoneController* controller);
    void setAccounts(const QList<ProfileAccount>& accounts, const QSet<QString>& withPassword);
    int count() const { return static_cast<int>(accounts_.size()); }
    /// The running phone's account for row `row`, or null.
    ua::Account* liveAccount(int row) const;
    /// The status line of row `row` (tests and logs).
    Q_INVOKABLE QString statusText(int row) const;
    Q_INVOKABLE QString level(int row) const;

    /// The certificate row `row`'s server presented when it was refused (ua::CertificateProblem::
    /// toMap() plus uri, and trustedSha256 of a pinned one); empty when there is none.
    Q_INVOKABLE QVariantMap inspectCertificate(int row) const;
    /// Trusts that certificate for row `row`: stored in the profile, pinned, registers again.
    /// False (lastError()) when there is nothing to trust or the file cannot be written.
    Q_INVOKABLE bool trustCertificate(int row);
    /// Removes row `row`'s pinned certificate (file and pin) and registers again.
    Q_INVOKABLE bool forgetCertificate(int row);
    /// True when row `row` has a pinned certificate in the profile.
    Q_INVOKABLE bool hasTrustedCertificate(int row) const;
    /// Why the last trust/forget failed, in a sentence.
    QString lastError() const { return lastError_; }
    /// Where the certificate trusted for account `uri` is kept: PROFILE/certs/<uri>.pem with every
    /// character other than letters, digits, '.', '-' and '@' written as '_'.
    static QString pinPath(const QString& profileDir, const QString& uri);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    PlainStatus statusOf(int row) const;
    void refresh();
    /// Pins each stored certificate on its live account that has none yet.
    void applyPins();
    QString profileDir() const;

    QPointer<PhoneController> controller_;
    QList<ProfileAccount> accounts_;
    QSet<QString> withPassword_;
    QString transportProblem_;
    QString lastError_;
    QList<QPointer<ua::Account>> watched_; ///< live accounts whose certificate problem we follow
};

} // namespace vphone::ui
