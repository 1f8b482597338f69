// G.711 µ-law (PCMU) and A-law (PCMA), RFC 3551 §4.5.14: 8 kHz, one byte per sample.
//
// Theory of operation: the companding follows ITU-T G.711 as in the classic public-domain
// reference (Sun Microsystems' g711.c): µ-law works on the top 14 bits with a bias of 33, A-law on
// the top 13 bits; each code is sign, 3-bit segment, 4-bit step, with the even bits (A-law) or
// all bits (µ-law) inverted on the wire. The per-sample functions are table-free and constexpr;
// G711Codec applies them to a frame and conceals losses by repetition with fade. The tests check
// every code against FFmpeg's pcm_mulaw/pcm_alaw decoders and the encoder against its inverse.
#pragma once

#include "codec/audio_codec.h"
#include "codec/repetition_plc.h"

#include <cstdint>

namespace vphone::media {

namespace g711detail {
constexpr int segmentOf(int value, const int (&ends)[8])
{
    for (int i = 0; i < 8; ++i) {
        if (value <= ends[i]) return i;
    }
    return 8;
}
constexpr int kUlawEnds[8] = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
constexpr int kAlawEnds[8] = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
} // namespace g711detail

/// One 16-bit linear sample to µ-law.
constexpr uint8_t linearToUlaw(int16_t sample)
{
    int value = sample >> 2; // 14-bit magnitude range
    int mask = 0xFF;
    if (value < 0) {
        value = -value;
        mask = 0x7F;
    }
    if (value > 8159) value = 8159; // clip: 8159 + 33 is the top of segment 7
    value += 33;
    const int seg = g711detail::segmentOf(value, g711detail::kUlawEnds);
    if (seg >= 8) return uint8_t(0x7F ^ mask);
    return uint8_t(((seg << 4) | ((value >> (seg + 1)) & 0x0F)) ^ mask);
}

/// One µ-law code to 16-bit linear.
constexpr int16_t ulawToLinear(uint8_t code)
{
    const int u = ~code & 0xFF;
    int t = ((u & 0x0F) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    return int16_t((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

/// One 16-bit linear sample to A-law.
constexpr uint8_t linearToAlaw(int16_t sample)
{
    int value = sample >> 3; // 13-bit range
    int mask = 0xD5;
    if (value < 0) {
        mask = 0x55;
        value = -value - 1;
    }
    const int seg = g711detail::segmentOf(value, g711detail::kAlawEnds);
    if (seg >= 8) return uint8_t(0x7F ^ mask);
    int code = seg << 4;
    code |= seg < 2 ? (value >> 1) & 0x0F : (value >> seg) & 0x0F;
    return uint8_t(code ^ mask);
}

/// One A-law code to 16-bit linear.
constexpr int16_t alawToLinear(uint8_t code)
{
    const int a = code ^ 0x55;
    int t = (a & 0x0F) << 4;
    const int seg = (a & 0x70) >> 4;
    if (seg == 0) {
        t += 8;
    } else {
        t += 0x108;
        t <<= seg - 1;
    }
    return int16_t((a & 0x80) ? t : -t);
}

/// Which G.711 law.
enum class G711Law { Invalid, Ulaw, Alaw };

/// PCMU or PCMA at 8000 Hz mono; frameSamples per packet (160 = 20 ms).
class G711Codec final : public AudioCodec {
public:
    G711Codec(G711Law law, std::size_t frameSamples);

    const CodecFormat& format() const override { return format_; }
    MediaResult<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;
    MediaResult<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) override;
    MediaResult<std::size_t> conceal(std::span<int16_t> pcm) override;

private:
    G711Law law_;
    CodecFormat format_;
    RepetitionPlc plc_;
};

} // namespace vphone::media
