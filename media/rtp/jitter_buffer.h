// Adaptive jitter buffer for audio frames, sans-I/O: packets in with their arrival time, one
// frame out per pop() on the caller's (audio device's) clock.
//
// Theory of operation.
// * Delay measurement. For each packet, transit r = arrival - timestamp/clockRate. The smallest
//   r over the last `window` packets is the fastest path; a packet's jitter j = r - min(r). The
//   target delay is the `percentile` of j over the window plus half a frame (pops fall anywhere
//   between two arrivals), clamped to [minDelay, maxDelay]. It grows at once (also when a packet
//   comes late: the target jumps to cover it) and shrinks by at most targetDecay per second.
// * Playout. A timeline `playoutTs` advances one frame per pop. The current delay is
//   D = now - (min(r) + playoutTs/clockRate): how long the frame being played has waited beyond
//   the fastest path. Before the first frame, pops return Buffering until D reaches the target.
// * Each pop returns exactly one frame period: a Packet; Conceal when the packet is missing
//   (`missingFrames` says how many in a row are missing before the next one held, 0 if none is
//   held; peekNext() shows that next packet so Opus can decode its in-band FEC); Silence when the
//   sequence is unbroken but the timestamp jumps (DTX); Expand when the buffer needs more delay
//   (the timeline stalls one frame: the decoder plays a PLC frame).
// * Adaptation and clock drift. D below target - frame/2: Expand (grows quickly, one frame per
//   pop). D above target + one frame: at most one speech frame is dropped per shrinkInterval,
//   and only when another packet is already buffered behind it; silence (DTX) frames are
//   skipped at once. A sender clock 0.1 % fast or slow moves min(r) by 1 ms per second, which
//   shows up in D; the drop/expand rule keeps the buffer within about one frame of the target,
//   one frame per 20 s. (No time-stretching here: dropping or inserting whole frames.)
// * Counting. `lost` are sequence numbers that were concealed and never arrived; a packet that
//   arrives after its frame was concealed counts as `late` (and no longer as lost); duplicates
//   are counted apart. A sequence jump beyond the buffer, or more than 1000 packets back, resets
//   the buffer (a restarted sender).
#pragma once

#include "media_clock.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace vphone::media {

/// Settings of a JitterBuffer.
struct JitterBufferConfig {
    std::uint32_t clockRate = 48000;               ///< RTP clock, Hz
    std::chrono::milliseconds frameDuration{20};   ///< audio per packet and per pop
    std::chrono::milliseconds minDelay{20};        ///< target floor
    std::chrono::milliseconds maxDelay{400};       ///< target ceiling
    std::chrono::milliseconds initialDelay{60};    ///< target until enough packets are measured
    double percentile = 0.95;                      ///< of the jitter distribution to cover
    std::size_t window = 250;                      ///< jitter samples (5 s at 20 ms)
    std::chrono::milliseconds shrinkInterval{500}; ///< at most one speech frame dropped per this
    std::chrono::milliseconds targetDecay{25};     ///< target shrink per second, at most
    std::size_t capacity = 128;                    ///< packets held; must exceed maxDelay/frame
    std::size_t maxPayload = 1500;                 ///< bytes per packet, preallocated
};

/// What insert() did with a packet.
enum class JitterInsert { Invalid, Stored, Duplicate, Late, TooLarge, Reset };

/// One frame of playout.
struct PlayoutFrame {
    enum class Kind { Invalid, Buffering, Packet, Conceal, Silence, Expand };
    Kind kind = Kind::Invalid;
    std::uint32_t timestamp = 0;           ///< RTP timestamp this frame stands for
    std::uint16_t sequenceNumber = 0;      ///< Packet: its sequence number; Conceal: the missing one
    bool marker = false;                   ///< Packet: RTP marker (talkspurt start)
    std::span<const std::uint8_t> payload; ///< Packet: valid until the next insert() or pop()
    unsigned missingFrames = 0;            ///< Conceal: consecutive missing before the next held
    unsigned droppedFrames = 0;            ///< frames dropped by this pop to reduce delay
};

