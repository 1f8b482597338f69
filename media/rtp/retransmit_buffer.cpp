// Retransmission of NACKed RTP packets (RFC 4585 §6.2.1, plain retransmission without RFC 4588).
#include "retransmit_buffer.h"

#include <algorithm>

namespace vphone::media {

RetransmitBuffer::RetransmitBuffer(std::size_t capacity, std::chrono::milliseconds maxAge)
    : slots_(std::clamp<std::size_t>(capacity, 1, kMaxCapacity)), maxAge_(maxAge)
{}

void RetransmitBuffer::store(std::uint16_t sequence, std::span<const std::uint8_t> rtpPacket, TimePoint now)
{
    Slot& slot = slots_[sequence % slots_.size()];
    // assign() keeps the vector's capacity: no allocation once the slot has held a packet this big.
    slot.packet.assign(rtpPacket.begin(), rtpPacket.end());
    slot.storedAt = now;
    slot.sequence = sequence;
    slot.held = true;
    slot.sentAgain = false;
}

const std::vector<std::uint8_t>* RetransmitBuffer::take(std::uint16_t sequence, TimePoint now)
{
    Slot& slot = slots_[sequence % slots_.size()];
    if (!slot.held || slot.sequence != sequence || now - slot.storedAt > maxAge_) {
        ++missed_;
        return nullptr;
    }
    // A NACK repeated before our answer can have arrived: the answer is already on its way.
    if (slot.sentAgain && now - slot.sentAgainAt < minInterval_) {
        ++suppressed_;
        return nullptr;
    }
    slot.sentAgain = true;
    slot.sentAgainAt = now;
    ++retransmitted_;
    return &slot.packet;
}

void RetransmitBuffer::setMinInterval(std::chrono::milliseconds interval)
{
    minInterval_ = std::max(interval, std::chrono::milliseconds{0});
}

void RetransmitBuffer::clear()
{
    for (Slot& slot : slots_) {
        slot.held = false;
        slot.sentAgain = false;
    }
}

} // namespace vphone::media
