// The SIP transaction layer (RFC 3261 §17, §9 CANCEL, RFC 6026 Accepted state), sans-I/O.
//
// Theory of operation: the layer owns every client and server transaction in one table keyed by
// TransactionId, plus matching indexes: responses find their client transaction by top-Via
// branch + CSeq method (§17.1.3), requests their server transaction by branch + sent-by + method
// (§17.2.3, ACK counting as INVITE), or by the RFC 2543 tuple when the branch lacks the magic
// cookie. Each transaction keeps the timers of its state machine as deadlines in one ordered set;
// onTimeout(now) fires everything due, nextTimeout() is the earliest deadline. Inputs
// (sendRequest, sendResponse, receive, onTimeout, transportError) only queue work: the caller
// then drains pollTransmit() and pollEvent() and re-arms its one timer from nextTimeout().
//
// Choices: an INVITE client transaction terminates on a 2xx (RFC 3261; later 2xx retransmissions
// come up as StrayResponse and the dialog layer re-ACKs them). An INVITE server transaction goes
// to Accepted on a 2xx (RFC 6026): for Timer L it absorbs INVITE retransmissions, passes ACKs up
// as AckReceived and sends the 2xx retransmissions the TU hands to sendResponse(). The 100
// (Trying) of §17.2.1 is a timer: if the TU has sent nothing 200 ms after an INVITE arrived, the
// layer sends it.
#pragma once

#include "transaction.h"

#include <array>
#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace vphone::sip {

/// All transactions of one SIP endpoint. Errors from sendRequest()/cancel() carry a status
/// saying why: 400 (malformed request), 481 (no such pending INVITE), 503 (table full).
class TransactionLayer {
public:
    /// `maxTransactions` bounds the live transactions, client and server together.
    explicit TransactionLayer(TimerConfig timers = {}, std::size_t maxTransactions = 4096);

    /// Starts a client transaction (INVITE or non-INVITE by method) and queues the request.
    /// The request needs a top Via with a z9hG4bK branch (see newBranch()) and a CSeq whose
    /// method is the request's. ACK is never a transaction: send it with sendStateless().
    Result<TransactionId> sendRequest(Message request, Peer to, TimePoint now);
    /// Sends a message outside any transaction (the ACK for a 2xx, stateless responses).
    void sendStateless(Message message, Peer to);
    /// Sends a response on a server transaction, to the Peer the request came from: 1xx any
    /// number of times, then one final. A 2xx to INVITE moves to Accepted (RFC 6026), where
    /// further 2xx (the TU's retransmissions) are still sent. False when the transaction is
    /// unknown or its state takes no such response.
    bool sendResponse(TransactionId serverTransaction, Message response, TimePoint now);
    /// Builds and starts the CANCEL for a pending INVITE client transaction (§9.1: same
    /// Request-URI, Call-ID, From, To and CSeq number, one Via equal to the INVITE's top Via,
    /// Route copied). Before any provisional response the CANCEL is held, and sent when the first
    /// 1xx arrives; if the INVITE ends first it terminates unsent. Once sent, the INVITE gives
    /// up (TransactionTimeout) if no final response comes within 64*T1. Calling it again returns
    /// the same CANCEL transaction.
    Result<TransactionId> cancel(TransactionId inviteClientTransaction, TimePoint now);

    /// A parsed message from the transport. Requests matching no transaction create a server
    /// transaction (RequestReceived; the TU answers a CANCEL with 200 and, via findInviteFor(),
    /// the INVITE with 487). A full table answers 503 with Retry-After, statelessly. Requests or
    /// responses without a usable top Via or CSeq are dropped.
    void receive(Message message, Peer from, TimePoint now);
    /// The transport could not send for this transaction (§17.1.4, §17.2.4): it ends with
    /// TransactionTimeout{cause = Transport}.
    void transportError(TransactionId id, TimePoint now);
    /// Fires every timer due at or before `now`.
    void onTimeout(TimePoint now);
    /// The earliest timer deadline, if any.
    std::optional<TimePoint> nextTimeout() const;

    /// The next message to send; drain after every input.
    std::optional<Outgoing> pollTransmit();
    /// The next event for the transaction user; drain after every input.
    std::optional<TransactionEvent> pollEvent();

    /// The INVITE server transaction a received CANCEL refers to (§9.2: matched like the INVITE
    /// by §17.2.3, method aside), if it is still live.
    std::optional<TransactionId> findInviteFor(const Message& cancel) const;
    /// Live transactions.
    std::size_t size() const { return transactions_.size(); }
    /// Responses that matched no transaction and were not a stray 2xx to INVITE, or were broken.
    std::size_t droppedResponses() const { return droppedResponses_; }
    /// Requests dropped for lack of a usable top Via or CSeq.
    std::size_t droppedRequests() const { return droppedRequests_; }
    /// State and kind of a live transaction.
    std::optional<TransactionState> state(TransactionId id) const;
    std::optional<TransactionKind> kind(TransactionId id) const;
    const TimerConfig& timers() const { return config_; }

