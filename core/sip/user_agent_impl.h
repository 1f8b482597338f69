// Private to the user agent: UserAgent::Impl, shared by user_agent.cpp (plumbing, request
// building, digest retries), out_of_dialog.cpp (OPTIONS, MESSAGE, 482), call_uac.cpp /
// call_uas.cpp / prack.cpp / call_modify.cpp (INVITE dialogs), registration.cpp, and the event
// framework: subscription.cpp (RFC 6665 subscriber), notifier.cpp (presence notifier) and
// publication.cpp (RFC 3903). Not part of the public API.
//
// Theory of operation: every input (a received message, a command, a timer) goes to the
// TransactionLayer first or straight to a handler here; pump() then drains the layer's events
// and routes them: responses to the ClientRequest that sent the request (by transaction id),
// new requests through validateRequest() to the dialog they belong to (§12.2.2) or to the
// out-of-dialog handlers, ACKs for 2xx to the call waiting for them. The UA's own timers (2xx
// retransmission of §13.3.1.4, the reliable 1xx retransmission of RFC 3262, the 491 back-off of
// §14.1, registration refresh and retry) are deadlines kept in the calls and the registration;
// nextTimeout() is the earliest of those and the layer's. Before anything reaches the layer,
// new requests outside dialogs pass a per-source RateLimiter; requests that merge with one in
// progress (§8.2.2.2) get 482.
#pragma once

#include "dialog.h"
#include "rate_limiter.h"
#include "transaction_layer.h"
#include "user_agent.h"
#include "validate.h"

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

namespace vphone::sip {

/// What a client transaction was started for.
enum class Purpose {
    Invalid,
    Register,
    Invite,
    Bye,
    Message,
    Options,
    OrphanBye,
    Prack,
    ReInvite,
    Update,
    Subscribe,
    Publish,
    Notify,
    Refer,      ///< refer.cpp: our REFER (transferor)
    ReferNotify ///< refer.cpp: our NOTIFY for a REFER we accepted (transferee)
};

/// One digest session answering a realm's challenges across retries of one request.
struct AuthState {
    bool proxy = false; ///< Proxy-Authorization (407) rather than Authorization (401)
    DigestSession session;
};

/// A request we sent on a client transaction, kept to match its responses and to resend it.
struct ClientRequest {
    Purpose purpose = Purpose::Invalid;
    Message request;
    Peer peer;
    CallHandle call = 0;
    MessageHandle message = 0;
    std::uint64_t handle = 0; ///< subscription, publication or watcher this request is for
    std::vector<AuthState> auth;
    bool answeredChallenge = false; ///< this request carried credentials answering a challenge
    int authRetries = 0;
    bool movedToTcp = false; ///< §18.1.1: too large for UDP, sent over TCP instead
};

/// §13.3.1.4: a 2xx to INVITE the UAS retransmits until the ACK comes.
struct PendingOk {
    TransactionId tx = 0;
    Message ok;
    Peer peer;
    std::uint32_t cseq = 0;
    bool initial = true; ///< the 2xx to the dialog-creating INVITE (false: re-INVITE)
    std::chrono::milliseconds interval{0};
    TimePoint nextAt{};
    TimePoint giveUpAt{};
};

/// RFC 3262 §3: our reliable 1xx, retransmitted (T1 doubling) until its PRACK arrives.
struct PendingReliable {
    Message response;
    std::uint32_t rseq = 0;
    std::chrono::milliseconds interval{0};
    TimePoint nextAt{};
    TimePoint giveUpAt{};
};

/// A re-INVITE or UPDATE of ours (RFC 3261 §14.1, RFC 3311): in flight, or waiting for the
/// §14.1 back-off after a 491 (or for an INVITE in the other direction to finish).
struct PendingModify {
    Method method = Method::Invalid; ///< Invite or Update
    std::string sdp;                 ///< our offer (empty: none)
    TransactionId tx = 0;            ///< in flight; 0 while waiting for retryAt
    std::optional<TimePoint> retryAt;
    int glares = 0; ///< 491s received so far
};

/// One call: an outgoing or incoming INVITE and the dialog it makes.
struct Call {
    CallHandle handle = 0;
    bool outgoing = false;
    CallState state = CallState::Invalid;
    std::optional<Dialog> dialog; ///< confirmed dialog (UAS: from answer(); UAC: from the 2xx)
    std::vector<Dialog> early;    ///< UAC early dialogs (forking: one per To tag)
    std::string localSdp;
    bool ending = false;   ///< BYE sent (or to send once the ACK is in); Terminated follows
    std::string endReason; ///< overrides the reason of the Terminated event ("replaced")
    std::optional<PendingModify> modify;

