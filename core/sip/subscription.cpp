// RFC 6665 subscriber role: SUBSCRIBE, the subscription dialog, NOTIFY handling, refresh,
// unsubscribe and the retries that §4.1.3 allows. Part of UserAgent::Impl (user_agent_impl.h).
//
// Theory of operation: subscribe() sends an initial SUBSCRIBE with a fresh Call-ID and From tag
// and keeps it (lastSubscribe) so the dialog can be made from whichever arrives first: the 2xx
// (dialogAsUac) or a NOTIFY (§4.1.2.4: it may overtake the 200; the dialog is then built as a
// UAS dialog from the NOTIFY, whose To carries our tag and whose From carries the notifier's).
// A NOTIFY is matched by Call-ID and our tag; it is answered 200 and reported as
// SubscriptionNotified, and its Subscription-State expires moves the refresh point. Refreshes
// are in-dialog SUBSCRIBEs at max(expiry/2, expiry - 32 s). Terminated with reason rejected,
// noresource or invariant ends the subscription (SubscriptionEnded); deactivated and timeout
// start a new subscription at once, probation and giveup after retry-after (or 30 s), and no or
// an unknown reason after 30 s doubling to 30 min. unsubscribe() sends Expires: 0 and ends the
// handle with the final NOTIFY (or 32 s after the 2xx when none comes). A NOTIFY that matches no
// subscription gets 481; one for a package we never subscribed to gets 489. Forking (§4.1.2.4):
// the first NOTIFY or 2xx fixes the notifier's tag, and a NOTIFY from another fork (another
// From tag) gets 481, which ends that fork's subscription at its notifier. Timer N (§4.1.2.4):
// an initial SUBSCRIBE whose first NOTIFY has not come 64*T1 after it was sent has failed: the
// subscription ends with 408 "no NOTIFY (Timer N)".
#include "user_agent_impl.h"

#include "charset.h"

#include <algorithm>

