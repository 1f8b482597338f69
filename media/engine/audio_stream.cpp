// AudioStream: construction, apply(), the send path and the receive path (see audio_stream.h).
#include "audio_stream.h"

#include "codec/codec_factory.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace vphone::media {

namespace {

constexpr std::size_t kMaxDecoded = 5760 * 2; // 120 ms of stereo at 48 kHz
constexpr auto kReceivePause = std::chrono::seconds{1};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool isTelephoneEvent(const std::string& name)
{
    return name.size() == 15 && lower(name) == "telephone-event";
}

FmtpParams fmtpParams(const std::string& text)
{
    FmtpParams out;
    for (auto& [k, v] : sdp::Fmtp{"", text}.pairs())
        out[k] = v;
    return out;
}

// Resampler::pop(), except that the very first frame of a new resampler, which its filter delay
// leaves a few samples short, is padded with zeros in front (as Resampler::convert() does).
// Without this the frame would wait for the next push: a whole frame of extra delay for good.
bool popPadded(Resampler& r, std::span<std::int16_t> out, bool& primed)
{
    if (r.pop(out)) {
        primed = true;
        return true;
    }
    const std::size_t have = r.availableFrames() * std::size_t(r.outputFormat().channels);
    if (primed || have == 0 || have >= out.size()) return false;
    primed = true;
    std::fill(out.begin(), out.end() - std::ptrdiff_t(have), std::int16_t{0});
    return r.pop(out.subspan(out.size() - have));
}

MediaResult<std::unique_ptr<AudioCodec>> makeCodec(const sdp::NegotiatedCodec& c,
                                                   std::chrono::milliseconds ptime)
{
    CodecRequest r;
    r.encodingName = c.name;
    r.clockRate = static_cast<int>(c.clockRate);
    r.channels = 1;
    r.ptime = ptime;
    r.fmtp = fmtpParams(c.fmtp);
    return makeAudioCodec(r);
}

} // namespace

AudioStream::AudioStream(std::string id, std::vector<SocketPair> sockets, std::unique_ptr<AudioSource> source,
                         std::unique_ptr<AudioSink> sink, bool echoCancel, std::shared_ptr<EventQueue> events,
                         RtpIdentity identity)
    : id_(std::move(id)), source_(std::move(source)), sink_(std::move(sink)), events_(events),
      identity_(identity),
      transport_(id_, std::move(sockets), std::move(events), std::move(identity), stats_, *this)
{
    if (echoCancel) {
        auto aec = EchoCanceller::create({kDeviceFormat.sampleRate, kDeviceFormat.frameSamples});
        if (aec) {
            echo_.emplace(std::move(*aec));
        } else {
            events_->push(MediaErrorEvent{id_, "echo canceller: " + aec.error().what});
        }
    }
    deviceIn_.resize(kDeviceFormat.frameLength());
    echoOut_.resize(kDeviceFormat.frameLength());
    lastPlayed_.assign(kDeviceFormat.frameLength(), 0);
    deviceOut_.resize(kDeviceFormat.frameLength());
    decoded_.resize(kMaxDecoded);
    timestamp_ = identity_.initialTimestamp;
    stats_.id = id_;
    stats_.echoCanceller = echo_.has_value();
    published_ = stats_;
}

AudioStream::~AudioStream() = default;

StreamStats AudioStream::stats() const
{
    std::lock_guard lock(statsMutex_);
    return published_;
}

void AudioStream::queueDtmf(const std::string& digits)
{
    for (char c : digits)
        dtmfQueue_.push_back(c);
}

void AudioStream::error(std::string what)
{
    events_->push(MediaErrorEvent{id_, std::move(what)});
}

