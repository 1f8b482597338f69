// URI parsing and printing (comparison is in uri_compare.cpp): sip/sips (RFC 3261 §19.1, §25), tel (RFC
// 3966), IPv6 references (RFC 5118, RFC 4291 §2.2) and opaque absolute URIs of other schemes (RFC 2396 §3).
//
// The parser is a single left-to-right pass over the text with table-driven character classes.
// Components are stored as written (escapes kept); comparisons decode escapes on the fly.
#include "uri.h"

#include "charset.h"
#include "uri_internal.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace vphone::sip {
namespace {

using charset::is;
using detail::compareEscaped;
using detail::decodeNext;
using detail::isEscape;
using detail::isVisualSeparator;
using detail::parseIPv6;
using Error = std::optional<ParseError>;

constexpr std::uint16_t kUserChars = charset::kUnreserved | charset::kUserUnres;
constexpr std::uint16_t kPasswordChars = charset::kUnreserved | charset::kPasswordUnres;
constexpr std::uint16_t kParamChars = charset::kUnreserved | charset::kParamUnres;
constexpr std::uint16_t kHnvChars = charset::kUnreserved | charset::kHnvUnres;

/// The 400 for the character at pos, naming the URI part it broke ("URI: space in host").
ParseError badChar(std::string_view s, std::size_t pos, std::string_view part)
{
    const unsigned c = pos < s.size() ? static_cast<unsigned char>(s[pos]) : 0x100;
    const std::string_view kind = c == 0x100              ? "unexpected end of "
                                  : c == ' ' || c == '\t' ? "space in "
                                  : c < 0x20 || c == 0x7f ? "control character in "
                                  : c == '%'              ? "bad escape in "
                                                          : "bad character in ";
    std::string what = "URI: ";
    what.append(kind).append(part);
    return parseError(400, pos, std::move(what));
}

/// True at the end of s or when s[pos] is one of the delimiters.
bool atDelimiter(std::string_view s, std::size_t pos, std::string_view delimiters)
{
    return pos >= s.size() || delimiters.find(s[pos]) != std::string_view::npos;
}

/// End of the run of `mask` characters and well-formed escapes starting at pos.
std::size_t scan(std::string_view s, std::size_t pos, std::uint16_t mask)
{
    while (pos < s.size()) {
        if (is(s[pos], mask)) {
            ++pos;
        } else if (isEscape(s, pos)) {
            pos += 3;
        } else {
            break;
        }
    }
    return pos;
}

bool parseIPv4(std::string_view s, std::array<std::uint8_t, 4>& out)
{
    std::size_t i = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        if (k > 0 && (i >= s.size() || s[i++] != '.')) return false;
        const std::size_t start = i;
        unsigned value = 0;
        while (i < s.size() && is(s[i], charset::kDigit) && i - start < 3)
            value = value * 10 + unsigned(s[i++] - '0');
        if (i == start || value > 255) return false;
        out[k] = static_cast<std::uint8_t>(value);
    }
    return i == s.size();
}

} // namespace

/// RFC 4291 §2.2 text forms: 8 groups of 1-4 hex digits, "::" at most once standing for one or
/// more zero groups, and an optional trailing dotted IPv4 address counting as two groups.
bool detail::parseIPv6(std::string_view s, std::array<std::uint8_t, 16>& out)
{
    std::array<std::uint16_t, 8> groups{};
    std::size_t count = 0;
    int gap = -1;
    std::size_t i = 0;
    const std::size_t n = s.size();
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n == 0 || s[0] == ':') {
        return false;
    }
    while (i < n) {
        if (count == 8) return false;
        const std::size_t start = i;
        unsigned value = 0;
        while (i < n && i - start < 5 && is(s[i], charset::kHex)) {
            value = value * 16 + unsigned(charset::hexValue(s[i++]));
        }
        if (i < n && s[i] == '.') {
            std::array<std::uint8_t, 4> v4{};
            if (count > 6 || !parseIPv4(s.substr(start), v4)) return false;
            groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
            groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
            break;
        }
        if (i == start || i - start > 4) return false;
        groups[count++] = static_cast<std::uint16_t>(value);
        if (i == n) break;
        if (s[i] != ':') return false;
        if (++i == n) return false; // a lone trailing ':'
        if (s[i] == ':') {
            if (gap >= 0) return false;
            gap = static_cast<int>(count);
            ++i;
        }
    }
    if (gap < 0 ? count != 8 : count > 7) return false;
    out.fill(0);
    for (std::size_t g = 0, k = 0; g < count; ++g, ++k) {
        if (static_cast<int>(g) == gap) k += 8 - count; // the zero groups "::" stands for
        out[2 * k] = static_cast<std::uint8_t>(groups[g] >> 8);
        out[2 * k + 1] = static_cast<std::uint8_t>(groups[g] & 0xff);
    }
    return true;
}

