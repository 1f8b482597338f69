// What the media engine tells the signalling thread, and the per-stream statistics.
//
// Events travel through a thread-safe queue (EventQueue): the media thread pushes and calls the
// notifier the owner installed (a Qt owner posts a queued call to itself there, then drains
// MediaSession::pollEvent() on its own thread). Statistics are snapshots the media thread
// publishes after every frame; toJson() gives the shape vphone-cli prints.
#pragma once

#include "srtp/srtp_session.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace vphone::media {

/// Who holds whom (RFC 3264 §8.4): we put the peer on hold, the peer put us on hold, or both.
enum class HoldState { Invalid, None, Local, Remote, Both };
/// "none", "local", "remote", "both".
std::string_view toString(HoldState state);

/// The stream's pipeline runs (SRTP keyed when required) and sends to `remote`; sent again when a
/// re-offer changes the codec or the remote address.
struct MediaStarted {
    std::string stream;
    std::string codec;
    std::string remote; ///< "host:port" (IPv6 in brackets)
};
/// DTLS-SRTP finished: keys are in place.
struct DtlsConnected {
    std::string stream;
    SrtpSuite suite = SrtpSuite::Invalid;
};
/// DTLS-SRTP failed (bad fingerprint, no common profile, ...): the stream stays silent.
struct DtlsFailed {
    std::string stream;
    std::string reason;
};
/// A telephone-event (RFC 4733) digit began at the far end.
struct DtmfReceived {
    std::string stream;
    char digit = '\0';
};
/// The hold state changed after an offer/answer exchange.
struct HoldChanged {
    HoldState state = HoldState::Invalid;
};
/// Something the user should know ("SRTP mandatory but the answer has no crypto").
struct MediaErrorEvent {
    std::string stream;
    std::string what;
};

/// A STUN server (MediaConfig::stunHost) told us what it sees of a stream's socket before our
/// SDP was written: `socket` "rtp" or "rtcp", `mapped` "host:port" (now in the SDP).
struct StunMapped {
    std::string stream;
    std::string socket;
    std::string mapped;
    std::string server;
};

using MediaEvent = std::variant<MediaStarted, DtlsConnected, DtlsFailed, DtmfReceived, HoldChanged,
                                MediaErrorEvent, StunMapped>;

/// One line of text for logs and vphone-cli --events: {"event":"media","kind":"dtmf",...}.
std::string toJson(const MediaEvent& event);

/// Multi-producer, single-consumer event queue with a wake-up callback.
class EventQueue {
public:
    /// Called (on the pushing thread) after each push; must not block.
    void setNotifier(std::function<void()> notifier);
    void push(MediaEvent event);
    std::optional<MediaEvent> poll();

private:
    std::mutex mutex_;
    std::deque<MediaEvent> events_;
    std::function<void()> notifier_;
};

/// Statistics of one stream (see toJson() for the names).
struct StreamStats {
    std::string id = "audio";
    std::string type = "audio";
    std::string codec; ///< encoding name of what we send, lower case ("opus", "pcmu")
    std::optional<SrtpSuite> srtpSuite;
    std::string keying; ///< "sdes" / "dtls" when SRTP is on
    std::string direction = "inactive";
    bool echoCanceller = false; ///< the capture path runs the echo canceller (sound-card microphones)
    bool muted = false;         ///< we send silence (MediaSession::setMuted)
    std::uint64_t packetsSent = 0;
    std::uint64_t packetsReceived = 0;
    std::uint64_t bytesSent = 0; ///< UDP payload bytes of RTP (SRTP tags included)
    std::uint64_t bytesReceived = 0;
    std::int64_t lost = 0; ///< RFC 3550 cumulative lost of the current source
    std::uint64_t late = 0;
    std::uint64_t concealedMs = 0;
    double jitterMs = 0;
    std::optional<double> rttMs;
    double jitterBufferMs = 0;
    std::uint64_t srtpAuthFailures = 0;
    std::uint64_t srtpReplays = 0;
    std::uint64_t malformed = 0; ///< datagrams that are not RTP/RTCP/DTLS/STUN or fail RTP checks
    std::uint64_t unexpected =
        0; ///< plain packets while SRTP is required, unknown payload types, foreign SSRCs
    std::uint64_t foreignSsrc = 0; ///< of `unexpected`: another source's packets while ours was live
    std::uint64_t rtcpSent = 0;
    std::uint64_t rtcpReceived = 0;
    std::uint64_t byeReceived = 0; ///< RTCP BYE from the peer's source
    std::uint64_t dtmfSent = 0;
    std::uint64_t dtmfReceived = 0;

    /// Video only (type "video"): what we decode and send, and the feedback both ways.
    struct Video {
        int width = 0; ///< of the last decoded frame
        int height = 0;
        int sentWidth = 0; ///< of the last encoded frame
        int sentHeight = 0;
        double fpsSent = 0; ///< over the last second
        double fpsReceived = 0;
        std::uint64_t framesEncoded = 0;
        std::uint64_t framesDecoded = 0;
        std::uint64_t keyframes = 0;     ///< keyframes decoded
        std::uint64_t keyframesSent = 0; ///< keyframes encoded
        std::uint64_t pli = 0;           ///< PLIs we sent
        std::uint64_t fir = 0;           ///< FIRs we sent
        std::uint64_t nack = 0;          ///< sequence numbers we asked for again
        std::uint64_t pliReceived = 0;
        std::uint64_t firReceived = 0;
        std::uint64_t nackReceived = 0;  ///< sequence numbers the peer asked for
        std::uint64_t retransmitted = 0; ///< packets we sent again
        std::uint64_t rembSent = 0;      ///< our delay-based estimates sent to the peer
        std::uint64_t rembReceived = 0;  ///< REMB / TMMBR bandwidth caps the peer sent
        std::uint64_t tmmbrReceived = 0;
        std::uint64_t framesDropped = 0; ///< frames the receive buffer gave up (loss, bad payload)
        std::uint64_t framesSkipped = 0; ///< frames not decoded while waiting for a keyframe
        std::uint64_t decodeErrors = 0;
        double bitrateKbps = 0; ///< what we send, over the last second
        double bitrateReceivedKbps = 0;
        int targetKbps = 0; ///< the bandwidth estimate driving the encoder
        /// Lip sync: how much later than its sound the last frame was shown (ms; negative: earlier),
        /// from both streams' sender reports; nullopt until both have one.
        std::optional<double> avSyncMs;
        double syncDelayMs = 0; ///< how long the last decoded frame was held back for lip sync
    };
    Video video;
};

/// {"type":"audio","codec":"opus","srtp":{"suite":...,"keying":"sdes"}|null,"packets_sent":N,...}
std::string toJson(const StreamStats& stats);

} // namespace vphone::media
