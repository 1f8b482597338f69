#include "net/sip_transport.h"

#include <QNetworkDatagram>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUdpSocket>

namespace vphone::net {

namespace {

/// Host text for a Peer: IPv4-mapped IPv6 addresses become plain IPv4, IPv6 has no brackets.
QString hostText(const QHostAddress& a)
{
    bool mapped = false;
    const quint32 v4 = a.toIPv4Address(&mapped);
    if (mapped) return QHostAddress(v4).toString();
    QHostAddress plain = a;
    plain.setScopeId(QString());
    return plain.toString();
}

sip::Peer peerOf(sip::Transport t, const QHostAddress& address, quint16 port)
{
    return sip::Peer{t, hostText(address).toStdString(), port};
}

QString transportName(sip::Transport t)
{
    switch (t) {
    case sip::Transport::Udp: return QStringLiteral("udp");
    case sip::Transport::Tcp: return QStringLiteral("tcp");
    case sip::Transport::Tls: return QStringLiteral("tls");
    case sip::Transport::Invalid: break;
    }
    return QStringLiteral("invalid");
}

} // namespace

std::optional<ListenSpec> ListenSpec::parse(const QString& text, QString* error)
{
    const auto fail = [&](const QString& why) -> std::optional<ListenSpec> {
        if (error) *error = QStringLiteral("bad listen address '%1': %2").arg(text, why);
        return std::nullopt;
    };
    const int colon = text.indexOf(QLatin1Char(':'));
    if (colon < 0) return fail(QStringLiteral("expected proto:host:port"));
    ListenSpec spec;
    const QString proto = text.left(colon).toLower();
    if (proto == QLatin1String("udp")) {
        spec.transport = sip::Transport::Udp;
    } else if (proto == QLatin1String("tcp")) {
        spec.transport = sip::Transport::Tcp;
    } else if (proto == QLatin1String("tls")) {
        spec.transport = sip::Transport::Tls;
    } else {
        return fail(QStringLiteral("unknown transport '%1' (udp, tcp or tls)").arg(proto));
    }
    const QString hostPort = text.mid(colon + 1);
    QString host;
    QString port;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const int close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0 || hostPort.mid(close + 1, 1) != QLatin1String(":"))
            return fail(QStringLiteral("expected [v6]:port"));
        host = hostPort.mid(1, close - 1);
        port = hostPort.mid(close + 2);
    } else {
        const int last = hostPort.lastIndexOf(QLatin1Char(':'));
        if (last < 0) return fail(QStringLiteral("missing port"));
        host = hostPort.left(last);
        port = hostPort.mid(last + 1);
    }
    if (!spec.address.setAddress(host)) return fail(QStringLiteral("'%1' is not an IP address").arg(host));
    bool ok = false;
    const uint p = port.toUInt(&ok);
    if (!ok || p > 65535) return fail(QStringLiteral("'%1' is not a port").arg(port));
    spec.port = static_cast<quint16>(p);
    return spec;
}

QString ListenSpec::toString() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    return QStringLiteral("%1:%2:%3").arg(transportName(transport), host).arg(port);
}

/// One TCP connection, inbound or outbound.
struct SipTransport::Connection {
    QTcpSocket* socket = nullptr;
    sip::Peer remote;
    sip::StreamFramer framer;
    QList<QPair<QByteArray, sip::TransactionId>> pending; ///< queued until connected
    bool connected = false;

    explicit Connection(sip::Limits limits) : framer(limits) {}
};

SipTransport::SipTransport(sip::Limits limits, QObject* parent) : QObject(parent), limits_(limits) {}

SipTransport::~SipTransport()
{
    for (auto& c : connections_) {
        if (c->socket) c->socket->disconnect(this);
    }
}

bool SipTransport::listen(const ListenSpec& spec, QString* error)
{
    if (spec.transport == sip::Transport::Udp) {
        auto* socket = new QUdpSocket(this);
        if (!socket->bind(spec.address, spec.port)) {
            if (error)
                *error = QStringLiteral("cannot bind %1: %2").arg(spec.toString(), socket->errorString());
            delete socket;
            return false;
        }
        connect(socket, &QUdpSocket::readyRead, this, [this, socket] { readDatagrams(socket); });
        udp_.append(socket);
        return true;
    }
    if (spec.transport == sip::Transport::Tcp) {
        auto* server = new QTcpServer(this);
        if (!server->listen(spec.address, spec.port)) {
            if (error)
                *error =
                    QStringLiteral("cannot listen on %1: %2").arg(spec.toString(), server->errorString());
            delete server;
            return false;
        }
        connect(server, &QTcpServer::newConnection, this, [this, server] { acceptConnections(server); });
        tcp_.append(server);
        return true;
    }
    if (error) *error = QStringLiteral("%1: TLS transport is not available yet").arg(spec.toString());
    return false;
}

QList<ListenSpec> SipTransport::boundAddresses() const
{
    QList<ListenSpec> out;
    for (auto* s : udp_)
        out.append(ListenSpec{sip::Transport::Udp, s->localAddress(), s->localPort()});
    for (auto* s : tcp_)
        out.append(ListenSpec{sip::Transport::Tcp, s->serverAddress(), s->serverPort()});
    return out;
}

QString SipTransport::keyOf(const sip::Peer& p)
{
    return QStringLiteral("%1|%2|%3").arg(int(p.transport)).arg(QString::fromStdString(p.host)).arg(p.port);
}

