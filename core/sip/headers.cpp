// Typed header parsers other than the address headers. Grammar references are to RFC 3261
// §25.1 unless noted.
#include "headers.h"

#include "charset.h"
#include "scanner.h"

#include <cstring>
#include <limits>

namespace vphone::sip {

using detail::appendParams;
using detail::headerError;
using detail::paramValue;
using detail::parseDigits;
using detail::Scanner;

namespace detail {

Result<bool> parseGenericParams(Scanner& sc, std::vector<Param>& params, std::string_view header)
{
    return walkParams(sc, header, [&](std::string_view name, std::optional<std::string_view> value) {
        params.push_back(Param{std::string(name), value ? std::optional<std::string>(*value) : std::nullopt});
        return true;
    });
}
} // namespace detail

// ---------------------------------------------------------------- CSeq (§20.16)

Result<CSeq> parseCSeq(std::string_view value)
{
    constexpr std::string_view kH = "CSeq";
    Scanner sc(value);
    sc.skipLws();
    const std::size_t at = sc.pos();
    auto n = parseDigits(sc.run(charset::kDigit), std::numeric_limits<std::uint32_t>::max());
    if (!n) return headerError(kH, at, "sequence number missing or above 2**32-1");
    if (!sc.skipLws()) return headerError(kH, sc.pos(), "missing space before method");
    const auto method = sc.token();
    if (method.empty()) return headerError(kH, sc.pos(), "missing method");
    sc.skipLws();
    if (!sc.eof()) return headerError(kH, sc.pos(), "unexpected text after method");
    CSeq c;
    c.sequence = static_cast<std::uint32_t>(*n);
    c.method = methodFromString(method);
    c.methodText.assign(method);
    return c;
}

Result<std::uint32_t> parseUint32(std::string_view value, std::string_view headerName)
{
    const auto t = trimLws(value);
    auto n = parseDigits(t, std::numeric_limits<std::uint32_t>::max());
    if (!n) return headerError(headerName, 0, "not a number or above 2**32-1");
    return static_cast<std::uint32_t>(*n);
}

Result<std::uint32_t> parseMaxForwards(std::string_view value)
{
    const auto t = trimLws(value);
    auto n = parseDigits(t, 255);
    if (!n) return headerError("Max-Forwards", 0, "not a number in 0..255");
    return static_cast<std::uint32_t>(*n);
}

// ---------------------------------------------------------------- media types (§20.15)

std::optional<std::string_view> MediaType::param(std::string_view name) const
{
    return paramValue(params, name);
}

bool MediaType::is(std::string_view t, std::string_view s) const
{
    return (t == "*" || type == "*" || charset::iequals(type, t)) &&
           (s == "*" || subtype == "*" || charset::iequals(subtype, s));
}

std::string MediaType::toString() const
{
    std::string out = type + "/" + subtype;
    appendParams(out, params);
    return out;
}

Result<MediaType> parseMediaType(std::string_view value)
{
    constexpr std::string_view kH = "media type";
    Scanner sc(value);
    sc.skipLws();
    const auto type = sc.token();
    if (type.empty()) return headerError(kH, sc.pos(), "missing type");
    if (!sc.separator('/')) return headerError(kH, sc.pos(), "missing '/'");
    const auto sub = sc.token();
    if (sub.empty()) return headerError(kH, sc.pos(), "missing subtype");
    MediaType mt;
    mt.type.reserve(type.size());
    for (char c : type)
        mt.type.push_back(charset::toLower(c));
    for (char c : sub)
        mt.subtype.push_back(charset::toLower(c));
    auto params = detail::parseGenericParams(sc, mt.params, kH);
    if (!params) return params.error();
    return mt;
}

// ---------------------------------------------------------------- token with params

std::optional<std::string_view> TokenParams::param(std::string_view name) const
{
    return paramValue(params, name);
}

Result<TokenParams> parseTokenParams(std::string_view value, std::string_view headerName)
{
    Scanner sc(value);
    sc.skipLws();
    const auto tok = sc.token();
    if (tok.empty()) return headerError(headerName, sc.pos(), "missing token");
    TokenParams tp;
    tp.token.assign(tok);
    auto params = detail::parseGenericParams(sc, tp.params, headerName);
    if (!params) return params.error();
    return tp;
}

// ---------------------------------------------------------------- authentication (§25.1)

std::optional<std::string_view> AuthParams::param(std::string_view name) const
{
    return paramValue(params, name);
}

Result<AuthParams> parseAuth(std::string_view value, std::string_view headerName)
{
    Scanner sc(value);
    sc.skipLws();
    const auto scheme = sc.token();
    if (scheme.empty()) return headerError(headerName, sc.pos(), "missing scheme");
    AuthParams ap;
    ap.scheme.assign(scheme);
    sc.skipLws();
    while (!sc.eof()) {
        const auto name = sc.token();
        if (name.empty()) return headerError(headerName, sc.pos(), "bad auth-param name");
        if (!sc.separator('=')) return headerError(headerName, sc.pos(), "missing '=' in auth-param");
        Param p{std::string(name), std::nullopt};
        if (sc.peek() == '"') {
            const std::size_t at = sc.pos();
            auto q = sc.quotedString();
            if (!q) return headerError(headerName, at, "unterminated quoted string");
            p.value = std::move(*q);
        } else {
            // Unquoted values: token, or LHEX for nc (tokens cover it).
            const auto v = sc.token();
            if (v.empty()) return headerError(headerName, sc.pos(), "empty auth-param value");
            p.value = std::string(v);
        }
        ap.params.push_back(std::move(p));
        if (!sc.separator(',')) {
            sc.skipLws();
            if (!sc.eof()) return headerError(headerName, sc.pos(), "expected ',' between auth-params");
        }
    }
    return ap;
}

// ---------------------------------------------------------------- extensions

Result<SessionExpires> parseSessionExpires(std::string_view value)
{
    constexpr std::string_view kH = "Session-Expires";
    Scanner sc(value);
    sc.skipLws();
    auto n = parseDigits(sc.run(charset::kDigit), std::numeric_limits<std::uint32_t>::max());
    if (!n) return headerError(kH, sc.pos(), "bad delta-seconds");
    std::vector<Param> params;
    auto ok = detail::parseGenericParams(sc, params, kH);
    if (!ok) return ok.error();
    SessionExpires se;
    se.seconds = static_cast<std::uint32_t>(*n);
    if (auto r = paramValue(params, "refresher")) se.refresher = std::string(*r);
    return se;
}

Result<RAck> parseRAck(std::string_view value)
{
    constexpr std::string_view kH = "RAck";
    Scanner sc(value);
    sc.skipLws();
    constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
    auto rseq = parseDigits(sc.run(charset::kDigit), kMax);
    if (!rseq || !sc.skipLws()) return headerError(kH, sc.pos(), "bad response-num");
    auto cseq = parseDigits(sc.run(charset::kDigit), kMax);
    if (!cseq || !sc.skipLws()) return headerError(kH, sc.pos(), "bad CSeq-num");
    const auto m = sc.token();
    sc.skipLws();
    if (m.empty() || !sc.eof()) return headerError(kH, sc.pos(), "bad method");
    RAck r;
    r.rseq = static_cast<std::uint32_t>(*rseq);
    r.cseq = static_cast<std::uint32_t>(*cseq);
    r.method = methodFromString(m);
    r.methodText.assign(m);
    return r;
}

Result<RetryAfter> parseRetryAfter(std::string_view value)
{
    constexpr std::string_view kH = "Retry-After";
    Scanner sc(value);
    sc.skipLws();
    auto n = parseDigits(sc.run(charset::kDigit), std::numeric_limits<std::uint32_t>::max());
    if (!n) return headerError(kH, sc.pos(), "delta-seconds missing or above 2**32-1");
    RetryAfter ra;
    ra.seconds = static_cast<std::uint32_t>(*n);
    sc.skipLws();
    if (sc.peek() == '(') {
        // comment = LPAREN *(ctext / quoted-pair / comment) RPAREN, nesting allowed.
        const std::size_t start = sc.pos();
        int depth = 0;
        std::size_t i = start;
        const auto text = sc.text();
        for (; i < text.size(); ++i) {
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == '(') {
                ++depth;
            } else if (text[i] == ')' && --depth == 0) {
                break;
            }
        }
        if (depth != 0 || i >= text.size()) return headerError(kH, start, "unterminated comment");
        ra.comment = std::string(text.substr(start + 1, i - start - 1));
        sc.setPos(i + 1);
    }
    auto ok = detail::parseGenericParams(sc, ra.params, kH);
    if (!ok) return ok.error();
    if (auto d = findParam(ra.params, "duration");
        d && (!d->value || !parseDigits(*d->value, std::numeric_limits<std::uint32_t>::max()))) {
        return headerError(kH, 0, "duration out of range");
    }
    return ra;
}

