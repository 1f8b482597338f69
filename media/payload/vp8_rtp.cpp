#include "payload/vp8_rtp.h"

#include <algorithm>

namespace vphone::media {

std::string_view toString(Vp8PayloadError error)
{
    switch (error) {
    case Vp8PayloadError::None: return "ok";
    case Vp8PayloadError::Empty: return "empty";
    case Vp8PayloadError::ExtensionPastEnd: return "extension past end";
    case Vp8PayloadError::NoPayload: return "no payload";
    case Vp8PayloadError::Count: break;
    }
    return "unknown";
}

Vp8Parse parseVp8Descriptor(std::span<const std::uint8_t> payload)
{
    Vp8Parse r;
    if (payload.empty()) {
        r.error = Vp8PayloadError::Empty;
        return r;
    }
    Vp8Descriptor& d = r.descriptor;
    const std::uint8_t b0 = payload[0];
    d.nonReference = (b0 & 0x20) != 0;
    d.start = (b0 & 0x10) != 0;
    d.partitionId = b0 & 0x07;
    std::size_t pos = 1;
    auto need = [&](std::size_t n) { return payload.size() - pos >= n; };
    if (b0 & 0x80) {
        if (!need(1)) {
            r.error = Vp8PayloadError::ExtensionPastEnd;
            return r;
        }
        const std::uint8_t x = payload[pos++];
        if (x & 0x80) { // I: picture ID, M selects 15 bits
            if (!need(1)) {
                r.error = Vp8PayloadError::ExtensionPastEnd;
                return r;
            }
            if (payload[pos] & 0x80) {
                if (!need(2)) {
                    r.error = Vp8PayloadError::ExtensionPastEnd;
                    return r;
                }
                d.longPictureId = true;
                d.pictureId = static_cast<std::uint16_t>((payload[pos] & 0x7f) << 8 | payload[pos + 1]);
                pos += 2;
            } else {
                d.pictureId = payload[pos] & 0x7f;
                pos += 1;
            }
        }
        if (x & 0x40) { // L: TL0PICIDX
            if (!need(1)) {
                r.error = Vp8PayloadError::ExtensionPastEnd;
                return r;
            }
            d.tl0PicIdx = payload[pos++];
        }
        if (x & 0x30) { // T or K: |TID|Y|KEYIDX|
            if (!need(1)) {
                r.error = Vp8PayloadError::ExtensionPastEnd;
                return r;
            }
            const std::uint8_t b = payload[pos++];
            if (x & 0x20) {
                d.tid = static_cast<std::uint8_t>(b >> 6);
                d.layerSync = (b & 0x20) != 0;
            }
            if (x & 0x10) d.keyIdx = b & 0x1f;
        }
    }
    d.size = pos;
    if (pos >= payload.size()) r.error = Vp8PayloadError::NoPayload;
    return r;
}

Vp8Packetizer::Vp8Packetizer(std::size_t maxPayload, std::uint16_t firstPictureId)
    : maxPayload_(std::max<std::size_t>(maxPayload, 5)), pictureId_(firstPictureId & 0x7fff)
{}

std::size_t Vp8Packetizer::packetize(std::span<const std::uint8_t> frame,
                                     std::vector<std::vector<std::uint8_t>>& out)
{
    out.clear();
    if (frame.empty()) return 0;
    constexpr std::size_t kDescriptor = 4;
    const std::size_t room = maxPayload_ - kDescriptor;
    const std::size_t count = (frame.size() + room - 1) / room;
    std::size_t pos = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t len = (frame.size() - pos + (count - k) - 1) / (count - k);
        std::vector<std::uint8_t> p;
        p.reserve(kDescriptor + len);
        p.push_back(static_cast<std::uint8_t>(0x80 | (k == 0 ? 0x10 : 0))); // X, S, PID 0
        p.push_back(0x80);                                                  // I
        p.push_back(static_cast<std::uint8_t>(0x80 | pictureId_ >> 8));     // M, picture ID
        p.push_back(static_cast<std::uint8_t>(pictureId_ & 0xff));
        p.insert(p.end(), frame.begin() + static_cast<std::ptrdiff_t>(pos),
                 frame.begin() + static_cast<std::ptrdiff_t>(pos + len));
        pos += len;
        out.push_back(std::move(p));
    }
    pictureId_ = (pictureId_ + 1) & 0x7fff;
    return out.size();
}

} // namespace vphone::media
