// The user agent core: registration, calls (INVITE dialogs), MESSAGE and OPTIONS, event
// subscriptions and publications (RFC 6665, RFC 3903) on top of the transaction layer. Sans-I/O
// like the rest of core/sip: received messages, commands and `now` go in; messages to send, UA
// events and the next deadline come out. The Qt driver (core/ua) moves bytes between this and
// the sockets, resolves host names and arms one timer.
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
#include <string_view>
#include <variant>
#include <vector>

namespace vphone::sip {

/// Local handle of a call (one INVITE dialog, or its early dialogs while forking).
using CallHandle = std::uint64_t;
/// Local handle of an outgoing MESSAGE.
using MessageHandle = std::uint64_t;
/// Local handle of a subscription of ours (RFC 6665 subscriber role).
using SubscriptionHandle = std::uint64_t;
/// Local handle of a published event state (RFC 3903).
using PublicationHandle = std::uint64_t;

/// When an incoming INVITE gets its 1xx reliably (RFC 3262): with Require: 100rel always; with
/// Supported: 100rel only under WhenSupported.
enum class ReliableProvisional { Invalid, WhenRequired, WhenSupported };

/// Token bucket per source address for new requests outside dialogs (requests without a To
/// tag); over the limit they are dropped without an answer. In-dialog requests and responses
/// are never limited. A zero rate turns the limiter off.
struct RateLimit {
    double perSecond = 50;         ///< sustained requests per second per source address
    double burst = 100;            ///< bucket size: requests a quiet source may send at once
    std::size_t maxSources = 4096; ///< sources tracked; the least recently seen is forgotten first
};

/// How the UA is set up. With no account the UA takes calls to any user at its contact
/// addresses and calls SIP URIs directly (direct IP calling).
/// What UaConfig::answerOffer returns: 200 with the SDP answer, or a refusal.
struct OfferReply {
    int status = 200;
    std::string sdp;    ///< the answer (status 200)
    std::string reason; ///< reason phrase of a refusal ("Not Acceptable Here" when empty for 488)
};

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
    ReliableProvisional reliableProvisional = ReliableProvisional::WhenRequired;
    RateLimit rateLimit;
    /// Answers the SDP offer of a re-INVITE or UPDATE in a call (RFC 3264 §8: hold, a new
    /// address, codecs, streams): the application's media session decides. Unset, the call's
    /// current session description goes back unchanged (no media layer). A status other than
    /// 200 refuses the offer (488 Not Acceptable Here, 491 Request Pending...) and the session
    /// stays as it was. Called synchronously from receive(); the handle is the UA's own.
    std::function<OfferReply(CallHandle call, std::string_view offer)> answerOffer;
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
    /// RFC 3891: the call this one replaces (0: none). Once answered, the replaced call ends
    /// (BYE, or CANCEL for an outgoing call still ringing) with reason "replaced".
    CallHandle replaces = 0;
};

/// A call's state changed. For Confirmed, `sdp` holds the remote session description (the
/// answer for outgoing calls, the offer for incoming ones).
struct CallStateChanged {
    CallHandle call = 0;
    CallState state = CallState::Invalid;
    int code = 0;
    std::string reason;
    std::string sdp;
    /// Confirmed: the peer's Contact value as sent, and whether it carries the RFC 4579
    /// `isfocus` feature parameter (the call is a conference hosted by the peer).
    std::string remoteContact{};
    bool remoteFocus = false;
};

/// Who started a session modification.
enum class ModifyOrigin { Invalid, Local, Remote };

/// A session modification ended (RFC 3261 §14 re-INVITE, RFC 3311 UPDATE); the call stays up
/// unless a CallStateChanged(Terminated) follows (481 and 408 end it, RFC 5057).
/// Local (reinvite()/update()): `code` is the final status (2xx: `sdp` is the peer's answer and
/// our offer is now the call's session; 0 when it could not be sent, `reason` says why). A 491
/// (glare) is retried after the §14.1 back-off and reported only when the retry ends.
/// Remote: the peer's re-INVITE or UPDATE was answered 200; `sdp` is its offer (empty when it
/// carried none) and our current session description went back as the answer.
struct CallModified {
    CallHandle call = 0;
    ModifyOrigin origin = ModifyOrigin::Invalid;
    Method method = Method::Invalid; ///< Invite or Update
    int code = 0;
    std::string reason;
    std::string sdp;
    /// Remote: the peer's Contact in its request (a target refresh) and its `isfocus` (RFC 4579).
    std::string remoteContact{};
    bool remoteFocus = false;
};

