// SDP text to SessionDescription (RFC 8866 §5, §9).
//
// One pass over the lines. Strict where the RFC is: v=0 comes first and o= second, s= and t=
// are required, a type letter we do not know rejects the whole description (§5), one-per-section
// lines (s=, i=, u=, c= at session level, z=, k=) appear once, m= ports and RTP payload types
// are numbers in range, and the attributes this library interprets must be well formed.
// Lenient where real phones are sloppy: LF or CRLF, trailing blanks, empty lines, an empty s=,
// several blanks between fields, and the session or media lines after o= in any order.
// Bounded: total size, line length, media sections, attributes, formats and repeated lines
// are capped (Limits), so a thousand m-lines or a megabyte fmtp is one clean error.
#include "session_description.h"
#include "text_util.h"

namespace vphone::sdp {

using namespace detail;

namespace {

class Parser {
public:
    Parser(std::string_view text, const Limits& limits) : text_(text), limits_(limits) {}

    Result<SessionDescription> run();

private:
    Error fail(std::string what) const { return Error{line_, std::move(what)}; }
    std::optional<Error> sessionLine(char type, std::string_view value);
    std::optional<Error> mediaLine(char type, std::string_view value);
    std::optional<Error> origin(std::string_view value);
    std::optional<Error> mLine(std::string_view value);
    Result<Connection> connection(std::string_view value) const;
    Result<Bandwidth> bandwidth(std::string_view value) const;
    std::optional<Error> attribute(std::string_view value, AttributeList& list);
    std::optional<Error> countOther();

    std::string_view text_;
    const Limits& limits_;
    SessionDescription sdp_;
    std::size_t line_ = 0;
    bool sawV_ = false, sawO_ = false, sawS_ = false;
    std::size_t attributeCount_ = 0;
    std::size_t otherLines_ = 0; ///< e=/p=/b=/t=/r=/c= lines in the current section
    std::vector<std::size_t> mLineNumbers_;
};

bool isHostName(std::string_view s)
{
    if (s.empty() || s.size() > 253) return false;
    for (char c : s) {
        if (!(isAlpha(c) || isDigit(c) || c == '-' || c == '.')) return false;
    }
    return true;
}

bool isProto(std::string_view s)
{
    if (s.empty() || s.front() == '/' || s.back() == '/') return false;
    for (char c : s) {
        if (c != '/' && !isTokenChar(c)) return false;
    }
    return true;
}

Result<SessionDescription> Parser::run()
{
    if (text_.size() > limits_.maxSize) {
        return Error{0, "SDP is " + std::to_string(text_.size()) + " bytes, more than the limit of " +
                            std::to_string(limits_.maxSize)};
    }
    sdp_.timings.clear();
    std::size_t pos = 0;
    while (pos < text_.size()) {
        const auto eol = text_.find('\n', pos);
        std::string_view raw =
            text_.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? text_.size() : eol + 1;
        ++line_;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        while (!raw.empty() && isBlank(raw.back()))
            raw.remove_suffix(1);
        if (raw.empty()) continue;
        if (raw.size() > limits_.maxLineLength) {
            return fail(std::string(1, raw[0]) + "=: line is " + std::to_string(raw.size()) +
                        " bytes, more than the limit of " + std::to_string(limits_.maxLineLength));
        }
        for (char c : raw) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7f) return fail("control character in the line");
        }
        if (raw.size() < 2 || raw[1] != '=' || raw[0] < 'a' || raw[0] > 'z') {
            return fail("expected '<type>=<value>', got " + quote(raw));
        }
        const char type = raw[0];
        const auto value = raw.substr(2);
        if (!sawV_) {
            if (type != 'v') return fail("the first line must be v=0, got " + quote(raw));
            if (value != "0") return fail("v=: version " + quote(value) + " is not 0");
            sawV_ = true;
            continue;
        }
        if (!sawO_) {
            if (type != 'o') return fail("the second line must be o=, got " + quote(raw));
            if (auto e = origin(value)) return *e;
            sawO_ = true;
            continue;
        }
        auto e = sdp_.media.empty() && type != 'm' ? sessionLine(type, value) : mediaLine(type, value);
        if (e) return *e;
    }
    if (!sawV_) return Error{0, "empty SDP: no v= line"};
    if (!sawO_) return Error{0, "missing o= line"};
    if (!sawS_) return Error{0, "missing s= line"};
    if (sdp_.timings.empty()) return Error{0, "missing t= line"};
    for (std::size_t i = 0; i < sdp_.media.size(); ++i) {
        const auto& m = sdp_.media[i];
        // RFC 8866 §5.7: a c= line in every media section or one at session level.
        if (m.port != 0 && !sdp_.connectionFor(m)) {
            return Error{mLineNumbers_[i], "m=: no c= line in this media section or at session level"};
        }
    }
    return std::move(sdp_);
}

