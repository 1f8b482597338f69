// MediaSession: offer/answer glue, hold state, and the hand-over to the media thread (see
// media_session.h).
#include "media_session.h"

#include "device/device_spec.h"
#include "device/qt_audio_device.h"

#include <QObject>

#include <algorithm>
#include <strings.h>

namespace vphone::media {

namespace {

constexpr char kAudio[] = "audio";
constexpr char kVideo[] = "video";

std::string sessionIdFrom(std::mt19937& random)
{
    // RFC 8866 §5.2: any numeric id; 62 random bits stay well inside a signed 64-bit parser.
    const std::uint64_t id = (std::uint64_t{random()} << 30) ^ random();
    return std::to_string(id & 0x3fffffffffffffffull);
}

std::string cnameFrom(std::mt19937& random)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 16; ++i)
        s += kHex[random() % 16];
    return s; // RFC 7022: a random CNAME per session
}

} // namespace

MediaSession::MediaSession(MediaConfig config)
    : config_(std::move(config)), random_(std::random_device{}()), offerAnswer_(sessionIdFrom(random_))
{}

MediaSession::~MediaSession()
{
    stop();
}

EngineResult<std::unique_ptr<MediaSession>> MediaSession::create(MediaConfig config)
{
    if (auto ok = checkMediaConfig(config); !ok) return ok.error();
    silenceFfmpegLogs(); // x264/libvpx chatter on stderr; our errors come back as values
    if (config.srtp != sdp::SrtpPolicy::Off && !config.dtlsCertificate &&
        !config.dtlsCertificateDir.empty()) {
        auto cert = loadOrCreateDtlsCertificate(config.dtlsCertificateDir);
        if (!cert) return cert.error();
        config.dtlsCertificate = *cert;
    }
    // libsrtp2's one-time initialisation runs its cipher self-tests (0.3-0.5 s here): do it on
    // this thread, once per process, rather than stall the first call's media thread.
    if (config.srtp != sdp::SrtpPolicy::Off && !srtpLibraryReady()) {
        return EngineError{500, "SRTP: libsrtp2 failed to initialise"};
    }
    std::unique_ptr<MediaSession> s(new MediaSession(std::move(config)));
    s->stunPool_ = StunPrefetch::forConfig(s->config_); // starts probing for this and later calls
    // checkMediaConfig() parsed both already.
    s->videoSourceSpec_ = *parseVideoSourceSpec(s->config_.videoSource);
    s->videoSinkSpec_ = *parseVideoSinkSpec(s->config_.videoSink);
    s->videoWish_ = s->videoSourceSpec_.kind != VideoSourceSpec::Kind::Off ||
                    s->videoSinkSpec_.kind != VideoSinkSpec::Kind::Null || s->config_.videoSinkFactory;
    s->videoWish_ = s->videoWish_ && s->config_.videoAtStart;
    if (s->config_.srtp != sdp::SrtpPolicy::Off) {
        unsigned tag = 1;
        for (SrtpSuite suite : s->config_.sdesSuites) {
            auto c = generateSdesCrypto(tag++, suite);
            if (!c) return EngineError{500, "SRTP: cannot make a key for " + std::string(toString(suite))};
            s->sdesCryptos_.push_back(std::move(*c));
            // RFC 4568 §6.1: each media stream gets its own key.
            auto v = generateSdesCrypto(tag - 1, suite);
            if (!v) return EngineError{500, "SRTP: cannot make a key for " + std::string(toString(suite))};
            s->videoSdesCryptos_.push_back(std::move(*v));
        }
    }
    return s;
}

EngineResult<bool> MediaSession::bindPairs(std::vector<SocketPair>& sockets, std::uint16_t& port,
                                           std::optional<StunMapping>* mapping, const char* stream)
{
    if (port != 0) return true;
    if (mapping && stunPool_ && takePrefetched(sockets, *mapping, stream)) {
        port = sockets.front().rtp.port();
        return true;
    }
    auto pairs = allocateSocketPairs(config_.localAddresses, config_.rtpPorts, random_);
    if (!pairs) return pairs.error();
    sockets = std::move(*pairs);
    port = sockets.front().rtp.port();
    return true;
}

