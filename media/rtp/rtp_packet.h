// RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1), and the
// first-byte demultiplexing of one UDP port shared by RTP, RTCP, STUN and DTLS (RFC 5761 §4,
// RFC 7983).
//
// parseRtp() reads a datagram without copying: the result holds spans into the caller's buffer.
// Every malformed input gives a named RtpError (never a crash, never a read past the end), so a
// receiver can count drops by reason. writeRtp() serialises into a caller buffer without
// allocating, for the media thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vphone::media {

/// Why a datagram is not a valid RTP packet. None means it is.
enum class RtpError {
    None,             ///< valid
    TooShort,         ///< fewer than the 12 bytes of the fixed header
    BadVersion,       ///< V is not 2
    CsrcPastEnd,      ///< the CSRC count runs past the end of the datagram
    ExtensionPastEnd, ///< the header extension's length runs past the end
    PaddingZero,      ///< P is set and the last octet (the padding count) is 0
    PaddingPastEnd,   ///< the padding count is longer than what follows the header
    Count             ///< number of values, for counter arrays
};

/// Short name of an RtpError for logs and statistics ("csrc past end").
std::string_view toString(RtpError error);

/// Counters indexed by RtpError.
using RtpErrorCounts = std::array<std::uint64_t, static_cast<std::size_t>(RtpError::Count)>;

/// The RTP header. On parse, `extension` is a view into the parsed datagram; on write, into
/// memory the caller keeps alive.
struct RtpHeader {
    bool marker = false;
    std::uint8_t payloadType = 0; ///< 0..127
    std::uint16_t sequenceNumber = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::uint8_t csrcCount = 0; ///< 0..15
    std::array<std::uint32_t, 15> csrcs{};
    bool hasExtension = false;
    std::uint16_t extensionProfile = 0;      ///< "defined by profile" (0xBEDE for RFC 8285 one-byte)
    std::span<const std::uint8_t> extension; ///< extension data, a multiple of 4 bytes
};

/// A parsed RTP packet: header, payload and padding length, all pointing into the datagram.
struct RtpPacketView {
    RtpHeader header;
    std::span<const std::uint8_t> payload;
    std::size_t paddingSize = 0; ///< padding octets after the payload, count octet included
    std::size_t headerSize = 0;  ///< fixed header + CSRCs + extension
};

/// Outcome of parseRtp(): `packet` is meaningful only when error == RtpError::None.
struct RtpParse {
    RtpPacketView packet;
    RtpError error = RtpError::None;
    bool ok() const { return error == RtpError::None; }
};

/// Parses and validates one RTP datagram (RFC 3550 §5.1, Appendix A.1's header checks).
RtpParse parseRtp(std::span<const std::uint8_t> datagram);

/// Bytes writeRtp() needs for this header, payload and padding.
std::size_t rtpSize(const RtpHeader& header, std::size_t payloadSize, std::uint8_t padding = 0);

/// Serialises header + payload (+ `padding` octets, the last one holding the count; 0 = none)
/// into `out`. Returns the bytes written, or 0 when `out` is too small or the header cannot be
/// written (payload type > 127, CSRC count > 15, extension not a multiple of 4 or too long).
std::size_t writeRtp(const RtpHeader& header, std::span<const std::uint8_t> payload,
                     std::span<std::uint8_t> out, std::uint8_t padding = 0);

/// writeRtp() into a new vector (empty when the header cannot be written).
std::vector<std::uint8_t> serializeRtp(const RtpHeader& header, std::span<const std::uint8_t> payload,
                                       std::uint8_t padding = 0);

/// What a datagram on a shared media port is, from its first two bytes.
enum class DatagramKind { Invalid, Stun, Dtls, Rtp, Rtcp };

/// RFC 7983 §7 first-byte ranges (0–3 STUN, 20–63 DTLS, 128–191 RTP/RTCP) and, within RTP/RTCP,
/// RFC 5761 §4: a second byte of 192–223 (RTCP packet types SR..; RTP payload types 64–95 with
/// the marker bit) is RTCP. Anything else (ZRTP, TURN channels, garbage) is Invalid.
DatagramKind classifyDatagram(std::span<const std::uint8_t> datagram);

} // namespace vphone::media