    // UAC
    TransactionId inviteTx = 0;
    Message invite; ///< the INVITE last sent (its CSeq/branch change on digest retries)
    /// §8.1.3.4 redirects: targets already called (the first included), the Contacts of the
    /// last 3xx not yet tried (highest q first), and the 3xx followed so far.
    std::vector<std::string> triedTargets;
    std::vector<Uri> redirectTargets;
    int redirects = 0;
    bool cancelRequested = false;
    std::optional<Message> ack; ///< the ACK for the 2xx, re-sent for its retransmissions
    Peer ackPeer;

    // UAS
    TransactionId serverTx = 0;
    Message request; ///< the INVITE received
    Peer from;
    std::string localTag;
    std::optional<PendingOk> pendingOk;
    bool reliable = false; ///< RFC 3262: our 1xx go reliably
    std::uint32_t nextRSeq = 0;
    std::optional<PendingReliable> unacked; ///< the reliable 1xx awaiting PRACK
    bool answerQueued = false;              ///< answer() came before the PRACK: 2xx follows it
    CallHandle replaces = 0;                ///< RFC 3891: the call to end once this one is answered
    bool focus = false;                     ///< RFC 4579: our Contact carries ;isfocus
};

/// RFC 3261 §10 client state.
struct Registration {
    RegistrationState state = RegistrationState::Unregistered;
    TransactionId tx = 0; ///< current REGISTER; responses to older ones are ignored
    std::string callId;
    std::string fromTag;
    std::uint32_t cseq = 0;
    std::uint32_t requested = 0;
    bool unregistering = false;
    std::optional<TimePoint> refreshAt;
    std::optional<TimePoint> retryAt;
    std::chrono::seconds backoff{30};
    /// Digest sessions of the last answered REGISTER: refreshes and 423 retries answer
    /// pre-emptively with the next nc instead of waiting for a new challenge.
    std::vector<AuthState> auth;
    /// After a network change: our previous Contact, removed (expires=0) by the next REGISTER.
    std::string staleContact;
};

/// RFC 6665 subscriber state of one subscribe() handle.
struct Subscription {
    SubscriptionHandle handle = 0;
    Uri target;
    std::string event;  ///< package name, as sent in Event
    std::string accept; ///< Accept value (may be empty)
    std::uint32_t requested = 0;
    std::string callId;   ///< of the current (initial or refreshing) SUBSCRIBE's dialog
    std::string localTag; ///< our From tag
    std::uint32_t cseq = 0;
    std::optional<Dialog> dialog; ///< from the 2xx or from the first NOTIFY (§4.1.2.4)
    TransactionId tx = 0;         ///< SUBSCRIBE in flight
    Message lastSubscribe;        ///< the initial SUBSCRIBE, to make the dialog from a NOTIFY
    std::vector<AuthState> auth;
    bool unsubscribing = false;
    bool established = false; ///< a 2xx or NOTIFY came: SubscriptionEnded on later failures
    std::optional<TimePoint> refreshAt;
    std::optional<TimePoint> retryAt; ///< a new initial SUBSCRIBE (after deactivated, probation...)
    /// RFC 6665 §4.1.2.4 Timer N: 64*T1 from an initial SUBSCRIBE until its first NOTIFY; when
    /// it fires the subscription has failed (a 2xx alone is not enough).
    std::optional<TimePoint> timerN;
    std::chrono::seconds backoff{30};
};

/// RFC 3903 client state of one publish() handle.
struct Publication {
    PublicationHandle handle = 0;
    std::string event;
    std::string contentType;
    std::string body;
    std::uint32_t requested = 0;
    std::string etag; ///< SIP-ETag of the last 2xx
    std::string callId;
    std::string fromTag;
    std::uint32_t cseq = 0;
    TransactionId tx = 0;
    bool removing = false;
    bool bodyPending = false; ///< the next PUBLISH carries the body (initial, modify, after 412)
    bool queued = false;      ///< a PUBLISH is wanted once the one in flight completes
    std::vector<AuthState> auth;
    std::optional<TimePoint> refreshAt;
    std::optional<TimePoint> retryAt;
};

/// Notifier state for one watcher subscribed to our presence (direct IP use).
struct Watcher {
    std::uint64_t id = 0;
    std::string event;
    std::string eventHeader; ///< Event value as received (with ;id)
    Dialog dialog;
    TimePoint expiresAt{};
    TransactionId notifyTx = 0; ///< NOTIFY in flight; another waits for its final response
    bool notifyQueued = false;
    bool terminating = false; ///< the last NOTIFY (terminated) has gone out
};

/// Transferor: a REFER of ours and its implicit subscription (RFC 3515), matched by the call's
/// dialog identifiers (kept here: the NOTIFYs may outlive the call) and the REFER's CSeq (the
/// Event id).
struct ReferOut {
    CallHandle call = 0;
    std::uint32_t cseq = 0;
    TransactionId tx = 0; ///< REFER in flight
    std::string callId, localTag, remoteTag;
    std::optional<std::uint32_t> remoteSeq; ///< last NOTIFY CSeq seen once the call is gone
    bool accepted = false;                  ///< 2xx received
    bool finalReported = false;
    TimePoint giveUpAt{}; ///< no final NOTIFY by then: reported as 408
};

/// Transferee: a REFER we accepted; its NOTIFYs go in the call's dialog (a copy is kept for when
/// the call has ended first: the subscription usage outlives the INVITE usage).
struct ReferIn {
    std::uint64_t id = 0;
    CallHandle call = 0;
    std::string eventHeader; ///< "refer;id=CSEQ"
    Dialog dialog;
    TransactionId notifyTx = 0;
    int lastCode = 0;   ///< last sipfrag status sent
    int queuedCode = 0; ///< to send once the NOTIFY in flight completes (0: none)
    std::string queuedReason;
    bool terminated = false; ///< the final NOTIFY went out
    bool ownDialog = false;  ///< an out-of-dialog REFER's: NOTIFYs go in `dialog`, never the call's
    TimePoint expiresAt{};
};

struct UserAgent::Impl {
    explicit Impl(UaConfig c);

