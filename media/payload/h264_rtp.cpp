#include "payload/h264_rtp.h"

#include <algorithm>

namespace vphone::media {

namespace {

constexpr std::uint8_t kTypeMask = 0x1f;
constexpr std::uint8_t kFuStart = 0x80;
constexpr std::uint8_t kFuEnd = 0x40;
constexpr std::uint8_t kStartCode[] = {0, 0, 0, 1};

// H.264 Table 7-1: the NAL unit types a stream carries (RFC 6184 §5.2: 1-23).
bool isNalType(std::uint8_t type)
{
    return type >= 1 && type <= 23;
}

H264PayloadError typeError(std::uint8_t type)
{
    if (type == 25 || type == 26 || type == 27 || type == 29) return H264PayloadError::UnsupportedType;
    return H264PayloadError::ReservedType;
}

// Whether a NAL unit of `type` whose bytes after the NAL header begin with `next` opens an access
// unit (H.264 §7.4.1.2.3): AUD, SEI, SPS, PPS come first; a slice opens one when
// first_mb_in_slice, ue(v) coded, is 0, i.e. its first bit is 1.
bool opensAccessUnit(std::uint8_t type, std::span<const std::uint8_t> next)
{
    switch (type) {
    case 6:
    case 7:
    case 8:
    case 9: return true;
    case 1:
    case 2:
    case 5: return !next.empty() && (next[0] & 0x80) != 0;
    default: return false;
    }
}

void appendNal(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> nal)
{
    out.insert(out.end(), std::begin(kStartCode), std::end(kStartCode));
    out.insert(out.end(), nal.begin(), nal.end());
}

} // namespace

std::string_view toString(H264PayloadError error)
{
    switch (error) {
    case H264PayloadError::None: return "ok";
    case H264PayloadError::Empty: return "empty";
    case H264PayloadError::ReservedType: return "reserved nal type";
    case H264PayloadError::UnsupportedType: return "unsupported nal type";
    case H264PayloadError::StapTruncated: return "stap-a truncated";
    case H264PayloadError::StapEmpty: return "stap-a empty";
    case H264PayloadError::FuTooShort: return "fu-a too short";
    case H264PayloadError::FuStartAndEnd: return "fu-a start and end";
    case H264PayloadError::FuMissingStart: return "fu-a missing start";
    case H264PayloadError::FuMissingEnd: return "fu-a missing end";
    case H264PayloadError::FuTypeMismatch: return "fu-a type mismatch";
    case H264PayloadError::Count: break;
    }
    return "unknown";
}

H264PacketInfo inspectH264(std::span<const std::uint8_t> payload)
{
    H264PacketInfo info;
    if (payload.empty()) {
        info.error = H264PayloadError::Empty;
        return info;
    }
    const std::uint8_t type = payload[0] & kTypeMask;
    info.packetType = type;
    if (isNalType(type)) {
        info.frameStart = opensAccessUnit(type, payload.subspan(1));
        info.idr = type == kH264Idr;
        return info;
    }
    if (type == kH264StapA) {
        // RFC 6184 §5.7.1: 16-bit NAL unit size, then the NAL unit, repeated to the end.
        std::size_t pos = 1;
        bool first = true;
        while (pos < payload.size()) {
            if (payload.size() - pos < 2) {
                info.error = H264PayloadError::StapTruncated;
                return info;
            }
            const std::size_t size = std::size_t{payload[pos]} << 8 | payload[pos + 1];
            pos += 2;
            if (size == 0) {
                info.error = H264PayloadError::StapEmpty;
                return info;
            }
            if (size > payload.size() - pos) {
                info.error = H264PayloadError::StapTruncated;
                return info;
            }
            const std::uint8_t inner = payload[pos] & kTypeMask;
            if (!isNalType(inner)) {
                info.error = typeError(inner);
                return info;
            }
            if (first) info.frameStart = opensAccessUnit(inner, payload.subspan(pos + 1, size - 1));
            first = false;
            info.idr = info.idr || inner == kH264Idr;
            pos += size;
        }
        if (first) info.error = H264PayloadError::StapEmpty;
        return info;
    }
    if (type == kH264FuA) {
        // RFC 6184 §5.8: FU indicator, FU header |S|E|R|Type|, fragment.
        if (payload.size() < 3) {
            info.error = H264PayloadError::FuTooShort;
            return info;
        }
        const std::uint8_t header = payload[1];
        const std::uint8_t inner = header & kTypeMask;
        if ((header & kFuStart) && (header & kFuEnd)) {
            info.error = H264PayloadError::FuStartAndEnd;
            return info;
        }
        if (!isNalType(inner)) {
            info.error = typeError(inner);
            return info;
        }
        info.frameStart = (header & kFuStart) && opensAccessUnit(inner, payload.subspan(2));
        info.idr = inner == kH264Idr;
        return info;
    }
    info.error = typeError(type);
    return info;
}

H264Packetizer::H264Packetizer(std::size_t maxPayload) : maxPayload_(std::max<std::size_t>(maxPayload, 3)) {}

std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> stream)
{
    std::vector<std::span<const std::uint8_t>> nals;
    const std::size_t n = stream.size();
    // Position just after the first start code; bytes before it are not a NAL unit.
    auto nextStart = [&](std::size_t from) -> std::size_t {
        for (std::size_t i = from; i + 3 <= n; ++i) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) return i;
        }
        return n;
    };
    std::size_t sc = nextStart(0);
    while (sc < n) {
        const std::size_t begin = sc + 3;
        const std::size_t next = nextStart(begin);
        std::size_t end = next;
        // Zeros before a start code are its leading zero or trailing_zero_8bits (§B.1.1).
        while (end > begin && stream[end - 1] == 0)
            --end;
        if (end > begin) nals.push_back(stream.subspan(begin, end - begin));
        sc = next;
    }
    return nals;
}

