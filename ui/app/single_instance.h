// SingleInstance: one running vphone per profile. The first instance listens on a local
// socket whose name comes from the profile directory (a hash of its canonical path, so two
// profiles run side by side); a later launch with the same profile hands its URI over that
// socket ("dial URI" or "raise", one line; the running instance answers "ok") and exits.
#pragma once

#include <QLocalServer>
#include <QObject>
#include <QString>

#include <chrono>

namespace vphone::app {

/// The local server of the running instance, or the client of a later one.
class SingleInstance : public QObject {
    Q_OBJECT
public:
    explicit SingleInstance(const QString& profileDir, QObject* parent = nullptr);

    /// "vphone-" and 24 hex digits of the SHA-256 of the profile directory's canonical path.
    static QString serverName(const QString& profileDir);
    /// Hands `message` ("dial sip:..." or "raise") to a running instance; true when one took it.
    bool sendToRunning(const QString& message, std::chrono::milliseconds timeout);
    /// Becomes the running instance (a socket left by a crashed one is removed first).
    bool listen(QString* error);

signals:
    /// A later launch asked for something: "dial URI" or "raise".
    void messageReceived(const QString& message);

private:
    void accept();

    QString name_;
    QLocalServer server_;
};

} // namespace vphone::app