void AudioStream::apply(const StreamPlan& plan, TimePoint now)
{
    const bool wasReceiving = planned_ && sdp::receives(plan_.direction);
    plan_ = plan;
    planned_ = true;

    // Send codec: rebuilt only when it changes (a re-offer for hold keeps it).
    if (plan.sendCodec) {
        const auto& c = *plan.sendCodec;
        const std::string key = lower(c.name) + "/" + std::to_string(c.clockRate) + "/" +
                                std::to_string(c.payloadType) + "/" + c.fmtp + "/" +
                                std::to_string(plan.sendPtime.count());
        if (key != encoderKey_) {
            auto codec = makeCodec(c, plan.sendPtime);
            if (!codec) {
                error("cannot send " + c.name + ": " + codec.error().what);
                encoder_.reset();
            } else {
                encoder_ = std::move(*codec);
                const auto& f = encoder_->format();
                auto rs = Resampler::create({kDeviceFormat.sampleRate, kDeviceFormat.channels},
                                            {f.sampleRate, f.channels}, kDeviceFormat.frameSamples);
                if (rs) encodeResampler_.emplace(std::move(*rs));
                encodePrimed_ = false;
                codecIn_.resize(f.frameLength());
                payload_.resize(std::max<std::size_t>(f.maxPayloadBytes, 64));
                sendPt_ = static_cast<std::uint8_t>(c.payloadType);
                encoderKey_ = key;
                talkspurt_ = true;
            }
        }
        stats_.codec = lower(c.name);
    }
    // RTP clock: the send codec's (the transport keeps SSRC and sequence across a change).
    rtpClock_ = plan.sendCodec ? plan.sendCodec->clockRate : 8000;
    if (!transport_.apply(plan, rtpClock_, 64000, now)) plan_.direction = sdp::Direction::Inactive;
    if (plan.sendEvent && static_cast<int>(plan.sendEvent->clockRate) != dtmfSenderRate_) {
        dtmfSender_.emplace(static_cast<int>(plan.sendEvent->clockRate), plan.sendPtime);
        dtmfSenderRate_ = static_cast<int>(plan.sendEvent->clockRate);
    }
    // Receive side: keep the decoder while its payload type is still agreed.
    const bool decoderKept = std::any_of(plan.recvCodecs.begin(), plan.recvCodecs.end(),
                                         [&](const auto& c) { return c.payloadType == decoderPt_; });
    if (!decoderKept) {
        decoder_.reset();
        decoderPt_ = -1;
        resetJitterBuffer();
    } else if (!wasReceiving && sdp::receives(plan.direction)) {
        resetJitterBuffer(); // back from hold: the old timeline means nothing
    }
    if (!sdp::sends(plan.direction)) talkspurt_ = true;

    maybeStarted();
    publish(now);
}

void AudioStream::maybeStarted()
{
    if (!planned_ || !transport_.keyed() || !encoder_) return;
    // Announced again when a re-offer changed the codec or the far address.
    const std::string remote = transport_.destination();
    const std::string now = stats_.codec + " " + remote;
    if (started_ && now == announced_) return;
    started_ = true;
    announced_ = now;
    events_->push(MediaStarted{id_, stats_.codec, remote});
}

void AudioStream::tick(TimePoint frameTime, TimePoint now)
{
    // Capture: every frame the source has ready (a paced source catches up after a late tick).
    for (int n = 0; n < 6 && source_; ++n) {
        if (sourceDone_) {
            std::fill(deviceIn_.begin(), deviceIn_.end(), std::int16_t{0});
            captured(deviceIn_, now);
            break;
        }
        const auto status = source_->read(deviceIn_);
        if (status == FrameStatus::Ready) {
            captured(deviceIn_, now);
            continue;
        }
        if (status == FrameStatus::Ended || status == FrameStatus::Failed) {
            if (status == FrameStatus::Failed)
                error("audio source " + source_->describe() + ": " + source_->lastError());
            sourceDone_ = true; // silence from now on keeps the RTP timeline going
        }
        break;
    }
    playOut(frameTime, now);
    publish(now);
}

void AudioStream::captured(std::span<const std::int16_t> frame, TimePoint now)
{
    if (echo_ && echo_->process(lastPlayed_, frame, echoOut_)) frame = echoOut_;
    if (muted_) {
        silence_.assign(frame.size(), 0);
        frame = silence_;
    }
    if (recorder_) recordSent_.insert(recordSent_.end(), frame.begin(), frame.end());
    if (!encoder_ || !encodeResampler_) return;
    if (!encodeResampler_->push(frame)) return;
    while (popPadded(*encodeResampler_, codecIn_, encodePrimed_))
        sendFrame(codecIn_, now);
}

void AudioStream::sendFrame(std::span<const std::int16_t> pcm, TimePoint now)
{
    const auto step = encoder_->format().rtpTimestampStep();
    const bool live = planned_ && sdp::sends(plan_.direction) && transport_.keyed();
    if (!live) {
        talkspurt_ = true;
        timestamp_ += step;
        return;
    }
    if (sendDtmfFrame(now)) {
        timestamp_ += step;
        return;
    }
    auto n = encoder_->encode(pcm, payload_);
    if (n && *n > 0) {
        sendRtp(sendPt_, timestamp_, talkspurt_, std::span<const std::uint8_t>(payload_.data(), *n), now);
        talkspurt_ = false;
    } else {
        talkspurt_ = true; // DTX (or an encoder error): the next packet starts a talkspurt
    }
    timestamp_ += step;
}