bool MediaSession::takePrefetched(std::vector<SocketPair>& sockets, std::optional<StunMapping>& mapping,
                                  const char* stream)
{
    std::string why;
    auto set = stunPool_->take(&why);
    if (!set) {
        // Issue 7: the offer or answer goes out now with the local address rather than wait.
        events_->push(MediaErrorEvent{stream, why + "; the SDP keeps the local address " +
                                                  config_.localAddresses.front()});
        return false;
    }
    const std::string server = toString(stunPool_->server());
    sockets = std::move(set->sockets);
    mapping = StunMapping{set->local, set->rtp, set->rtcp};
    events_->push(StunMapped{stream, "rtp", toString(set->rtp), server});
    if (set->rtcp) {
        events_->push(StunMapped{stream, "rtcp", toString(*set->rtcp), server});
    } else {
        events_->push(
            MediaErrorEvent{stream, "stun: " + server + ": no answer for RTCP; RTCP keeps its local port"});
    }
    return true;
}

void MediaSession::applyStun(const std::optional<StunMapping>& mapping, const std::string& address,
                             sdp::LocalSession& session, sdp::LocalStream& stream)
{
    if (!mapping || mapping->local != address) return;
    session.address = mapping->rtp.host;
    stream.port = mapping->rtp.port;
    // RFC 3605: the RTCP port goes in a=rtcp when it is not the RTP port + 1 (a NAT may not keep it).
    if (mapping->rtcp && mapping->rtcp->port != mapping->rtp.port + 1) stream.rtcpPort = mapping->rtcp->port;
}

EngineResult<bool> MediaSession::ensureSockets()
{
    return bindPairs(sockets_, port_, &stunAudio_, kAudio);
}

EngineResult<bool> MediaSession::ensureVideoSockets()
{
    return bindPairs(videoSockets_, videoPort_, &stunVideo_, kVideo);
}

sdp::Direction MediaSession::wishDirection(bool canSend, bool canReceive) const
{
    // RFC 6337 §5.3: a UA the peer holds (it will not receive) that holds too offers inactive.
    const bool remoteHeld = hold_ == HoldState::Remote || hold_ == HoldState::Both;
    if (holdWish_) return remoteHeld || !canSend ? sdp::Direction::Inactive : sdp::Direction::SendOnly;
    if (canSend && canReceive) return sdp::Direction::SendRecv;
    if (canSend) return sdp::Direction::SendOnly;
    return canReceive ? sdp::Direction::RecvOnly : sdp::Direction::Inactive;
}

EngineResult<sdp::LocalSession> MediaSession::localSession(const std::string& address)
{
    if (auto ok = ensureSockets(); !ok) return ok.error();
    sdp::LocalSession l;
    l.address = address;
    l.srtp = config_.srtp;
    l.keying = config_.keying;
    if (config_.dtlsCertificate)
        l.fingerprint = sdp::Fingerprint{"sha-256", config_.dtlsCertificate->fingerprint()};
    sdp::LocalStream s;
    s.id = kAudio;
    s.media = "audio";
    s.port = port_;
    s.codecs = sdpCodecsFor(config_.codecs, config_.opusFec, config_.opusDtx);
    s.direction = wishDirection(true, true);
    s.ptime = config_.ptime;
    s.rtcpMux = true;
    for (const auto& c : sdesCryptos_) {
        auto parsed = sdp::parseCrypto(formatSdesCrypto(c));
        if (parsed) s.cryptos.push_back(*parsed);
    }
    applyStun(stunAudio_, address, l, s);
    l.streams.push_back(s);
    if (videoWish_) {
        if (auto ok = ensureVideoSockets(); !ok) return ok.error();
        sdp::LocalStream v;
        v.id = kVideo;
        v.media = "video";
        v.port = videoPort_;
        v.codecs = videoSdpCodecsFor(config_.videoCodecs, config_.maxVideoWidth, config_.maxVideoHeight);
        v.direction =
            wishDirection(videoSourceSpec_.kind != VideoSourceSpec::Kind::Off || bridgeVideoSource_, true);
        v.rtcpMux = true;
        for (const auto& c : videoSdesCryptos_) {
            auto parsed = sdp::parseCrypto(formatSdesCrypto(c));
            if (parsed) v.cryptos.push_back(*parsed);
        }
        v.bandwidthAs = static_cast<std::uint64_t>(config_.videoMaxKbps);
        // RFC 4585 / 5104 feedback we send and answer; offered in the AVP profile as baresip and
        // most SIP phones do (a strict AVP peer ignores the lines).
        for (const char* fb : {"nack", "nack pli", "ccm fir", "goog-remb"}) {
            std::string value = std::string("* ") + fb;
            v.extraAttributes.push_back(sdp::Attribute{"rtcp-fb", value});
        }
        applyStun(stunVideo_, address, l, v);
        l.streams.push_back(std::move(v));
    }
    return l;
}