namespace {

/// RFC 3261 §25 host = hostname / IPv4address. Liberal with hyphens and digit-led labels, but an
/// all-digit top label is a broken IPv4 address, not a name ("256.1.1.1", "2001").
HostType classifyHost(std::string_view h)
{
    if (isIPv4(h)) return HostType::IPv4;
    std::size_t n = h.size();
    if (n > 0 && h[n - 1] == '.') --n; // fully qualified form "example.com."
    if (n == 0) return HostType::Invalid;
    std::size_t labelStart = 0;
    bool allDigits = true;
    bool topAllDigits = false;
    for (std::size_t i = 0; i <= n; ++i) {
        if (i == n || h[i] == '.') {
            if (i == labelStart) return HostType::Invalid;
            topAllDigits = allDigits;
            labelStart = i + 1;
            allDigits = true;
        } else if (!is(h[i], charset::kDigit)) {
            allDigits = false;
        }
    }
    return topAllDigits ? HostType::Invalid : HostType::Name;
}

enum class ParamSyntax { Invalid, Sip, Tel };

/// `*( ";" name [ "=" value ] )` with RFC 3261 paramchar; tel pnames are 1*(alphanum / "-").
Error parseParams(std::string_view s, std::size_t& pos, std::vector<Param>& out, ParamSyntax syntax)
{
    const std::string_view part = syntax == ParamSyntax::Tel ? "tel parameter" : "parameter";
    out.reserve(static_cast<std::size_t>(std::count(s.begin() + pos, s.end(), ';')));
    while (pos < s.size() && s[pos] == ';') {
        const std::size_t nameStart = ++pos;
        const std::size_t nameEnd = scan(s, nameStart, kParamChars);
        if (!atDelimiter(s, nameEnd, ";=?")) return badChar(s, nameEnd, part);
        if (nameEnd == nameStart)
            return parseError(400, nameStart, "URI: empty " + std::string(part) + " name");
        if (syntax == ParamSyntax::Tel) {
            for (std::size_t i = nameStart; i < nameEnd; ++i) {
                if (!is(s[i], charset::kAlpha | charset::kDigit) && s[i] != '-') return badChar(s, i, part);
            }
        }
        Param& p = out.emplace_back();
        p.name.assign(s.data() + nameStart, nameEnd - nameStart);
        pos = nameEnd;
        if (pos < s.size() && s[pos] == '=') {
            const std::size_t valueStart = ++pos;
            pos = scan(s, valueStart, kParamChars);
            if (!atDelimiter(s, pos, ";?")) return badChar(s, pos, part);
            p.value.emplace(s.data() + valueStart, pos - valueStart);
        }
    }
    return std::nullopt;
}

/// RFC 3261 §25: headers = "?" header *( "&" header ), header = hname "=" hvalue. pos is at '?'.
Error parseHeaders(std::string_view s, std::size_t& pos, std::vector<Param>& out)
{
    out.reserve(1 + static_cast<std::size_t>(std::count(s.begin() + pos, s.end(), '&')));
    do {
        const std::size_t nameStart = ++pos;
        const std::size_t nameEnd = scan(s, nameStart, kHnvChars);
        if (!atDelimiter(s, nameEnd, "=&")) return badChar(s, nameEnd, "header");
        if (nameEnd == nameStart) return parseError(400, nameStart, "URI: empty header name");
        if (nameEnd == s.size() || s[nameEnd] != '=')
            return parseError(400, nameEnd, "URI: header without '='");
        const std::size_t valueStart = nameEnd + 1;
        pos = scan(s, valueStart, kHnvChars);
        if (!atDelimiter(s, pos, "&")) return badChar(s, pos, "header");
        Param& h = out.emplace_back();
        h.name.assign(s.data() + nameStart, nameEnd - nameStart);
        h.value.emplace(s.data() + valueStart, pos - valueStart);
    } while (pos < s.size());
    return std::nullopt;
}

/// RFC 3261 §19.1.1: sip:[user[:password]@]host[:port][;params][?headers], pos after "sip:".
Error parseSip(std::string_view s, std::size_t pos, Uri& uri)
{
    const std::size_t n = s.size();
    // '@' is in neither host, uri-parameters nor headers, and user/password cannot hold it
    // unescaped, so the first '@' ends the userinfo even when the user has ';' or '?' (semiuri).
    const auto* at = static_cast<const char*>(std::memchr(s.data() + pos, '@', n - pos));
    if (at != nullptr) {
        const auto atPos = static_cast<std::size_t>(at - s.data());
        const std::size_t userEnd = scan(s, pos, kUserChars);
        if (userEnd != atPos && s[userEnd] != ':') return badChar(s, userEnd, "user");
        if (userEnd == pos) return parseError(400, pos, "URI: empty user");
        uri.user.assign(s.data() + pos, userEnd - pos);
        if (s[userEnd] == ':') {
            const std::size_t passwordEnd = scan(s, userEnd + 1, kPasswordChars);
            if (passwordEnd != atPos) return badChar(s, passwordEnd, "password");
            uri.password.emplace(s.data() + userEnd + 1, passwordEnd - userEnd - 1);
        }
        pos = atPos + 1;
    }

    if (pos >= n) return parseError(400, pos, "URI: missing host");
    if (s[pos] == '[') {
        // RFC 3261 §25: IPv6reference = "[" IPv6address "]"; a port goes after the ']' (RFC 5118 §4.3).
        std::size_t close = pos + 1;
        while (close < n && (is(s[close], charset::kHex) || s[close] == ':' || s[close] == '.'))
            ++close;
        if (close >= n) return parseError(400, pos, "URI: unterminated IPv6 reference");
        if (s[close] != ']') return badChar(s, close, "IPv6 reference");
        const std::string_view address = s.substr(pos + 1, close - pos - 1);
        if (!isIPv6(address)) return parseError(400, pos + 1, "URI: bad IPv6 address");
        uri.host.assign(address);
        uri.hostType = HostType::IPv6;
        pos = close + 1;
        if (!atDelimiter(s, pos, ":;?")) return badChar(s, pos, "host");
    } else {
        std::size_t end = pos;
        while (end < n && is(s[end], charset::kHostname))
            ++end;
        if (!atDelimiter(s, end, ":;?")) return badChar(s, end, "host");
        if (end == pos) return parseError(400, pos, "URI: missing host");
        const std::string_view host = s.substr(pos, end - pos);
        uri.hostType = classifyHost(host);
        if (uri.hostType == HostType::Invalid) return parseError(400, pos, "URI: bad host name");
        uri.host.assign(host);
        pos = end;
    }

    if (pos < n && s[pos] == ':') {
        const std::size_t start = ++pos;
        std::uint32_t port = 0;
        while (pos < n && is(s[pos], charset::kDigit)) {
            port = port * 10 + std::uint32_t(s[pos++] - '0');
            if (port > 65535) return parseError(400, start, "URI: port out of range");
        }
        if (!atDelimiter(s, pos, ";?")) return badChar(s, pos, "port");
        if (pos == start) return parseError(400, start, "URI: empty port");
        uri.port = static_cast<std::uint16_t>(port);
    }

    if (auto error = parseParams(s, pos, uri.params, ParamSyntax::Sip)) return error;
    if (pos < n) return parseHeaders(s, pos, uri.headers); // s[pos] == '?' here
    return std::nullopt;
}

/// RFC 3966 §3: telephone-subscriber = global-number / local-number, pos after "tel:".
/// A local number MUST carry phone-context (RFC 3966 §5.1.5), so one without it is rejected.
Error parseTel(std::string_view s, std::size_t pos, Uri& uri)
{
    const std::size_t start = pos;
    const bool global = pos < s.size() && s[pos] == '+';
    if (global) ++pos;
    bool hasDigit = false;
    for (; pos < s.size(); ++pos) {
        const char c = s[pos];
        if (global ? is(c, charset::kDigit) : (is(c, charset::kHex) || c == '*' || c == '#')) {
            hasDigit = true;
        } else if (!isVisualSeparator(c)) {
            break;
        }
    }
    if (!atDelimiter(s, pos, ";")) return badChar(s, pos, "tel number");
    if (!hasDigit) return parseError(400, start, "URI: tel number without digits");
    uri.user.assign(s.data() + start, pos - start);
    if (auto error = parseParams(s, pos, uri.params, ParamSyntax::Tel)) return error;
    if (pos < s.size()) return badChar(s, pos, "tel parameter");
    if (!global && findParam(uri.params, "phone-context") == nullptr) {
        return parseError(400, start, "URI: local tel number without phone-context");
    }
    return std::nullopt;
}

/// RFC 2396 §3: opaque part of an absolute URI; anything printable except delimiters of <...>.
Error parseOpaque(std::string_view s, std::size_t pos, Uri& uri)
{
    const std::size_t start = pos;
    for (; pos < s.size(); ++pos) {
        const auto c = static_cast<unsigned char>(s[pos]);
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"') return badChar(s, pos, "opaque part");
    }
    if (pos == start) return parseError(400, start, "URI: empty opaque part");
    uri.opaque.assign(s.data() + start, pos - start);
    return std::nullopt;
}

void appendParams(std::string& out, const std::vector<Param>& params, char first, char separator)
{
    char lead = first;
    for (const Param& p : params) {
        out += lead;
        lead = separator;
        out += p.name;
        if (p.value) {
            out += '=';
            out += *p.value;
        }
    }
}

std::size_t paramsSize(const std::vector<Param>& params)
{
    std::size_t size = 0;
    for (const Param& p : params)
        size += p.name.size() + (p.value ? p.value->size() + 2 : 1);
    return size;
}

void appendHostPort(std::string& out, const Uri& uri)
{
    const bool brackets = uri.hostType == HostType::IPv6;
    if (brackets) out += '[';
    out += uri.host;
    if (brackets) out += ']';
    if (uri.port) {
        std::array<char, 8> digits{};
        const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), *uri.port);
        out += ':';
        out.append(digits.data(), result.ptr);
    }
}

} // namespace

