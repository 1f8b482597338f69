// libFuzzer target for VP8 over RTP (media/payload): the VideoReceiveBuffer on arbitrary
// packets (descriptors that lie), and packetize -> shuffle -> buffer round trips. No crash, and these
// invariants:
//  - the buffer never holds more than maxPackets, never lists more than kMaxNacksPerCall NACKs,
//    never releases a frame larger than maxFrameBytes, and releases timestamps in order;
//  - after pop() and nacks(), nextDeadline() is in the future (no busy timer);
//  - the input as a VP8 frame comes back byte for byte, whatever the packet size and the arrival
//    order, with the right keyframe flag (P bit of its first byte).
// Input: byte 0 chooses the round trip's packet size and order; the rest is the round trip's
// frame and, read again, a run of pseudo-packets: 2-byte length, sequence step, timestamp
// step, flags (bit 0 marker, the rest milliseconds to advance), payload.
#include "payload/video_receive_buffer.h"
#include "payload/vp8_rtp.h"
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

void roundTrip(const std::uint8_t* data, std::size_t size)
{
    if (size < 2 || size > 8192) return;
    const std::uint8_t choice = data[0];
    const Bytes au(data + 1, data + size);
    const bool idr = (au[0] & 0x01) == 0;
    const std::size_t maxPayload = std::max<std::size_t>(5 + (choice & 0x3f) * 19, au.size() / 500 + 5);
    Vp8Packetizer packetizer(maxPayload, static_cast<std::uint16_t>(choice * 131));
    std::vector<Bytes> payloads;
    if (packetizer.packetize(au, payloads) == 0) std::abort();
    const std::uint16_t seq0 = static_cast<std::uint16_t>(65500 + choice);
    const std::uint32_t ts = 0xfffffff0u + choice;
    std::vector<VideoPacket> packets;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        if (payloads[i].size() > maxPayload) std::abort();
        packets.push_back(
            VideoPacket{static_cast<std::uint16_t>(seq0 + i), ts, i + 1 == payloads.size(), payloads[i]});
    }
    if (choice & 0x40) std::reverse(packets.begin(), packets.end());
    if (choice & 0x80)
        std::rotate(packets.begin(), packets.begin() + static_cast<std::ptrdiff_t>(packets.size() / 2),
                    packets.end());
    VideoReceiveConfig config;
    config.format = VideoPayloadFormat::Vp8;
    config.maxPackets = 1 << 16;
    VideoReceiveBuffer buffer(config);
    const TimePoint now{};
    for (const auto& p : packets)
        buffer.push(p, now);
    const auto frame = buffer.pop(now);
    if (!frame || frame->data != au || frame->keyframe != idr || frame->timestamp != ts) std::abort();
    if (buffer.pop(now) || buffer.takeFrameLost() || buffer.packetsHeld() != 0) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    fuzz::pseudoPackets(VideoPayloadFormat::Vp8, data, size);
    roundTrip(data, size);
    return 0;
}
