// multipart/* bodies (RFC 2046 §5.1).
//
// Theory of operation: one forward pass over the body. A delimiter is CRLF "--" boundary (the
// first one may also sit at the very start of the body), followed either by "--" (the close
// delimiter) or by optional transport padding and CRLF. Everything between the CRLF that ends a
// delimiter line and the CRLF that starts the next delimiter is one body-part: its MIME header
// lines, an empty line, then the content, kept byte for byte (NULs, bare CR or LF included).
//
// Each search for the next delimiter starts where the previous candidate was found, so the
// whole body is scanned once (times the delimiter length at worst): linear time.
#include "multipart.h"

#include "charset.h"

#include <cstddef>

namespace vphone::sip {

namespace {

constexpr std::string_view kCrlf = "\r\n";

/// RFC 2046 §5.1.1: bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" /
/// "." / "/" / ":" / "=" / "?"
bool isBcharNoSpace(char c)
{
    if (charset::is(c, charset::kAlpha | charset::kDigit)) return true;
    return std::string_view("'()+_,-./:=?").find(c) != std::string_view::npos;
}

/// RFC 2046 §5.1.1: boundary := 0*69<bchars> bcharsnospace
bool isValidBoundary(std::string_view boundary)
{
    if (boundary.empty() || boundary.size() > 70) return false;
    for (char c : boundary) {
        if (c != ' ' && !isBcharNoSpace(c)) return false;
    }
    return boundary.back() != ' ';
}

/// The boundary parameter may be written as a quoted-string (RFC 2045 §5.1); the quotes are not
/// part of the boundary. No bchar needs a quoted-pair, so stripping the quotes is enough.
std::string_view unquoteBoundary(std::string_view boundary)
{
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
        return boundary.substr(1, boundary.size() - 2);
    }
    return boundary;
}

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

/// RFC 5322 §2.2: ftext is printable US-ASCII except ':'.
bool isFtext(char c)
{
    return c >= 33 && c <= 126 && c != ':';
}

std::string_view trimWsp(std::string_view s)
{
    while (!s.empty() && isWsp(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isWsp(s.back()))
        s.remove_suffix(1);
    return s;
}

enum class DelimiterKind { Invalid, Open, Close };

/// A recognised boundary line.
struct Delimiter {
    DelimiterKind kind = DelimiterKind::Invalid;
    std::size_t start = 0; ///< offset of the delimiter (its leading CRLF, if any)
    std::size_t next = 0;  ///< offset just past the delimiter line (Open only)
};

/// Decides whether the text at `after` (just past "--" boundary) completes a delimiter line.
/// RFC 2046 §5.1.1: close-delimiter := delimiter "--"; otherwise transport-padding (LWSP) then
/// CRLF. Anything else means the candidate is content, not a delimiter.
Delimiter classify(std::string_view body, std::size_t start, std::size_t after)
{
    if (body.substr(after, 2) == "--") return {DelimiterKind::Close, start, body.size()};
    std::size_t i = after;
    while (i < body.size() && isWsp(body[i]))
        ++i;
    if (body.substr(i, 2) == kCrlf) return {DelimiterKind::Open, start, i + 2};
    return {};
}

/// Finds the first delimiter at or after `from`. `dashBoundary` is CRLF "--" boundary.
/// Candidates that are not followed by a valid line ending are skipped; the padding scanned for
/// each ends before the next candidate's CR, so the total work stays linear.
Delimiter findDelimiter(std::string_view body, std::string_view delimiter, std::size_t from)
{
    while (from < body.size()) {
        const std::size_t at = body.find(delimiter, from);
        if (at == std::string_view::npos) return {};
        const Delimiter d = classify(body, at, at + delimiter.size());
        if (d.kind != DelimiterKind::Invalid) return d;
        from = at + 1;
    }
    return {};
}

/// Splits one body-part (the text between two delimiter lines) into header fields and content.
/// RFC 2046 §5.1.1: body-part := MIME-part-headers [CRLF *OCTET]. The header lines follow RFC
/// 5322 §2.2 (name ":" value, folded lines start with SP or HTAB and are unfolded by removing
/// the CRLF). No headers means the part begins with the empty line.
Result<BodyPart> parsePart(std::string_view text, std::size_t base)
{
    BodyPart part;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text.substr(pos, 2) == kCrlf) {
            part.body.assign(text.substr(pos + 2));
            return part;
        }
        // One header field: the first line and every continuation line after it.
        std::size_t end = text.find(kCrlf, pos);
        while (end != std::string_view::npos && end + 2 < text.size() && isWsp(text[end + 2])) {
            end = text.find(kCrlf, end + 2);
        }
        const std::size_t fieldEnd = end == std::string_view::npos ? text.size() : end;
        const std::string_view field = text.substr(pos, fieldEnd - pos);

        std::size_t colon = 0;
        while (colon < field.size() && isFtext(field[colon]))
            ++colon;
        const std::size_t nameEnd = colon;
        // RFC 5322 §4.5 (obsolete syntax): whitespace may precede the colon.
        while (colon < field.size() && isWsp(field[colon]))
            ++colon;
        if (nameEnd == 0 || colon == field.size() || field[colon] != ':') {
            return parseError(400, base + pos, "multipart: malformed part header");
        }

        std::string value;
        value.reserve(field.size() - colon - 1);
        std::string_view rest = field.substr(colon + 1);
        for (std::size_t fold = rest.find(kCrlf); fold != std::string_view::npos; fold = rest.find(kCrlf)) {
            value.append(rest.substr(0, fold));
            rest.remove_prefix(fold + 2);
        }
        value.append(rest);
        part.headers.emplace_back(std::string(field.substr(0, nameEnd)), std::string(trimWsp(value)));

        pos = end == std::string_view::npos ? text.size() : end + 2;
    }
    // Headers only, no empty line and no content: the CRLF ending the last header belongs to
    // the next delimiter (RFC 2046 §5.1.1), so this is an empty content.
    return part;
}

} // namespace