bool AudioStream::sendDtmfFrame(TimePoint now)
{
    if (!plan_.sendEvent || !dtmfSender_) {
        dtmfQueue_.clear();
        return false;
    }
    if (!dtmfSender_->busy()) {
        if (dtmfGap_ > 0) {
            --dtmfGap_;
            return false;
        }
        if (dtmfQueue_.empty()) return false;
        const auto code = dtmfEventCode(dtmfQueue_.front());
        dtmfQueue_.pop_front();
        if (!code) return false;
        // The event clock may differ from the audio clock (telephone-event/8000 with Opus).
        const auto eventTs = static_cast<std::uint32_t>(
            std::uint64_t{timestamp_} * plan_.sendEvent->clockRate / std::max<std::uint32_t>(rtpClock_, 1));
        if (!dtmfSender_->start(*code, std::chrono::milliseconds{100}, eventTs)) return false;
        ++stats_.dtmfSent;
    }
    auto packet = dtmfSender_->next();
    if (!packet) return false;
    sendRtp(static_cast<std::uint8_t>(plan_.sendEvent->payloadType), packet->timestamp, packet->marker,
            packet->payload, now);
    if (!dtmfSender_->busy()) {
        dtmfGap_ = 3; // pause between digits (60 ms at 20 ms frames)
        talkspurt_ = true;
    }
    return true;
}

void AudioStream::sendRtp(std::uint8_t pt, std::uint32_t timestamp, bool marker,
                          std::span<const std::uint8_t> payload, TimePoint now)
{
    transport_.sendRtp(pt, timestamp, marker, payload, now);
}

void AudioStream::onRtp(const RtpPacketView& packet, TimePoint now)
{
    if (!sdp::receives(plan_.direction)) return;
    for (const auto& c : plan_.recvCodecs) {
        if (c.payloadType != packet.header.payloadType) continue;
        if (isTelephoneEvent(c.name)) {
            receiveEvent(packet, now);
        } else {
            receiveAudio(packet, c, now);
        }
        return;
    }
    ++stats_.unexpected; // a payload type we never agreed on
}

void AudioStream::onRemoteSourceChanged()
{
    decoder_.reset();
    decoderPt_ = -1;
    resetJitterBuffer();
}

void AudioStream::onRtpSessionEvent(const RtpSessionEvent& event, TimePoint now)
{
    (void)event;
    (void)now;
}

void AudioStream::onSecured(TimePoint now)
{
    (void)now;
    started_ = false; // a new DTLS association: announce the media again
    maybeStarted();
}

void AudioStream::collectFds(std::vector<int>& fds) const
{
    transport_.collectFds(fds);
}

void AudioStream::onReadable(std::size_t index, TimePoint now)
{
    transport_.onReadable(index, now);
    publish(now);
}

std::optional<TimePoint> AudioStream::nextDeadline() const
{
    return transport_.nextDeadline();
}

void AudioStream::onTimeout(TimePoint now)
{
    transport_.onTimeout(now);
}

void AudioStream::stop(TimePoint now)
{
    transport_.stop(now);
    if (sink_) sink_->close();
    setRecorder(nullptr);
    publish(now);
}

void AudioStream::release()
{
    transport_.release();
    source_.reset();
    sink_.reset();
}

void AudioStream::receiveAudio(const RtpPacketView& packet, const sdp::NegotiatedCodec& codec, TimePoint now)
{
    if (codec.payloadType != decoderPt_ && !switchDecoder(codec)) return;
    if (lastAudioArrival_ && now - *lastAudioArrival_ > kReceivePause) resetJitterBuffer();
    lastAudioArrival_ = now;
    const auto& h = packet.header;
    jitter_->insert(h.sequenceNumber, h.timestamp, h.marker, packet.payload, now);
    if (!lastAudioSeq_ || static_cast<std::int16_t>(h.sequenceNumber - *lastAudioSeq_) > 0) {
        lastAudioSeq_ = h.sequenceNumber;
        lastAudioTs_ = h.timestamp;
    }
}