EngineResult<std::string> MediaSession::createOffer()
{
    if (stopped_) return EngineError{500, "media session stopped"};
    auto local = localSession(config_.localAddresses.front());
    if (!local) return local.error();
    auto offer = offerAnswer_.createOffer(*local);
    if (!offer) return EngineError{offerAnswer_.offerPending() ? 491 : 500, offer.error().message()};
    pendingHold_ = holdWish_;
    pendingVideo_ = videoWish_;
    return sdp::serialize(*offer);
}

void MediaSession::rejectOffer()
{
    offerAnswer_.cancelOffer();
    if (pendingHold_) holdWish_ = holdInForce_;
    pendingHold_.reset();
    if (pendingVideo_) videoWish_ = videoInForce_;
    pendingVideo_.reset();
}

EngineResult<bool> MediaSession::applyAnswer(std::string_view remoteAnswer)
{
    if (stopped_) return EngineError{500, "media session stopped"};
    auto parsed = sdp::parse(remoteAnswer);
    if (!parsed) {
        rejectOffer();
        events_->push(MediaErrorEvent{kAudio, "bad SDP answer: " + parsed.error().message()});
        return EngineError{488, "bad SDP answer: " + parsed.error().message()};
    }
    // The same answer again (early media in a 183, then the 200; RFC 3261 §13.2.1): nothing new.
    if (!offerAnswer_.offerPending() && lastAnswerOrigin_ && *lastAnswerOrigin_ == parsed->origin)
        return true;
    auto negotiated = offerAnswer_.receiveAnswer(*parsed);
    if (!negotiated) {
        if (pendingHold_) holdWish_ = holdInForce_;
        pendingHold_.reset();
        if (pendingVideo_) videoWish_ = videoInForce_;
        pendingVideo_.reset();
        events_->push(MediaErrorEvent{kAudio, negotiated.error().message()});
        return EngineError{488, negotiated.error().message()};
    }
    if (pendingHold_) holdInForce_ = *pendingHold_;
    pendingHold_.reset();
    if (pendingVideo_) videoInForce_ = *pendingVideo_;
    pendingVideo_.reset();
    lastAnswerOrigin_ = parsed->origin;
    return applyNegotiated(*negotiated, *parsed);
}

EngineResult<std::string> MediaSession::answer(std::string_view remoteOffer)
{
    if (stopped_) return EngineError{500, "media session stopped"};
    auto parsed = sdp::parse(remoteOffer);
    if (!parsed) return EngineError{488, "bad SDP offer: " + parsed.error().message()};
    // Answer from the address of the offer's family when we have one.
    std::string address = config_.localAddresses.front();
    for (const auto& m : parsed->media) {
        if (const auto* c = parsed->connectionFor(m)) {
            for (const auto& a : config_.localAddresses) {
                if ((a.find(':') != std::string::npos) == (c->addrType == "IP6")) {
                    address = a;
                    break;
                }
            }
            break;
        }
    }
    auto local = localSession(address);
    if (!local) return local.error();
    auto result = offerAnswer_.receiveOffer(*parsed, *local);
    if (!result) return EngineError{offerAnswer_.offerPending() ? 491 : 488, result.error().message()};
    holdInForce_ = holdWish_;
    videoInForce_ = videoWish_;
    if (auto ok = applyNegotiated(result->negotiated, *parsed); !ok) return ok.error();
    return sdp::serialize(result->sdp);
}

EngineResult<std::string> MediaSession::setHold(bool hold)
{
    const bool before = holdWish_;
    holdWish_ = hold;
    auto offer = createOffer();
    if (!offer) holdWish_ = before;
    return offer;
}

EngineResult<std::string> MediaSession::setVideo(bool on)
{
    if (on && videoSourceSpec_.kind == VideoSourceSpec::Kind::Off && !config_.videoSourceFactory &&
        !bridgeVideoSource_ && videoSinkSpec_.kind == VideoSinkSpec::Kind::Null &&
        !config_.videoSinkFactory) {
        return EngineError{500, "video: no video source or sink configured"};
    }
    const bool before = videoWish_;
    videoWish_ = on;
    auto offer = createOffer();
    if (!offer) videoWish_ = before;
    return offer;
}

EngineResult<bool> MediaSession::setCodecs(std::vector<std::string> names)
{
    std::string list;
    for (const auto& n : names)
        list += (list.empty() ? "" : ",") + n;
    auto parsed = parseCodecList(list);
    if (!parsed) return parsed.error();
    config_.codecs = std::move(*parsed);
    return true;
}

