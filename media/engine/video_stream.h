// One video stream of a call, as its media thread runs it.
//
// Theory of operation. The session builds a VideoStream with its sockets, source and sink and
// runs it on a MediaThread of its own whose tick is the source's frame period, so encoding and
// decoding never delay the audio thread. apply() installs each negotiation (StreamPlan) without
// tearing the stream down: a new send codec makes a new encoder, a new receive payload type a new
// decoder and receive buffer; SRTP and DTLS live in the RtpTransport as for audio.
//
//   send:    source (one frame per tick) -> layer choice (the peer's max-fs, --max-resolution,
//            the bandwidth estimate: size first, then frame rate) -> encoder (keyframe when the
//            peer asked by PLI/FIR, on the first frame, and every keyframeInterval as a fallback)
//            -> H.264 (RFC 6184 mode 1) or VP8 (RFC 7741) payloads -> RtpTransport; each datagram
//            is kept for a second so a generic NACK is answered by sending it again. A source
//            that is an EncodedVideoSource (a conference composite) encodes for us: the stream
//            gives it the layer, its target bitrate and its keyframe wish, and packetizes the
//            frames it gets back (one encoder shared by the streams asking alike).
//   receive: RtpTransport -> VideoReceiveBuffer (reorders, reassembles whole frames, lists the
//            holes to NACK, gives up a frame after maxWait) -> decoder (delta frames are skipped
//            after a loss until a keyframe arrives; a PLI, or FIR when that is all the peer takes,
//            asks for it, at most every 300 ms) -> sink.
//   rate:    RTCP receiver reports, REMB/TMMBR and NACK counts feed a BandwidthEstimator whose
//            target drives the encoder bitrate, then the layer (resolution, frame rate).
//
// Statistics are published after every tick and datagram burst (StreamStats::video).
#pragma once

#include "audio_stream_parts.h"
#include "payload/h264_rtp.h"
#include "payload/video_receive_buffer.h"
#include "payload/vp8_rtp.h"
#include "rtp/bandwidth_estimator.h"
#include "rtp/delay_estimator.h"
#include "rtp/retransmit_buffer.h"
#include "rtp_transport.h"
#include "shared_video_encoder.h"
#include "thread_stream.h"
#include "video/video_codec.h"
#include "video_device.h"

namespace vphone::media {

/// Limits of one video stream, from the profile.
struct VideoStreamConfig {
    int maxWidth = 1280; ///< --max-resolution
    int maxHeight = 720;
    int startKbps = 2500; ///< where the sender's estimate starts
    int minKbps = 100;
    int maxKbps = 2500;
    std::chrono::milliseconds keyframeInterval{10000}; ///< fallback when no PLI/FIR comes
};

class VideoStream final : public ThreadStream, private RtpTransport::Owner {
public:
    VideoStream(std::string id, std::vector<SocketPair> sockets, std::unique_ptr<VideoSource> source,
                std::unique_ptr<VideoSink> sink, VideoStreamConfig config, std::shared_ptr<EventQueue> events,
                RtpIdentity identity);
    ~VideoStream();
    VideoStream(const VideoStream&) = delete;
    VideoStream& operator=(const VideoStream&) = delete;

    // Any thread.
    const std::string& id() const { return id_; }
    StreamStats stats() const;
    void release();
    std::uint16_t rtpPort() const { return transport_.rtpPort(); }

