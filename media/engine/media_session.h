// MediaSession: the media of one call, driven by SDP offer/answer from the signalling thread.
//
// How vphone-cli / the app use it (all calls from the signalling thread unless noted):
//
//   auto made = MediaSession::create(config);           // MediaConfig from the profile/options
//   if (!made) fail(made.error().what);
//   auto& media = **made;
//   media.setEventNotifier([obj] { QMetaObject::invokeMethod(obj, "drainMedia", Qt::QueuedConnection); });
//
//   // Outgoing call: our offer goes into the INVITE, the answer comes in the 200 (or 183).
//   auto offer = media.createOffer();                  // binds the RTP/RTCP ports on first use
//   ... INVITE with *offer ...
//   if (auto ok = media.applyAnswer(answerBody); !ok) { hang up; log ok.error().what; }
//   ... if the INVITE failed instead: media.rejectOffer();
//
//   // Incoming call (or re-INVITE): answer the offer, or refuse with error().status (488/491).
//   auto answer = media.answer(offerBody);
//   if (!answer) respond(answer.error().status, answer.error().what); else respond 200 with *answer;
//
//   // Hold / resume: a re-offer (sendonly / sendrecv) to send in a re-INVITE, then applyAnswer().
//   auto reoffer = media.setHold(true);
//   // Another codec order for the next offer (codec change on re-offer):
//   media.setCodecs({"pcmu", "telephone-event"}); auto reoffer2 = media.createOffer();
//
//   media.sendDtmf("123#");                            // RFC 4733 events on the audio stream
//   while (auto e = media.pollEvent()) ...             // any thread; see media_events.h
//   for (auto& s : media.stats()) print(toJson(s));    // published by the media thread every 20 ms
//   media.stop();                                      // BYE, closes ports, joins the thread
//
// Theory of operation. The session owns an OfferAnswerSession (core/sdp) and builds each
// LocalSession from the config: our address and port, codec list, direction from the hold
// wish, SDES a=crypto lines (one random key per suite, kept for the whole call) or the DTLS
// fingerprint. With a STUN server, each stream's sockets come already probed from the
// process's StunPrefetch pool (stun_prefetch.h; none ready: fresh sockets and the local address,
// at once). The first successful negotiation creates the audio source and sink (on this
// thread: Qt devices must live on a thread with an event loop), the AudioStream and the media
// thread; every later one posts the new StreamPlan to it. Hold: we hold when our last
// negotiated offer/answer asked for sendonly/inactive; the peer holds us when its SDP says it
// will not receive (sendonly, inactive, or c=0.0.0.0). Each change is reported as HoldChanged.
#pragma once

#include "audio_stream.h"
#include "engine_config.h"
#include "media_events.h"
#include "media_thread.h"
#include "srtp/sdes_crypto.h"
#include "stun_prefetch.h"
#include "video_stream.h"

#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::media {

class MediaSession {
public:
    /// Checks the config, loads (or creates) the DTLS certificate when needed. No ports yet.
    /// The first session with SRTP in a process initialises libsrtp2 (a fraction of a second).
    static EngineResult<std::unique_ptr<MediaSession>> create(MediaConfig config);
    ~MediaSession();
    MediaSession(const MediaSession&) = delete;
    MediaSession& operator=(const MediaSession&) = delete;

    /// Our offer (initial or re-offer). Errors: no free port, an offer already pending.
    EngineResult<std::string> createOffer();
    /// Applies the answer to our pending offer; on error the previous media stays in force.
    /// The same answer again (same o= line: a 183's answer repeated in the 200) is accepted as is.
    EngineResult<bool> applyAnswer(std::string_view remoteAnswer);
    /// Our pending offer was refused (488, 491, a failed re-INVITE).
    void rejectOffer();
    /// Answers a remote offer; errors carry 488 (not acceptable, with the reason) or 491.
    EngineResult<std::string> answer(std::string_view remoteOffer);

