// Opus (RFC 6716) for RTP (RFC 7587) through libopus.
//
// Theory of operation: RFC 7587 fixes the RTP clock at 48000 Hz and the rtpmap at opus/48000/2
// whatever is actually coded; everything else is negotiated in fmtp, where each side states what
// it wants to *receive*. So the fmtp the remote party sent shapes our encoder:
// maxaveragebitrate caps our bitrate, maxplaybackrate caps our coded bandwidth, stereo=1 lets us
// code stereo (absent or 0: we downmix to mono; our PCM keeps its channel count), useinbandfec=1 says it can
// use in-band FEC (we then add it, tuned for the expected loss), usedtx=1 asks for DTX and cbr=1 for constant
// bitrate. applyOpusFmtp() turns a base OpusConfig and that map into the encoder settings, with an error
// naming a bad value. The decoder decodes any Opus packet (mono or stereo, 2.5 to 120 ms) into our channel
// count. Loss: conceal() runs Opus PLC (decode with no data) for the last packet's duration; recover()
// decodes the lost frame from the next packet's LBRR data (decode_fec=1) and falls back to PLC
// when that packet carries none. With DTX on, encode() returns 0 bytes for frames that need not
// be sent (libopus: a packet of 2 bytes or less), and the receiver conceals or decodes the gap.
#pragma once

#include "codec/audio_codec.h"

#include <chrono>
#include <memory>

struct OpusEncoder;
struct OpusDecoder;

namespace vphone::media {

/// Encoder and decoder settings for one Opus stream.
struct OpusConfig {
    int channels = 1;                    ///< PCM channels in and out, 1 or 2
    bool sendStereo = true;              ///< with 2 channels: code stereo (false: downmix to mono)
    std::chrono::milliseconds frame{20}; ///< 10, 20, 40 or 60 ms
    int bitrate = 32000;                 ///< bit/s, 6000..510000
    bool inbandFec = false;              ///< add LBRR data so the receiver can rebuild a lost frame
    int expectedLossPercent = 10;        ///< tunes FEC redundancy (0..100)
    bool dtx = false;                    ///< discontinuous transmission in silence
    bool cbr = false;                    ///< constant bitrate
    int complexity = 5;                  ///< 0..10 (5: about 140x real time here)
    int maxBandwidthHz = 48000;          ///< highest sample rate worth coding (from maxplaybackrate)
};

/// Applies the remote party's fmtp (RFC 7587 §6.1) to base. Unknown keys are ignored; a known
/// key with a bad value is an error naming it.
MediaResult<OpusConfig> applyOpusFmtp(OpusConfig base, const FmtpParams& fmtp);

class OpusCodec final : public AudioCodec {
public:
    /// Errors name the bad setting.
    static MediaResult<std::unique_ptr<OpusCodec>> create(const OpusConfig& config);
    ~OpusCodec() override;

    const CodecFormat& format() const override { return format_; }
    const OpusConfig& config() const { return config_; }
    MediaResult<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;
    MediaResult<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) override;
    MediaResult<std::size_t> conceal(std::span<int16_t> pcm) override;
    MediaResult<std::size_t> recover(std::span<const uint8_t> next, std::span<int16_t> pcm) override;

    /// Whether a payload carries LBRR (FEC) data for the frame before it (RFC 6716 §4.2.4).
    static bool hasFec(std::span<const uint8_t> payload);

private:
    explicit OpusCodec(const OpusConfig& config);
    struct EncoderFree {
        void operator()(OpusEncoder* e) const;
    };
    struct DecoderFree {
        void operator()(OpusDecoder* d) const;
    };
    std::size_t lostFrameSamples() const;

    OpusConfig config_;
    CodecFormat format_;
    std::unique_ptr<OpusEncoder, EncoderFree> enc_;
    std::unique_ptr<OpusDecoder, DecoderFree> dec_;
};

} // namespace vphone::media
