// VideoStream: apply(), the send path, the receive path and feedback (see video_stream.h).
#include "video_stream.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vphone::media {

namespace {

constexpr std::uint32_t kVideoClock = 90000;
constexpr std::size_t kMaxPayload = 1200;
constexpr auto kMinKeyframeGap = std::chrono::milliseconds{200};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::optional<VideoCodecId> codecIdOf(const std::string& name)
{
    const std::string n = lower(name);
    if (n == "h264") return VideoCodecId::H264;
    if (n == "vp8") return VideoCodecId::Vp8;
    return std::nullopt;
}

VideoPayloadFormat payloadFormatOf(VideoCodecId id)
{
    return id == VideoCodecId::H264 ? VideoPayloadFormat::H264 : VideoPayloadFormat::Vp8;
}

int fmtpInt(const std::string& fmtp, std::string_view key)
{
    const auto v = sdp::Fmtp{"", fmtp}.parameter(std::string(key));
    if (!v) return 0;
    int n = 0;
    const std::string_view s = *v;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    return ec == std::errc{} && n > 0 ? n : 0;
}

/// The largest frame (in 16x16 macroblocks) the peer takes for this codec: max-fs, else the
/// H.264 level's MaxFS (RFC 6184 §8.1, H.264 Table A-1); 0 when it says nothing.
int maxFrameMbsOf(const sdp::NegotiatedCodec& codec)
{
    if (const int fs = fmtpInt(codec.fmtp, "max-fs"); fs > 0) return fs;
    if (lower(codec.name) != "h264") return 0;
    const auto pli = sdp::Fmtp{"", codec.fmtp}.parameter("profile-level-id");
    if (!pli || pli->size() != 6) return 0;
    unsigned level = 0;
    const std::string_view s = *pli;
    if (std::from_chars(s.data() + 4, s.data() + 6, level, 16).ec != std::errc{}) return 0;
    struct Entry {
        unsigned level;
        int mbs;
    };
    static constexpr Entry kLevels[] = {{10, 99},    {11, 396},   {12, 396},  {13, 396},   {20, 396},
                                        {21, 792},   {22, 1620},  {30, 1620}, {31, 3600},  {32, 5120},
                                        {40, 8192},  {41, 8192},  {42, 8704}, {50, 22080}, {51, 36864},
                                        {52, 36864}, {60, 139264}};
    for (const auto& e : kLevels) {
        if (e.level == level) return e.mbs;
    }
    return 0;
}

int macroblocks(int w, int h)
{
    return ((w + 15) / 16) * ((h + 15) / 16);
}

/// Frames the receive buffer gave up (loss, a missing start, oversize).
std::uint64_t framesDropped(const VideoReceiveBuffer& b)
{
    const auto& d = b.drops();
    return d[static_cast<std::size_t>(VideoDrop::MissingPackets)] +
           d[static_cast<std::size_t>(VideoDrop::MissingStart)] +
           d[static_cast<std::size_t>(VideoDrop::Oversize)];
}

int even(double v)
{
    return std::max(2, static_cast<int>(v) & ~1);
}

} // namespace

VideoStream::VideoStream(std::string id, std::vector<SocketPair> sockets, std::unique_ptr<VideoSource> source,
                         std::unique_ptr<VideoSink> sink, VideoStreamConfig config,
                         std::shared_ptr<EventQueue> events, RtpIdentity identity)
    : id_(std::move(id)), source_(std::move(source)),
      encodedSource_(dynamic_cast<EncodedVideoSource*>(source_.get())), sink_(std::move(sink)),
      config_(config), events_(events), identity_(identity),
      transport_(id_, std::move(sockets), std::move(events), std::move(identity), stats_, *this),
      bandwidth_(BandwidthConfig{config.minKbps, config.startKbps, config.maxKbps}),
      // The receiver's REMB starts at the maximum: it constrains nothing before it sees a queue.
      delay_(DelayEstimatorConfig{90000, 1000ull * std::uint64_t(config.maxKbps),
                                  1000ull * std::uint64_t(config.minKbps),
                                  1000ull * std::uint64_t(config.maxKbps)})
{
    stats_.id = id_;
    stats_.type = "video";
    stats_.video.targetKbps = config_.startKbps;
    published_ = stats_;
}