std::size_t H264Packetizer::packetize(std::span<const std::uint8_t> accessUnit,
                                      std::vector<std::vector<std::uint8_t>>& out)
{
    out.clear();
    std::vector<std::span<const std::uint8_t>> nals = splitAnnexB(accessUnit);
    std::erase_if(nals, [](std::span<const std::uint8_t> nal) { return !isNalType(nal[0] & kTypeMask); });

    // A NAL unit can join a STAP-A when its 16-bit size fits and it is not fragmented.
    auto aggregatable = [&](std::span<const std::uint8_t> nal) {
        return nal.size() <= 0xffff && nal.size() + 3 <= maxPayload_;
    };
    std::size_t i = 0;
    while (i < nals.size()) {
        const auto nal = nals[i];
        if (nal.size() > maxPayload_) {
            // FU-A: the NAL header becomes the FU indicator (F, NRI) and FU header (type); the
            // rest is cut into near-equal fragments of at most maxPayload - 2 bytes.
            const auto body = nal.subspan(1);
            const std::size_t room = maxPayload_ - 2;
            const std::size_t count = (body.size() + room - 1) / room;
            std::size_t pos = 0;
            for (std::size_t k = 0; k < count; ++k) {
                const std::size_t len = (body.size() - pos + (count - k) - 1) / (count - k);
                std::vector<std::uint8_t> p;
                p.reserve(len + 2);
                p.push_back(static_cast<std::uint8_t>((nal[0] & 0xe0) | kH264FuA));
                std::uint8_t header = nal[0] & kTypeMask;
                if (k == 0) header |= kFuStart;
                if (k + 1 == count) header |= kFuEnd;
                p.push_back(header);
                p.insert(p.end(), body.begin() + static_cast<std::ptrdiff_t>(pos),
                         body.begin() + static_cast<std::ptrdiff_t>(pos + len));
                pos += len;
                out.push_back(std::move(p));
            }
            ++i;
            continue;
        }
        // STAP-A while the next NAL units fit: 1 byte header + (2 + size) each.
        std::size_t j = i;
        std::size_t total = 1;
        while (j < nals.size() && aggregatable(nals[j]) && total + 2 + nals[j].size() <= maxPayload_) {
            total += 2 + nals[j].size();
            ++j;
        }
        if (j - i < 2) {
            out.emplace_back(nal.begin(), nal.end());
            ++i;
            continue;
        }
        std::vector<std::uint8_t> p;
        p.reserve(total);
        std::uint8_t f = 0;
        std::uint8_t nri = 0;
        for (std::size_t k = i; k < j; ++k) {
            f |= nals[k][0] & 0x80;
            nri = std::max<std::uint8_t>(nri, nals[k][0] & 0x60);
        }
        // RFC 6184 §5.7: F is the OR and NRI the maximum of the aggregated NAL units'.
        p.push_back(static_cast<std::uint8_t>(f | nri | kH264StapA));
        for (std::size_t k = i; k < j; ++k) {
            p.push_back(static_cast<std::uint8_t>(nals[k].size() >> 8));
            p.push_back(static_cast<std::uint8_t>(nals[k].size() & 0xff));
            p.insert(p.end(), nals[k].begin(), nals[k].end());
        }
        out.push_back(std::move(p));
        i = j;
    }
    return out.size();
}

H264Depacketizer::H264Depacketizer(std::vector<std::uint8_t>& out) : out_(out)
{
    out_.clear();
}

H264PayloadError H264Depacketizer::add(std::span<const std::uint8_t> payload)
{
    const H264PacketInfo info = inspectH264(payload);
    if (info.error != H264PayloadError::None) return info.error;
    idr_ = idr_ || info.idr;
    if (info.packetType == kH264FuA) {
        const std::uint8_t header = payload[1];
        const std::uint8_t type = header & kTypeMask;
        if (header & kFuStart) {
            if (inFu_) return H264PayloadError::FuMissingEnd;
            // Rebuild the NAL header: F and NRI from the FU indicator, type from the FU header.
            out_.insert(out_.end(), std::begin(kStartCode), std::end(kStartCode));
            out_.push_back(static_cast<std::uint8_t>((payload[0] & 0xe0) | type));
            inFu_ = true;
            fuType_ = type;
        } else if (!inFu_) {
            return H264PayloadError::FuMissingStart;
        } else if (type != fuType_) {
            return H264PayloadError::FuTypeMismatch;
        }
        out_.insert(out_.end(), payload.begin() + 2, payload.end());
        if (header & kFuEnd) inFu_ = false;
        return H264PayloadError::None;
    }
    if (inFu_) return H264PayloadError::FuMissingEnd;
    if (info.packetType == kH264StapA) {
        std::size_t pos = 1;
        while (pos < payload.size()) {
            const std::size_t size = std::size_t{payload[pos]} << 8 | payload[pos + 1];
            pos += 2;
            appendNal(out_, payload.subspan(pos, size));
            pos += size;
        }
        return H264PayloadError::None;
    }
    appendNal(out_, payload);
    return H264PayloadError::None;
}

H264PayloadError H264Depacketizer::finish()
{
    return inFu_ ? H264PayloadError::FuMissingEnd : H264PayloadError::None;
}

} // namespace vphone::media
