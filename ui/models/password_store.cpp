#include "models/password_store.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QFileInfo>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <utility>

namespace vphone::ui {

namespace {

/// The outcome of a job that has finished.
PasswordStore::Result outcomeOf(const QKeychain::Job& job)
{
    PasswordStore::Result r;
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

PasswordStore::Result timedOut()
{
    return {PasswordStore::Outcome::NoKeychain, {}, QStringLiteral("the keychain did not answer")};
}

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
    return done ? outcomeOf(job) : timedOut();
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

void PasswordStore::readLater(const QString& key, QObject* context, std::function<void(Result)> done) const
{
    if (disabled_) return done(noKeychain(QStringLiteral("keychain disabled")));
    if (sessionBusMissing()) return done(noKeychain(QStringLiteral("no D-Bus session bus")));
    // The job lives until it finishes or times out, whichever comes first; then the other path
    // finds it gone. `answered` makes sure `done` runs once.
    auto* job = new QKeychain::ReadPasswordJob(service_, context); // gone with the context
    job->setAutoDelete(false);
    job->setKey(key);
    auto answered = std::make_shared<bool>(false);
    QPointer<QKeychain::ReadPasswordJob> guard(job);
    QObject::connect(job, &QKeychain::Job::finished, context, [job, done, answered] {
        if (!std::exchange(*answered, true)) {
            Result r = outcomeOf(*job);
            if (r.ok()) r.secret = job->textData();
            done(r);
        }
        job->deleteLater();
    });
    QTimer::singleShot(timeoutMs_, context, [guard, done, answered] {
        if (std::exchange(*answered, true)) return;
        done(timedOut());
        if (guard) guard->deleteLater();
    });
    job->start();
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
