// Incoming calls (RFC 3261 §13.3) and requests inside dialogs (§12.2.2): answering, the 2xx
// retransmission until the ACK (§13.3.1.4), CANCEL (§9.2), BYE (§15.1.2), re-INVITE (§14.2),
// INVITE with Replaces (RFC 3891 §3), and the bookkeeping every call shares (state events,
// Terminated).
//
// Theory of operation: an INVITE outside any dialog becomes a Call in state Incoming holding its
// server transaction; ringing()/answer()/reject() answer on it with our To tag. answer() builds
// the UAS dialog and keeps the 2xx in a PendingOk that retransmits it (T1 doubling to T2) until
// the ACK arrives (Confirmed) or 64*T1 pass (BYE, Terminated 408). Requests with a To tag must
// match a dialog by Call-ID and both tags, else 481. With 100rel (prack.cpp) the 1xx goes
// reliably and answer() waits for its PRACK. An INVITE whose Replaces names a confirmed dialog
// of ours, or an early dialog we initiated, is offered as a new call (IncomingCall::replaces);
// answering it ends the replaced call: BYE when confirmed, CANCEL while it was still ringing.
#include "user_agent_impl.h"

#include <algorithm>

namespace vphone::sip {

void UserAgent::Impl::setState(Call& c, CallState state, int code, std::string reason, std::string sdp)
{
    c.state = state;
    events.emplace_back(CallStateChanged{c.handle, state, code, std::move(reason), std::move(sdp)});
}

void UserAgent::Impl::finish(CallHandle handle, int code, std::string reason)
{
    auto it = calls.find(handle);
    if (it == calls.end()) return;
    if (!it->second.endReason.empty()) reason = it->second.endReason;
    if (it->second.dialog) {
        // refer.cpp: a refer subscription in this dialog outlives the call; it keeps the dialog.
        for (auto& [id, r] : refersIn) {
            if (r.call == handle) r.dialog = *it->second.dialog;
        }
    }
    if (it->second.focus) focusCallIds.erase(callIdOf(it->second));
    events.emplace_back(CallStateChanged{handle, CallState::Terminated, code, std::move(reason), {}});
    calls.erase(it);
}

Call* UserAgent::Impl::findCall(std::string_view callId, std::string_view localTag,
                                std::string_view remoteTag)
{
    for (auto& [handle, c] : calls) {
        if (c.dialog && c.dialog->matches(callId, localTag, remoteTag)) return &c;
        for (const auto& d : c.early) {
            if (d.matches(callId, localTag, remoteTag)) return &c;
        }
        if (!c.outgoing && !c.dialog && c.localTag == localTag && c.request.callId() == callId) {
            const auto from = c.request.fromView();
            if (from && from->tag == remoteTag) return &c;
        }
    }
    return nullptr;
}

void UserAgent::Impl::onInvite(RequestReceived& in, TimePoint now)
{
    if (!addressedToUs(in.request)) {
        reply(in.id, in.request, 404, now);
        return;
    }
    CallHandle replaced = 0;
    if (auto replaces = in.request.get(HeaderId::Replaces)) {
        // RFC 3891 §3: the dialog to replace must exist here (to-tag is our tag, from-tag the
        // peer's, as in §12.2.2) and not be an early dialog someone else initiated, else 481;
        // one that is already ending gets 603; early-only names a dialog that must not be
        // confirmed yet, else 486. Two Replaces headers are a 400.
        const auto r = parseReplaces(*replaces);
        if (!r || in.request.count(HeaderId::Replaces) > 1) {
            reply(in.id, in.request, 400, now);
            return;
        }
        const Call* target = findCall(r->callId, r->toTag, r->fromTag);
        if (!target || (!target->outgoing && !target->dialog)) {
            reply(in.id, in.request, 481, now);
            return;
        }
        if (target->ending || target->endReason == "replaced") {
            reply(in.id, in.request, 603, now);
            return;
        }
        if (r->earlyOnly && target->dialog && target->dialog->confirmed) {
            reply(in.id, in.request, 486, now);
            return;
        }
        replaced = target->handle;
    }
    if (calls.size() >= kMaxCalls) {
        reply(in.id, in.request, 486, now);
        return;
    }
    const CallHandle handle = nextCall++;
    Call& c = calls[handle];
    c.handle = handle;
    c.outgoing = false;
    c.serverTx = in.id;
    c.request = in.request;
    c.from = in.from;
    c.localTag = token();
    c.state = CallState::Incoming;
    c.reliable = wantsReliable(in.request);
    c.replaces = replaced;
    if (focusNewCalls) {
        c.focus = true;
        focusCallIds.insert(callIdOf(c));
    }
    IncomingCall ev;
    ev.call = handle;
    ev.from = std::string(in.request.get(HeaderId::From).value_or(""));
    ev.to = std::string(in.request.get(HeaderId::To).value_or(""));
    if (auto uri = in.request.requestUri()) ev.requestUri = *uri;
    ev.sdp = std::string(in.request.body());
    ev.replaces = replaced;
    events.emplace_back(std::move(ev));
}

void UserAgent::Impl::ringing(CallHandle handle, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end() || it->second.outgoing || it->second.dialog) return;
    Call& c = it->second;
    const bool sent = c.reliable
                          ? sendReliable(c, 180, now)
                          : layer.sendResponse(c.serverTx, newResponse(c.request, 180, c.localTag), now);
    if (sent && c.state != CallState::Ringing) {
        setState(c, CallState::Ringing, 180, "Ringing");
    }
}

