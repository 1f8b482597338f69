// The codec-neutral face of the video RTP payload formats, as the VideoReceiveBuffer sees them:
// which codec, what one packet says about its frame (first packet? keyframe?), and the
// depacketisation of a whole frame's payloads into what the decoder takes.
//
// Theory of operation. The receive buffer groups packets into frames by RTP timestamp and needs
// from the payload format only three things: whether a packet is well formed (inspected once, on
// push), whether it is certainly the first packet of a frame (so a frame can be complete before
// the previous one was seen), and, once a frame's packets run without a hole, the frame's bytes.
// Both codecs answer through the two functions below; the details live in h264_rtp.h (RFC 6184)
// and vp8_rtp.h (RFC 7741). Nothing here throws or reads past a buffer: bad input is an error
// value the caller counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vphone::media {

/// The video payload format of a stream.
enum class VideoPayloadFormat { H264, Vp8 };

/// What one RTP payload says about itself and its frame.
struct VideoPacketInfo {
    bool valid = false;      ///< well formed for its payload format (else counted as BadPayload)
    bool frameStart = false; ///< certainly the first packet of a frame
    bool keyframe = false;   ///< carries (part of) a keyframe: an H.264 IDR slice, a VP8 key frame start
};

/// Inspects one RTP payload of the given format.
VideoPacketInfo inspectVideoPayload(VideoPayloadFormat format, std::span<const std::uint8_t> payload);

/// How depacketising a frame went.
enum class VideoDepacketize {
    Ok,           ///< `out` holds the frame
    BadPayload,   ///< a payload is malformed or the packets do not fit together
    MissingStart, ///< the frame does not begin with its first packet (an FU-A without its start)
};

/// Joins the payloads of one frame (in sequence order) into `out` (cleared first): an Annex B
/// access unit for H.264 (00 00 00 01 before each NAL unit), the bare frame for VP8.
/// `keyframe` is set when the frame is a keyframe (H.264: holds an IDR slice; VP8: P bit 0).
VideoDepacketize depacketizeVideo(VideoPayloadFormat format,
                                  std::span<const std::span<const std::uint8_t>> payloads,
                                  std::vector<std::uint8_t>& out, bool& keyframe);

} // namespace vphone::media
