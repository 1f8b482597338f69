// The user agent core: registration, calls (INVITE dialogs), MESSAGE and OPTIONS on top of the
// transaction layer. Sans-I/O like the rest of core/sip: received messages, commands and `now`
// go in; messages to send, UA events and the next deadline come out. The Qt driver (core/ua)
// moves bytes between this and the sockets, resolves host names and arms one timer.
#pragma once

#include "digest.h"
#include "message.h"
#include "transaction.h"
#include "uri.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vphone::sip {

/// Local handle of a call (one INVITE dialog, or its early dialogs while forking).
using CallHandle = std::uint64_t;
/// Local handle of an outgoing MESSAGE.
using MessageHandle = std::uint64_t;

/// How the UA is set up. With no account the UA takes calls to any user at its contact
/// addresses and calls SIP URIs directly (direct IP calling).
struct UaConfig {
    std::string userAgent = "vphone/0.1";
    std::optional<Uri> account; ///< address of record, e.g. sip:alice@example.test
    std::string displayName;
    std::optional<DigestCredentials> credentials;
    std::optional<Uri> outboundProxy; ///< every request, REGISTER included, goes here (;lr added)
    std::optional<Uri> registrar;     ///< defaults to the account's domain
    std::uint32_t registerExpires = 3600;
    /// Where the UA receives: the first one of the request's transport goes into Contact and Via.
    std::vector<Peer> localAddresses;
    TimerConfig timers;
    /// Live transactions at most (each holds a request and its last response, a few kB); past
    /// it new requests get a stateless 503. Completed transactions linger 32 s (Timers J, L),
    /// so this bounds the sustained request rate to about maxTransactions / 64 calls per second.
    std::size_t maxTransactions = 16384;
    /// Random bits for tags, branches, Call-IDs and cnonces (the driver passes a CSPRNG).
    std::function<std::uint64_t()> random;
    /// Put right after the z9hG4bK cookie of every branch this UA makes, so a driver running
    /// several user agents (accounts) on one socket can route each response to its owner.
    /// Letters and digits only; empty for a single UA.
    std::string branchTag;
};

enum class RegistrationState { Invalid, Unregistered, Registering, Registered, Unregistering, Failed };

/// Registration changed (RFC 3261 §10). `code`/`reason` from the last response (0 on timeout:
/// reason then says so); `expires` granted by the registrar when Registered.
struct RegistrationChanged {
    RegistrationState state = RegistrationState::Invalid;
    int code = 0;
    std::string reason;
    std::uint32_t expires = 0;
};

enum class CallState {
    Invalid,
    Calling,    ///< outgoing INVITE sent
    Proceeding, ///< outgoing: a 1xx without ringing (100 excluded)
    Ringing,    ///< outgoing: 180 received; incoming: 180 sent
    EarlyMedia, ///< outgoing: 183 with SDP
    Incoming,   ///< incoming INVITE waiting for answer()/reject()
    Confirmed,  ///< 2xx sent or received and ACKed
    Terminated, ///< ended; `code`/`reason` say how (BYE, CANCEL, 4xx-6xx, timeout)
};

/// A new incoming call: answer() or reject() it.
struct IncomingCall {
    CallHandle call = 0;
    std::string from; ///< From header value (display name and URI)
    std::string to;   ///< To header value
    Uri requestUri;
    std::string sdp; ///< the offer (empty for an offerless INVITE)
};

/// A call's state changed. For Confirmed, `sdp` holds the remote session description (the
/// answer for outgoing calls, the offer for incoming ones).
struct CallStateChanged {
    CallHandle call = 0;
    CallState state = CallState::Invalid;
    int code = 0;
    std::string reason;
    std::string sdp;
};

/// A MESSAGE arrived (RFC 3428); the UA has already answered 200.
struct MessageReceived {
    std::string from;
    std::string to;
    std::string contentType;
    std::string body;
};

/// The final outcome of sendMessage(): 2xx is delivered.
struct MessageResult {
    MessageHandle message = 0;
    int code = 0;
    std::string reason;
};

using UaEvent =
    std::variant<RegistrationChanged, IncomingCall, CallStateChanged, MessageReceived, MessageResult>;

/// One SIP user agent (one account, or none for direct IP calling).
class UserAgent {
public:
    explicit UserAgent(UaConfig config);
    ~UserAgent();
    UserAgent(const UserAgent&) = delete;
    UserAgent& operator=(const UserAgent&) = delete;

    // --- input from the driver ---
    void receive(Message message, const Peer& from, TimePoint now);
    void transportError(TransactionId id, TimePoint now);
    void onTimeout(TimePoint now);
    std::optional<TimePoint> nextTimeout() const;
    std::optional<Outgoing> pollTransmit();
    std::optional<UaEvent> pollEvent();

    // --- commands ---
    /// Sends REGISTER (and keeps refreshing it before expiry; 401/407 answered with the
    /// credentials; 423 retried with Min-Expires). Needs an account.
    void registerAccount(TimePoint now);
    /// Sends REGISTER with Expires: 0 for our contact.
    void unregister(TimePoint now);
    /// Calls `target` with an SDP offer (may be empty); returns the handle at once.
    CallHandle call(const Uri& target, std::string sdpOffer, TimePoint now);
    /// Sends 180 Ringing for an incoming call.
    void ringing(CallHandle call, TimePoint now);
    /// Answers an incoming call with 200 OK and the SDP answer.
    void answer(CallHandle call, std::string sdpAnswer, TimePoint now);
    /// Rejects an incoming call (486 Busy Here, 603 Decline, 480...).
    void reject(CallHandle call, int code, TimePoint now);
    /// Ends a call in any state: CANCEL while outgoing and unanswered, BYE once confirmed, and
    /// 603 Decline for an incoming call not yet answered.
    void hangUp(CallHandle call, TimePoint now);
    /// Sends a MESSAGE out of dialog.
    MessageHandle sendMessage(const Uri& to, std::string contentType, std::string body, TimePoint now);

    /// Calls not yet terminated.
    std::size_t activeCalls() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace vphone::sip