/// A buffered packet seen through peekNext().
struct JitterPacketView {
    std::uint16_t sequenceNumber = 0;
    std::uint32_t timestamp = 0;
    std::span<const std::uint8_t> payload;
};

/// Counters and the delay figures.
struct JitterBufferStats {
    std::uint64_t packets = 0; ///< stored (not duplicates, not too large)
    std::uint64_t lost = 0;    ///< concealed and never arrived
    std::uint64_t late = 0;    ///< arrived after their frame was concealed or passed
    std::uint64_t duplicates = 0;
    std::uint64_t tooLarge = 0;
    std::uint64_t dropped = 0;  ///< frames dropped to shrink the delay
    std::uint64_t expanded = 0; ///< frames inserted to grow the delay
    std::uint64_t resets = 0;
    std::chrono::milliseconds concealed{0};    ///< Conceal + Expand output
    std::chrono::microseconds currentDelay{0}; ///< D at the last pop
    std::chrono::microseconds targetDelay{0};
    std::chrono::microseconds jitter{0}; ///< RFC 3550 A.8-style estimate
};

/// The adaptive jitter buffer. Not thread-safe: one media thread inserts and pops.
class JitterBuffer {
public:
    explicit JitterBuffer(JitterBufferConfig config = {});

    /// Stores a packet's payload (copied into preallocated memory).
    JitterInsert insert(std::uint16_t sequenceNumber, std::uint32_t timestamp, bool marker,
                        std::span<const std::uint8_t> payload, TimePoint arrival);
    /// One frame period of playout at `now`.
    PlayoutFrame pop(TimePoint now);
    /// The next buffered packet after the playout point (for FEC), if any.
    std::optional<JitterPacketView> peekNext() const;
    /// Counters.
    const JitterBufferStats& stats() const { return stats_; }
    /// Packets held.
    std::size_t size() const { return stored_; }

private:
    enum class SlotState { Empty, Stored, Played, Concealed, Dropped, LateDiscarded };
    struct Slot {
        std::int64_t seq = -1;
        std::int64_t ts = 0;
        SlotState state = SlotState::Empty;
        bool marker = false;
        std::vector<std::uint8_t> data;
        std::size_t size = 0;
    };

    void reset();
    Slot& slot(std::int64_t seq) { return slots_[static_cast<std::size_t>(seq) % slots_.size()]; }
    const Slot& slot(std::int64_t seq) const { return slots_[static_cast<std::size_t>(seq) % slots_.size()]; }
    bool holds(std::int64_t seq) const;
    std::optional<std::int64_t> nextHeld(std::int64_t from) const;
    std::int64_t unwrapSeq(std::uint16_t seq) const;
    std::int64_t unwrapTs(std::uint32_t ts) const;
    std::int64_t tsToUs(std::int64_t ts) const;
    void addSample(std::int64_t transitUs);
    void growFor(std::int64_t transitUs);
    void updateTarget(TimePoint now);
    std::int64_t delayUs(TimePoint now) const;
    void catchUp();
    PlayoutFrame emitFrame(TimePoint now);

    JitterBufferConfig config_;
    std::int64_t frameSamples_;
    std::int64_t frameUs_;
    std::vector<Slot> slots_;
    std::size_t stored_ = 0;
    bool any_ = false;
    bool started_ = false;
    std::int64_t highestSeq_ = 0;
    std::int64_t nextSeq_ = 0;
    std::int64_t lastTs_ = 0;
    std::int64_t playoutTs_ = 0;
    TimePoint epoch_{};
    std::optional<TimePoint> lastPop_;
    std::optional<TimePoint> lastDrop_;
    // Jitter window: transit samples (us), their histogram buckets (1 ms), a monotonic min queue.
    std::vector<std::int64_t> transit_;
    std::vector<std::uint32_t> bucketOf_;
    std::vector<std::uint32_t> histogram_;
    std::vector<std::size_t> minQueue_;
    std::size_t minHead_ = 0;
    std::size_t minTail_ = 0;
    std::size_t samples_ = 0; ///< total ever added
    std::int64_t targetUs_ = 0;
    std::optional<std::int64_t> lastTransit_;
    double jitterUs_ = 0;
    JitterBufferStats stats_;
};

} // namespace vphone::media
