// RFC 6665 notifier role for the presence event package (RFC 3856), for direct IP use where no
// presence server stands between two phones. Part of UserAgent::Impl (user_agent_impl.h).
//
// Theory of operation: a SUBSCRIBE outside a dialog for Event: presence, addressed to us, gets
// 200 with our Contact and the granted Expires (at most an hour) and makes a Watcher: a UAS
// dialog with our new tag. The first NOTIFY follows at once with the current document (opaque
// here: the layer above hands it over with setPresenceDocument(); none yet means a NOTIFY without
// a body). Every change of the document NOTIFYs each watcher; a watcher has at most one NOTIFY in
// flight and a change during it sends one more when it completes. An in-dialog SUBSCRIBE refreshes
// (or with Expires: 0 ends) the watch; expiry without a refresh ends it too. The last NOTIFY says
// terminated;reason=timeout. A NOTIFY answered with an error or not at all (481, 408...) drops
// the watcher (§4.2.2). Other event packages get 489 Bad Event with Allow-Events: presence.
//
// Conference focus (RFC 4579 §5, RFC 4575): while the layer above hosts a conference it hands
// the conference-info document over with setConferenceDocument(); SUBSCRIBEs for Event:
// conference then make watchers of that package exactly like presence ones (full document on
// subscription and on every change; the document's version attribute is the layer above's).
// Removing the document ends those subscriptions (terminated;reason=noresource). Calls of the
// conference are marked with setFocus(): their Call-ID is kept and our Contact in every request
// or response of that dialog gets the `isfocus` feature parameter (newRequest/newResponse).
#include "user_agent_impl.h"

#include "charset.h"

#include <algorithm>

namespace vphone::sip {

using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t kMaxWatchExpires = 3600;
constexpr std::uint32_t kDefaultWatchExpires = 3600; // RFC 3856 §6.4
constexpr std::size_t kMaxWatchers = 256;

std::uint32_t grantedWatch(const Message& request)
{
    const auto e = request.expires();
    if (!request.find(HeaderId::Expires) || !e) return kDefaultWatchExpires;
    return std::min(*e, kMaxWatchExpires);
}

std::uint32_t remaining(TimePoint now, TimePoint at)
{
    if (at <= now) return 0;
    return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(at - now).count());
}

} // namespace

void UserAgent::Impl::onSubscribe(RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    if (!addressedToUs(request)) {
        reply(in.id, request, 404, now);
        return;
    }
    const auto eventValue = request.get(HeaderId::Event);
    std::string package(eventValue ? trimLws(eventValue->substr(0, eventValue->find(';')))
                                   : std::string_view{});
    const bool conference = charset::iequals(package, "conference") && !conferenceType.empty();
    if (!charset::iequals(package, "presence") && !conference) {
        Message r = newResponse(request, 489, token());
        r.addHeader(HeaderId::AllowEvents, conferenceType.empty() ? "presence" : "presence, conference");
        layer.sendResponse(in.id, std::move(r), now);
        return;
    }
    if (watchers.size() >= kMaxWatchers) {
        reply(in.id, request, 503, now);
        return;
    }
    const std::string tag = token();
    auto dialog = dialogAsUas(request, tag);
    if (!dialog) {
        reply(in.id, request, 400, now);
        return;
    }
    dialog->confirmed = true;
    const std::uint32_t granted = grantedWatch(request);
    Message ok = newResponse(request, 200, tag);
    const auto via = request.topViaView();
    Transport t = Transport::Udp;
    if (via && charset::iequals(via->transport, "TCP")) t = Transport::Tcp;
    if (via && charset::iequals(via->transport, "TLS")) t = Transport::Tls;
    ok.addHeader(HeaderId::Contact, contact(t));
    ok.addHeader(HeaderId::Expires, std::to_string(granted));
    layer.sendResponse(in.id, std::move(ok), now);

    const std::uint64_t id = nextSubscription++;
    Watcher& w = watchers[id];
    w.id = id;
    w.event = conference ? "conference" : "presence";
    w.eventHeader = std::string(*eventValue);
    w.dialog = std::move(*dialog);
    w.expiresAt = now + std::chrono::seconds{granted};
    w.terminating = granted == 0; // a fetch (§4.4.3): one NOTIFY, then done
    sendWatcherNotify(w, now);
    if (w.terminating) watchers.erase(id);
}

void UserAgent::Impl::onWatcherRefresh(Watcher& w, RequestReceived& in, TimePoint now)
{
    const auto cseq = in.request.cseq();
    if (!cseq || (w.dialog.remoteSeq && cseq->sequence <= *w.dialog.remoteSeq)) {
        reply(in.id, in.request, 500, now);
        return;
    }
    w.dialog.remoteSeq = cseq->sequence;
    if (auto c = in.request.contactUri()) w.dialog.remoteTarget = *c;
    const std::uint32_t granted = grantedWatch(in.request);
    Message ok = newResponse(in.request, 200, {});
    ok.addHeader(HeaderId::Contact, contact(peerForUri(w.dialog.remoteTarget).transport));
    ok.addHeader(HeaderId::Expires, std::to_string(granted));
    layer.sendResponse(in.id, std::move(ok), now);
    w.expiresAt = now + std::chrono::seconds{granted};
    // §4.2.1.2: a refresh is answered with a NOTIFY too; Expires: 0 with the final one.
    w.terminating = granted == 0;
    const std::uint64_t id = w.id;
    sendWatcherNotify(w, now);
    if (w.terminating) watchers.erase(id);
}

