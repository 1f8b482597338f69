// The sender's memory of the RTP packets it sent, so that a generic NACK (RFC 4585 §6.2.1) can be
// answered by plain retransmission: the very same packet again, same SSRC and sequence number.
// We do not negotiate RFC 4588 RTX, so a retransmission is indistinguishable from a late
// original, which is what the receiver's jitter buffer wants.
//
// Theory of operation. store() keeps the unprotected packet (header + payload, before SRTP: each
// retransmission is protected again like any other packet) in slot `sequence % capacity`,
// overwriting whatever was there; the slot remembers the sequence number, so a NACK for a number
// that has since been overwritten misses. take() answers a NACK when the packet is still held,
// no older than maxAge (a frame that late is useless to the receiver), and was not already
// retransmitted within minInterval: receivers repeat a NACK until the packet arrives, and a
// burst of repeats within about half a round trip would only duplicate the retransmission that
// is already on its way. Slots and their byte vectors are allocated once and reused, so after
// warm-up store() allocates only when a packet is larger than any the slot has held. Time is the
// caller's (media_clock.h); nothing here reads a clock.
#pragma once

#include "media_clock.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vphone::media {

/// The last packets sent on one SSRC, kept to answer generic NACKs by retransmission.
class RetransmitBuffer {
public:
    /// minInterval before the caller knows the RTT: half a typical 100 ms round trip.
    static constexpr std::chrono::milliseconds kDefaultMinInterval{50};
    /// Upper bound on `capacity`: one slot per sequence number.
    static constexpr std::size_t kMaxCapacity = 65536;

    /// Holds up to `capacity` packets (clamped to 1..kMaxCapacity) for at most `maxAge`.
    explicit RetransmitBuffer(std::size_t capacity = 1024,
                              std::chrono::milliseconds maxAge = std::chrono::milliseconds{1000});

    /// Stores the unprotected RTP packet (header + payload, before SRTP) we just sent with this
    /// sequence number, replacing whatever its slot held.
    void store(std::uint16_t sequence, std::span<const std::uint8_t> rtpPacket, TimePoint now);

    /// The stored packet for a NACKed sequence number, if still held, not older than maxAge and
    /// not retransmitted within minInterval; nullptr otherwise. A non-null answer counts as
    /// retransmitted (the caller sends it now). The pointer stays valid until the next store()
    /// or clear().
    const std::vector<std::uint8_t>* take(std::uint16_t sequence, TimePoint now);

    /// The shortest time between two retransmissions of one packet; about RTT/2 once known.
    void setMinInterval(std::chrono::milliseconds interval);

    /// NACKed packets answered by take().
    std::uint64_t retransmitted() const { return retransmitted_; }
    /// NACKed packets not held any more (overwritten, never stored or older than maxAge).
    std::uint64_t missed() const { return missed_; }
    /// NACKed packets held but withheld because they were retransmitted within minInterval.
    std::uint64_t suppressed() const { return suppressed_; }

    /// Forgets every packet (new SSRC, new keys); keeps the slots' memory and the counters.
    void clear();

    /// Number of slots.
    std::size_t capacity() const { return slots_.size(); }

private:
    struct Slot {
        std::vector<std::uint8_t> packet;
        TimePoint storedAt{};
        TimePoint sentAgainAt{};
        std::uint16_t sequence = 0;
        bool held = false;
        bool sentAgain = false;
    };

    std::vector<Slot> slots_;
    std::chrono::milliseconds maxAge_;
    std::chrono::milliseconds minInterval_{kDefaultMinInterval};
    std::uint64_t retransmitted_ = 0;
    std::uint64_t missed_ = 0;
    std::uint64_t suppressed_ = 0;
};

} // namespace vphone::media
