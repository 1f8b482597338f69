// A minimal STUN (RFC 5389) codec for SIP outbound keep-alives (RFC 5626 §4.4.2): Binding
// requests with FINGERPRINT, and Binding responses with (XOR-)MAPPED-ADDRESS. Pure code, no
// sockets: bytes in, values out, every length checked (fuzz-safe: a datagram of any content
// either decodes or is refused, never read out of bounds).
//
// Demultiplexing (RFC 5626 §4.4.2, RFC 7983): on the SIP UDP socket a datagram whose first two
// bits are 0 and whose bytes 4-7 hold the magic cookie is STUN; SIP starts with a letter.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vphone::net::stun {

constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::uint16_t kBindingRequest = 0x0001;
constexpr std::uint16_t kBindingSuccess = 0x0101;
constexpr std::uint16_t kBindingError = 0x0111;

using TransactionId = std::array<std::uint8_t, 12>;

/// An address in a (XOR-)MAPPED-ADDRESS attribute.
struct MappedAddress {
    std::string host; ///< "192.0.2.1" or "2001:db8::1" (no brackets)
    std::uint16_t port = 0;
    bool operator==(const MappedAddress&) const = default;
};

/// A decoded STUN message: its type, transaction id and the attributes we use.
struct Message {
    std::uint16_t type = 0;
    TransactionId id{};
    std::optional<MappedAddress> mapped; ///< XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS
    int errorCode = 0;                   ///< from ERROR-CODE (Binding error responses)
    bool fingerprinted = false;          ///< carried a FINGERPRINT (checked)
};

/// True when the datagram has a STUN header: first two bits 0, the magic cookie, and a length
/// that is a multiple of 4 matching the datagram.
bool looksLikeStun(std::string_view datagram);

/// Decodes a STUN message; nullopt for anything malformed (bad header, an attribute running
/// past the end, a FINGERPRINT that does not match, a bad address family).
std::optional<Message> decode(std::string_view datagram);

/// A Binding request: the 20-byte header and a FINGERPRINT attribute (28 bytes).
std::string bindingRequest(const TransactionId& id);

/// A Binding success response with XOR-MAPPED-ADDRESS and FINGERPRINT (for tests and responders).
/// An empty string when `mapped.host` is not an IP address.
std::string bindingSuccess(const TransactionId& id, const MappedAddress& mapped);

/// A Binding error response with ERROR-CODE (RFC 5389 §15.6: `code` 300-699, a reason phrase)
/// and FINGERPRINT (for tests and responders).
std::string bindingError(const TransactionId& id, int code, std::string_view reason);

/// CRC-32 (ISO-HDLC, as in RFC 5389 §15.5 before the XOR with 0x5354554e).
std::uint32_t crc32(std::string_view bytes);

} // namespace vphone::net::stun
