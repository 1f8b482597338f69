// Payload types and codec matching (RFC 3551 §6, RFC 3264 §6.1), and the shared helpers of
// the offer and answer code.
#include "oa_internal.h"
#include "text_util.h"

#include <algorithm>
#include <array>
#include <set>

namespace vphone::sdp {

using namespace detail;

namespace {
struct StaticEntry {
    int pt;
    const char* name;
    std::uint32_t rate;
    std::uint32_t channels;
};
constexpr std::array<StaticEntry, 24> kStatic{{
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {28, "nv", 90000, 1},
    {31, "H261", 90000, 1}, {32, "MPV", 90000, 1},  {33, "MP2T", 90000, 1}, {34, "H263", 90000, 1},
}};
} // namespace

std::optional<NegotiatedCodec> staticPayloadType(int payloadType)
{
    for (const auto& e : kStatic) {
        if (e.pt == payloadType) return NegotiatedCodec{e.pt, e.name, e.rate, e.channels, {}};
    }
    return std::nullopt;
}

std::optional<NegotiatedCodec> codecOf(const MediaDescription& m, int payloadType)
{
    std::optional<NegotiatedCodec> c;
    if (auto r = m.rtpmap(payloadType)) {
        c = NegotiatedCodec{payloadType, r->encoding, r->clockRate, r->channels.value_or(1), {}};
    } else {
        c = staticPayloadType(payloadType);
    }
    if (c) {
        if (auto f = m.fmtp(payloadType)) c->fmtp = f->parameters;
    }
    return c;
}

bool sameCodec(const Codec& local, const NegotiatedCodec& remote)
{
    if (!equalsNoCase(local.name, remote.name) || local.clockRate != remote.clockRate ||
        local.channels != remote.channels) {
        return false;
    }
    if (equalsNoCase(local.name, "H264")) {
        const auto mode = [](const std::string& fmtp) {
            return Fmtp{"", fmtp}.parameter("packetization-mode").value_or("0");
        };
        return mode(local.fmtp) == mode(remote.fmtp);
    }
    return true;
}

const NegotiatedCodec* NegotiatedStream::sendCodec() const
{
    for (const auto& c : sendCodecs) {
        if (!isTelephoneEvent(c.name)) return &c;
    }
    return nullptr;
}

namespace {
const NegotiatedCodec* telephoneEventIn(const std::vector<NegotiatedCodec>& list)
{
    for (const auto& c : list) {
        if (isTelephoneEvent(c.name)) return &c;
    }
    return nullptr;
}
} // namespace

const NegotiatedCodec* NegotiatedStream::sendTelephoneEvent() const
{
    return telephoneEventIn(sendCodecs);
}
const NegotiatedCodec* NegotiatedStream::recvTelephoneEvent() const
{
    return telephoneEventIn(recvCodecs);
}

bool NegotiatedStream::remoteAccepts(int payloadType, std::string_view type,
                                     std::string_view parameters) const
{
    return std::any_of(remoteFeedback.begin(), remoteFeedback.end(), [&](const RtcpFb& fb) {
        return (!fb.payloadType || *fb.payloadType == payloadType) && equalsNoCase(fb.type, type) &&
               equalsNoCase(fb.parameters, parameters);
    });
}

const NegotiatedStream* Negotiated::find(std::string_view id) const
{
    for (const auto& s : streams) {
        if (!s.id.empty() && s.id == id) return &s;
    }
    return nullptr;
}

namespace detail {

std::string addrTypeOf(std::string_view address)
{
    return address.find(':') != std::string_view::npos ? "IP6" : "IP4";
}

bool isNullAddress(std::string_view address)
{
    return address == "0.0.0.0" || address == "::";
}

bool supportedProto(std::string_view proto)
{
    for (auto p : {"RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF"}) {
        if (equalsNoCase(proto, p)) return true;
    }
    return false;
}

bool isSecureProto(std::string_view proto)
{
    return lower(proto).find("savp") != std::string::npos;
}
bool isDtlsProto(std::string_view proto)
{
    return lower(proto).starts_with("udp/tls/");
}
bool isTelephoneEvent(std::string_view name)
{
    return equalsNoCase(name, "telephone-event");
}

namespace {
bool hasLineBreak(std::string_view s)
{
    return s.find_first_of("\r\n") != std::string_view::npos;
}
} // namespace

std::optional<Error> checkLocal(const LocalSession& local, bool forOffer)
{
    if (!isIpv4Address(local.address) && !isIpv6Address(local.address)) {
        return Error{0, "local address " + quote(local.address) + " is not an IPv4 or IPv6 address"};
    }
    if (!isToken(local.username) || hasLineBreak(local.sessionName)) {
        return Error{0, "local username or session name is not valid SDP text"};
    }
    if (local.srtp == SrtpPolicy::Invalid || local.keying == Keying::Invalid ||
        local.answerOrder == CodecOrder::Invalid) {
        return Error{0, "local SRTP policy, keying or codec order is not set"};
    }
    std::set<std::string> ids;
    for (const auto& s : local.streams) {
        const std::string who = "stream '" + s.id + "': ";
        if (s.id.empty() || !ids.insert(s.id).second)
            return Error{0, "stream ids must be unique and not empty"};
        if (!isToken(s.media)) return Error{0, who + "media type is not a token"};
        if (s.port == 0) continue;
        if (s.codecs.empty()) return Error{0, who + "no codecs"};
        for (const auto& c : s.codecs) {
            if (!isToken(c.name) || c.clockRate == 0 || c.channels == 0 || hasLineBreak(c.fmtp) ||
                c.payloadType > 127) {
                return Error{0, who + "codec " + quote(c.name) + " is not valid"};
            }
        }
        for (const auto& a : s.extraAttributes) {
            if (!isToken(a.name) || (a.value && hasLineBreak(*a.value))) {
                return Error{0, who + "extra attribute " + quote(a.name) + " is not valid"};
            }
        }
        if (s.direction == Direction::Invalid) return Error{0, who + "direction is not set"};
        if (forOffer && local.srtp != SrtpPolicy::Off && local.keying == Keying::Sdes && s.cryptos.empty()) {
            return Error{0, who + "SRTP with SDES needs a=crypto lines from the caller"};
        }
    }
    if (forOffer && local.srtp != SrtpPolicy::Off && local.keying == Keying::Dtls && !local.fingerprint) {
        return Error{0, "DTLS-SRTP needs the certificate fingerprint from the caller"};
    }
    return std::nullopt;
}

const LocalStream* findStream(const LocalSession& local, std::string_view id)
{
    for (const auto& s : local.streams) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

SessionDescription baseSdp(const LocalSession& local, const std::string& sessionId)
{
    SessionDescription sdp;
    sdp.origin.username = local.username;
    sdp.origin.sessionId = sessionId;
    sdp.origin.addrType = addrTypeOf(local.address);
    sdp.origin.address = local.address;
    sdp.sessionName = local.sessionName.empty() ? "-" : local.sessionName;
    sdp.connection = Connection{"IN", addrTypeOf(local.address), local.address, {}};
    return sdp;
}

void writeCodecs(MediaDescription& m, const std::vector<NegotiatedCodec>& codecs)
{
    for (const auto& c : codecs)
        m.formats.push_back(std::to_string(c.payloadType));
    for (const auto& c : codecs) {
        Rtpmap r{c.payloadType, c.name, c.clockRate, std::nullopt};
        if (c.channels != 1) r.channels = c.channels;
        m.add("rtpmap", toString(r));
        if (!c.fmtp.empty()) m.add("fmtp", std::to_string(c.payloadType) + " " + c.fmtp);
    }
}

void writeStreamExtras(MediaDescription& m, const LocalStream& s)
{
    if (s.bandwidthAs) m.bandwidths.push_back(Bandwidth{"AS", *s.bandwidthAs});
    if (s.ptime) m.add("ptime", std::to_string(s.ptime->count()));
    if (s.maxptime) m.add("maxptime", std::to_string(s.maxptime->count()));
    for (const auto& a : s.extraAttributes)
        m.attributes.push_back(a);
}

void fillRemote(NegotiatedStream& n, const SessionDescription& remote, const MediaDescription& m)
{
    if (const auto* c = remote.connectionFor(m)) {
        n.remoteAddress = c->address;
        n.multicastTtl = multicastTtl(*c);
    }
    n.remotePort = m.port;
    n.remoteRtcpAddress = n.remoteAddress;
    if (n.rtcpMux) {
        n.remoteRtcpPort = m.port;
    } else if (auto r = m.rtcp()) {
        n.remoteRtcpPort = r->port;
        if (!r->address.empty()) n.remoteRtcpAddress = r->address;
    } else {
        // RFC 3605 §2.1 / RFC 3550 §11: RTCP on the next port up.
        n.remoteRtcpPort = static_cast<std::uint16_t>(m.port == 65535 ? 0 : m.port + 1);
    }
    n.remotePtime = m.ptime();
    n.remoteBandwidthAs = m.bandwidth("AS");
    n.remoteBandwidthTias = m.bandwidth("TIAS");
    n.remoteFeedback = m.rtcpFbs();
}

const Codec* localCodecFor(const LocalStream& s, const NegotiatedCodec& remote)
{
    for (const auto& c : s.codecs) {
        if (sameCodec(c, remote)) return &c;
    }
    return nullptr;
}

std::vector<NegotiatedCodec> mergeBindings(std::vector<NegotiatedCodec> newer,
                                           const std::vector<NegotiatedCodec>& older)
{
    const std::size_t fresh = newer.size();
    for (const auto& b : older) {
        bool clash = false;
        for (std::size_t i = 0; i < fresh && !clash; ++i) {
            clash = newer[i].payloadType == b.payloadType ||
                    sameCodec(Codec{b.name, b.clockRate, b.channels, -1, b.fmtp}, newer[i]);
        }
        if (!clash) newer.push_back(b);
    }
    return newer;
}

MediaDescription disabledMedia(const std::string& media, const std::string& proto,
                               const std::vector<std::string>& formats)
{
    MediaDescription m;
    m.media = media;
    m.port = 0;
    m.proto = proto;
    m.formats = formats;
    // RFC 8866 §5.14: an m= line has at least one format.
    if (m.formats.empty()) m.formats.push_back(m.isRtp() ? "0" : "*");
    return m;
}

} // namespace detail
} // namespace vphone::sdp
