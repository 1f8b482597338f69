// AudioStream: sockets, demultiplexing, SRTP/SRTCP, DTLS-SRTP and RTCP (see audio_stream.h).
//
// Keys. SDES keys arrive in the plan; a changed key pair rekeys at once. DTLS: the role comes
// from a=setup (active = client). The association is kept across re-offers while the role
// and the peer's fingerprint stay the same, and restarted otherwise. A DTLS server can get the
// ClientHello before the answer that names the client's fingerprint has been applied, so a
// few early DTLS datagrams wait for the session. Until SRTP is keyed nothing is sent and
// every RTP/RTCP datagram is dropped (counted as unexpected). Without rtcp-mux the RTCP port
// runs a second DTLS handshake (RFC 5764 §4.1: one association per component) whose keys
// protect SRTCP; until it completes RTCP is neither sent nor accepted, RTP flows regardless.
#include "audio_stream.h"

#include <strings.h>

namespace vphone::media {

namespace {
constexpr std::size_t kMaxEarlyDtls = 8;
constexpr int kMaxReadsPerWakeup = 64;
constexpr auto kSsrcSwitchSilence = std::chrono::seconds{1};

bool isTelephoneEvent(const std::string& name)
{
    return name.size() == 15 && ::strncasecmp(name.c_str(), "telephone-event", 15) == 0;
}
} // namespace

void AudioStream::setSrtp(std::optional<SrtpSession> session)
{
    if (srtp_) {
        authFailBase_ += srtp_->drops(SrtpStatus::AuthFail);
        replayBase_ += srtp_->drops(SrtpStatus::ReplayFail);
    }
    srtp_ = std::move(session);
}

void AudioStream::applySecurity(const StreamPlan& plan, TimePoint now)
{
    switch (plan.srtp) {
    case sdp::SrtpMode::None:
    case sdp::SrtpMode::Invalid:
        setSrtp(std::nullopt);
        sdesKeys_.reset();
        dtls_.reset();
        dtlsRtcp_.reset();
        srtcp_.reset();
        dtlsPeer_.clear();
        break;
    case sdp::SrtpMode::Sdes: {
        dtls_.reset();
        dtlsRtcp_.reset();
        srtcp_.reset();
        dtlsPeer_.clear();
        if (!plan.sdesKeys) {
            error("SDES-SRTP negotiated without keys");
            setSrtp(std::nullopt);
            break;
        }
        const bool same = sdesKeys_ && sdesKeys_->suite == plan.sdesKeys->suite &&
                          sdesKeys_->send == plan.sdesKeys->send &&
                          sdesKeys_->receive == plan.sdesKeys->receive;
        if (same && srtp_) break;
        std::string why;
        auto session = SrtpSession::create(*plan.sdesKeys, &why);
        if (!session) error("SRTP: " + why);
        setSrtp(std::move(session));
        sdesKeys_ = plan.sdesKeys;
        break;
    }
    case sdp::SrtpMode::Dtls: {
        sdesKeys_.reset();
        const std::string peer =
            std::to_string(static_cast<int>(plan.dtlsRole)) + " " + plan.remoteFingerprint;
        const bool restart = !(dtls_ && peer == dtlsPeer_);
        if (restart) {
            setSrtp(std::nullopt);
            dtlsReported_ = false;
            started_ = false;
            dtlsRtcp_.reset();
        }
        if (plan.dtlsRole == DtlsRole::Invalid || !plan.certificate) {
            dtls_.reset();
            dtlsRtcp_.reset();
            error("DTLS-SRTP: no role or certificate");
            break;
        }
        DtlsSrtpConfig dc;
        dc.role = plan.dtlsRole;
        dc.certificate = plan.certificate;
        dc.remoteFingerprint = plan.remoteFingerprint;
        if (!plan.dtlsSuites.empty()) dc.suites = plan.dtlsSuites;
        if (restart) {
            dtls_ = std::make_unique<DtlsSrtpSession>(dc);
            dtlsPeer_ = peer;
            dtls_->start();
            while (!earlyDtls_.empty()) {
                dtls_->receive(earlyDtls_.front());
                earlyDtls_.pop_front();
            }
            afterDtls(now);
        }
        if (plan.rtcpMux) {
            dtlsRtcp_.reset();
            srtcp_.reset();
        } else if (!dtlsRtcp_) {
            srtcp_.reset();
            dtlsRtcpReported_ = false;
            dtlsRtcp_ = std::make_unique<DtlsSrtpSession>(dc);
            dtlsRtcp_->start();
            while (!earlyDtlsRtcp_.empty()) {
                dtlsRtcp_->receive(earlyDtlsRtcp_.front());
                earlyDtlsRtcp_.pop_front();
            }
            afterDtlsRtcp(now);
        }
        break;
    }
    }
}

void AudioStream::collectFds(std::vector<int>& fds) const
{
    for (const auto& p : sockets_) {
        fds.push_back(p.rtp.fd());
        fds.push_back(p.rtcp.fd());
    }
}

void AudioStream::onReadable(std::size_t index, TimePoint now)
{
    const std::size_t pair = index / 2;
    if (pair >= sockets_.size()) return;
    const bool rtcpPort = index % 2 == 1;
    UdpSocket& socket = rtcpPort ? sockets_[pair].rtcp : sockets_[pair].rtp;
    MediaAddress from;
    for (int n = 0; n < kMaxReadsPerWakeup; ++n) {
        // Leave room for nothing: unprotect only shrinks, so the whole buffer can take a datagram.
        const auto size = socket.receive(rxBuffer_, from);
        if (!size) break;
        onDatagram(rtcpPort, rxBuffer_, *size, from, now);
    }
    publish(now);
}

void AudioStream::onDatagram(bool rtcpPort, std::span<std::uint8_t> data, std::size_t size,
                             const MediaAddress& from, TimePoint now)
{
    const auto datagram = std::span<const std::uint8_t>(data.data(), size);
    const DatagramKind kind = classifyDatagram(datagram);
    if (rtcpPort) {
        if (kind == DatagramKind::Rtcp || kind == DatagramKind::Rtp) {
            handleRtcp(true, data, size, now);
            if (rtcpLatch_) rtcpLatch_->onValidPacket(from);
        } else if (kind == DatagramKind::Dtls) {
            handleDtls(true, datagram, now);
        } else {
            ++stats_.malformed;
        }
        return;
    }
    switch (kind) {
    case DatagramKind::Rtp: handleRtp(data, size, from, now); break;
    case DatagramKind::Rtcp: handleRtcp(false, data, size, now); break;
    case DatagramKind::Dtls: handleDtls(false, datagram, now); break;
    case DatagramKind::Stun: ++stats_.unexpected; break; // no ICE yet
    case DatagramKind::Invalid: ++stats_.malformed; break;
    }
}

void AudioStream::handleRtp(std::span<std::uint8_t> buffer, std::size_t size, const MediaAddress& from,
                            TimePoint now)
{
    if (!planned_ || !rtp_) {
        ++stats_.unexpected;
        return;
    }
    const std::size_t wire = size;
    if (secure()) {
        if (!srtp_) {
            ++stats_.unexpected;
            return;
        }
        if (const auto status = srtp_->unprotectRtp(buffer, size); status != SrtpStatus::Ok) {
            // Auth and replay failures are counted by SrtpSession; the rest is not SRTP at all.
            if (status != SrtpStatus::AuthFail && status != SrtpStatus::ReplayFail) ++stats_.malformed;
            return;
        }
    }
    const auto received = rtp_->receiveRtp(std::span<const std::uint8_t>(buffer.data(), size), now);
    if (!received.deliver()) return; // counted by RtpSession
    const RtpPacketView& packet = received.packet;
    // One remote source at a time: another SSRC takes over only after ours fell silent.
    const std::uint32_t ssrc = packet.header.ssrc;
    if (activeSsrc_ && *activeSsrc_ != ssrc) {
        if (now - activeHeard_ < kSsrcSwitchSilence) {
            ++stats_.unexpected;
            return;
        }
        decoder_.reset();
        decoderPt_ = -1;
        resetJitterBuffer();
    }
    activeSsrc_ = ssrc;
    activeHeard_ = now;
    rtpLatch_->onValidPacket(from);
    if (plan_.rtcpMux && rtcpLatch_) rtcpLatch_->onValidPacket(from);
    ++stats_.packetsReceived;
    stats_.bytesReceived += wire;
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

SrtpSession* AudioStream::rtcpSrtp(bool rtcpPort)
{
    if (rtcpPort && plan_.srtp == sdp::SrtpMode::Dtls && !plan_.rtcpMux) return srtcp_ ? &*srtcp_ : nullptr;
    return srtp_ ? &*srtp_ : nullptr;
}

void AudioStream::handleRtcp(bool rtcpPort, std::span<std::uint8_t> buffer, std::size_t size, TimePoint now)
{
    if (!planned_ || !rtp_) return;
    if (secure()) {
        SrtpSession* srtp = rtcpSrtp(rtcpPort);
        if (!srtp) {
            ++stats_.unexpected;
            return;
        }
        if (const auto status = srtp->unprotectRtcp(buffer, size); status != SrtpStatus::Ok) {
            if (status != SrtpStatus::AuthFail && status != SrtpStatus::ReplayFail) ++stats_.malformed;
            return;
        }
    }
    if (rtp_->receiveRtcp(std::span<const std::uint8_t>(buffer.data(), size), now) == RtcpError::None) {
        ++stats_.rtcpReceived;
    }
    drainRtpEvents();
}

void AudioStream::handleDtls(bool rtcpPort, std::span<const std::uint8_t> datagram, TimePoint now)
{
    if (planned_ && (plan_.srtp != sdp::SrtpMode::Dtls || (rtcpPort && plan_.rtcpMux))) {
        ++stats_.unexpected;
        return;
    }
    if (rtcpPort) {
        if (!dtlsRtcp_) {
            if (earlyDtlsRtcp_.size() < kMaxEarlyDtls)
                earlyDtlsRtcp_.emplace_back(datagram.begin(), datagram.end());
            return;
        }
        dtlsRtcp_->receive(datagram);
        afterDtlsRtcp(now);
        return;
    }
    if (!dtls_) {
        if (earlyDtls_.size() < kMaxEarlyDtls) earlyDtls_.emplace_back(datagram.begin(), datagram.end());
        return;
    }
    dtls_->receive(datagram);
    afterDtls(now);
}

std::optional<TimePoint> AudioStream::flushDtls(DtlsSrtpSession& dtls, bool rtcpPort, TimePoint now)
{
    const auto& latch = rtcpPort ? rtcpLatch_ : rtpLatch_;
    while (auto out = dtls.pollTransmit()) {
        if (latch) (rtcpPort ? activeSockets().rtcp : activeSockets().rtp).sendTo(*out, latch->destination());
    }
    const auto t = dtls.timeout();
    return t ? std::optional<TimePoint>(now + *t) : std::nullopt;
}

void AudioStream::afterDtls(TimePoint now)
{
    if (!dtls_) return;
    dtlsDeadline_ = flushDtls(*dtls_, false, now);
    if (dtlsReported_) return;
    if (dtls_->state() == DtlsState::Connected) {
        dtlsReported_ = true;
        std::string why;
        auto keys = dtls_->srtpKeys();
        auto session = keys ? SrtpSession::create(*keys, &why) : std::nullopt;
        if (!session) {
            events_->push(DtlsFailed{id_, "SRTP keys from DTLS refused: " + (why.empty() ? "no keys" : why)});
            return;
        }
        setSrtp(std::move(session));
        events_->push(DtlsConnected{id_, dtls_->suite()});
        maybeStarted();
    } else if (dtls_->state() == DtlsState::Failed) {
        dtlsReported_ = true;
        events_->push(DtlsFailed{id_, dtls_->error()});
    }
}

void AudioStream::afterDtlsRtcp(TimePoint now)
{
    if (!dtlsRtcp_) return;
    dtlsRtcpDeadline_ = flushDtls(*dtlsRtcp_, true, now);
    if (dtlsRtcpReported_) return;
    if (dtlsRtcp_->state() == DtlsState::Connected) {
        dtlsRtcpReported_ = true;
        std::string why;
        auto keys = dtlsRtcp_->srtpKeys();
        if (keys) srtcp_ = SrtpSession::create(*keys, &why);
        if (!srtcp_)
            error("SRTCP keys from the RTCP port's DTLS refused: " + (why.empty() ? "no keys" : why));
    } else if (dtlsRtcp_->state() == DtlsState::Failed) {
        // RTP is keyed by its own handshake and keeps flowing; only the reports are lost.
        dtlsRtcpReported_ = true;
        error("DTLS on the RTCP port failed (no RTCP reports): " + dtlsRtcp_->error());
    }
}

void AudioStream::flushRtcp(TimePoint now)
{
    (void)now;
    while (auto compound = rtp_->pollRtcp()) {
        if (!keyed() || !rtpLatch_) continue; // nothing leaves unprotected when SRTP is required
        if (compound->size() + kSrtpMaxTrailer > packet_.size()) continue;
        std::copy(compound->begin(), compound->end(), packet_.begin());
        std::size_t length = compound->size();
        SrtpSession* srtp = rtcpSrtp(!plan_.rtcpMux);
        if (secure() && !srtp) continue; // the RTCP port's handshake is not done yet
        if (srtp && srtp->protectRtcp(packet_, length) != SrtpStatus::Ok) continue;
        const auto bytes = std::span<const std::uint8_t>(packet_.data(), length);
        if (plan_.rtcpMux) {
            activeSockets().rtp.sendTo(bytes, rtpLatch_->destination());
        } else {
            activeSockets().rtcp.sendTo(bytes, rtcpLatch_->destination());
        }
        ++stats_.rtcpSent;
    }
}

std::optional<TimePoint> AudioStream::nextDeadline() const
{
    std::optional<TimePoint> at;
    if (rtp_ && planned_) at = rtp_->nextTimeout();
    if (dtlsDeadline_ && (!at || *dtlsDeadline_ < *at)) at = dtlsDeadline_;
    if (dtlsRtcp_ && dtlsRtcpDeadline_ && (!at || *dtlsRtcpDeadline_ < *at)) at = dtlsRtcpDeadline_;
    return at;
}

void AudioStream::onTimeout(TimePoint now)
{
    if (rtp_ && planned_ && now >= rtp_->nextTimeout()) {
        rtp_->onTimeout(now);
        flushRtcp(now);
        drainRtpEvents();
    }
    if (dtls_ && dtlsDeadline_ && now >= *dtlsDeadline_) {
        dtls_->onTimeout();
        afterDtls(now);
    }
    if (dtlsRtcp_ && dtlsRtcpDeadline_ && now >= *dtlsRtcpDeadline_) {
        dtlsRtcp_->onTimeout();
        afterDtlsRtcp(now);
    }
}

void AudioStream::stop(TimePoint now)
{
    if (rtp_ && planned_) {
        rtp_->bye("call ended", now);
        flushRtcp(now);
    }
    if (dtls_) {
        dtls_->close();
        flushDtls(*dtls_, false, now);
    }
    if (dtlsRtcp_) {
        dtlsRtcp_->close();
        flushDtls(*dtlsRtcp_, true, now);
    }
    if (sink_) sink_->close();
    publish(now);
}

void AudioStream::drainRtpEvents()
{
    while (auto e = rtp_->pollEvent()) {
        const auto* removed = std::get_if<SourceRemoved>(&*e);
        if (removed && removed->why == SourceRemoved::Why::Bye) ++stats_.byeReceived;
    }
}

void AudioStream::release()
{
    sockets_.clear();
    source_.reset();
    sink_.reset();
}

} // namespace vphone::media
