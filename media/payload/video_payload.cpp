#include "payload/video_payload.h"

#include "payload/h264_rtp.h"
#include "payload/vp8_rtp.h"

namespace vphone::media {

VideoPacketInfo inspectVideoPayload(VideoPayloadFormat format, std::span<const std::uint8_t> payload)
{
    VideoPacketInfo info;
    if (format == VideoPayloadFormat::H264) {
        const H264PacketInfo h = inspectH264(payload);
        info.valid = h.error == H264PayloadError::None;
        info.frameStart = info.valid && h.frameStart;
        info.keyframe = info.valid && h.idr;
        return info;
    }
    const Vp8Parse v = parseVp8Descriptor(payload);
    info.valid = v.ok();
    info.frameStart = v.frameStart();
    // RFC 7741 §4.3: P, the lowest bit of the first payload header byte, is 0 for a key frame.
    info.keyframe = info.frameStart && (payload[v.descriptor.size] & 0x01) == 0;
    return info;
}

VideoDepacketize depacketizeVideo(VideoPayloadFormat format,
                                  std::span<const std::span<const std::uint8_t>> payloads,
                                  std::vector<std::uint8_t>& out, bool& keyframe)
{
    keyframe = false;
    if (format == VideoPayloadFormat::H264) {
        H264Depacketizer d(out);
        for (const auto& p : payloads) {
            const H264PayloadError e = d.add(p);
            if (e == H264PayloadError::FuMissingStart) return VideoDepacketize::MissingStart;
            if (e != H264PayloadError::None) return VideoDepacketize::BadPayload;
        }
        if (d.finish() != H264PayloadError::None) return VideoDepacketize::BadPayload;
        if (out.empty()) return VideoDepacketize::BadPayload;
        keyframe = d.idr();
        return VideoDepacketize::Ok;
    }
    out.clear();
    bool first = true;
    for (const auto& p : payloads) {
        const Vp8Parse v = parseVp8Descriptor(p);
        if (!v.ok()) return VideoDepacketize::BadPayload;
        if (first) {
            if (!v.frameStart()) return VideoDepacketize::MissingStart;
            keyframe = (p[v.descriptor.size] & 0x01) == 0;
        }
        first = false;
        out.insert(out.end(), p.begin() + static_cast<std::ptrdiff_t>(v.descriptor.size), p.end());
    }
    if (out.empty()) return VideoDepacketize::BadPayload;
    return VideoDepacketize::Ok;
}

} // namespace vphone::media