    UaConfig config;
    TransactionLayer layer;
    UaCapabilities caps;
    std::deque<UaEvent> events;
    std::unordered_map<TransactionId, ClientRequest> clients;
    std::map<CallHandle, Call> calls;
    Registration reg;
    CallHandle nextCall = 1;
    MessageHandle nextMessage = 1;
    std::map<SubscriptionHandle, Subscription> subscriptions;
    std::map<PublicationHandle, Publication> publications;
    std::map<std::uint64_t, Watcher> watchers;
    std::uint64_t nextSubscription = 1;
    std::string presenceType; ///< notifier role: our presence document (opaque)
    std::string presenceBody;
    std::string conferenceType; ///< notifier role: our conference-info document (opaque)
    std::string conferenceBody;
    /// RFC 4579: Call-IDs of calls whose Contact carries ;isfocus, and the mode for new calls.
    std::set<std::string, std::less<>> focusCallIds;
    bool focusNewCalls = false;
    bool referFromAnyone = false; ///< RFC 4579 §5.5: out-of-dialog REFERs to our focus from anyone
    bool inviteFocus = false;     ///< the INVITE call() is building is a focus call
    /// Replaces value for the INVITE call() is building (UserAgent::call with replaces).
    std::string inviteReplaces;
    /// Referred-By value for that INVITE (refer.cpp: the call a transferee places).
    std::string inviteReferredBy;
    std::uint64_t fallbackRandom = 0;
    RateLimiter limiter;
    /// §8.2.2.2: server transactions of requests without To tag, by Call-ID, From tag and CSeq.
    std::unordered_map<std::string, TransactionId> merged;
    std::unordered_map<TransactionId, std::string> mergedKeys;

    std::vector<ReferOut> refersOut;
    std::map<std::uint64_t, ReferIn> refersIn;
    std::uint64_t nextReferIn = 1;

    /// Bound on live calls; further INVITEs get 486, further call() Terminated(503).
    static constexpr std::size_t kMaxCalls = 256;

