// H.264 over RTP (RFC 6184), packetization-mode 1 (single NAL unit, STAP-A, FU-A); mode-0 streams
// (single NAL units only) are a subset and are received too.
//
// Theory of operation.
// * Sending. H264Packetizer takes one access unit as an Annex B byte stream, splits it at the
//   start codes (00 00 01, with or without a leading zero; trailing zero bytes of a NAL unit
//   belong to the next start code) and emits RTP payloads in order: consecutive NAL units that fit
//   together go into one STAP-A (RFC 6184 §5.7.1), a NAL unit larger than maxPayload is cut into
//   FU-A fragments of near-equal size (§5.8), anything else is a single NAL unit packet (§5.6).
//   The caller sets the RTP marker on the last payload (§5.1: last packet of the access unit).
// * Receiving. inspectH264() classifies one payload without copying (valid? first packet of an
//   access unit? IDR?). H264Depacketizer turns the payloads of one access unit, in sequence
//   order, into an Annex B access unit with 00 00 00 01 before every NAL unit, rebuilding the NAL
//   header of fragmented units from the FU indicator and FU header.
// * Errors are values: STAP-B, MTAP and FU-B (types 25-27, 29) and the reserved types 0, 30, 31
//   are refused, as are a STAP-A whose sizes run past the end, an FU-A with both S and E set, and
//   FU-A fragments that do not follow a start fragment (MissingStart in the receive buffer).
#pragma once

#include "payload/video_payload.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vphone::media {

/// RFC 6184 §5.4 NAL unit types with a meaning in the payload format.
inline constexpr std::uint8_t kH264StapA = 24;
inline constexpr std::uint8_t kH264FuA = 28;
/// H.264 NAL unit type of an IDR slice.
inline constexpr std::uint8_t kH264Idr = 5;

/// Why an H.264 RTP payload (or a run of them) cannot be depacketised. None means it can.
enum class H264PayloadError {
    None,            ///< valid
    Empty,           ///< no bytes at all
    ReservedType,    ///< NAL unit type 0, 30 or 31 (also inside a STAP-A or FU-A)
    UnsupportedType, ///< STAP-B, MTAP16, MTAP24 or FU-B (25, 26, 27, 29): not in mode 1
    StapTruncated,   ///< a STAP-A NAL unit size runs past the end (or a lone size byte)
    StapEmpty,       ///< a STAP-A without NAL units, or with a zero-size one
    FuTooShort,      ///< an FU-A without FU header or without fragment bytes
    FuStartAndEnd,   ///< an FU-A with both S and E set (RFC 6184 §5.8 forbids it)
    FuMissingStart,  ///< an FU-A middle or end fragment not preceded by its start fragment
    FuMissingEnd,    ///< an FU-A start fragment never ended (another NAL unit or the end follows)
    FuTypeMismatch,  ///< fragments of one NAL unit disagree about its type
    Count            ///< number of values, for counter arrays
};

/// Short name of an H264PayloadError for logs and statistics ("stap-a truncated").
std::string_view toString(H264PayloadError error);

/// What one H.264 RTP payload is.
struct H264PacketInfo {
    H264PayloadError error = H264PayloadError::None; ///< None: the rest is meaningful
    std::uint8_t packetType = 0;                     ///< 1-23 single NAL unit, 24 STAP-A, 28 FU-A
    bool frameStart = false; ///< begins an access unit: its first NAL unit is an AUD, SEI, SPS or
                             ///< PPS, or a slice with first_mb_in_slice == 0 (FU-A: start fragment)
    bool idr = false;        ///< holds (part of) an IDR slice
};

/// Classifies and validates one RTP payload (structure only; no copy).
H264PacketInfo inspectH264(std::span<const std::uint8_t> payload);

/// Splits access units into RTP payloads (RFC 6184 packetization-mode 1).
class H264Packetizer {
public:
    /// `maxPayload` bytes per RTP payload (at least 3 are used: FU indicator, header, one byte).
    explicit H264Packetizer(std::size_t maxPayload = 1200);

    /// Splits one access unit (Annex B byte stream: 00 00 01 / 00 00 00 01 start codes) into RTP
    /// payloads in order: small NALs aggregated into STAP-A while they fit, a NAL larger than
    /// maxPayload split into FU-A fragments, others as single NAL unit packets. The caller sets
    /// the marker bit on the last one. Returns the number of payloads written into `out` (cleared
    /// first). Empty NAL units and those of type 0 or 24-31 (not H.264 NAL units) are skipped.
    std::size_t packetize(std::span<const std::uint8_t> accessUnit,
                          std::vector<std::vector<std::uint8_t>>& out);

    /// Bytes per RTP payload.
    std::size_t maxPayload() const { return maxPayload_; }

private:
    std::size_t maxPayload_;
};

/// The NAL units of an Annex B byte stream, in order, without start codes or trailing zeros
/// (views into `stream`; empty units are left out).
std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> stream);

/// Joins the payloads of one access unit, in sequence order, into an Annex B access unit.
class H264Depacketizer {
public:
    /// Starts a new access unit: `out` is where its bytes go (cleared).
    explicit H264Depacketizer(std::vector<std::uint8_t>& out);
    /// Appends one payload. After an error the access unit is unusable.
    H264PayloadError add(std::span<const std::uint8_t> payload);
    /// Ends the access unit: an FU-A still open is FuMissingEnd.
    H264PayloadError finish();
    /// Whether an IDR slice was seen.
    bool idr() const { return idr_; }

private:
    std::vector<std::uint8_t>& out_;
    bool inFu_ = false;
    std::uint8_t fuType_ = 0;
    bool idr_ = false;
};

} // namespace vphone::media
