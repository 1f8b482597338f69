// SIP over UDP, TCP and TLS sockets on the Qt event loop: the thin I/O shell around the sans-I/O
// core.
//
// Theory of operation: each listen address owns a QUdpSocket or a QTcpServer (for TLS one that
// wraps each accepted socket in a QSslSocket and starts the server handshake). A datagram is
// parsed as one message (RFC 3261 §18.3 datagram framing); a TCP or TLS byte stream goes through a
// StreamFramer per connection. Connections are kept in one table keyed by the remote address,
// whoever opened them, so a response goes back over the connection its request came on
// (§18.2.2) and requests to the same peer reuse it (§18.1.1). Outgoing bytes for a connection
// still being opened (or, for TLS, still in its handshake) wait in its queue; a failure is
// reported per transaction id.
//
// TLS (RFC 3261 §26.3.1, RFC 5922 §7.2): outgoing connections verify the server's certificate
// against the system CA store plus TlsConfig::caCertificates and its name against the host we
// meant to reach, TLS 1.2 or later; see TlsConfig for the pinned-certificate exception. A
// refused certificate is kept with the connection (CertificateFailure) and reported, before
// sendFailed, to each request that waited on it as certificateRejected, so an account can show
// it and a user can trust it (setTrustedCertificates: pins on top of TlsConfig's own).
//
// Keep-alives (RFC 5626 §4.4.1): on connections we opened, a "\r\n\r\n" ping goes out after
// keepAliveInterval without traffic; on connections we accepted, each ping is answered with a
// "\r\n" pong (§3.5.1). A connection's timer dies with it. On UDP, STUN (RFC 5626 §4.4.2) is
// the keep-alive: datagrams with a STUN header (stun.h) come out as stunReceived, never as SIP.
#pragma once

#include "net/tls_config.h"
#include "sip/parser.h"
#include "sip/transaction.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

class QSslError;
class QSslSocket;
class QTcpServer;
class QTcpSocket;
class QUdpSocket;

namespace vphone::net {

/// A local address to listen on, as written on the command line: "udp:127.0.0.1:5060",
/// "tcp:[::1]:5070" (port 0 picks a free one).
struct ListenSpec {
    sip::Transport transport = sip::Transport::Invalid;
    QHostAddress address;
    quint16 port = 0;

    /// Parses "proto:host:port"; on failure returns nullopt and says why in *error.
    static std::optional<ListenSpec> parse(const QString& text, QString* error);
    QString toString() const;
};

/// Sends and receives SIP messages over UDP, TCP and TLS.
class SipTransport : public QObject {
    Q_OBJECT
public:
    explicit SipTransport(sip::Limits limits = {}, QObject* parent = nullptr);
    ~SipTransport() override;

    /// Certificates for TLS: our identity for tls: listeners, trust anchors and the pinned
    /// certificate for outgoing connections. Applies to connections opened afterwards.
    void setTlsConfig(TlsConfig config);
    const TlsConfig& tlsConfig() const { return tlsConfig_; }
    /// Certificates a user trusted on first use: a server whose leaf is one of them is accepted
    /// like TlsConfig::pinnedCertificate. Connections accepted only because of a pin that is no
    /// longer in the list are closed (their requests fail as on any close).
    void setTrustedCertificates(const QList<QSslCertificate>& certificates);
    const QList<QSslCertificate>& trustedCertificates() const { return trusted_; }

    /// RFC 5626 §4.4.1 CRLF keep-alive: a ping after this long without traffic on each TCP/TLS
    /// connection we opened. Zero (the default) sends none. Applies to connections opened afterwards.
    void setKeepAliveInterval(std::chrono::milliseconds interval) { keepAliveInterval_ = interval; }

    /// Opens a listening socket. False with *error set when the address cannot be bound, or for
    /// tls: when no certificate and key are configured.
    bool listen(const ListenSpec& spec, QString* error);
    /// The addresses actually bound (with the port chosen for port 0).
    QList<ListenSpec> boundAddresses() const;

    /// Sends one serialised message to `to`. UDP goes out from the first UDP listen socket of the
    /// same address family; TCP and TLS reuse or open a connection. Failures come back as
    /// sendFailed. `serverName` is the name a new TLS connection verifies the server's certificate
    /// against (RFC 5922 §7.2: the host part of the URI, not the address it resolved to); when
    /// empty, `to.host` itself is used. An existing connection to `to` is reused as it is.
    void send(const sip::Peer& to, const QByteArray& bytes, sip::TransactionId id = 0,
              const QString& serverName = {});

    /// Open TCP and TLS connections (both directions).
    int connectionCount() const { return static_cast<int>(connections_.size()); }

    /// Upper bound on TCP and TLS connections; accepting or opening more fails.
    void setMaxConnections(int max) { maxConnections_ = max; }

signals:
    /// A message parsed from the wire, with the address it really came from.
    void messageReceived(const vphone::sip::Message& message, const vphone::sip::Peer& from);
    /// Bytes that are not a SIP message (or break stream framing: the connection is then closed).
    void malformedReceived(const QByteArray& bytes, const vphone::sip::ParseError& error,
                           const vphone::sip::Peer& from);
    /// A STUN message arrived on a UDP socket (keep-alive responses, RFC 5626 §4.4.2).
    void stunReceived(const QByteArray& bytes, const vphone::sip::Peer& from);
    /// The server of a TLS connection presented a certificate that failed verification; emitted
    /// for each request that waited on the connection, just before its sendFailed.
    void certificateRejected(vphone::sip::TransactionId id, const vphone::net::CertificateFailure& failure);
    /// A send could not be completed (RFC 3261 §17.1.4 transport error).
    void sendFailed(vphone::sip::TransactionId id, const vphone::sip::Peer& to, const QString& reason);

private:
    struct Connection;

    /// Starts a TCP or TLS listener and keeps it in `servers`; deletes it on failure.
    bool serve(QTcpServer* server, const ListenSpec& spec, QList<QTcpServer*>& servers, QString* error);
    void readDatagrams(QUdpSocket* socket);
    void acceptConnections(QTcpServer* server, sip::Transport transport);
    Connection* openConnection(const sip::Peer& to, const QString& serverName);
    void adopt(QTcpSocket* socket, const sip::Peer& remote);
    void onConnected(const QString& key);
    void onSslErrors(const QString& key, QSslSocket* socket, const QList<QSslError>& errors);
    void write(Connection& c, const QByteArray& bytes);
    void startKeepAlive(Connection& c);
    QSslConfiguration clientTlsConfiguration();
    void readStream(const QString& key);
    void dropConnection(const QString& key, const QString& reason);
    static QString keyOf(const sip::Peer& p);

    sip::Limits limits_;
    QList<QUdpSocket*> udp_;
    QList<QTcpServer*> tcp_;
    QList<QTcpServer*> tls_;
    TlsConfig tlsConfig_;
    QList<QSslCertificate> trusted_;             ///< trusted on first use (setTrustedCertificates)
    std::optional<QSslConfiguration> clientTls_; ///< built from tlsConfig_ on first use
    std::chrono::milliseconds keepAliveInterval_{0};
    QHash<QString, std::shared_ptr<Connection>> connections_;
    int maxConnections_ = 1024;
};

} // namespace vphone::net
