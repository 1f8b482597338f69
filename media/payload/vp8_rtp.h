// VP8 over RTP (RFC 7741): the payload descriptor, the packetizer and what a receiver needs.
//
// Theory of operation.
// * Every packet starts with the payload descriptor (§4.2): |X|R|N|S|R|PID|, then when X is set
//   |I|L|T|K|RSV|, then the picture ID (I: 7 bits, or 15 when its first bit M is set), TL0PICIDX
//   (L) and one TID/Y/KEYIDX byte (T or K). S=1 with PID=0 marks the first packet of a frame; the
//   first byte of the VP8 payload then holds the P bit (0: key frame, §4.3).
// * Sending. Vp8Packetizer writes X=1, I=1, M=1 (15-bit picture ID, incremented per frame),
//   S=1 on the first packet of a frame and PID=0 (one partition stream), and splits the frame into
//   near-equal chunks. The caller sets the RTP marker on the last payload.
// * Receiving. parseVp8Descriptor() reads a descriptor without trusting it: extension bits that
//   point past the end, and a descriptor with nothing after it, are errors.
#pragma once

#include "payload/video_payload.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace vphone::media {

/// Why a VP8 RTP payload is not usable. None means it is.
enum class Vp8PayloadError {
    None,             ///< valid
    Empty,            ///< no bytes at all
    ExtensionPastEnd, ///< X (or I, L, T, K) announces bytes the packet does not have
    NoPayload,        ///< nothing after the descriptor
    Count             ///< number of values, for counter arrays
};

/// Short name of a Vp8PayloadError for logs and statistics ("extension past end").
std::string_view toString(Vp8PayloadError error);

/// A parsed VP8 payload descriptor (RFC 7741 §4.2).
struct Vp8Descriptor {
    bool nonReference = false;              ///< N
    bool start = false;                     ///< S: start of a VP8 partition
    std::uint8_t partitionId = 0;           ///< PID
    std::optional<std::uint16_t> pictureId; ///< I: 7- or 15-bit picture ID
    bool longPictureId = false;             ///< M: the picture ID has 15 bits
    std::optional<std::uint8_t> tl0PicIdx;  ///< L
    std::optional<std::uint8_t> tid;        ///< T: temporal layer index (2 bits)
    bool layerSync = false;                 ///< Y (meaningful with T)
    std::optional<std::uint8_t> keyIdx;     ///< K: 5 bits
    std::size_t size = 0;                   ///< descriptor bytes; the VP8 payload follows
};

/// Outcome of parseVp8Descriptor(): `descriptor` is meaningful only when error == None.
struct Vp8Parse {
    Vp8Descriptor descriptor;                      ///< what was read
    Vp8PayloadError error = Vp8PayloadError::None; ///< None: the descriptor is valid
    /// Whether the payload is usable.
    bool ok() const { return error == Vp8PayloadError::None; }
    /// First packet of a frame: S=1 and PID=0.
    bool frameStart() const { return ok() && descriptor.start && descriptor.partitionId == 0; }
};

/// Parses the descriptor at the front of one RTP payload and checks that a VP8 payload follows.
Vp8Parse parseVp8Descriptor(std::span<const std::uint8_t> payload);

/// Splits VP8 frames into RTP payloads (RFC 7741 §4).
class Vp8Packetizer {
public:
    /// `maxPayload` bytes per RTP payload (descriptor included; at least 5 are used).
    explicit Vp8Packetizer(std::size_t maxPayload = 1200, std::uint16_t firstPictureId = 0);

    /// Splits one frame into payloads (descriptor X=1, I=1, M=1, S=1 on the first, PID=0) in
    /// order; the picture ID increments per frame (15 bits). The caller sets the marker bit on the
    /// last one. Returns the number of payloads written into `out` (cleared first); an empty
    /// frame gives none.
    std::size_t packetize(std::span<const std::uint8_t> frame, std::vector<std::vector<std::uint8_t>>& out);

    /// The picture ID the next frame will carry.
    std::uint16_t nextPictureId() const { return pictureId_; }

private:
    std::size_t maxPayload_;
    std::uint16_t pictureId_;
};

} // namespace vphone::media
