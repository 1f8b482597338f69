// AccountListModel: the profile's accounts for the settings page — address, name, transport and
// the registration state of the running phone's account of the same address, with a status line
// in plain words ("Wrong user name or password", "Server unreachable (no answer)", "Certificate
// not trusted") instead of a SIP status code.
//
// Theory of operation: rows are the ProfileAccounts SettingsController last wrote (setAccounts()).
// The state of a row is looked up live in PhoneController::phone().accounts() by URI, so it
// follows every registration change (accountStatusChanged) and a restart of the phone
// (restarted). A TLS verification failure reaches the account only as "503 transport error";
// the transport's reason arrives as the controller's lastProblem, which is remembered here
// until the next restart so the row can say "Certificate not trusted".
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

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    PlainStatus statusOf(int row) const;
    void refresh();

    QPointer<PhoneController> controller_;
    QList<ProfileAccount> accounts_;
    QSet<QString> withPassword_;
    QString transportProblem_;
};

} // namespace vphone::ui
