// RTP session state (RFC 3550 §6.2–6.4, §8.2, Appendix A.7).
#include "rtp_session.h"

#include <algorithm>
#include <cmath>

namespace vphone::media {

namespace {

constexpr double kSenderBwFraction = 0.25;      // A.7 RTCP_SENDER_BW_FRACTION
constexpr double kCompensation = 2.71828 - 1.5; // A.7 COMPENSATION (e - 3/2)
constexpr double kRtcpShare = 0.05;             // §6.2: 5 % of the session bandwidth
constexpr std::size_t kUdpIpOverhead = 28;      // §6.2: sizes include UDP and IP headers
constexpr int kTimeoutIntervals = 5;            // §6.3.5: M
constexpr std::size_t kMaxReportBlocks = 31;

std::chrono::steady_clock::duration toDuration(double seconds)
{
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds));
}

} // namespace

RtpSession::RtpSession(RtpSessionConfig config, TimePoint now)
    : config_(std::move(config)), ssrc_(config_.ssrc), sequence_(config_.initialSequence),
      random_(config_.randomSeed), lastReport_(now), nextReport_(now)
{
    if (config_.clockRate == 0) config_.clockRate = 8000;
    if (config_.maxSources == 0) config_.maxSources = 1;
    // A.7: the first avg_rtcp_size is the size of the first report we would send.
    avgRtcpSize_ = static_cast<double>(kUdpIpOverhead + 8 + 12 + config_.cname.size());
    nextReport_ = scheduleFrom(now, true);
}

RtpHeader RtpSession::nextHeader(std::uint8_t payloadType, std::uint32_t timestamp, bool marker)
{
    RtpHeader h;
    h.payloadType = payloadType & 0x7f;
    h.marker = marker;
    h.sequenceNumber = sequence_++;
    h.timestamp = timestamp;
    h.ssrc = ssrc_;
    return h;
}

void RtpSession::onRtpSent(const RtpHeader& header, std::size_t payloadSize, TimePoint now)
{
    ++packetsSent_;
    octetsSent_ += static_cast<std::uint32_t>(payloadSize); // §6.4.1: payload octets only
    lastRtpTimestamp_ = header.timestamp;
    lastSendTime_ = now;
    sentThisInterval_ = true;
}

RtpSource* RtpSession::findOrAdd(std::uint32_t ssrc, std::uint16_t seq, TimePoint now, bool& full)
{
    full = false;
    if (auto it = sources_.find(ssrc); it != sources_.end()) return &it->second;
    if (sources_.size() >= config_.maxSources) {
        full = true;
        return nullptr;
    }
    auto [it, _] = sources_.emplace(ssrc, RtpSource(ssrc, config_.clockRate, seq, now));
    events_.push_back(SourceAdded{ssrc});
    return &it->second;
}

RtpReceived RtpSession::receiveRtp(std::span<const std::uint8_t> datagram, TimePoint now)
{
    RtpReceived out;
    const RtpParse parsed = parseRtp(datagram);
    if (!parsed.ok()) {
        ++rtpErrors_[static_cast<std::size_t>(parsed.error)];
        out.drop = RtpDrop::Malformed;
        ++drops_[static_cast<std::size_t>(out.drop)];
        return out;
    }
    const RtpHeader& h = parsed.packet.header;
    if (h.ssrc == ssrc_) collision(now);
    bool full = false;
    RtpSource* source = findOrAdd(h.ssrc, h.sequenceNumber, now, full);
    if (!source) {
        out.drop = RtpDrop::TooManySources;
        ++drops_[static_cast<std::size_t>(out.drop)];
        return out;
    }
    out.verdict = source->update(h.sequenceNumber, h.timestamp, now);
    if (out.verdict == SeqVerdict::BadSequence) {
        out.drop = RtpDrop::BadSequence;
        ++drops_[static_cast<std::size_t>(out.drop)];
        return out;
    }
    out.packet = parsed.packet;
    return out;
}