VideoStream::~VideoStream() = default;

StreamStats VideoStream::stats() const
{
    std::lock_guard lock(statsMutex_);
    return published_;
}

void VideoStream::release()
{
    transport_.release();
    encodedSource_ = nullptr;
    source_.reset();
    sink_.reset();
}

void VideoStream::error(std::string what)
{
    events_->push(MediaErrorEvent{id_, std::move(what)});
}

bool VideoStream::remoteAccepts(std::string_view type, std::string_view parameters) const
{
    const int pt = plan_.sendCodec ? plan_.sendCodec->payloadType : -1;
    sdp::NegotiatedStream n;
    n.remoteFeedback = plan_.remoteFeedback;
    if (n.remoteAccepts(pt, type, parameters)) return true;
    // Feedback about what the peer sends to us is keyed by the payload types it sends.
    for (const auto& c : plan_.recvCodecs) {
        if (n.remoteAccepts(c.payloadType, type, parameters)) return true;
    }
    return false;
}

void VideoStream::apply(const StreamPlan& plan, TimePoint now)
{
    plan_ = plan;
    planned_ = true;
    if (!transport_.apply(plan, kVideoClock, 1000.0 * config_.maxKbps, now))
        plan_.direction = sdp::Direction::Inactive;

    // Send codec.
    std::optional<VideoCodecId> sendId;
    if (plan.sendCodec) sendId = codecIdOf(plan.sendCodec->name);
    if (plan.sendCodec && !sendId) error("cannot send video codec " + plan.sendCodec->name);
    const bool singleNal =
        sendId == VideoCodecId::H264 && fmtpInt(plan.sendCodec->fmtp, "packetization-mode") == 0;
    if (sendId != sendCodecId_ || (plan.sendCodec && plan.sendCodec->payloadType != sendPt_) ||
        singleNal != singleNal_) {
        encoder_.reset();
        h264Packetizer_.reset();
        vp8Packetizer_.reset();
        sendCodecId_ = sendId;
        singleNal_ = singleNal;
        if (sendId == VideoCodecId::H264) h264Packetizer_.emplace(kMaxPayload);
        if (sendId == VideoCodecId::Vp8)
            vp8Packetizer_.emplace(kMaxPayload, static_cast<std::uint16_t>(identity_.seed & 0x7fff));
        keyframeWanted_ = true;
    }
    if (plan.sendCodec) {
        sendPt_ = static_cast<std::uint8_t>(plan.sendCodec->payloadType);
        stats_.codec = lower(plan.sendCodec->name);
        maxFrameMbs_ = maxFrameMbsOf(*plan.sendCodec);
        maxFps_ = fmtpInt(plan.sendCodec->fmtp, "max-fr");
    }
    if (plan.remoteMaxBitrateBps) {
        bandwidth_.setMaxKbps(static_cast<int>(std::clamp<std::uint64_t>(*plan.remoteMaxBitrateBps / 1000,
                                                                         std::uint64_t(config_.minKbps),
                                                                         std::uint64_t(config_.maxKbps))));
    } else {
        bandwidth_.setMaxKbps(config_.maxKbps);
    }

    // Receive side: the payload format follows what the peer sends (see onRtp()).
    const bool decoderKept = std::any_of(plan.recvCodecs.begin(), plan.recvCodecs.end(),
                                         [&](const auto& c) { return c.payloadType == decoderPt_; });
    if (!decoderKept) {
        decoder_.reset();
        decoderPt_ = -1;
    }
    if (!sdp::sends(plan_.direction)) lastFrameSent_.reset();
    maybeStarted();
    publish(now);
}

