#include "attributes.h"

#include "text_util.h"

#include <array>

namespace vphone::sdp {

using namespace detail;

namespace {

Error bad(std::string what)
{
    return Error{0, std::move(what)};
}

bool isBase64(std::string_view s)
{
    if (s.empty()) return false;
    std::size_t pad = 0;
    for (char c : s) {
        if (c == '=') {
            ++pad;
            continue;
        }
        if (pad != 0) return false; // data after padding
        if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/')) return false;
    }
    return pad <= 2;
}

char toUpper(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool isHex(char c)
{
    return isDigit(c) || (toLower(c) >= 'a' && toLower(c) <= 'f');
}

std::optional<int> payloadType(std::string_view s)
{
    const auto v = parseUnsigned(s, 3);
    if (!v || *v > 127) return std::nullopt;
    return static_cast<int>(*v);
}

std::optional<std::uint16_t> port(std::string_view s)
{
    const auto v = parseUnsigned(s, 5);
    if (!v || *v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
}

} // namespace

std::string_view toString(Direction direction)
{
    switch (direction) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
    case Direction::Invalid: break;
    }
    return {};
}

std::optional<Direction> directionFromName(std::string_view name)
{
    for (auto d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
        if (equalsNoCase(name, toString(d))) return d;
    }
    return std::nullopt;
}

bool sends(Direction direction)
{
    return direction == Direction::SendRecv || direction == Direction::SendOnly;
}
bool receives(Direction direction)
{
    return direction == Direction::SendRecv || direction == Direction::RecvOnly;
}

namespace {
Direction fromFlags(bool send, bool receive)
{
    if (send && receive) return Direction::SendRecv;
    if (send) return Direction::SendOnly;
    if (receive) return Direction::RecvOnly;
    return Direction::Inactive;
}
} // namespace

Direction mirror(Direction direction)
{
    return fromFlags(receives(direction), sends(direction));
}

Direction intersect(Direction a, Direction b)
{
    return fromFlags(sends(a) && sends(b), receives(a) && receives(b));
}

// ---- rtpmap

Result<Rtpmap> parseRtpmap(std::string_view value)
{
    const auto parts = splitBlanks(value);
    if (parts.size() != 2) return bad("a=rtpmap: expected '<payload type> <encoding>/<clock rate>'");
    Rtpmap r;
    const auto pt = payloadType(parts[0]);
    if (!pt) return bad("a=rtpmap: payload type " + quote(parts[0]) + " is not a number from 0 to 127");
    r.payloadType = *pt;
    std::string_view rest = parts[1];
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return bad("a=rtpmap: missing '/<clock rate>'");
    const auto name = rest.substr(0, slash);
    if (!isToken(name)) return bad("a=rtpmap: encoding name " + quote(name) + " is not a token");
    r.encoding = std::string(name);
    rest.remove_prefix(slash + 1);
    const auto slash2 = rest.find('/');
    const auto rate = parseUnsigned(rest.substr(0, slash2), 10);
    if (!rate || *rate == 0 || *rate > 0xffffffffULL) {
        return bad("a=rtpmap: clock rate " + quote(rest.substr(0, slash2)) + " is not a number");
    }
    r.clockRate = static_cast<std::uint32_t>(*rate);
    if (slash2 != std::string_view::npos) {
        const auto ch = parseUnsigned(rest.substr(slash2 + 1), 3);
        if (!ch || *ch == 0) {
            return bad("a=rtpmap: encoding parameters " + quote(rest.substr(slash2 + 1)) +
                       " are not a channel count");
        }
        r.channels = static_cast<std::uint32_t>(*ch);
    }
    return r;
}

std::string toString(const Rtpmap& r)
{
    std::string out = std::to_string(r.payloadType) + " " + r.encoding + "/" + std::to_string(r.clockRate);
    if (r.channels) out += "/" + std::to_string(*r.channels);
    return out;
}

// ---- fmtp

Result<Fmtp> parseFmtp(std::string_view value)
{
    std::size_t i = 0;
    while (i < value.size() && !isBlank(value[i]))
        ++i;
    const auto format = value.substr(0, i);
    if (!isToken(format)) return bad("a=fmtp: format " + quote(format) + " is not a token");
    return Fmtp{std::string(format), std::string(trim(value.substr(i)))};
}

std::vector<std::pair<std::string, std::string>> Fmtp::pairs() const
{
    std::vector<std::pair<std::string, std::string>> out;
    std::string_view rest = parameters;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        const auto item = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) {
            out.emplace_back(lower(item), std::string{});
        } else {
            out.emplace_back(lower(trim(item.substr(0, eq))), std::string(trim(item.substr(eq + 1))));
        }
    }
    return out;
}

