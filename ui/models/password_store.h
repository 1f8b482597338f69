// PasswordStore: account passwords in the system keychain (QtKeychain: the freedesktop Secret
// Service or KWallet over D-Bus on Linux), one entry per profile and account.
//
// Theory of operation: QtKeychain's jobs are asynchronous; each call here starts one job and
// runs a local event loop until it finishes (bounded: a keychain that does not answer within
// the timeout counts as absent). The outcome says whether a keychain exists at all, so the
// caller can fall back to the profile file and tell the user. Nothing here logs a secret.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace vphone::ui {

class PasswordStore {
public:
    enum class Outcome { Ok, NotFound, NoKeychain, Failed };
    struct Result {
        Outcome outcome = Outcome::Failed;
        QString secret; ///< read(): the password
        QString error;  ///< what went wrong, in words (never the secret)
        bool ok() const { return outcome == Outcome::Ok; }
    };

    explicit PasswordStore(QString service = QStringLiteral("vphone"), int timeoutMs = 5000);

    /// The key of one account's entry: the profile's directory and the account's address.
    static QString keyFor(const QString& profileDir, const QString& uri);

    Result read(const QString& key) const;
    Result write(const QString& key, const QString& secret) const;
    Result remove(const QString& key) const;
    /// read() without waiting: `done` runs later on `context`'s thread with the outcome, unless
    /// `context` is gone by then; before readLater returns when there is no session bus or the
    /// store is disabled (nothing to wait for).
    void readLater(const QString& key, QObject* context, std::function<void(Result)> done) const;

    /// Tests and --no-keychain: behave as if no keychain existed (no D-Bus traffic).
    void setDisabled(bool disabled) { disabled_ = disabled; }
    bool disabled() const { return disabled_; }

private:
    QString service_;
    int timeoutMs_;
    bool disabled_ = false;
};

} // namespace vphone::ui
