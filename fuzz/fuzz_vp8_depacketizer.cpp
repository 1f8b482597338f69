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

void drain(VideoReceiveBuffer& buffer, const VideoReceiveConfig& config, TimePoint now,
           std::optional<std::int64_t>& lastTs)
{
    while (auto frame = buffer.pop(now)) {
        if (frame->data.size() > config.maxFrameBytes || frame->data.empty()) std::abort();
        if (lastTs) {
            const auto step =
                static_cast<std::int32_t>(frame->timestamp - static_cast<std::uint32_t>(*lastTs));
            if (step <= 0) std::abort();
            *lastTs += step;
        } else {
            lastTs = frame->timestamp;
        }
    }
    // NACKs come in bounded batches; once they are all out (and the frames popped), the next
    // deadline lies ahead: a caller arming a timer for it never spins.
    for (int batch = 0;; ++batch) {
        const std::size_t n = buffer.nacks(now).size();
        if (n > VideoReceiveBuffer::kMaxNacksPerCall || batch > 100) std::abort();
        if (n == 0) break;
    }
    if (const auto at = buffer.nextDeadline(); at && *at <= now) std::abort();
    if (buffer.packetsHeld() > config.maxPackets) std::abort();
}

void pseudoPackets(const std::uint8_t* data, std::size_t size)
{
    VideoReceiveConfig config;
    config.format = VideoPayloadFormat::Vp8;
    config.maxPackets = 64;
    config.maxFrameBytes = 8192;
    VideoReceiveBuffer buffer(config);
    TimePoint now{};
    std::uint16_t seq = 0;
    std::uint32_t ts = 0;
    std::optional<std::int64_t> lastTs;
    std::uint64_t restarts = 0;
    std::size_t pos = 0;
    while (size - pos >= 5) {
        const std::size_t len =
            std::min<std::size_t>((data[pos] << 8 | data[pos + 1]) & 0x7ff, size - pos - 5);
        seq = static_cast<std::uint16_t>(seq + static_cast<std::int8_t>(data[pos + 2]));
        ts += static_cast<std::uint32_t>(static_cast<std::int8_t>(data[pos + 3]) * 1500);
        const std::uint8_t flags = data[pos + 4];
        const std::span<const std::uint8_t> payload(data + pos + 5, len);
        pos += 5 + len;
        now += std::chrono::milliseconds(flags >> 1);
        buffer.push(VideoPacket{seq, ts, (flags & 1) != 0, payload}, now);
        // A restarted sender (a far sequence or timestamp jump) starts a new timestamp order.
        if (buffer.restarts() != restarts) lastTs.reset();
        restarts = buffer.restarts();
        drain(buffer, config, now, lastTs);
        if (auto at = buffer.nextDeadline(); at && *at > now + config.maxWait + config.nackInterval)
            std::abort();
    }
    now += std::chrono::seconds(1);
    while (buffer.pop(now)) {}
    if (buffer.packetsHeld() != 0) std::abort();
}

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
    pseudoPackets(data, size);
    roundTrip(data, size);
    return 0;
}