void VideoStream::maybeStarted()
{
    if (!planned_ || !transport_.keyed() || (!sendCodecId_ && plan_.recvCodecs.empty())) return;
    const std::string remote = transport_.destination();
    const std::string now = stats_.codec + " " + remote;
    if (started_ && now == announced_) return;
    started_ = true;
    announced_ = now;
    events_->push(MediaStarted{id_, stats_.codec, remote});
}

// ---- send ----

BandwidthEstimator::Layer VideoStream::chooseLayer()
{
    int w = source_->width();
    int h = source_->height();
    int fps = source_->fps();
    // --max-resolution, keeping the aspect ratio.
    const double fit = std::min({1.0, double(config_.maxWidth) / w, double(config_.maxHeight) / h});
    if (fit < 1.0) {
        w = even(w * fit);
        h = even(h * fit);
    }
    // The peer's max-fs.
    while (maxFrameMbs_ > 0 && macroblocks(w, h) > maxFrameMbs_ && w > 32) {
        w = even(w * 0.75);
        h = even(h * 0.75);
    }
    if (maxFps_ > 0) fps = std::min(fps, maxFps_);
    return bandwidth_.layerFor(w, h, fps);
}

bool VideoStream::ensureEncoder(const BandwidthEstimator::Layer& layer)
{
    const int kbps = bandwidth_.targetKbps();
    if (encoder_) {
        const auto& s = encoder_->settings();
        if (s.width == layer.width && s.height == layer.height) {
            // H.264 retunes x264 in place; VP8 needs a new encoder and a keyframe (FFmpeg 5.1's
            // libvpx wrapper), so it follows only changes above 20 %.
            const int step = s.codec == VideoCodecId::Vp8 ? 5 : 20;
            if (std::abs(s.bitrateKbps - kbps) * step > s.bitrateKbps) encoder_->setBitrate(kbps);
            return true;
        }
    }
    VideoEncoderSettings settings;
    settings.codec = *sendCodecId_;
    settings.width = layer.width;
    settings.height = layer.height;
    settings.fps = std::max(1, layer.fps);
    settings.bitrateKbps = kbps;
    // One encoder thread for both codecs, 720p included: libvpx's VP8 row threads spin-wait on
    // each other (VideoEncoder keeps VP8 on one thread anyway), and x264's sliced threads under
    // zerolatency bought nothing measurable on two cores (bench/video_call.sh, 720p30: 25.9 %
    // for both ends on one thread vs 26.9 % on two) while costing compression (238 vs 502 kbit/s
    // for the same pattern), since every slice restarts prediction.
    settings.threads = 1;
    // RFC 6184 mode 0: every NAL unit travels alone, so slices must fit a packet.
    if (singleNal_) settings.h264MaxSliceBytes = static_cast<int>(kMaxPayload) - 100;
    auto made = VideoEncoder::create(settings);
    if (!made) {
        error("video encoder: " + made.error().what);
        sendCodecId_.reset(); // do not retry every frame
        return false;
    }
    encoder_ = std::move(*made);
    keyframeWanted_ = true;
    return true;
}

void VideoStream::tick(TimePoint frameTime, TimePoint now)
{
    if (encodedSource_)
        sendShared(frameTime, now);
    else if (source_ && source_->capture(frameTime, captured_))
        sendFrame(captured_, frameTime, now);
    drainFrames(now);
    renderDue(now);
    publish(now);
}

void VideoStream::sendFrame(const VideoFrame& frame, TimePoint frameTime, TimePoint now)
{
    if (!planned_ || !sdp::sends(plan_.direction) || !transport_.keyed() || !sendCodecId_) return;
    if (!epochSet_) {
        epoch_ = frameTime;
        epochSet_ = true;
    }
    const auto layer = chooseLayer();
    // Frame rate below the source's: skip ticks (a little early is fine; ticks jitter).
    if (lastFrameSent_ && layer.fps > 0) {
        const auto period = std::chrono::microseconds(1'000'000 / layer.fps);
        if (frameTime - *lastFrameSent_ < period - std::chrono::milliseconds{5}) return;
    }
    if (!ensureEncoder(layer)) return;
    auto ok = encoder_->encode(frame, keyframeDue(now), encoded_);
    if (!ok) {
        error("video encoder: " + ok.error().what);
        return;
    }
    if (!*ok || encoded_.data.empty()) return;
    sendEncoded(encoded_, frameTime, now);
}