    /// Hold (sendonly) or resume (sendrecv): returns the re-offer to send.
    EngineResult<std::string> setHold(bool hold);
    /// Adds (true) or removes (false) the video stream: returns the re-offer to send (a camera
    /// switched on during an audio call, and off again). Errors: no video source or sink configured.
    EngineResult<std::string> setVideo(bool on);
    /// True when our offers carry video.
    bool videoWanted() const { return videoWish_; }
    /// Codec names for the next offers (see parseCodecList()).
    EngineResult<bool> setCodecs(std::vector<std::string> names);
    /// Sends DTMF digits (0-9 * # A-D) as RFC 4733 events. Errors: bad digit, no agreed
    /// telephone-event, media not started.
    EngineResult<bool> sendDtmf(std::string_view digits);
    /// Mutes or unmutes the microphone: silence is sent in its place (no re-INVITE; the peer
    /// keeps receiving RTP). Works before the media starts too.
    void setMuted(bool muted);
    bool muted() const { return muted_; }
    /// A tone mixed into this call's play-out only (LocalTone::callWaiting() while another call
    /// rings); nullopt stops it. Works before the media starts too (applied when it does).
    void setLocalTone(std::optional<LocalTone> tone);
    bool localTone() const { return localTone_.has_value(); }
    /// Switches the call's microphone to a source spec (device[:NAME], tone:HZ, file:PATH,
    /// silence) without renegotiation: the new source is made here (a Qt device needs this
    /// thread's event loop), the media thread swaps it in between two ticks (a short glitch at
    /// most) and the old one is disposed of on the thread that made it. Before the media starts
    /// the spec just replaces the configured one. Errors (the old source stays): a bad spec, a
    /// device that cannot be opened.
    EngineResult<bool> setAudioSource(const std::string& spec);
    /// The same for the speaker (device[:NAME], file:PATH, null); the old sink is closed.
    EngineResult<bool> setAudioSink(const std::string& spec);
    /// Conference (issue 8): the call's audio comes from `source` and goes to `sink` (a bridge
    /// port; each factory is called anew for every stream the session makes) instead of the
    /// configured devices, from the next tick and for the rest of the call (re-INVITEs, hold),
    /// until clearAudioDevices(). No echo canceller runs meanwhile. Device switches asked for in
    /// the meantime (setAudioSource/Sink) are only remembered for afterwards. Errors: the session
    /// is stopped, a factory is missing or fails (the old devices stay).
    EngineResult<bool> setAudioDevices(AudioSourceFactory source, AudioSinkFactory sink);
    /// The configured devices again (a participant leaving a conference); nothing if none was set.
    EngineResult<bool> clearAudioDevices();
    /// Expires when the session is destroyed: lets a conference bridge that outlives a call
    /// notice it is gone (signalling thread).
    std::weak_ptr<const void> lifetime() const { return lifetime_; }
    /// True between setAudioDevices() and clearAudioDevices().
    bool audioDevicesSet() const { return static_cast<bool>(bridgeSource_); }
    /// The same for video: the stream's source becomes the conference composite and its decoded
    /// frames go to the bridge, now (the call's own camera and display are parked until
    /// clearVideoDevices()) and for a video stream made later (video added by re-INVITE).
    EngineResult<bool> setVideoDevices(VideoSourceFactory source, VideoSinkFactory sink);
    /// The call's own video source and sink again.
    EngineResult<bool> clearVideoDevices();
    /// The source and sink specs in force (the config's until a switch).
    const std::string& audioSource() const { return config_.audioSource; }
    const std::string& audioSink() const { return config_.audioSink; }
    /// Records the call to `path` (a WAV file, 48 kHz mono: what we send and what we hear,
    /// mixed) until stopRecording() or the end of the call; a recording already running is
    /// closed first. Errors: the file cannot be created. Works before the media starts too.
    EngineResult<bool> startRecording(const std::string& path);
    /// Stops and closes the recording (nothing when none runs).
    void stopRecording();
    /// The file being recorded to, empty when not recording.
    const std::string& recordingPath() const { return recordingPath_; }

    /// True between createOffer()/setHold() and applyAnswer()/rejectOffer(): an SDP that
    /// arrives now is the answer (a provider told "negotiated(local, remote)" can tell which).
    bool offerPending() const { return offerAnswer_.offerPending(); }
    /// Who holds whom, after the last negotiation.
    HoldState holdState() const { return hold_; }
    /// Per-stream statistics (signalling thread; the media thread publishes them every frame).
    std::vector<StreamStats> stats() const;
    /// Local RTP port of the audio stream (0 before the first offer/answer).
    std::uint16_t audioPort() const;

    /// Events (any thread): pollEvent() drains; the notifier runs on the pushing thread.
    std::optional<MediaEvent> pollEvent() { return events_->poll(); }
    void setEventNotifier(std::function<void()> notifier) { events_->setNotifier(std::move(notifier)); }

