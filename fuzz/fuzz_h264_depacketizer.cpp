// libFuzzer target for H.264 over RTP (media/payload): the VideoReceiveBuffer on arbitrary
// packets, and packetize -> shuffle -> buffer round trips. No crash, and these invariants:
//  - the buffer never holds more than maxPackets, never lists more than kMaxNacksPerCall NACKs,
//    never releases a frame larger than maxFrameBytes, and releases timestamps in order;
//  - after pop() and nacks(), nextDeadline() is in the future (no busy timer);
//  - an access unit built from the input comes back byte for byte, whatever the packet size and
//    the arrival order, with the right keyframe flag.
// Input: byte 0 chooses the round trip's packet size and order; the rest is the round trip's
// NAL material and, read again, a run of pseudo-packets: 2-byte length, sequence step, timestamp
// step, flags (bit 0 marker, the rest milliseconds to advance), payload.
#include "payload/h264_rtp.h"
#include "payload/video_receive_buffer.h"
#include "video_packet_run.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

using namespace vphone::media;

namespace {

using Bytes = std::vector<std::uint8_t>;

// NAL units from the input: type 1-23, no start code emulation, with `forceStart` a first NAL
// that opens an access unit; the expected Annex B access unit and whether it holds an IDR slice.
Bytes accessUnitFrom(const std::uint8_t* data, std::size_t size, bool forceStart, bool& idr)
{
    Bytes au;
    idr = false;
    std::size_t pos = 0;
    bool first = forceStart;
    while (pos < size) {
        const std::uint8_t h = data[pos++];
        std::size_t len = std::min<std::size_t>(size - pos, (h & 0x0f) * 37 + 1);
        std::uint8_t type = static_cast<std::uint8_t>(1 + h % 23);
        Bytes nal{static_cast<std::uint8_t>((h & 0x60) | type)};
        for (std::size_t i = 0; i < len; ++i) {
            std::uint8_t b = data[pos + i];
            const std::size_t n = nal.size();
            if (n >= 2 && nal[n - 1] == 0 && nal[n - 2] == 0 && b <= 3) b = 3;
            nal.push_back(b);
        }
        pos += len;
        if (first) {
            // The receive buffer needs to know the first packet (nothing came before it).
            if (type == 1 || type == 2 || type == 5) {
                if (nal.size() < 2) nal.push_back(0x80);
                nal[1] |= 0x80;
            } else if (type < 6 || type > 9) {
                nal[0] = static_cast<std::uint8_t>((nal[0] & 0xe0) | 9);
                type = 9;
            }
            first = false;
        }
        if (nal.back() == 0) nal.back() = 0x80;
        idr = idr || type == kH264Idr;
        au.insert(au.end(), {0, 0, 0, 1});
        au.insert(au.end(), nal.begin(), nal.end());
    }
    return au;
}

// Two access units from the input, the second one's start known only from the end of the
// first, packetized, reordered across both, pushed, popped: the same bytes in order.
void roundTrip(const std::uint8_t* data, std::size_t size)
{
    if (size < 2 || size > 8192) return;
    const std::uint8_t choice = data[0];
    bool idr[2] = {false, false};
    const Bytes au[2] = {accessUnitFrom(data + 1, size - 1, true, idr[0]),
                         accessUnitFrom(data + 1, size - 1, false, idr[1])};
    const std::size_t maxPayload = std::max<std::size_t>(3 + (choice & 0x3f) * 19, au[0].size() / 250 + 3);
    H264Packetizer packetizer(maxPayload);
    std::vector<Bytes> payloads[2];
    const std::uint16_t seq0 = static_cast<std::uint16_t>(65500 + choice);
    const std::uint32_t ts0 = 0xfffffff0u + choice;
    std::vector<VideoPacket> packets;
    std::uint16_t seq = seq0;
    for (int f = 0; f < 2; ++f) {
        if (packetizer.packetize(au[f], payloads[f]) == 0) std::abort();
        for (std::size_t i = 0; i < payloads[f].size(); ++i) {
            if (payloads[f][i].size() > maxPayload) std::abort();
            packets.push_back(VideoPacket{seq++, ts0 + 3000u * static_cast<std::uint32_t>(f),
                                          i + 1 == payloads[f].size(), payloads[f][i]});
        }
    }
    if (choice & 0x40) std::reverse(packets.begin(), packets.end());
    if (choice & 0x80)
        std::rotate(packets.begin(), packets.begin() + static_cast<std::ptrdiff_t>(packets.size() / 3),
                    packets.end());
    VideoReceiveConfig config;
    config.format = VideoPayloadFormat::H264;
    config.maxPackets = 1 << 16;
    VideoReceiveBuffer buffer(config);
    const TimePoint now{};
    for (const auto& p : packets)
        buffer.push(p, now);
    for (int f = 0; f < 2; ++f) {
        const auto frame = buffer.pop(now);
        if (!frame || frame->data != au[f] || frame->keyframe != idr[f]) std::abort();
        if (frame->timestamp != ts0 + 3000u * static_cast<std::uint32_t>(f)) std::abort();
    }
    if (buffer.pop(now) || buffer.takeFrameLost() || buffer.packetsHeld() != 0) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    fuzz::pseudoPackets(VideoPayloadFormat::H264, data, size);
    roundTrip(data, size);
    return 0;
}
