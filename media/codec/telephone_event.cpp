#include "codec/telephone_event.h"

#include <string>

namespace vphone::media {

std::optional<uint8_t> dtmfEventCode(char key)
{
    if (key >= '0' && key <= '9') return uint8_t(key - '0');
    if (key == '*') return uint8_t{10};
    if (key == '#') return uint8_t{11};
    if (key >= 'A' && key <= 'D') return uint8_t(12 + (key - 'A'));
    if (key >= 'a' && key <= 'd') return uint8_t(12 + (key - 'a'));
    return std::nullopt;
}

char dtmfKey(uint8_t event)
{
    static constexpr char kKeys[] = "0123456789*#ABCD";
    return event < 16 ? kKeys[event] : '\0';
}

std::array<uint8_t, 4> encodeTelephoneEvent(const TelephoneEvent& e)
{
    // RFC 4733 §2.3: event (8) | E (1) R (1) volume (6) | duration (16, network order).
    return {e.event, uint8_t((e.end ? 0x80 : 0x00) | (e.volume & 0x3F)), uint8_t(e.duration >> 8),
            uint8_t(e.duration & 0xFF)};
}

MediaResult<TelephoneEvent> decodeTelephoneEvent(std::span<const uint8_t> payload)
{
    if (payload.size() < 4 || payload.size() % 4 != 0) {
        return mediaError("telephone-event: payload of " + std::to_string(payload.size()) +
                          " bytes (RFC 4733 §2.3: 4 bytes per event)");
    }
    TelephoneEvent e;
    e.event = payload[0];
    e.end = (payload[1] & 0x80) != 0;
    e.volume = payload[1] & 0x3F; // the R bit is ignored on receipt
    e.duration = uint16_t((payload[2] << 8) | payload[3]);
    return e;
}

DtmfSender::DtmfSender(int clockRate, std::chrono::milliseconds packetInterval)
    : clockRate_(uint32_t(clockRate)), intervalUnits_(uint32_t(clockRate * packetInterval.count() / 1000))
{}

MediaResult<bool> DtmfSender::start(uint8_t event, std::chrono::milliseconds duration, uint32_t timestamp,
                                    uint8_t volume)
{
    if (busy()) return mediaError("telephone-event: an event is still being sent");
    if (volume > 63) return mediaError("telephone-event: volume " + std::to_string(volume) + " is over 63");
    if (intervalUnits_ == 0)
        return mediaError("telephone-event: packet interval is shorter than one clock tick");
    if (duration.count() <= 0) return mediaError("telephone-event: duration must be positive");
    const auto units = uint64_t(duration.count()) * clockRate_ / 1000;
    if (units > 0xFFFF) {
        return mediaError("telephone-event: " + std::to_string(duration.count()) +
                          " ms does not fit the 16-bit duration field");
    }
    current_ = TelephoneEvent{event, false, volume, 0};
    timestamp_ = timestamp;
    totalUnits_ = std::max<uint32_t>(uint32_t(units), 1);
    sentUnits_ = 0;
    first_ = true;
    remainingEnds_ = 3;
    return true;
}

std::optional<TelephoneEventPacket> DtmfSender::next()
{
    if (!busy()) return std::nullopt;
    TelephoneEventPacket p;
    p.marker = first_;
    first_ = false;
    p.timestamp = timestamp_;
    if (sentUnits_ < totalUnits_) sentUnits_ = std::min(sentUnits_ + intervalUnits_, totalUnits_);
    current_.duration = uint16_t(sentUnits_);
    if (sentUnits_ >= totalUnits_) {
        // §2.5.1.4: the end packet goes out three times with the same duration.
        current_.end = true;
        --remainingEnds_;
    }
    p.event = current_;
    p.payload = encodeTelephoneEvent(current_);
    return p;
}

MediaResult<DtmfUpdate> DtmfReceiver::receive(uint32_t timestamp, std::span<const uint8_t> payload)
{
    auto decoded = decodeTelephoneEvent(payload);
    if (!decoded) return decoded.error();
    const TelephoneEvent& e = *decoded;
    DtmfUpdate update;
    update.event = e.event;
    update.duration = e.duration;
    if (!active_ || timestamp != timestamp_) {
        active_ = true;
        ended_ = false;
        timestamp_ = timestamp;
        update.began = true;
    }
    if (e.end && !ended_) {
        ended_ = true;
        update.ended = true;
    }
    return update;
}

} // namespace vphone::media
