// RtpTransport: sockets, demultiplexing, SRTP/SRTCP, DTLS-SRTP and RTCP (see rtp_transport.h).
#include "rtp_transport.h"

#include <algorithm>

namespace vphone::media {

namespace {
constexpr std::size_t kMaxEarlyDtls = 8;
constexpr int kMaxReadsPerWakeup = 64;
constexpr auto kSsrcSwitchSilence = std::chrono::seconds{1};

} // namespace

std::optional<double> senderTimeMs(const RtpSource& source, std::uint32_t ts, std::uint32_t clockRate)
{
    const auto ntp = source.lastSrNtp();
    const auto rtp = source.lastSrRtp();
    if (!ntp || !rtp || clockRate == 0) return std::nullopt;
    const double srMs = double(*ntp >> 32) * 1000.0 + double(*ntp & 0xffffffffu) * 1000.0 / 4294967296.0;
    // RTP timestamps wrap: the signed distance from the SR's.
    const auto delta = static_cast<std::int32_t>(ts - *rtp);
    return srMs + double(delta) * 1000.0 / double(clockRate);
}

RtpTransport::RtpTransport(std::string id, std::vector<SocketPair> sockets,
                           std::shared_ptr<EventQueue> events, RtpIdentity identity, StreamStats& stats,
                           Owner& owner)
    : id_(std::move(id)), sockets_(std::move(sockets)), events_(std::move(events)),
      identity_(std::move(identity)), stats_(stats), owner_(owner)
{
    rtpPort_ = sockets_.empty() ? 0 : sockets_.front().rtp.port();
    packet_.resize(1500 + kSrtpMaxTrailer);
    rxBuffer_.resize(2048 + kSrtpMaxTrailer);
}

RtpTransport::~RtpTransport() = default;

void RtpTransport::error(std::string what)
{
    events_->push(MediaErrorEvent{id_, std::move(what)});
}

bool RtpTransport::apply(const StreamPlan& plan, std::uint32_t clockRate, double sessionBandwidth,
                         TimePoint now)
{
    plan_ = plan;
    planned_ = true;
    // The socket of the remote address's family.
    const bool v6 = plan.remoteRtp.host.find(':') != std::string::npos;
    std::optional<std::size_t> family;
    for (std::size_t i = 0; i < sockets_.size(); ++i) {
        if (sockets_[i].rtp.ipv6() == v6) {
            family = i;
            break;
        }
    }
    bool usable = true;
    if (!family) {
        error("no local " + std::string(v6 ? "IPv6" : "IPv4") + " address for the remote media address " +
              plan.remoteRtp.host);
        plan_.direction = sdp::Direction::Inactive;
        usable = false;
    } else {
        active_ = *family;
    }
    if (usable) applyMulticast(plan);
    if (!rtpLatch_ || !(rtpLatch_->destination() == plan.remoteRtp)) rtpLatch_.emplace(plan.remoteRtp);
    if (!rtcpLatch_ || !(rtcpLatch_->destination() == plan.remoteRtcp)) rtcpLatch_.emplace(plan.remoteRtcp);

    // RTP session: one per call; rebuilt (same SSRC, sequence continues) if the clock changes.
    if (!rtp_ || clockRate != rtpClock_) {
        RtpSessionConfig rc;
        rc.ssrc = rtp_ ? rtp_->ssrc() : identity_.ssrc;
        rc.initialSequence =
            lastSentSeq_ ? static_cast<std::uint16_t>(*lastSentSeq_ + 1) : identity_.initialSequence;
        rc.clockRate = clockRate;
        rc.cname = identity_.cname;
        rc.randomSeed = identity_.seed++;
        rc.sessionBandwidth = sessionBandwidth;
        rc.minimumInterval = identity_.rtcpMinimumInterval;
        const auto wall = std::chrono::system_clock::now().time_since_epoch();
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(wall);
        const auto frac = std::chrono::duration_cast<std::chrono::nanoseconds>(wall - secs).count();
        rc.ntp.reference = now;
        rc.ntp.ntpAtReference = ((static_cast<std::uint64_t>(secs.count()) + 2208988800ull) << 32) +
                                ((static_cast<std::uint64_t>(frac) << 32) / 1'000'000'000ull);
        rtp_.emplace(rc, now);
        rtpClock_ = clockRate;
    }
    stats_.direction = std::string(sdp::toString(plan_.direction));
    stats_.keying = plan.srtp == sdp::SrtpMode::Sdes   ? "sdes"
                    : plan.srtp == sdp::SrtpMode::Dtls ? "dtls"
                                                       : "";
    applySecurity(plan, now);
    return usable;
}

void RtpTransport::applyMulticast(const StreamPlan& plan)
{
    // RFC 8866 §5.7 group: we send to it (TTL, loopback on so listeners on this host hear us) and,
    // when we receive, join it on its RTP (and RTCP) port with sockets of our own.
    const bool receives =
        plan.direction == sdp::Direction::SendRecv || plan.direction == sdp::Direction::RecvOnly;
    if (!plan.multicastTtl || activeSockets().rtp.ipv6()) {
        multicastRx_.reset();
        multicastKey_.clear();
        return;
    }
    SocketPair& local = activeSockets();
    if (!local.rtp.setMulticastSend(*plan.multicastTtl) || !local.rtcp.setMulticastSend(*plan.multicastTtl)) {
        error("cannot set up multicast sending to " + toString(plan.remoteRtp));
    }
    const std::string key =
        receives ? toString(plan.remoteRtp) + (plan.rtcpMux ? "" : " " + toString(plan.remoteRtcp))
                 : std::string();
    if (key == multicastKey_) return;
    multicastRx_.reset();
    multicastKey_ = key;
    if (!receives) return;
    auto rtp = UdpSocket::joinGroup(plan.remoteRtp.host, plan.remoteRtp.port, local.rtp.address());
    if (!rtp) {
        error(rtp.error().what);
        return;
    }
    SocketPair pair{std::move(*rtp), {}};
    if (!plan.rtcpMux) {
        auto rtcp = UdpSocket::joinGroup(plan.remoteRtcp.host, plan.remoteRtcp.port, local.rtp.address());
        if (rtcp) {
            pair.rtcp = std::move(*rtcp);
        } else {
            error(rtcp.error().what); // RTP still flows; only the group's reports are missed
        }
    }
    multicastRx_ = std::move(pair);
}

std::string RtpTransport::destination() const
{
    return rtpLatch_ ? toString(rtpLatch_->destination()) : std::string();
}

std::span<const std::uint8_t> RtpTransport::sendRtp(std::uint8_t pt, std::uint32_t timestamp, bool marker,
                                                    std::span<const std::uint8_t> payload, TimePoint now)
{
    if (!planned_ || !rtp_ || !keyed() || !rtpLatch_) return {};
    const RtpHeader header = rtp_->nextHeader(pt, timestamp, marker);
    std::size_t length = writeRtp(header, payload, packet_);
    if (length == 0) return {};
    if (srtp_ && srtp_->protectRtp(packet_, length) != SrtpStatus::Ok) return {};
    const auto datagram = std::span<const std::uint8_t>(packet_.data(), length);
    activeSockets().rtp.sendTo(datagram, rtpLatch_->destination());
    rtp_->onRtpSent(header, payload.size(), now);
    lastSentSeq_ = header.sequenceNumber;
    ++stats_.packetsSent;
    stats_.bytesSent += length;
    return datagram;
}

void RtpTransport::sendDatagram(std::span<const std::uint8_t> datagram)
{
    if (!planned_ || !rtpLatch_ || sockets_.empty()) return;
    activeSockets().rtp.sendTo(datagram, rtpLatch_->destination());
    ++stats_.packetsSent;
    stats_.bytesSent += datagram.size();
}

void RtpTransport::sendFeedback(RtcpPacket feedback, TimePoint now)
{
    if (!planned_ || !rtp_) return;
    rtp_->sendFeedback(std::move(feedback), now);
    flushRtcp(now);
}

void RtpTransport::fillStats(StreamStats& s) const
{
    if (activeSsrc_ && rtp_) {
        if (const RtpSource* src = rtp_->source(*activeSsrc_)) {
            s.lost = std::max<std::int64_t>(0, src->cumulativeLost());
            s.jitterMs = static_cast<double>(src->jitterTime().count()) / 1000.0;
        }
    }
    if (rtp_ && rtp_->rtt()) s.rttMs = static_cast<double>(rtp_->rtt()->count()) / 1000.0;
    s.srtpSuite = srtp_ ? std::optional<SrtpSuite>(srtp_->suite()) : std::nullopt;
    s.srtpAuthFailures = authFailBase_ + (srtp_ ? srtp_->drops(SrtpStatus::AuthFail) : 0) +
                         (srtcp_ ? srtcp_->drops(SrtpStatus::AuthFail) : 0);
    s.srtpReplays = replayBase_ + (srtp_ ? srtp_->drops(SrtpStatus::ReplayFail) : 0) +
                    (srtcp_ ? srtcp_->drops(SrtpStatus::ReplayFail) : 0);
    if (rtp_) {
        for (std::size_t e = 1; e < static_cast<std::size_t>(RtpError::Count); ++e)
            s.malformed += rtp_->rtpErrors()[e];
        s.malformed += rtp_->rtcpErrors();
    }
}

void RtpTransport::setSrtp(std::optional<SrtpSession> session)
{
    if (srtp_) {
        authFailBase_ += srtp_->drops(SrtpStatus::AuthFail);
        replayBase_ += srtp_->drops(SrtpStatus::ReplayFail);
    }
    srtp_ = std::move(session);
}

void RtpTransport::applySecurity(const StreamPlan& plan, TimePoint now)
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

void RtpTransport::collectFds(std::vector<int>& fds) const
{
    for (const auto& p : sockets_) {
        fds.push_back(p.rtp.fd());
        fds.push_back(p.rtcp.fd());
    }
    if (multicastRx_) { // after the unicast pairs: index 2 * sockets_.size() (+1 for RTCP)
        fds.push_back(multicastRx_->rtp.fd());
        fds.push_back(multicastRx_->rtcp.fd());
    }
}

void RtpTransport::onReadable(std::size_t index, TimePoint now)
{
    const std::size_t pair = index / 2;
    const bool group = pair == sockets_.size() && multicastRx_.has_value();
    if (pair >= sockets_.size() && !group) return;
    const bool rtcpPort = index % 2 == 1;
    SocketPair& sockets = group ? *multicastRx_ : sockets_[pair];
    UdpSocket& socket = rtcpPort ? sockets.rtcp : sockets.rtp;
    MediaAddress from;
    for (int n = 0; n < kMaxReadsPerWakeup; ++n) {
        // Leave room for nothing: unprotect only shrinks, so the whole buffer can take a datagram.
        const auto size = socket.receive(rxBuffer_, from);
        if (!size) break;
        // The group loops our own packets back to us (IP_MULTICAST_LOOP): not a remote source
        // (our own SSRC in RTCP would look like a collision, RFC 3550 §8.2). Recognised by the
        // SSRC, which SRTP leaves in clear: a wildcard-bound socket does not know its source address.
        if (group && ownDatagram(std::span<const std::uint8_t>(rxBuffer_.data(), *size))) continue;
        onDatagram(rtcpPort, rxBuffer_, *size, from, now);
    }
}

bool RtpTransport::ownDatagram(std::span<const std::uint8_t> d) const
{
    if (!rtp_) return false;
    const DatagramKind kind = classifyDatagram(d);
    // RTP: the header's SSRC (bytes 8-11); RTCP: the first packet's sender SSRC (bytes 4-7).
    const std::size_t at = kind == DatagramKind::Rtp ? 8 : kind == DatagramKind::Rtcp ? 4 : d.size();
    if (at + 4 > d.size()) return false;
    const std::uint32_t ssrc = (std::uint32_t(d[at]) << 24) | (std::uint32_t(d[at + 1]) << 16) |
                               (std::uint32_t(d[at + 2]) << 8) | std::uint32_t(d[at + 3]);
    return ssrc == rtp_->ssrc();
}

void RtpTransport::onDatagram(bool rtcpPort, std::span<std::uint8_t> data, std::size_t size,
                              const MediaAddress& from, TimePoint now)
{
    const auto datagram = std::span<const std::uint8_t>(data.data(), size);
    const DatagramKind kind = classifyDatagram(datagram);
    if (rtcpPort) {
        if (kind == DatagramKind::Rtcp || kind == DatagramKind::Rtp) {
            handleRtcp(true, data, size, now);
            if (rtcpLatch_ && !plan_.multicastTtl) rtcpLatch_->onValidPacket(from);
        } else if (kind == DatagramKind::Dtls) {
            handleDtls(true, datagram, now);
        } else if (kind == DatagramKind::Stun) {
            ++stats_.unexpected; // connectivity checks of a peer that does ICE (we do not yet)
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

void RtpTransport::handleRtp(std::span<std::uint8_t> buffer, std::size_t size, const MediaAddress& from,
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
            ++stats_.foreignSsrc;
            return;
        }
        activeSsrc_ = ssrc;
        activeHeard_ = now;
        owner_.onRemoteSourceChanged();
    }
    activeSsrc_ = ssrc;
    activeHeard_ = now;
    if (!plan_.multicastTtl) { // a group is where we send, whoever speaks in it
        rtpLatch_->onValidPacket(from);
        if (plan_.rtcpMux && rtcpLatch_) rtcpLatch_->onValidPacket(from);
    }
    ++stats_.packetsReceived;
    stats_.bytesReceived += wire;
    owner_.onRtp(packet, now);
}

SrtpSession* RtpTransport::rtcpSrtp(bool rtcpPort)
{
    if (rtcpPort && plan_.srtp == sdp::SrtpMode::Dtls && !plan_.rtcpMux) return srtcp_ ? &*srtcp_ : nullptr;
    return srtp_ ? &*srtp_ : nullptr;
}

void RtpTransport::handleRtcp(bool rtcpPort, std::span<std::uint8_t> buffer, std::size_t size, TimePoint now)
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
    drainRtpEvents(now);
}

void RtpTransport::handleDtls(bool rtcpPort, std::span<const std::uint8_t> datagram, TimePoint now)
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

std::optional<TimePoint> RtpTransport::flushDtls(DtlsSrtpSession& dtls, bool rtcpPort, TimePoint now)
{
    const auto& latch = rtcpPort ? rtcpLatch_ : rtpLatch_;
    while (auto out = dtls.pollTransmit()) {
        if (latch) (rtcpPort ? activeSockets().rtcp : activeSockets().rtp).sendTo(*out, latch->destination());
    }
    const auto t = dtls.timeout();
    return t ? std::optional<TimePoint>(now + *t) : std::nullopt;
}

void RtpTransport::afterDtls(TimePoint now)
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
        owner_.onSecured(now);
    } else if (dtls_->state() == DtlsState::Failed) {
        dtlsReported_ = true;
        events_->push(DtlsFailed{id_, dtls_->error()});
    }
}

