#include "models/account_list_model.h"

#include "models/phone_controller.h"
#include "net/tls_config.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace vphone::ui {

PlainStatus plainRegistrationStatus(ua::Account::RegistrationState state, int code, const QString& reason,
                                    bool hasPassword, bool registerWanted, const QString& transportProblem)
{
    using S = ua::Account::RegistrationState;
    const auto tr = [](const char* text) { return AccountListModel::tr(text); };
    switch (state) {
    case S::Registered: return {QStringLiteral("ok"), tr("Registered")};
    case S::Registering: return {QStringLiteral("busy"), tr("Registering…")};
    case S::Unregistering: return {QStringLiteral("busy"), tr("Signing out…")};
    default: break;
    }
    if (code == 0 && reason.isEmpty()) {
        if (state == S::Failed) return {QStringLiteral("error"), tr("Server unreachable (no answer)")};
        return {QStringLiteral("off"), registerWanted ? tr("Not registered") : tr("Registration is off")};
    }
    const QString lower = transportProblem.toLower();
    const bool certificate = lower.contains(QLatin1String("certificate not trusted")) ||
                             lower.contains(QLatin1String("host name mismatch"));
    QString text;
    switch (code) {
    case 401:
    case 407:
    case 403:
        text = hasPassword ? tr("Wrong user name or password")
                           : tr("The server asks for a password: none is set");
        break;
    case 404: text = tr("Unknown account: the server does not know this address"); break;
    case 0:
    case 408: text = tr("Server unreachable (no answer)"); break;
    case 503:
        if (certificate)
            text = tr("Certificate not trusted: the server's identity could not be verified");
        else if (reason.contains(QLatin1String("transport error")))
            text = tr("Server unreachable (no connection)");
        else
            text = tr("Server unreachable (it is out of service: %1)").arg(reason);
        break;
    case 423: text = tr("The server refused the registration interval"); break;
    default:
        text = code >= 500 ? tr("Server error: %1 (%2)").arg(reason).arg(code)
                           : tr("Registration refused: %1 (%2)").arg(reason).arg(code);
    }
    return {QStringLiteral("error"), text};
}

AccountListModel::AccountListModel(QObject* parent) : QAbstractListModel(parent) {}

void AccountListModel::setController(PhoneController* controller)
{
    controller_ = controller;
    if (!controller) return;
    connect(controller, &PhoneController::accountStatusChanged, this, [this] {
        applyPins();
        refresh();
    });
    connect(controller, &PhoneController::restarted, this, [this] {
        transportProblem_.clear();
        applyPins();
        refresh();
    });
    connect(controller, &PhoneController::lastProblemChanged, this, [this] {
        const QString p = controller_->lastProblem();
        if (p.contains(QLatin1String("certificate not trusted")) ||
            p.contains(QLatin1String("host name mismatch"))) {
            transportProblem_ = p;
            refresh();
        }
    });
}

void AccountListModel::setAccounts(const QList<ProfileAccount>& accounts, const QSet<QString>& withPassword)
{
    beginResetModel();
    accounts_ = accounts;
    withPassword_ = withPassword;
    endResetModel();
    emit countChanged();
    applyPins();
}

QString AccountListModel::profileDir() const
{
    return controller_ ? controller_->config().profileDir : QString();
}

QString AccountListModel::pinPath(const QString& profileDir, const QString& uri)
{
    QString name = uri;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9.@-]")), QStringLiteral("_"));
    return QDir(profileDir).filePath(QStringLiteral("certs/%1.pem").arg(name));
}

void AccountListModel::applyPins()
{
    const QString dir = profileDir();
    for (int row = 0; row < accounts_.size(); ++row) {
        ua::Account* a = liveAccount(row);
        if (!a) continue;
        if (!watched_.contains(a)) {
            watched_.removeAll(nullptr);
            watched_.append(a);
            connect(a, &ua::Account::certificateProblemChanged, this, &AccountListModel::refresh);
        }
        if (dir.isEmpty() || !a->trustedCertificate().isNull()) continue;
        const QString path = pinPath(dir, accounts_[row].settings.uri);
        if (!QFile::exists(path)) continue;
        QString error;
        if (const auto certificates = net::loadCertificates(path, &error)) {
            a->setTrustedCertificate(certificates->first());
        } else {
            lastError_ = error;
        }
    }
}

QVariantMap AccountListModel::inspectCertificate(int row) const
{
    const ua::Account* a = liveAccount(row);
    if (!a || !a->certificateProblem()) return {};
    QVariantMap m = a->certificateProblemMap();
    m[QStringLiteral("uri")] = accounts_[row].settings.uri;
    return m;
}