std::optional<Error> Parser::countOther()
{
    if (++otherLines_ > limits_.maxOtherLines) {
        return fail("more than " + std::to_string(limits_.maxOtherLines) +
                    " e=/p=/b=/t=/r=/c= lines in a section");
    }
    return std::nullopt;
}

std::optional<Error> Parser::origin(std::string_view value)
{
    const auto f = splitBlanks(value);
    if (f.size() != 6) return fail("o=: expected 6 fields, got " + std::to_string(f.size()));
    auto& o = sdp_.origin;
    if (!isToken(f[0]) && f[0] != "-") return fail("o=: username " + quote(f[0]) + " is not a token");
    if (!parseUnsigned(f[1], 20) && !(f[1].size() <= 64 && isToken(f[1]) && isDigit(f[1][0]))) {
        return fail("o=: sess-id " + quote(f[1]) + " is not a number");
    }
    const auto version = parseUnsigned(f[2]);
    if (!version) return fail("o=: sess-version " + quote(f[2]) + " is not a number");
    if (!isToken(f[3]) || !isToken(f[4])) return fail("o=: bad network or address type");
    o.username = std::string(f[0]);
    o.sessionId = std::string(f[1]);
    o.sessionVersion = *version;
    o.netType = std::string(f[3]);
    o.addrType = std::string(f[4]);
    o.address = std::string(f[5]);
    return std::nullopt;
}

Result<Connection> Parser::connection(std::string_view value) const
{
    const auto f = splitBlanks(value);
    if (f.size() != 3) return fail("c=: expected '<nettype> <addrtype> <address>'");
    Connection c;
    if (!isToken(f[0]) || !isToken(f[1])) return fail("c=: bad network or address type");
    c.netType = std::string(f[0]);
    c.addrType = std::string(f[1]);
    const auto slash = f[2].find('/');
    const auto address = f[2].substr(0, slash);
    if (slash != std::string_view::npos) {
        c.multicastSuffix = std::string(f[2].substr(slash));
        auto rest = f[2].substr(slash + 1);
        const auto s2 = rest.find('/');
        if (!parseUnsigned(rest.substr(0, s2), 5) ||
            (s2 != std::string_view::npos && !parseUnsigned(rest.substr(s2 + 1), 5))) {
            return fail("c=: " + quote(f[2].substr(slash)) + " is not '/<ttl>[/<number of addresses>]'");
        }
    }
    if (equalsNoCase(c.netType, "IN") && equalsNoCase(c.addrType, "IP4")) {
        const bool numeric = address.find_first_not_of("0123456789.") == std::string_view::npos;
        if (numeric ? !isIpv4Address(address) : !isHostName(address)) {
            return fail("c=: " + quote(address) + " is not an IPv4 address or host name");
        }
        // RFC 8866 §5.7: an IPv4 multicast address carries a TTL (0-255); a unicast one none.
        if (numeric && isIpv4Multicast(address)) {
            if (slash == std::string_view::npos) {
                return fail("c=: IPv4 multicast address " + quote(address) + " needs a TTL ('/<ttl>')");
            }
            const auto rest = f[2].substr(slash + 1);
            if (auto ttl = parseUnsigned(rest.substr(0, rest.find('/')), 5); !ttl || *ttl > 255) {
                return fail("c=: multicast TTL " + quote(rest.substr(0, rest.find('/'))) + " is over 255");
            }
        }
    } else if (equalsNoCase(c.netType, "IN") && equalsNoCase(c.addrType, "IP6")) {
        if (!isIpv6Address(address) && !isHostName(address)) {
            return fail("c=: " + quote(address) + " is not an IPv6 address or host name");
        }
    } else if (address.empty()) {
        return fail("c=: empty address");
    }
    c.address = std::string(address);
    return c;
}

