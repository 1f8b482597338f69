// UaDriver: runs sans-I/O sip::UserAgents (one per account) on the Qt event loop.
//
// Theory of operation (STYLE.md "pump"): every input — a datagram or stream message from
// SipTransport, a command, the timer — is handed to the UserAgent it belongs to with the current
// monotonic time, then pump() drains what each UA wants to send (resolving host names first,
// RFC 3263 SRV then A/AAAA through SipResolver), emits their events and re-arms the single timer
// for the earliest deadline.
//
// Several accounts share the sockets: each account's UA gets its own UaConfig::branchTag, and
// account_router.h picks the owner of each received message (responses by the tag in their top
// Via branch, requests by the Request-URI user, then the To user/host, then the first account).
// Call and message handles are made unique across accounts by putting the account index in
// their top bits (account 0's handles are the UA's own), so commands find their UA again; the
// same is done for the transaction ids handed to the transport, so a send failure reaches the UA
// that sent.
//
// Network changes (RFC 5626 §4.4 asks a UA to recover its flows; RFC 3261 §10 only to keep its
// binding fresh): every few seconds checkNetwork() works out each account's local addresses —
// a socket bound to a wildcard address takes the source address the kernel would use toward the
// account's registrar (a connected UDP socket, no packet sent) — and compares them, and the set
// of interface addresses, with the last check. A difference, or a wake from sleep (the wall clock
// moved much more than the monotonic clock, which stops while suspended, or the poll timer fired
// far too late), hands the new addresses to each UserAgent::networkChanged(), which re-registers.
//
// UDP keep-alive (RFC 5626 §4.4.2): while an account is registered over UDP, a STUN Binding
// request goes to its registrar flow (the address the last REGISTER went to, from the SIP socket)
// every 80-100 % of the keep-alive interval. Responses come back on the SIP socket and are told
// apart by SipTransport. A changed XOR-MAPPED-ADDRESS (the NAT rebound us), or two requests in a
// row without an answer from a server that has answered STUN before, count as a flow failure and
// the account re-registers. A server that never answers STUN still gets the packets (they keep
// the NAT binding open) but its silence is not taken as a failure.
//
// Trust on first use (issue 7): each account may have one trusted (pinned) server certificate,
// setTrustedCertificate(); the transport accepts the union of them. A certificate refused on a
// connection reaches the account whose request waited on it as certificateFailed, with the
// account's pin so a changed certificate can be told apart from a first meeting.
//
// STUN server (issue 7, ua_driver_stun.cpp): setStunServer() gives an account a STUN server;
// a Binding request (net::stun::BindingClient, RFC 5389 §7.2.1 retransmissions) goes to it from
// the SIP UDP socket and the XOR-MAPPED-ADDRESS it learns replaces the UDP local address (host
// and port) in the account's Contact and Via sent-by (a different one re-registers, as a
// network change does). No answer within 1.5 s leaves the local address in place; stunResult
// says either.
#pragma once

#include "net/sip_transport.h"
#include "net/stun_client.h"
#include "sip/user_agent.h"
#include "ua/account_router.h"
#include "ua/certificate_problem.h"
#include "ua/sip_resolver.h"

#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTimer>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace vphone::ua {

/// Index of an account in the order given to UaDriver::start() (0 is the first).
using AccountId = int;

class UaDriver : public QObject {
    Q_OBJECT
public:
    explicit UaDriver(QObject* parent = nullptr);
    ~UaDriver() override;

    /// TLS certificates and trust (see net::TlsConfig). Call before listen() when listening on tls:.
    void setTlsConfig(net::TlsConfig config) { transport_.setTlsConfig(std::move(config)); }
    /// The server certificate `account` trusts on first use (a null certificate removes it):
    /// a server presenting exactly it is accepted. Connections accepted on a removed pin close.
    void setTrustedCertificate(AccountId account, const QSslCertificate& certificate);
    QSslCertificate trustedCertificate(AccountId account) const { return trusted_.value(account); }
    /// Keep-alive interval (zero sends none): RFC 5626 §4.4.1 CRLF pings on TCP/TLS connections
    /// we open, and §4.4.2 STUN Binding requests on each registered account's UDP flow to its
    /// registrar (or outbound proxy), every 80-100 % of the interval. Call before start().
    void setKeepAliveInterval(std::chrono::milliseconds interval)
    {
        transport_.setKeepAliveInterval(interval);
        keepAliveInterval_ = interval;
    }
    /// Answers the SDP offers of re-INVITEs and UPDATEs in calls (see UaConfig::answerOffer),
    /// with the driver's call handles. Call before start(); unset, calls keep their SDP.
    using OfferAnswerer = std::function<sip::OfferReply(sip::CallHandle call, std::string_view offer)>;
    void setOfferAnswerer(OfferAnswerer answerer) { answerer_ = std::move(answerer); }
    /// Opens the listening sockets. Call before start().
    bool listen(const QList<net::ListenSpec>& addresses, QString* error);
    /// Creates one user agent (its local addresses are the bound sockets).
    void start(sip::UaConfig config);
    /// Creates one user agent per config (account), all on the same sockets; with more than
    /// one, each gets its own branch tag (any branchTag given is replaced).
    void start(std::vector<sip::UaConfig> configs);
    /// Accounts started (1 for a lone UA, with or without an account).
    int accountCount() const { return static_cast<int>(accounts_.size()); }
    /// The address of record of an account ("sip:alice@example.test"), empty when it has none.
    QString accountUri(AccountId account) const;
    /// The account a call or message handle belongs to.
    static AccountId accountOf(std::uint64_t handle)
    {
        return static_cast<AccountId>(handle >> kAccountShift);
    }
    /// Writes every message sent and received, with time and peer, to this file.
    bool setTraceFile(const QString& path, QString* error);

