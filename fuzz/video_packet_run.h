// The part the two video depacketiser fuzz targets share: a run of pseudo-packets (2-byte length,
// sequence step, timestamp step, flags: bit 0 marker, the rest milliseconds to advance, payload)
// pushed into a VideoReceiveBuffer of the given format, with its invariants checked after every
// packet (frames in timestamp order and within the size bound, NACK batches bounded, no deadline in
// the past, packets held bounded, nothing left after a second). Aborts on a violation.
#pragma once

#include "payload/video_receive_buffer.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>

namespace vphone::media::fuzz {

inline void drain(VideoReceiveBuffer& buffer, const VideoReceiveConfig& config, TimePoint now,
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

inline void pseudoPackets(VideoPayloadFormat format, const std::uint8_t* data, std::size_t size)
{
    VideoReceiveConfig config;
    config.format = format;
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

} // namespace vphone::media::fuzz
