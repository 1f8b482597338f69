// The video receive buffer: RTP packets of one video stream in (any order, duplicates, late
// retransmissions), whole frames out in timestamp order, plus the NACK list and the "a frame was
// lost, ask for a keyframe" signal. Sans-I/O: time is always an argument.
//
// Theory of operation.
// * Frames. Packets are grouped by RTP timestamp (one frame = one timestamp, RFC 6184 §5.1,
//   RFC 7741 §4.1); sequence numbers and timestamps are unwrapped (RFC 1982) around the newest.
//   A frame is complete when its packets run without a hole from its first packet to the marker
//   packet. The first packet is known by the codec (VideoPacketInfo::frameStart) or because the
//   packet before it ended the frame released or given up just before (sequence continuity).
// * Release order. Frames leave in timestamp order. A complete frame leaves once every earlier
//   frame was released or given up; when its first packet is known only by the codec and
//   sequence numbers are missing before it (a whole frame lost), it waits maxWait for them unless
//   it is a keyframe. Right after a frame was given up, the next complete frame leaves at once
//   (its predecessor's missing tail cannot be told from a missing frame, and the decoder waits
//   for a keyframe anyway).
// * Giving up. The oldest frame is given up maxWait after its first packet arrived, at once when
//   a later complete keyframe is ready, when it holds a malformed packet, when it grew beyond
//   maxFrameBytes, or when more than maxPackets are held. Each give-up is counted by reason in
//   drops() and raises takeFrameLost(). Packets of released or given-up frames are Late.
// * NACK (RFC 4585 §6.2.1). Sequence numbers missing between the last released packet and the
//   newest one are listed by nacks(): once at once, then again every nackInterval, at most
//   maxNackRetries times, at most kMaxNacksPerCall per call.
// * A sequence number jumping more than max(maxPackets, 1000) either way, or a timestamp going
//   back more than 10 s, is a restarted sender: what is held is given up and the stream restarts.
// * An empty payload is a padding-only packet (RFC 3550 §5.1, sent for bandwidth probing): no
//   frame, no drop; its sequence number is no hole, and padding right after a frame continues it.
#pragma once

#include "payload/video_payload.h"
#include "rtp/media_clock.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <vector>

namespace vphone::media {

/// One RTP packet of the video stream, already SRTP-unprotected and parsed.
struct VideoPacket {
    std::uint16_t sequence = 0;            ///< RTP sequence number
    std::uint32_t timestamp = 0;           ///< RTP timestamp (90 kHz)
    bool marker = false;                   ///< RTP marker: last packet of the frame
    std::span<const std::uint8_t> payload; ///< copied by push(); empty: a padding-only packet
};

/// A whole frame, ready for the decoder.
struct AssembledFrame {
    /// H.264: Annex B access unit (00 00 00 01 before each NAL); VP8: the frame without descriptors.
    std::vector<std::uint8_t> data;
    std::uint32_t timestamp = 0; ///< RTP timestamp
    /// H.264: contains an IDR slice (type 5); VP8: P bit 0 in the first packet's payload header.
    bool keyframe = false;
    std::uint16_t firstSequence = 0; ///< sequence number of the frame's first packet
    std::uint16_t lastSequence = 0;  ///< and of its marker packet
    TimePoint firstArrival{};        ///< arrival of the frame's earliest-arriving packet
};

/// Why frames (or packets) were dropped. None is never counted.
enum class VideoDrop {
    None,           ///< not dropped
    MissingPackets, ///< frame given up: holes, no marker packet, or a whole frame missing before
    MissingStart,   ///< frame given up: its first packet never arrived
    BadPayload,     ///< packet malformed for the payload format (or a frame that does not fit together)
    Oversize,       ///< frame larger than maxFrameBytes
    Late,           ///< packet of a frame already released or given up
    Count           ///< number of values, for counter arrays
};

/// Short name of a VideoDrop for logs and statistics ("missing packets").
std::string_view toString(VideoDrop drop);

/// Counters indexed by VideoDrop.
using VideoDropCounts = std::array<std::uint64_t, static_cast<std::size_t>(VideoDrop::Count)>;

/// Settings of a VideoReceiveBuffer.
struct VideoReceiveConfig {
    VideoPayloadFormat format = VideoPayloadFormat::H264; ///< how payloads are read
    std::chrono::milliseconds maxWait{150};     ///< an incomplete frame waits this long for retransmissions
    std::size_t maxFrameBytes = 4 << 20;        ///< larger frames are dropped (Oversize)
    std::size_t maxPackets = 2048;              ///< packets held at once; beyond, oldest frames are given up
    std::chrono::milliseconds nackInterval{40}; ///< re-ask for a missing packet at most this often
    int maxNackRetries = 5;                     ///< times one sequence number is asked for
};

/// The receive buffer of one video stream. Not thread-safe: one media thread uses it.
class VideoReceiveBuffer {
public:
    /// At most this many sequence numbers per nacks() call.
    static constexpr std::size_t kMaxNacksPerCall = 64;

