// RTP header codec (RFC 3550 §5.1, §5.3.1) and shared-port demultiplexing (RFC 5761, RFC 7983).
#include "rtp_packet.h"

#include "bytes.h"

#include <algorithm>

namespace vphone::media {

using namespace bytes;

std::string_view toString(RtpError error)
{
    switch (error) {
    case RtpError::None: return "ok";
    case RtpError::TooShort: return "too short";
    case RtpError::BadVersion: return "bad version";
    case RtpError::CsrcPastEnd: return "csrc past end";
    case RtpError::ExtensionPastEnd: return "extension past end";
    case RtpError::PaddingZero: return "zero padding count";
    case RtpError::PaddingPastEnd: return "padding past end";
    case RtpError::Count: break;
    }
    return "unknown";
}

RtpParse parseRtp(std::span<const std::uint8_t> d)
{
    RtpParse r;
    if (d.size() < 12) {
        r.error = RtpError::TooShort;
        return r;
    }
    if ((d[0] >> 6) != 2) {
        r.error = RtpError::BadVersion;
        return r;
    }
    const bool padding = (d[0] & 0x20) != 0;
    RtpHeader& h = r.packet.header;
    h.hasExtension = (d[0] & 0x10) != 0;
    h.csrcCount = d[0] & 0x0f;
    h.marker = (d[1] & 0x80) != 0;
    h.payloadType = d[1] & 0x7f;
    h.sequenceNumber = be16(&d[2]);
    h.timestamp = be32(&d[4]);
    h.ssrc = be32(&d[8]);
    std::size_t pos = 12;
    if (d.size() - pos < std::size_t{h.csrcCount} * 4) {
        r.error = RtpError::CsrcPastEnd;
        return r;
    }
    for (std::size_t i = 0; i < h.csrcCount; ++i, pos += 4)
        h.csrcs[i] = be32(&d[pos]);
    if (h.hasExtension) {
        // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words (header excluded).
        if (d.size() - pos < 4) {
            r.error = RtpError::ExtensionPastEnd;
            return r;
        }
        h.extensionProfile = be16(&d[pos]);
        const std::size_t words = be16(&d[pos + 2]);
        pos += 4;
        if (d.size() - pos < words * 4) {
            r.error = RtpError::ExtensionPastEnd;
            return r;
        }
        h.extension = d.subspan(pos, words * 4);
        pos += words * 4;
    }
    std::size_t pad = 0;
    if (padding) {
        // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
        pad = d.back();
        if (pad == 0) {
            r.error = RtpError::PaddingZero;
            return r;
        }
        if (pad > d.size() - pos) {
            r.error = RtpError::PaddingPastEnd;
            return r;
        }
    }
    r.packet.headerSize = pos;
    r.packet.paddingSize = pad;
    r.packet.payload = d.subspan(pos, d.size() - pos - pad);
    return r;
}

std::size_t rtpSize(const RtpHeader& h, std::size_t payloadSize, std::uint8_t padding)
{
    std::size_t n = 12 + std::size_t{h.csrcCount} * 4 + payloadSize + padding;
    if (h.hasExtension) n += 4 + h.extension.size();
    return n;
}

std::size_t writeRtp(const RtpHeader& h, std::span<const std::uint8_t> payload, std::span<std::uint8_t> out,
                     std::uint8_t padding)
{
    if (h.payloadType > 127 || h.csrcCount > 15) return 0;
    if (h.hasExtension && (h.extension.size() % 4 != 0 || h.extension.size() / 4 > 0xffff)) return 0;
    const std::size_t size = rtpSize(h, payload.size(), padding);
    if (out.size() < size) return 0;
    std::uint8_t* p = out.data();
    p[0] = static_cast<std::uint8_t>(0x80 | (padding ? 0x20 : 0) | (h.hasExtension ? 0x10 : 0) | h.csrcCount);
    p[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0) | h.payloadType);
    put16(p + 2, h.sequenceNumber);
    put32(p + 4, h.timestamp);
    put32(p + 8, h.ssrc);
    std::size_t pos = 12;
    for (std::size_t i = 0; i < h.csrcCount; ++i, pos += 4)
        put32(p + pos, h.csrcs[i]);
    if (h.hasExtension) {
        put16(p + pos, h.extensionProfile);
        put16(p + pos + 2, static_cast<std::uint16_t>(h.extension.size() / 4));
        pos += 4;
        std::copy(h.extension.begin(), h.extension.end(), p + pos);
        pos += h.extension.size();
    }
    std::copy(payload.begin(), payload.end(), p + pos);
    pos += payload.size();
    if (padding) {
        std::fill(p + pos, p + pos + padding - 1, std::uint8_t{0});
        p[pos + padding - 1] = padding;
        pos += padding;
    }
    return pos;
}

std::vector<std::uint8_t> serializeRtp(const RtpHeader& header, std::span<const std::uint8_t> payload,
                                       std::uint8_t padding)
{
    std::vector<std::uint8_t> out(rtpSize(header, payload.size(), padding));
    out.resize(writeRtp(header, payload, out, padding));
    return out;
}

DatagramKind classifyDatagram(std::span<const std::uint8_t> d)
{
    if (d.empty()) return DatagramKind::Invalid;
    const std::uint8_t b = d[0];
    if (b <= 3) return DatagramKind::Stun;
    if (b >= 20 && b <= 63) return DatagramKind::Dtls;
    if (b >= 128 && b <= 191) {
        if (d.size() < 2) return DatagramKind::Invalid;
        return d[1] >= 192 && d[1] <= 223 ? DatagramKind::Rtcp : DatagramKind::Rtp;
    }
    return DatagramKind::Invalid;
}

} // namespace vphone::media
