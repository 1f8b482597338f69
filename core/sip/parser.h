// Turning bytes into Messages: datagram mode (UDP, one message per packet) and stream mode
// (TCP/TLS: partial reads, several messages per read, CRLF keep-alives).
#pragma once

#include "message.h"
#include "result.h"

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace vphone::sip {

/// Bounds that keep a hostile peer from making us allocate or loop without limit.
struct Limits {
    std::size_t maxMessageSize = 65535; ///< whole message, headers and body (413/513 beyond)
    std::size_t maxHeaderCount = 256;   ///< header fields (after unfolding)
    std::size_t maxLineLength = 8192;   ///< one header line, folded continuations included
};

enum class Framing { Invalid, Datagram, Stream };

/// Parses one complete message from `bytes`.
/// Datagram: a missing Content-Length means the body is the rest of the packet; a
/// Content-Length larger than what arrived is an error (400); bytes past it are ignored
/// (RFC 3261 §18.3). Stream: Content-Length is required. The error's status is the response a
/// UA sends to a bad request (a bad response is simply dropped by the caller).
Result<Message> parseMessage(std::string_view bytes, Framing framing = Framing::Datagram,
                             const Limits& limits = {});

/// Cuts a TCP/TLS byte stream into messages. Feed it what the socket read; take messages out.
/// After an error the stream cannot be resynchronised: the connection must be closed.
class StreamFramer {
public:
    explicit StreamFramer(Limits limits = {}) : limits_(limits) {}

    /// Appends received bytes. Returns false (and latches error()) on a framing error.
    bool feed(std::string_view bytes);
    /// The next complete message, if one is ready; or an error that ends the stream.
    std::optional<Result<Message>> next();
    /// Number of CRLF keep-alive pings (RFC 5626 §3.5.1 double CRLF) seen and skipped.
    std::size_t keepAlivesSeen() const { return keepAlives_; }
    /// Bytes held waiting for the rest of a message.
    std::size_t buffered() const { return buffer_.size() - start_; }
    const std::optional<ParseError>& error() const { return error_; }

private:
    enum class Found { Invalid, Header, NeedMore, Error };
    /// Looks for the end of the header section and its Content-Length; fills headerEnd_ and
    /// bodyLength_ when found.
    Found findHeader(std::string_view s);

    Limits limits_;
    std::string buffer_;
    std::size_t start_ = 0;      ///< first byte not yet handed out
    std::size_t scan_ = 0;       ///< bytes before this were searched for the header end
    std::size_t headerEnd_ = 0;  ///< end of the current message's header section, 0 if not yet seen
    std::size_t bodyLength_ = 0; ///< its Content-Length, valid when headerEnd_ != 0
    std::size_t keepAlives_ = 0;
    std::optional<ParseError> error_;
};

} // namespace vphone::sip