bool VideoStream::keyframeDue(TimePoint now) const
{
    bool key = keyframeWanted_;
    if (lastKeyframe_ && now - *lastKeyframe_ >= config_.keyframeInterval) key = true;
    if (key && lastKeyframe_ && now - *lastKeyframe_ < kMinKeyframeGap && !keyframeWanted_) key = false;
    return key;
}

void VideoStream::sendShared(TimePoint frameTime, TimePoint now)
{
    if (!planned_ || !sdp::sends(plan_.direction) || !transport_.keyed() || !sendCodecId_) return;
    encoder_.reset(); // our own, from a camera before the conference (a new one starts on a keyframe)
    // The frame rate is part of the group's encoding: the group skips pictures, not this stream
    // (a skipped shared frame would break the reference chain).
    const auto layer = chooseLayer();
    EncodeRequest request;
    request.settings.codec = *sendCodecId_;
    request.settings.width = layer.width;
    request.settings.height = layer.height;
    request.settings.fps = std::max(1, layer.fps);
    request.settings.bitrateKbps = bandwidth_.targetKbps();
    request.settings.threads = 1; // as ensureEncoder()
    if (singleNal_) request.settings.h264MaxSliceBytes = static_cast<int>(kMaxPayload) - 100;
    request.keyframe = keyframeDue(now);
    sharedFrames_.clear();
    auto ok = encodedSource_->encoded(frameTime, request, sharedFrames_);
    if (!ok) {
        error("video encoder: " + ok.error().what);
        sendCodecId_.reset(); // do not retry every frame
        return;
    }
    for (const auto& frame : sharedFrames_) {
        // RTP time from the composite's capture time, always forward.
        auto at = frame->captured;
        if (lastFrameSent_ && at <= *lastFrameSent_) at = *lastFrameSent_ + std::chrono::milliseconds{1};
        sendEncoded(*frame, at, now);
    }
    sharedFrames_.clear(); // do not hold the group's frames
}

void VideoStream::sendEncoded(const EncodedVideoFrame& encoded, TimePoint frameTime, TimePoint now)
{
    if (!epochSet_) {
        epoch_ = frameTime;
        epochSet_ = true;
    }
    lastFrameSent_ = frameTime;
    if (encoded.keyframe) {
        keyframeWanted_ = false;
        lastKeyframe_ = now;
        ++stats_.video.keyframesSent;
    }
    ++stats_.video.framesEncoded;
    if (!firstSent_) firstSent_ = now;
    lastSent_ = now;
    stats_.video.sentWidth = encoded.width;
    stats_.video.sentHeight = encoded.height;
    std::size_t n = 0;
    if (singleNal_) {
        payloads_.resize(0);
        for (const auto nal : splitAnnexB(encoded.data))
            payloads_.emplace_back(nal.begin(), nal.end());
        n = payloads_.size();
    } else {
        n = h264Packetizer_ ? h264Packetizer_->packetize(encoded.data, payloads_)
                            : vp8Packetizer_->packetize(encoded.data, payloads_);
    }
    const auto elapsed = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::microseconds>(frameTime - epoch_).count());
    const auto ts = static_cast<std::uint32_t>(identity_.initialTimestamp +
                                               static_cast<std::uint64_t>(elapsed) * kVideoClock / 1'000'000);
    for (std::size_t i = 0; i < n; ++i) {
        const auto sent = transport_.sendRtp(sendPt_, ts, i + 1 == n, payloads_[i], now);
        if (sent.size() >= 4)
            retransmit_.store(static_cast<std::uint16_t>(sent[2] << 8 | sent[3]), sent, now);
    }
}

// ---- receive ----