Result<Bandwidth> Parser::bandwidth(std::string_view value) const
{
    const auto colon = value.find(':');
    if (colon == std::string_view::npos) return fail("b=: expected '<bwtype>:<bandwidth>'");
    const auto type = value.substr(0, colon);
    if (!isToken(type)) return fail("b=: bandwidth type " + quote(type) + " is not a token");
    const auto v = parseUnsigned(value.substr(colon + 1));
    if (!v) return fail("b=: bandwidth " + quote(value.substr(colon + 1)) + " is not a number");
    return Bandwidth{std::string(type), *v};
}

std::optional<Error> Parser::attribute(std::string_view value, AttributeList& list)
{
    if (++attributeCount_ > limits_.maxAttributes) {
        return fail("more than " + std::to_string(limits_.maxAttributes) + " a= lines");
    }
    const auto colon = value.find(':');
    const auto name = value.substr(0, colon);
    if (!isToken(name)) return fail("a=: attribute name " + quote(name) + " is not a token");
    std::optional<std::string_view> v;
    if (colon != std::string_view::npos) v = value.substr(colon + 1);
    if (auto problem = checkAttribute(name, v)) return fail(std::move(*problem));
    list.attributes.push_back(
        Attribute{std::string(name), v ? std::optional<std::string>(*v) : std::nullopt});
    return std::nullopt;
}

std::optional<Error> Parser::sessionLine(char type, std::string_view value)
{
    const auto once = [&](std::optional<std::string>& field) -> std::optional<Error> {
        if (field) return fail("duplicate " + std::string(1, type) + "= line");
        field = std::string(value);
        return std::nullopt;
    };
    switch (type) {
    case 's':
        if (sawS_) return fail("duplicate s= line");
        sawS_ = true;
        sdp_.sessionName = std::string(value);
        return std::nullopt;
    case 'i': return once(sdp_.information);
    case 'u': return once(sdp_.uri);
    case 'z': return once(sdp_.zone);
    case 'k': return once(sdp_.key);
    case 'e':
    case 'p': {
        if (auto e = countOther()) return e;
        (type == 'e' ? sdp_.emails : sdp_.phones).emplace_back(value);
        return std::nullopt;
    }
    case 'c': {
        if (sdp_.connection) return fail("duplicate c= line at session level");
        auto c = connection(value);
        if (!c) return c.error();
        sdp_.connection = std::move(*c);
        return std::nullopt;
    }
    case 'b': {
        if (auto e = countOther()) return e;
        auto b = bandwidth(value);
        if (!b) return b.error();
        sdp_.bandwidths.push_back(std::move(*b));
        return std::nullopt;
    }
    case 't': {
        if (auto e = countOther()) return e;
        const auto f = splitBlanks(value);
        const auto start = f.size() == 2 ? parseUnsigned(f[0]) : std::nullopt;
        const auto stop = f.size() == 2 ? parseUnsigned(f[1]) : std::nullopt;
        if (!start || !stop) return fail("t=: expected '<start-time> <stop-time>' as numbers");
        sdp_.timings.push_back(Timing{*start, *stop, {}});
        return std::nullopt;
    }
    case 'r':
        if (auto e = countOther()) return e;
        if (sdp_.timings.empty()) return fail("r= without a t= line before it");
        sdp_.timings.back().repeats.emplace_back(value);
        return std::nullopt;
    case 'a': return attribute(value, sdp_);
    case 'v':
    case 'o': return fail("duplicate " + std::string(1, type) + "= line");
    default: return fail("unknown line type '" + std::string(1, type) + "='");
    }
}