    // Commands, forwarded to the UserAgent with the current time.
    /// Registers every account that has an address of record.
    void registerAccount();
    void registerAccount(AccountId account);
    /// Unregisters every account that has an address of record.
    void unregister();
    void unregister(AccountId account);
    /// Calls `target`; a non-empty `replaces` adds Replaces (RFC 3891: a pick-up).
    sip::CallHandle call(const sip::Uri& target, const std::string& sdpOffer, AccountId account = 0,
                         const std::string& replaces = {}, const std::string& referredBy = {});
    void ringing(sip::CallHandle call);
    void answer(sip::CallHandle call, const std::string& sdpAnswer);
    void reject(sip::CallHandle call, int code);
    /// Forwards an incoming call not yet answered: a 3xx (302 by default) with these Contacts.
    void redirect(sip::CallHandle call, int code, const std::vector<sip::Uri>& contacts);
    void hangUp(sip::CallHandle call);
    /// Re-INVITE / UPDATE with an SDP offer in a call (UserAgent::reinvite()/update()).
    void reinvite(sip::CallHandle call, const std::string& sdpOffer);
    void update(sip::CallHandle call, const std::string& sdpOffer);
    sip::MessageHandle sendMessage(const sip::Uri& to, const std::string& contentType,
                                   const std::string& body, AccountId account = 0);
    /// A MESSAGE inside the call's dialog (on the call's account).
    sip::MessageHandle sendMessage(sip::CallHandle call, const std::string& contentType,
                                   const std::string& body);
    /// Event subscriptions and publications (RFC 6665, RFC 3903) on an account's UA; the
    /// handles are the driver's, like call handles.
    sip::SubscriptionHandle subscribe(const sip::Uri& target, const std::string& event,
                                      const std::string& accept, std::uint32_t expires,
                                      AccountId account = 0);
    void unsubscribe(sip::SubscriptionHandle subscription);
    sip::PublicationHandle publish(const std::string& event, const std::string& contentType,
                                   const std::string& body, std::uint32_t expires, AccountId account = 0);
    void republish(sip::PublicationHandle publication, const std::string& contentType,
                   const std::string& body);
    void unpublish(sip::PublicationHandle publication);
    /// The presence document every account's UA serves to direct watchers (notifier role).
    void setPresenceDocument(const std::string& contentType, const std::string& body);
    /// Call transfer (UserAgent::refer()/notifyRefer()/dialogId(), refer.cpp).
    void refer(sip::CallHandle call, const sip::Uri& referTo, const std::string& replaces);
    void notifyRefer(sip::CallHandle call, std::uint64_t id, int code, const std::string& reason);
    std::optional<sip::DialogId> dialogId(sip::CallHandle call) const;
    /// Conference focus (RFC 4579 §5): our Contact in this call carries ;isfocus from its next
    /// message on (UserAgent::setFocus()).
    void setFocus(sip::CallHandle call, bool focus);
    /// Every account's new calls start as focus calls (a host in conference mode).
    void setFocusForNewCalls(bool focus);
    /// Every account's focus takes out-of-dialog REFERs from anyone (UserAgent::setReferFromAnyone()),
    /// now and after a later start().
    void setReferFromAnyone(bool anyone);
    /// The conference-info document every account's UA serves to Event: conference subscribers
    /// (RFC 4575); an empty content type ends those subscriptions.
    void setConferenceDocument(const std::string& contentType, const std::string& body);

