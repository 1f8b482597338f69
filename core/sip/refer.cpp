// Call transfer: REFER (RFC 3515) with Referred-By (RFC 3892) and, for an attended transfer,
// a Replaces header inside the Refer-To URI (RFC 3891 §6.1). Part of UserAgent::Impl
// (user_agent_impl.h).
//
// Theory of operation. Transferor: refer() sends REFER in a confirmed call's dialog and keeps a
// ReferOut holding the dialog identifiers and the REFER's CSeq (the implicit subscription's
// Event id). Its response is reported as a ReferProgress (referResponse set: 202 not final, a
// failure final; 401/407 answered once with the credentials). Each NOTIFY with Event: refer in
// that dialog is answered 200 and its message/sipfrag status line becomes a ReferProgress; a
// final status or Subscription-State: terminated makes it final. The ReferOut outlives the
// call (the transferor usually hangs up on the 2xx NOTIFY and the terminating NOTIFY may come
// after its BYE) and is dropped when the subscription ends, or after kReferLifetime.
// Transferee: a REFER in a confirmed dialog is checked (one Refer-To, of scheme sip, sips or
// tel, a well-formed Replaces), answered 202 and reported as ReferReceived; a ReferIn keeps the
// subscription (with a copy of the dialog taken when the call ends, so NOTIFYs can still go)
// and the first NOTIFY says "100 Trying" at once (RFC 6665 §4.2.1). notifyRefer() sends the
// later ones, one in flight at a time (the newest status waits; a final one is never dropped).
// A NOTIFY for a refer subscription we do not have gets 481. A REFER outside a dialog gets 403,
// unless we are a conference's focus and it comes from one of its members (RFC 4579 §5.5: From
// or Contact matching a confirmed focus call's peer): then the REFER makes a dialog of its own
// (our To tag in the 202) whose NOTIFYs carry the progress, and ReferReceived names the member's
// call with `outOfDialog` set. With setReferFromAnyone() a focus takes it from anyone (call 0).
#include "user_agent_impl.h"

#include "charset.h"

#include <algorithm>
#include <cctype>

