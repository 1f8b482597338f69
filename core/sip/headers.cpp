// Typed header parsers. Grammar references are to RFC 3261 §25.1 unless noted.
#include "headers.h"

#include "charset.h"
#include "scanner.h"

#include <cstring>
#include <limits>

namespace vphone::sip {

using detail::headerError;
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

namespace {

std::optional<std::string_view> paramValue(const std::vector<Param>& params, std::string_view name)
{
    const Param* p = findParam(params, name);
    if (!p) return std::nullopt;
    return p->value ? std::string_view(*p->value) : std::string_view{};
}

void appendParams(std::string& out, const std::vector<Param>& params)
{
    for (const auto& p : params) {
        out += ';';
        out += p.name;
        if (p.value) {
            out += '=';
            out += *p.value;
        }
    }
}

/// 1*DIGIT into a 64-bit accumulator with overflow detection.
std::optional<std::uint64_t> parseDigits(std::string_view digits, std::uint64_t max)
{
    if (digits.empty() || digits.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (max - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

/// Host of a sent-by or a param: hostname, IPv4 or [IPv6].
bool parseHost(Scanner& sc, std::string_view& host, HostType& type)
{
    if (sc.peek() == '[') {
        const std::size_t start = sc.pos() + 1;
        const auto close = sc.text().find(']', start);
        if (close == std::string_view::npos) return false;
        const auto inner = sc.text().substr(start, close - start);
        if (!isIPv6(inner)) return false;
        host = inner;
        type = HostType::IPv6;
        sc.setPos(close + 1);
        return true;
    }
    const std::string_view h = sc.run(charset::kHostname);
    if (h.empty()) return false;
    host = h;
    type = isIPv4(h) ? HostType::IPv4 : HostType::Name;
    return true;
}

} // namespace

// ---------------------------------------------------------------- Via (§20.42)

std::optional<std::string_view> Via::param(std::string_view name) const
{
    return paramValue(params, name);
}

std::string Via::branch() const
{
    auto v = param("branch");
    return v ? std::string(*v) : std::string();
}

std::optional<std::string> Via::received() const
{
    auto v = param("received");
    if (!v) return std::nullopt;
    return std::string(*v);
}

std::optional<std::string> Via::maddr() const
{
    auto v = param("maddr");
    if (!v) return std::nullopt;
    return std::string(*v);
}

std::optional<std::uint8_t> Via::ttl() const
{
    auto v = param("ttl");
    if (!v) return std::nullopt;
    auto n = parseDigits(*v, 255);
    if (!n) return std::nullopt;
    return static_cast<std::uint8_t>(*n);
}

bool Via::hasRport() const
{
    return findParam(params, "rport") != nullptr;
}

std::optional<std::uint16_t> Via::rport() const
{
    auto v = param("rport");
    if (!v || v->empty()) return std::nullopt;
    auto n = parseDigits(*v, 65535);
    if (!n) return std::nullopt;
    return static_cast<std::uint16_t>(*n);
}

std::string Via::toString() const
{
    std::string out;
    out.reserve(64);
    out += protocolName;
    out += '/';
    out += protocolVersion;
    out += '/';
    out += transport;
    out += ' ';
    if (hostType == HostType::IPv6) {
        out += '[';
        out += host;
        out += ']';
    } else {
        out += host;
    }
    if (port) {
        out += ':';
        out += std::to_string(*port);
    }
    appendParams(out, params);
    return out;
}

std::optional<std::string_view> ViaView::param(std::string_view name) const
{
    return findParamIn(params, name);
}

Result<ViaView> parseViaView(std::string_view value)
{
    constexpr std::string_view kH = "Via";
    Scanner sc(value);
    Result<ViaView> result{ViaView{}}; // filled in place: the view is returned without a copy
    ViaView& via = *result;
    sc.skipLws();
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport
    via.protocolName = sc.token();
    if (via.protocolName.empty()) return headerError(kH, sc.pos(), "missing protocol name");
    if (!sc.separator('/')) return headerError(kH, sc.pos(), "missing '/' after protocol name");
    via.protocolVersion = sc.token();
    if (via.protocolVersion.empty()) return headerError(kH, sc.pos(), "missing protocol version");
    if (!sc.separator('/')) return headerError(kH, sc.pos(), "missing '/' after protocol version");
    via.transport = sc.token();
    if (via.transport.empty()) return headerError(kH, sc.pos(), "missing transport");
    if (!sc.skipLws()) return headerError(kH, sc.pos(), "missing space before sent-by");
    if (!parseHost(sc, via.host, via.hostType)) return headerError(kH, sc.pos(), "bad sent-by host");
    if (sc.separator(':')) {
        const std::size_t at = sc.pos();
        auto port = parseDigits(sc.run(charset::kDigit), 65535);
        if (!port) return headerError(kH, at, "bad sent-by port");
        via.port = static_cast<std::uint16_t>(*port);
    }
    const std::size_t paramsStart = sc.pos();
    std::string_view problem;
    auto ok = detail::walkParams(sc, kH, [&](std::string_view name, std::optional<std::string_view> v) {
        // RFC 3261 §20.42 / RFC 3581: ttl is 0..255, rport and received have fixed forms.
        if (name.size() == 6 && v && charset::iequals(name, "branch")) {
            if (via.branch.empty()) via.branch = *v;
        } else if (charset::iequals(name, "ttl") && (!v || !parseDigits(*v, 255))) {
            problem = "ttl out of range";
        } else if (charset::iequals(name, "rport") && v && !parseDigits(*v, 65535)) {
            problem = "bad rport";
        }
        return problem.empty();
    });
    if (!ok) return ok.error();
    if (!problem.empty()) return headerError(kH, paramsStart, problem);
    via.params = trimLws(value.substr(paramsStart));
    return result;
}

Result<Via> parseVia(std::string_view value)
{
    auto view = parseViaView(value);
    if (!view) return view.error();
    Via via;
    via.protocolName.assign(view->protocolName);
    via.protocolVersion.assign(view->protocolVersion);
    via.transport.assign(view->transport);
    for (char& c : via.transport)
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    via.host.assign(view->host);
    via.hostType = view->hostType;
    via.port = view->port;
    Scanner sc(view->params);
    auto params = detail::parseGenericParams(sc, via.params, "Via");
    if (!params) return params.error();
    return via;
}

// ---------------------------------------------------------------- name-addr (§20.10, §20.20)

std::optional<std::string_view> NameAddr::param(std::string_view name) const
{
    return paramValue(params, name);
}

std::string NameAddr::tag() const
{
    auto v = param("tag");
    return v ? std::string(*v) : std::string();
}

std::string NameAddr::toString() const
{
    std::string out;
    if (displayName && !displayName->empty()) {
        out += quote(*displayName);
        out += ' ';
    }
    out += '<';
    out += uri.toString();
    out += '>';
    appendParams(out, params);
    return out;
}

std::optional<std::string_view> NameAddrView::param(std::string_view name) const
{
    return findParamIn(params, name);
}

Result<NameAddrView> parseNameAddrView(std::string_view value)
{
    constexpr std::string_view kH = "address";
    Scanner sc(value);
    Result<NameAddrView> result{NameAddrView{}}; // filled in place, returned without a copy
    NameAddrView& na = *result;
    sc.skipLws();
    bool nameAddr = true;
    if (sc.peek() == '"') {
        const std::size_t at = sc.pos();
        if (!sc.skipQuotedString()) return headerError(kH, at, "unterminated quoted display name");
        na.displayName = value.substr(at, sc.pos() - at);
        sc.skipLws();
        if (sc.peek() != '<') return headerError(kH, sc.pos(), "expected '<' after display name");
    } else if (sc.peek() != '<') {
        // Either display-name = *(token LWS) followed by '<', or an addr-spec.
        const auto lt = value.find('<', sc.pos());
        if (lt != std::string_view::npos) {
            Scanner names(value.substr(0, lt));
            names.setPos(sc.pos());
            while (!names.eof()) {
                if (names.token().empty())
                    return headerError(kH, names.pos(), "display name is not a token or quoted string");
                names.skipLws();
            }
            na.displayName = trimLws(value.substr(sc.pos(), lt - sc.pos()));
            sc.setPos(lt);
        } else {
            nameAddr = false;
        }
    }

    if (nameAddr) {
        sc.consume('<');
        const auto gt = value.find('>', sc.pos());
        if (gt == std::string_view::npos) return headerError(kH, sc.pos(), "missing '>'");
        na.uri = value.substr(sc.pos(), gt - sc.pos());
        sc.setPos(gt + 1);
    } else {
        // addr-spec: RFC 3261 §20: no ',', ';' or '?' inside; parameters after it belong to the
        // header, not the URI.
        const std::size_t start = sc.pos();
        std::size_t end = start;
        while (end < value.size() && value[end] != ';' && value[end] != ' ' && value[end] != '\t' &&
               value[end] != '\r' && value[end] != '\n') {
            if (value[end] == '?' || value[end] == ',') {
                return headerError(kH, end, "addr-spec with '?' or ',' must be enclosed in <>");
            }
            ++end;
        }
        na.uri = value.substr(start, end - start);
        na.angleBrackets = false;
        sc.setPos(end);
    }
    const std::size_t paramsStart = sc.pos();
    auto ok = detail::walkParams(sc, kH, [&](std::string_view name, std::optional<std::string_view> v) {
        if (v && na.tag.empty() && name.size() == 3 && charset::iequals(name, "tag")) na.tag = *v;
        return true;
    });
    if (!ok) return ok.error();
    na.params = trimLws(value.substr(paramsStart));
    return result;
}

Result<NameAddr> parseNameAddr(std::string_view value)
{
    constexpr std::string_view kH = "address";
    auto view = parseNameAddrView(value);
    if (!view) return view.error();
    NameAddr na;
    if (!view->displayName.empty()) {
        if (view->displayName.front() == '"') {
            Scanner q(view->displayName);
            na.displayName = q.quotedString();
        } else {
            // *(token LWS): the tokens joined by single spaces.
            std::string dn;
            Scanner names(view->displayName);
            while (!names.eof()) {
                if (!dn.empty()) dn += ' ';
                dn.append(names.token());
                names.skipLws();
            }
            na.displayName = std::move(dn);
        }
    }
    auto uri = parseUri(view->uri);
    if (!uri) {
        const auto base = static_cast<std::size_t>(view->uri.data() - value.data());
        return headerError(kH, base + uri.error().offset, uri.error().what);
    }
    na.uri = std::move(*uri);
    na.angleBrackets = view->angleBrackets;
    Scanner sc(view->params);
    auto params = detail::parseGenericParams(sc, na.params, kH);
    if (!params) return params.error();
    return na;
}

std::optional<std::string_view> findParamIn(std::string_view paramsText, std::string_view name)
{
    std::optional<std::string_view> found;
    Scanner sc(paramsText);
    (void)detail::walkParams(sc, "", [&](std::string_view n, std::optional<std::string_view> v) {
        if (!charset::iequals(n, name)) return true;
        found = v ? *v : std::string_view{};
        return false;
    });
    return found;
}

// ---------------------------------------------------------------- Contact (§20.10)

Result<ContactList> parseContacts(const std::vector<std::string_view>& values)
{
    ContactList list;
    for (auto v : values) {
        const auto t = trimLws(v);
        if (t == "*") {
            list.star = true;
            continue;
        }
        auto na = parseNameAddr(t);
        if (!na) return headerError("Contact", na.error().offset, na.error().what);
        if (auto e = findParam(na->params, "expires")) {
            if (!e->value || !parseDigits(*e->value, std::numeric_limits<std::uint32_t>::max())) {
                return headerError("Contact", 0, "expires parameter out of range");
            }
        }
        if (findParam(na->params, "q") && !contactQ(*na)) return headerError("Contact", 0, "bad q value");
        list.contacts.push_back(std::move(*na));
    }
    if (list.star && !list.contacts.empty()) return headerError("Contact", 0, "'*' mixed with addresses");
    return list;
}

Result<int> contactQ(const NameAddr& contact)
{
    auto q = contact.param("q");
    if (!q) return 1000;
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    const auto s = *q;
    if (s.empty() || (s[0] != '0' && s[0] != '1')) return headerError("Contact", 0, "bad q value");
    int v = (s[0] - '0') * 1000;
    if (s.size() > 1) {
        if (s[1] != '.' || s.size() > 5) return headerError("Contact", 0, "bad q value");
        int scale = 100;
        for (std::size_t i = 2; i < s.size(); ++i, scale /= 10) {
            if (s[i] < '0' || s[i] > '9') return headerError("Contact", 0, "bad q value");
            v += (s[i] - '0') * scale;
        }
    }
    if (v > 1000) return headerError("Contact", 0, "q value above 1");
    return v;
}

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
