// The inputs of an AudioStream: what one negotiation decided for it (StreamPlan) and the
// random identity its RTP session keeps for the whole call (RtpIdentity).
#pragma once

#include "codec/audio_codec.h"
#include "codec/telephone_event.h"
#include "device/audio_device.h"
#include "dsp/echo_canceller.h"
#include "dsp/resampler.h"
#include "media_events.h"
#include "rtp/jitter_buffer.h"
#include "rtp/rtp_session.h"
#include "rtp/symmetric_rtp_latch.h"
#include "sdp/offer_answer.h"
#include "srtp/dtls_srtp.h"
#include "srtp/srtp_session.h"
#include "udp_socket.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vphone::media {

/// What a negotiation decided for one stream, in the media thread's terms.
struct StreamPlan {
    sdp::Direction direction = sdp::Direction::Inactive; ///< ours: SendOnly = we send only
    MediaAddress remoteRtp;
    MediaAddress remoteRtcp; ///< ignored with rtcpMux
    bool rtcpMux = false;
    /// remoteRtp is an IPv4 multicast group (RFC 8866 §5.7) with this TTL: send to it with the
    /// TTL, join it on the remote ports, no latching.
    std::optional<unsigned> multicastTtl;
    std::optional<sdp::NegotiatedCodec> sendCodec;
    std::optional<sdp::NegotiatedCodec> sendEvent; ///< telephone-event we may send
    std::vector<sdp::NegotiatedCodec> recvCodecs;  ///< payload types the peer may send (events included)
    std::chrono::milliseconds sendPtime{20};
    std::chrono::milliseconds recvPtime{20};
    sdp::SrtpMode srtp = sdp::SrtpMode::None;
    std::optional<SrtpKeys> sdesKeys;
    DtlsRole dtlsRole = DtlsRole::Invalid;
    std::string remoteFingerprint; ///< "sha-256 AB:CD:..."
    std::shared_ptr<const DtlsCertificate> certificate;
    std::vector<SrtpSuite> dtlsSuites;
    // Video.
    std::vector<sdp::RtcpFb> remoteFeedback;          ///< what RTCP feedback the peer takes (RFC 4585)
    std::optional<std::uint64_t> remoteMaxBitrateBps; ///< the peer's b=TIAS, or b=AS
};

/// The call's RTP identity, drawn once by the session: SSRC, first sequence number and
/// timestamp, CNAME, seed for RTCP interval randomisation.
struct RtpIdentity {
    std::uint32_t ssrc = 0;
    std::uint16_t initialSequence = 0;
    std::uint32_t initialTimestamp = 0;
    std::string cname;
    std::uint64_t seed = 0;
    std::chrono::milliseconds rtcpMinimumInterval{5000};
};

/// Lip sync between the audio and the video stream of one call (RFC 3550 §6.4.1: both streams'
/// sender reports map their RTP clocks to the sender's one NTP clock). Each stream measures its
/// "presentation offset": local steady time of playing a piece of media minus the sender's NTP time
/// of capturing it (a huge constant, the clocks' difference, plus the real delay; the constant
/// cancels between the two streams). The audio stream publishes its offset; the video stream holds
/// decoded frames until their offset matches it. Audio is never sped up or delayed for video.
struct LipSync {
    std::atomic<double> audioOffsetMs{0}; ///< valid when audioKnown
    std::atomic<bool> audioKnown{false};
};

/// The sender's NTP time (ms since 1900) of RTP timestamp `ts`, from the source's last SR; nullopt
/// before the first SR.
std::optional<double> senderTimeMs(const RtpSource& source, std::uint32_t ts, std::uint32_t clockRate);

/// Local steady time in ms (for presentation offsets).
inline double steadyMs(TimePoint t)
{
    return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count();
}

/// The device side of every stream: 48 kHz mono in 20 ms frames.
inline constexpr AudioFormat kDeviceFormat{48000, 1, 960};

} // namespace vphone::media
