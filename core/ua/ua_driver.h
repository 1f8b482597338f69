// UaDriver: runs a sans-I/O sip::UserAgent on the Qt event loop.
//
// Theory of operation (STYLE.md "pump"): every input — a datagram or stream message from
// SipTransport, a command, the timer — is handed to the UserAgent with the current monotonic
// time, then pump() drains what it wants to send (resolving host names first, RFC 3263 A/AAAA
// through QHostInfo; SRV with issue #4's DNS work), emits its events and re-arms the single
// timer for its next deadline.
#pragma once

#include "net/sip_transport.h"
#include "sip/user_agent.h"
#include "ua/sip_resolver.h"

#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

namespace vphone::ua {

class UaDriver : public QObject {
    Q_OBJECT
public:
    explicit UaDriver(QObject* parent = nullptr);
    ~UaDriver() override;

    /// TLS certificates and trust (see net::TlsConfig). Call before listen() when listening on tls:.
    void setTlsConfig(net::TlsConfig config) { transport_.setTlsConfig(std::move(config)); }
    /// RFC 5626 §4.4.1 CRLF keep-alive interval on connections we open; zero sends none.
    void setKeepAliveInterval(std::chrono::milliseconds interval)
    {
        transport_.setKeepAliveInterval(interval);
    }
    /// Opens the listening sockets. Call before start().
    bool listen(const QList<net::ListenSpec>& addresses, QString* error);
    /// Creates the user agent (its local addresses are the bound sockets).
    void start(sip::UaConfig config);
    /// Writes every message sent and received, with time and peer, to this file.
    bool setTraceFile(const QString& path, QString* error);

    // Commands, forwarded to the UserAgent with the current time.
    void registerAccount();
    void unregister();
    sip::CallHandle call(const sip::Uri& target, const std::string& sdpOffer);
    void ringing(sip::CallHandle call);
    void answer(sip::CallHandle call, const std::string& sdpAnswer);
    void reject(sip::CallHandle call, int code);
    void hangUp(sip::CallHandle call);
    sip::MessageHandle sendMessage(const sip::Uri& to, const std::string& contentType,
                                   const std::string& body);

    /// Sends DNS queries (SRV, A, AAAA) to this server instead of the system's.
    void setNameserver(const QHostAddress& server) { resolver_.setNameserver(server); }

    const QList<net::ListenSpec>& boundAddresses() const { return bound_; }
    std::size_t activeCalls() const { return ua_ ? ua_->activeCalls() : 0; }

signals:
    void registrationChanged(const vphone::sip::RegistrationChanged& e);
    void incomingCall(const vphone::sip::IncomingCall& e);
    void callStateChanged(const vphone::sip::CallStateChanged& e);
    void messageReceived(const vphone::sip::MessageReceived& e);
    void messageResult(const vphone::sip::MessageResult& e);
    /// Something went wrong that is not a SIP answer: DNS failure, a malformed packet.
    void problem(const QString& what);

private:
    static sip::TimePoint now();
    void pump();
    void send(const sip::Outgoing& out);
    void trace(const char* direction, const sip::Peer& peer, const QByteArray& bytes);

    net::SipTransport transport_;
    std::unique_ptr<sip::UserAgent> ua_;
    QTimer timer_;
    QList<net::ListenSpec> bound_;
    /// The other targets of a request sent to a resolved name, tried in order when sending to
    /// the current one fails (RFC 3263 §4.3); the most recent requests only.
    struct Failover {
        sip::TransactionId id = 0;
        sip::Outgoing out;
        QList<SipTarget> rest;
    };
    void sendTo(const sip::Outgoing& out, const SipTarget& target);
    bool failOver(sip::TransactionId id);

    SipResolver resolver_;
    QList<Failover> failover_;
    std::unique_ptr<QFile> trace_;
    bool pumping_ = false;
};

} // namespace vphone::ua