std::string_view BodyPart::header(std::string_view name) const
{
    for (const auto& [n, v] : headers) {
        if (charset::iequals(n, name)) return v;
    }
    return {};
}

Result<std::vector<BodyPart>> parseMultipart(std::string_view body, std::string_view boundary)
{
    boundary = unquoteBoundary(boundary);
    if (!isValidBoundary(boundary)) return parseError(400, 0, "multipart: invalid boundary");

    std::string delimiter;
    delimiter.reserve(boundary.size() + 4);
    delimiter.append(kCrlf).append("--").append(boundary);
    const std::string_view dashBoundary = std::string_view(delimiter).substr(2);

    // RFC 2046 §5.1.1: the first delimiter may open the body (no preamble, so no CRLF before it).
    Delimiter d;
    if (body.starts_with(dashBoundary)) d = classify(body, 0, dashBoundary.size());
    if (d.kind == DelimiterKind::Invalid) d = findDelimiter(body, delimiter, 0);
    if (d.kind == DelimiterKind::Invalid) return parseError(400, 0, "multipart: boundary not found");
    if (d.kind == DelimiterKind::Close) {
        // RFC 2046 §5.1.1: there must be at least one body part.
        return parseError(400, d.start, "multipart: no body part");
    }

    std::vector<BodyPart> parts;
    while (d.kind == DelimiterKind::Open) {
        const std::size_t partStart = d.next;
        // The next delimiter's CRLF may be the very first bytes of the part (an empty part).
        const Delimiter following = findDelimiter(body, delimiter, partStart);
        if (following.kind == DelimiterKind::Invalid) {
            return parseError(400, body.size(), "multipart: missing close delimiter");
        }
        auto part = parsePart(body.substr(partStart, following.start - partStart), partStart);
        if (!part) return part.error();
        parts.push_back(std::move(*part));
        d = following;
    }
    // Whatever follows the close delimiter is the epilogue, which is ignored.
    return parts;
}

std::string serializeMultipart(const std::vector<BodyPart>& parts, std::string_view boundary)
{
    boundary = unquoteBoundary(boundary);
    std::size_t size = boundary.size() + 8;
    for (const auto& part : parts) {
        size += boundary.size() + 8 + part.body.size();
        for (const auto& [name, value] : part.headers)
            size += name.size() + value.size() + 4;
    }
    std::string out;
    out.reserve(size);
    for (const auto& part : parts) {
        out.append("--").append(boundary).append(kCrlf);
        for (const auto& [name, value] : part.headers) {
            out.append(name).append(": ").append(value).append(kCrlf);
        }
        out.append(kCrlf).append(part.body);
        // RFC 2046 §5.1.1: this CRLF belongs to the delimiter that follows, not to the content.
        out.append(kCrlf);
    }
    out.append("--").append(boundary).append("--").append(kCrlf);
    return out;
}

} // namespace vphone::sip
