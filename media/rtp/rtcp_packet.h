// RTCP compound packets (RFC 3550 §6.4–6.6): SR, RR, SDES (CNAME kept, other items skipped), BYE,
// plus the RFC 4585 feedback header with the messages issue 6 needs: generic NACK (RTPFB FMT 1),
// TMMBR/TMMBN (RFC 5104 §4.2.1/§4.2.2, RTPFB FMT 3/4), PLI (PSFB FMT 1), FIR (RFC 5104, PSFB
// FMT 4) and REMB (draft-alvestrand-rmcat-remb, PSFB FMT 15 with the "REMB" identifier). APP, XR,
// unknown packet types and unknown feedback formats (an FMT 15 without "REMB") are skipped and
// counted.
//
// Bitrates travel as mantissa × 2^exp (REMB: 18-bit mantissa, TMMBR/TMMBN: 17-bit). Parsing
// saturates a value that overflows 64 bits to the largest one the field can carry; serialising
// rounds down to the nearest representable value (never asks for more than the caller meant), so
// a parsed value always serialises back to itself.
//
// Parsing is bounded: at most kMaxRtcpPackets packets in one compound, lengths checked against
// the datagram before each read, and a named RtcpError for the first thing that is wrong
// (RFC 3550 A.2 validity checks, relaxed for RFC 5506 reduced-size RTCP: the first packet need
// not be an SR or RR).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vphone::media {

/// Upper bound on the packets read from one compound datagram.
inline constexpr std::size_t kMaxRtcpPackets = 64;

/// Why a datagram is not valid RTCP. None means it is.
enum class RtcpError {
    None,
    TooShort,       ///< shorter than one 4-byte common header
    BadVersion,     ///< V is not 2 in some packet
    LengthPastEnd,  ///< a packet's length field runs past the datagram
    PaddingNotLast, ///< P set on a packet other than the last (RFC 3550 A.2)
    BadPadding,     ///< padding count zero or longer than the packet
    TruncatedBody,  ///< a packet too short for its report/item count
    TooManyPackets, ///< more than kMaxRtcpPackets in the compound
    Count
};

/// Short name of an RtcpError ("length past end").
std::string_view toString(RtcpError error);

/// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).
enum RtcpPacketType : std::uint8_t {
    kRtcpSr = 200,
    kRtcpRr = 201,
    kRtcpSdes = 202,
    kRtcpBye = 203,
    kRtcpApp = 204,
    kRtcpRtpfb = 205,
    kRtcpPsfb = 206,
    kRtcpXr = 207,
};

/// One reception report block (RFC 3550 §6.4.1).
struct ReportBlock {
    std::uint32_t ssrc = 0;               ///< source this block is about
    std::uint8_t fractionLost = 0;        ///< fixed point, /256
    std::int32_t cumulativeLost = 0;      ///< 24-bit signed
    std::uint32_t extendedHighestSeq = 0; ///< cycles << 16 | highest sequence number
    std::uint32_t jitter = 0;             ///< interarrival jitter, timestamp units
    std::uint32_t lsr = 0;                ///< middle 32 bits of the last SR's NTP timestamp
    std::uint32_t dlsr = 0;               ///< delay since that SR, 1/65536 s
    bool operator==(const ReportBlock&) const = default;
};

/// Sender report (PT 200).
struct SenderReport {
    std::uint32_t ssrc = 0;
    std::uint64_t ntpTimestamp = 0; ///< 32.32 fixed point seconds since 1900
    std::uint32_t rtpTimestamp = 0;
    std::uint32_t packetCount = 0;
    std::uint32_t octetCount = 0;
    std::vector<ReportBlock> reports; ///< at most 31
    bool operator==(const SenderReport&) const = default;
};

/// Receiver report (PT 201).
struct ReceiverReport {
    std::uint32_t ssrc = 0;
    std::vector<ReportBlock> reports; ///< at most 31
    bool operator==(const ReceiverReport&) const = default;
};

/// One SDES chunk; only CNAME is kept (RFC 3550 §6.5.1), the other items are skipped.
struct SdesChunk {
    std::uint32_t ssrc = 0;
    std::string cname; ///< at most 255 octets
    bool operator==(const SdesChunk&) const = default;
};

/// Source description (PT 202).
struct Sdes {
    std::vector<SdesChunk> chunks; ///< at most 31
    bool operator==(const Sdes&) const = default;
};