/// A MESSAGE arrived (RFC 3428); the UA has already answered 200.
struct MessageReceived {
    std::string from;
    std::string to;
    std::string contentType;
    std::string body;
    CallHandle call = 0; ///< the call whose dialog carried it; 0 outside dialogs
};

/// The final outcome of sendMessage(): 2xx is delivered.
struct MessageResult {
    MessageHandle message = 0;
    int code = 0;
    std::string reason;
};

/// Subscription-State values (RFC 6665 §8.2.3).
enum class SubscriptionState { Invalid, Pending, Active, Terminated };

/// A NOTIFY arrived in one of our subscriptions (already answered 200). `state`, `expires` and
/// `reason` come from its Subscription-State; the body is opaque here (PIDF, message-summary,
/// dialog-info: parsed above core/sip).
struct SubscriptionNotified {
    SubscriptionHandle subscription = 0;
    std::string event; ///< event package (Event header without parameters)
    SubscriptionState state = SubscriptionState::Invalid;
    std::uint32_t expires = 0;
    std::string reason; ///< terminated: deactivated, probation, rejected, timeout, giveup, noresource...
    std::string contentType;
    std::string body;
};

/// A subscription is over for good: no more notifications and the handle is dead. `code` is the
/// final status of a failed SUBSCRIBE (408 for a timeout, 0 when a NOTIFY ended it or after
/// unsubscribe()); `reason` says why. Subscriptions terminated with a reason that invites a retry
/// (deactivated, timeout, probation, giveup, none) are re-established instead (RFC 6665 §4.1.3).
struct SubscriptionEnded {
    SubscriptionHandle subscription = 0;
    int code = 0;
    std::string reason;
};

/// The outcome of each PUBLISH (RFC 3903) of a publication: 2xx with the granted `expires`
/// (`removed` after unpublish()), or the failure status (0 when it could not be sent).
struct PublicationResult {
    PublicationHandle publication = 0;
    int code = 0;
    std::string reason;
    std::uint32_t expires = 0;
    bool removed = false;
    /// The publication is forgotten (removed, or failed for good): its handle is dead and a new
    /// publish() is needed. A failed refresh that will be retried leaves it false.
    bool gone = false;
};

/// Transferor side of a REFER (RFC 3515, refer.cpp): the REFER's own failure (`referResponse`:
/// `sipfragCode` is its final status, 408 on timeout, 0 when it could not be sent; always
/// final), its 202 (`referResponse`, not final), or the progress the transferee reports in the
/// implicit subscription's NOTIFYs (the status line of each message/sipfrag body). `final` is
/// set once the outcome is known (a final sipfrag status, or the subscription terminated).
struct ReferProgress {
    CallHandle call = 0;
    int sipfragCode = 0;
    std::string reason;
    bool final = false;
    bool referResponse = false; ///< the code is the response to the REFER, not a NOTIFY's sipfrag
};

/// Transferee side: an in-dialog REFER was accepted (202); the application places the new call
/// and reports its progress with notifyRefer(call, id, ...). `referTo` is the Refer-To URI
/// without its Replaces header, which comes unescaped in `replaces` (attended transfer, RFC 3891;
/// empty for a blind transfer). `referredBy` is the Referred-By value (RFC 3892), may be empty.
/// `outOfDialog`: a member of the conference we host sent it outside any dialog (RFC 4579
/// §5.5); `call` is that member's call, the NOTIFYs go in the REFER's own dialog, and it asks
/// the focus to add (or, method=BYE, remove) someone, never to transfer that call.
struct ReferReceived {
    CallHandle call = 0;
    Uri referTo;
    std::string replaces;
    std::string referredBy;
    std::uint64_t id = 0;
    bool outOfDialog = false;
};

