// Event queue, event and statistics JSON.
#include "media_events.h"

#include <cmath>
#include <cstdio>

namespace vphone::media {

namespace {

std::string quote(std::string_view s)
{
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string number(double v)
{
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

} // namespace

std::string_view toString(HoldState state)
{
    switch (state) {
    case HoldState::None: return "none";
    case HoldState::Local: return "local";
    case HoldState::Remote: return "remote";
    case HoldState::Both: return "both";
    case HoldState::Invalid: break;
    }
    return "invalid";
}

std::string toJson(const MediaEvent& event)
{
    struct Visitor {
        std::string operator()(const MediaStarted& e) const
        {
            return "\"kind\":\"started\",\"stream\":" + quote(e.stream) + ",\"codec\":" + quote(e.codec) +
                   ",\"remote\":" + quote(e.remote);
        }
        std::string operator()(const DtlsConnected& e) const
        {
            return "\"kind\":\"dtls\",\"state\":\"connected\",\"stream\":" + quote(e.stream) +
                   ",\"suite\":" + quote(toString(e.suite));
        }
        std::string operator()(const DtlsFailed& e) const
        {
            return "\"kind\":\"dtls\",\"state\":\"failed\",\"stream\":" + quote(e.stream) +
                   ",\"reason\":" + quote(e.reason);
        }
        std::string operator()(const DtmfReceived& e) const
        {
            return "\"kind\":\"dtmf\",\"stream\":" + quote(e.stream) +
                   ",\"digit\":" + quote(std::string(1, e.digit));
        }
        std::string operator()(const HoldChanged& e) const
        {
            return "\"kind\":\"hold\",\"state\":" + quote(toString(e.state));
        }
        std::string operator()(const MediaErrorEvent& e) const
        {
            return "\"kind\":\"error\",\"stream\":" + quote(e.stream) + ",\"what\":" + quote(e.what);
        }
        std::string operator()(const StunMapped& e) const
        {
            return "\"kind\":\"stun\",\"stream\":" + quote(e.stream) + ",\"socket\":" + quote(e.socket) +
                   ",\"mapped\":" + quote(e.mapped) + ",\"server\":" + quote(e.server);
        }
    };
    return "{\"event\":\"media\"," + std::visit(Visitor{}, event) + "}";
}

void EventQueue::setNotifier(std::function<void()> notifier)
{
    std::lock_guard lock(mutex_);
    notifier_ = std::move(notifier);
}

void EventQueue::push(MediaEvent event)
{
    std::function<void()> notify;
    {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
        notify = notifier_;
    }
    if (notify) notify();
}

std::optional<MediaEvent> EventQueue::poll()
{
    std::lock_guard lock(mutex_);
    if (events_.empty()) return std::nullopt;
    auto e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::string toJson(const StreamStats& s)
{
    std::string j = "{\"type\":" + quote(s.type) + ",\"id\":" + quote(s.id) + ",\"codec\":" + quote(s.codec);
    if (s.srtpSuite) {
        j += ",\"srtp\":{\"suite\":" + quote(toString(*s.srtpSuite)) + ",\"keying\":" + quote(s.keying) + "}";
    } else {
        j += ",\"srtp\":null";
    }
    j += ",\"direction\":" + quote(s.direction);
    j += std::string(",\"echo_canceller\":") + (s.echoCanceller ? "true" : "false");
    j += std::string(",\"muted\":") + (s.muted ? "true" : "false");
    j += ",\"packets_sent\":" + std::to_string(s.packetsSent);
    j += ",\"packets_received\":" + std::to_string(s.packetsReceived);
    j += ",\"bytes_sent\":" + std::to_string(s.bytesSent);
    j += ",\"bytes_received\":" + std::to_string(s.bytesReceived);
    j += ",\"lost\":" + std::to_string(s.lost);
    j += ",\"late\":" + std::to_string(s.late);
    j += ",\"concealed_ms\":" + std::to_string(s.concealedMs);
    j += ",\"jitter_ms\":" + number(s.jitterMs);
    j += ",\"rtt_ms\":" + (s.rttMs ? number(*s.rttMs) : std::string("null"));
    j += ",\"jitter_buffer_ms\":" + number(s.jitterBufferMs);
    j += ",\"srtp_auth_failures\":" + std::to_string(s.srtpAuthFailures);
    j += ",\"srtp_replays\":" + std::to_string(s.srtpReplays);
    j += ",\"malformed\":" + std::to_string(s.malformed);
    j += ",\"unexpected\":" + std::to_string(s.unexpected);
    j += ",\"foreign_ssrc\":" + std::to_string(s.foreignSsrc);
    j += ",\"rtcp_sent\":" + std::to_string(s.rtcpSent);
    j += ",\"rtcp_received\":" + std::to_string(s.rtcpReceived);
    j += ",\"bye_received\":" + std::to_string(s.byeReceived);
    if (s.type != "video") {
        j += ",\"dtmf_sent\":" + std::to_string(s.dtmfSent);
        j += ",\"dtmf_received\":" + std::to_string(s.dtmfReceived);
        return j + "}";
    }
    const auto& v = s.video;
    const auto u = [](std::uint64_t n) { return std::to_string(n); };
    j += ",\"width\":" + std::to_string(v.width) + ",\"height\":" + std::to_string(v.height);
    j +=
        ",\"sent_width\":" + std::to_string(v.sentWidth) + ",\"sent_height\":" + std::to_string(v.sentHeight);
    j += ",\"fps_sent\":" + number(v.fpsSent) + ",\"fps_received\":" + number(v.fpsReceived);
    j += ",\"frames_encoded\":" + u(v.framesEncoded) + ",\"frames_decoded\":" + u(v.framesDecoded);
    j += ",\"keyframes\":" + u(v.keyframes) + ",\"keyframes_sent\":" + u(v.keyframesSent);
    j += ",\"pli\":" + u(v.pli) + ",\"fir\":" + u(v.fir) + ",\"nack\":" + u(v.nack);
    j += ",\"pli_received\":" + u(v.pliReceived) + ",\"fir_received\":" + u(v.firReceived) +
         ",\"nack_received\":" + u(v.nackReceived) + ",\"retransmitted\":" + u(v.retransmitted);
    j += ",\"frames_dropped\":" + u(v.framesDropped) + ",\"frames_skipped\":" + u(v.framesSkipped) +
         ",\"decode_errors\":" + u(v.decodeErrors);
    j += ",\"bitrate_kbps\":" + number(v.bitrateKbps) +
         ",\"bitrate_received_kbps\":" + number(v.bitrateReceivedKbps);
    j += ",\"target_kbps\":" + std::to_string(v.targetKbps);
    j += ",\"remb_sent\":" + u(v.rembSent) + ",\"remb_received\":" + u(v.rembReceived) +
         ",\"tmmbr_received\":" + u(v.tmmbrReceived);
    j += ",\"av_sync_ms\":" + (v.avSyncMs ? number(*v.avSyncMs) : std::string("null"));
    j += ",\"sync_delay_ms\":" + number(v.syncDelayMs);
    return j + "}";
}

} // namespace vphone::media
