// One audio stream of a call, as the media thread runs it.
//
// Theory of operation. The session (signalling thread) builds an AudioStream with its sockets,
// source and sink, then hands a pointer to the media thread; from then on only the media thread
// calls it, except for the stats box and the event queue, which are thread-safe. Each
// negotiation produces a StreamPlan (codecs, direction, remote addresses, SRTP mode and keys)
// that apply() installs without tearing the stream down: a codec change replaces the encoder
// or decoder, a new SDES key rekeys SRTP, an unchanged DTLS association is kept.
//
//   send:    source (paced) -> [echo canceller for real devices] -> resample to the codec rate
//            -> encode (Opus DTX may skip a frame; the next packet gets the marker bit) or an
//            RFC 4733 event in place of the audio frame -> RTP header -> SRTP -> latched address
//   receive: demux (RFC 7983 / RFC 5761) -> DTLS (handshake) | RTCP | RTP -> SRTP unprotect
//            (failures counted) -> RtpSession (RFC 3550 stats) -> one SSRC at a time ->
//            telephone-event -> DtmfReceiver, or audio -> JitterBuffer -> decode / FEC / PLC ->
//            resample to the device rate -> sink (paced by the media thread's 20 ms tick)
//
// Telephone events replace audio frames on the same SSRC, so their sequence numbers would
// look like holes to the jitter buffer; each event packet therefore stands in as an empty
// frame (played as silence, not counted as loss). RTCP goes out when RtpSession says (A.7),
// SRTCP-protected, and a BYE at stop().
#pragma once

#include "audio_stream_parts.h"
#include "local_tone.h"
#include "rtp_transport.h"
#include "thread_stream.h"

#include "device/wav_file.h"

#include <memory>
#include <optional>

namespace vphone::media {

class AudioStream final : public ThreadStream, private RtpTransport::Owner {
public:
    /// Everything the stream owns; sockets are already bound (their ports are in our SDP).
    AudioStream(std::string id, std::vector<SocketPair> sockets, std::unique_ptr<AudioSource> source,
                std::unique_ptr<AudioSink> sink, bool echoCancel, std::shared_ptr<EventQueue> events,
                RtpIdentity identity);
    ~AudioStream();
    AudioStream(const AudioStream&) = delete;
    AudioStream& operator=(const AudioStream&) = delete;

    // Any thread.
    const std::string& id() const { return id_; }
    /// The stats the media thread published last.
    StreamStats stats() const;
    /// Closes the sockets and drops the devices; only once the media thread no longer runs it.
    void release();
    /// Our RTP port (the same on every local address).
    std::uint16_t rtpPort() const { return transport_.rtpPort(); }