const Param* findParam(const std::vector<Param>& params, std::string_view name)
{
    for (const Param& p : params) {
        // A raw case-insensitive match implies a decoded one; only escaped names need decoding.
        if (charset::iequals(p.name, name)) return &p;
        const bool escaped =
            p.name.find('%') != std::string::npos || name.find('%') != std::string_view::npos;
        if (escaped && compareEscaped(p.name, name, true) == 0) return &p;
    }
    return nullptr;
}

std::optional<std::string_view> Uri::param(std::string_view name) const
{
    const Param* p = findParam(params, name);
    if (p == nullptr) return std::nullopt;
    return p->value ? std::string_view(*p->value) : std::string_view();
}

std::string Uri::toString() const
{
    std::string out;
    if (scheme == UriScheme::Invalid) return out;
    if (scheme == UriScheme::Other) {
        out.reserve(schemeText.size() + 1 + opaque.size());
        for (char c : schemeText)
            out += charset::toLower(c);
        out += ':';
        out += opaque;
        return out;
    }
    out.reserve(5 + user.size() + (password ? password->size() + 1 : 0) + 1 + host.size() + 8 +
                paramsSize(params) + paramsSize(headers));
    out += scheme == UriScheme::Sips ? "sips:" : scheme == UriScheme::Tel ? "tel:" : "sip:";
    if (scheme == UriScheme::Tel) {
        out += user; // RFC 3966 telephone-subscriber
    } else if (!user.empty() || password) {
        out += user;
        if (password) {
            out += ':';
            out += *password;
        }
        out += '@';
    }
    if (scheme != UriScheme::Tel) appendHostPort(out, *this);
    appendParams(out, params, ';', ';');
    appendParams(out, headers, '?', '&');
    return out;
}