std::optional<std::string> Fmtp::parameter(std::string_view name) const
{
    for (auto& [k, v] : pairs()) {
        if (equalsNoCase(k, name)) return v;
    }
    return std::nullopt;
}

// ---- ptime

Result<std::chrono::milliseconds> parsePtime(std::string_view value)
{
    auto whole = value.substr(0, value.find('.'));
    if (whole.size() < value.size()) {
        const auto frac = value.substr(whole.size() + 1);
        if (frac.empty() || !parseUnsigned(frac, 6)) {
            return bad("ptime " + quote(value) + " is not a number of milliseconds");
        }
    }
    const auto v = parseUnsigned(whole, 6);
    if (!v || *v == 0) return bad("ptime " + quote(value) + " is not a number of milliseconds");
    return std::chrono::milliseconds(static_cast<std::int64_t>(*v));
}

// ---- rtcp

Result<RtcpAttribute> parseRtcp(std::string_view value)
{
    const auto parts = splitBlanks(value);
    if (parts.size() != 1 && parts.size() != 4) {
        return bad("a=rtcp: expected '<port>' or '<port> IN IP4|IP6 <address>'");
    }
    RtcpAttribute r;
    const auto p = port(parts[0]);
    if (!p) return bad("a=rtcp: port " + quote(parts[0]) + " is not a number from 0 to 65535");
    r.port = *p;
    if (parts.size() == 4) {
        if (!isToken(parts[1]) || !isToken(parts[2])) return bad("a=rtcp: bad network or address type");
        r.netType = std::string(parts[1]);
        r.addrType = std::string(parts[2]);
        r.address = std::string(parts[3]);
    }
    return r;
}

std::string toString(const RtcpAttribute& r)
{
    std::string out = std::to_string(r.port);
    if (!r.address.empty()) out += " " + r.netType + " " + r.addrType + " " + r.address;
    return out;
}

// ---- crypto

namespace {

Result<CryptoKey> parseKeyParam(std::string_view param)
{
    const auto colon = param.find(':');
    if (colon == std::string_view::npos || !equalsNoCase(param.substr(0, colon), "inline")) {
        return bad("a=crypto: key method must be 'inline'");
    }
    std::string_view info = param.substr(colon + 1);
    CryptoKey key;
    const auto bar = info.find('|');
    const auto keySalt = info.substr(0, bar);
    // RFC 4568 §6.1: the key never appears in an error message; only its shape is reported.
    if (!isBase64(keySalt)) return bad("a=crypto: the inline key||salt is not base64");
    key.keySalt = std::string(keySalt);
    info = bar == std::string_view::npos ? std::string_view{} : info.substr(bar + 1);
    int fields = 0;
    while (!info.empty() || bar != std::string_view::npos) {
        if (++fields > 2) return bad("a=crypto: too many '|' fields after the key");
        const auto next = info.find('|');
        const auto field = info.substr(0, next);
        if (const auto c = field.find(':'); c != std::string_view::npos) {
            if (key.mki) return bad("a=crypto: two MKI fields");
            const auto value = parseUnsigned(field.substr(0, c), 19);
            const auto length = parseUnsigned(field.substr(c + 1), 3);
            if (!value || !length || *length == 0 || *length > 128) {
                return bad("a=crypto: MKI " + quote(field) + " is not '<value>:<length 1-128>'");
            }
            key.mki = *value;
            key.mkiLength = static_cast<unsigned>(*length);
        } else {
            if (key.lifetime || key.mki) return bad("a=crypto: lifetime must come before the MKI");
            const auto digits = field.substr(0, 2) == "2^" ? field.substr(2) : field;
            if (!parseUnsigned(digits, 19))
                return bad("a=crypto: lifetime " + quote(field) + " is not a number");
            key.lifetime = std::string(field);
        }
        if (next == std::string_view::npos) break;
        info = info.substr(next + 1);
        if (info.empty()) return bad("a=crypto: empty field after '|'");
    }
    return key;
}

} // namespace