bool AccountListModel::trustCertificate(int row)
{
    ua::Account* a = liveAccount(row);
    const QSslCertificate leaf =
        a && a->certificateProblem() ? a->certificateProblem()->failure.leaf() : QSslCertificate();
    if (leaf.isNull()) {
        lastError_ = tr("There is no refused certificate to trust for this account");
        return false;
    }
    const QString dir = profileDir();
    if (dir.isEmpty()) {
        lastError_ = tr("The profile has no folder to keep the certificate in");
        return false;
    }
    const QString path = pinPath(dir, accounts_[row].settings.uri);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(leaf.toPem()) < 0 || !file.commit()) {
        lastError_ = tr("Cannot store the certificate in %1: %2").arg(path, file.errorString());
        return false;
    }
    a->setTrustedCertificate(leaf);
    a->registerAccount();
    refresh();
    return true;
}

bool AccountListModel::forgetCertificate(int row)
{
    if (row < 0 || row >= accounts_.size()) return false;
    const QString dir = profileDir();
    if (!dir.isEmpty()) {
        QFile file(pinPath(dir, accounts_[row].settings.uri));
        if (file.exists() && !file.remove()) {
            lastError_ = tr("Cannot remove %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
    }
    if (ua::Account* a = liveAccount(row); a && !a->trustedCertificate().isNull()) {
        a->setTrustedCertificate(QSslCertificate());
        if (accounts_[row].settings.registerOnStart) a->registerAccount();
    }
    refresh();
    return true;
}

bool AccountListModel::hasTrustedCertificate(int row) const
{
    if (row < 0 || row >= accounts_.size()) return false;
    if (const ua::Account* a = liveAccount(row); a && !a->trustedCertificate().isNull()) return true;
    const QString dir = profileDir();
    return !dir.isEmpty() && QFile::exists(pinPath(dir, accounts_[row].settings.uri));
}

ua::Account* AccountListModel::liveAccount(int row) const
{
    if (!controller_ || row < 0 || row >= accounts_.size()) return nullptr;
    for (ua::Account* a : controller_->phone().accounts()) {
        if (a->settings().uri == accounts_[row].settings.uri) return a;
    }
    return nullptr;
}

PlainStatus AccountListModel::statusOf(int row) const
{
    const ProfileAccount& p = accounts_[row];
    const ua::Account* a = liveAccount(row);
    if (!a) return {QStringLiteral("off"), tr("Not started")};
    using S = ua::Account::RegistrationState;
    if (a->certificateProblem() && a->registrationState() != S::Registered &&
        a->registrationState() != S::Registering) {
        if (a->certificateProblem()->changed())
            return {QStringLiteral("error"), tr("The server's certificate changed since you trusted it")};
        return {QStringLiteral("error"),
                tr("Certificate not trusted: the server's identity could not be verified")};
    }
    return plainRegistrationStatus(a->registrationState(), a->lastCode(), a->lastReason(),
                                   withPassword_.contains(p.settings.uri), p.settings.registerOnStart,
                                   transportProblem_);
}

QString AccountListModel::statusText(int row) const
{
    return row >= 0 && row < accounts_.size() ? statusOf(row).text : QString();
}

QString AccountListModel::level(int row) const
{
    return row >= 0 && row < accounts_.size() ? statusOf(row).level : QString();
}

void AccountListModel::refresh()
{
    if (!accounts_.isEmpty()) emit dataChanged(index(0), index(static_cast<int>(accounts_.size()) - 1));
}

int AccountListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(accounts_.size());
}

QVariant AccountListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= accounts_.size()) return {};
    const ProfileAccount& a = accounts_[index.row()];
    switch (role) {
    case UriRole: return a.settings.uri;
    case DisplayNameRole: return a.settings.displayName;
    case TransportRole: return a.transport;
    case RegistrarRole: return a.settings.registrar;
    case ProxyRole: return a.settings.outboundProxy;
    case AuthUserRole: return a.settings.authUser;
    case SrtpRole: return a.srtp;
    case RegisterRole: return a.settings.registerOnStart;
    case LevelRole: return statusOf(index.row()).level;
    case StatusRole: return statusOf(index.row()).text;
    case CertificateProblemRole: {
        const ua::Account* live = liveAccount(index.row());
        return live && live->certificateProblem().has_value();
    }
    case TrustedCertificateRole: return hasTrustedCertificate(index.row());
    case CodeRole: {
        const ua::Account* live = liveAccount(index.row());
        return live ? live->lastCode() : 0;
    }
    default: return {};
    }
}

QHash<int, QByteArray> AccountListModel::roleNames() const
{
    return {{UriRole, "uri"},
            {DisplayNameRole, "displayName"},
            {TransportRole, "transport"},
            {RegistrarRole, "registrar"},
            {ProxyRole, "proxy"},
            {AuthUserRole, "authUser"},
            {SrtpRole, "srtp"},
            {RegisterRole, "registerOnStart"},
            {LevelRole, "level"},
            {StatusRole, "status"},
            {CodeRole, "code"},
            {CertificateProblemRole, "certificateProblem"},
            {TrustedCertificateRole, "trustedCertificate"}};
}

} // namespace vphone::ui