namespace vphone::sip {

using namespace std::chrono_literals;

namespace {

/// How long a refer subscription lives without reaching its end (either role).
constexpr std::chrono::seconds kReferLifetime{300};
/// Refer subscriptions we serve at once (transferee); more REFERs get 503.
constexpr std::size_t kMaxRefersIn = 32;

bool schemeAllowed(UriScheme s)
{
    return s == UriScheme::Sip || s == UriScheme::Sips || s == UriScheme::Tel;
}

/// RFC 3261 §25.1 hvalue: unreserved and hnv-unreserved characters stay, the rest is escaped.
std::string escapeHeaderValue(std::string_view value)
{
    static constexpr std::string_view kKeep = "-_.!~*'()[]/?:+$";
    std::string out;
    for (unsigned char ch : value) {
        if (std::isalnum(ch) || kKeep.find(static_cast<char>(ch)) != std::string_view::npos) {
            out += static_cast<char>(ch);
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

/// The scheme of a Refer-To value that did not parse ("<http://x>" -> "http"); empty if none.
std::string schemeOf(std::string_view value)
{
    const auto open = value.find('<');
    std::string_view inner = open == std::string_view::npos ? value : value.substr(open + 1);
    inner = trimLws(inner);
    const auto colon = inner.find(':');
    if (colon == std::string_view::npos || colon == 0) return {};
    std::string scheme(inner.substr(0, colon));
    for (char ch : scheme) {
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '+' && ch != '-' && ch != '.') return {};
    }
    return scheme;
}

/// The status line of a message/sipfrag body (RFC 3420): "SIP/2.0 180 Ringing".
std::pair<int, std::string> sipfragStatus(std::string_view body)
{
    const auto eol = body.find_first_of("\r\n");
    std::string_view line = body.substr(0, eol);
    if (line.size() < 11 || !charset::iequals(line.substr(0, 8), "SIP/2.0 ")) return {0, {}};
    int code = 0;
    for (std::size_t i = 8; i < 11; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(line[i]))) return {0, {}};
        code = code * 10 + (line[i] - '0');
    }
    if (code < 100 || code > 699) return {0, {}};
    return {code, std::string(trimLws(line.substr(11)))};
}

std::string packageOf(std::string_view event)
{
    std::string out(trimLws(event.substr(0, event.find(';'))));
    for (char& ch : out) {
        ch = charset::toLower(ch);
    }
    return out;
}

} // namespace

// ---------------------------------------------------------------- transferor

void UserAgent::Impl::refer(CallHandle handle, const Uri& referTo, std::string replaces, TimePoint now)
{
    auto fail = [&](int code, std::string reason) {
        events.emplace_back(ReferProgress{handle, code, std::move(reason), true, true});
    };
    auto it = calls.find(handle);
    if (it == calls.end() || !it->second.dialog || !it->second.dialog->confirmed || it->second.ending) {
        fail(481, "no confirmed call to transfer");
        return;
    }
    if (!schemeAllowed(referTo.scheme)) {
        fail(0, "the transfer target must be a sip, sips or tel URI");
        return;
    }
    Uri target = referTo;
    target.password.reset();
    if (!replaces.empty()) {
        if (!parseReplaces(replaces) || target.scheme == UriScheme::Tel) {
            fail(0, "bad Replaces value for an attended transfer");
            return;
        }
        std::erase_if(target.headers, [](const Param& p) { return charset::iequals(p.name, "Replaces"); });
        target.headers.push_back(Param{"Replaces", escapeHeaderValue(replaces)});
    }
    Dialog& d = *it->second.dialog;
    ClientRequest cr;
    cr.purpose = Purpose::Refer;
    cr.call = handle;
    cr.request = dialogRequest(d, Method::Refer, cr.peer);
    cr.request.addHeader(HeaderId::Contact, contact(cr.peer.transport));
    cr.request.addHeader(HeaderId::ReferTo, "<" + target.toString() + ">");
    cr.request.addHeader(HeaderId::ReferredBy, identity());
    ReferOut r;
    r.call = handle;
    r.cseq = d.localSeq;
    r.callId = d.callId;
    r.localTag = d.localTag;
    r.remoteTag = d.remoteTag;
    r.giveUpAt = now + kReferLifetime;
    r.tx = sendClient(std::move(cr), now);
    if (!r.tx) {
        fail(0, "REFER could not be sent");
        return;
    }
    refersOut.push_back(std::move(r));
}

void UserAgent::Impl::onReferResponse(TransactionId id, ClientRequest& cr, const Message* response,
                                      TimePoint now)
{
    auto r = std::find_if(refersOut.begin(), refersOut.end(), [id](const ReferOut& o) { return o.tx == id; });
    if (r == refersOut.end()) return;
    const int status = response ? response->status() : 408;
    if (status == 401 || status == 407) {
        if (const TransactionId again = retryWithAuth(cr, *response, now)) {
            r->tx = again;
            if (auto cseq = clients[again].request.cseq()) {
                r->cseq = cseq->sequence;
                auto c = calls.find(r->call);
                if (c != calls.end() && c->second.dialog)
                    c->second.dialog->localSeq = std::max(c->second.dialog->localSeq, cseq->sequence);
            }
            return;
        }
    }
    r->tx = 0;
    std::string reason(response ? response->reason() : std::string_view("Request Timeout"));
    if (status / 100 == 2) {
        r->accepted = true;
        events.emplace_back(ReferProgress{r->call, status, std::move(reason), false, true});
        return;
    }
    if (!r->finalReported) events.emplace_back(ReferProgress{r->call, status, std::move(reason), true, true});
    refersOut.erase(r);
}

bool UserAgent::Impl::onReferNotify(RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    const auto eventValue = request.get(HeaderId::Event);
    if (!eventValue || packageOf(*eventValue) != "refer") return false;
    const auto from = request.fromView();
    const auto to = request.toView();
    const auto callId = request.callId();
    const auto cseq = request.cseq();
    const auto stateValue = request.get(HeaderId::SubscriptionState);
    const auto event = parseTokenParams(*eventValue, "Event");
    const auto state = stateValue ? parseTokenParams(*stateValue, "Subscription-State") : event;
    if (!from || !to || !callId || !cseq || !stateValue || !event || !state) {
        reply(in.id, request, 400, now); // RFC 6665 §8.2.1: Event and Subscription-State needed
        return true;
    }
    std::optional<std::uint32_t> eventId;
    if (auto idText = event->param("id")) {
        auto n = parseUint32(*idText, "Event");
        if (!n) {
            reply(in.id, request, 400, now);
            return true;
        }
        eventId = *n;
    }
    auto r = std::find_if(refersOut.begin(), refersOut.end(), [&](const ReferOut& o) {
        return o.callId == *callId && o.localTag == to->tag && o.remoteTag == from->tag &&
               (!eventId || *eventId == o.cseq);
    });
    if (r == refersOut.end()) {
        reply(in.id, request, 481, now); // no such subscription
        return true;
    }
    // §12.2.2 ordering, in the call's dialog while it lasts.
    Call* c = findCall(*callId, to->tag, from->tag);
    std::optional<std::uint32_t>& remoteSeq = (c && c->dialog) ? c->dialog->remoteSeq : r->remoteSeq;
    if (remoteSeq && cseq->sequence < *remoteSeq) {
        reply(in.id, request, 500, now);
        return true;
    }
    remoteSeq = cseq->sequence;
    reply(in.id, request, 200, now);
    const bool terminated = charset::iequals(state->token, "terminated");
    auto [code, reason] = sipfragStatus(request.body());
    const bool final = terminated || code >= 200;
    if (!r->finalReported && (code != 0 || final)) {
        if (code == 0) reason = "subscription ended without a final status";
        events.emplace_back(ReferProgress{r->call, code, std::move(reason), final, false});
        r->finalReported = final;
    }
    if (terminated) refersOut.erase(r);
    return true;
}

// ---------------------------------------------------------------- transferee

/// RFC 4579 §5.5: the confirmed call of our conference (we are its focus) whose peer sent
/// `request` outside any dialog: its From is the call's remote party, or its Contact the call's
/// remote target. Nullptr when the sender is no member.
Call* UserAgent::Impl::conferenceMemberOf(const Message& request)
{
    const auto from = request.from();
    const auto contactUri = request.contactUri();
    for (auto& [handle, c] : calls) {
        if (!c.focus || c.ending || !c.dialog || !c.dialog->confirmed) continue;
        const auto party = parseNameAddr(c.dialog->remoteParty);
        if ((from && party && party->uri.equivalent(from->uri)) ||
            (contactUri && c.dialog->remoteTarget.equivalent(*contactUri)))
            return &c;
    }
    return nullptr;
}

void UserAgent::Impl::onReferOutOfDialog(RequestReceived& in, TimePoint now)
{
    // RFC 4579 §5.5: a REFER to the focus adds (or, method=BYE, removes) someone. A softphone's
    // focus takes it from a member of its conference only; anyone else gets the 403.
    Call* member = conferenceMemberOf(in.request);
    const bool focus = focusNewCalls || std::any_of(calls.begin(), calls.end(), [](const auto& c) {
                           return c.second.focus && c.second.dialog && !c.second.ending;
                       });
    if (member || (referFromAnyone && focus)) {
        const std::string tag = token();
        if (auto dialog = dialogAsUas(in.request, tag)) {
            dialog->confirmed = true; // RFC 3515 §2.4.4: the REFER's 202 makes the dialog
            acceptRefer(member ? member->handle : 0, std::move(*dialog), tag, true, in, now);
            return;
        }
    }
    Message r = Message::response(403, "REFER outside a dialog is not accepted");
    const Message built = newResponse(in.request, 403, token());
    for (const auto& h : built.headers()) {
        r.addHeader(built.name(h), built.value(h));
    }
    layer.sendResponse(in.id, std::move(r), now);
}

void UserAgent::Impl::onRefer(Call& c, RequestReceived& in, TimePoint now)
{
    acceptRefer(c.handle, *c.dialog, {}, false, in, now);
}

void UserAgent::Impl::acceptRefer(CallHandle call, Dialog dialog, std::string_view toTag, bool outOfDialog,
                                  RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    auto refuse = [&](int status, std::string_view reason) {
        Message r = Message::response(status, reason);
        const Message built = newResponse(request, status, toTag);
        for (const auto& h : built.headers()) {
            r.addHeader(built.name(h), built.value(h));
        }
        layer.sendResponse(in.id, std::move(r), now);
    };
    const std::size_t lines = request.count(HeaderId::ReferTo);
    if (lines == 0) {
        refuse(400, "Missing Refer-To");
        return;
    }
    if (lines > 1 || request.values(HeaderId::ReferTo).size() > 1) {
        refuse(400, "Several Refer-To");
        return;
    }
    const std::string_view value = *request.get(HeaderId::ReferTo);
    auto referTo = parseNameAddr(value);
    if (!referTo || !schemeAllowed(referTo->uri.scheme)) {
        const std::string scheme = referTo ? referTo->uri.schemeText : schemeOf(value);
        if (scheme.empty() || charset::iequals(scheme, "sip") || charset::iequals(scheme, "sips") ||
            charset::iequals(scheme, "tel")) {
            refuse(400, "Malformed Refer-To");
        } else {
            refuse(403, "Refer-To scheme " + scheme + " not allowed");
        }
        return;
    }
    if (request.count(HeaderId::ReferredBy) > 1) {
        refuse(400, "Several Referred-By");
        return;
    }
    Uri target = referTo->uri;
    std::string replaces;
    for (auto h = target.headers.begin(); h != target.headers.end(); ++h) {
        if (!charset::iequals(h->name, "Replaces")) continue;
        auto text = unescape(h->value.value_or(""));
        if (!text || !parseReplaces(*text)) {
            refuse(400, "Bad Replaces in Refer-To");
            return;
        }
        replaces = std::move(*text);
        target.headers.erase(h);
        break;
    }
    if (refersIn.size() >= kMaxRefersIn) {
        refuse(503, "Too many transfers in progress");
        return;
    }
    Message accepted = newResponse(request, 202, toTag);
    accepted.addHeader(HeaderId::Contact, contact(in.from.transport));
    layer.sendResponse(in.id, std::move(accepted), now);

    const std::uint64_t id = nextReferIn++;
    ReferIn& r = refersIn[id];
    r.id = id;
    r.call = call;
    r.eventHeader = "refer;id=" + std::to_string(request.cseq()->sequence);
    r.dialog = std::move(dialog);
    r.ownDialog = outOfDialog;
    r.expiresAt = now + kReferLifetime;
    events.emplace_back(ReferReceived{call, std::move(target), std::move(replaces),
                                      std::string(request.get(HeaderId::ReferredBy).value_or("")), id,
                                      outOfDialog});
    sendReferNotify(r, 100, "Trying", now);
}

void UserAgent::Impl::notifyRefer(CallHandle call, std::uint64_t id, int code, std::string reason,
                                  TimePoint now)
{
    auto it = refersIn.find(id);
    if (it == refersIn.end() || it->second.call != call || it->second.terminated) return;
    if (code < 100 || code > 699) return;
    if (reason.empty()) reason = std::string(reasonPhrase(code));
    ReferIn& r = it->second;
    if (r.notifyTx) {
        // One NOTIFY at a time: the newest status waits, but a final one is never replaced.
        if (r.queuedCode < 200) {
            r.queuedCode = code;
            r.queuedReason = std::move(reason);
        }
        return;
    }
    if (code < 200 && code == r.lastCode) return; // "100 Trying" went out already
    sendReferNotify(r, code, reason, now);
}

void UserAgent::Impl::sendReferNotify(ReferIn& r, int code, const std::string& reason, TimePoint now)
{
    auto c = r.ownDialog ? calls.end() : calls.find(r.call);
    const bool callDialog = c != calls.end() && c->second.dialog;
    Dialog& d = callDialog ? *c->second.dialog : r.dialog;
    const bool final = code >= 200;
    ClientRequest cr;
    cr.purpose = Purpose::ReferNotify;
    cr.handle = r.id;
    cr.request = dialogRequest(d, Method::Notify, cr.peer);
    if (callDialog) r.dialog = d;
    cr.request.addHeader(HeaderId::Contact, contact(cr.peer.transport));
    cr.request.addHeader(HeaderId::Event, r.eventHeader);
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(r.expiresAt - now).count();
    cr.request.addHeader(HeaderId::SubscriptionState,
                         final ? std::string("terminated;reason=noresource")
                               : "active;expires=" + std::to_string(std::max<long long>(left, 1)));
    cr.request.setBody("SIP/2.0 " + std::to_string(code) + " " + reason + "\r\n", "message/sipfrag");
    r.lastCode = code;
    r.terminated = final;
    r.notifyTx = sendClient(std::move(cr), now);
    if (!r.notifyTx && final) refersIn.erase(r.id);
}

void UserAgent::Impl::onReferNotifyResponse(const ClientRequest& cr, const Message* response, TimePoint now)
{
    auto it = refersIn.find(cr.handle);
    if (it == refersIn.end()) return;
    ReferIn& r = it->second;
    r.notifyTx = 0;
    const int status = response ? response->status() : 408;
    if ((status == 401 || status == 407) && response) {
        if (const TransactionId again = retryWithAuth(cr, *response, now)) {
            r.notifyTx = again;
            if (auto cseq = clients[again].request.cseq()) {
                r.dialog.localSeq = std::max(r.dialog.localSeq, cseq->sequence);
                auto c = r.ownDialog ? calls.end() : calls.find(r.call);
                if (c != calls.end() && c->second.dialog)
                    c->second.dialog->localSeq = std::max(c->second.dialog->localSeq, cseq->sequence);
            }
            return;
        }
    }
    if (status / 100 != 2 || r.terminated) {
        refersIn.erase(it); // done, or the transferor is gone (RFC 6665 §4.2.2)
        return;
    }
    if (r.queuedCode) {
        const int code = r.queuedCode;
        const std::string reason = std::move(r.queuedReason);
        r.queuedCode = 0;
        if (code >= 200 || code != r.lastCode) sendReferNotify(r, code, reason, now);
    }
}

// ---------------------------------------------------------------- timers

void UserAgent::Impl::referTimers(TimePoint now)
{
    for (auto it = refersOut.begin(); it != refersOut.end();) {
        if (it->tx || it->giveUpAt > now) {
            ++it;
            continue;
        }
        if (!it->finalReported)
            events.emplace_back(
                ReferProgress{it->call, 408, "no final NOTIFY from the transferee", true, false});
        it = refersOut.erase(it);
    }
    std::vector<std::uint64_t> expired;
    for (auto& [id, r] : refersIn) {
        if (r.expiresAt <= now && !r.notifyTx) expired.push_back(id);
    }
    for (std::uint64_t id : expired) {
        ReferIn& r = refersIn[id];
        if (r.terminated) {
            refersIn.erase(id);
        } else {
            sendReferNotify(r, 408, "Request Timeout", now); // no outcome in time: give up
        }
    }
}

std::optional<TimePoint> UserAgent::Impl::referTimeout() const
{
    std::optional<TimePoint> next;
    for (const auto& r : refersOut) {
        if (!r.tx && (!next || r.giveUpAt < *next)) next = r.giveUpAt;
    }
    for (const auto& [id, r] : refersIn) {
        if (!r.notifyTx && (!next || r.expiresAt < *next)) next = r.expiresAt;
    }
    return next;
}

} // namespace vphone::sip
