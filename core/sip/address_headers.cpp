// Address headers: Via (RFC 3261 §20.42, RFC 3581), name-addr / addr-spec (§20.10, §20.20,
// §25.1) and Contact. Each has an allocation-free view for the per-message hot path and an
// owning form built from it.
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

namespace {

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

} // namespace vphone::sip