void VideoStream::resetReceiver(VideoPayloadFormat format)
{
    dropBase_ += framesDropped(receive_);
    malformedBase_ += receive_.drops()[static_cast<std::size_t>(VideoDrop::BadPayload)];
    VideoReceiveConfig rc;
    rc.format = format;
    receive_ = VideoReceiveBuffer(rc);
    recvFormat_ = format;
    waitingKeyframe_ = true;
}

void VideoStream::onRtp(const RtpPacketView& packet, TimePoint now)
{
    if (!sdp::receives(plan_.direction)) return;
    const auto codec = std::find_if(plan_.recvCodecs.begin(), plan_.recvCodecs.end(), [&](const auto& c) {
        return c.payloadType == packet.header.payloadType;
    });
    const auto id = codec == plan_.recvCodecs.end() ? std::nullopt : codecIdOf(codec->name);
    if (!id) {
        ++stats_.unexpected; // a payload type we never agreed on
        return;
    }
    if (codec->payloadType != decoderPt_) {
        auto made = VideoDecoder::create(*id);
        if (!made) {
            error("cannot receive " + codec->name + ": " + made.error().what);
            return;
        }
        decoder_ = std::move(*made);
        decoderPt_ = codec->payloadType;
        resetReceiver(payloadFormatOf(*id));
    }
    delay_.onPacket(packet.payload.size() + 12, now);
    receive_.push(VideoPacket{packet.header.sequenceNumber, packet.header.timestamp, packet.header.marker,
                              packet.payload},
                  now);
}

void VideoStream::onRemoteSourceChanged()
{
    if (recvFormat_) resetReceiver(*recvFormat_);
}

void VideoStream::onSecured(TimePoint now)
{
    (void)now;
    started_ = false;
    keyframeWanted_ = true;
    maybeStarted();
}

void VideoStream::drainFrames(TimePoint now)
{
    if (!recvFormat_ || !decoder_) return;
    while (auto frame = receive_.pop(now)) {
        delay_.onFrame(frame->timestamp, frame->firstArrival); // not now: a frame may wait for an earlier one
        decodeFrame(*frame, now);
    }
    if (remoteAccepts("goog-remb")) {
        if (const auto bps = delay_.remb(now); bps && transport_.remoteSsrc()) {
            Remb remb;
            remb.bitrateBps = *bps;
            remb.ssrcs.push_back(*transport_.remoteSsrc());
            transport_.sendFeedback(std::move(remb), now);
            ++stats_.video.rembSent;
        }
    }
    if (receive_.takeFrameLost()) {
        waitingKeyframe_ = true;
        requestKeyframe(now);
    }
    sendNacks(now);
}

void VideoStream::decodeFrame(const AssembledFrame& frame, TimePoint now)
{
    if (waitingKeyframe_ && !frame.keyframe) {
        ++stats_.video.framesSkipped;
        requestKeyframe(now);
        return;
    }
    auto ok = decoder_->decode(frame.data, decoded_);
    if (!ok) {
        ++stats_.video.decodeErrors;
        waitingKeyframe_ = true;
        requestKeyframe(now);
        return;
    }
    if (frame.keyframe) waitingKeyframe_ = false;
    if (!*ok) return;
    ++stats_.video.framesDecoded;
    if (!firstDecoded_) firstDecoded_ = now;
    lastDecoded_ = now;
    if (frame.keyframe) ++stats_.video.keyframes;
    stats_.video.width = decoded_.width;
    stats_.video.height = decoded_.height;
    decoded_.captured = frame.firstArrival;
    present(frame.timestamp, now);
}

