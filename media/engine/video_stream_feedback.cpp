// VideoStream: RTCP feedback both ways (see video_stream.h): asking for keyframes (PLI, FIR) and
// missing packets (generic NACK), and acting on what the peer sends (retransmission, keyframes,
// REMB/TMMBR and receiver reports into the bandwidth estimate, RTT into the NACK timing).
#include "video_stream.h"

namespace vphone::media {

namespace {
constexpr auto kKeyframeRequestGap = std::chrono::milliseconds{300};
} // namespace

void VideoStream::requestKeyframe(TimePoint now)
{
    if (lastKeyframeRequest_ && now - *lastKeyframeRequest_ < kKeyframeRequestGap) return;
    const auto ssrc = transport_.remoteSsrc();
    if (!ssrc) return;
    lastKeyframeRequest_ = now;
    // PLI unless the peer only takes FIR (RFC 5104 §4.3.1.1: FIR is for a new participant, but
    // many endpoints only answer it).
    if (!remoteAccepts("nack", "pli") && remoteAccepts("ccm", "fir")) {
        Fir fir;
        fir.entries.push_back({*ssrc, firSequence_++});
        transport_.sendFeedback(std::move(fir), now);
        ++stats_.video.fir;
    } else {
        transport_.sendFeedback(Pli{0, *ssrc}, now);
        ++stats_.video.pli;
    }
}

void VideoStream::sendNacks(TimePoint now)
{
    auto lost = receive_.nacks(now);
    if (lost.empty() || !remoteAccepts("nack")) return;
    const auto ssrc = transport_.remoteSsrc();
    if (!ssrc) return;
    stats_.video.nack += lost.size();
    Nack nack;
    nack.mediaSsrc = *ssrc;
    nack.lost = std::move(lost);
    transport_.sendFeedback(std::move(nack), now);
}

void VideoStream::onRtpSessionEvent(const RtpSessionEvent& event, TimePoint now)
{
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, Nack>) {
                stats_.video.nackReceived += e.lost.size();
                bandwidth_.onNack(e.lost.size(), now);
                for (const std::uint16_t seq : e.lost) {
                    if (const auto* p = retransmit_.take(seq, now)) {
                        transport_.sendDatagram(*p);
                        ++stats_.video.retransmitted;
                    }
                }
            } else if constexpr (std::is_same_v<T, Pli>) {
                ++stats_.video.pliReceived;
                keyframeWanted_ = true;
            } else if constexpr (std::is_same_v<T, Fir>) {
                ++stats_.video.firReceived;
                keyframeWanted_ = true;
            } else if constexpr (std::is_same_v<T, ReportAboutUs>) {
                const auto rtt = transport_.session() ? transport_.session()->rtt() : std::nullopt;
                std::optional<std::chrono::milliseconds> ms;
                if (rtt) ms = std::chrono::duration_cast<std::chrono::milliseconds>(*rtt);
                bandwidth_.onReceiverReport(e.block.fractionLost, ms, now);
            } else if constexpr (std::is_same_v<T, Remb>) {
                ++stats_.video.rembReceived;
                bandwidth_.onRemoteEstimate(e.bitrateBps, now);
            } else if constexpr (std::is_same_v<T, Tmmbr>) {
                // RFC 5104 §4.2.1: the entry for us caps what we send; acknowledge it by TMMBN.
                ++stats_.video.tmmbrReceived;
                const std::uint32_t us = transport_.session()->ssrc();
                for (const auto& entry : e.entries) {
                    if (entry.ssrc != us) continue;
                    bandwidth_.onRemoteEstimate(entry.bitrateBps, now);
                    Tmmbn tmmbn;
                    tmmbn.entries.push_back({us, entry.bitrateBps, entry.overhead});
                    transport_.sendFeedback(std::move(tmmbn), now);
                }
            } else if constexpr (std::is_same_v<T, RttMeasured>) {
                const auto rtt = std::chrono::duration_cast<std::chrono::milliseconds>(e.rtt);
                receive_.setNackInterval(std::max(std::chrono::milliseconds{20}, rtt + rtt / 2));
                retransmit_.setMinInterval(std::max(std::chrono::milliseconds{5}, rtt / 2));
            }
        },
        event);
}

} // namespace vphone::media