using UaEvent = std::variant<RegistrationChanged, IncomingCall, CallStateChanged, MessageReceived,
                             MessageResult, CallModified, SubscriptionNotified, SubscriptionEnded,
                             PublicationResult, ReferProgress, ReferReceived>;

/// A call's dialog identifiers (for a Replaces header naming it: RFC 3891 §6.1).
struct DialogId {
    std::string callId;
    std::string localTag;
    std::string remoteTag;
    Uri remoteTarget; ///< the peer's Contact (where a transfer target is reached)
    /// "callid;to-tag=REMOTE;from-tag=LOCAL": the Replaces value a third party sends to the peer
    /// of this dialog (the peer's tag is the To tag seen from there).
    std::string replacesForPeer() const { return callId + ";to-tag=" + remoteTag + ";from-tag=" + localTag; }
};

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
    /// The local addresses changed (network change, wake from sleep; the same addresses may be
    /// given again): Contact and Via use these from now on, and an account that is registered,
    /// registering or waiting to retry re-registers at once, removing its old contact in the same
    /// REGISTER. While the registrar does not answer, retries back off from 30 s doubling to
    /// 30 min, each 80-100 % of the nominal delay (jitter). Defined in registration.cpp.
    void networkChanged(std::vector<Peer> localAddresses, TimePoint now);
    /// Calls `target` with an SDP offer (may be empty); returns the handle at once.
    CallHandle call(const Uri& target, std::string sdpOffer, TimePoint now);
    /// The same with a Replaces header (RFC 3891, "callid;to-tag=..;from-tag=..[;early-only]")
    /// and Require: replaces: the INVITE takes over that dialog at the callee (call pick-up).
    CallHandle call(const Uri& target, std::string sdpOffer, std::string replaces, TimePoint now);
    /// The same for the call a transferee places (RFC 3892 §3): the INVITE also carries the
    /// REFER's Referred-By value (empty: none).
    CallHandle call(const Uri& target, std::string sdpOffer, std::string replaces, std::string referredBy,
                    TimePoint now);
    /// Sends 180 Ringing for an incoming call.
    void ringing(CallHandle call, TimePoint now);
    /// Answers an incoming call with 200 OK and the SDP answer.
    void answer(CallHandle call, std::string sdpAnswer, TimePoint now);
    /// Rejects an incoming call (486 Busy Here, 603 Decline, 480...).
    void reject(CallHandle call, int code, TimePoint now);
    /// Redirects an incoming call not yet answered (RFC 3261 §21.3): a 3xx (302 Moved
    /// Temporarily by default; codes outside 300-399 become 302) with these Contact URIs.
    /// Terminated follows with reason "redirected to URI" (call forwarding).
    void redirect(CallHandle call, int code, const std::vector<Uri>& contacts, TimePoint now);
    /// Ends a call in any state: CANCEL while outgoing and unanswered, BYE once confirmed, and
    /// 603 Decline for an incoming call not yet answered.
    void hangUp(CallHandle call, TimePoint now);
    /// Sends a re-INVITE with this SDP offer in a confirmed call (hold, new address...);
    /// CallModified reports the outcome. Refused (CallModified code 0) while another offer or
    /// INVITE of ours is pending; a 491 is retried after the RFC 3261 §14.1 random back-off.
    void reinvite(CallHandle call, std::string sdpOffer, TimePoint now);
    /// Sends an UPDATE (RFC 3311) in a confirmed or early dialog, with this SDP offer (may be
    /// empty: a target refresh only); CallModified reports the outcome, as for reinvite().
    void update(CallHandle call, std::string sdpOffer, TimePoint now);
    /// Sends a MESSAGE out of dialog.
    MessageHandle sendMessage(const Uri& to, std::string contentType, std::string body, TimePoint now);
    /// Sends a MESSAGE inside a confirmed call's dialog (RFC 3428 §4: its route set and remote
    /// target). MessageResult reports the outcome; 481 at once when the call has no dialog.
    MessageHandle sendMessage(CallHandle call, std::string contentType, std::string body, TimePoint now);

    // --- event subscriptions (RFC 6665, subscription.cpp) and publication (RFC 3903) ---
    /// Subscribes to `event` (e.g. "presence", "message-summary", "dialog") at `target`, with
    /// Accept `accept` (may be empty). Digest challenges are answered, the subscription is
    /// refreshed before it expires and re-established when the notifier ends it with a reason
    /// that invites it. Events: SubscriptionNotified per NOTIFY, SubscriptionEnded at the end.
    SubscriptionHandle subscribe(const Uri& target, std::string event, std::string accept,
                                 std::uint32_t expires, TimePoint now);
    /// Ends a subscription (SUBSCRIBE with Expires: 0); SubscriptionEnded follows.
    void unsubscribe(SubscriptionHandle subscription, TimePoint now);
    /// Publishes event state at our account's address of record (PUBLISH to the AOR). The
    /// SIP-ETag is kept and the state refreshed with SIP-If-Match before it expires; a 412 makes a
    /// fresh PUBLISH with the body. Every PUBLISH outcome comes as a PublicationResult.
    PublicationHandle publish(std::string event, std::string contentType, std::string body,
                              std::uint32_t expires, TimePoint now);
    /// Replaces a publication's body (PUBLISH with SIP-If-Match and the new body).
    void republish(PublicationHandle publication, std::string contentType, std::string body, TimePoint now);
    /// Removes a publication (PUBLISH with SIP-If-Match and Expires: 0).
    void unpublish(PublicationHandle publication, TimePoint now);
    /// Notifier role for "presence" (direct IP use): the document served to watchers that
    /// SUBSCRIBE to us (their first NOTIFY carries it, and every watcher gets a NOTIFY when it
    /// changes). Opaque here; empty content type means no state yet (NOTIFYs without a body).
    void setPresenceDocument(std::string contentType, std::string body, TimePoint now);
    /// Watchers currently subscribed to our presence.
    std::size_t presenceWatchers() const;

    // --- conference focus (RFC 4579 §5, RFC 4575; notifier.cpp) ---
    /// Marks a call as one of a conference we host: our Contact in its later requests and
    /// responses carries `;isfocus`. Takes effect with the next message (a re-INVITE shows it).
    void setFocus(CallHandle call, bool focus);
    /// New calls (outgoing from call(), incoming INVITEs) start as focus calls (conference mode).
    void setFocusForNewCalls(bool focus);
    /// RFC 4579 §5.5: while we are a conference's focus (new calls are focus calls, or one of our
    /// calls is), a REFER outside any dialog is accepted from anyone (ReferReceived with `call`
    /// 0 unless it comes from a member, `outOfDialog` set). Off (the default): members only.
    void setReferFromAnyone(bool anyone);
    /// Notifier role for "conference" (RFC 4575): the conference-info document served to
    /// subscribers (full state on each change). Empty content type: no conference, SUBSCRIBEs
    /// for the package get 489, and the subscribers get a final NOTIFY (terminated;reason=noresource).
    void setConferenceDocument(std::string contentType, std::string body, TimePoint now);
    /// Subscribers to our conference package.
    std::size_t conferenceWatchers() const;

    // --- call transfer (RFC 3515 REFER, RFC 3892 Referred-By, RFC 3891 Replaces; refer.cpp) ---
    /// Sends REFER in a confirmed call's dialog with Refer-To `referTo` (with `replaces` escaped
    /// into its ?Replaces= header for an attended transfer; empty: blind) and Referred-By (our
    /// identity). 401/407 are answered; ReferProgress reports the 202 or the failure, then each
    /// NOTIFY of the implicit subscription until the final one.
    void refer(CallHandle call, const Uri& referTo, std::string replaces, TimePoint now);
    /// Transferee: reports the referred call's progress to the transferor (NOTIFY with
    /// message/sipfrag "SIP/2.0 code reason"); a final code (>= 200) terminates the subscription.
    void notifyRefer(CallHandle call, std::uint64_t id, int code, std::string reason, TimePoint now);
    /// The dialog identifiers of a call with a confirmed dialog (nullopt otherwise).
    std::optional<DialogId> dialogId(CallHandle call) const;

    /// Calls not yet terminated.
    std::size_t activeCalls() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace vphone::sip