void RtpTransport::afterDtlsRtcp(TimePoint now)
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

void RtpTransport::flushRtcp(TimePoint now)
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

std::optional<TimePoint> RtpTransport::nextDeadline() const
{
    std::optional<TimePoint> at;
    if (rtp_ && planned_) at = rtp_->nextTimeout();
    if (dtlsDeadline_ && (!at || *dtlsDeadline_ < *at)) at = dtlsDeadline_;
    if (dtlsRtcp_ && dtlsRtcpDeadline_ && (!at || *dtlsRtcpDeadline_ < *at)) at = dtlsRtcpDeadline_;
    return at;
}

void RtpTransport::onTimeout(TimePoint now)
{
    if (rtp_ && planned_ && now >= rtp_->nextTimeout()) {
        rtp_->onTimeout(now);
        flushRtcp(now);
        drainRtpEvents(now);
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

void RtpTransport::stop(TimePoint now)
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
}

void RtpTransport::drainRtpEvents(TimePoint now)
{
    while (auto e = rtp_->pollEvent()) {
        const auto* removed = std::get_if<SourceRemoved>(&*e);
        if (removed && removed->why == SourceRemoved::Why::Bye) ++stats_.byeReceived;
        owner_.onRtpSessionEvent(*e, now);
    }
}

} // namespace vphone::media