void SipTransport::send(const sip::Peer& to, const QByteArray& bytes, sip::TransactionId id)
{
    if (to.transport == sip::Transport::Udp) {
        QHostAddress address(QString::fromStdString(to.host));
        if (address.isNull()) {
            emit sendFailed(id, to,
                            QStringLiteral("'%1' is not an IP address").arg(QString::fromStdString(to.host)));
            return;
        }
        QUdpSocket* socket = nullptr;
        for (auto* s : udp_) {
            const bool v6 = s->localAddress().protocol() == QAbstractSocket::IPv6Protocol;
            const bool wantV6 = address.protocol() == QAbstractSocket::IPv6Protocol;
            if (v6 == wantV6 || s->localAddress() == QHostAddress::Any) {
                socket = s;
                break;
            }
        }
        if (!socket) {
            emit sendFailed(id, to, QStringLiteral("no UDP socket for this address family"));
            return;
        }
        if (socket->writeDatagram(bytes, address, to.port) != bytes.size()) {
            emit sendFailed(id, to, socket->errorString());
        }
        return;
    }
    if (to.transport != sip::Transport::Tcp) {
        emit sendFailed(id, to, QStringLiteral("transport not available"));
        return;
    }
    Connection* c = openConnection(to);
    if (!c) {
        emit sendFailed(id, to, QStringLiteral("too many connections"));
        return;
    }
    if (c->connected) {
        c->socket->write(bytes);
    } else {
        c->pending.append({bytes, id});
    }
}

void SipTransport::readDatagrams(QUdpSocket* socket)
{
    while (socket->hasPendingDatagrams()) {
        const QNetworkDatagram d = socket->receiveDatagram(65536);
        const QByteArray data = d.data();
        const sip::Peer from =
            peerOf(sip::Transport::Udp, d.senderAddress(), static_cast<quint16>(d.senderPort()));
        // RFC 5626 §3.5.1 style CRLF keep-alives and empty datagrams carry no message.
        if (data.trimmed().isEmpty()) continue;
        auto msg =
            sip::parseMessage(std::string_view(data.constData(), static_cast<std::size_t>(data.size())),
                              sip::Framing::Datagram, limits_);
        if (msg) {
            emit messageReceived(*msg, from);
        } else {
            emit malformedReceived(data, msg.error(), from);
        }
    }
}

void SipTransport::acceptConnections(QTcpServer* server)
{
    while (QTcpSocket* socket = server->nextPendingConnection()) {
        const sip::Peer remote = peerOf(sip::Transport::Tcp, socket->peerAddress(), socket->peerPort());
        if (connections_.size() >= maxConnections_) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        adopt(socket, remote);
        connections_[keyOf(remote)]->connected = true;
    }
}

SipTransport::Connection* SipTransport::openConnection(const sip::Peer& to)
{
    const QString key = keyOf(to);
    if (auto it = connections_.find(key); it != connections_.end()) return it->get();
    if (connections_.size() >= maxConnections_) return nullptr;
    auto* socket = new QTcpSocket(this);
    adopt(socket, to);
    Connection* c = connections_[key].get();
    connect(socket, &QTcpSocket::connected, this, [this, key] {
        auto it = connections_.find(key);
        if (it == connections_.end()) return;
        Connection* conn = it->get();
        conn->connected = true;
        for (const auto& [bytes, id] : conn->pending)
            conn->socket->write(bytes);
        conn->pending.clear();
    });
    socket->connectToHost(QString::fromStdString(to.host), to.port);
    return c;
}

void SipTransport::adopt(QTcpSocket* socket, const sip::Peer& remote)
{
    const QString key = keyOf(remote);
    auto c = std::make_shared<Connection>(limits_);
    c->socket = socket;
    c->remote = remote;
    connections_.insert(key, c);
    connect(socket, &QTcpSocket::readyRead, this, [this, key] { readStream(key); });
    connect(socket, &QTcpSocket::disconnected, this,
            [this, key] { dropConnection(key, QStringLiteral("closed by peer")); });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, key, socket](QAbstractSocket::SocketError) {
        dropConnection(key, socket->errorString());
    });
}

void SipTransport::readStream(const QString& key)
{
    // Hold the connection: a slot of messageReceived may close it.
    const std::shared_ptr<Connection> c = connections_.value(key);
    if (!c) return;
    const QByteArray data = c->socket->readAll();
    c->framer.feed(std::string_view(data.constData(), static_cast<std::size_t>(data.size())));
    while (auto next = c->framer.next()) {
        if (!*next) {
            emit malformedReceived(data, next->error(), c->remote);
            // A framing error leaves no way to find the next message: close (RFC 3261 §18.3).
            dropConnection(key, QString::fromStdString(next->error().what));
            return;
        }
        emit messageReceived(**next, c->remote);
        if (!connections_.contains(key)) return;
    }
}

void SipTransport::dropConnection(const QString& key, const QString& reason)
{
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    std::shared_ptr<Connection> c = *it;
    connections_.erase(it);
    for (const auto& [bytes, id] : c->pending)
        emit sendFailed(id, c->remote, reason);
    c->pending.clear();
    c->socket->disconnect(this);
    c->socket->abort();
    c->socket->deleteLater();
}

} // namespace vphone::net
