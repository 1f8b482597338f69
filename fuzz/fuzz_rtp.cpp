// libFuzzer target for the RTP side of media/rtp: parseRtp, the receive path of RtpSession and
// the jitter buffer, on arbitrary datagrams. No crash, and these invariants:
//  - a packet that parses serialises back to the same bytes (padding and all) and reparses;
//  - the parsed payload, extension and padding lie inside the datagram;
//  - classifyDatagram() calls a valid packet RTP or RTCP, never STUN/DTLS.
// The input is a sequence of datagrams, each prefixed by a 2-byte length; arrival times step by
// the first byte of each datagram in milliseconds (a deterministic virtual clock).
#include "rtp/jitter_buffer.h"
#include "rtp/rtp_packet.h"
#include "rtp/rtp_session.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace vphone::media;

namespace {

void checkOne(std::span<const std::uint8_t> d)
{
    const RtpParse r = parseRtp(d);
    if (!r.ok()) return;
    const RtpPacketView& p = r.packet;
    if (p.headerSize + p.payload.size() + p.paddingSize != d.size()) std::abort();
    if (p.payload.data() < d.data() || p.payload.data() + p.payload.size() > d.data() + d.size())
        std::abort();
    const DatagramKind kind = classifyDatagram(d);
    if (kind != DatagramKind::Rtp && kind != DatagramKind::Rtcp) std::abort();
    std::vector<std::uint8_t> out(d.size());
    const auto padding = static_cast<std::uint8_t>(p.paddingSize);
    if (p.paddingSize > 255 || writeRtp(p.header, p.payload, out, padding) != d.size()) std::abort();
    // Padding octets other than the count are written as zero; compare the rest exactly.
    for (std::size_t i = 0; i < d.size(); ++i) {
        const bool padByte = i >= d.size() - p.paddingSize && i + 1 < d.size();
        if (!padByte && out[i] != d[i]) std::abort();
    }
    if (!parseRtp(out).ok()) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    checkOne(std::span<const std::uint8_t>(data, size));

    RtpSessionConfig config;
    config.ssrc = 0x12345678;
    config.maxSources = 4;
    const TimePoint t0{};
    RtpSession session(config, t0);
    JitterBufferConfig jc;
    jc.capacity = 32;
    jc.maxPayload = 512;
    JitterBuffer jitter(jc);
    TimePoint now = t0;
    std::size_t pos = 0;
    while (size - pos >= 2) {
        const std::size_t len =
            std::min<std::size_t>((data[pos] << 8 | data[pos + 1]) & 0x7ff, size - pos - 2);
        const std::span<const std::uint8_t> d(data + pos + 2, len);
        pos += 2 + len;
        checkOne(d);
        now += std::chrono::milliseconds(d.empty() ? 1 : d[0]);
        const RtpReceived r = session.receiveRtp(d, now);
        if (r.deliver()) {
            const RtpHeader& h = r.packet.header;
            jitter.insert(h.sequenceNumber, h.timestamp, h.marker, r.packet.payload, now);
        }
        const PlayoutFrame f = jitter.pop(now);
        if (f.kind == PlayoutFrame::Kind::Invalid) std::abort();
        if (jitter.size() > jc.capacity * 2 + 100) std::abort();
        session.onTimeout(now);
        while (session.pollRtcp()) {}
        while (session.pollEvent()) {}
    }
    return 0;
}
