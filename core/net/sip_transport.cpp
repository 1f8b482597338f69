#include "net/sip_transport.h"

#include "net/stun.h"
#include "sip/charset.h"

#include <QNetworkDatagram>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
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

/// A QTcpServer whose connections are QSslSockets in server mode (Qt 6.4 has no QSslServer).
class TlsServer : public QTcpServer {
public:
    TlsServer(QSslConfiguration configuration, QObject* parent)
        : QTcpServer(parent), configuration_(std::move(configuration))
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSslConfiguration(configuration_);
        addPendingConnection(socket);
        socket->startServerEncryption();
    }

private:
    QSslConfiguration configuration_;
};

/// The reason a certificate check failed, in words a user can act on: an untrusted chain first
/// (fixing the name alone would not help), then a name that does not match.
QString verificationFailure(const QList<QSslError>& errors)
{
    QStringList chain;
    QString name;
    for (const auto& e : errors) {
        if (e.error() == QSslError::HostNameMismatch) {
            name = e.errorString();
        } else {
            chain.append(e.errorString());
        }
    }
    if (chain.isEmpty()) return QStringLiteral("host name mismatch: %1").arg(name);
    QString reason = QStringLiteral("certificate not trusted: %1").arg(chain.join(QStringLiteral("; ")));
    if (!name.isEmpty()) reason += QStringLiteral(" (and host name mismatch)");
    return reason;
}

/// RFC 3261 §18.2.1 and RFC 3581 §4: the server transport notes where a request really came
/// from in its top Via: `received` when the sent-by host is not the source address, and with
/// `rport` present the source port as its value and `received` always. Responses copy the Via, so
/// the client (and a NAT-unaware proxy in between) can see its public address. Requests that need
/// neither are left untouched (the common case costs one view parse).
void stampVia(sip::Message& m, const sip::Peer& from)
{
    if (!m.isRequest()) return;
    const auto view = m.topViaView();
    if (!view) return;
    const bool rport = view->param("rport").has_value();
    if (!rport && view->host == from.host) return;
    auto via = m.topVia();
    if (!via) return;
    std::erase_if(via->params, [](const sip::Param& p) { return sip::charset::iequals(p.name, "received"); });
    for (auto& p : via->params) {
        if (sip::charset::iequals(p.name, "rport")) p.value = std::to_string(from.port);
    }
    via->params.push_back(sip::Param{"received", from.host});
    std::vector<std::string> all;
    for (const auto v : m.values(sip::HeaderId::Via))
        all.emplace_back(v);
    if (all.empty()) return;
    all[0] = via->toString();
    m.removeHeaders(sip::HeaderId::Via);
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        m.prependHeader(sip::HeaderId::Via, *it);
}

/// RFC 5626 §3.5.1: a double CRLF is a ping, a single CRLF its pong.
constexpr char kPing[] = "\r\n\r\n";
constexpr char kPong[] = "\r\n";

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

/// One TCP or TLS connection, inbound or outbound.
struct SipTransport::Connection {
    QTcpSocket* socket = nullptr; ///< a QSslSocket for TLS
    sip::Peer remote;
    sip::StreamFramer framer;
    QList<QPair<QByteArray, sip::TransactionId>> pending; ///< queued until connected (and encrypted)
    bool connected = false;
    bool inbound = false;
    QTimer* keepAlive = nullptr; ///< child of socket; only on outbound connections
    QString failure;             ///< why the TLS handshake is being refused, reported on close
    std::optional<CertificateFailure> certificateFailure; ///< what the refused server presented
    QSslCertificate acceptedPin; ///< the pin its certificate was accepted on (null: it verified)

    explicit Connection(sip::Limits limits) : framer(limits) {}
};

SipTransport::SipTransport(sip::Limits limits, QObject* parent) : QObject(parent), limits_(limits) {}

void SipTransport::setTlsConfig(TlsConfig config)
{
    tlsConfig_ = std::move(config);
    clientTls_.reset();
}

void SipTransport::setTrustedCertificates(const QList<QSslCertificate>& certificates)
{
    trusted_ = certificates;
    QStringList untrusted;
    for (auto it = connections_.cbegin(); it != connections_.cend(); ++it) {
        const QSslCertificate& pin = (*it)->acceptedPin;
        if (pin.isNull() || trusted_.contains(pin)) continue;
        if (tlsConfig_.pinnedCertificate && *tlsConfig_.pinnedCertificate == pin) continue;
        untrusted.append(it.key());
    }
    for (const QString& key : untrusted)
        dropConnection(key, QStringLiteral("certificate no longer trusted"));
}