    /// Source address the system uses toward an address (for sockets bound to a wildcard).
    using AddressProbe = std::function<QHostAddress(const QHostAddress& toward)>;
    /// How often checkNetwork() runs on its own (default 5 s; zero turns it off). Call before start().
    void setNetworkPollInterval(std::chrono::milliseconds interval) { pollInterval_ = interval; }
    /// Replaces the route probe (tests); the default connects a UDP socket and reads its address.
    void setAddressProbe(AddressProbe probe) { probe_ = std::move(probe); }
    /// Replaces QNetworkInterface::allAddresses() (tests).
    void setInterfaceAddressSource(std::function<QList<QHostAddress>()> source)
    {
        interfaces_ = std::move(source);
    }
    /// Replaces the wall clock, in ms since the epoch (tests of the wake-from-sleep check).
    void setWallClock(std::function<qint64()> clock) { wallClock_ = std::move(clock); }
    /// Looks for a network change or a wake from sleep now and, on either, re-registers.
    void checkNetwork();
    /// A wake from sleep: the wall clock ran ahead of the monotonic one (suspend stops the
    /// latter), or the check came far later than planned.
    static bool looksLikeWake(std::chrono::milliseconds monotonicElapsed,
                              std::chrono::milliseconds wallElapsed, std::chrono::milliseconds planned);
    /// The local addresses an account's Contact and Via use now.
    std::vector<sip::Peer> localAddresses(AccountId account) const;

    /// The STUN server ("host[:port]", default port 3478; empty: none) whose view of the SIP
    /// UDP socket goes in the account's Contact and Via over UDP. Call after start(); starts a
    /// Binding request at once (a host name is resolved first). Errors come as stunResult.
    void setStunServer(AccountId account, const QString& server);
    /// True while the account's STUN Binding (or the server's name lookup) has not ended.
    bool stunQueryRunning(AccountId account) const;
    /// The address the account's STUN server last reported for the SIP UDP socket.
    std::optional<sip::Peer> stunMapped(AccountId account) const;
    /// The account's local addresses without the STUN mapping (what media sockets bind on).
    std::vector<sip::Peer> unmappedLocalAddresses(AccountId account) const;

    /// Sends DNS queries (SRV, A, AAAA) to this server instead of the system's.
    void setNameserver(const QHostAddress& server) { resolver_.setNameserver(server); }

    const QList<net::ListenSpec>& boundAddresses() const { return bound_; }
    std::size_t activeCalls() const;

signals:
    // Every event names the account it happened on; handles are the driver's (see above).
    void registrationChanged(vphone::ua::AccountId account, const vphone::sip::RegistrationChanged& e);
    void incomingCall(vphone::ua::AccountId account, const vphone::sip::IncomingCall& e);
    void callStateChanged(vphone::ua::AccountId account, const vphone::sip::CallStateChanged& e);
    void messageReceived(vphone::ua::AccountId account, const vphone::sip::MessageReceived& e);
    void messageResult(vphone::ua::AccountId account, const vphone::sip::MessageResult& e);
    void callModified(vphone::ua::AccountId account, const vphone::sip::CallModified& e);
    void subscriptionNotified(vphone::ua::AccountId account, const vphone::sip::SubscriptionNotified& e);
    void subscriptionEnded(vphone::ua::AccountId account, const vphone::sip::SubscriptionEnded& e);
    void publicationResult(vphone::ua::AccountId account, const vphone::sip::PublicationResult& e);
    void referProgress(vphone::ua::AccountId account, const vphone::sip::ReferProgress& e);
    void referReceived(vphone::ua::AccountId account, const vphone::sip::ReferReceived& e);
    /// A request of `account` waited on a TLS connection whose server certificate was refused.
    void certificateFailed(vphone::ua::AccountId account, const vphone::ua::CertificateProblem& problem);
    /// The STUN Binding of an account ended: `ok` with the mapped "host:port" in `text`, or
    /// the reason it failed (no answer, error response, name not found) in `text`.
    void stunResult(vphone::ua::AccountId account, bool ok, const QString& text);
    /// Something went wrong that is not a SIP answer: DNS failure, a malformed packet.
    void problem(const QString& what);
    /// The network changed or the machine woke up; the accounts re-register. `why` is for logs.
    void networkChanged(const QString& why);

private:
    /// How long a UDP request waits for any response from one target before the next is tried:
    /// Timer A has fired three times by then (0.5 + 1 + 2 s with T1 = 500 ms).
    static constexpr std::chrono::milliseconds kNoAnswer{3500};
    /// Bits of a driver handle / transaction id below the account index.
    static constexpr int kAccountShift = 40;
    static constexpr std::uint64_t kLocalMask = (std::uint64_t{1} << kAccountShift) - 1;
    static std::uint64_t global(AccountId account, std::uint64_t local)
    {
        return local == 0 ? 0 : (static_cast<std::uint64_t>(account) << kAccountShift) | local;
    }
    static std::uint64_t local(std::uint64_t handle) { return handle & kLocalMask; }

