#include "models/password_store.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

namespace vphone::ui {

namespace {

PasswordStore::Result finish(QKeychain::Job& job, int timeoutMs)
{
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job.start();
    if (!done) loop.exec();
    PasswordStore::Result r;
    if (!done) {
        r.outcome = PasswordStore::Outcome::NoKeychain;
        r.error = QStringLiteral("the keychain did not answer");
        return r;
    }
    switch (job.error()) {
    case QKeychain::NoError: r.outcome = PasswordStore::Outcome::Ok; break;
    case QKeychain::EntryNotFound: r.outcome = PasswordStore::Outcome::NotFound; break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: r.outcome = PasswordStore::Outcome::NoKeychain; break;
    case QKeychain::OtherError:
        // No session bus, or no Secret Service / KWallet on it: QtKeychain says so this way.
        r.outcome = PasswordStore::Outcome::NoKeychain;
        break;
    default: r.outcome = PasswordStore::Outcome::Failed; break;
    }
    if (r.outcome != PasswordStore::Outcome::Ok) r.error = job.errorString();
    return r;
}

PasswordStore::Result noKeychain(const QString& why)
{
    return {PasswordStore::Outcome::NoKeychain, {}, why};
}

/// On Linux the keychains (Secret Service, KWallet) live on the D-Bus session bus. Without one,
/// QtKeychain's D-Bus library would try to autolaunch a bus through X11 (a forked dbus-launch):
/// asking it then only costs time, so the answer is "no keychain" at once.
bool sessionBusMissing()
{
#if defined(Q_OS_LINUX)
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) return false;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return runtime.isEmpty() || !QFileInfo::exists(runtime + QStringLiteral("/bus"));
#else
    return false;
#endif
}

} // namespace

PasswordStore::PasswordStore(QString service, int timeoutMs)
    : service_(std::move(service)), timeoutMs_(timeoutMs)
{}

QString PasswordStore::keyFor(const QString& profileDir, const QString& uri)
{
    return QStringLiteral("%1|%2").arg(profileDir, uri);
}

PasswordStore::Result PasswordStore::read(const QString& key) const
{
    if (disabled_) return noKeychain(QStringLiteral("keychain disabled"));
    if (sessionBusMissing()) return noKeychain(QStringLiteral("no D-Bus session bus"));
    QKeychain::ReadPasswordJob job(service_);
    job.setAutoDelete(false);
    job.setKey(key);
    Result r = finish(job, timeoutMs_);
    if (r.ok()) r.secret = job.textData();
    return r;
}

PasswordStore::Result PasswordStore::write(const QString& key, const QString& secret) const
{
    if (disabled_) return noKeychain(QStringLiteral("keychain disabled"));
    if (sessionBusMissing()) return noKeychain(QStringLiteral("no D-Bus session bus"));
    QKeychain::WritePasswordJob job(service_);
    job.setAutoDelete(false);
    job.setKey(key);
    job.setTextData(secret);
    return finish(job, timeoutMs_);
}

PasswordStore::Result PasswordStore::remove(const QString& key) const
{
    if (disabled_) return noKeychain(QStringLiteral("keychain disabled"));
    if (sessionBusMissing()) return noKeychain(QStringLiteral("no D-Bus session bus"));
    QKeychain::DeletePasswordJob job(service_);
    job.setAutoDelete(false);
    job.setKey(key);
    return finish(job, timeoutMs_);
}

} // namespace vphone::ui
