// libFuzzer target: one UDP datagram through parseMessage, every typed accessor, serialize and
// re-parse, and the UA checks (validateRequest / validateResponse / checkDatagram).
//
// Invariants checked (a violation aborts, so libFuzzer keeps the input):
// - a message that parsed serialises to text that parses again (Content-Length is always
//   written, so as a stream message too), with the same kind, start line, header ids and
//   values (Content-Length aside, line folds as one SP) and body;
// - serialising is idempotent: serialize(parse(serialize(m))) == serialize(m).
// The re-parse uses generous Limits: canonical spelling ("Name: value", a computed
// Content-Length) may make the text a little longer than what arrived.
#include "sip/multipart.h"
#include "sip/parser.h"
#include "sip/validate.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace vphone::sip;

namespace {

/// Keeps the optimiser from dropping a computed value; reads every byte of a string.
volatile std::size_t gSink = 0;

void touch(std::string_view s)
{
    std::size_t h = s.size();
    for (char c : s)
        h = h * 31 + static_cast<unsigned char>(c);
    gSink = gSink + h;
}

void touch(const std::vector<Param>& params)
{
    for (const auto& p : params) {
        touch(p.name);
        if (p.value) touch(*p.value);
    }
}

[[noreturn]] void fail(const char* what, std::string_view text)
{
    std::fprintf(stderr, "invariant broken: %s\n--- text (%zu bytes) ---\n%.*s\n---\n", what, text.size(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
}

void exercise(const Uri& uri)
{
    touch(uri.toString());
    touch(uri.hostPort());
    touch(uri.user);
    touch(uri.params);
    touch(uri.headers);
    if (auto t = uri.param("transport")) touch(*t);
    gSink = gSink + uri.equivalent(uri);
    if (auto u = unescape(uri.user)) touch(*u);
    if (auto again = parseUri(uri.toString()); again.ok()) gSink = gSink + again->equivalent(uri);
}

void exercise(const NameAddr& na)
{
    touch(na.toString());
    touch(na.tag());
    touch(na.params);
    exercise(na.uri);
    if (auto q = contactQ(na); q.ok()) gSink = gSink + static_cast<std::size_t>(*q);
}

void exercise(const Via& via)
{
    touch(via.toString());
    touch(via.branch());
    touch(via.host);
    if (auto r = via.received()) touch(*r);
    if (auto m = via.maddr()) touch(*m);
    if (auto t = via.ttl()) gSink = gSink + *t;
    gSink = gSink + via.hasRport();
    if (auto p = via.rport()) gSink = gSink + *p;
    touch(via.params);
}

/// Runs the parser of each header's type over each of its values.
void exerciseHeaderValues(const Message& m)
{
    for (const auto& h : m.headers()) {
        const std::string_view name = m.name(h);
        const std::string_view value = m.value(h);
        touch(name);
        touch(trimLws(value));
        touch(firstOfList(value));
        gSink = gSink + static_cast<std::size_t>(headerShape(h.id));
        if (h.id != HeaderId::Other && headerIdFromName(name) != h.id)
            fail("header id does not match its name", name);
        switch (h.id) {
        case HeaderId::Via:
            for (auto v : splitList(value)) {
                if (auto via = parseVia(trimLws(v)); via.ok()) exercise(*via);
            }
            break;
        case HeaderId::From:
        case HeaderId::To:
        case HeaderId::ReferTo:
        case HeaderId::ReferredBy:
        case HeaderId::ReplyTo:
        case HeaderId::PAssertedIdentity:
        case HeaderId::PPreferredIdentity:
        case HeaderId::Route:
        case HeaderId::RecordRoute:
        case HeaderId::Contact:
            for (auto v : splitList(value)) {
                if (auto na = parseNameAddr(trimLws(v)); na.ok()) exercise(*na);
            }
            break;
        case HeaderId::CSeq:
            if (auto c = parseCSeq(value); c.ok()) touch(c->methodText);
            break;
        case HeaderId::MaxForwards: (void)parseMaxForwards(value); break;
        case HeaderId::Expires:
        case HeaderId::MinExpires:
        case HeaderId::ContentLength:
        case HeaderId::RSeq: (void)parseUint32(value, name); break;
        case HeaderId::ContentType:
        case HeaderId::Accept:
            for (auto v : splitList(value)) {
                if (auto mt = parseMediaType(trimLws(v)); mt.ok()) {
                    touch(mt->toString());
                    gSink = gSink + mt->is("multipart", "*");
                }
            }
            break;
        case HeaderId::ContentDisposition:
        case HeaderId::Event:
        case HeaderId::SubscriptionState:
        case HeaderId::Reason:
            if (auto tp = parseTokenParams(value, name); tp.ok()) touch(tp->params);
            break;
        case HeaderId::WwwAuthenticate:
        case HeaderId::ProxyAuthenticate:
        case HeaderId::Authorization:
        case HeaderId::ProxyAuthorization:
        case HeaderId::AuthenticationInfo:
            if (auto a = parseAuth(value, name); a.ok()) {
                touch(a->scheme);
                touch(a->params);
                if (auto n = a->param("nonce")) touch(*n);
            }
            break;
        case HeaderId::SessionExpires: (void)parseSessionExpires(value); break;
        case HeaderId::RAck: (void)parseRAck(value); break;
        case HeaderId::RetryAfter: (void)parseRetryAfter(value); break;
        case HeaderId::Replaces:
            if (auto r = parseReplaces(value); r.ok()) touch(r->callId);
            break;
        case HeaderId::Warning:
            for (auto v : splitList(value)) {
                if (auto w = parseWarning(trimLws(v)); w.ok()) touch(w->text);
            }
            break;
        default: break;
        }
    }
}

/// Every typed accessor of Message.
void exercise(const Message& m)
{
    touch(m.methodText());
    touch(m.requestUriText());
    touch(m.version());
    touch(m.reason());
    touch(m.body());
    touch(m.raw());
    touch(methodName(m.method()));
    gSink = gSink + static_cast<std::size_t>(m.status());
    if (m.isRequest()) {
        if (auto uri = m.requestUri(); uri.ok()) exercise(*uri);
    }
    if (auto via = m.topVia(); via.ok()) exercise(*via);
    if (auto vias = m.vias(); vias.ok()) {
        for (const auto& v : *vias)
            exercise(v);
    }
    if (auto from = m.from(); from.ok()) exercise(*from);
    if (auto to = m.to(); to.ok()) exercise(*to);
    if (auto id = m.callId()) touch(*id);
    if (auto cseq = m.cseq(); cseq.ok()) touch(cseq->methodText);
    if (auto mf = m.maxForwards(); mf.ok()) gSink = gSink + *mf;
    if (auto contacts = m.contacts(); contacts.ok()) {
        for (const auto& c : contacts->contacts)
            exercise(c);
    }
    for (HeaderId id : {HeaderId::Route, HeaderId::RecordRoute}) {
        if (auto routes = m.routes(id); routes.ok()) {
            for (const auto& r : *routes)
                exercise(r);
        }
    }
    if (auto ct = m.contentType(); ct.ok()) {
        touch(ct->toString());
        // A multipart body goes through the multipart parser with its own boundary.
        if (auto boundary = ct->param("boundary"); boundary && ct->is("multipart", "*")) {
            if (auto parts = parseMultipart(m.body(), *boundary); parts.ok()) {
                for (const auto& p : *parts)
                    touch(p.header("Content-Type"));
            }
        }
    }
    if (auto ex = m.expires(); ex.ok()) gSink = gSink + *ex;
    if (auto cl = m.contentLengthHeader()) gSink = gSink + *cl;
    for (int i = 0; i < static_cast<int>(HeaderId::Count_); ++i) {
        const auto id = static_cast<HeaderId>(i);
        gSink = gSink + m.count(id);
        if (auto v = m.get(id)) touch(*v);
        if (headerShape(id) == HeaderShape::List) {
            for (auto v : m.values(id))
                touch(v);
        }
    }
    for (const auto& h : m.headers()) {
        if (auto v = m.get(m.name(h))) touch(*v);
    }
    exerciseHeaderValues(m);
}

/// A header value with every run of SP, HTAB, CR and LF as one SP and none at either end:
/// serialize() writes each line fold as SP (RFC 3261 §7.3.1), and LWS is equivalent to one SP.
std::string unfold(std::string_view v)
{
    std::string out;
    bool inLws = false;
    for (char c : v) {
        const bool lws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        if (!lws)
            out += c;
        else if (!inLws)
            out += ' ';
        inLws = lws;
    }
    // Value spans exclude the whitespace around them, so after re-parsing a trailing LWS is gone.
    if (!out.empty() && out.back() == ' ') out.pop_back();
    if (!out.empty() && out.front() == ' ') out.erase(0, 1);
    return out;
}

/// Same header ids and (unfolded) values in the same order, Content-Length aside
/// (serialize() computes it).
bool sameHeaders(const Message& a, const Message& b)
{
    std::vector<const HeaderField*> ha, hb;
    for (const auto& h : a.headers()) {
        if (h.id != HeaderId::ContentLength) ha.push_back(&h);
    }
    for (const auto& h : b.headers()) {
        if (h.id != HeaderId::ContentLength) hb.push_back(&h);
    }
    if (ha.size() != hb.size()) return false;
    for (std::size_t i = 0; i < ha.size(); ++i) {
        if (ha[i]->id != hb[i]->id || unfold(a.value(*ha[i])) != unfold(b.value(*hb[i]))) return false;
    }
    return true;
}

void checkRoundTrip(const Message& m)
{
    const std::string text = m.serialize();
    Limits roomy;
    roomy.maxMessageSize = text.size() + 1;
    roomy.maxHeaderCount = m.headers().size() + 2;
    roomy.maxLineLength = text.size() + 1;
    for (Framing framing : {Framing::Datagram, Framing::Stream}) {
        auto again = parseMessage(text, framing, roomy);
        if (!again.ok()) {
            std::fprintf(stderr, "re-parse error: %d at %zu: %s\n", again.error().status,
                         again.error().offset, again.error().what.c_str());
            fail("serialize() output does not parse", text);
        }
        if (again->kind() != m.kind() || again->method() != m.method() || again->status() != m.status()) {
            fail("start line changed by serialize()", text);
        }
        if (again->methodText() != m.methodText() || again->requestUriText() != m.requestUriText()) {
            fail("Request-Line text changed by serialize()", text);
        }
        if (!sameHeaders(m, *again)) fail("headers changed by serialize()", text);
        if (again->body() != m.body()) fail("body changed by serialize()", text);
        if (again->serialize() != text) fail("serialize() is not idempotent", text);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto parsed = parseMessage(bytes, Framing::Datagram);
    if (parsed.ok()) {
        const Message& m = *parsed;
        exercise(m);
        if (m.isRequest()) {
            touch(validateRequest(m).reason);
        } else {
            touch(validateResponse(m).reason);
        }
        checkRoundTrip(m);
    } else {
        touch(parsed.error().what);
        if (parsed.error().offset > size) fail("error offset past the end of the input", bytes);
    }
    const Verdict v = checkDatagram(bytes);
    touch(v.reason);
    for (const auto& h : v.extraHeaders)
        touch(h);
    touch(reasonPhrase(v.status));
    std::string why;
    touch(verdictLine(bytes, Framing::Datagram, {}, &why));
    touch(why);
    return 0;
}
