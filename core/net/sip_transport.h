// SIP over UDP and TCP sockets on the Qt event loop: the thin I/O shell around the sans-I/O core.
//
// Theory of operation: each listen address owns a QUdpSocket or a QTcpServer. A datagram is
// parsed as one message (RFC 3261 §18.3 datagram framing); a TCP byte stream goes through a
// StreamFramer per connection. Connections are kept in one table keyed by the remote address,
// whoever opened them, so a response goes back over the connection its request came on
// (§18.2.2) and requests to the same peer reuse it (§18.1.1). Outgoing bytes for a connection
// still being opened wait in its queue; a failure is reported per transaction id.
#pragma once

#include "sip/parser.h"
#include "sip/transaction.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

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

/// Sends and receives SIP messages over UDP and TCP.
class SipTransport : public QObject {
    Q_OBJECT
public:
    explicit SipTransport(sip::Limits limits = {}, QObject* parent = nullptr);
    ~SipTransport() override;

    /// Opens a listening socket. False with *error set when the address cannot be bound.
    bool listen(const ListenSpec& spec, QString* error);
    /// The addresses actually bound (with the port chosen for port 0).
    QList<ListenSpec> boundAddresses() const;

    /// Sends one serialised message to `to`. UDP goes out from the first UDP listen socket of the
    /// same address family; TCP reuses or opens a connection. Failures come back as sendFailed.
    void send(const sip::Peer& to, const QByteArray& bytes, sip::TransactionId id = 0);

    /// Open TCP connections (both directions).
    int connectionCount() const { return static_cast<int>(connections_.size()); }

    /// Upper bound on TCP connections; accepting or opening more fails.
    void setMaxConnections(int max) { maxConnections_ = max; }

signals:
    /// A message parsed from the wire, with the address it really came from.
    void messageReceived(const vphone::sip::Message& message, const vphone::sip::Peer& from);
    /// Bytes that are not a SIP message (or break stream framing: the connection is then closed).
    void malformedReceived(const QByteArray& bytes, const vphone::sip::ParseError& error,
                           const vphone::sip::Peer& from);
    /// A send could not be completed (RFC 3261 §17.1.4 transport error).
    void sendFailed(vphone::sip::TransactionId id, const vphone::sip::Peer& to, const QString& reason);

private:
    struct Connection;

    void readDatagrams(QUdpSocket* socket);
    void acceptConnections(QTcpServer* server);
    Connection* openConnection(const sip::Peer& to);
    void adopt(QTcpSocket* socket, const sip::Peer& remote);
    void readStream(const QString& key);
    void dropConnection(const QString& key, const QString& reason);
    static QString keyOf(const sip::Peer& p);

    sip::Limits limits_;
    QList<QUdpSocket*> udp_;
    QList<QTcpServer*> tcp_;
    QHash<QString, std::shared_ptr<Connection>> connections_;
    int maxConnections_ = 1024;
};

} // namespace vphone::net
