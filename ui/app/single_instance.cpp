#include "single_instance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocalSocket>

namespace vphone::app {

namespace {
constexpr qint64 kMaxMessage = 8192; // a URI and a word: anything longer is not ours
}

SingleInstance::SingleInstance(const QString& profileDir, QObject* parent)
    : QObject(parent), name_(serverName(profileDir))
{
    connect(&server_, &QLocalServer::newConnection, this, &SingleInstance::accept);
}

QString SingleInstance::serverName(const QString& profileDir)
{
    QString path = QFileInfo(profileDir).canonicalFilePath();
    if (path.isEmpty()) path = QDir::cleanPath(QFileInfo(profileDir).absoluteFilePath());
    const QByteArray hash = QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStringLiteral("vphone-") + QString::fromLatin1(hash.left(24));
}

bool SingleInstance::sendToRunning(const QString& message, std::chrono::milliseconds timeout)
{
    QLocalSocket socket;
    socket.connectToServer(name_);
    const int ms = static_cast<int>(timeout.count());
    if (!socket.waitForConnected(ms)) return false;
    socket.write(message.toUtf8() + '\n');
    if (!socket.waitForBytesWritten(ms)) return false;
    // The running instance answers "ok" once it has the message.
    QElapsedTimer clock;
    clock.start();
    while (!socket.canReadLine() && clock.elapsed() < ms) {
        if (!socket.waitForReadyRead(static_cast<int>(ms - clock.elapsed()))) break;
    }
    return socket.readLine().trimmed() == "ok";
}

bool SingleInstance::listen(QString* error)
{
    server_.setSocketOptions(QLocalServer::UserAccessOption);
    if (server_.listen(name_)) return true;
    // A socket file left by an instance that crashed: nobody answered above, so take it over.
    QLocalServer::removeServer(name_);
    if (server_.listen(name_)) return true;
    if (error) *error = server_.errorString();
    return false;
}

void SingleInstance::accept()
{
    while (QLocalSocket* socket = server_.nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxMessage) socket->abort();
                return;
            }
            const QString message = QString::fromUtf8(socket->readLine(kMaxMessage)).trimmed();
            socket->write("ok\n");
            socket->flush();
            socket->disconnectFromServer();
            emit messageReceived(message);
        });
    }
}

} // namespace vphone::app