EngineResult<bool> MediaSession::sendDtmf(std::string_view digits)
{
    if (!audio_ || !thread_.running()) return EngineError{500, "DTMF: media has not started"};
    if (!dtmfAgreed_) return EngineError{500, "DTMF: the peer did not agree to telephone-event"};
    std::string keys;
    for (char c : digits) {
        if (!dtmfEventCode(c)) return EngineError{500, std::string("DTMF: '") + c + "' is not a DTMF key"};
        keys += c;
    }
    AudioStream* stream = audio_.get();
    thread_.post([stream, keys](TimePoint) { stream->queueDtmf(keys); });
    return true;
}

EngineResult<StreamPlan> MediaSession::planFor(const sdp::NegotiatedStream& n)
{
    StreamPlan p;
    p.direction = n.direction;
    p.remoteRtp = {n.remoteAddress, n.remotePort};
    p.remoteRtcp = {n.remoteRtcpAddress.empty() ? n.remoteAddress : n.remoteRtcpAddress,
                    n.remoteRtcpPort != 0 ? n.remoteRtcpPort : static_cast<std::uint16_t>(n.remotePort + 1)};
    p.rtcpMux = n.rtcpMux;
    p.multicastTtl = n.multicastTtl;
    if (!sdp::isIpv4Address(n.remoteAddress) && !sdp::isIpv6Address(n.remoteAddress)) {
        return EngineError{488, "remote media address '" + n.remoteAddress + "' is not an IP address"};
    }
    if (const auto* c = n.sendCodec()) p.sendCodec = *c;
    if (!p.sendCodec) return EngineError{488, "no " + n.media + " codec in common"};
    // The telephone-event of the audio codec's clock (RFC 4733 §2.1), else any.
    for (const auto& c : n.sendCodecs) {
        if (c.name.size() == 15 && ::strncasecmp(c.name.c_str(), "telephone-event", 15) == 0) {
            if (!p.sendEvent || c.clockRate == p.sendCodec->clockRate) p.sendEvent = c;
        }
    }
    p.recvCodecs = n.recvCodecs;
    p.sendPtime = n.remotePtime.value_or(config_.ptime);
    p.recvPtime = n.remotePtime.value_or(config_.ptime);
    p.srtp = n.srtp;
    p.remoteFeedback = n.remoteFeedback;
    if (n.remoteBandwidthTias) {
        p.remoteMaxBitrateBps = *n.remoteBandwidthTias;
    } else if (n.remoteBandwidthAs) {
        p.remoteMaxBitrateBps = *n.remoteBandwidthAs * 1000;
    }
    if (n.srtp == sdp::SrtpMode::Sdes) {
        if (!n.localCrypto || !n.remoteCrypto)
            return EngineError{488, "SDES-SRTP without both a=crypto lines"};
        const auto suite = srtpSuiteFromName(n.localCrypto->suite);
        const auto& ours = n.id == kVideo ? videoSdesCryptos_ : sdesCryptos_;
        auto mine = std::find_if(ours.begin(), ours.end(), [&](const auto& c) { return c.suite == suite; });
        if (mine == ours.end())
            return EngineError{488, "SRTP: suite " + n.localCrypto->suite + " is not ours"};
        std::string why;
        auto theirs = parseSdesCrypto(sdp::toString(*n.remoteCrypto), &why);
        if (!theirs) return EngineError{488, "SRTP: the peer's a=crypto: " + why};
        auto keys = sdesKeys(*mine, *theirs);
        if (!keys) return EngineError{488, "SRTP: the peer's a=crypto suite differs from ours"};
        p.sdesKeys = std::move(*keys);
    } else if (n.srtp == sdp::SrtpMode::Dtls) {
        if (!n.remoteFingerprint) return EngineError{488, "DTLS-SRTP without the peer's a=fingerprint"};
        p.remoteFingerprint = n.remoteFingerprint->hashFunction + " " + n.remoteFingerprint->value;
        p.dtlsRole = n.localSetup == sdp::Setup::Active    ? DtlsRole::Client
                     : n.localSetup == sdp::Setup::Passive ? DtlsRole::Server
                                                           : DtlsRole::Invalid;
        if (p.dtlsRole == DtlsRole::Invalid)
            return EngineError{488, "DTLS-SRTP: a=setup leaves no role for us"};
        p.certificate = config_.dtlsCertificate;
    }
    return p;
}

