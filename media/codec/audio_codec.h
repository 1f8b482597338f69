// The audio codec interface the media engine drives, one instance per call stream.
//
// Theory of operation: a codec turns one frame of interleaved int16 PCM at format().sampleRate
// into one RTP payload and back. The caller owns every buffer (spans in, counts out), so after
// construction a codec allocates nothing of its own per frame and can run on the media thread.
// Loss is handled by the receiver calling conceal() for a missing frame, or recover() when the
// packet after the gap has arrived (Opus can rebuild the lost frame from that packet's in-band
// FEC; the others conceal). RTP timestamps advance by rtpTimestampStep() per frame, which differs
// from frameSamples for G.722 (RFC 3551 §4.5.2: an 8000 Hz clock for 16 kHz audio).
#pragma once

#include "dsp/media_result.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>

namespace vphone::media {

/// fmtp parameters of one payload type (RFC 4566 a=fmtp), already split into key=value pairs.
/// Keys are compared as given; SDP parsing lower-cases them.
using FmtpParams = std::map<std::string, std::string, std::less<>>;

/// What a codec instance carries and at what clocks.
struct CodecFormat {
    std::string encodingName;        ///< rtpmap encoding name: "opus", "PCMU", "PCMA", "G722"
    int sampleRate = 8000;           ///< PCM rate in and out of the codec, Hz
    int rtpClockRate = 8000;         ///< RTP timestamp rate (rtpmap), Hz
    int channels = 1;                ///< PCM channels (interleaved)
    std::size_t frameSamples = 0;    ///< samples per channel in one encoded frame
    std::size_t maxPayloadBytes = 0; ///< an encode() output buffer of this size always suffices
    /// PCM samples (all channels) in one frame: the size encode() takes and decode() gives.
    std::size_t frameLength() const { return frameSamples * std::size_t(channels); }
    /// RTP timestamp units per frame.
    std::uint32_t rtpTimestampStep() const
    {
        return std::uint32_t(frameSamples * std::size_t(rtpClockRate) / std::size_t(sampleRate));
    }
};

class AudioCodec {
public:
    virtual ~AudioCodec() = default;

    /// Format of this instance (fixed at creation).
    virtual const CodecFormat& format() const = 0;

    /// Encodes exactly format().frameLength() samples into out (at least maxPayloadBytes).
    /// Returns the payload length; 0 means "send nothing" (Opus DTX during silence).
    virtual MediaResult<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) = 0;

    /// Decodes one payload into pcm. Returns samples per channel written, which may differ from
    /// frameSamples when the sender uses another packet time; pcm must hold all of them
    /// (for Opus up to 120 ms, i.e. 5760 samples per channel).
    virtual MediaResult<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) = 0;

    /// Writes one frame (format().frameLength() samples) in place of a lost packet.
    /// Returns samples per channel written.
    virtual MediaResult<std::size_t> conceal(std::span<int16_t> pcm) = 0;

    /// Writes the frame lost just before `next` (which has arrived but is not decoded yet),
    /// rebuilt from next's in-band FEC where the codec has it, otherwise concealed.
    /// Call decode(next) afterwards as usual.
    virtual MediaResult<std::size_t> recover(std::span<const uint8_t> next, std::span<int16_t> pcm)
    {
        (void)next;
        return conceal(pcm);
    }
};

} // namespace vphone::media