Result<Crypto> parseCrypto(std::string_view value)
{
    const auto parts = splitBlanks(value);
    if (parts.size() < 3) return bad("a=crypto: expected '<tag> <crypto-suite> inline:<key>'");
    Crypto c;
    const auto tag = parseUnsigned(parts[0], 9);
    if (!tag) return bad("a=crypto: tag " + quote(parts[0]) + " is not a number of 1 to 9 digits");
    c.tag = static_cast<unsigned>(*tag);
    for (char ch : parts[1]) {
        if (!(isAlpha(ch) || isDigit(ch) || ch == '_')) {
            return bad("a=crypto: crypto-suite " + quote(parts[1]) + " has a bad character");
        }
    }
    c.suite = std::string(parts[1]);
    std::string_view params = parts[2];
    while (true) {
        const auto semi = params.find(';');
        auto key = parseKeyParam(params.substr(0, semi));
        if (!key) return key.error();
        c.keys.push_back(std::move(*key));
        if (semi == std::string_view::npos) break;
        params.remove_prefix(semi + 1);
        if (c.keys.size() >= 16) return bad("a=crypto: more than 16 keys");
    }
    for (std::size_t i = 3; i < parts.size(); ++i)
        c.sessionParams.emplace_back(parts[i]);
    return c;
}

std::string toString(const Crypto& c)
{
    std::string out = std::to_string(c.tag) + " " + c.suite + " ";
    for (std::size_t i = 0; i < c.keys.size(); ++i) {
        const auto& k = c.keys[i];
        if (i > 0) out += ";";
        out += "inline:" + k.keySalt;
        if (k.lifetime) out += "|" + *k.lifetime;
        if (k.mki) out += "|" + std::to_string(*k.mki) + ":" + std::to_string(k.mkiLength.value_or(1));
    }
    for (const auto& p : c.sessionParams)
        out += " " + p;
    return out;
}

// ---- fingerprint

Result<Fingerprint> parseFingerprint(std::string_view value)
{
    const auto parts = splitBlanks(value);
    if (parts.size() != 2) return bad("a=fingerprint: expected '<hash-function> <hex pairs>'");
    if (!isToken(parts[0])) return bad("a=fingerprint: hash function " + quote(parts[0]) + " is not a token");
    Fingerprint f;
    f.hashFunction = lower(parts[0]);
    const auto hex = parts[1];
    // RFC 8122 §5: fingerprint = 2UHEX *(":" 2UHEX); lower-case hex is accepted too.
    if (hex.size() % 3 != 2 || hex.size() > 3 * 64) {
        return bad("a=fingerprint: " + quote(hex) + " is not hex byte pairs joined by ':'");
    }
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const bool ok = i % 3 == 2 ? hex[i] == ':' : isHex(hex[i]);
        if (!ok) return bad("a=fingerprint: " + quote(hex) + " is not hex byte pairs joined by ':'");
        f.value += i % 3 == 2 ? ':' : toUpper(hex[i]);
    }
    return f;
}

std::string toString(const Fingerprint& f)
{
    return f.hashFunction + " " + f.value;
}

// ---- setup

Result<Setup> parseSetup(std::string_view value)
{
    for (auto s : {Setup::Active, Setup::Passive, Setup::ActPass, Setup::HoldConn}) {
        if (equalsNoCase(trim(value), toString(s))) return s;
    }
    return bad("a=setup: " + quote(value) + " is not active, passive, actpass or holdconn");
}

std::string_view toString(Setup setup)
{
    switch (setup) {
    case Setup::Active: return "active";
    case Setup::Passive: return "passive";
    case Setup::ActPass: return "actpass";
    case Setup::HoldConn: return "holdconn";
    case Setup::Invalid: break;
    }
    return {};
}

// ---- ssrc, rtcp-fb, extmap