void UserAgent::Impl::answer(CallHandle handle, std::string sdp, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end() || it->second.outgoing || it->second.dialog) return;
    Call& c = it->second;
    if (c.answerQueued) return;
    c.localSdp = std::move(sdp);
    if (c.unacked) {
        // RFC 3262 §3: the 2xx must not overtake a reliable 1xx: it goes once the PRACK is in.
        c.answerQueued = true;
        return;
    }
    sendAnswer(c, now);
}

void UserAgent::Impl::sendAnswer(Call& c, TimePoint now)
{
    const CallHandle handle = c.handle;
    c.answerQueued = false;
    auto d = dialogAsUas(c.request, c.localTag);
    if (!d) {
        reject(handle, 400, now);
        return;
    }
    if (!c.early.empty()) {
        // Requests already sent in the early dialog (UPDATE) count on (§12.2.1.1).
        d->localSeq = c.early.front().localSeq;
        d->remoteTarget = c.early.front().remoteTarget;
        c.early.clear();
    }
    Message ok = newResponse(c.request, 200, c.localTag);
    if (!c.localSdp.empty()) ok.setBody(c.localSdp, "application/sdp");
    if (!layer.sendResponse(c.serverTx, ok, now)) {
        finish(handle, 487, "Request Terminated"); // the INVITE is gone (cancelled meanwhile)
        return;
    }
    c.dialog = std::move(*d);
    c.dialog->confirmed = true;
    PendingOk p;
    p.tx = c.serverTx;
    p.ok = std::move(ok);
    p.peer = c.from;
    p.cseq = c.dialog->remoteSeq.value_or(0);
    p.interval = layer.timers().t1;
    p.nextAt = now + p.interval;
    p.giveUpAt = now + 64 * layer.timers().t1;
    c.pendingOk = std::move(p);
    if (c.replaces) {
        // RFC 3891 §3: the new call is accepted: the replaced one ends, BYE once confirmed,
        // CANCEL while our INVITE was still ringing.
        auto old = calls.find(c.replaces);
        c.replaces = 0;
        if (old != calls.end()) {
            old->second.endReason = "replaced";
            hangUp(old->first, now);
        }
    }
}

void UserAgent::Impl::reject(CallHandle handle, int code, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end() || it->second.outgoing || it->second.dialog) return;
    if (code < 300 || code > 699) code = 603;
    layer.sendResponse(it->second.serverTx, newResponse(it->second.request, code, it->second.localTag), now);
    finish(handle, code, std::string(reasonPhrase(code)));
}

void UserAgent::Impl::onCancel(RequestReceived& in, TimePoint now)
{
    const auto invite = layer.findInviteFor(in.request);
    if (!invite) {
        reply(in.id, in.request, 481, now); // §9.2: no matching transaction
        return;
    }
    // §9.2: the CANCEL itself always gets 200; the INVITE gets 487 if still unanswered.
    reply(in.id, in.request, 200, now);
    for (auto& [handle, c] : calls) {
        if (c.outgoing || c.serverTx != *invite || c.dialog) continue;
        layer.sendResponse(c.serverTx, newResponse(c.request, 487, c.localTag), now);
        finish(handle, 487, "Request Terminated");
        return;
    }
}

void UserAgent::Impl::onAck(const Message& ack, TimePoint now)
{
    const auto from = ack.fromView();
    const auto to = ack.toView();
    const auto callId = ack.callId();
    const auto cseq = ack.cseq();
    if (!from || !to || !callId || !cseq) return;
    Call* c = findCall(*callId, to->tag, from->tag);
    if (!c || !c->pendingOk || c->pendingOk->cseq != cseq->sequence) return;
    const bool initial = c->pendingOk->initial;
    c->pendingOk.reset();
    if (!initial) return;
    if (c->ending) {
        sendBye(*c, now); // hung up while waiting for this ACK (§15)
        return;
    }
    // An offerless INVITE gets its offer in our 2xx and the answer in the ACK (§13.2.1).
    const std::string_view remoteSdp = c->request.body().empty() ? ack.body() : c->request.body();
    setState(*c, CallState::Confirmed, 200, "OK", std::string(remoteSdp));
    noteRemoteContact(c->request);
}