    struct Account {
        std::unique_ptr<sip::UserAgent> ua;
        AccountKey key;
        QString aor;
        QHostAddress toward;           ///< registrar or proxy address (literal in the config, or resolved)
        std::vector<sip::Peer> locals; ///< the local addresses last given to the UA
        std::optional<sip::Peer> flow; ///< where the last REGISTER went (resolved)
        sip::RegistrationState state = sip::RegistrationState::Unregistered;
        // UDP keep-alive (STUN) on the registrar flow
        std::unique_ptr<QTimer> keepAlive;
        std::optional<std::array<std::uint8_t, 12>> pendingStun; ///< transaction id awaiting its answer
        int missedStun = 0;
        bool stunAnswered = false; ///< the server answered STUN at least once on this flow
        std::optional<std::pair<std::string, quint16>> mapped; ///< last XOR-MAPPED-ADDRESS
        // STUN server discovery (ua_driver_stun.cpp)
        QString stunServer;                                  ///< "host:port" as set
        std::unique_ptr<net::stun::BindingClient> stunQuery; ///< the Binding request running
        std::optional<sip::Peer> stunTo;                     ///< the server, resolved
        std::unique_ptr<QTimer> stunTimer;
        std::optional<sip::Peer> stunMapped; ///< what the server saw (UDP, our public address)
        int stunGeneration = 0;              ///< bumped per setStunServer(), to drop stale lookups
        bool stunPending = false;            ///< set, and no stunResult yet
    };
    void startStunQuery(AccountId account, const QHostAddress& server, quint16 port);
    void pumpStunQuery(AccountId account);
    /// A STUN datagram on the SIP socket: true when a discovery query took it.
    bool stunQueryReceive(const QByteArray& bytes);
    void updateKeepAlive(AccountId account);
    void sendKeepAlive(AccountId account);
    void onStun(const QByteArray& bytes, const sip::Peer& from);
    /// The account's flow failed (RFC 5626 §4.4.2): register again from the current addresses.
    void flowFailed(AccountId account, const QString& why);
    /// `withStun`: the account's STUN mapping replaces its UDP address (Contact and Via).
    std::vector<sip::Peer> computeLocals(const Account& a, bool withStun = true) const;
    /// A REGISTER of this (global) transaction goes to `to` (resolved): the account's flow.
    void noteRegistrar(std::uint64_t globalTx, const sip::Peer& to, const QHostAddress& address);
    QList<QHostAddress> interfaceAddresses() const;
    /// The UA of an account, or nullptr for an unknown index.
    sip::UserAgent* uaOf(AccountId account) const;

    OfferAnswerer answerer_;
    static sip::TimePoint now();
    void pump();
    void pumpAccount(AccountId account, bool& again);
    void send(AccountId account, const sip::Outgoing& out);
    void transportError(std::uint64_t globalTx);
    void trace(const char* direction, const sip::Peer& peer, const QByteArray& bytes);

    net::SipTransport transport_;
    QHash<AccountId, QSslCertificate> trusted_; ///< certificates trusted on first use
    std::vector<Account> accounts_;
    QTimer timer_;
    QList<net::ListenSpec> bound_;
    /// A request sent to a resolved name with more than one target (RFC 3263 §4.3), kept for the
    /// most recent requests (failover.cpp): where it goes now, and the targets still to try.
    struct Failover {
        std::uint64_t id = 0; ///< global transaction id
        sip::Outgoing out;
        std::string branch; ///< top Via branch, to recognise its responses
        SipTarget current;
        QList<SipTarget> rest;
        bool answered = false; ///< the current target sent a response
        int generation = 0;    ///< bumped on each move, so stale no-answer timers do nothing
    };
    void sendTo(const sip::Outgoing& out, const SipTarget& target);
    /// Moves a request to its next target; false when there is none.
    bool failOver(std::uint64_t globalTx);
    /// A response: marks its request answered; a 503 from a target that has a successor is
    /// ACKed (INVITE) and swallowed, and the request moves on. True when swallowed.
    bool failoverResponse(const sip::Message& response);
    /// Over UDP, no response at all within kNoAnswer moves the request to the next target.
    void armNoAnswer(const Failover& f);

    SipResolver resolver_;
    std::chrono::milliseconds pollInterval_{5000};
    std::chrono::milliseconds keepAliveInterval_{0};
    QTimer pollTimer_;
    AddressProbe probe_;
    std::function<QList<QHostAddress>()> interfaces_;
    std::function<qint64()> wallClock_;
    QList<QHostAddress> lastInterfaces_;
    sip::TimePoint lastCheckMono_{};
    qint64 lastCheckWall_ = 0;
    QList<Failover> failover_;
    std::unique_ptr<QFile> trace_;
    bool pumping_ = false;
    bool referFromAnyone_ = false; ///< setReferFromAnyone()
};

} // namespace vphone::ua