void VideoStream::present(std::uint32_t timestamp, TimePoint now)
{
    const auto* session = transport_.session();
    const auto ssrc = transport_.remoteSsrc();
    const RtpSource* source = session && ssrc ? session->source(*ssrc) : nullptr;
    const auto sent = source ? senderTimeMs(*source, timestamp, kVideoClock) : std::nullopt;
    double delayMs = 0;
    if (sent && lipSync_ && lipSync_->audioKnown) {
        // Shown now, this frame would be `audio - video` ms ahead of its sound: wait that long
        // (bounded; never negative: audio is not delayed for video).
        delayMs = std::clamp(lipSync_->audioOffsetMs.load() - (steadyMs(now) - *sent), 0.0, 400.0);
    }
    stats_.video.syncDelayMs = delayMs;
    if (delayMs < 2 || pending_.size() >= 30) {
        render(decoded_, sent, now);
        return;
    }
    Pending p;
    p.due = now + std::chrono::microseconds(static_cast<long long>(delayMs * 1000));
    p.sentMs = sent;
    if (!spare_.empty()) {
        p.frame = std::move(spare_.back());
        spare_.pop_back();
    }
    p.frame.resize(decoded_.width, decoded_.height);
    std::copy(decoded_.data.begin(), decoded_.data.end(), p.frame.data.begin());
    p.frame.captured = decoded_.captured;
    pending_.push_back(std::move(p));
}

void VideoStream::render(const VideoFrame& frame, std::optional<double> sentMs, TimePoint now)
{
    if (sentMs && lipSync_ && lipSync_->audioKnown)
        stats_.video.avSyncMs = steadyMs(now) - *sentMs - lipSync_->audioOffsetMs.load();
    if (sink_) sink_->write(frame, now);
}

void VideoStream::renderDue(TimePoint now)
{
    while (!pending_.empty() && pending_.front().due <= now) {
        render(pending_.front().frame, pending_.front().sentMs, now);
        spare_.push_back(std::move(pending_.front().frame));
        pending_.pop_front();
    }
}

// ---- timers, sockets, stats ----

void VideoStream::collectFds(std::vector<int>& fds) const
{
    transport_.collectFds(fds);
}

void VideoStream::onReadable(std::size_t index, TimePoint now)
{
    transport_.onReadable(index, now);
    drainFrames(now);
    publish(now);
}

std::optional<TimePoint> VideoStream::nextDeadline() const
{
    auto at = transport_.nextDeadline();
    if (const auto r = receive_.nextDeadline(); r && (!at || *r < *at)) at = r;
    if (!pending_.empty() && (!at || pending_.front().due < *at)) at = pending_.front().due;
    return at;
}

void VideoStream::onTimeout(TimePoint now)
{
    transport_.onTimeout(now);
    if (const auto r = receive_.nextDeadline(); r && now >= *r) drainFrames(now);
    renderDue(now);
}

void VideoStream::stop(TimePoint now)
{
    transport_.stop(now);
    if (sink_) {
        sink_->close();
        if (const auto e = sink_->lastError(); !e.empty()) error("video sink: " + e);
    }
    publish(now);
}

void VideoStream::publish(TimePoint)
{
    // Rates over the stream's life so far: from the first to the latest frame each way (a hold or
    // the hang-up does not drag them down).
    auto& v = stats_.video;
    const auto rate = [](std::uint64_t count, const std::optional<TimePoint>& first, TimePoint last) {
        const double seconds = first ? std::chrono::duration<double>(last - *first).count() : 0.0;
        return seconds > 0.2 ? double(count) / seconds : 0.0;
    };
    if (firstSent_) {
        v.fpsSent = rate(v.framesEncoded - 1, firstSent_, lastSent_);
        v.bitrateKbps = rate(stats_.bytesSent, firstSent_, lastSent_) * 8 / 1000;
    }
    if (firstDecoded_) {
        v.fpsReceived = rate(v.framesDecoded - 1, firstDecoded_, lastDecoded_);
        v.bitrateReceivedKbps = rate(stats_.bytesReceived, firstDecoded_, lastDecoded_) * 8 / 1000;
    }
    v.targetKbps = bandwidth_.targetKbps();
    StreamStats s = stats_;
    transport_.fillStats(s);
    s.video.framesDropped = dropBase_ + framesDropped(receive_);
    s.malformed += malformedBase_ + receive_.drops()[static_cast<std::size_t>(VideoDrop::BadPayload)];
    s.late = receive_.drops()[static_cast<std::size_t>(VideoDrop::Late)];
    std::lock_guard lock(statsMutex_);
    published_ = std::move(s);
}

} // namespace vphone::media
