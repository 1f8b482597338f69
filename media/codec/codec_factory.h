// Makes an AudioCodec from what SDP negotiated: rtpmap encoding name, clock rate and channels,
// fmtp parameters and the packet time.
#pragma once

#include "codec/audio_codec.h"
#include "codec/opus_codec.h"

#include <chrono>
#include <memory>
#include <string>

namespace vphone::media {

/// One negotiated audio payload type.
struct CodecRequest {
    std::string encodingName; ///< rtpmap name, case-insensitive (RFC 4855 §3): opus, PCMU, PCMA, G722
    int clockRate = 8000;     ///< rtpmap clock rate (opus: 48000; G722: 8000)
    int channels = 1;         ///< PCM channels wanted; opus only: 1 or 2
    std::chrono::milliseconds ptime{20};
    FmtpParams fmtp; ///< the remote party's fmtp for this payload type
    OpusConfig opus; ///< our own Opus preferences, before the remote's fmtp
};

/// Errors name the unsupported codec or the bad parameter.
MediaResult<std::unique_ptr<AudioCodec>> makeAudioCodec(const CodecRequest& request);

} // namespace vphone::media
