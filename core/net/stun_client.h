// STUN Binding client (RFC 5389 §7.2.1) and the "host[:port]" form of a STUN server setting.
//
// Theory of operation: BindingClient is one Binding transaction, sans-I/O like core/sip. It is
// made with a random transaction id and the current time and queues its first request at once;
// the owner sends what pollTransmit() gives (from the socket whose mapping it wants to learn),
// hands every datagram from the server to receive() and calls onTimeout() at nextTimeout().
// Retransmissions follow RFC 5389 §7.2.1 over UDP: the request goes at 0, RTO, 3 RTO, 7 RTO ...
// (the interval doubles), Rc requests in all, and after the last one the client waits Rm x RTO
// before giving up (RTO 500 ms, Rc 7, Rm 16: 39.5 s). `giveUpAfter` bounds the whole
// transaction for callers that cannot wait that long (call setup: 1.5 s). A success response
// with the same transaction id ends it with the XOR-MAPPED-ADDRESS (MAPPED-ADDRESS from an old
// RFC 3489 server); an error response ends it with the error code; anything else (another id,
// a request, bytes that do not decode) is ignored and receive() says it was not ours.
#pragma once

#include "net/stun.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vphone::net::stun {

using TimePoint = std::chrono::steady_clock::time_point;

/// The default STUN port (RFC 5389 §9).
constexpr std::uint16_t kDefaultPort = 3478;

/// RFC 5389 §7.2.1 retransmission parameters.
struct BindingTimers {
    std::chrono::milliseconds rto{500};       ///< first retransmission interval, doubled each time
    int rc = 7;                               ///< requests sent in all
    int rm = 16;                              ///< after the last request, wait rm x rto
    std::chrono::milliseconds giveUpAfter{0}; ///< bounds the transaction; zero: RFC timing only
};

class BindingClient {
public:
    enum class State { Running, Succeeded, Failed };

    BindingClient(const TransactionId& id, TimePoint now, BindingTimers timers = {});

    /// The next request to send (the first at once, then one per retransmission).
    std::optional<std::string> pollTransmit();
    /// A datagram from the server. True when it was this transaction's response (consumed);
    /// false for anything else, which is ignored.
    bool receive(std::string_view datagram, TimePoint now);
    /// Retransmits or gives up when a deadline has passed.
    void onTimeout(TimePoint now);
    /// When onTimeout() wants to run; nullopt once the transaction ended.
    std::optional<TimePoint> nextTimeout() const;

    State state() const { return state_; }
    const TransactionId& id() const { return id_; }
    /// The address the server saw us from (Succeeded).
    const std::optional<MappedAddress>& mapped() const { return mapped_; }
    /// Why it failed, in words ("no answer after 3 requests in 1500 ms", "error response 400").
    const std::string& error() const { return error_; }
    int errorCode() const { return errorCode_; }
    int requestsSent() const { return sent_; }

private:
    void fail(std::string why);

    TransactionId id_;
    BindingTimers timers_;
    TimePoint start_;
    TimePoint nextSend_;
    std::chrono::milliseconds interval_;
    State state_ = State::Running;
    bool due_ = true; ///< a request waits in pollTransmit()
    int sent_ = 0;
    std::optional<MappedAddress> mapped_;
    std::string error_;
    int errorCode_ = 0;
};

/// A STUN server setting: a host name or IP literal and a port.
struct Server {
    std::string host; ///< no brackets around an IPv6 literal
    std::uint16_t port = kDefaultPort;
    bool operator==(const Server&) const = default;
};

/// Parses "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal ("::1"; its port
/// must then be written with brackets). nullopt with *error in plain words ("the STUN server
/// has no host", "port 70000 is out of range (1-65535)") for anything else.
std::optional<Server> parseServer(std::string_view text, std::string* error);

/// "host:port", IPv6 in brackets.
std::string toString(const Server& server);

} // namespace vphone::net::stun