/// Goodbye (PT 203).
struct Bye {
    std::vector<std::uint32_t> ssrcs; ///< at most 31
    std::string reason;               ///< at most 255 octets
    bool operator==(const Bye&) const = default;
};

/// Generic NACK (RFC 4585 §6.2.1): the PID/BLP pairs, expanded to sequence numbers.
struct Nack {
    std::uint32_t senderSsrc = 0;
    std::uint32_t mediaSsrc = 0;
    std::vector<std::uint16_t> lost; ///< in the order the FCI lists them
    bool operator==(const Nack&) const = default;
};

/// Picture loss indication (RFC 4585 §6.3.1).
struct Pli {
    std::uint32_t senderSsrc = 0;
    std::uint32_t mediaSsrc = 0;
    bool operator==(const Pli&) const = default;
};

/// Full intra request (RFC 5104 §4.3.1).
struct Fir {
    struct Entry {
        std::uint32_t ssrc = 0;
        std::uint8_t sequenceNumber = 0;
        bool operator==(const Entry&) const = default;
    };
    std::uint32_t senderSsrc = 0;
    std::vector<Entry> entries;
    bool operator==(const Fir&) const = default;
};

/// Temporary maximum media stream bit rate request (RFC 5104 §4.2.1, RTPFB FMT 3).
struct Tmmbr {
    /// One FCI entry (§4.2.1.1): the request for one media sender.
    struct Entry {
        std::uint32_t ssrc = 0;       ///< media sender the request is about
        std::uint64_t bitrateBps = 0; ///< MxTBR, bits/s (17-bit mantissa, 6-bit exponent on the wire)
        std::uint16_t overhead = 0;   ///< measured per-packet overhead, octets (9 bits: 0..511)
        bool operator==(const Entry&) const = default;
    };
    std::uint32_t senderSsrc = 0;
    std::vector<Entry> entries;
    bool operator==(const Tmmbr&) const = default;
};

/// Temporary maximum media stream bit rate notification (RFC 5104 §4.2.2, RTPFB FMT 4): the
/// bounding set the media sender applies; an empty list is valid (§4.2.2.2).
struct Tmmbn {
    using Entry = Tmmbr::Entry;
    std::uint32_t senderSsrc = 0;
    std::vector<Entry> entries;
    bool operator==(const Tmmbn&) const = default;
};

/// Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb §2.2, PSFB FMT 15).
struct Remb {
    std::uint32_t senderSsrc = 0;
    std::uint64_t bitrateBps = 0;     ///< total for all `ssrcs` (18-bit mantissa, 6-bit exponent)
    std::vector<std::uint32_t> ssrcs; ///< the media streams the estimate covers, at most 255
    bool operator==(const Remb&) const = default;
};

/// One packet of a compound.
using RtcpPacket = std::variant<SenderReport, ReceiverReport, Sdes, Bye, Nack, Pli, Fir, Remb, Tmmbr, Tmmbn>;

/// A parsed compound; `packets` are in wire order. Meaningful only when error == None.
struct RtcpParse {
    std::vector<RtcpPacket> packets;
    std::size_t skipped = 0; ///< APP, XR, unknown types and unknown feedback formats
    RtcpError error = RtcpError::None;
    bool ok() const { return error == RtcpError::None; }
};

/// Parses one RTCP compound datagram.
RtcpParse parseRtcp(std::span<const std::uint8_t> datagram);

/// Serialises packets back to back into one compound. Lists longer than the wire allows (more
/// than 31 report blocks, SDES chunks or BYE sources; more than 255 REMB SSRCs; strings over 255
/// octets) are cut to fit; TMMBR overheads over 511 are cut to 511.
std::vector<std::uint8_t> serializeRtcp(std::span<const RtcpPacket> packets);

/// Largest bitrate a REMB can carry: an 18-bit mantissa shifted so that it still fits 64 bits.
inline constexpr std::uint64_t kMaxRembBitrate = std::uint64_t{0x3ffff} << 46;
/// Largest bitrate a TMMBR/TMMBN entry can carry (17-bit mantissa).
inline constexpr std::uint64_t kMaxTmmbrBitrate = std::uint64_t{0x1ffff} << 47;

/// Middle 32 bits of an NTP timestamp: the LSR of a report block (RFC 3550 §6.4.1).
constexpr std::uint32_t ntpMiddle32(std::uint64_t ntp)
{
    return static_cast<std::uint32_t>(ntp >> 16);
}

} // namespace vphone::media
