// Accessors of the SDP model and its serialisation.
#include "session_description.h"

#include "text_util.h"

namespace vphone::sdp {

using namespace detail;

// ---- AttributeList

const Attribute* AttributeList::find(std::string_view name) const
{
    for (const auto& a : attributes) {
        if (equalsNoCase(a.name, name)) return &a;
    }
    return nullptr;
}

std::vector<const Attribute*> AttributeList::findAll(std::string_view name) const
{
    std::vector<const Attribute*> out;
    for (const auto& a : attributes) {
        if (equalsNoCase(a.name, name)) out.push_back(&a);
    }
    return out;
}

void AttributeList::add(std::string name, std::optional<std::string> value)
{
    attributes.push_back(Attribute{std::move(name), std::move(value)});
}

void AttributeList::remove(std::string_view name)
{
    std::erase_if(attributes, [&](const Attribute& a) { return equalsNoCase(a.name, name); });
}

std::optional<Direction> AttributeList::direction() const
{
    // RFC 3264 §5.1 allows one direction attribute; with several, the last one wins.
    std::optional<Direction> d;
    for (const auto& a : attributes) {
        if (auto x = directionFromName(a.name)) d = x;
    }
    return d;
}

std::optional<Fingerprint> AttributeList::fingerprint() const
{
    for (const auto* a : findAll("fingerprint")) {
        if (!a->value) continue;
        if (auto f = parseFingerprint(*a->value)) return *f;
    }
    return std::nullopt;
}

std::optional<Setup> AttributeList::setup() const
{
    const auto* a = find("setup");
    if (!a || !a->value) return std::nullopt;
    auto s = parseSetup(*a->value);
    if (!s) return std::nullopt;
    return *s;
}

// ---- MediaDescription

bool MediaDescription::isRtp() const
{
    // RTP/AVP, RTP/AVPF, RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP(F), TCP/RTP/AVP, ...
    const std::string p = lower(proto);
    return p.starts_with("rtp/") || p.find("/rtp/") != std::string::npos;
}

std::vector<int> MediaDescription::payloadTypes() const
{
    std::vector<int> out;
    for (const auto& f : formats) {
        if (auto v = parseUnsigned(f, 3); v && *v <= 127) out.push_back(static_cast<int>(*v));
    }
    return out;
}

std::optional<Rtpmap> MediaDescription::rtpmap(int payloadType) const
{
    for (const auto* a : findAll("rtpmap")) {
        if (!a->value) continue;
        auto r = parseRtpmap(*a->value);
        if (r && r->payloadType == payloadType) return *r;
    }
    return std::nullopt;
}

std::optional<Fmtp> MediaDescription::fmtp(int payloadType) const
{
    const std::string pt = std::to_string(payloadType);
    for (const auto* a : findAll("fmtp")) {
        if (!a->value) continue;
        auto f = parseFmtp(*a->value);
        if (f && f->format == pt) return *f;
    }
    return std::nullopt;
}

namespace {
std::optional<std::chrono::milliseconds> ptimeOf(const AttributeList& list, std::string_view name)
{
    const auto* a = list.find(name);
    if (!a || !a->value) return std::nullopt;
    auto p = parsePtime(*a->value);
    if (!p) return std::nullopt;
    return *p;
}

template <class T, class F> std::vector<T> all(const AttributeList& list, std::string_view name, F parser)
{
    std::vector<T> out;
    for (const auto* a : list.findAll(name)) {
        if (!a->value) continue;
        if (auto v = parser(*a->value)) out.push_back(std::move(*v));
    }
    return out;
}
} // namespace

std::optional<std::chrono::milliseconds> MediaDescription::ptime() const
{
    return ptimeOf(*this, "ptime");
}
std::optional<std::chrono::milliseconds> MediaDescription::maxptime() const
{
    return ptimeOf(*this, "maxptime");
}

std::optional<RtcpAttribute> MediaDescription::rtcp() const
{
    const auto* a = find("rtcp");
    if (!a || !a->value) return std::nullopt;
    auto r = parseRtcp(*a->value);
    if (!r) return std::nullopt;
    return *r;
}

std::vector<Crypto> MediaDescription::cryptos() const
{
    return all<Crypto>(*this, "crypto", parseCrypto);
}
std::vector<Ssrc> MediaDescription::ssrcs() const
{
    return all<Ssrc>(*this, "ssrc", parseSsrc);
}
std::vector<RtcpFb> MediaDescription::rtcpFbs() const
{
    return all<RtcpFb>(*this, "rtcp-fb", parseRtcpFb);
}
std::vector<Extmap> MediaDescription::extmaps() const
{
    return all<Extmap>(*this, "extmap", parseExtmap);
}

std::optional<std::string> MediaDescription::mid() const
{
    const auto* a = find("mid");
    if (!a || !a->value) return std::nullopt;
    return a->value;
}

std::optional<std::uint64_t> MediaDescription::bandwidth(std::string_view type) const
{
    for (const auto& b : bandwidths) {
        if (equalsNoCase(b.type, type)) return b.value;
    }
    return std::nullopt;
}

// ---- SessionDescription

const Connection* SessionDescription::connectionFor(const MediaDescription& m) const
{
    if (!m.connections.empty()) return &m.connections.front();
    return connection ? &*connection : nullptr;
}

Direction SessionDescription::directionFor(const MediaDescription& m) const
{
    if (auto d = m.direction()) return *d;
    if (auto d = direction()) return *d;
    return Direction::SendRecv;
}

std::optional<Fingerprint> SessionDescription::fingerprintFor(const MediaDescription& m) const
{
    if (auto f = m.fingerprint()) return f;
    return fingerprint();
}

std::optional<Setup> SessionDescription::setupFor(const MediaDescription& m) const
{
    if (auto s = m.setup()) return s;
    return setup();
}

// ---- addresses

bool isIpv4Address(std::string_view a)
{
    int parts = 0;
    while (true) {
        std::size_t n = 0;
        while (n < a.size() && isDigit(a[n]))
            ++n;
        if (n == 0 || n > 3 || (n > 1 && a[0] == '0')) return false;
        if (*parseUnsigned(a.substr(0, n)) > 255) return false;
        ++parts;
        a.remove_prefix(n);
        if (a.empty()) return parts == 4;
        if (a[0] != '.' || parts == 4) return false;
        a.remove_prefix(1);
    }
}

bool isIpv4Multicast(std::string_view a)
{
    if (!isIpv4Address(a)) return false;
    const auto first = *parseUnsigned(a.substr(0, a.find('.')));
    return first >= 224 && first <= 239;
}

std::optional<unsigned> multicastTtl(const Connection& c)
{
    if (!equalsNoCase(c.addrType, "IP4") || !isIpv4Multicast(c.address) || c.multicastSuffix.size() < 2) {
        return std::nullopt;
    }
    const std::string_view rest = std::string_view(c.multicastSuffix).substr(1);
    const auto ttl = parseUnsigned(rest.substr(0, rest.find('/')), 5);
    if (!ttl || *ttl > 255) return std::nullopt;
    return static_cast<unsigned>(*ttl);
}

bool isIpv6Address(std::string_view a)
{
    // RFC 4291 §2.2: up to 8 groups of 1-4 hex digits, one "::", optionally a dotted IPv4 tail.
    if (a.size() < 2 || a.size() > 45) return false;
    int groups = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (a.starts_with("::")) {
        compressed = true;
        i = 2;
        if (i == a.size()) return true;
    } else if (a[0] == ':') {
        return false;
    }
    while (i < a.size()) {
        std::size_t n = 0;
        while (i + n < a.size() && n < 5 &&
               (isDigit(a[i + n]) || (toLower(a[i + n]) >= 'a' && toLower(a[i + n]) <= 'f'))) {
            ++n;
        }
        if (i + n < a.size() && a[i + n] == '.') { // IPv4 tail
            if (!isIpv4Address(a.substr(i))) return false;
            groups += 2;
            i = a.size();
            break;
        }
        if (n == 0 || n > 4) return false;
        ++groups;
        i += n;
        if (i == a.size()) break;
        if (a[i] != ':') return false;
        if (i + 1 < a.size() && a[i + 1] == ':') {
            if (compressed) return false;
            compressed = true;
            i += 2;
            if (i == a.size()) break;
        } else {
            ++i;
            if (i == a.size()) return false;
        }
    }
    return compressed ? groups < 8 : groups == 8;
}

// ---- serialisation

namespace {

void line(std::string& out, char type, std::string_view value)
{
    out += type;
    out += '=';
    out += value;
    out += "\r\n";
}

std::string connectionText(const Connection& c)
{
    return c.netType + " " + c.addrType + " " + c.address + c.multicastSuffix;
}

void attributes(std::string& out, const AttributeList& list)
{
    for (const auto& a : list.attributes) {
        line(out, 'a', a.value ? a.name + ":" + *a.value : a.name);
    }
}

void bandwidths(std::string& out, const std::vector<Bandwidth>& list)
{
    for (const auto& b : list)
        line(out, 'b', b.type + ":" + std::to_string(b.value));
}

} // namespace

std::string serialize(const SessionDescription& sdp)
{
    std::string out;
    out.reserve(512 + 256 * sdp.media.size());
    line(out, 'v', std::to_string(sdp.version));
    const auto& o = sdp.origin;
    line(out, 'o',
         o.username + " " + o.sessionId + " " + std::to_string(o.sessionVersion) + " " + o.netType + " " +
             o.addrType + " " + o.address);
    line(out, 's', sdp.sessionName);
    if (sdp.information) line(out, 'i', *sdp.information);
    if (sdp.uri) line(out, 'u', *sdp.uri);
    for (const auto& e : sdp.emails)
        line(out, 'e', e);
    for (const auto& p : sdp.phones)
        line(out, 'p', p);
    if (sdp.connection) line(out, 'c', connectionText(*sdp.connection));
    bandwidths(out, sdp.bandwidths);
    for (const auto& t : sdp.timings) {
        line(out, 't', std::to_string(t.start) + " " + std::to_string(t.stop));
        for (const auto& r : t.repeats)
            line(out, 'r', r);
    }
    if (sdp.zone) line(out, 'z', *sdp.zone);
    if (sdp.key) line(out, 'k', *sdp.key);
    attributes(out, sdp);
    for (const auto& m : sdp.media) {
        std::string ml = m.media + " " + std::to_string(m.port);
        if (m.portCount) ml += "/" + std::to_string(*m.portCount);
        ml += " " + m.proto;
        for (const auto& f : m.formats)
            ml += " " + f;
        line(out, 'm', ml);
        if (m.information) line(out, 'i', *m.information);
        for (const auto& c : m.connections)
            line(out, 'c', connectionText(c));
        bandwidths(out, m.bandwidths);
        if (m.key) line(out, 'k', *m.key);
        attributes(out, m);
    }
    return out;
}

} // namespace vphone::sdp