RtcpError RtpSession::receiveRtcp(std::span<const std::uint8_t> datagram, TimePoint now)
{
    RtcpParse parsed = parseRtcp(datagram);
    if (!parsed.ok()) {
        ++rtcpErrors_;
        return parsed.error;
    }
    // A.7: avg_rtcp_size follows every compound sent or received.
    avgRtcpSize_ = (datagram.size() + kUdpIpOverhead) / 16.0 + avgRtcpSize_ * 15.0 / 16.0;
    const std::uint32_t a = ntpMiddle32(config_.ntp.at(now));
    auto blocks = [&](std::uint32_t from, const std::vector<ReportBlock>& reports) {
        if (from == ssrc_) collision(now);
        if (auto it = sources_.find(from); it != sources_.end()) it->second.heard(now);
        for (const ReportBlock& b : reports) {
            if (b.ssrc == ssrc_) events_.push_back(ReportAboutUs{from, b});
            if (b.ssrc != ssrc_ || b.lsr == 0) continue;
            // §6.4.1: RTT = A - LSR - DLSR, all in 1/65536 s; a negative result is clock noise.
            const auto rtt = static_cast<std::int32_t>(a - b.lsr - b.dlsr);
            if (rtt < 0) continue;
            rtt_ = fromNtpShort(static_cast<std::uint32_t>(rtt));
            events_.push_back(RttMeasured{from, *rtt_});
        }
    };
    for (RtcpPacket& packet : parsed.packets) {
        if (auto* sr = std::get_if<SenderReport>(&packet)) {
            if (auto it = sources_.find(sr->ssrc); it != sources_.end()) it->second.onSenderReport(*sr, now);
            blocks(sr->ssrc, sr->reports);
        } else if (auto* rr = std::get_if<ReceiverReport>(&packet)) {
            blocks(rr->ssrc, rr->reports);
        } else if (auto* bye = std::get_if<Bye>(&packet)) {
            for (std::uint32_t s : bye->ssrcs) {
                if (sources_.erase(s)) events_.push_back(SourceRemoved{s, SourceRemoved::Why::Bye});
            }
        } else if (auto* nack = std::get_if<Nack>(&packet)) {
            if (nack->mediaSsrc == ssrc_) events_.push_back(std::move(*nack));
        } else if (auto* pli = std::get_if<Pli>(&packet)) {
            if (pli->mediaSsrc == ssrc_) events_.push_back(*pli);
        } else if (auto* fir = std::get_if<Fir>(&packet)) {
            const bool forUs = std::any_of(fir->entries.begin(), fir->entries.end(),
                                           [&](const Fir::Entry& e) { return e.ssrc == ssrc_; });
            if (forUs) events_.push_back(std::move(*fir));
        } else if (auto* remb = std::get_if<Remb>(&packet)) {
            if (std::find(remb->ssrcs.begin(), remb->ssrcs.end(), ssrc_) != remb->ssrcs.end())
                events_.push_back(std::move(*remb));
        } else if (auto* tmmbr = std::get_if<Tmmbr>(&packet)) {
            const bool forUs = std::any_of(tmmbr->entries.begin(), tmmbr->entries.end(),
                                           [&](const Tmmbr::Entry& e) { return e.ssrc == ssrc_; });
            if (forUs) events_.push_back(std::move(*tmmbr));
        } else if (auto* tmmbn = std::get_if<Tmmbn>(&packet)) {
            events_.push_back(std::move(*tmmbn));
        }
    }
    return RtcpError::None;
}

void RtpSession::collision(TimePoint now)
{
    // §8.2: send a BYE for the old SSRC and choose a new random one.
    const std::uint32_t old = ssrc_;
    std::uint32_t fresh = old;
    while (fresh == old || sources_.count(fresh))
        fresh = static_cast<std::uint32_t>(random_());
    queue({ReceiverReport{old, {}}, Bye{{old}, "SSRC collision"}});
    ssrc_ = fresh;
    packetsSent_ = 0;
    octetsSent_ = 0;
    lastRtpTimestamp_.reset();
    events_.push_back(SsrcCollision{old, fresh});
    (void)now;
}

std::chrono::duration<double> RtpSession::deterministicInterval(bool initial) const
{
    // A.7 rtcp_interval() without the random factor and compensation.
    double minTime = std::chrono::duration<double>(config_.minimumInterval).count();
    if (initial) minTime /= 2;
    double rtcpBw = config_.sessionBandwidth / 8.0 * kRtcpShare; // bytes per second
    const auto members = static_cast<double>(1 + sources_.size());
    double senders = weSent() ? 1 : 0;
    for (const auto& [_, s] : sources_)
        senders += s.sentSinceLastReport() ? 1 : 0;
    double n = members;
    if (senders <= members * kSenderBwFraction) {
        if (weSent()) {
            rtcpBw *= kSenderBwFraction;
            n = senders;
        } else {
            rtcpBw *= 1 - kSenderBwFraction;
            n -= senders;
        }
    }
    double t = rtcpBw > 0 ? avgRtcpSize_ * n / rtcpBw : minTime;
    return std::chrono::duration<double>(std::max(t, minTime));
}

TimePoint RtpSession::scheduleFrom(TimePoint from, bool initial)
{
    // A.7: randomise to [0.5, 1.5] T, then divide by e - 3/2 to compensate for reconsideration.
    const double unit = static_cast<double>(random_() >> 11) * 0x1.0p-53;
    const double t = deterministicInterval(initial).count() * (unit + 0.5) / kCompensation;
    return from + toDuration(t);
}