    // --- user_agent.cpp: plumbing and building ---
    std::uint64_t random64();
    std::string token();
    Peer local(Transport transport) const;
    std::string contactUser() const;
    std::string contact(Transport transport) const;
    std::string via(Transport transport);
    /// Our identity for From: the account (with display name), else sip:vphone@<local host>.
    std::string identity() const;
    std::string newCallId();
    /// A request with Via, Max-Forwards, From, To, Call-ID, CSeq, Route, Contact (when
    /// `withContact`), User-Agent, Allow, Supported.
    Message newRequest(Method method, const NextHop& hop, std::string_view from, std::string_view to,
                       std::string_view callId, std::uint32_t cseq, bool withContact);
    /// An in-dialog request (§12.2.1.1), local CSeq incremented; `peer` gets the next hop.
    Message dialogRequest(Dialog& dialog, Method method, Peer& peer);
    /// A response from us (To tag, Contact and Record-Route for dialog-creating INVITE answers).
    Message newResponse(const Message& request, int status, std::string_view toTag);
    /// Starts a client transaction; 0 when the layer refused (no route, table full).
    TransactionId sendClient(ClientRequest request, TimePoint now);
    /// Answers a 401/407 by resending with credentials (§22.2, RFC 7616): the new transaction,
    /// or 0 when the challenge cannot or should not be answered (no credentials, wrong password).
    TransactionId retryWithAuth(ClientRequest request, const Message& response, TimePoint now);
    /// Adds (Proxy-)Authorization headers for every session in `request.auth`; false on failure.
    bool authorize(ClientRequest& request);
    void pump(TimePoint now);
    void dispatch(TransactionEvent event, TimePoint now);
    void onRequest(RequestReceived& in, TimePoint now);
    void onResponse(ResponseReceived& in, TimePoint now);
    void onClientTimeout(TransactionId id, TimeoutCause cause, TimePoint now);
    void reply(TransactionId tx, const Message& request, int status, TimePoint now,
               std::string_view toTag = {});
    /// The request is for us: no account, or the Request-URI / To user is ours.
    bool addressedToUs(const Message& request) const;
    void onMessageRequest(RequestReceived& in, TimePoint now);
    void onOptionsRequest(RequestReceived& in, std::string_view toTag, TimePoint now);
    void onMessageResponse(const ClientRequest& cr, const Message& response, TimePoint now);
    /// §8.2.2.2: true (and 482 sent) when the request merges with one in progress.
    bool mergedRequest(RequestReceived& in, TimePoint now);
    MessageHandle sendMessage(const Uri& to, std::string contentType, std::string body, TimePoint now);
    MessageHandle sendMessageInDialog(CallHandle call, std::string contentType, std::string body,
                                      TimePoint now);
    void onTimers(TimePoint now);
    std::optional<TimePoint> nextTimeout() const;

    // --- call_uac.cpp ---
    CallHandle call(const Uri& target, std::string sdpOffer, TimePoint now);
    /// A new INVITE for the call to `target` (new Call-ID, From tag, CSeq 1; the call's offer).
    bool sendInvite(Call& call, const Uri& target, TimePoint now);
    void onInviteResponse(ClientRequest& cr, const Message& response, TimePoint now);
    // --- redirect.cpp (§8.1.3.4 UAC, and our 3xx as UAS) ---
    /// A 3xx to our INVITE: call its Contacts in q order, or end the call (loop, limit).
    void onRedirect(Call& call, const Message& response, TimePoint now);
    /// Calls the next untried redirect target; false when none is left (status: the failure).
    bool tryNextTarget(Call& call, int status, TimePoint now);
    void redirect(CallHandle handle, int code, const std::vector<Uri>& contacts, TimePoint now);
    void onStrayResponse(const Message& response, const Peer& from, TimePoint now);
    /// ACK for a 2xx (§13.2.2.4): new branch, the dialog's route set, sent statelessly.
    Message ackFor(Dialog& dialog, std::uint32_t cseq, Peer& peer);
    void sendBye(Call& call, TimePoint now);
    /// BYE on a dialog that has no call any more (a second fork's 2xx, an unACKed 2xx).
    void sendOrphanBye(Dialog dialog, TimePoint now);
    void onByeResponse(const ClientRequest& cr, const Message* response, TimePoint now);
    void hangUp(CallHandle handle, TimePoint now);

