#include "message.h"

#include "charset.h"

#include <algorithm>
#include <charconv>

namespace vphone::sip {

Span Message::append(std::string_view s)
{
    const Span span{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(s.size())};
    text_.append(s);
    return span;
}

Message Message::request(Method method, std::string_view requestUri, std::string_view methodText)
{
    Message m;
    m.kind_ = Kind::Request;
    m.method_ = method;
    m.methodText_ = m.append(method == Method::Extension ? methodText : methodName(method));
    m.requestUri_ = m.append(requestUri);
    m.version_ = m.append("SIP/2.0");
    return m;
}

Message Message::response(int status, std::string_view reason)
{
    Message m;
    m.kind_ = Kind::Response;
    m.status_ = status;
    m.version_ = m.append("SIP/2.0");
    m.reason_ = m.append(reason);
    return m;
}

Result<Uri> Message::requestUri() const
{
    if (!isRequest()) return ParseError{400, 0, "Request-URI: not a request"};
    return parseUri(requestUriText());
}

const HeaderField* Message::find(HeaderId id) const
{
    for (const auto& h : headers_) {
        if (h.id == id) return &h;
    }
    return nullptr;
}

const HeaderField* Message::find(std::string_view name) const
{
    const HeaderId id = headerIdFromName(name);
    if (id != HeaderId::Other && id != HeaderId::Invalid) return find(id);
    for (const auto& h : headers_) {
        if (h.id == HeaderId::Other && charset::iequals(view(h.name), name)) return &h;
    }
    return nullptr;
}

std::optional<std::string_view> Message::get(HeaderId id) const
{
    const HeaderField* h = find(id);
    if (!h) return std::nullopt;
    return view(h->value);
}

std::optional<std::string_view> Message::get(std::string_view name) const
{
    const HeaderField* h = find(name);
    if (!h) return std::nullopt;
    return view(h->value);
}

std::vector<std::string_view> Message::values(HeaderId id) const
{
    std::vector<std::string_view> out;
    const bool list = headerShape(id) == HeaderShape::List;
    for (const auto& h : headers_) {
        if (h.id != id) continue;
        if (list) {
            for (auto v : splitList(view(h.value)))
                out.push_back(v);
        } else {
            out.push_back(view(h.value));
        }
    }
    return out;
}

std::size_t Message::count(HeaderId id) const
{
    return static_cast<std::size_t>(
        std::count_if(headers_.begin(), headers_.end(), [id](const HeaderField& h) { return h.id == id; }));
}

namespace {
bool hasLineBreak(std::string_view s)
{
    return s.find_first_of("\r\n") != std::string_view::npos;
}
} // namespace

void Message::addHeader(std::string_view name, std::string_view value)
{
    if (hasLineBreak(name) || hasLineBreak(value)) return; // would inject a header or a body
    HeaderField h;
    h.id = headerIdFromName(name);
    h.name = append(name);
    h.value = append(value);
    headers_.push_back(h);
}

void Message::prependHeader(HeaderId id, std::string_view value)
{
    if (hasLineBreak(value)) return;
    HeaderField h;
    h.id = id;
    h.name = append(headerName(id));
    h.value = append(value);
    headers_.insert(headers_.begin(), h);
}

std::size_t Message::removeHeaders(HeaderId id)
{
    const auto before = headers_.size();
    std::erase_if(headers_, [id](const HeaderField& h) { return h.id == id; });
    return before - headers_.size();
}

void Message::setHeader(HeaderId id, std::string_view value)
{
    if (hasLineBreak(value)) return;
    auto it =
        std::find_if(headers_.begin(), headers_.end(), [id](const HeaderField& h) { return h.id == id; });
    if (it == headers_.end()) {
        addHeader(id, value);
        return;
    }
    it->value = append(value);
    std::erase_if(headers_, [&](const HeaderField& h) { return h.id == id && &h != &*it; });
}

// ---------------------------------------------------------------- typed access

Result<Via> Message::topVia() const
{
    const auto v = get(HeaderId::Via);
    if (!v) return ParseError{400, 0, "Via: missing"};
    return parseVia(firstOfList(*v));
}

Result<ViaView> Message::topViaView() const
{
    const auto v = get(HeaderId::Via);
    if (!v) return ParseError{400, 0, "Via: missing"};
    return parseViaView(firstOfList(*v));
}

namespace {
/// Parses the first header of this id with `parse`; a missing header and a parse error both
/// come back with the header's name in front of the reason.
template <class Parse>
auto parsedHeader(const Message& m, HeaderId id, Parse parse) -> decltype(parse(std::string_view{}))
{
    const auto v = m.get(id);
    if (!v) return ParseError{400, 0, std::string(headerName(id)) + ": missing"};
    auto parsed = parse(*v);
    if (!parsed) {
        auto e = parsed.error();
        e.what = std::string(headerName(id)) + ": " + e.what;
        return e;
    }
    return parsed;
}
} // namespace

Result<NameAddrView> Message::fromView() const
{
    return parsedHeader(*this, HeaderId::From, parseNameAddrView);
}

Result<NameAddrView> Message::toView() const
{
    return parsedHeader(*this, HeaderId::To, parseNameAddrView);
}

Result<Uri> Message::contactUri() const
{
    const auto v = get(HeaderId::Contact);
    if (!v) return ParseError{400, 0, "Contact: missing"};
    const auto first = firstOfList(*v);
    if (first == "*") return ParseError{400, 0, "Contact: '*' has no URI"};
    auto na = parseNameAddrView(first);
    if (!na) return ParseError{400, na.error().offset, "Contact: " + na.error().what};
    auto uri = parseUri(na->uri);
    if (!uri) return ParseError{400, uri.error().offset, "Contact: " + uri.error().what};
    return uri;
}

Result<std::vector<Via>> Message::vias() const
{
    std::vector<Via> out;
    for (auto v : values(HeaderId::Via)) {
        auto via = parseVia(v);
        if (!via) return via.error();
        out.push_back(std::move(*via));
    }
    if (out.empty()) return ParseError{400, 0, "Via: missing"};
    return out;
}

Result<NameAddr> Message::from() const
{
    return parsedHeader(*this, HeaderId::From, parseNameAddr);
}
Result<NameAddr> Message::to() const
{
    return parsedHeader(*this, HeaderId::To, parseNameAddr);
}

Result<CSeq> Message::cseq() const
{
    const auto v = get(HeaderId::CSeq);
    if (!v) return ParseError{400, 0, "CSeq: missing"};
    return parseCSeq(*v);
}

Result<std::uint32_t> Message::maxForwards() const
{
    const auto v = get(HeaderId::MaxForwards);
    if (!v) return ParseError{400, 0, "Max-Forwards: missing"};
    return parseMaxForwards(*v);
}

Result<ContactList> Message::contacts() const
{
    return parseContacts(values(HeaderId::Contact));
}

Result<std::vector<NameAddr>> Message::routes(HeaderId id) const
{
    std::vector<NameAddr> out;
    for (auto v : values(id)) {
        auto na = parseNameAddr(v);
        if (!na) {
            auto e = na.error();
            e.what = std::string(headerName(id)) + ": " + e.what;
            return e;
        }
        out.push_back(std::move(*na));
    }
    return out;
}

Result<MediaType> Message::contentType() const
{
    const auto v = get(HeaderId::ContentType);
    if (!v) return ParseError{400, 0, "Content-Type: missing"};
    auto mt = parseMediaType(*v);
    if (!mt) return ParseError{400, mt.error().offset, "Content-Type: " + mt.error().what};
    return mt;
}

Result<std::uint32_t> Message::expires() const
{
    const auto v = get(HeaderId::Expires);
    if (!v) return ParseError{400, 0, "Expires: missing"};
    return parseUint32(*v, "Expires");
}

// ---------------------------------------------------------------- body and output

void Message::setBody(std::string_view body, std::string_view contentType)
{
    body_ = append(body);
    if (contentType.empty()) {
        removeHeaders(HeaderId::ContentType);
    } else {
        setHeader(HeaderId::ContentType, contentType);
    }
}

std::optional<std::size_t> Message::contentLengthHeader() const
{
    const auto v = get(HeaderId::ContentLength);
    if (!v) return std::nullopt;
    std::size_t n = 0;
    const auto t = trimLws(*v);
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
    return n;
}

namespace {
/// Appends a header value as one line (RFC 3261 §7.3.1): a fold (CRLF or LF, then whitespace)
/// becomes one SP, a CR or LF that is not part of a fold is dropped, so no bare line break from
/// the wire ever reaches a peer, and whitespace at either end is trimmed. Applying it to its own
/// output changes nothing, which keeps serialize() idempotent.
void appendUnfolded(std::string& out, std::string_view v)
{
    const std::size_t start = out.size();
    const auto ws = [](char c) { return c == ' ' || c == '\t'; };
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '\n' || (c == '\r' && i + 1 < v.size() && v[i + 1] == '\n')) {
            if (c == '\r') ++i;
            while (out.size() > start && ws(out.back()))
                out.pop_back();
            while (i + 1 < v.size() && ws(v[i + 1]))
                ++i;
            if (out.size() > start) out += ' ';
        } else if (c == '\r') {
            continue;
        } else if (ws(c) && out.size() == start) {
            continue;
        } else {
            out += c;
        }
    }
    while (out.size() > start && ws(out.back()))
        out.pop_back();
}
} // namespace

std::string Message::serialize() const
{
    std::string out;
    out.reserve(text_.size() + 64);
    if (isRequest()) {
        out.append(methodText());
        out += ' ';
        out.append(requestUriText());
        out += " SIP/2.0\r\n";
    } else {
        out += "SIP/2.0 ";
        out += std::to_string(status_);
        out += ' ';
        out.append(reason());
        out += "\r\n";
    }
    const auto contentLength = [&] {
        out += "Content-Length: ";
        out += std::to_string(body_.length);
        out += "\r\n";
    };
    bool lengthWritten = false;
    for (const auto& h : headers_) {
        if (h.id == HeaderId::ContentLength) {
            if (!lengthWritten) contentLength();
            lengthWritten = true;
            continue;
        }
        if (h.id == HeaderId::Other) {
            out.append(view(h.name));
        } else {
            out.append(headerName(h.id));
        }
        out += ": ";
        appendUnfolded(out, view(h.value));
        out += "\r\n";
    }
    if (!lengthWritten) contentLength();
    out += "\r\n";
    out.append(body());
    return out;
}

} // namespace vphone::sip