    /// An empty buffer with these settings.
    explicit VideoReceiveBuffer(VideoReceiveConfig config = {});

    /// Replaces the settings (the payload format change also needs reset()).
    void setConfig(const VideoReceiveConfig& config) { config_ = config; }
    /// Sets how often a missing packet is asked for again (from the RTT).
    void setNackInterval(std::chrono::milliseconds interval) { config_.nackInterval = interval; }
    /// The settings.
    const VideoReceiveConfig& config() const { return config_; }

    /// Stores a packet (duplicates ignored, very old ones dropped as Late). Bad payload formats
    /// are counted. Call pop() afterwards.
    void push(const VideoPacket& packet, TimePoint now);
    /// The next frame ready to decode, in timestamp order; gives up frames as described above.
    std::optional<AssembledFrame> pop(TimePoint now);
    /// True once since the last call when frames were given up (the decoder's reference chain is
    /// broken; ask for a keyframe).
    bool takeFrameLost();
    /// Sequence numbers to NACK now (at most kMaxNacksPerCall).
    std::vector<std::uint16_t> nacks(TimePoint now);
    /// When pop()/nacks() should be called again (earliest maxWait expiry or NACK retry), if any.
    std::optional<TimePoint> nextDeadline() const;

    /// Frames released by pop().
    std::uint64_t framesCompleted() const { return framesCompleted_; }
    /// Every packet pushed (duplicates, late and bad ones included).
    std::uint64_t packetsReceived() const { return packetsReceived_; }
    /// Packets pushed while the same sequence number was held.
    std::uint64_t duplicates() const { return duplicates_; }
    /// Frames (packets for BadPayload and Late) dropped, by reason.
    const VideoDropCounts& drops() const { return drops_; }
    /// Packets held.
    std::size_t packetsHeld() const { return held_; }
    /// Padding-only packets (empty payload): they fill their sequence number and are not kept.
    std::uint64_t paddingPackets() const { return padding_; }
    /// Times a sequence number or timestamp jump restarted the stream.
    std::uint64_t restarts() const { return restarts_; }
    /// Forgets everything but the counters (new SSRC, codec change).
    void reset();

private:
    struct Packet {
        std::vector<std::uint8_t> payload;
        bool marker = false;
        bool frameStart = false;
        bool keyframe = false;
        bool bad = false;
    };
    struct Frame {
        std::map<std::int64_t, Packet> packets; ///< by unwrapped sequence number
        std::uint32_t timestamp = 0;
        TimePoint firstArrival{};
        std::size_t bytes = 0;
        bool bad = false;
        bool oversize = false;
    };
    struct NackState {
        TimePoint lastSent{};
        int sent = 0;
    };
    enum class FrameState { Incomplete, Complete, CompleteAfterGap };

    std::int64_t unwrapSeq(std::uint16_t seq) const;
    std::int64_t unwrapTs(std::uint32_t ts) const;
    bool startKnown(const Frame& frame) const;
    bool selfComplete(const Frame& frame) const;
    FrameState state(const Frame& frame) const;
    void giveUpFront(VideoDrop reason);
    void giveUpAll();
    std::optional<AssembledFrame> release();
    void forgetBelow(std::int64_t seq);
    void absorbPadding();
    std::int64_t nackFrom() const;

    VideoReceiveConfig config_;
    std::map<std::int64_t, Frame> frames_;       ///< by unwrapped timestamp
    std::map<std::int64_t, std::int64_t> seqTs_; ///< held sequence number -> its frame's timestamp
    std::map<std::int64_t, NackState> nacked_;
    std::set<std::int64_t> paddingSeqs_; ///< padding-only packets not yet passed
    std::size_t held_ = 0;
    bool any_ = false;                    ///< a packet was stored since reset
    std::int64_t highestSeq_ = 0;         ///< newest unwrapped sequence number
    std::int64_t lastTs_ = 0;             ///< newest unwrapped timestamp (unwrap reference)
    std::optional<std::int64_t> nextSeq_; ///< after the last packet of the last frame released or given up
    std::optional<std::int64_t> doneTs_;  ///< timestamp of that frame
    bool afterGiveUp_ = false;
    bool frameLost_ = false;
    std::optional<TimePoint> nackDue_; ///< a hole appeared that nacks() has not listed yet
    std::uint64_t framesCompleted_ = 0;
    std::uint64_t packetsReceived_ = 0;
    std::uint64_t duplicates_ = 0;
    std::uint64_t restarts_ = 0;
    std::uint64_t padding_ = 0;
    VideoDropCounts drops_{};
};

} // namespace vphone::media