std::optional<Error> Parser::mLine(std::string_view value)
{
    if (!sawS_) return fail("m= before the s= line");
    if (sdp_.timings.empty()) return fail("m= before the t= line");
    if (sdp_.media.size() >= limits_.maxMediaSections) {
        return fail("more than " + std::to_string(limits_.maxMediaSections) + " media sections");
    }
    const auto f = splitBlanks(value);
    if (f.size() < 4) return fail("m=: expected '<media> <port> <proto> <format>...'");
    MediaDescription m;
    if (!isToken(f[0])) return fail("m=: media type " + quote(f[0]) + " is not a token");
    m.media = std::string(f[0]);
    const auto slash = f[1].find('/');
    const auto port = parseUnsigned(f[1].substr(0, slash), 5);
    if (!port) return fail("m=: port " + quote(f[1].substr(0, slash)) + " is not a number");
    if (*port > 65535) return fail("m=: port " + std::to_string(*port) + " is out of range");
    m.port = static_cast<std::uint16_t>(*port);
    if (slash != std::string_view::npos) {
        const auto count = parseUnsigned(f[1].substr(slash + 1), 5);
        if (!count || *count == 0)
            return fail("m=: port count " + quote(f[1].substr(slash + 1)) + " is not a number");
        m.portCount = static_cast<std::uint32_t>(*count);
    }
    if (!isProto(f[2])) return fail("m=: transport " + quote(f[2]) + " is not a protocol name");
    m.proto = std::string(f[2]);
    if (f.size() - 3 > limits_.maxFormats) {
        return fail("m=: " + std::to_string(f.size() - 3) + " formats, more than the limit of " +
                    std::to_string(limits_.maxFormats));
    }
    const bool rtp = m.isRtp();
    for (std::size_t i = 3; i < f.size(); ++i) {
        if (rtp) {
            const auto pt = parseUnsigned(f[i], 3);
            if (!pt || *pt > 127)
                return fail("m=: format " + quote(f[i]) + " is not an RTP payload type (0-127)");
        } else if (!isToken(f[i])) {
            return fail("m=: format " + quote(f[i]) + " is not a token");
        }
        m.formats.emplace_back(f[i]);
    }
    sdp_.media.push_back(std::move(m));
    mLineNumbers_.push_back(line_);
    otherLines_ = 0;
    return std::nullopt;
}

std::optional<Error> Parser::mediaLine(char type, std::string_view value)
{
    if (type == 'm') return mLine(value);
    auto& m = sdp_.media.back();
    switch (type) {
    case 'i':
        if (m.information) return fail("duplicate i= line in a media section");
        m.information = std::string(value);
        return std::nullopt;
    case 'k':
        if (m.key) return fail("duplicate k= line in a media section");
        m.key = std::string(value);
        return std::nullopt;
    case 'c': {
        if (auto e = countOther()) return e;
        auto c = connection(value);
        if (!c) return c.error();
        m.connections.push_back(std::move(*c));
        return std::nullopt;
    }
    case 'b': {
        if (auto e = countOther()) return e;
        auto b = bandwidth(value);
        if (!b) return b.error();
        m.bandwidths.push_back(std::move(*b));
        return std::nullopt;
    }
    case 'a': return attribute(value, m);
    case 'v':
    case 'o':
    case 's':
    case 'u':
    case 'e':
    case 'p':
    case 't':
    case 'r':
    case 'z': return fail(std::string(1, type) + "= is not allowed in a media section");
    default: return fail("unknown line type '" + std::string(1, type) + "='");
    }
}

} // namespace

Result<SessionDescription> parse(std::string_view text, const Limits& limits)
{
    return Parser(text, limits).run();
}

} // namespace vphone::sdp