    // Media thread only.
    void apply(const StreamPlan& plan, TimePoint now);
    /// Shares the call's lip-sync state (set before the thread runs the stream).
    void setLipSync(std::shared_ptr<LipSync> sync) { lipSync_ = std::move(sync); }
    /// Media thread: frames come from `source` from the next tick (a conference composite in place
    /// of the camera, and back); the encoder follows a size change. Returns the old source.
    std::unique_ptr<VideoSource> replaceSource(std::unique_ptr<VideoSource> source)
    {
        std::swap(source_, source);
        encodedSource_ = dynamic_cast<EncodedVideoSource*>(source_.get());
        return source;
    }
    /// Media thread: decoded frames go to `sink` from now on. Returns the old sink, not closed
    /// (a camera view or file parked while the call is in a conference).
    std::unique_ptr<VideoSink> replaceSink(std::unique_ptr<VideoSink> sink)
    {
        std::swap(sink_, sink);
        return sink;
    }
    void collectFds(std::vector<int>& fds) const override;
    void onReadable(std::size_t index, TimePoint now) override;
    void tick(TimePoint frameTime, TimePoint now) override;
    std::optional<TimePoint> nextDeadline() const override;
    void onTimeout(TimePoint now) override;
    void stop(TimePoint now) override;

private:
    // Send path.
    void sendFrame(const VideoFrame& frame, TimePoint frameTime, TimePoint now);
    void sendShared(TimePoint frameTime, TimePoint now);
    bool keyframeDue(TimePoint now) const;
    void sendEncoded(const EncodedVideoFrame& frame, TimePoint frameTime, TimePoint now);
    BandwidthEstimator::Layer chooseLayer();
    bool ensureEncoder(const BandwidthEstimator::Layer& layer);
    // Receive path.
    void onRtp(const RtpPacketView& packet, TimePoint now) override;
    void onRemoteSourceChanged() override;
    void onRtpSessionEvent(const RtpSessionEvent& event, TimePoint now) override;
    void onSecured(TimePoint now) override;
    void drainFrames(TimePoint now);
    void decodeFrame(const AssembledFrame& frame, TimePoint now);
    void requestKeyframe(TimePoint now);
    void present(std::uint32_t timestamp, TimePoint now);
    void render(const VideoFrame& frame, std::optional<double> sentMs, TimePoint now);
    void renderDue(TimePoint now);
    void sendNacks(TimePoint now);
    void resetReceiver(VideoPayloadFormat format);
    // Shared.
    void maybeStarted();
    void publish(TimePoint now);
    void error(std::string what);
    bool remoteAccepts(std::string_view type, std::string_view parameters = {}) const;

    std::string id_;
    std::unique_ptr<VideoSource> source_;
    EncodedVideoSource* encodedSource_ = nullptr; ///< source_ when it encodes for us (a conference)
    std::unique_ptr<VideoSink> sink_;
    VideoStreamConfig config_;
    std::shared_ptr<EventQueue> events_;
    RtpIdentity identity_;
    mutable std::mutex statsMutex_;
    StreamStats published_;
    StreamStats stats_;
    RtpTransport transport_;

    StreamPlan plan_;
    bool planned_ = false;
    bool started_ = false;
    std::string announced_;
    VideoFrame captured_;

    // Send.
    std::optional<VideoCodecId> sendCodecId_;
    std::uint8_t sendPt_ = 0;
    std::unique_ptr<VideoEncoder> encoder_;
    std::optional<H264Packetizer> h264Packetizer_;
    bool singleNal_ = false; ///< H.264 packetization-mode 0 (RFC 6184 §6.2)
    std::optional<Vp8Packetizer> vp8Packetizer_;
    std::vector<std::vector<std::uint8_t>> payloads_;
    EncodedVideoFrame encoded_;
    std::vector<SharedEncodedFrame> sharedFrames_;
    RetransmitBuffer retransmit_;
    BandwidthEstimator bandwidth_;
    int maxFrameMbs_ = 0; ///< the peer's max-fs (macroblocks), 0 for no limit
    int maxFps_ = 0;      ///< the peer's max-fr, 0 for no limit
    bool keyframeWanted_ = true;
    std::optional<TimePoint> lastKeyframe_;
    std::optional<TimePoint> lastFrameSent_;
    TimePoint epoch_{};
    bool epochSet_ = false;

    // Receive.
    VideoReceiveBuffer receive_;
    DelayEstimator delay_; ///< our delay-based estimate of the path from the peer, sent as REMB
    std::optional<VideoPayloadFormat> recvFormat_;
    int decoderPt_ = -1;
    std::unique_ptr<VideoDecoder> decoder_;
    VideoFrame decoded_;
    bool waitingKeyframe_ = true;
    std::optional<TimePoint> lastKeyframeRequest_;
    std::vector<std::uint8_t> rtpCopy_;
    std::uint8_t firSequence_ = 0;
    std::uint64_t dropBase_ = 0;
    std::uint64_t malformedBase_ = 0;
    // Lip sync: decoded frames wait here until the audio of the same instant plays.
    std::shared_ptr<LipSync> lipSync_;
    struct Pending {
        TimePoint due;
        std::optional<double> sentMs;
        VideoFrame frame;
    };
    std::deque<Pending> pending_;
    std::vector<VideoFrame> spare_; ///< frames reused for pending_

    // Rates (first and latest frame each way).
    std::optional<TimePoint> firstSent_;
    TimePoint lastSent_{};
    std::optional<TimePoint> firstDecoded_;
    TimePoint lastDecoded_{};
};

} // namespace vphone::media
