// Helpers of the video receive buffer tests: packets with running sequence numbers and 90 kHz
// timestamps from the real packetizers, access units and VP8 frames without start-code emulation.
#pragma once

#include "payload/h264_rtp.h"
#include "payload/video_receive_buffer.h"
#include "payload/vp8_rtp.h"

#include <chrono>
#include <cstdint>
#include <vector>

namespace vphone::media::test {

using Bytes = std::vector<std::uint8_t>;

struct Rtp {
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    bool marker = false;
    Bytes payload;
    VideoPacket view() const { return VideoPacket{sequence, timestamp, marker, payload}; }
};

inline const TimePoint t0{std::chrono::seconds(1000)};

// An H.264 access unit: SPS + PPS + IDR slice (key) or one P slice, `slice` bytes, no zeros.
inline Bytes accessUnit(bool key, std::size_t slice, std::uint8_t salt = 0)
{
    Bytes au;
    auto add = [&](std::uint8_t header, std::size_t size) {
        au.insert(au.end(), {0, 0, 0, 1, header, 0x88});
        for (std::size_t i = 2; i < size; ++i)
            au.push_back(static_cast<std::uint8_t>((i * 7 + salt) % 255 + 1));
    };
    if (key) {
        add(0x67, 12);
        add(0x68, 5);
        add(0x65, slice);
    } else {
        add(0x41, slice);
    }
    return au;
}

inline Bytes vp8Frame(bool key, std::size_t size, std::uint8_t salt = 0)
{
    Bytes f(size);
    for (std::size_t i = 0; i < size; ++i)
        f[i] = static_cast<std::uint8_t>(i * 13 + salt);
    f[0] = key ? 0x10 : 0x11;
    return f;
}

// Packetizes frames into RTP packets with running sequence numbers and 90 kHz timestamps.
struct Sender {
    explicit Sender(VideoPayloadFormat f = VideoPayloadFormat::H264, std::uint16_t seq = 1000,
                    std::uint32_t ts = 90000, std::size_t mtu = 1200)
        : format(f), h264(mtu), vp8(mtu), sequence(seq), timestamp(ts)
    {}
    std::vector<Rtp> frame(const Bytes& data)
    {
        std::vector<Bytes> payloads;
        if (format == VideoPayloadFormat::H264)
            h264.packetize(data, payloads);
        else
            vp8.packetize(data, payloads);
        std::vector<Rtp> out;
        for (std::size_t i = 0; i < payloads.size(); ++i)
            out.push_back(Rtp{sequence++, timestamp, i + 1 == payloads.size(), std::move(payloads[i])});
        timestamp += 3000;
        return out;
    }
    VideoPayloadFormat format;
    H264Packetizer h264;
    Vp8Packetizer vp8;
    std::uint16_t sequence;
    std::uint32_t timestamp;
};

inline VideoReceiveConfig h264Config()
{
    return VideoReceiveConfig{};
}

inline void pushAll(VideoReceiveBuffer& buffer, const std::vector<Rtp>& packets, TimePoint now)
{
    for (const auto& p : packets)
        buffer.push(p.view(), now);
}

inline std::uint64_t dropped(const VideoReceiveBuffer& b, VideoDrop why)
{
    return b.drops()[static_cast<std::size_t>(why)];
}

} // namespace vphone::media::test