    /// A new RFC 3261 branch: "z9hG4bK" + the caller's random token (e.g. 64 bits in hex).
    static std::string newBranch(std::string_view randomToken);
    /// A response to `request` per §8.2.6.2: all Via lines, From, To (with `toTag` added when
    /// the request's To has none and the tag is not empty), Call-ID and CSeq copied; Timestamp too
    /// for 100 (§8.2.6.1). The reason phrase is the standard one.
    static Message buildResponse(const Message& request, int status, std::string_view toTag = {});

private:
    /// RFC 3261 Table 4 timers, plus the 200 ms of §17.2.1 for the automatic 100 (Trying).
    enum class Timer { Invalid, A, B, D, E, F, G, H, I, J, K, L, Trying100, Count_ };
    static constexpr std::size_t kTimerCount = static_cast<std::size_t>(Timer::Count_);

    struct Transaction {
        TransactionId id = 0;
        TransactionKind kind = TransactionKind::Invalid;
        TransactionState state = TransactionState::Invalid;
        Peer peer; ///< client: where requests go; server: where the request came from
        bool reliable = false;
        Message request;                       ///< the request that created the transaction
        std::string requestBytes;              ///< client: what Timers A and E retransmit
        std::string responseBytes;             ///< server: last response sent; INVITE client: the ACK
        std::string key;                       ///< entry in clientIndex_ or serverIndex_
        std::string legacyKey;                 ///< entry in legacyIndex_ (RFC 2543 requests)
        std::string requestToTag;              ///< RFC 2543 matching: To tag of the request
        std::string finalToTag;                ///< RFC 2543 matching: To tag of the final response sent
        std::chrono::milliseconds interval{0}; ///< current Timer A / E / G interval
        std::array<std::optional<TimePoint>, kTimerCount> deadlines{};
        TransactionId cancel = 0; ///< INVITE client: its CANCEL transaction
        TransactionId invite = 0; ///< CANCEL client: the INVITE it cancels
        bool held = false;        ///< CANCEL client waiting for the INVITE's first 1xx (§9.1)
    };

    // transaction_layer.cpp: table, timers and queues.
    Transaction& create(TransactionKind kind, TransactionState state, Peer peer, Message request);
    Transaction* find(TransactionId id);
    const Transaction* find(TransactionId id) const;
    void arm(Transaction& tx, Timer timer, TimePoint at);
    void disarm(Transaction& tx, Timer timer);
    void transmit(const Transaction& tx, std::string bytes);
    void timeout(Transaction& tx, TimeoutCause cause);
    /// Removes the transaction (and a held CANCEL of it) and reports TransactionTerminated.
    void terminate(TransactionId id);

    // client_transaction.cpp
    void startClient(Transaction& tx, TimePoint now);
    void receiveResponse(Message response, const Peer& from, TimePoint now);
    void inviteClientResponse(Transaction& tx, Message response, TimePoint now);
    void nonInviteClientResponse(Transaction& tx, Message response, TimePoint now);
    void onClientTimer(Transaction& tx, Timer timer, TimePoint now);

    // server_transaction.cpp
    void receiveRequest(Message request, const Peer& from, TimePoint now);
    /// The server transaction a request with this §17.2.3 key matches, or 0.
    TransactionId matchServer(const Message& request, const std::string& key, bool legacy) const;
    void retransmitResponse(Transaction& tx);
    void inviteServerAck(Transaction& tx, Message ack, const Peer& from, TimePoint now);
    void onServerTimer(Transaction& tx, Timer timer, TimePoint now);

    TimerConfig config_;
    std::size_t maxTransactions_;
    TransactionId nextId_ = 1;
    std::size_t droppedResponses_ = 0;
    std::size_t droppedRequests_ = 0;
    std::unordered_map<TransactionId, Transaction> transactions_;
    std::unordered_map<std::string, TransactionId> clientIndex_; ///< branch|CSeq method
    std::unordered_map<std::string, TransactionId> serverIndex_; ///< branch|sent-by|method
    std::unordered_map<std::string, TransactionId> legacyIndex_; ///< RFC 2543 tuple
    std::set<std::tuple<TimePoint, TransactionId, Timer>> timerQueue_;
    std::deque<Outgoing> transmits_;
    std::deque<TransactionEvent> events_;
};

} // namespace vphone::sip