QSslConfiguration SipTransport::clientTlsConfiguration()
{
    if (clientTls_) return *clientTls_;
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setProtocol(QSsl::TlsV1_2OrLater);
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    // Setting CA certificates ends Qt's on-demand loading of the system store: list it explicitly.
    if (!tlsConfig_.caCertificates.isEmpty())
        c.setCaCertificates(QSslConfiguration::systemCaCertificates() + tlsConfig_.caCertificates);
    clientTls_ = c;
    return c;
}

SipTransport::~SipTransport()
{
    for (auto& c : connections_) {
        if (c->socket) c->socket->disconnect(this);
    }
}

bool SipTransport::serve(QTcpServer* server, const ListenSpec& spec, QList<QTcpServer*>& servers,
                         QString* error)
{
    if (!server->listen(spec.address, spec.port)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1: %2").arg(spec.toString(), server->errorString());
        delete server;
        return false;
    }
    const sip::Transport kind = spec.transport;
    connect(server, &QTcpServer::newConnection, this,
            [this, server, kind] { acceptConnections(server, kind); });
    servers.append(server);
    return true;
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
        return serve(new QTcpServer(this), spec, tcp_, error);
    }
    if (spec.transport == sip::Transport::Tls) {
        if (!tlsConfig_.hasIdentity()) {
            if (error)
                *error = QStringLiteral("cannot listen on %1: a TLS listener needs a certificate and a "
                                        "private key (--tls-cert and --tls-key)")
                             .arg(spec.toString());
            return false;
        }
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setProtocol(QSsl::TlsV1_2OrLater);
        c.setLocalCertificateChain(QList<QSslCertificate>{tlsConfig_.certificate} + tlsConfig_.chain);
        c.setPrivateKey(tlsConfig_.privateKey);
        c.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates (mutual TLS) yet
        return serve(new TlsServer(c, this), spec, tls_, error);
    }
    if (error) *error = QStringLiteral("%1: unknown transport").arg(spec.toString());
    return false;
}

QList<ListenSpec> SipTransport::boundAddresses() const
{
    QList<ListenSpec> out;
    for (auto* s : udp_)
        out.append(ListenSpec{sip::Transport::Udp, s->localAddress(), s->localPort()});
    for (auto* s : tcp_)
        out.append(ListenSpec{sip::Transport::Tcp, s->serverAddress(), s->serverPort()});
    for (auto* s : tls_)
        out.append(ListenSpec{sip::Transport::Tls, s->serverAddress(), s->serverPort()});
    return out;
}

QString SipTransport::keyOf(const sip::Peer& p)
{
    return QStringLiteral("%1|%2|%3").arg(int(p.transport)).arg(QString::fromStdString(p.host)).arg(p.port);
}

void SipTransport::send(const sip::Peer& to, const QByteArray& bytes, sip::TransactionId id,
                        const QString& serverName)
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
    if (to.transport != sip::Transport::Tcp && to.transport != sip::Transport::Tls) {
        emit sendFailed(id, to, QStringLiteral("transport not available"));
        return;
    }
    Connection* c = openConnection(to, serverName);
    if (!c) {
        emit sendFailed(id, to, QStringLiteral("too many connections"));
        return;
    }
    if (c->connected) {
        write(*c, bytes);
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
        const std::string_view bytes(data.constData(), static_cast<std::size_t>(data.size()));
        // RFC 5626 §4.4.2: STUN shares the SIP port; its first two bits are 0, SIP's never are.
        if (stun::looksLikeStun(bytes)) {
            emit stunReceived(data, from);
            continue;
        }
        // RFC 5626 §3.5.1 style CRLF keep-alives and empty datagrams carry no message.
        if (data.trimmed().isEmpty()) continue;
        auto msg = sip::parseMessage(bytes, sip::Framing::Datagram, limits_);
        if (msg) {
            stampVia(*msg, from);
            emit messageReceived(*msg, from);
        } else {
            emit malformedReceived(data, msg.error(), from);
        }
    }
}

void SipTransport::acceptConnections(QTcpServer* server, sip::Transport transport)
{
    while (QTcpSocket* socket = server->nextPendingConnection()) {
        const sip::Peer remote = peerOf(transport, socket->peerAddress(), socket->peerPort());
        if (connections_.size() >= maxConnections_) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        adopt(socket, remote);
        const QString key = keyOf(remote);
        connections_[key]->inbound = true;
        auto* ssl = qobject_cast<QSslSocket*>(socket);
        if (!ssl || ssl->isEncrypted()) {
            connections_[key]->connected = true;
        } else {
            // Nothing can arrive before the handshake ends; a response could only be queued.
            connect(ssl, &QSslSocket::encrypted, this, [this, key] { onConnected(key); });
        }
    }
}

