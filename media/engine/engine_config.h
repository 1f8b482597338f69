// Configuration of the media engine and the small result type its API returns.
//
// A MediaConfig is what vphone-cli's media options (--rtp-ports, --codecs, --srtp, --keying,
// --dtls-dir, --audio-source, --audio-sink, --ptime) turn into; the parse helpers here give
// errors that quote the option value. One MediaConfig serves every call of a profile.
#pragma once

#include "device/audio_device.h"
#include "sdp/offer_answer.h"
#include "srtp/dtls_certificate.h"
#include "srtp/srtp_session.h"
#include "video_device.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vphone::media {

/// Why an engine call failed: `status` is the SIP response to send when it answers an offer
/// (488 Not Acceptable Here, 491 Request Pending, 500 for local trouble); `what` says why.
struct EngineError {
    int status = 500;
    std::string what;
};

/// A value or an EngineError.
template <class T> using EngineResult = Expected<T, EngineError>;

/// Makes a custom audio source / sink (the app's own devices, a benchmark's probes) in place
/// of the spec strings; called on the signalling thread when the stream starts.
using AudioSourceFactory =
    std::function<MediaResult<std::unique_ptr<AudioSource>>(AudioFormat format, const AudioClock& clock)>;
using AudioSinkFactory = std::function<MediaResult<std::unique_ptr<AudioSink>>(AudioFormat format)>;

/// An inclusive UDP port range for RTP; RTP takes even ports, RTCP the odd one above.
struct PortRange {
    std::uint16_t min = 16384;
    std::uint16_t max = 32767;
};

/// Everything a MediaSession needs to know before the first offer.
struct MediaConfig {
    PortRange rtpPorts;
    /// Addresses to bind media sockets on (IPv4 and/or IPv6 literals). The first one goes in our
    /// offers; an answer uses the first one of the offer's address family.
    std::vector<std::string> localAddresses{"127.0.0.1"};
    /// Codec names in preference order: opus, pcmu, pcma, g722, telephone-event.
    std::vector<std::string> codecs{"opus", "pcmu", "pcma", "g722", "telephone-event"};
    sdp::SrtpPolicy srtp = sdp::SrtpPolicy::Off;
    sdp::Keying keying = sdp::Keying::Sdes;
    /// SDES: the suites we offer (one a=crypto line each) and accept, by preference.
    std::vector<SrtpSuite> sdesSuites{SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32,
                                      SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm};
    /// DTLS: a certificate already loaded, or a directory where loadOrCreateDtlsCertificate()
    /// keeps the profile's one (created when missing).
    std::shared_ptr<const DtlsCertificate> dtlsCertificate;
    std::string dtlsCertificateDir;
    std::string audioSource = "silence"; ///< tone:HZ | file:PATH | silence | device[:NAME]
    std::string audioSink = "null";      ///< file:PATH | null | device[:NAME]
    AudioSourceFactory sourceFactory;    ///< when set, used instead of audioSource (no echo canceller)
    AudioSinkFactory sinkFactory;        ///< when set, used instead of audioSink
    std::chrono::milliseconds ptime{20}; ///< packet time we ask for and send by default
    /// RFC 3550 §6.2 Tmin between RTCP reports (5 s; a shorter one suits tests and short calls).
    std::chrono::milliseconds rtcpMinimumInterval{5000};
    /// Opus: in-band FEC and DTX we ask the peer for (a=fmtp), and use when it asks.
    bool opusFec = true;
    bool opusDtx = false;

    // Video (issue 6). A video m-line is offered (and a peer's accepted) when there is a source,
    // a file sink or an app sink; sendrecv with a source, recvonly without one.
    std::string videoSource = "off"; ///< testsrc[:WxH[@FPS]] | device[:NAME] | off
    std::string videoSink = "null";  ///< null | file:PATH.y4m
    std::vector<std::string> videoCodecs{"h264", "vp8"};
    int maxVideoWidth = 1280; ///< --max-resolution: nothing larger is sent (aspect kept)
    int maxVideoHeight = 720;
    /// Where the bandwidth estimate starts; 0: at videoMaxKbps (a softphone's configured bitrate is
    /// the user's word for the path; loss and delay reports bring it down within a second or two).
    int videoStartKbps = 0;
    int videoMaxKbps = 2500;               ///< also our b=AS for video
    VideoSourceFactory videoSourceFactory; ///< the app's camera in place of videoSource
    VideoSinkFactory videoSinkFactory;     ///< the app's display in place of videoSink
    bool videoAtStart = true; ///< false: the first offer is audio-only; MediaSession::setVideo() adds it

    /// STUN server (RFC 5389; an IP literal, the caller resolves names; empty: none): a pool
    /// (StunPrefetch, stun_prefetch.h) binds RTP/RTCP sockets ahead of the calls and asks it for
    /// their public address on its own thread; each stream takes a probed pair and our SDP
    /// carries what the server said (c=, m= port, a=rtcp when not port + 1). None ready (the
    /// server silent, slow, or backed off): the local address at once, and a MediaErrorEvent
    /// saying why. stunTimeout bounds each probe (on the pool's thread, never the caller's).
    std::string stunHost;
    std::uint16_t stunPort = 3478;
    std::chrono::milliseconds stunTimeout{1500};
};

/// "MIN-MAX" (1024..65535, MIN <= MAX, room for one even/odd pair).
EngineResult<PortRange> parsePortRange(std::string_view text);
/// "opus,pcmu,..." into names, checked against the codecs we have (case-insensitive).
EngineResult<std::vector<std::string>> parseCodecList(std::string_view text);
/// "h264,vp8" (either order, at least one).
EngineResult<std::vector<std::string>> parseVideoCodecList(std::string_view text);
/// The SDP codecs for video names: H264/90000 (constrained baseline, level 3.1, mode 1), VP8/90000;
/// max-fs and max-fr from the largest size and rate we take.
std::vector<sdp::Codec> videoSdpCodecsFor(const std::vector<std::string>& names, int maxWidth, int maxHeight);
/// "off" | "optional" | "mandatory".
EngineResult<sdp::SrtpPolicy> parseSrtpPolicy(std::string_view text);
/// "sdes" | "dtls".
EngineResult<sdp::Keying> parseKeying(std::string_view text);
/// Checks a whole configuration (addresses, ranges, codecs, device specs); the error names the field.
EngineResult<bool> checkMediaConfig(const MediaConfig& config);

/// The SDP codecs a codec name stands for (telephone-event gives one per clock rate the other
/// codecs use). Names are the ones parseCodecList() accepts.
std::vector<sdp::Codec> sdpCodecsFor(const std::vector<std::string>& names, bool opusFec, bool opusDtx);

/// The DTLS certificate kept in `directory` (dtls-certificate.pem, dtls-key.pem, key mode 0600),
/// generated and written there when missing; the directory is created if needed.
EngineResult<std::shared_ptr<const DtlsCertificate>>
loadOrCreateDtlsCertificate(const std::string& directory);

} // namespace vphone::media