std::string Uri::hostPort() const
{
    std::string out;
    out.reserve(host.size() + 8);
    appendHostPort(out, *this);
    return out;
}

Result<Uri> parseUri(std::string_view text)
{
    if (text.empty()) return parseError(400, 0, "URI: empty");
    // RFC 3261 §25 / RFC 2396 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    std::size_t pos = 0;
    if (is(text[0], charset::kAlpha)) {
        pos = 1;
        while (pos < text.size() && (is(text[pos], charset::kAlpha | charset::kDigit) || text[pos] == '+' ||
                                     text[pos] == '-' || text[pos] == '.')) {
            ++pos;
        }
    }
    if (pos == 0 || pos >= text.size() || text[pos] != ':') {
        const auto c = pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0xff;
        if (c <= 0x20 || c == 0x7f) return badChar(text, pos, "scheme");
        return parseError(400, pos, "URI: missing scheme");
    }

    Uri uri;
    const std::string_view scheme = text.substr(0, pos);
    uri.schemeText.assign(scheme);
    ++pos;
    uri.scheme = charset::iequals(scheme, "sip")    ? UriScheme::Sip
                 : charset::iequals(scheme, "sips") ? UriScheme::Sips
                 : charset::iequals(scheme, "tel")  ? UriScheme::Tel
                                                    : UriScheme::Other;
    Error error = uri.scheme == UriScheme::Tel     ? parseTel(text, pos, uri)
                  : uri.scheme == UriScheme::Other ? parseOpaque(text, pos, uri)
                                                   : parseSip(text, pos, uri);
    if (error) return std::move(*error);
    return uri;
}

std::optional<std::string> unescape(std::string_view text)
{
    for (std::size_t i = text.find('%'); i != std::string_view::npos; i = text.find('%', i + 3)) {
        if (!isEscape(text, i)) return std::nullopt;
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();)
        out += static_cast<char>(decodeNext(text, i, false));
    return out;
}

bool isIPv4(std::string_view text)
{
    std::array<std::uint8_t, 4> bytes{};
    return parseIPv4(text, bytes);
}

bool isIPv6(std::string_view text)
{
    std::array<std::uint8_t, 16> bytes{};
    return parseIPv6(text, bytes);
}

} // namespace vphone::sip
