// The vocabulary of the SIP transaction layer (RFC 3261 §17): where messages go, the timer
// values, and the events handed to the transaction user (the dialog / UA layer).
//
// Everything here is plain data: the layer itself (transaction_layer.h) takes messages and `now`
// in and gives Outgoing messages, TransactionEvents and the next deadline out. Time is always
// the caller's; nothing in core/sip reads a clock.
#pragma once

#include "message.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

namespace vphone::sip {

/// A point on the caller's monotonic clock.
using TimePoint = std::chrono::steady_clock::time_point;

/// Transport protocol of a hop. Tcp and Tls are reliable (RFC 3261 §17: no retransmissions,
/// Timers D, I, J and K are zero).
enum class Transport { Invalid, Udp, Tcp, Tls };

/// True for the transports that deliver in order and retransmit themselves.
constexpr bool isReliable(Transport t)
{
    return t == Transport::Tcp || t == Transport::Tls;
}

/// Where a message goes or came from. For server transactions responses go back to the Peer
/// the request came from: the transport layer reports the real source address, which is what
/// RFC 3581 rport and the §18.2.2 "received" rule ask for.
struct Peer {
    Transport transport = Transport::Invalid;
    std::string host;
    std::uint16_t port = 0;
    bool operator==(const Peer&) const = default;
};

/// RFC 3261 §17.1.1.1 timer values (Table 4 defaults).
struct TimerConfig {
    std::chrono::milliseconds t1{500};  ///< RTT estimate
    std::chrono::milliseconds t2{4000}; ///< maximum retransmit interval for non-INVITE requests
    std::chrono::milliseconds t4{5000}; ///< maximum time a message stays in the network
};

/// Identifies a transaction for the layer's lifetime; 0 means "no transaction" (stateless).
using TransactionId = std::uint64_t;

/// A message to hand to the transport.
struct Outgoing {
    Peer to;
    std::string bytes;    ///< Message::serialize()
    TransactionId id = 0; ///< transaction that sent it (0 for stateless sends); for transportError()
};

/// The four state machines of RFC 3261 §17.
enum class TransactionKind { Invalid, InviteClient, NonInviteClient, InviteServer, NonInviteServer };

/// Transaction states, named as in RFC 3261 Figures 5-8 and RFC 6026 (Accepted).
enum class TransactionState {
    Invalid,
    Calling,
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated
};

/// A request that created a new server transaction: the TU must answer it with sendResponse().
/// A CANCEL arrives this way too, on its own transaction (see TransactionLayer::findInviteFor).
struct RequestReceived {
    TransactionId id = 0;
    Message request;
    Peer from;
};

/// A response (1xx..6xx) to a client transaction. Retransmitted final responses are absorbed.
struct ResponseReceived {
    TransactionId id = 0;
    Message response;
};

/// An ACK the transaction layer does not absorb: the ACK for a 2xx (RFC 3261 §13.3.1.4, RFC 6026
/// §8.4), which is part of no transaction, or an ACK matching nothing.
struct AckReceived {
    Message ack;
    Peer from;
};

/// A 2xx to INVITE that matched no client transaction: a retransmission (the dialog layer
/// re-sends its ACK, RFC 3261 §13.2.2.4) or a 2xx from another fork.
struct StrayResponse {
    Message response;
    Peer from;
};

/// Why a transaction gave up.
enum class TimeoutCause {
    Invalid,
    Timer,     ///< Timer B or F (client), Timer H (server: no ACK), or the §9.1 CANCEL guard
    Transport, ///< the transport reported a send failure (RFC 3261 §17.1.4, §17.2.4)
};

/// A transaction gave up; TransactionTerminated follows.
struct TransactionTimeout {
    TransactionId id = 0;
    TimeoutCause cause = TimeoutCause::Timer;
};

/// A transaction ended and its id is forgotten. Sent exactly once per transaction, last.
struct TransactionTerminated {
    TransactionId id = 0;
};

/// What the transaction layer tells its user.
using TransactionEvent = std::variant<RequestReceived, ResponseReceived, AckReceived, StrayResponse,
                                      TransactionTimeout, TransactionTerminated>;

} // namespace vphone::sip
