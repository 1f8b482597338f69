// RTCP compound codec (RFC 3550 §6.4–6.6, RFC 4585 §6.1–6.3, RFC 5104 §4.2.1–4.3.1,
// draft-alvestrand-rmcat-remb §2.2).
#include "rtcp_packet.h"

#include "bytes.h"

#include <algorithm>

namespace vphone::media {

using namespace bytes;

namespace {

constexpr std::size_t kMaxCount = 31;                 // 5-bit RC / SC fields
constexpr std::size_t kMaxText = 255;                 // 8-bit SDES item / BYE reason length
constexpr std::uint8_t kSdesCname = 1;                // RFC 3550 §6.5.1
constexpr std::uint8_t kFmtNack = 1;                  // RFC 4585 §6.2.1
constexpr std::uint8_t kFmtTmmbr = 3;                 // RFC 5104 §4.2.1
constexpr std::uint8_t kFmtTmmbn = 4;                 // RFC 5104 §4.2.2
constexpr std::uint8_t kFmtPli = 1;                   // RFC 4585 §6.3.1
constexpr std::uint8_t kFmtFir = 4;                   // RFC 5104 §4.3.1
constexpr std::uint8_t kFmtAfb = 15;                  // RFC 4585 §6.4: application layer feedback (REMB)
constexpr std::uint32_t kRembIdentifier = 0x52454d42; // "REMB"
constexpr unsigned kRembMantissaBits = 18;
constexpr unsigned kTmmbrMantissaBits = 17;

// mantissa × 2^exp, saturated to the largest value `bits` of mantissa can express in 64 bits.
std::uint64_t decodeBitrate(std::uint32_t mantissa, unsigned exp, unsigned bits)
{
    if (mantissa == 0) return 0;
    unsigned width = 0;
    while (width < 32 && (mantissa >> width) != 0)
        ++width;
    if (exp + width > 64) return ((std::uint64_t{1} << bits) - 1) << (64 - bits);
    return std::uint64_t{mantissa} << exp;
}

struct Mantissa {
    unsigned exp = 0;
    std::uint32_t mantissa = 0;
};

// The smallest exponent that fits the mantissa in `bits`: exact when the value is representable,
// rounded down otherwise. At most 64 - bits, so it always fits the 6-bit field.
Mantissa encodeBitrate(std::uint64_t bps, unsigned bits)
{
    Mantissa m;
    while ((bps >> m.exp) >= (std::uint64_t{1} << bits))
        ++m.exp;
    m.mantissa = static_cast<std::uint32_t>(bps >> m.exp);
    return m;
}

// TMMBR/TMMBN FCI (RFC 5104 §4.2.1.1): SSRC, then exp(6) | mantissa(17) | overhead(9). A partial
// trailing entry is ignored, as for FIR.
std::vector<Tmmbr::Entry> readTmmbrEntries(std::span<const std::uint8_t> fci)
{
    std::vector<Tmmbr::Entry> entries;
    for (std::size_t i = 0; i + 8 <= fci.size(); i += 8) {
        const std::uint32_t word = be32(&fci[i + 4]);
        entries.push_back({be32(&fci[i]),
                           decodeBitrate((word >> 9) & 0x1ffff, word >> 26, kTmmbrMantissaBits),
                           static_cast<std::uint16_t>(word & 0x1ff)});
    }
    return entries;
}

// REMB FCI (draft-alvestrand-rmcat-remb §2.2): "REMB", num SSRC(8) | exp(6) | mantissa(18), SSRCs.
// Returns false when the SSRC list runs past the packet; sets `known` false without the identifier.
bool readRemb(std::uint32_t sender, std::span<const std::uint8_t> fci, RtcpParse& out, bool& known)
{
    if (fci.size() < 4 || be32(&fci[0]) != kRembIdentifier) {
        known = false;
        return true;
    }
    if (fci.size() < 8) return false;
    const std::uint32_t word = be32(&fci[4]);
    const std::size_t count = word >> 24;
    if ((fci.size() - 8) / 4 < count) return false;
    Remb remb{sender, decodeBitrate(word & 0x3ffff, (word >> 18) & 0x3f, kRembMantissaBits), {}};
    remb.ssrcs.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        remb.ssrcs.push_back(be32(&fci[8 + i * 4]));
    out.packets.emplace_back(std::move(remb));
    return true;
}

ReportBlock readBlock(const std::uint8_t* p)
{
    ReportBlock b;
    b.ssrc = be32(p);
    b.fractionLost = p[4];
    std::uint32_t lost = be24(p + 5);
    // Sign-extend the 24-bit cumulative count (RFC 3550 §6.4.1: it may go negative with duplicates).
    b.cumulativeLost =
        (lost & 0x800000) ? static_cast<std::int32_t>(lost | 0xff000000u) : static_cast<std::int32_t>(lost);
    b.extendedHighestSeq = be32(p + 8);
    b.jitter = be32(p + 12);
    b.lsr = be32(p + 16);
    b.dlsr = be32(p + 20);
    return b;
}

bool readBlocks(std::span<const std::uint8_t> body, std::size_t count, std::vector<ReportBlock>& out)
{
    if (body.size() < count * 24) return false;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(readBlock(body.data() + i * 24));
    return true;
}

bool readSdes(std::span<const std::uint8_t> body, std::size_t count, Sdes& sdes)
{
    std::size_t pos = 0;
    for (std::size_t c = 0; c < count; ++c) {
        if (body.size() - pos < 4) return false;
        SdesChunk chunk;
        chunk.ssrc = be32(&body[pos]);
        pos += 4;
        for (;;) {
            if (pos >= body.size()) return false; // no END item
            const std::uint8_t type = body[pos];
            if (type == 0) {
                // END: then null octets up to the next 32-bit boundary (RFC 3550 §6.5).
                pos = (pos + 4) & ~std::size_t{3};
                break;
            }
            if (body.size() - pos < 2 || body.size() - pos - 2 < body[pos + 1]) return false;
            const std::size_t len = body[pos + 1];
            if (type == kSdesCname) chunk.cname.assign(reinterpret_cast<const char*>(&body[pos + 2]), len);
            pos += 2 + len;
        }
        if (pos > body.size()) return false;
        sdes.chunks.push_back(std::move(chunk));
    }
    return true;
}

bool readBye(std::span<const std::uint8_t> body, std::size_t count, Bye& bye)
{
    if (body.size() < count * 4) return false;
    for (std::size_t i = 0; i < count; ++i)
        bye.ssrcs.push_back(be32(&body[i * 4]));
    const std::size_t pos = count * 4;
    if (pos < body.size()) {
        const std::size_t len = body[pos];
        if (body.size() - pos - 1 < len) return false;
        bye.reason.assign(reinterpret_cast<const char*>(&body[pos + 1]), len);
    }
    return true;
}

// Returns false for a malformed body; sets `known` to false for formats this codec skips.
bool readFeedback(std::uint8_t pt, std::uint8_t fmt, std::span<const std::uint8_t> body, RtcpParse& out,
                  bool& known)
{
    if (body.size() < 8) return false;
    const std::uint32_t sender = be32(&body[0]);
    const std::uint32_t media = be32(&body[4]);
    const auto fci = body.subspan(8);
    known = true;
    if (pt == kRtcpRtpfb && fmt == kFmtNack) {
        Nack nack{sender, media, {}};
        for (std::size_t i = 0; i + 4 <= fci.size(); i += 4) {
            const std::uint16_t pid = be16(&fci[i]);
            const std::uint16_t blp = be16(&fci[i + 2]);
            nack.lost.push_back(pid);
            for (int bit = 0; bit < 16; ++bit) {
                if (blp & (1u << bit)) nack.lost.push_back(static_cast<std::uint16_t>(pid + bit + 1));
            }
        }
        out.packets.emplace_back(std::move(nack));
    } else if (pt == kRtcpRtpfb && fmt == kFmtTmmbr) {
        out.packets.emplace_back(Tmmbr{sender, readTmmbrEntries(fci)});
    } else if (pt == kRtcpRtpfb && fmt == kFmtTmmbn) {
        out.packets.emplace_back(Tmmbn{sender, readTmmbrEntries(fci)});
    } else if (pt == kRtcpPsfb && fmt == kFmtPli) {
        out.packets.emplace_back(Pli{sender, media});
    } else if (pt == kRtcpPsfb && fmt == kFmtFir) {
        Fir fir{sender, {}};
        for (std::size_t i = 0; i + 8 <= fci.size(); i += 8)
            fir.entries.push_back({be32(&fci[i]), fci[i + 4]});
        out.packets.emplace_back(std::move(fir));
    } else if (pt == kRtcpPsfb && fmt == kFmtAfb) {
        return readRemb(sender, fci, out, known);
    } else {
        known = false;
    }
    return true;
}

RtcpParse fail(RtcpError e)
{
    RtcpParse r;
    r.error = e;
    return r;
}

} // namespace

std::string_view toString(RtcpError error)
{
    switch (error) {
    case RtcpError::None: return "ok";
    case RtcpError::TooShort: return "too short";
    case RtcpError::BadVersion: return "bad version";
    case RtcpError::LengthPastEnd: return "length past end";
    case RtcpError::PaddingNotLast: return "padding not on last packet";
    case RtcpError::BadPadding: return "bad padding";
    case RtcpError::TruncatedBody: return "truncated body";
    case RtcpError::TooManyPackets: return "too many packets";
    case RtcpError::Count: break;
    }
    return "unknown";
}

RtcpParse parseRtcp(std::span<const std::uint8_t> d)
{
    RtcpParse r;
    if (d.size() < 4) return fail(RtcpError::TooShort);
    std::size_t pos = 0;
    while (pos < d.size()) {
        if (d.size() - pos < 4) return fail(RtcpError::LengthPastEnd);
        if ((d[pos] >> 6) != 2) return fail(RtcpError::BadVersion);
        if (r.packets.size() + r.skipped >= kMaxRtcpPackets) return fail(RtcpError::TooManyPackets);
        const bool padding = (d[pos] & 0x20) != 0;
        const std::uint8_t count = d[pos] & 0x1f;
        const std::uint8_t pt = d[pos + 1];
        const std::size_t length = (std::size_t{be16(&d[pos + 2])} + 1) * 4;
        if (length > d.size() - pos) return fail(RtcpError::LengthPastEnd);
        auto body = d.subspan(pos + 4, length - 4);
        pos += length;
        if (padding) {
            if (pos != d.size()) return fail(RtcpError::PaddingNotLast);
            if (body.empty() || body.back() == 0 || body.back() > body.size())
                return fail(RtcpError::BadPadding);
            body = body.first(body.size() - body.back());
        }
        bool ok = true;
        switch (pt) {
        case kRtcpSr: {
            if (body.size() < 24) return fail(RtcpError::TruncatedBody);
            SenderReport sr;
            sr.ssrc = be32(&body[0]);
            sr.ntpTimestamp = (std::uint64_t{be32(&body[4])} << 32) | be32(&body[8]);
            sr.rtpTimestamp = be32(&body[12]);
            sr.packetCount = be32(&body[16]);
            sr.octetCount = be32(&body[20]);
            ok = readBlocks(body.subspan(24), count, sr.reports);
            if (ok) r.packets.emplace_back(std::move(sr));
            break;
        }
        case kRtcpRr: {
            if (body.size() < 4) return fail(RtcpError::TruncatedBody);
            ReceiverReport rr;
            rr.ssrc = be32(&body[0]);
            ok = readBlocks(body.subspan(4), count, rr.reports);
            if (ok) r.packets.emplace_back(std::move(rr));
            break;
        }
        case kRtcpSdes: {
            Sdes sdes;
            ok = readSdes(body, count, sdes);
            if (ok) r.packets.emplace_back(std::move(sdes));
            break;
        }
        case kRtcpBye: {
            Bye bye;
            ok = readBye(body, count, bye);
            if (ok) r.packets.emplace_back(std::move(bye));
            break;
        }
        case kRtcpRtpfb:
        case kRtcpPsfb: {
            bool known = false;
            ok = readFeedback(pt, count, body, r, known);
            if (ok && !known) ++r.skipped;
            break;
        }
        default: ++r.skipped; // APP (RFC 3550 §6.7), XR (RFC 3611), unknown: skip by length.
        }
        if (!ok) return fail(RtcpError::TruncatedBody);
    }
    return r;
}

namespace {

class Writer {
public:
    explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}
    // Starts a packet; returns its offset for finish().
    std::size_t begin(std::uint8_t count, std::uint8_t pt)
    {
        const std::size_t at = out_.size();
        out_.push_back(static_cast<std::uint8_t>(0x80 | (count & 0x1f)));
        out_.push_back(pt);
        out_.push_back(0);
        out_.push_back(0);
        return at;
    }
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v)
    {
        out_.resize(out_.size() + 2);
        put16(&out_[out_.size() - 2], v);
    }
    void u32(std::uint32_t v)
    {
        out_.resize(out_.size() + 4);
        put32(&out_[out_.size() - 4], v);
    }
    void text(const std::string& s, std::size_t len) { out_.insert(out_.end(), s.begin(), s.begin() + len); }
    void alignZero()
    {
        while (out_.size() % 4)
            out_.push_back(0);
    }
    void finish(std::size_t at)
    {
        alignZero();
        put16(&out_[at + 2], static_cast<std::uint16_t>((out_.size() - at) / 4 - 1));
    }
    void block(const ReportBlock& b)
    {
        u32(b.ssrc);
        u8(b.fractionLost);
        out_.resize(out_.size() + 3);
        put24(&out_[out_.size() - 3], static_cast<std::uint32_t>(b.cumulativeLost) & 0xffffff);
        u32(b.extendedHighestSeq);
        u32(b.jitter);
        u32(b.lsr);
        u32(b.dlsr);
    }
    // TMMBR and TMMBN share the layout; the media source SSRC is 0 (RFC 5104 §4.2.1.2, §4.2.2.2).
    void tmmb(std::uint8_t fmt, std::uint32_t sender, const std::vector<Tmmbr::Entry>& entries)
    {
        const auto at = begin(fmt, kRtcpRtpfb);
        u32(sender);
        u32(0);
        for (const auto& e : entries) {
            const Mantissa m = encodeBitrate(e.bitrateBps, kTmmbrMantissaBits);
            const std::uint32_t overhead = std::min<std::uint32_t>(e.overhead, 0x1ff);
            u32(e.ssrc);
            u32(static_cast<std::uint32_t>(m.exp) << 26 | m.mantissa << 9 | overhead);
        }
        finish(at);
    }

private:
    std::vector<std::uint8_t>& out_;
};

} // namespace

