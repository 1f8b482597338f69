// G.722 (RFC 3551 §4.5.2) through FFmpeg's adpcm_g722 encoder and decoder.
//
// Theory of operation: G.722 samples at 16 kHz and codes two samples per byte (64 kbit/s), but
// its RTP clock runs at 8000 Hz for historical reasons, so format() reports sampleRate 16000 and
// rtpClockRate 8000 and a 20 ms frame (320 samples) advances the RTP timestamp by 160. The
// FFmpeg contexts, the AVFrame and the AVPacket are made once; per frame only FFmpeg's small
// reference-counting structs are allocated inside libavcodec (fine on the media thread, never
// on a device callback). Losses are concealed by repetition with fade.
#pragma once

#include "codec/audio_codec.h"
#include "codec/repetition_plc.h"

#include <memory>

struct AVCodecContext;
struct AVFrame;
struct AVPacket;

namespace vphone::media {

class G722Codec final : public AudioCodec {
public:
    /// frameSamples at 16 kHz (320 = 20 ms); even, at most 2880 (180 ms).
    static MediaResult<std::unique_ptr<G722Codec>> create(std::size_t frameSamples);
    ~G722Codec() override;

    const CodecFormat& format() const override { return format_; }
    MediaResult<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;
    MediaResult<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) override;
    MediaResult<std::size_t> conceal(std::span<int16_t> pcm) override;

private:
    explicit G722Codec(std::size_t frameSamples);
    struct Ff;
    CodecFormat format_;
    RepetitionPlc plc_;
    std::unique_ptr<Ff> ff_;
};

} // namespace vphone::media