    // --- call_uas.cpp ---
    void onInvite(RequestReceived& in, TimePoint now);
    void ringing(CallHandle handle, TimePoint now);
    void answer(CallHandle handle, std::string sdp, TimePoint now);
    /// Sends the 2xx answer() asked for (at once, or when the reliable 1xx got its PRACK).
    void sendAnswer(Call& call, TimePoint now);
    void reject(CallHandle handle, int code, TimePoint now);
    void onCancel(RequestReceived& in, TimePoint now);
    void onAck(const Message& ack, TimePoint now);
    /// A request with a To tag: find its dialog (§12.2.2) or answer 481.
    void onInDialogRequest(RequestReceived& in, TimePoint now);
    void onReInvite(Call& call, RequestReceived& in, TimePoint now);
    void retransmitOks(TimePoint now);
    Call* findCall(std::string_view callId, std::string_view localTag, std::string_view remoteTag);
    void setState(Call& call, CallState state, int code = 0, std::string reason = {}, std::string sdp = {});
    /// Reports Terminated and forgets the call.
    void finish(CallHandle handle, int code, std::string reason);

    // --- prack.cpp (RFC 3262) ---
    /// Our 1xx to this INVITE go reliably (config.reliableProvisional).
    bool wantsReliable(const Message& invite) const;
    /// UAS: sends a 1xx reliably (Require: 100rel, RSeq) and arms its retransmission.
    bool sendReliable(Call& call, int status, TimePoint now);
    void onPrack(Call& call, RequestReceived& in, TimePoint now);
    /// UAC: PRACKs a reliable 1xx in its early dialog; false when it must be discarded (a
    /// retransmission or out of order, §4).
    bool onReliableProvisional(Call& call, Dialog& early, const Message& response, TimePoint now);
    void onPrackResponse(const ClientRequest& cr, const Message* response, TimePoint now);
    void reliableTimers(TimePoint now);

    // --- call_modify.cpp (RFC 3261 §14, RFC 3311) ---
    void reinvite(CallHandle handle, std::string sdp, TimePoint now);
    void update(CallHandle handle, std::string sdp, TimePoint now);
    void startModify(Call& call, Method method, std::string sdp, TimePoint now);
    void sendModify(Call& call, TimePoint now);
    void onModifyResponse(TransactionId id, ClientRequest& cr, const Message* response, TimePoint now);
    void onUpdate(Call& call, RequestReceived& in, TimePoint now);
    void modifyTimers(TimePoint now);
    /// Hands a re-INVITE's or UPDATE's offer to UaConfig::answerOffer: true with c.localSdp now
    /// the answer, or false with the refusal sent and reported.
    bool answerOffer(Call& c, RequestReceived& in, Method method, TimePoint now);
    void modified(Call& call, ModifyOrigin origin, Method method, int code, std::string reason,
                  std::string sdp = {});
    /// The dialog requests of ours go on: the confirmed one, else the (first) early one; for an
    /// incoming call not yet answered the UAS early dialog is made on first use.
    Dialog* usableDialog(Call& call);

    // --- registration.cpp ---
    void registerAccount(TimePoint now);
    void unregister(TimePoint now);
    void sendRegister(TimePoint now);
    void onRegisterResponse(const ClientRequest& cr, const Message& response, TimePoint now);
    void onRegisterTimeout(TransactionId id, TimeoutCause cause, TimePoint now);
    void registrationChanged(RegistrationState state, int code, std::string reason,
                             std::uint32_t expires = 0);
    void registrationTimers(TimePoint now);
    void networkChanged(std::vector<Peer> localAddresses, TimePoint now);
    /// Schedules the next REGISTER retry (80-100 % of the back-off) and doubles the back-off.
    void scheduleRetry(TimePoint now);

    // --- subscription.cpp (RFC 6665 subscriber) ---
    SubscriptionHandle subscribe(const Uri& target, std::string event, std::string accept,
                                 std::uint32_t expires, TimePoint now);
    void unsubscribe(SubscriptionHandle handle, TimePoint now);
    void sendSubscribe(Subscription& s, TimePoint now);
    void onSubscribeResponse(const ClientRequest& cr, const Message* response, TimePoint now);
    /// NOTIFY or SUBSCRIBE with a To tag: a subscription or watcher dialog (true when handled).
    bool onSubscriptionDialogRequest(RequestReceived& in, TimePoint now);
    void onNotify(RequestReceived& in, TimePoint now);
    void endSubscription(SubscriptionHandle handle, int code, std::string reason);
    void subscriptionTimers(TimePoint now);

