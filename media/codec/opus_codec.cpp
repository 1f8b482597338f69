#include "codec/opus_codec.h"

#include <opus.h>

#include <charconv>
#include <string>

namespace vphone::media {

namespace {

constexpr int kRate = 48000;
constexpr std::size_t kMaxPacketSamples = 5760; // 120 ms at 48 kHz

MediaResult<long> fmtpNumber(const FmtpParams& fmtp, const char* key, long min, long max, bool& present)
{
    present = false;
    const auto it = fmtp.find(key);
    if (it == fmtp.end()) return 0L;
    present = true;
    const std::string& text = it->second;
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return mediaError(std::string("fmtp ") + key + ": '" + text + "' is not a number");
    }
    if (value < min || value > max) {
        return mediaError(std::string("fmtp ") + key + ": " + text + " is outside " + std::to_string(min) +
                          ".." + std::to_string(max));
    }
    return value;
}

int bandwidthFor(int maxBandwidthHz)
{
    // RFC 7587 §3.1.1: the audio bandwidth each maxplaybackrate allows.
    if (maxBandwidthHz <= 8000) return OPUS_BANDWIDTH_NARROWBAND;
    if (maxBandwidthHz <= 12000) return OPUS_BANDWIDTH_MEDIUMBAND;
    if (maxBandwidthHz <= 16000) return OPUS_BANDWIDTH_WIDEBAND;
    if (maxBandwidthHz <= 24000) return OPUS_BANDWIDTH_SUPERWIDEBAND;
    return OPUS_BANDWIDTH_FULLBAND;
}

} // namespace

MediaResult<OpusConfig> applyOpusFmtp(OpusConfig base, const FmtpParams& fmtp)
{
    bool present = false;
    // RFC 7587 §6.1: maxaveragebitrate 6000..510000; the booleans are 0 or 1;
    // maxplaybackrate is any positive rate (8000..48000 meaningful, higher means fullband).
    auto bitrate = fmtpNumber(fmtp, "maxaveragebitrate", 6000, 510000, present);
    if (!bitrate) return bitrate.error();
    if (present && *bitrate < base.bitrate) base.bitrate = int(*bitrate);
    auto playback = fmtpNumber(fmtp, "maxplaybackrate", 1, 1000000, present);
    if (!playback) return playback.error();
    if (present && *playback < base.maxBandwidthHz) base.maxBandwidthHz = int(*playback);
    auto stereo = fmtpNumber(fmtp, "stereo", 0, 1, present);
    if (!stereo) return stereo.error();
    base.sendStereo = present && *stereo == 1; // §6.1: absent means mono is preferred
    auto fec = fmtpNumber(fmtp, "useinbandfec", 0, 1, present);
    if (!fec) return fec.error();
    base.inbandFec = present && *fec == 1;
    auto dtx = fmtpNumber(fmtp, "usedtx", 0, 1, present);
    if (!dtx) return dtx.error();
    base.dtx = present && *dtx == 1;
    auto cbr = fmtpNumber(fmtp, "cbr", 0, 1, present);
    if (!cbr) return cbr.error();
    base.cbr = present && *cbr == 1;
    return base;
}

void OpusCodec::EncoderFree::operator()(OpusEncoder* e) const
{
    opus_encoder_destroy(e);
}

void OpusCodec::DecoderFree::operator()(OpusDecoder* d) const
{
    opus_decoder_destroy(d);
}

OpusCodec::OpusCodec(const OpusConfig& config)
    : config_(config),
      format_{"opus", kRate, kRate, config.channels, std::size_t(kRate / 1000 * config.frame.count()),
              // RFC 6716 §3.4: at most 1275 bytes per frame; two frames for 40/60 ms code 1/3 packets.
              1275 * std::size_t((config.frame.count() + 19) / 20) + 8}
{}

OpusCodec::~OpusCodec() = default;

MediaResult<std::unique_ptr<OpusCodec>> OpusCodec::create(const OpusConfig& c)
{
    if (c.channels != 1 && c.channels != 2) {
        return mediaError("opus: " + std::to_string(c.channels) + " channels (only 1 or 2)");
    }
    const auto ms = c.frame.count();
    if (ms != 10 && ms != 20 && ms != 40 && ms != 60) {
        return mediaError("opus: frame of " + std::to_string(ms) + " ms (only 10, 20, 40 or 60)");
    }
    if (c.bitrate < 6000 || c.bitrate > 510000) {
        return mediaError("opus: bitrate " + std::to_string(c.bitrate) + " is outside 6000..510000");
    }
    if (c.complexity < 0 || c.complexity > 10) {
        return mediaError("opus: complexity " + std::to_string(c.complexity) + " is outside 0..10");
    }
    if (c.expectedLossPercent < 0 || c.expectedLossPercent > 100) {
        return mediaError("opus: expected loss " + std::to_string(c.expectedLossPercent) +
                          "% is outside 0..100");
    }
    if (c.maxBandwidthHz < 1) return mediaError("opus: maximum bandwidth must be positive");

    std::unique_ptr<OpusCodec> codec(new OpusCodec(c));
    int err = OPUS_OK;
    codec->enc_.reset(opus_encoder_create(kRate, c.channels, OPUS_APPLICATION_VOIP, &err));
    if (err != OPUS_OK || !codec->enc_) return mediaError(std::string("opus encoder: ") + opus_strerror(err));
    codec->dec_.reset(opus_decoder_create(kRate, c.channels, &err));
    if (err != OPUS_OK || !codec->dec_) return mediaError(std::string("opus decoder: ") + opus_strerror(err));

    OpusEncoder* enc = codec->enc_.get();
    const int settings[] = {
        opus_encoder_ctl(enc, OPUS_SET_BITRATE(c.bitrate)),
        opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(c.complexity)),
        opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(c.inbandFec ? 1 : 0)),
        opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(c.inbandFec ? c.expectedLossPercent : 0)),
        opus_encoder_ctl(enc, OPUS_SET_DTX(c.dtx ? 1 : 0)),
        opus_encoder_ctl(enc, OPUS_SET_VBR(c.cbr ? 0 : 1)),
        opus_encoder_ctl(enc, OPUS_SET_MAX_BANDWIDTH(bandwidthFor(c.maxBandwidthHz))),
        opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)),
        opus_encoder_ctl(enc, OPUS_SET_FORCE_CHANNELS(c.channels == 2 && !c.sendStereo ? 1 : OPUS_AUTO)),
    };
    for (int rc : settings) {
        if (rc != OPUS_OK) return mediaError(std::string("opus encoder setting: ") + opus_strerror(rc));
    }
    return codec;
}