namespace vphone::sip {

using namespace std::chrono_literals;

namespace {

constexpr std::chrono::seconds kFirstRetry{30};
constexpr std::chrono::seconds kMaxRetry{1800};

/// The package of an Event header value, lower-cased, without parameters.
std::string eventPackage(std::string_view value)
{
    std::string out(trimLws(value.substr(0, value.find(';'))));
    for (char& c : out) {
        c = charset::toLower(c);
    }
    return out;
}

struct StateHeader {
    SubscriptionState state = SubscriptionState::Invalid;
    std::optional<std::uint32_t> expires;
    std::optional<std::uint32_t> retryAfter;
    std::string reason;
};

/// Subscription-State (§8.2.3): substate-value *( ";" subexp-params ).
StateHeader parseState(std::string_view value)
{
    StateHeader out;
    std::size_t start = 0;
    bool first = true;
    while (start <= value.size()) {
        const std::size_t semi = std::min(value.find(';', start), value.size());
        const std::string_view part = trimLws(value.substr(start, semi - start));
        start = semi + 1;
        if (first) {
            first = false;
            if (charset::iequals(part, "active")) out.state = SubscriptionState::Active;
            if (charset::iequals(part, "pending")) out.state = SubscriptionState::Pending;
            if (charset::iequals(part, "terminated")) out.state = SubscriptionState::Terminated;
            continue;
        }
        const std::size_t eq = part.find('=');
        const std::string_view name = trimLws(part.substr(0, eq));
        const std::string_view arg =
            eq == std::string_view::npos ? std::string_view{} : trimLws(part.substr(eq + 1));
        if (charset::iequals(name, "expires")) {
            if (auto v = parseUint32(arg, "expires")) out.expires = *v;
        } else if (charset::iequals(name, "retry-after")) {
            if (auto v = parseUint32(arg, "retry-after")) out.retryAfter = *v;
        } else if (charset::iequals(name, "reason")) {
            out.reason = std::string(arg);
            for (char& c : out.reason) {
                c = charset::toLower(c);
            }
        }
        if (semi == value.size()) break;
    }
    return out;
}

} // namespace

TimePoint refreshPoint(TimePoint now, std::uint32_t granted)
{
    const std::chrono::seconds g{granted};
    return now + std::max({g / 2, g - 32s, std::chrono::seconds{1}});
}

SubscriptionHandle UserAgent::Impl::subscribe(const Uri& target, std::string event, std::string accept,
                                              std::uint32_t expires, TimePoint now)
{
    const SubscriptionHandle handle = nextSubscription++;
    Subscription& s = subscriptions[handle];
    s.handle = handle;
    s.target = target;
    s.target.headers.clear();
    s.event = eventPackage(event);
    s.accept = std::move(accept);
    s.requested = expires;
    sendSubscribe(s, now);
    return handle;
}

void UserAgent::Impl::sendSubscribe(Subscription& s, TimePoint now)
{
    ClientRequest cr;
    cr.purpose = Purpose::Subscribe;
    cr.handle = s.handle;
    if (s.dialog) {
        cr.request = dialogRequest(*s.dialog, Method::Subscribe, cr.peer);
        s.cseq = s.dialog->localSeq;
    } else {
        // An initial SUBSCRIBE: a new dialog (new Call-ID and tag).
        s.callId = newCallId();
        s.localTag = token();
        s.cseq = 1;
        const NextHop hop = nextHop(s.target, {}, config.outboundProxy);
        cr.peer = hop.peer;
        cr.request = newRequest(Method::Subscribe, hop, identity() + ";tag=" + s.localTag,
                                "<" + s.target.toString() + ">", s.callId, s.cseq, false);
        if (!s.unsubscribing) s.timerN = now + 64 * config.timers.t1;
    }
    cr.request.addHeader(HeaderId::Contact, contact(cr.peer.transport));
    cr.request.addHeader(HeaderId::Event, s.event);
    if (!s.accept.empty()) cr.request.addHeader(HeaderId::Accept, s.accept);
    cr.request.addHeader(HeaderId::Expires, std::to_string(s.unsubscribing ? 0 : s.requested));
    if (!s.dialog) s.lastSubscribe = cr.request;
    cr.auth = s.auth;
    if (!authorize(cr)) cr.auth.clear();
    s.tx = sendClient(std::move(cr), now);
    if (!s.tx) endSubscription(s.handle, 503, "cannot send to this address");
}

void UserAgent::Impl::unsubscribe(SubscriptionHandle handle, TimePoint now)
{
    auto it = subscriptions.find(handle);
    if (it == subscriptions.end() || it->second.unsubscribing) return;
    Subscription& s = it->second;
    s.unsubscribing = true;
    s.refreshAt.reset();
    s.retryAt.reset();
    if (!s.dialog && !s.tx) {
        endSubscription(handle, 0, "unsubscribed");
        return;
    }
    if (!s.dialog) return; // the initial SUBSCRIBE is in flight: its 2xx is answered with Expires: 0
    sendSubscribe(s, now);
}

void UserAgent::Impl::endSubscription(SubscriptionHandle handle, int code, std::string reason)
{
    if (subscriptions.erase(handle)) events.emplace_back(SubscriptionEnded{handle, code, std::move(reason)});
}

void UserAgent::Impl::onSubscribeResponse(const ClientRequest& cr, const Message* response, TimePoint now)
{
    auto it = subscriptions.find(cr.handle);
    if (it == subscriptions.end()) return;
    Subscription& s = it->second;
    const auto cseq = cr.request.cseq();
    // Only the latest SUBSCRIBE counts (a response to an older one is ignored).
    if (!cseq || cseq->sequence != s.cseq || cr.request.callId() != std::optional<std::string_view>(s.callId))
        return;
    s.tx = 0;
    const int status = response ? response->status() : 408;
    const bool refresh = cr.request.toView() && !cr.request.toView()->tag.empty();
    if (response && status / 100 == 2) {
        s.auth = cr.auth;
        s.backoff = kFirstRetry;
        if (!s.dialog) {
            s.dialog = dialogAsUac(cr.request, *response);
            if (!s.dialog) {
                endSubscription(s.handle, 0, "2xx to SUBSCRIBE without a usable dialog");
                return;
            }
            s.dialog->confirmed = true;
        }
        s.established = true;
        if (s.unsubscribing) {
            // Our Expires: 0 went out, or the unsubscribe came while the initial one was pending.
            if (cr.request.expires() && *cr.request.expires() == 0) {
                // §4.1.2.3: the final NOTIFY follows; end when it comes, or after 32 s without it.
                s.refreshAt = now + 32s;
            } else {
                sendSubscribe(s, now);
            }
            return;
        }
        std::uint32_t granted = s.requested;
        if (auto e = response->expires()) granted = std::min(*e, s.requested ? s.requested : *e);
        s.refreshAt = refreshPoint(now, granted);
        return;
    }
    if (response && (status == 401 || status == 407)) {
        if (TransactionId retry = retryWithAuth(cr, *response, now)) {
            s.tx = retry;
            auto& sent = clients[retry].request;
            if (auto seq = sent.cseq()) s.cseq = seq->sequence;
            if (s.dialog) s.dialog->localSeq = s.cseq;
            if (!s.dialog) s.lastSubscribe = sent;
            return;
        }
        s.auth.clear();
        endSubscription(s.handle, status, "authentication failed");
        return;
    }
    if (response && status == 423 && !s.unsubscribing) {
        const auto minExpires = response->get(HeaderId::MinExpires);
        const auto value = minExpires ? parseUint32(*minExpires, "Min-Expires") : Result<std::uint32_t>(0u);
        if (value && *value > s.requested) {
            s.requested = *value;
            if (!s.dialog) s.cseq = 0;
            sendSubscribe(s, now);
            return;
        }
    }
    if (s.unsubscribing) {
        endSubscription(s.handle, refresh ? 0 : status, "unsubscribed");
        return;
    }
    if (refresh && (status == 481 || status == 408 || status / 100 == 5)) {
        // §4.1.2.2: the refresh failed; the subscription is gone. Start a new one.
        s.dialog.reset();
        s.retryAt = status == 481 ? now : now + s.backoff;
        s.backoff = std::min(2 * s.backoff, kMaxRetry);
        return;
    }
    if (!refresh && s.established && (status == 408 || status / 100 == 5)) {
        s.retryAt = now + s.backoff;
        s.backoff = std::min(2 * s.backoff, kMaxRetry);
        return;
    }
    endSubscription(s.handle, status,
                    response ? std::string(response->reason()) : std::string("Request Timeout"));
}

bool UserAgent::Impl::onSubscriptionDialogRequest(RequestReceived& in, TimePoint now)
{
    const Method method = in.request.method();
    if (method == Method::Notify) {
        onNotify(in, now);
        return true;
    }
    if (method != Method::Subscribe) return false;
    const auto from = in.request.fromView();
    const auto to = in.request.toView();
    const auto callId = in.request.callId();
    for (auto& [id, w] : watchers) {
        if (from && to && callId && w.dialog.matches(*callId, to->tag, from->tag)) {
            onWatcherRefresh(w, in, now);
            return true;
        }
    }
    reply(in.id, in.request, 481, now);
    return true;
}

void UserAgent::Impl::onNotify(RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    const auto from = request.fromView();
    const auto to = request.toView();
    const auto callId = request.callId();
    const auto cseq = request.cseq();
    const auto eventValue = request.get(HeaderId::Event);
    const auto stateValue = request.get(HeaderId::SubscriptionState);
    if (!from || !to || !callId || !cseq || !eventValue || !stateValue) {
        reply(in.id, request, 400, now); // §8.2.1: NOTIFY needs Event and Subscription-State
        return;
    }
    const std::string package = eventPackage(*eventValue);
    Subscription* s = nullptr;
    bool packageKnown = false;
    for (auto& [h, sub] : subscriptions) {
        if (sub.event == package) packageKnown = true;
        if (sub.callId != *callId || sub.localTag != to->tag) continue;
        if (sub.dialog && sub.dialog->remoteTag != from->tag) continue;
        if (sub.event == package) s = &sub;
    }
    if (!s) {
        reply(in.id, request, packageKnown ? 481 : 489, now);
        return;
    }
    if (!s->dialog) {
        // §4.1.2.4: the NOTIFY came before the 2xx; it makes the dialog.
        s->dialog = dialogAsUas(request, s->localTag);
        if (!s->dialog) {
            reply(in.id, request, 400, now);
            return;
        }
        s->dialog->localParty = std::string(s->lastSubscribe.get(HeaderId::From).value_or(""));
        s->dialog->remoteParty = std::string(request.get(HeaderId::From).value_or(""));
        s->dialog->localSeq = s->cseq;
        s->dialog->confirmed = true;
    } else {
        if (s->dialog->remoteSeq && cseq->sequence <= *s->dialog->remoteSeq) {
            reply(in.id, request, 500, now);
            return;
        }
        s->dialog->remoteSeq = cseq->sequence;
        // NOTIFY is a target refresh request (§4.1.3).
        if (auto contact = request.contactUri()) s->dialog->remoteTarget = *contact;
    }
    s->established = true;
    s->timerN.reset();
    reply(in.id, request, 200, now);
    const StateHeader st = parseState(*stateValue);
    SubscriptionNotified n;
    n.subscription = s->handle;
    n.event = package;
    n.state = st.state;
    n.expires = st.expires.value_or(0);
    n.reason = st.reason;
    n.contentType = std::string(request.get(HeaderId::ContentType).value_or(""));
    n.body = std::string(request.body());
    events.emplace_back(std::move(n));
    const SubscriptionHandle handle = s->handle;
    if (st.state != SubscriptionState::Terminated) {
        if (st.expires && !s->unsubscribing && !s->tx) {
            const TimePoint at = refreshPoint(now, *st.expires);
            if (!s->refreshAt || at < *s->refreshAt) s->refreshAt = at;
        }
        return;
    }
    // §4.1.3: terminated. Retry or give up by reason.
    s->dialog.reset();
    s->refreshAt.reset();
    if (s->unsubscribing) {
        endSubscription(handle, 0, "unsubscribed");
        return;
    }
    const std::string& reason = st.reason;
    if (reason == "rejected" || reason == "noresource" || reason == "invariant") {
        endSubscription(handle, 0, reason);
        return;
    }
    if (reason == "deactivated" || reason == "timeout") {
        sendSubscribe(*s, now); // at once, a new dialog
    } else if (reason == "probation" || reason == "giveup") {
        s->retryAt = now + (st.retryAfter ? std::chrono::seconds{*st.retryAfter} : kFirstRetry);
    } else {
        s->retryAt = now + (st.retryAfter ? std::chrono::seconds{*st.retryAfter} : s->backoff);
        s->backoff = std::min(2 * s->backoff, kMaxRetry);
    }
}

void UserAgent::Impl::subscriptionTimers(TimePoint now)
{
    std::vector<SubscriptionHandle> due;
    std::vector<SubscriptionHandle> silent;
    for (auto& [h, s] : subscriptions) {
        if (s.timerN && *s.timerN <= now) {
            silent.push_back(h);
        } else if ((s.refreshAt && *s.refreshAt <= now) || (s.retryAt && *s.retryAt <= now)) {
            due.push_back(h);
        }
    }
    for (SubscriptionHandle h : silent)
        endSubscription(h, 408, "no NOTIFY (Timer N)");
    for (SubscriptionHandle h : due) {
        auto it = subscriptions.find(h);
        if (it == subscriptions.end()) continue;
        Subscription& s = it->second;
        if (s.unsubscribing) {
            endSubscription(h, 0, "unsubscribed");
            continue;
        }
        if (s.retryAt && *s.retryAt <= now) s.dialog.reset();
        s.refreshAt.reset();
        s.retryAt.reset();
        sendSubscribe(s, now);
    }
}

std::optional<TimePoint> UserAgent::Impl::eventTimeout() const
{
    std::optional<TimePoint> next;
    auto consider = [&next](std::optional<TimePoint> at) {
        if (at && (!next || *at < *next)) next = at;
    };
    for (const auto& [h, s] : subscriptions) {
        consider(s.refreshAt);
        consider(s.retryAt);
        consider(s.timerN);
    }
    for (const auto& [h, p] : publications) {
        consider(p.refreshAt);
        consider(p.retryAt);
    }
    for (const auto& [id, w] : watchers) {
        if (!w.terminating) consider(w.expiresAt);
    }
    return next;
}

} // namespace vphone::sip