SipTransport::Connection* SipTransport::openConnection(const sip::Peer& to, const QString& serverName)
{
    const QString key = keyOf(to);
    if (auto it = connections_.find(key); it != connections_.end()) return it->get();
    if (connections_.size() >= maxConnections_) return nullptr;
    const QString host = QString::fromStdString(to.host);
    if (to.transport == sip::Transport::Tls) {
        auto* socket = new QSslSocket(this);
        socket->setSslConfiguration(clientTlsConfiguration());
        adopt(socket, to);
        connect(socket, &QSslSocket::encrypted, this, [this, key] { onConnected(key); });
        connect(socket, &QSslSocket::sslErrors, this,
                [this, key, socket](const QList<QSslError>& errors) { onSslErrors(key, socket, errors); });
        // The verify name is also sent as SNI when it is not an IP address.
        socket->connectToHostEncrypted(host, to.port, serverName.isEmpty() ? host : serverName);
        return connections_[key].get();
    }
    auto* socket = new QTcpSocket(this);
    adopt(socket, to);
    connect(socket, &QTcpSocket::connected, this, [this, key] { onConnected(key); });
    socket->connectToHost(host, to.port);
    return connections_[key].get();
}

void SipTransport::onConnected(const QString& key)
{
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    Connection& c = **it;
    c.connected = true;
    if (!c.inbound) startKeepAlive(c);
    for (const auto& [bytes, id] : c.pending)
        write(c, bytes);
    c.pending.clear();
}

void SipTransport::onSslErrors(const QString& key, QSslSocket* socket, const QList<QSslError>& errors)
{
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    // --trust-cert and certificates trusted on first use: exactly these certificates are
    // accepted, whatever their issuer and names.
    const QSslCertificate leaf = socket->peerCertificate();
    if (!leaf.isNull() && ((tlsConfig_.pinnedCertificate && leaf == *tlsConfig_.pinnedCertificate) ||
                           trusted_.contains(leaf))) {
        (*it)->acceptedPin = leaf;
        socket->ignoreSslErrors(errors);
        return;
    }
    // Qt now fails the handshake and closes the socket; the close reports this reason.
    CertificateFailure f;
    f.host = socket->peerVerifyName().isEmpty() ? socket->peerName() : socket->peerVerifyName();
    f.chain = socket->peerCertificateChain();
    if (f.chain.isEmpty() && !leaf.isNull()) f.chain.append(leaf);
    for (const auto& e : errors)
        f.errors.append(e.errorString());
    f.reason = verificationFailure(errors);
    (*it)->failure = f.reason;
    (*it)->certificateFailure = std::move(f);
}

void SipTransport::write(Connection& c, const QByteArray& bytes)
{
    c.socket->write(bytes);
    if (c.keepAlive) c.keepAlive->start(); // the ping is for idle connections
}

void SipTransport::startKeepAlive(Connection& c)
{
    if (keepAliveInterval_ <= std::chrono::milliseconds::zero() || c.keepAlive) return;
    c.keepAlive = new QTimer(c.socket);
    c.keepAlive->setInterval(keepAliveInterval_);
    QTcpSocket* socket = c.socket;
    connect(c.keepAlive, &QTimer::timeout, socket, [socket] { socket->write(kPing); });
    c.keepAlive->start();
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
    if (c->keepAlive) c->keepAlive->start();
    const std::size_t pingsBefore = c->framer.keepAlivesSeen();
    c->framer.feed(std::string_view(data.constData(), static_cast<std::size_t>(data.size())));
    while (auto next = c->framer.next()) {
        if (!*next) {
            emit malformedReceived(data, next->error(), c->remote);
            // A framing error leaves no way to find the next message: close (RFC 3261 §18.3).
            dropConnection(key, QString::fromStdString(next->error().what));
            return;
        }
        sip::Message m = std::move(**next);
        stampVia(m, c->remote);
        emit messageReceived(m, c->remote);
        if (!connections_.contains(key)) return;
    }
    // RFC 5626 §3.5.1: answer each ping on a connection the peer opened with a pong. Outbound
    // connections send pings and never answer them, so two vphones cannot ping-pong forever.
    if (c->inbound) {
        for (auto n = c->framer.keepAlivesSeen() - pingsBefore; n > 0; --n)
            c->socket->write(kPong);
    }
}

void SipTransport::dropConnection(const QString& key, const QString& reason)
{
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    std::shared_ptr<Connection> c = *it;
    connections_.erase(it);
    const QString why = c->failure.isEmpty() ? reason : c->failure;
    for (const auto& [bytes, id] : c->pending) {
        if (c->certificateFailure) emit certificateRejected(id, *c->certificateFailure);
        emit sendFailed(id, c->remote, why);
    }
    c->pending.clear();
    if (c->keepAlive) c->keepAlive->stop();
    c->socket->disconnect(this);
    c->socket->abort();
    c->socket->deleteLater();
}

} // namespace vphone::net