void RtpSession::onTimeout(TimePoint now)
{
    // §6.3.5: a source heard from not at all for M * Td is dropped.
    const auto limit = toDuration(kTimeoutIntervals * deterministicInterval(false).count());
    for (auto it = sources_.begin(); it != sources_.end();) {
        if (now - it->second.lastHeard() > limit) {
            events_.push_back(SourceRemoved{it->first, SourceRemoved::Why::Timeout});
            it = sources_.erase(it);
        } else {
            ++it;
        }
    }
    if (now < nextReport_) return;
    // A.7 OnExpire with timer reconsideration: recompute T from the present membership.
    const TimePoint tn = scheduleFrom(lastReport_, initial_);
    if (tn > now) {
        nextReport_ = tn;
        return;
    }
    queue(report(now));
    lastReport_ = now;
    initial_ = false;
    nextReport_ = scheduleFrom(now, false);
}

std::vector<RtcpPacket> RtpSession::report(TimePoint now)
{
    std::vector<ReportBlock> reports;
    for (auto& [_, s] : sources_) {
        if (reports.size() == kMaxReportBlocks) break;
        if (s.validated() && s.sentSinceLastReport()) reports.push_back(s.makeReportBlock(now));
    }
    std::vector<RtcpPacket> packets;
    if (weSent() && lastRtpTimestamp_) {
        SenderReport sr;
        sr.ssrc = ssrc_;
        sr.ntpTimestamp = config_.ntp.at(now);
        // The RTP timestamp of this instant, extrapolated from the last packet sent (§6.4.1).
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - lastSendTime_).count();
        sr.rtpTimestamp = *lastRtpTimestamp_ + static_cast<std::uint32_t>(us * config_.clockRate / 1'000'000);
        sr.packetCount = packetsSent_;
        sr.octetCount = octetsSent_;
        sr.reports = std::move(reports);
        packets.emplace_back(std::move(sr));
    } else {
        packets.emplace_back(ReceiverReport{ssrc_, std::move(reports)});
    }
    packets.emplace_back(Sdes{{SdesChunk{ssrc_, config_.cname}}});
    sentPreviousInterval_ = sentThisInterval_;
    sentThisInterval_ = false;
    return packets;
}

void RtpSession::bye(std::string reason, TimePoint now)
{
    auto packets = report(now);
    packets.emplace_back(Bye{{ssrc_}, std::move(reason)});
    queue(std::move(packets));
}

void RtpSession::sendFeedback(RtcpPacket feedback, TimePoint now)
{
    // RFC 4585 §3.5: feedback goes in a compound that starts with a report. Without a
    // report-interval change, a minimal RR (no blocks) keeps the interval's statistics intact.
    (void)now;
    std::visit(
        [&](auto& fb) {
            using T = std::decay_t<decltype(fb)>;
            if constexpr (std::is_same_v<T, Nack> || std::is_same_v<T, Pli> || std::is_same_v<T, Fir> ||
                          std::is_same_v<T, Remb> || std::is_same_v<T, Tmmbr> || std::is_same_v<T, Tmmbn>) {
                fb.senderSsrc = ssrc_;
            }
        },
        feedback);
    queue({ReceiverReport{ssrc_, {}}, Sdes{{SdesChunk{ssrc_, config_.cname}}}, std::move(feedback)});
}

void RtpSession::queue(std::vector<RtcpPacket> packets)
{
    auto bytes = serializeRtcp(packets);
    avgRtcpSize_ = (bytes.size() + kUdpIpOverhead) / 16.0 + avgRtcpSize_ * 15.0 / 16.0;
    rtcpOut_.push_back(std::move(bytes));
}

std::optional<std::vector<std::uint8_t>> RtpSession::pollRtcp()
{
    if (rtcpOut_.empty()) return std::nullopt;
    auto out = std::move(rtcpOut_.front());
    rtcpOut_.pop_front();
    return out;
}

// GCC 12 at -O1 and above reports moving a variant holding a vector out of the deque as
// "maybe uninitialized" (a false positive, like GCC bug 107919); nothing is read uninitialised.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
std::optional<RtpSessionEvent> RtpSession::pollEvent()
{
    if (events_.empty()) return std::nullopt;
    std::optional<RtpSessionEvent> out(std::in_place, std::move(events_.front()));
    events_.pop_front();
    return out;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

const RtpSource* RtpSession::source(std::uint32_t ssrc) const
{
    auto it = sources_.find(ssrc);
    return it == sources_.end() ? nullptr : &it->second;
}

} // namespace vphone::media