void UserAgent::Impl::retransmitOks(TimePoint now)
{
    std::vector<CallHandle> gaveUp;
    for (auto& [handle, c] : calls) {
        if (!c.pendingOk || c.pendingOk->nextAt > now) continue;
        PendingOk& p = *c.pendingOk;
        if (now >= p.giveUpAt) {
            gaveUp.push_back(handle);
            continue;
        }
        // §13.3.1.4: retransmit at T1, doubling up to T2. After Timer L the transaction is gone.
        if (!layer.sendResponse(p.tx, p.ok, now)) layer.sendStateless(p.ok, p.peer);
        p.interval = std::min(2 * p.interval, layer.timers().t2);
        p.nextAt = std::min(now + p.interval, p.giveUpAt);
    }
    for (CallHandle handle : gaveUp) {
        Call& c = calls[handle];
        const bool initial = c.pendingOk->initial;
        c.pendingOk.reset();
        // §13.3.1.4: no ACK within 64*T1: the dialog ends with a BYE.
        if (c.dialog) sendOrphanBye(*c.dialog, now);
        if (initial) {
            finish(handle, 408, "no ACK for 200 OK");
        } else {
            finish(handle, 408, "no ACK for re-INVITE 200 OK");
        }
    }
}

void UserAgent::Impl::onInDialogRequest(RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    const auto from = request.fromView();
    const auto to = request.toView();
    const auto callId = request.callId();
    const auto cseq = request.cseq();
    Call* c = (from && to && callId) ? findCall(*callId, to->tag, from->tag) : nullptr;
    if (!c || !cseq) {
        reply(in.id, request, 481, now); // §12.2.2: no such dialog
        return;
    }
    Dialog* d = c->dialog ? &*c->dialog : nullptr;
    if (d) {
        // §12.2.2: a lower CSeq than the last one is out of order.
        if (d->remoteSeq && cseq->sequence < *d->remoteSeq) {
            reply(in.id, request, 500, now);
            return;
        }
        d->remoteSeq = cseq->sequence;
    }
    switch (request.method()) {
    case Method::Bye:
        reply(in.id, request, 200, now);
        if (!c->outgoing && !c->dialog) {
            // A BYE for an early dialog we never answered ends the INVITE too.
            layer.sendResponse(c->serverTx, newResponse(c->request, 487, c->localTag), now);
        }
        finish(c->handle, 0, "BYE received");
        return;
    case Method::Invite:
        if (d) {
            onReInvite(*c, in, now);
        } else {
            reply(in.id, request, 481, now);
        }
        return;
    case Method::Options: onOptionsRequest(in, {}, now); return;
    case Method::Prack: onPrack(*c, in, now); return;
    case Method::Update: onUpdate(*c, in, now); return;
    case Method::Refer:
        if (d && !c->ending) {
            onRefer(*c, in, now);
        } else {
            reply(in.id, request, 481, now); // RFC 3515 §2.4.2: REFER needs an established dialog
        }
        return;
    case Method::Message:
        reply(in.id, request, 200, now);
        events.emplace_back(MessageReceived{std::string(request.get(HeaderId::From).value_or("")),
                                            std::string(request.get(HeaderId::To).value_or("")),
                                            std::string(request.get(HeaderId::ContentType).value_or("")),
                                            std::string(request.body()), c->handle});
        return;
    default: reply(in.id, request, 405, now); return;
    }
}

void UserAgent::Impl::onReInvite(Call& c, RequestReceived& in, TimePoint now)
{
    if (c.ending) {
        reply(in.id, in.request, 481, now);
        return;
    }
    if (c.modify && c.modify->tx && (c.modify->method == Method::Invite || !c.modify->sdp.empty())) {
        // §14.2: our own re-INVITE (or UPDATE offer) is in progress: glare, 491 (Request
        // Pending); both sides retry after the §14.1 back-off.
        reply(in.id, in.request, 491, now);
        return;
    }
    if (c.pendingOk) {
        // §14.2: a previous INVITE on this dialog is not finished yet.
        Message busy = newResponse(in.request, 500, {});
        busy.addHeader(HeaderId::RetryAfter, "1");
        layer.sendResponse(in.id, std::move(busy), now);
        return;
    }
    // RFC 3264 §8: the application's media session answers the offer, or refuses it (488,
    // and the session stays as it was). An offerless re-INVITE gets our current session
    // description as the offer (a session refresh); its answer in the ACK changes nothing.
    if (!in.request.body().empty() && !answerOffer(c, in, Method::Invite, now)) return;
    // §12.2.2: a re-INVITE may refresh the remote target.
    if (auto contact = in.request.contactUri()) c.dialog->remoteTarget = *contact;
    Message ok = newResponse(in.request, 200, {});
    if (!c.localSdp.empty()) ok.setBody(c.localSdp, "application/sdp");
    layer.sendResponse(in.id, ok, now);
    PendingOk p;
    p.tx = in.id;
    p.ok = std::move(ok);
    p.peer = in.from;
    p.cseq = in.request.cseq()->sequence;
    p.initial = false;
    p.interval = layer.timers().t1;
    p.nextAt = now + p.interval;
    p.giveUpAt = now + 64 * layer.timers().t1;
    c.pendingOk = std::move(p);
    modified(c, ModifyOrigin::Remote, Method::Invite, 200, "OK", std::string(in.request.body()));
    noteRemoteContact(in.request);
}

} // namespace vphone::sip