    // --- notifier.cpp (RFC 6665 notifier for presence, RFC 3856) ---
    void onSubscribe(RequestReceived& in, TimePoint now);
    void onWatcherRefresh(Watcher& w, RequestReceived& in, TimePoint now);
    void sendWatcherNotify(Watcher& w, TimePoint now);
    void onNotifyResponse(const ClientRequest& cr, const Message* response, TimePoint now);
    void setPresenceDocument(std::string contentType, std::string body, TimePoint now);
    void watcherTimers(TimePoint now);
    void setConferenceDocument(std::string contentType, std::string body, TimePoint now);
    /// ";isfocus" when the call with this Call-ID is one of our conference's, else empty.
    std::string focusParam(std::string_view callId) const;
    void setFocus(CallHandle handle, bool focus);
    /// Fills the remoteContact/remoteFocus of the event just queued from the peer's message.
    void noteRemoteContact(const Message& fromPeer);

    // --- publication.cpp (RFC 3903) ---
    PublicationHandle publish(std::string event, std::string contentType, std::string body,
                              std::uint32_t expires, TimePoint now);
    void republish(PublicationHandle handle, std::string contentType, std::string body, TimePoint now);
    void unpublish(PublicationHandle handle, TimePoint now);
    void sendPublish(Publication& p, TimePoint now);
    void onPublishResponse(const ClientRequest& cr, const Message* response, TimePoint now);
    void publicationTimers(TimePoint now);
    /// Earliest deadline of subscriptions, publications and watchers.
    std::optional<TimePoint> eventTimeout() const;

    // --- refer.cpp (RFC 3515 REFER, RFC 3892, RFC 3891 in Refer-To) ---
    void refer(CallHandle handle, const Uri& referTo, std::string replaces, TimePoint now);
    void onReferResponse(TransactionId id, ClientRequest& cr, const Message* response, TimePoint now);
    /// A REFER in a call's dialog (CSeq already checked): 400/403/202.
    void onRefer(Call& call, RequestReceived& in, TimePoint now);
    /// Checks a REFER and answers it (202 with `toTag`, or the refusal); on 202 the ReferIn
    /// notifies in `dialog` (the call's, or the REFER's own when `outOfDialog`).
    void acceptRefer(CallHandle call, Dialog dialog, std::string_view toTag, bool outOfDialog,
                     RequestReceived& in, TimePoint now);
    /// RFC 4579 §5.5: the confirmed focus call whose peer sent this out-of-dialog request.
    Call* conferenceMemberOf(const Message& request);
    /// A REFER outside any dialog: refused.
    void onReferOutOfDialog(RequestReceived& in, TimePoint now);
    /// True (and handled) for a NOTIFY whose Event package is "refer".
    bool onReferNotify(RequestReceived& in, TimePoint now);
    void notifyRefer(CallHandle call, std::uint64_t id, int code, std::string reason, TimePoint now);
    void sendReferNotify(ReferIn& r, int code, const std::string& reason, TimePoint now);
    void onReferNotifyResponse(const ClientRequest& cr, const Message* response, TimePoint now);
    void referTimers(TimePoint now);
    std::optional<TimePoint> referTimeout() const;
};

/// The Call-ID of a call (its dialog's, or of its INVITE), empty when it has none yet.
std::string callIdOf(const Call& call);
/// The Contact header of a message carries the RFC 4579 `isfocus` feature parameter.
bool contactHasFocus(const Message& message);

/// A target as compared for redirect loops (§8.1.3.4): the URI without headers.
std::string redirectKey(const Uri& target);

/// Refresh point for a granted lifetime: max(half, lifetime - 32 s, 1 s) after now.
TimePoint refreshPoint(TimePoint now, std::uint32_t granted);

/// Hex text of a number (16 digits): tags, branches, cnonces.
std::string hex64(std::uint64_t value);

} // namespace vphone::sip