void AudioStream::receiveEvent(const RtpPacketView& packet, TimePoint now)
{
    const auto& h = packet.header;
    auto update = dtmfReceiver_.receive(h.timestamp, packet.payload);
    if (update && update->began) {
        if (const char key = dtmfKey(update->event); key != '\0') {
            ++stats_.dtmfReceived;
            events_->push(DtmfReceived{id_, key});
        }
    }
    // The event took an audio frame's place: stand in an empty frame so that the jitter buffer
    // sees no hole (it plays silence, counts no loss).
    if (jitter_ && decoder_ && lastAudioSeq_) {
        const auto delta = static_cast<std::int16_t>(h.sequenceNumber - *lastAudioSeq_);
        if (delta > 0 && delta < 64) {
            const auto ts =
                lastAudioTs_ + static_cast<std::uint32_t>(delta) * decoder_->format().rtpTimestampStep();
            jitter_->insert(h.sequenceNumber, ts, false, {}, now);
            lastAudioSeq_ = h.sequenceNumber;
            lastAudioTs_ = ts;
            lastAudioArrival_ = now;
        }
    }
}

bool AudioStream::switchDecoder(const sdp::NegotiatedCodec& codec)
{
    auto made = makeCodec(codec, plan_.recvPtime);
    if (!made) {
        error("cannot receive " + codec.name + ": " + made.error().what);
        return false;
    }
    const auto& f = (*made)->format();
    auto rs =
        Resampler::create({f.sampleRate, f.channels}, {kDeviceFormat.sampleRate, kDeviceFormat.channels},
                          kMaxDecoded / std::size_t(f.channels));
    if (!rs) {
        error("cannot receive " + codec.name + ": " + rs.error().what);
        return false;
    }
    decoder_ = std::move(*made);
    decodeResampler_.emplace(std::move(*rs));
    decodePrimed_ = false;
    decoderPt_ = codec.payloadType;
    resetJitterBuffer();
    return true;
}

void AudioStream::resetJitterBuffer()
{
    if (jitter_) {
        lateBase_ += jitter_->stats().late;
        concealedBase_ += static_cast<std::uint64_t>(jitter_->stats().concealed.count());
    }
    jitter_.reset();
    lastAudioSeq_.reset();
    lastAudioArrival_.reset();
    if (!decoder_) return;
    JitterBufferConfig jc;
    jc.clockRate = static_cast<std::uint32_t>(decoder_->format().rtpClockRate);
    jc.frameDuration = plan_.recvPtime;
    jitter_.emplace(jc);
}

void AudioStream::playOut(TimePoint frameTime, TimePoint now)
{
    const bool receiving = planned_ && sdp::receives(plan_.direction) && decoder_ && jitter_ &&
                           lastAudioArrival_ && now - *lastAudioArrival_ <= kReceivePause;
    bool filled = false;
    if (receiving) {
        for (int guard = 0; guard < 8 && decodeResampler_->availableFrames() < kDeviceFormat.frameSamples;
             ++guard) {
            if (!decodePrimed_ && decodeResampler_->availableFrames() > 0) break; // padded below
            decodeOne(frameTime);
        }
        filled = popPadded(*decodeResampler_, deviceOut_, decodePrimed_);
    }
    if (!filled) std::fill(deviceOut_.begin(), deviceOut_.end(), std::int16_t{0});
    if (localTone_) localTone_->mix(deviceOut_);
    if (sink_) sink_->write(deviceOut_);
    if (echo_) lastPlayed_ = deviceOut_;
    if (recorder_) record();
}

std::unique_ptr<AudioSource> AudioStream::replaceSource(std::unique_ptr<AudioSource> source)
{
    std::swap(source_, source);
    sourceDone_ = false; // a file that ended no longer matters
    return source;
}

void AudioStream::setLocalTone(std::optional<LocalTone> tone)
{
    if (tone) {
        localTone_.emplace(std::move(*tone), kDeviceFormat.sampleRate);
    } else {
        localTone_.reset();
    }
}

void AudioStream::setEchoCancel(bool on)
{
    if (on == echo_.has_value()) return;
    if (!on) {
        echo_.reset();
    } else if (auto aec = EchoCanceller::create({kDeviceFormat.sampleRate, kDeviceFormat.frameSamples})) {
        echo_.emplace(std::move(*aec));
        lastPlayed_.assign(kDeviceFormat.frameLength(), 0);
    } else {
        events_->push(MediaErrorEvent{id_, "echo canceller: " + aec.error().what});
    }
    stats_.echoCanceller = echo_.has_value();
}

std::unique_ptr<AudioSink> AudioStream::replaceSink(std::unique_ptr<AudioSink> sink)
{
    std::swap(sink_, sink);
    if (sink) {
        if (auto closed = sink->close(); !closed)
            error("audio sink " + sink->describe() + ": " + closed.error().what);
    }
    return sink;
}

