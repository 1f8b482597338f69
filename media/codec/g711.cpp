#include "codec/g711.h"

#include <string>

namespace vphone::media {

G711Codec::G711Codec(G711Law law, std::size_t frameSamples)
    : law_(law), format_{law == G711Law::Alaw ? "PCMA" : "PCMU", 8000, 8000, 1, frameSamples, frameSamples},
      plc_(frameSamples, 1)
{}

MediaResult<std::size_t> G711Codec::encode(std::span<const int16_t> pcm, std::span<uint8_t> out)
{
    if (pcm.size() != format_.frameSamples) {
        return mediaError(format_.encodingName + " encode: frame of " + std::to_string(pcm.size()) +
                          " samples, expected " + std::to_string(format_.frameSamples));
    }
    if (out.size() < pcm.size()) return mediaError(format_.encodingName + " encode: output buffer too small");
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        out[i] = law_ == G711Law::Alaw ? linearToAlaw(pcm[i]) : linearToUlaw(pcm[i]);
    }
    return pcm.size();
}

MediaResult<std::size_t> G711Codec::decode(std::span<const uint8_t> payload, std::span<int16_t> pcm)
{
    if (payload.empty()) return mediaError(format_.encodingName + " decode: empty payload");
    if (pcm.size() < payload.size()) {
        return mediaError(format_.encodingName + " decode: " + std::to_string(payload.size()) +
                          " samples do not fit a buffer of " + std::to_string(pcm.size()));
    }
    for (std::size_t i = 0; i < payload.size(); ++i) {
        pcm[i] = law_ == G711Law::Alaw ? alawToLinear(payload[i]) : ulawToLinear(payload[i]);
    }
    plc_.remember(pcm.first(payload.size()));
    return payload.size();
}

MediaResult<std::size_t> G711Codec::conceal(std::span<int16_t> pcm)
{
    if (pcm.size() < format_.frameSamples)
        return mediaError(format_.encodingName + " conceal: buffer too small");
    return plc_.conceal(pcm);
}

} // namespace vphone::media
