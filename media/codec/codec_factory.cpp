#include "codec/codec_factory.h"

#include "codec/g711.h"
#include "codec/g722_codec.h"

#include <algorithm>
#include <cctype>

namespace vphone::media {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string describe(const CodecRequest& r)
{
    return r.encodingName + "/" + std::to_string(r.clockRate);
}

} // namespace

MediaResult<std::unique_ptr<AudioCodec>> makeAudioCodec(const CodecRequest& r)
{
    const auto ms = r.ptime.count();
    if (ms <= 0 || ms > 120)
        return mediaError(describe(r) + ": ptime " + std::to_string(ms) + " ms is outside 1..120");
    if (equalsIgnoreCase(r.encodingName, "opus")) {
        if (r.clockRate != 48000) return mediaError(describe(r) + ": RFC 7587 opus runs at 48000");
        OpusConfig base = r.opus;
        base.channels = r.channels;
        base.frame = r.ptime;
        auto config = applyOpusFmtp(base, r.fmtp);
        if (!config) return config.error();
        auto codec = OpusCodec::create(*config);
        if (!codec) return codec.error();
        return std::unique_ptr<AudioCodec>(std::move(*codec));
    }
    if (r.channels != 1) return mediaError(describe(r) + ": only mono is supported");
    if (equalsIgnoreCase(r.encodingName, "PCMU") || equalsIgnoreCase(r.encodingName, "PCMA")) {
        if (r.clockRate != 8000) return mediaError(describe(r) + ": G.711 runs at 8000");
        const auto law = equalsIgnoreCase(r.encodingName, "PCMA") ? G711Law::Alaw : G711Law::Ulaw;
        return std::unique_ptr<AudioCodec>(std::make_unique<G711Codec>(law, std::size_t(8 * ms)));
    }
    if (equalsIgnoreCase(r.encodingName, "G722")) {
        // RFC 3551 §4.5.2: the RTP clock says 8000 although G.722 samples at 16000.
        if (r.clockRate != 8000) return mediaError(describe(r) + ": G722's RTP clock rate is 8000");
        auto codec = G722Codec::create(std::size_t(16 * ms));
        if (!codec) return codec.error();
        return std::unique_ptr<AudioCodec>(std::move(*codec));
    }
    return mediaError(describe(r) + ": unsupported codec (opus, PCMU, PCMA and G722 are)");
}

} // namespace vphone::media