Result<Ssrc> parseSsrc(std::string_view value)
{
    std::size_t i = 0;
    while (i < value.size() && !isBlank(value[i]))
        ++i;
    const auto id = parseUnsigned(value.substr(0, i), 10);
    if (!id || *id > 0xffffffffULL)
        return bad("a=ssrc: id " + quote(value.substr(0, i)) + " is not a 32-bit number");
    const auto rest = trim(value.substr(i));
    Ssrc s;
    s.id = static_cast<std::uint32_t>(*id);
    if (rest.empty()) return s; // liblinphone 5 announces its SSRC alone: "a=ssrc:1705478878"
    const auto colon = rest.find(':');
    s.attribute = std::string(rest.substr(0, colon));
    if (!isToken(s.attribute)) return bad("a=ssrc: attribute " + quote(s.attribute) + " is not a token");
    if (colon != std::string_view::npos) s.value = std::string(rest.substr(colon + 1));
    return s;
}

Result<RtcpFb> parseRtcpFb(std::string_view value)
{
    const auto parts = splitBlanks(value);
    if (parts.size() < 2) return bad("a=rtcp-fb: expected '<payload type|*> <type> [<parameters>]'");
    RtcpFb fb;
    if (parts[0] != "*") {
        const auto pt = payloadType(parts[0]);
        if (!pt) return bad("a=rtcp-fb: payload type " + quote(parts[0]) + " is not '*' or 0 to 127");
        fb.payloadType = *pt;
    }
    if (!isToken(parts[1])) return bad("a=rtcp-fb: type " + quote(parts[1]) + " is not a token");
    fb.type = std::string(parts[1]);
    for (std::size_t i = 2; i < parts.size(); ++i) {
        if (i > 2) fb.parameters += ' ';
        fb.parameters += parts[i];
    }
    return fb;
}

Result<Extmap> parseExtmap(std::string_view value)
{
    const auto parts = splitBlanks(value);
    if (parts.size() < 2) return bad("a=extmap: expected '<id>[/<direction>] <URI>'");
    Extmap e;
    const auto slash = parts[0].find('/');
    const auto id = parseUnsigned(parts[0].substr(0, slash), 4);
    // RFC 8285 §5/§6: 1-14 (one-byte), 1-255 (two-byte), 4096-4351 only while negotiating.
    if (!id || *id == 0 || *id > 4351) {
        return bad("a=extmap: id " + quote(parts[0].substr(0, slash)) + " is not a number from 1 to 4351");
    }
    e.id = static_cast<int>(*id);
    if (slash != std::string_view::npos) {
        e.direction = directionFromName(parts[0].substr(slash + 1));
        if (!e.direction)
            return bad("a=extmap: direction " + quote(parts[0].substr(slash + 1)) + " is unknown");
    }
    e.uri = std::string(parts[1]);
    for (std::size_t i = 2; i < parts.size(); ++i) {
        if (i > 2) e.attributes += ' ';
        e.attributes += parts[i];
    }
    return e;
}

// ---- dispatcher used by the parser

std::optional<std::string> checkAttribute(std::string_view name, std::optional<std::string_view> value)
{
    const std::string n = lower(name);
    const auto need = [&](auto parser) -> std::optional<std::string> {
        if (!value) return "a=" + n + ": missing value";
        auto r = parser(*value);
        if (!r) return r.error().what;
        return std::nullopt;
    };
    if (n == "rtpmap") return need(parseRtpmap);
    if (n == "fmtp") return need(parseFmtp);
    if (n == "ptime" || n == "maxptime") {
        if (!value) return "a=" + n + ": missing value";
        auto r = parsePtime(*value);
        if (!r) return "a=" + n + ": " + r.error().what;
        return std::nullopt;
    }
    if (n == "rtcp") return need(parseRtcp);
    if (n == "crypto") return need(parseCrypto);
    if (n == "fingerprint") return need(parseFingerprint);
    if (n == "setup") return need(parseSetup);
    if (n == "ssrc") return need(parseSsrc);
    if (n == "rtcp-fb") return need(parseRtcpFb);
    if (n == "extmap") return need(parseExtmap);
    if (n == "mid" && (!value || value->empty())) return std::string("a=mid: missing identification tag");
    if ((directionFromName(n) || n == "rtcp-mux") && value) return "a=" + n + ": takes no value";
    return std::nullopt;
}

} // namespace vphone::sdp