void AudioStream::setRecorder(std::shared_ptr<WavWriter> writer)
{
    if (recorder_ && recorder_ != writer) {
        if (auto closed = recorder_->close(); !closed) error("recording: " + closed.error().what);
    }
    recorder_ = std::move(writer);
    recordSent_.clear();
}

void AudioStream::record()
{
    const std::size_t n = kDeviceFormat.frameSamples;
    mixed_.resize(n);
    const std::size_t sent = std::min(n, recordSent_.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int sum = int{deviceOut_[i]} + (i < sent ? int{recordSent_[i]} : 0);
        mixed_[i] = static_cast<std::int16_t>(std::clamp(sum, -32768, 32767));
    }
    recordSent_.erase(recordSent_.begin(), recordSent_.begin() + static_cast<std::ptrdiff_t>(sent));
    // A source that delivered a burst: keep at most a few frames of backlog (the mix stays in step).
    if (recordSent_.size() > 4 * n)
        recordSent_.erase(recordSent_.begin(), recordSent_.end() - static_cast<std::ptrdiff_t>(n));
    if (auto written = recorder_->write(mixed_); !written) {
        error("recording: " + written.error().what);
        recorder_.reset();
    }
}

void AudioStream::decodeOne(TimePoint frameTime)
{
    const auto frame = jitter_->pop(frameTime);
    const auto& f = decoder_->format();
    MediaResult<std::size_t> n = std::size_t{0};
    switch (frame.kind) {
    case PlayoutFrame::Kind::Packet:
        if (frame.payload.empty()) break; // a telephone event's stand-in: silence below
        if (lipSync_) presented(frame.timestamp, frameTime);
        n = decoder_->decode(frame.payload, decoded_);
        if (!n) n = decoder_->conceal(decoded_);
        break;
    case PlayoutFrame::Kind::Conceal:
        if (frame.missingFrames == 1) {
            if (auto next = jitter_->peekNext(); next && !next->payload.empty()) {
                n = decoder_->recover(next->payload, decoded_);
                break;
            }
        }
        n = decoder_->conceal(decoded_);
        break;
    case PlayoutFrame::Kind::Expand: n = decoder_->conceal(decoded_); break;
    case PlayoutFrame::Kind::Silence:
    case PlayoutFrame::Kind::Buffering:
    case PlayoutFrame::Kind::Invalid:
        std::fill_n(decoded_.begin(), f.frameLength(), std::int16_t{0});
        n = f.frameSamples;
        break;
    }
    if (!n || *n == 0) {
        std::fill_n(decoded_.begin(), f.frameLength(), std::int16_t{0});
        n = f.frameSamples;
    }
    const std::size_t samples = std::min(*n * std::size_t(f.channels), decoded_.size());
    decodeResampler_->push(std::span<const std::int16_t>(decoded_.data(), samples));
}

void AudioStream::presented(std::uint32_t timestamp, TimePoint frameTime)
{
    const auto* session = transport_.session();
    const auto ssrc = transport_.remoteSsrc();
    const RtpSource* source = session && ssrc ? session->source(*ssrc) : nullptr;
    const auto sent =
        source ? senderTimeMs(*source, timestamp, decoder_->format().rtpClockRate) : std::nullopt;
    if (!sent) return;
    // What is decoded now reaches the sink after the resampler's and this frame's worth of delay.
    const double offset = steadyMs(frameTime) + 20.0 - *sent;
    audioOffsetMs_ = audioOffsetMs_ ? *audioOffsetMs_ * 0.9 + offset * 0.1 : offset;
    if (std::abs(offset - *audioOffsetMs_) > 500) audioOffsetMs_ = offset; // a new SR mapping
    lipSync_->audioOffsetMs = *audioOffsetMs_;
    lipSync_->audioKnown = true;
}

void AudioStream::publish(TimePoint now)
{
    (void)now;
    StreamStats s = stats_;
    transport_.fillStats(s);
    s.late = lateBase_ + (jitter_ ? jitter_->stats().late : 0);
    s.concealedMs =
        concealedBase_ + (jitter_ ? static_cast<std::uint64_t>(jitter_->stats().concealed.count()) : 0);
    s.jitterBufferMs = jitter_ ? static_cast<double>(jitter_->stats().currentDelay.count()) / 1000.0 : 0.0;
    s.muted = muted_;
    std::lock_guard lock(statsMutex_);
    published_ = std::move(s);
}

} // namespace vphone::media