    // Media thread only.
    /// Installs a negotiation result.
    void apply(const StreamPlan& plan, TimePoint now);
    /// Queues DTMF digits (validated by the caller) for RFC 4733 events.
    void queueDtmf(const std::string& digits);
    /// Mute: the capture is replaced by silence before encoding (RTP keeps flowing, the peer
    /// hears nothing; the echo canceller still sees the capture so it stays adapted).
    void setMuted(bool muted) { muted_ = muted; }
    /// An in-call device switch: the capture continues from `source` from the next tick (the
    /// RTP timeline does not notice). Returns the old source, which the caller disposes of on
    /// the thread that made it (a Qt device belongs to its thread).
    std::unique_ptr<AudioSource> replaceSource(std::unique_ptr<AudioSource> source);
    /// The same for the play-out: the old sink is closed here (a WAV file is finished) and returned.
    std::unique_ptr<AudioSink> replaceSink(std::unique_ptr<AudioSink> sink);
    /// Echo cancellation on (a real microphone and speaker) or off (a conference bridge port, whose
    /// "capture" never holds what it "played"); switching on makes a fresh, unadapted canceller.
    void setEchoCancel(bool on);
    /// A tone mixed into the play-out only (we hear it, the peer does not): the call-waiting
    /// tone. nullopt stops it; a new one starts its cadence from the beginning.
    void setLocalTone(std::optional<LocalTone> tone);
    /// Call recording: what we send (after mute) and what we play out, mixed, one 48 kHz mono
    /// frame per tick, into `writer` (shared with the session only to hand it over). Null stops
    /// and closes the file. A write error stops the recording and is reported as a media error.
    void setRecorder(std::shared_ptr<WavWriter> writer);
    /// Shares the call's lip-sync state (set before the thread runs the stream).
    void setLipSync(std::shared_ptr<LipSync> sync) { lipSync_ = std::move(sync); }
    /// File descriptors to poll, tagged with their index for onReadable().
    void collectFds(std::vector<int>& fds) const override;
    /// The socket with this index (as collected) is readable.
    void onReadable(std::size_t index, TimePoint now) override;
    /// One device frame period (20 ms): capture, send, play out.
    void tick(TimePoint frameTime, TimePoint now) override;
    /// When onTimeout() must run next (RTCP, DTLS retransmission).
    std::optional<TimePoint> nextDeadline() const override;
    void onTimeout(TimePoint now) override;
    /// Sends RTCP BYE and DTLS close_notify, closes the sink.
    void stop(TimePoint now) override;

private:
    // Send path (audio_stream.cpp).
    void captured(std::span<const std::int16_t> frame, TimePoint now);
    void sendFrame(std::span<const std::int16_t> pcm, TimePoint now);
    bool sendDtmfFrame(TimePoint now);
    void sendRtp(std::uint8_t pt, std::uint32_t timestamp, bool marker, std::span<const std::uint8_t> payload,
                 TimePoint now);
    // Receive path (audio_stream.cpp).
    void playOut(TimePoint frameTime, TimePoint now);
    /// Mixes the frame just played with the one sent and appends it to the recording.
    void record();
    void decodeOne(TimePoint frameTime);
    void presented(std::uint32_t timestamp, TimePoint frameTime);
    void receiveAudio(const RtpPacketView& packet, const sdp::NegotiatedCodec& codec, TimePoint now);
    void receiveEvent(const RtpPacketView& packet, TimePoint now);
    bool switchDecoder(const sdp::NegotiatedCodec& codec);
    void resetJitterBuffer();
    // RtpTransport::Owner.
    void onRtp(const RtpPacketView& packet, TimePoint now) override;
    void onRemoteSourceChanged() override;
    void onRtpSessionEvent(const RtpSessionEvent& event, TimePoint now) override;
    void onSecured(TimePoint now) override;
    void maybeStarted();
    void publish(TimePoint now);
    void error(std::string what);

    std::string id_;
    std::unique_ptr<AudioSource> source_;
    std::unique_ptr<AudioSink> sink_;
    std::optional<EchoCanceller> echo_;
    std::optional<ToneMixer> localTone_;
    bool muted_ = false;
    std::shared_ptr<WavWriter> recorder_;
    std::vector<std::int16_t> recordSent_; ///< captured samples waiting for their played frame
    std::vector<std::int16_t> mixed_;
    std::shared_ptr<LipSync> lipSync_;
    std::optional<double> audioOffsetMs_; ///< smoothed presentation offset (see LipSync)
    std::vector<std::int16_t> silence_;
    std::shared_ptr<EventQueue> events_;
    RtpIdentity identity_;
    mutable std::mutex statsMutex_;
    StreamStats published_;
    StreamStats stats_;
    RtpTransport transport_;

    StreamPlan plan_;
    bool planned_ = false;
    bool started_ = false;
    std::string announced_; ///< codec and destination of the last MediaStarted (re-sent on change)
    bool sourceDone_ = false;
    std::vector<std::int16_t> deviceIn_;
    std::vector<std::int16_t> echoOut_;
    std::vector<std::int16_t> lastPlayed_;
    std::vector<std::int16_t> deviceOut_;

    // Send.
    std::unique_ptr<AudioCodec> encoder_;
    std::string encoderKey_;
    std::uint8_t sendPt_ = 0;
    std::optional<Resampler> encodeResampler_;
    bool encodePrimed_ = false;
    std::vector<std::int16_t> codecIn_;
    std::vector<std::uint8_t> payload_;
    std::uint32_t timestamp_ = 0;
    std::uint32_t rtpClock_ = 8000;
    bool talkspurt_ = true;
    std::deque<char> dtmfQueue_;
    std::optional<DtmfSender> dtmfSender_;
    int dtmfSenderRate_ = 0;
    int dtmfGap_ = 0;

    // Receive.
    std::unique_ptr<AudioCodec> decoder_;
    int decoderPt_ = -1;
    std::optional<JitterBuffer> jitter_;
    std::optional<Resampler> decodeResampler_;
    bool decodePrimed_ = false;
    std::vector<std::int16_t> decoded_;
    DtmfReceiver dtmfReceiver_;
    std::optional<TimePoint> lastAudioArrival_;
    std::optional<std::uint16_t> lastAudioSeq_;
    std::uint32_t lastAudioTs_ = 0;
    std::uint64_t lateBase_ = 0;
    std::uint64_t concealedBase_ = 0;
};

} // namespace vphone::media