EngineResult<bool> MediaSession::startStream()
{
    auto sourceSpec = parseSourceSpec(config_.audioSource);
    auto sinkSpec = parseSinkSpec(config_.audioSink);
    if (!sourceSpec) return EngineError{500, sourceSpec.error().what};
    if (!sinkSpec) return EngineError{500, sinkSpec.error().what};
    auto source = bridgeSource_           ? bridgeSource_(kDeviceFormat, clock_)
                  : config_.sourceFactory ? config_.sourceFactory(kDeviceFormat, clock_)
                                          : makeAudioSource(*sourceSpec, kDeviceFormat, clock_);
    if (!source) return EngineError{500, "audio source: " + source.error().what};
    auto sink = bridgeSink_           ? bridgeSink_(kDeviceFormat)
                : config_.sinkFactory ? config_.sinkFactory(kDeviceFormat)
                                      : makeAudioSink(*sinkSpec, kDeviceFormat);
    if (!sink) return EngineError{500, "audio sink: " + sink.error().what};
    RtpIdentity id;
    id.ssrc = static_cast<std::uint32_t>(random_());
    id.initialSequence = static_cast<std::uint16_t>(random_());
    id.initialTimestamp = static_cast<std::uint32_t>(random_());
    if (cname_.empty()) cname_ = cnameFrom(random_);
    id.cname = cname_;
    id.seed = (std::uint64_t{random_()} << 32) | random_();
    id.rtcpMinimumInterval = config_.rtcpMinimumInterval;
    const bool echo = !bridgeSource_ && !config_.sourceFactory && sourceSpec->kind == SourceKind::Device;
    audio_ = std::make_unique<AudioStream>(kAudio, std::move(sockets_), std::move(*source), std::move(*sink),
                                           echo, events_, std::move(id));
    sockets_.clear();
    audio_->setMuted(muted_);
    audio_->setLocalTone(localTone_);
    audio_->setLipSync(lipSync_);
    if (recorder_) audio_->setRecorder(recorder_);
    std::string why;
    if (!thread_.start(&why)) {
        audio_.reset();
        return EngineError{500, why};
    }
    thread_.addStream(audio_.get());
    return true;
}

EngineResult<bool> MediaSession::applyNegotiated(const sdp::Negotiated& negotiated,
                                                 const sdp::SessionDescription& remote)
{
    const auto* n = negotiated.find(kAudio);
    if (!n || !n->enabled) {
        const std::string why = n ? n->reason : "the audio stream was refused";
        events_->push(MediaErrorEvent{kAudio, why});
        return EngineError{488, why};
    }
    auto plan = planFor(*n);
    if (!plan) {
        events_->push(MediaErrorEvent{kAudio, plan.error().what});
        return plan.error();
    }
    if (!audio_) {
        if (auto ok = startStream(); !ok) {
            events_->push(MediaErrorEvent{kAudio, ok.error().what});
            return ok.error();
        }
    }
    dtmfAgreed_ = plan->sendEvent.has_value();
    AudioStream* stream = audio_.get();
    thread_.post([stream, p = std::move(*plan)](TimePoint now) { stream->apply(p, now); });
    updateHold(remote, *n);
    applyVideo(negotiated);
    return true;
}

void MediaSession::applyVideo(const sdp::Negotiated& negotiated)
{
    const auto* n = negotiated.find(kVideo);
    if (!n || !n->enabled) {
        // Removed (port 0 on its m-line) or refused: the call goes on without video. Say why when
        // we wanted it (an m-line we could not take is not bound to our stream: look by media).
        if (videoWish_ && !video_) {
            for (const auto& s : negotiated.streams) {
                if (s.media == "video" && !s.enabled && !s.reason.empty()) {
                    events_->push(MediaErrorEvent{kVideo, "video not used: " + s.reason});
                    break;
                }
            }
        }
        stopVideo();
        return;
    }
    auto plan = planFor(*n);
    if (!plan) {
        events_->push(MediaErrorEvent{kVideo, plan.error().what});
        stopVideo();
        return;
    }
    if (!video_) {
        if (auto ok = startVideo(); !ok) {
            events_->push(MediaErrorEvent{kVideo, ok.error().what});
            return;
        }
    }
    VideoStream* stream = video_.get();
    videoThread_->post([stream, p = std::move(*plan)](TimePoint now) { stream->apply(p, now); });
}