std::vector<std::uint8_t> serializeRtcp(std::span<const RtcpPacket> packets)
{
    std::vector<std::uint8_t> out;
    Writer w(out);
    for (const RtcpPacket& packet : packets) {
        if (const auto* sr = std::get_if<SenderReport>(&packet)) {
            const std::size_t n = std::min(sr->reports.size(), kMaxCount);
            const auto at = w.begin(static_cast<std::uint8_t>(n), kRtcpSr);
            w.u32(sr->ssrc);
            w.u32(static_cast<std::uint32_t>(sr->ntpTimestamp >> 32));
            w.u32(static_cast<std::uint32_t>(sr->ntpTimestamp));
            w.u32(sr->rtpTimestamp);
            w.u32(sr->packetCount);
            w.u32(sr->octetCount);
            for (std::size_t i = 0; i < n; ++i)
                w.block(sr->reports[i]);
            w.finish(at);
        } else if (const auto* rr = std::get_if<ReceiverReport>(&packet)) {
            const std::size_t n = std::min(rr->reports.size(), kMaxCount);
            const auto at = w.begin(static_cast<std::uint8_t>(n), kRtcpRr);
            w.u32(rr->ssrc);
            for (std::size_t i = 0; i < n; ++i)
                w.block(rr->reports[i]);
            w.finish(at);
        } else if (const auto* sdes = std::get_if<Sdes>(&packet)) {
            const std::size_t n = std::min(sdes->chunks.size(), kMaxCount);
            const auto at = w.begin(static_cast<std::uint8_t>(n), kRtcpSdes);
            for (std::size_t i = 0; i < n; ++i) {
                const SdesChunk& c = sdes->chunks[i];
                w.u32(c.ssrc);
                const std::size_t len = std::min(c.cname.size(), kMaxText);
                w.u8(kSdesCname);
                w.u8(static_cast<std::uint8_t>(len));
                w.text(c.cname, len);
                w.u8(0); // END, then pad the chunk to 32 bits with nulls
                w.alignZero();
            }
            w.finish(at);
        } else if (const auto* bye = std::get_if<Bye>(&packet)) {
            const std::size_t n = std::min(bye->ssrcs.size(), kMaxCount);
            const auto at = w.begin(static_cast<std::uint8_t>(n), kRtcpBye);
            for (std::size_t i = 0; i < n; ++i)
                w.u32(bye->ssrcs[i]);
            if (!bye->reason.empty()) {
                const std::size_t len = std::min(bye->reason.size(), kMaxText);
                w.u8(static_cast<std::uint8_t>(len));
                w.text(bye->reason, len);
            }
            w.finish(at);
        } else if (const auto* nack = std::get_if<Nack>(&packet)) {
            const auto at = w.begin(kFmtNack, kRtcpRtpfb);
            w.u32(nack->senderSsrc);
            w.u32(nack->mediaSsrc);
            // Pack runs: each PID covers itself and the 16 sequence numbers after it.
            std::size_t i = 0;
            while (i < nack->lost.size()) {
                const std::uint16_t pid = nack->lost[i++];
                std::uint16_t blp = 0;
                std::uint16_t last = 0;
                while (i < nack->lost.size()) {
                    // Only increasing runs, so that parsing gives back the same list in order.
                    const auto diff = static_cast<std::uint16_t>(nack->lost[i] - pid);
                    if (diff <= last || diff > 16) break;
                    last = diff;
                    blp = static_cast<std::uint16_t>(blp | (1u << (diff - 1)));
                    ++i;
                }
                w.u16(pid);
                w.u16(blp);
            }
            w.finish(at);
        } else if (const auto* pli = std::get_if<Pli>(&packet)) {
            const auto at = w.begin(kFmtPli, kRtcpPsfb);
            w.u32(pli->senderSsrc);
            w.u32(pli->mediaSsrc);
            w.finish(at);
        } else if (const auto* fir = std::get_if<Fir>(&packet)) {
            const auto at = w.begin(kFmtFir, kRtcpPsfb);
            w.u32(fir->senderSsrc);
            w.u32(0); // RFC 5104 §4.3.1.2: media source SSRC is unused (0)
            for (const auto& e : fir->entries) {
                w.u32(e.ssrc);
                w.u8(e.sequenceNumber);
                w.u8(0);
                w.u16(0);
            }
            w.finish(at);
        } else if (const auto* remb = std::get_if<Remb>(&packet)) {
            const std::size_t n = std::min<std::size_t>(remb->ssrcs.size(), 255);
            const Mantissa m = encodeBitrate(remb->bitrateBps, kRembMantissaBits);
            const auto at = w.begin(kFmtAfb, kRtcpPsfb);
            w.u32(remb->senderSsrc);
            w.u32(0); // draft-alvestrand-rmcat-remb §2.2: media source SSRC is always 0
            w.u32(kRembIdentifier);
            w.u32(static_cast<std::uint32_t>(n) << 24 | static_cast<std::uint32_t>(m.exp) << 18 | m.mantissa);
            for (std::size_t i = 0; i < n; ++i)
                w.u32(remb->ssrcs[i]);
            w.finish(at);
        } else if (const auto* tmmbr = std::get_if<Tmmbr>(&packet)) {
            w.tmmb(kFmtTmmbr, tmmbr->senderSsrc, tmmbr->entries);
        } else if (const auto* tmmbn = std::get_if<Tmmbn>(&packet)) {
            w.tmmb(kFmtTmmbn, tmmbn->senderSsrc, tmmbn->entries);
        }
    }
    return out;
}

} // namespace vphone::media
