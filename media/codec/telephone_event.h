// RTP telephone-event payload (RFC 4733): DTMF digits sent out of band.
//
// Theory of operation: a 4-byte payload (§2.3) carries the event code, the end bit, the volume
// (-dBm0, 0..63) and the duration so far in RTP timestamp units. All packets of one event share
// the RTP timestamp of its start; the first has the marker bit (§2.5.1.1); while the key is held
// a packet goes out every packet interval with the duration growing (§2.5.1.2); the final packet
// has the end bit and is sent three times with the same duration (§2.5.1.4) so that one loss
// does not lose the end. DtmfSender produces that packet sequence (the caller sends one packet
// per next() call, every packetInterval, on its RTP stream with this payload type); DtmfReceiver
// turns received packets, with their duplicates and losses, into one "began" and one "ended"
// per event. Events longer than the 16-bit duration field (8.19 s at 8000 Hz) are refused rather
// than split (§2.5.2.3); DTMF digits are a fraction of a second. Nothing here detects tones in audio.
#pragma once

#include "dsp/media_result.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

namespace vphone::media {

/// One event report (RFC 4733 §2.3).
struct TelephoneEvent {
    uint8_t event = 0;     ///< §3.2: 0-9, 10 '*', 11 '#', 12-15 'A'-'D', 16 flash
    bool end = false;      ///< E bit: the last packet(s) of the event
    uint8_t volume = 10;   ///< power level as -dBm0, 0..63
    uint16_t duration = 0; ///< since the event began, in RTP timestamp units
    friend bool operator==(const TelephoneEvent&, const TelephoneEvent&) = default;
};

/// The event code for a DTMF key ('0'-'9', '*', '#', 'A'-'D', case-insensitive), if it is one.
std::optional<uint8_t> dtmfEventCode(char key);
/// The key for a DTMF event code 0-15, or '\0'.
char dtmfKey(uint8_t event);

/// The 4-byte payload of one event.
std::array<uint8_t, 4> encodeTelephoneEvent(const TelephoneEvent& e);
/// Reads the first event of a payload (RFC 4733 allows several, §2.5.1.5; each is 4 bytes).
/// Errors: a payload shorter than 4 bytes, or not a multiple of 4.
MediaResult<TelephoneEvent> decodeTelephoneEvent(std::span<const uint8_t> payload);

/// One packet DtmfSender wants on the wire.
struct TelephoneEventPacket {
    bool marker = false;            ///< RTP M bit (first packet of the event)
    uint32_t timestamp = 0;         ///< RTP timestamp: the event's start, same for all its packets
    TelephoneEvent event;           ///< what the payload says
    std::array<uint8_t, 4> payload; ///< encodeTelephoneEvent(event)
};

class DtmfSender {
public:
    /// clockRate: the telephone-event rtpmap rate (8000 by default, or the audio codec's).
    explicit DtmfSender(int clockRate = 8000,
                        std::chrono::milliseconds packetInterval = std::chrono::milliseconds{50});

    /// Starts an event at RTP timestamp `timestamp` lasting `duration` (at least one interval).
    /// Errors: an event already in progress, an event code over 255, volume over 63, or a
    /// duration beyond the 16-bit field.
    MediaResult<bool> start(uint8_t event, std::chrono::milliseconds duration, uint32_t timestamp,
                            uint8_t volume = 10);
    /// True while packets remain to be sent.
    bool busy() const { return remainingEnds_ > 0; }
    /// The next packet; nullopt when the event is done. Call once per packet interval.
    std::optional<TelephoneEventPacket> next();

private:
    uint32_t clockRate_;
    uint32_t intervalUnits_;
    TelephoneEvent current_;
    uint32_t timestamp_ = 0;
    uint32_t totalUnits_ = 0;
    uint32_t sentUnits_ = 0;
    bool first_ = false;
    int remainingEnds_ = 0;
};

/// What DtmfReceiver learned from one packet.
struct DtmfUpdate {
    bool began = false; ///< a new event started (report the key down)
    bool ended = false; ///< the event ended (report the key up)
    uint8_t event = 0;
    uint16_t duration = 0; ///< the event's duration so far (the whole of it when ended)
};

class DtmfReceiver {
public:
    /// Feeds one received telephone-event packet. Duplicates and the redundant end packets
    /// give an empty update; a new timestamp starts a new event even if the previous end was lost.
    MediaResult<DtmfUpdate> receive(uint32_t timestamp, std::span<const uint8_t> payload);

private:
    bool active_ = false; // an event at timestamp_ has begun
    bool ended_ = false;  // and has ended
    uint32_t timestamp_ = 0;
};

} // namespace vphone::media
