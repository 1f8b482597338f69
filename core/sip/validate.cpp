// Request and response checks a UA performs before acting (RFC 3261 §8.2, §8.1.3).
//
// Order follows §8.2: first what makes the message unusable (version, the headers every
// request needs, their syntax), then method inspection (501/405), header inspection (416,
// 420), content processing (415) and Accept (406). The reason phrase of a 400 names the header
// at fault, so a peer's log says what to fix.
#include "validate.h"

#include "charset.h"
#include "parser.h"

#include <algorithm>
#include <array>

namespace vphone::sip {

namespace {

Verdict reject(int status, std::string detail = {})
{
    Verdict v;
    v.action = Verdict::Action::Reject;
    v.status = status;
    v.reason = std::string(reasonPhrase(status));
    if (!detail.empty()) v.reason += " (" + detail + ")";
    return v;
}

Verdict drop(std::string why)
{
    Verdict v;
    v.action = Verdict::Action::Drop;
    v.reason = std::move(why);
    return v;
}

/// Headers every request and response needs (RFC 3261 §8.1.1); Max-Forwards is left out for
/// RFC 2543 peers (§8.1.1.6 is a MUST for senders, not a reason to refuse).
constexpr std::array kMandatory{HeaderId::To, HeaderId::From, HeaderId::CSeq, HeaderId::CallId,
                                HeaderId::Via};

/// Headers that must not appear twice: framing or dialog identity depends on them.
constexpr std::array kUnique{HeaderId::To,          HeaderId::From,        HeaderId::CSeq,
                             HeaderId::CallId,      HeaderId::MaxForwards, HeaderId::ContentLength,
                             HeaderId::ContentType, HeaderId::Expires,     HeaderId::MinExpires,
                             HeaderId::RSeq,        HeaderId::RAck,        HeaderId::SessionExpires};

std::string missingOrDuplicate(const Message& m)
{
    for (HeaderId id : kMandatory) {
        if (!m.find(id)) return std::string(headerName(id)) + " header missing";
    }
    for (HeaderId id : kUnique) {
        if (m.count(id) > 1) return std::string(headerName(id)) + " header appears more than once";
    }
    return {};
}

bool validCallId(std::string_view id)
{
    // callid = word [ "@" word ]
    const auto at = id.find('@');
    if (at == std::string_view::npos) return charset::all(id, charset::kWord);
    return charset::all(id.substr(0, at), charset::kWord) && charset::all(id.substr(at + 1), charset::kWord);
}

/// Syntax of the headers the dialog and transaction layers read. Empty string when all good.
std::string headerSyntax(const Message& m)
{
    auto vias = m.vias();
    if (!vias) return vias.error().what;
    auto from = m.from();
    if (!from) return from.error().what;
    auto to = m.to();
    if (!to) return to.error().what;
    if (!validCallId(trimLws(*m.callId()))) return "Call-ID: not a word[@word]";
    if (m.find(HeaderId::MaxForwards)) {
        auto mf = m.maxForwards();
        if (!mf) return mf.error().what;
    }
    if (m.find(HeaderId::Contact)) {
        auto c = m.contacts();
        if (!c) return c.error().what;
    }
    if (m.find(HeaderId::Expires)) {
        auto e = m.expires();
        if (!e) return e.error().what;
    }
    for (HeaderId id : {HeaderId::Route, HeaderId::RecordRoute}) {
        if (m.find(id)) {
            auto r = m.routes(id);
            if (!r) return r.error().what;
        }
    }
    if (m.find(HeaderId::ContentType)) {
        auto ct = m.contentType();
        if (!ct) return ct.error().what;
    }
    return {};
}

bool isAllowed(const UaCapabilities& caps, Method method)
{
    return std::find(caps.allowed.begin(), caps.allowed.end(), method) != caps.allowed.end();
}

} // namespace

std::string UaCapabilities::allowHeader() const
{
    std::string out;
    for (Method m : allowed) {
        if (!out.empty()) out += ", ";
        out += methodName(m);
    }
    return out;
}

Verdict validateRequest(const Message& request, const UaCapabilities& caps)
{
    if (!request.isRequest()) return drop("not a request");
    // §8.2: 505 for a version we do not speak.
    if (!charset::iequals(request.version(), "SIP/2.0")) return reject(505);
    if (auto problem = missingOrDuplicate(request); !problem.empty()) return reject(400, problem);
    auto cseq = request.cseq();
    if (!cseq) return reject(400, cseq.error().what);

    // §8.2.1 method inspection.
    if (request.method() == Method::Extension) {
        Verdict v = reject(501);
        v.extraHeaders.push_back("Allow: " + caps.allowHeader());
        return v;
    }
    if (!isAllowed(caps, request.method())) {
        Verdict v = reject(405);
        v.extraHeaders.push_back("Allow: " + caps.allowHeader());
        return v;
    }
    if (cseq->methodText != request.methodText())
        return reject(400, "CSeq method does not match the Request-Line");
    if (auto problem = headerSyntax(request); !problem.empty()) return reject(400, problem);

    // §8.2.2.1 Request-URI.
    auto uri = request.requestUri();
    if (!uri) {
        return reject(400, "Request-URI: " + uri.error().what);
    }
    if (uri->scheme == UriScheme::Other) return reject(416, "scheme '" + uri->schemeText + "'");
    if ((uri->scheme == UriScheme::Sip || uri->scheme == UriScheme::Sips) && !uri->headers.empty()) {
        // §19.1.1: headers are not allowed in a Request-URI.
        return reject(400, "Request-URI: headers are not allowed");
    }

    // §8.2.2.3 Require (not applied to ACK and CANCEL, which cannot be refused).
    if (request.method() != Method::Ack && request.method() != Method::Cancel) {
        std::string unsupported;
        for (auto tag : request.values(HeaderId::Require)) {
            if (tag.empty()) continue;
            const bool known = std::any_of(caps.supportedOptions.begin(), caps.supportedOptions.end(),
                                           [&](const std::string& s) { return charset::iequals(s, tag); });
            if (!known) {
                if (!unsupported.empty()) unsupported += ", ";
                unsupported.append(tag);
            }
        }
        if (!unsupported.empty()) {
            Verdict v = reject(420);
            v.extraHeaders.push_back("Unsupported: " + unsupported);
            return v;
        }
    }

    // §8.2.3 content processing.
    if (!request.body().empty() || request.find(HeaderId::ContentType)) {
        if (!request.find(HeaderId::ContentType)) return reject(400, "Content-Type missing for a body");
        auto ct = request.contentType();
        const bool accepted =
            std::any_of(caps.acceptedBodies.begin(), caps.acceptedBodies.end(), [&](const std::string& t) {
                const auto slash = t.find('/');
                return ct->is(std::string_view(t).substr(0, slash), std::string_view(t).substr(slash + 1));
            });
        if (!accepted) {
            Verdict v = reject(415);
            std::string accept;
            for (const auto& t : caps.acceptedBodies) {
                if (!accept.empty()) accept += ", ";
                accept += t;
            }
            v.extraHeaders.push_back("Accept: " + accept);
            return v;
        }
        for (auto enc : request.values(HeaderId::ContentEncoding)) {
            if (!enc.empty() && !charset::iequals(enc, "identity")) {
                Verdict v = reject(415, "Content-Encoding " + std::string(enc));
                v.extraHeaders.push_back("Accept-Encoding: identity");
                return v;
            }
        }
    }

    // An INVITE whose Accept excludes SDP cannot get an answer we can write (§21.4.7).
    if (request.method() == Method::Invite && request.find(HeaderId::Accept)) {
        bool sdp = false;
        for (auto v : request.values(HeaderId::Accept)) {
            if (v.empty()) continue;
            auto mt = parseMediaType(v);
            if (!mt) return reject(400, "Accept: " + mt.error().what);
            if (mt->is("application", "sdp")) sdp = true;
        }
        if (!sdp) {
            Verdict v = reject(406);
            v.extraHeaders.push_back("Accept: application/sdp");
            return v;
        }
    }
    return Verdict::accept();
}

Verdict validateResponse(const Message& response)
{
    if (!response.isResponse()) return drop("not a response");
    if (!charset::iequals(response.version(), "SIP/2.0")) return drop("SIP version is not 2.0");
    if (response.status() < 100 || response.status() > 699) return drop("status code out of range");
    if (auto problem = missingOrDuplicate(response); !problem.empty()) return drop(problem);
    auto cseq = response.cseq();
    if (!cseq) return drop(cseq.error().what);
    if (auto problem = headerSyntax(response); !problem.empty()) return drop(problem);
    if (auto ra = response.get(HeaderId::RetryAfter)) {
        auto r = parseRetryAfter(*ra);
        if (!r) return drop(r.error().what);
    }
    for (auto w : response.values(HeaderId::Warning)) {
        auto r = parseWarning(w);
        if (!r) return drop(r.error().what);
    }
    // §8.1.3.3: a response with more than one Via was meant for someone else.
    if (response.values(HeaderId::Via).size() > 1) return drop("more than one Via in a response");
    return Verdict::accept();
}

Verdict checkDatagram(std::string_view bytes, const UaCapabilities& caps)
{
    auto msg = parseMessage(bytes, Framing::Datagram);
    if (!msg) {
        std::size_t p = 0;
        while (p < bytes.size() && (bytes[p] == '\r' || bytes[p] == '\n'))
            ++p;
        if (charset::iequals(bytes.substr(p, 4), "SIP/")) return drop(msg.error().what);
        return reject(msg.error().status, msg.error().what);
    }
    return msg->isRequest() ? validateRequest(*msg, caps) : validateResponse(*msg);
}

std::string verdictLine(std::string_view bytes, Framing framing, const UaCapabilities& caps, std::string* why)
{
    Result<Message> msg = ParseError{};
    if (framing == Framing::Stream) {
        StreamFramer framer;
        framer.feed(bytes);
        auto next = framer.next();
        msg = next ? std::move(*next) : Result<Message>(ParseError{400, bytes.size(), "incomplete message"});
    } else {
        msg = parseMessage(bytes, Framing::Datagram);
    }
    if (!msg) {
        if (why) *why = msg.error().what + " at byte " + std::to_string(msg.error().offset);
        std::size_t p = 0;
        while (p < bytes.size() && (bytes[p] == '\r' || bytes[p] == '\n'))
            ++p;
        if (charset::iequals(bytes.substr(p, 4), "SIP/")) return "DROP";
        const Verdict v = reject(msg.error().status, msg.error().what);
        return "REJECT " + std::to_string(v.status) + " " + v.reason;
    }
    const Verdict v = msg->isRequest() ? validateRequest(*msg, caps) : validateResponse(*msg);
    switch (v.action) {
    case Verdict::Action::Accept:
        return msg->isRequest() ? "OK " + std::string(msg->methodText())
                                : "OK " + std::to_string(msg->status());
    case Verdict::Action::Reject: return "REJECT " + std::to_string(v.status) + " " + v.reason;
    case Verdict::Action::Drop:
    case Verdict::Action::Invalid: break;
    }
    if (why) *why = v.reason;
    return "DROP";
}

std::string_view reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 202: return "Accepted";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 305: return "Use Proxy";
    case 380: return "Alternative Service";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 412: return "Conditional Request Failed";
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 420: return "Bad Extension";
    case 421: return "Extension Required";
    case 422: return "Session Interval Too Small";
    case 423: return "Interval Too Brief";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 485: return "Ambiguous";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";
    case 491: return "Request Pending";
    case 493: return "Undecipherable";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    default: break;
    }
    if (status >= 100 && status < 200) return "Progress";
    if (status >= 200 && status < 300) return "Success";
    if (status >= 300 && status < 400) return "Redirection";
    if (status >= 400 && status < 500) return "Client Error";
    if (status >= 500 && status < 600) return "Server Error";
    return "Global Failure";
}

} // namespace vphone::sip