    /// Ends the media: RTCP BYE, ports closed, thread joined, sink file finished. Idempotent.
    void stop();

private:
    explicit MediaSession(MediaConfig config);
    /// Binds an RTP/RTCP pair per local address into `sockets` unless `port` is set already.
    /// What the STUN server saw of a stream's sockets on one local address (stun_probe.h).
    struct StunMapping {
        std::string local; ///< the local address the sockets are bound on
        MediaAddress rtp;
        std::optional<MediaAddress> rtcp;
    };
    EngineResult<bool> bindPairs(std::vector<SocketPair>& sockets, std::uint16_t& port,
                                 std::optional<StunMapping>* mapping = nullptr, const char* stream = "");
    /// Takes a set of sockets the STUN pool probed ahead (stun_prefetch.h) into `sockets` and
    /// `mapping`; false (and a MediaErrorEvent saying why) when none is ready: never waits.
    bool takePrefetched(std::vector<SocketPair>& sockets, std::optional<StunMapping>& mapping,
                        const char* stream);
    /// Puts a mapping into a stream of our SDP (and the session address).
    static void applyStun(const std::optional<StunMapping>& mapping, const std::string& address,
                          sdp::LocalSession& session, sdp::LocalStream& stream);
    EngineResult<bool> ensureSockets();
    EngineResult<sdp::LocalSession> localSession(const std::string& address);
    EngineResult<bool> applyNegotiated(const sdp::Negotiated& negotiated,
                                       const sdp::SessionDescription& remote);
    EngineResult<StreamPlan> planFor(const sdp::NegotiatedStream& stream);
    EngineResult<bool> startStream();
    EngineResult<bool> ensureVideoSockets();
    EngineResult<bool> startVideo();
    void stopVideo();
    void applyVideo(const sdp::Negotiated& negotiated);
    sdp::Direction wishDirection(bool canSend, bool canReceive) const;
    void updateHold(const sdp::SessionDescription& remote, const sdp::NegotiatedStream& stream);

    MediaConfig config_;
    std::shared_ptr<const void> lifetime_ = std::make_shared<int>(0);
    AudioSourceFactory bridgeSource_; ///< setAudioDevices(): preferred over the config's devices
    AudioSinkFactory bridgeSink_;
    VideoSourceFactory bridgeVideoSource_;
    VideoSinkFactory bridgeVideoSink_;
    /// The call's own video devices while the stream uses the bridge's (video thread only).
    struct ParkedVideo {
        std::unique_ptr<VideoSource> source;
        std::unique_ptr<VideoSink> sink;
    };
    std::shared_ptr<ParkedVideo> parkedVideo_;
    std::shared_ptr<EventQueue> events_ = std::make_shared<EventQueue>();
    std::mt19937 random_;
    sdp::OfferAnswerSession offerAnswer_;
    std::vector<SdesCrypto> sdesCryptos_; ///< our keys, one per suite, for the whole call
    std::vector<SdesCrypto> videoSdesCryptos_;
    std::vector<SocketPair> sockets_; ///< bound, until the stream takes them
    std::optional<StunMapping> stunAudio_;
    std::optional<StunMapping> stunVideo_;
    std::shared_ptr<StunPrefetch> stunPool_; ///< MediaConfig::stunHost's pool (probes ahead of the offers)
    std::uint16_t port_ = 0;
    SteadyAudioClock clock_;
    std::unique_ptr<AudioStream> audio_;
    std::shared_ptr<LipSync> lipSync_ = std::make_shared<LipSync>();
    std::string cname_; ///< one CNAME for all our streams (RFC 3550 §6.5.1: lip sync groups by it)
    MediaThread thread_;
    // Video: its own sockets (bound at the first offer that carries it) and thread.
    bool videoWish_ = false; ///< what our next offer asks
    std::optional<bool> pendingVideo_;
    bool videoInForce_ = false;
    VideoSourceSpec videoSourceSpec_;
    VideoSinkSpec videoSinkSpec_;
    std::vector<SocketPair> videoSockets_;
    std::uint16_t videoPort_ = 0;
    std::unique_ptr<VideoStream> video_;
    std::unique_ptr<MediaThread> videoThread_;
    std::vector<StreamStats> finishedVideo_; ///< stats of video streams removed mid-call
    bool holdWish_ = false;                  ///< what our next offer asks
    bool holdInForce_ = false;               ///< what the last negotiation did
    std::optional<bool> pendingHold_;
    std::optional<sdp::Origin> lastAnswerOrigin_;
    HoldState hold_ = HoldState::None;
    bool dtmfAgreed_ = false;
    bool muted_ = false;
    std::optional<LocalTone> localTone_;
    std::shared_ptr<WavWriter> recorder_; ///< handed to the audio stream; kept to know the file
    std::string recordingPath_;
    bool stopped_ = false;
};

} // namespace vphone::media