MediaResult<std::size_t> OpusCodec::encode(std::span<const int16_t> pcm, std::span<uint8_t> out)
{
    if (pcm.size() != format_.frameLength()) {
        return mediaError("opus encode: frame of " + std::to_string(pcm.size()) + " samples, expected " +
                          std::to_string(format_.frameLength()));
    }
    const opus_int32 cap = opus_int32(std::min<std::size_t>(out.size(), 1 << 20));
    const int n = opus_encode(enc_.get(), pcm.data(), int(format_.frameSamples), out.data(), cap);
    if (n < 0) return mediaError(std::string("opus encode: ") + opus_strerror(n));
    // libopus: with DTX, a packet of 2 bytes or less need not be transmitted.
    if (config_.dtx && n <= 2) return std::size_t{0};
    return std::size_t(n);
}

MediaResult<std::size_t> OpusCodec::decode(std::span<const uint8_t> payload, std::span<int16_t> pcm)
{
    if (payload.empty()) return mediaError("opus decode: empty payload");
    const int maxSamples = int(std::min(pcm.size() / std::size_t(config_.channels), kMaxPacketSamples));
    const int n =
        opus_decode(dec_.get(), payload.data(), opus_int32(payload.size()), pcm.data(), maxSamples, 0);
    if (n < 0) return mediaError(std::string("opus decode: ") + opus_strerror(n));
    return std::size_t(n);
}

std::size_t OpusCodec::lostFrameSamples() const
{
    opus_int32 last = 0;
    opus_decoder_ctl(dec_.get(), OPUS_GET_LAST_PACKET_DURATION(&last));
    return last > 0 ? std::size_t(last) : format_.frameSamples;
}

MediaResult<std::size_t> OpusCodec::conceal(std::span<int16_t> pcm)
{
    const std::size_t samples = lostFrameSamples();
    if (pcm.size() < samples * std::size_t(config_.channels))
        return mediaError("opus conceal: buffer too small");
    const int n = opus_decode(dec_.get(), nullptr, 0, pcm.data(), int(samples), 0);
    if (n < 0) return mediaError(std::string("opus conceal: ") + opus_strerror(n));
    return std::size_t(n);
}

MediaResult<std::size_t> OpusCodec::recover(std::span<const uint8_t> next, std::span<int16_t> pcm)
{
    if (next.empty()) return conceal(pcm);
    // The lost frame had the duration of the packets around it; use the next one's.
    const int perFrame = opus_packet_get_samples_per_frame(next.data(), kRate);
    if (perFrame <= 0) return mediaError("opus recover: next packet is not Opus");
    if (pcm.size() < std::size_t(perFrame) * std::size_t(config_.channels)) {
        return mediaError("opus recover: buffer too small");
    }
    const int n = opus_decode(dec_.get(), next.data(), opus_int32(next.size()), pcm.data(), perFrame, 1);
    if (n < 0) return mediaError(std::string("opus recover: ") + opus_strerror(n));
    return std::size_t(n);
}

bool OpusCodec::hasFec(std::span<const uint8_t> payload)
{
    if (payload.empty()) return false;
    const int config = payload[0] >> 3;
    if (config >= 16) return false; // CELT-only: no LBRR
    int silkFrames = 1;
    if (config < 12) {
        const int size = config & 3; // 10, 20, 40, 60 ms
        silkFrames = size == 2 ? 2 : size == 3 ? 3 : 1;
    }
    const int channels = (payload[0] & 0x4) ? 2 : 1;
    const unsigned char* frames[48];
    opus_int16 sizes[48];
    int offset = 0;
    const int count =
        opus_packet_parse(payload.data(), opus_int32(payload.size()), nullptr, frames, sizes, &offset);
    if (count <= 0 || sizes[0] == 0) return false;
    // RFC 6716 §4.2.3-4: the first SILK frame opens with one VAD flag per SILK frame and then the
    // LBRR flag, per channel, each coded with probability 1/2, i.e. as plain leading bits.
    for (int ch = 0; ch < channels; ++ch) {
        const int bit = (ch + 1) * (silkFrames + 1) - 1;
        if (frames[0][0] & (0x80 >> bit)) return true;
    }
    return false;
}

} // namespace vphone::media
