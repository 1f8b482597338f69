// Message framing and the one-pass header splitter.
//
// Theory of operation: parseMessage() walks the header section line by line (memchr for LF),
// classifies the start line, and records each header's name and value as spans of one copy of
// the input. Folded continuation lines extend the previous header's value span. Only
// Content-Length is interpreted here, because framing depends on it; every other header is
// parsed when someone asks for it. StreamFramer finds message boundaries in a TCP/TLS byte
// stream without re-scanning bytes it has already looked at.
#include "parser.h"

#include "charset.h"

#include <cstring>

namespace vphone::sip {

/// Builds Messages; a friend of Message so it can fill the spans directly.
class MessageParser {
public:
    static Result<Message> parse(std::string_view bytes, Framing framing, const Limits& limits);
};

namespace {

constexpr std::size_t kNotFound = std::string_view::npos;

/// End of the line starting at pos: index of its LF (or size). `contentEnd` excludes the CR.
struct Line {
    std::size_t begin = 0;
    std::size_t contentEnd = 0; // before CR LF
    std::size_t next = 0;       // first byte of the following line
    bool terminated = false;    // ended by LF
};

inline Line lineAt(std::string_view s, std::size_t pos)
{
    Line l;
    l.begin = pos;
    const void* lf = pos < s.size() ? std::memchr(s.data() + pos, '\n', s.size() - pos) : nullptr;
    if (!lf) {
        l.contentEnd = l.next = s.size();
        return l;
    }
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(lf) - s.data());
    l.contentEnd = (at > pos && s[at - 1] == '\r') ? at - 1 : at;
    l.next = at + 1;
    l.terminated = true;
    return l;
}

inline std::uint32_t u32(std::size_t v)
{
    return static_cast<std::uint32_t>(v);
}

bool isSipVersion(std::string_view v)
{
    // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (case-insensitive "SIP")
    if (v.size() < 7 || !charset::iequals(v.substr(0, 4), "SIP/")) return false;
    std::size_t i = 4;
    const std::size_t major = i;
    while (i < v.size() && charset::is(v[i], charset::kDigit))
        ++i;
    if (i == major || i >= v.size() || v[i] != '.') return false;
    const std::size_t minor = ++i;
    while (i < v.size() && charset::is(v[i], charset::kDigit))
        ++i;
    return i > minor && i == v.size();
}

/// Parses the decimal Content-Length value; nullopt when not 1*DIGIT or absurdly large.
std::optional<std::size_t> contentLengthValue(std::string_view v)
{
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    if (v.empty() || v.size() > 9) return std::nullopt;
    std::size_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

ParseError err(int status, std::size_t offset, std::string what)
{
    return {status, offset, std::move(what)};
}

} // namespace

Result<Message> MessageParser::parse(std::string_view bytes, Framing framing, const Limits& limits)
{
    // RFC 3261 §7.5: ignore CRLFs before the start line.
    std::size_t pos = 0;
    while (pos < bytes.size() && (bytes[pos] == '\r' || bytes[pos] == '\n'))
        ++pos;
    if (pos == bytes.size()) return err(400, pos, "empty message");
    if (bytes.size() - pos > limits.maxMessageSize)
        return err(513, limits.maxMessageSize, "message larger than the limit");

    Message m;
    m.text_.assign(bytes.data() + pos, bytes.size() - pos);
    const std::string_view s = m.text_;

    // ---- start line
    const Line start = lineAt(s, 0);
    if (!start.terminated) return err(400, 0, "start line not terminated");
    if (start.contentEnd > limits.maxLineLength) return err(513, 0, "start line longer than the limit");
    const std::string_view first = s.substr(0, start.contentEnd);
    if (first.find('\r') != std::string_view::npos)
        return err(400, first.find('\r'), "bare CR in the start line");
    const auto sp1 = first.find(' ');
    if (sp1 == kNotFound) return err(400, 0, "malformed start line");
    if (charset::iequals(first.substr(0, 4), "SIP/")) {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
        m.kind_ = Message::Kind::Response;
        m.version_ = {0, u32(sp1)};
        if (!isSipVersion(first.substr(0, sp1))) return err(400, 0, "malformed SIP version");
        const std::size_t c = sp1 + 1;
        if (c + 3 > first.size()) return err(400, c, "missing status code");
        int code = 0;
        for (std::size_t i = c; i < c + 3; ++i) {
            if (!charset::is(first[i], charset::kDigit))
                return err(400, i, "status code is not three digits");
            code = code * 10 + (first[i] - '0');
        }
        if (c + 3 < first.size() && first[c + 3] != ' ')
            return err(400, c + 3, "status code is not three digits");
        if (code < 100) return err(400, c, "status code below 100");
        m.status_ = code;
        const std::size_t r = c + 3 < first.size() ? c + 4 : first.size();
        m.reason_ = {u32(r), u32(first.size() - r)};
    } else {
        // Request-Line = Method SP Request-URI SP SIP-Version (single SPs: RFC 3261 §7.1)
        m.kind_ = Message::Kind::Request;
        const auto sp2 = first.find(' ', sp1 + 1);
        if (sp2 == kNotFound) return err(400, sp1, "Request-Line: missing SIP version");
        const auto method = first.substr(0, sp1);
        if (!charset::all(method, charset::kToken)) return err(400, 0, "Request-Line: method is not a token");
        if (sp2 == sp1 + 1) return err(400, sp2, "Request-Line: empty Request-URI");
        const auto version = first.substr(sp2 + 1);
        if (!isSipVersion(version)) return err(400, sp2 + 1, "Request-Line: malformed SIP version");
        m.methodText_ = {0, u32(sp1)};
        m.method_ = methodFromString(method);
        m.requestUri_ = {u32(sp1 + 1), u32(sp2 - sp1 - 1)};
        m.version_ = {u32(sp2 + 1), u32(version.size())};
    }

    // ---- header fields
    m.headers_.reserve(16);
    std::size_t p = start.next;
    std::size_t bodyStart = kNotFound;
    std::optional<std::size_t> contentLength;
    while (p < s.size()) {
        const Line line = lineAt(s, p);
        if (line.contentEnd == line.begin && line.terminated) { // empty line ends the headers
            bodyStart = line.next;
            break;
        }
        if (!line.terminated) break; // header section never closed
        // RFC 3261 §25.1: a CR inside a header line that does not end it is no valid text, and
        // a peer that treats a bare CR as a line end would read a different message.
        if (std::memchr(s.data() + p, '\r', line.contentEnd - p))
            return err(400, p, "bare CR in a header line");
        if (s[p] == ' ' || s[p] == '\t') {
            // Folded continuation (RFC 3261 §7.3.1): extends the previous header's value.
            if (m.headers_.empty()) return err(400, p, "continuation line before any header");
            HeaderField& h = m.headers_.back();
            std::size_t e = line.contentEnd;
            while (e > p && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                --e;
            if (e > p) {
                if (h.value.length == 0) {
                    std::size_t b = p;
                    while (s[b] == ' ' || s[b] == '\t')
                        ++b;
                    h.value = {u32(b), u32(e - b)};
                } else {
                    h.value.length = u32(e - h.value.offset);
                }
                if (h.value.length > limits.maxLineLength)
                    return err(513, p, "header line longer than the limit");
            }
            p = line.next;
            continue;
        }
        if (line.contentEnd - p > limits.maxLineLength)
            return err(513, p, "header line longer than the limit");
        if (m.headers_.size() >= limits.maxHeaderCount) return err(513, p, "more headers than the limit");
        // header-name = token, then HCOLON = *( SP / HTAB ) ":" SWS, in one pass.
        std::size_t ne = p;
        while (ne < line.contentEnd && charset::is(s[ne], charset::kToken))
            ++ne;
        if (ne == p) return err(400, p, "malformed header name");
        std::size_t c = ne;
        while (c < line.contentEnd && (s[c] == ' ' || s[c] == '\t'))
            ++c;
        if (c >= line.contentEnd || s[c] != ':') {
            const bool colon = std::memchr(s.data() + c, ':', line.contentEnd - c) != nullptr;
            return err(400, p, colon ? "malformed header name" : "header line without ':'");
        }
        const std::string_view name = s.substr(p, ne - p);
        std::size_t vb = c + 1;
        while (vb < line.contentEnd && (s[vb] == ' ' || s[vb] == '\t'))
            ++vb;
        std::size_t ve = line.contentEnd;
        while (ve > vb && (s[ve - 1] == ' ' || s[ve - 1] == '\t'))
            --ve;
        HeaderField h;
        h.id = headerIdFromName(name);
        h.name = {u32(p), u32(name.size())};
        h.value = {u32(vb), u32(ve - vb)};
        if (h.id == HeaderId::ContentLength) {
            if (contentLength) return err(400, p, "Content-Length appears more than once");
            const std::string_view v = s.substr(vb, ve - vb);
            if (!v.empty() && v[0] == '-') return err(400, vb, "Content-Length: negative value");
            contentLength = contentLengthValue(v);
            if (!contentLength) return err(400, vb, "Content-Length: not a number");
        }
        m.headers_.push_back(h);
        p = line.next;
    }
    if (bodyStart == kNotFound) return err(400, p, "header section not terminated by an empty line");

    // ---- body (RFC 3261 §18.3)
    const std::size_t available = s.size() - bodyStart;
    std::size_t bodyLength = available;
    if (contentLength) {
        if (*contentLength > limits.maxMessageSize)
            return err(413, bodyStart, "Content-Length larger than the limit");
        if (*contentLength > available)
            return err(400, bodyStart, "Content-Length larger than the message body");
        bodyLength = *contentLength;
    } else if (framing == Framing::Stream) {
        return err(400, bodyStart, "Content-Length: required on stream transports");
    }
    m.body_ = {u32(bodyStart), u32(bodyLength)};
    m.text_.resize(bodyStart + bodyLength); // bytes after Content-Length are not this message's
    m.rawLength_ = u32(m.text_.size());
    return m;
}

Result<Message> parseMessage(std::string_view bytes, Framing framing, const Limits& limits)
{
    return MessageParser::parse(bytes, framing, limits);
}

// ---------------------------------------------------------------- StreamFramer

StreamFramer::Found StreamFramer::findHeader(std::string_view s)
{
    if (scan_ < start_) scan_ = start_;
    // Find the empty line that ends the header section, resuming where the last scan stopped.
    std::size_t headerEnd = std::string_view::npos;
    std::size_t i = scan_ > start_ + 3 ? scan_ - 3 : start_;
    while (i < s.size()) {
        const void* lf = std::memchr(s.data() + i, '\n', s.size() - i);
        if (!lf) break;
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(lf) - s.data());
        if (at + 1 < s.size() && s[at + 1] == '\n') {
            headerEnd = at + 2;
            break;
        }
        if (at + 2 < s.size() && s[at + 1] == '\r' && s[at + 2] == '\n') {
            headerEnd = at + 3;
            break;
        }
        i = at + 1;
    }
    if (headerEnd == std::string_view::npos) {
        scan_ = s.size();
        if (s.size() - start_ > limits_.maxMessageSize) {
            error_ = ParseError{513, s.size(), "header section larger than the limit"};
            return Found::Error;
        }
        return Found::NeedMore;
    }
    // Content-Length decides where the message ends; a full parse happens once it is all here.
    const std::string_view head = s.substr(start_, headerEnd - start_);
    std::optional<std::size_t> length;
    for (std::size_t p = 0; p < head.size();) {
        const Line line = lineAt(head, p);
        const auto colon = head.find(':', p);
        if (colon != std::string_view::npos && colon < line.contentEnd) {
            std::string_view name = head.substr(p, colon - p);
            while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                name.remove_suffix(1);
            if (headerIdFromName(name) == HeaderId::ContentLength) {
                std::string_view v = head.substr(colon + 1, line.contentEnd - colon - 1);
                while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
                    v.remove_prefix(1);
                length = contentLengthValue(v);
                if (!length) {
                    error_ = ParseError{400, start_ + colon, "Content-Length: not a number"};
                    return Found::Error;
                }
                break;
            }
        }
        p = line.next;
    }
    if (!length) {
        error_ = ParseError{400, start_, "Content-Length: required on stream transports"};
        return Found::Error;
    }
    if (*length > limits_.maxMessageSize || head.size() + *length > limits_.maxMessageSize) {
        error_ = ParseError{513, start_, "message larger than the limit"};
        return Found::Error;
    }
    headerEnd_ = headerEnd;
    bodyLength_ = *length;
    return Found::Header;
}

bool StreamFramer::feed(std::string_view bytes)
{
    if (error_) return false;
    // Compact the buffer once consumed bytes dominate, so memory stays bounded by one message.
    if (start_ > 0 && start_ * 2 >= buffer_.size()) {
        buffer_.erase(0, start_);
        scan_ = scan_ > start_ ? scan_ - start_ : 0;
        if (headerEnd_ != 0) headerEnd_ -= start_;
        start_ = 0;
    }
    buffer_.append(bytes);
    return true;
}

std::optional<Result<Message>> StreamFramer::next()
{
    if (error_) return Result<Message>(*error_);
    const std::string_view s(buffer_);
    // Keep-alives between messages (RFC 5626 §3.5.1): "\r\n\r\n" pings and "\r\n" pongs.
    while (start_ < s.size() && (s[start_] == '\r' || s[start_] == '\n')) {
        if (s.compare(start_, 4, "\r\n\r\n") == 0) {
            ++keepAlives_;
            start_ += 4;
        } else if (s.size() - start_ < 4 && s.find_first_not_of("\r\n", start_) == std::string_view::npos) {
            return std::nullopt; // wait: the rest of a ping may follow
        } else if (s.compare(start_, 2, "\r\n") == 0) {
            start_ += 2;
        } else {
            ++start_;
        }
    }
    if (headerEnd_ == 0) {
        const Found found = findHeader(s);
        if (found == Found::Error) return Result<Message>(*error_);
        if (found == Found::NeedMore) return std::nullopt;
    }
    if (s.size() - headerEnd_ < bodyLength_) return std::nullopt;
    const std::string_view whole = s.substr(start_, headerEnd_ - start_ + bodyLength_);
    auto msg = parseMessage(whole, Framing::Stream, limits_);
    start_ += whole.size();
    scan_ = start_;
    headerEnd_ = 0;
    bodyLength_ = 0;
    if (!msg) {
        error_ = msg.error();
        return Result<Message>(*error_);
    }
    return msg;
}

} // namespace vphone::sip
