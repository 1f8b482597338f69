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

/// The device side of every stream: 48 kHz mono in 20 ms frames.
inline constexpr AudioFormat kDeviceFormat{48000, 1, 960};

} // namespace vphone::media