EngineResult<bool> MediaSession::startVideo()
{
    std::unique_ptr<VideoSource> source;
    if (bridgeVideoSource_) {
        auto made = bridgeVideoSource_(videoSourceSpec_);
        if (!made) return EngineError{500, "video source: " + made.error().what};
        source = std::move(*made);
    } else if (videoSourceSpec_.kind != VideoSourceSpec::Kind::Off) {
        auto made = config_.videoSourceFactory ? config_.videoSourceFactory(videoSourceSpec_)
                                               : makeVideoSource(videoSourceSpec_);
        if (!made) return EngineError{500, "video source: " + made.error().what};
        source = std::move(*made);
    }
    const int fps = source ? std::max(1, source->fps()) : 30;
    auto sink = bridgeVideoSink_           ? bridgeVideoSink_()
                : config_.videoSinkFactory ? config_.videoSinkFactory()
                                           : makeVideoSink(videoSinkSpec_, fps);
    if (!sink) return EngineError{500, "video sink: " + sink.error().what};
    if (auto ok = ensureVideoSockets(); !ok) return ok.error();
    RtpIdentity id;
    id.ssrc = static_cast<std::uint32_t>(random_());
    id.initialSequence = static_cast<std::uint16_t>(random_());
    id.initialTimestamp = static_cast<std::uint32_t>(random_());
    if (cname_.empty()) cname_ = cnameFrom(random_);
    id.cname = cname_;
    id.seed = (std::uint64_t{random_()} << 32) | random_();
    id.rtcpMinimumInterval = std::min(config_.rtcpMinimumInterval, std::chrono::milliseconds{1000});
    VideoStreamConfig vc;
    vc.maxWidth = config_.maxVideoWidth;
    vc.maxHeight = config_.maxVideoHeight;
    vc.startKbps = config_.videoStartKbps != 0 ? config_.videoStartKbps : config_.videoMaxKbps;
    vc.maxKbps = config_.videoMaxKbps;
    video_ = std::make_unique<VideoStream>(kVideo, std::move(videoSockets_), std::move(source),
                                           std::move(*sink), vc, events_, std::move(id));
    videoSockets_.clear();
    video_->setLipSync(lipSync_);
    videoThread_ = std::make_unique<MediaThread>(std::chrono::microseconds{1'000'000 / fps}, "vphone-video");
    std::string why;
    if (!videoThread_->start(&why)) {
        video_.reset();
        videoThread_.reset();
        return EngineError{500, why};
    }
    videoThread_->addStream(video_.get());
    return true;
}

void MediaSession::stopVideo()
{
    if (videoThread_) videoThread_->stop();
    parkedVideo_.reset(); // the call's own devices, parked during a conference, end with the stream
    if (video_) {
        finishedVideo_.push_back(video_->stats());
        video_->release();
        video_.reset();
        videoPort_ = 0; // the sockets went with the stream; a new offer binds new ones
    }
    videoThread_.reset();
}

void MediaSession::updateHold(const sdp::SessionDescription& remote, const sdp::NegotiatedStream& n)
{
    bool remoteHold = false;
    if (n.index < remote.media.size()) {
        const auto& m = remote.media[n.index];
        const auto* c = remote.connectionFor(m);
        const bool zeroAddress = c && (c->address == "0.0.0.0" || c->address == "::");
        remoteHold = zeroAddress || !sdp::receives(remote.directionFor(m));
    }
    const HoldState next = holdInForce_ ? (remoteHold ? HoldState::Both : HoldState::Local)
                                        : (remoteHold ? HoldState::Remote : HoldState::None);
    if (next != hold_) {
        hold_ = next;
        events_->push(HoldChanged{next});
    }
}

std::vector<StreamStats> MediaSession::stats() const
{
    std::vector<StreamStats> out;
    if (audio_) out.push_back(audio_->stats());
    if (video_) {
        out.push_back(video_->stats());
    } else if (!finishedVideo_.empty()) {
        out.push_back(finishedVideo_.back());
    }
    return out;
}

std::uint16_t MediaSession::audioPort() const
{
    return audio_ ? audio_->rtpPort() : port_;
}

void MediaSession::stop()
{
    if (stopped_) return;
    stopped_ = true;
    thread_.stop();
    sockets_.clear();
    if (audio_) audio_->release();
    if (videoThread_) videoThread_->stop();
    if (video_) video_->release();
    videoSockets_.clear();
    // The stream (sockets, devices) goes on this thread: Qt devices belong to it. Its last stats stay
    // readable.
}

} // namespace vphone::media