Result<Replaces> parseReplaces(std::string_view value)
{
    constexpr std::string_view kH = "Replaces";
    Scanner sc(value);
    sc.skipLws();
    const std::size_t start = sc.pos();
    while (!sc.eof() && sc.peek() != ';' && sc.peek() != ' ' && sc.peek() != '\t')
        sc.setPos(sc.pos() + 1);
    if (sc.pos() == start) return headerError(kH, start, "missing call-id");
    Replaces r;
    r.callId.assign(value.substr(start, sc.pos() - start));
    std::vector<Param> params;
    auto ok = detail::parseGenericParams(sc, params, kH);
    if (!ok) return ok.error();
    auto to = paramValue(params, "to-tag");
    auto from = paramValue(params, "from-tag");
    if (!to || !from) return headerError(kH, 0, "to-tag and from-tag are required");
    r.toTag.assign(*to);
    r.fromTag.assign(*from);
    r.earlyOnly = findParam(params, "early-only") != nullptr;
    return r;
}

Result<Warning> parseWarning(std::string_view value)
{
    constexpr std::string_view kH = "Warning";
    Scanner sc(value);
    sc.skipLws();
    const auto code = sc.run(charset::kDigit);
    if (code.size() != 3) return headerError(kH, sc.pos(), "warn-code must be three digits");
    if (!sc.skipLws()) return headerError(kH, sc.pos(), "missing warn-agent");
    Warning w;
    w.code = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    const std::size_t at = sc.pos();
    while (!sc.eof() && sc.peek() != ' ' && sc.peek() != '\t')
        sc.setPos(sc.pos() + 1);
    w.agent.assign(value.substr(at, sc.pos() - at));
    if (w.agent.empty() || !sc.skipLws()) return headerError(kH, sc.pos(), "missing warn-text");
    auto text = sc.quotedString();
    if (!text) return headerError(kH, sc.pos(), "warn-text must be a quoted string");
    w.text = std::move(*text);
    sc.skipLws();
    if (!sc.eof()) return headerError(kH, sc.pos(), "unexpected text after warn-text");
    return w;
}

// ---------------------------------------------------------------- helpers

std::vector<std::string_view> splitList(std::string_view value)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    bool inQuotes = false;
    bool inAngle = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (inQuotes) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            }
        } else if (c == '"') {
            inQuotes = true;
        } else if (c == '<') {
            inAngle = true;
        } else if (c == '>') {
            inAngle = false;
        } else if (c == ',' && !inAngle) {
            out.push_back(trimLws(value.substr(start, i - start)));
            start = i + 1;
        }
    }
    out.push_back(trimLws(value.substr(start)));
    return out;
}

std::string_view firstOfList(std::string_view value)
{
    // Most values are a single element: one memchr settles it.
    if (!std::memchr(value.data(), ',', value.size())) return trimLws(value);
    bool inQuotes = false;
    bool inAngle = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (inQuotes) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            }
        } else if (c == '"') {
            inQuotes = true;
        } else if (c == '<') {
            inAngle = true;
        } else if (c == '>') {
            inAngle = false;
        } else if (c == ',' && !inAngle) {
            return trimLws(value.substr(0, i));
        }
    }
    return trimLws(value);
}

std::string_view trimLws(std::string_view s)
{
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && ws(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && ws(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string quote(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

} // namespace vphone::sip