void UserAgent::Impl::sendWatcherNotify(Watcher& w, TimePoint now)
{
    if (w.notifyTx && !w.terminating) {
        w.notifyQueued = true;
        return;
    }
    w.notifyQueued = false;
    ClientRequest cr;
    cr.purpose = Purpose::Notify;
    cr.handle = w.id;
    cr.request = dialogRequest(w.dialog, Method::Notify, cr.peer);
    cr.request.addHeader(HeaderId::Contact, contact(cr.peer.transport));
    cr.request.addHeader(HeaderId::Event, w.eventHeader);
    const bool conference = w.event == "conference";
    const std::string endReason = conference && conferenceType.empty() ? "noresource" : "timeout";
    cr.request.addHeader(HeaderId::SubscriptionState,
                         w.terminating ? "terminated;reason=" + endReason
                                       : "active;expires=" + std::to_string(remaining(now, w.expiresAt)));
    if (conference) {
        if (!conferenceType.empty()) cr.request.setBody(conferenceBody, conferenceType);
    } else if (!presenceType.empty()) {
        cr.request.setBody(presenceBody, presenceType);
    }
    w.notifyTx = sendClient(std::move(cr), now);
}

void UserAgent::Impl::onNotifyResponse(const ClientRequest& cr, const Message* response, TimePoint now)
{
    auto it = watchers.find(cr.handle);
    if (it == watchers.end()) return;
    Watcher& w = it->second;
    w.notifyTx = 0;
    if (!response || response->status() / 100 != 2) {
        watchers.erase(it); // §4.2.2: the watcher is gone or unreachable
        return;
    }
    if (w.notifyQueued) sendWatcherNotify(w, now);
}

void UserAgent::Impl::setPresenceDocument(std::string contentType, std::string body, TimePoint now)
{
    presenceType = std::move(contentType);
    presenceBody = std::move(body);
    for (auto& [id, w] : watchers) {
        if (w.event == "presence") sendWatcherNotify(w, now);
    }
}

void UserAgent::Impl::setConferenceDocument(std::string contentType, std::string body, TimePoint now)
{
    conferenceType = std::move(contentType);
    conferenceBody = std::move(body);
    std::vector<std::uint64_t> ended;
    for (auto& [id, w] : watchers) {
        if (w.event != "conference") continue;
        w.terminating = conferenceType.empty(); // the conference is over
        sendWatcherNotify(w, now);
        if (w.terminating) ended.push_back(id);
    }
    for (std::uint64_t id : ended) {
        watchers.erase(id);
    }
}

std::string UserAgent::Impl::focusParam(std::string_view callId) const
{
    if (callId.empty() || focusCallIds.find(callId) == focusCallIds.end()) return {};
    return ";isfocus";
}

void UserAgent::Impl::setFocus(CallHandle handle, bool focus)
{
    auto it = calls.find(handle);
    if (it == calls.end()) return;
    it->second.focus = focus;
    const std::string id = callIdOf(it->second);
    if (id.empty()) return;
    if (focus) {
        focusCallIds.insert(id);
    } else {
        focusCallIds.erase(id);
    }
}

void UserAgent::Impl::noteRemoteContact(const Message& fromPeer)
{
    if (events.empty()) return;
    const std::string contactValue(fromPeer.get(HeaderId::Contact).value_or(""));
    const bool focus = contactHasFocus(fromPeer);
    if (auto* s = std::get_if<CallStateChanged>(&events.back())) {
        s->remoteContact = contactValue;
        s->remoteFocus = focus;
    } else if (auto* m = std::get_if<CallModified>(&events.back())) {
        m->remoteContact = contactValue;
        m->remoteFocus = focus;
    }
}

std::string callIdOf(const Call& call)
{
    if (call.dialog) return call.dialog->callId;
    const Message& m = call.outgoing ? call.invite : call.request;
    return std::string(m.callId().value_or(""));
}

bool contactHasFocus(const Message& message)
{
    const auto value = message.get(HeaderId::Contact);
    if (!value) return false;
    std::string_view v = *value;
    // Header parameters follow the name-addr's '>' (or the addr-spec's first ';', where
    // RFC 3261 §20 puts them too: an addr-spec Contact cannot carry URI parameters).
    const auto gt = v.find('>');
    v = gt == std::string_view::npos ? v.substr(std::min(v.find(';'), v.size())) : v.substr(gt + 1);
    while (!v.empty()) {
        const auto semi = v.find(';');
        if (semi == std::string_view::npos) break;
        v = v.substr(semi + 1);
        const auto end = v.find_first_of(";,");
        std::string_view param = trimLws(v.substr(0, std::min(end, v.size())));
        param = trimLws(param.substr(0, std::min(param.find('='), param.size())));
        if (charset::iequals(param, "isfocus")) return true;
        if (end != std::string_view::npos && v[end] == ',') break; // the next contact
    }
    return false;
}

void UserAgent::Impl::watcherTimers(TimePoint now)
{
    std::vector<std::uint64_t> expired;
    for (auto& [id, w] : watchers) {
        if (w.expiresAt <= now) expired.push_back(id);
    }
    for (std::uint64_t id : expired) {
        Watcher& w = watchers[id];
        w.terminating = true;
        sendWatcherNotify(w, now);
        watchers.erase(id);
    }
}

} // namespace vphone::sip
