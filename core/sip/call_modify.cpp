// Changing a session in progress: our re-INVITE (RFC 3261 §14.1) and UPDATE (RFC 3311), and
// the UPDATEs we receive. The SDP is opaque here: offers and answers are carried, not read.
//
// Theory of operation: reinvite()/update() put one PendingModify on the call (a second one is
// refused with CallModified code 0: one offer of ours at a time, §14.1 and RFC 3311 §5.1) and
// send it on the call's dialog. A re-INVITE waits while an INVITE transaction in the other
// direction is still open (its 2xx not ACKed yet, §14.1). Its 2xx is ACKed here (the ACK is
// kept for retransmitted 2xx, like the first one) and its Contact refreshes the remote target.
// A 491 (glare: both sides sent an offer at once) re-arms the request after the §14.1 back-off:
// 2.1-4 s when we own the Call-ID (our outgoing call), 0-2 s otherwise, in 10 ms steps, at
// most three times. A 481, a 408 or a timeout ends the call (§12.2.1.2, RFC 5057: after a 408 or
// a timeout the dialog is ended with BYE); any other failure leaves the call as it was. Every
// outcome is one CallModified event.
// Incoming UPDATE: 491 when it carries an offer while one of ours is in flight, 500 with
// Retry-After (0-10 s) while an offer we received is still unanswered (an INVITE not yet
// answered), else 200 with our current session description as the answer (RFC 3311 §5.2).
#include "user_agent_impl.h"

#include <algorithm>

namespace vphone::sip {

using namespace std::chrono_literals;

void UserAgent::Impl::modified(Call& c, ModifyOrigin origin, Method method, int code, std::string reason,
                               std::string sdp)
{
    events.emplace_back(CallModified{c.handle, origin, method, code, std::move(reason), std::move(sdp)});
}

Dialog* UserAgent::Impl::usableDialog(Call& c)
{
    if (c.dialog) return &*c.dialog;
    if (!c.early.empty()) return &c.early.front();
    if (!c.outgoing && c.state != CallState::Terminated) {
        // The UAS side of an early dialog exists once we sent a 1xx with our tag (§12.1.1).
        if (auto d = dialogAsUas(c.request, c.localTag)) {
            c.early.push_back(std::move(*d));
            return &c.early.back();
        }
    }
    return nullptr;
}

void UserAgent::Impl::reinvite(CallHandle handle, std::string sdp, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end()) return;
    Call& c = it->second;
    if (c.state != CallState::Confirmed || c.ending || !c.dialog) {
        modified(c, ModifyOrigin::Local, Method::Invite, 0, "the call is not confirmed");
        return;
    }
    startModify(c, Method::Invite, std::move(sdp), now);
}

void UserAgent::Impl::update(CallHandle handle, std::string sdp, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end()) return;
    Call& c = it->second;
    if (c.ending || (!c.dialog && c.early.empty() && (c.outgoing || c.state != CallState::Ringing))) {
        modified(c, ModifyOrigin::Local, Method::Update, 0, "no dialog to send UPDATE in");
        return;
    }
    startModify(c, Method::Update, std::move(sdp), now);
}

void UserAgent::Impl::startModify(Call& c, Method method, std::string sdp, TimePoint now)
{
    if (c.modify) {
        modified(c, ModifyOrigin::Local, method, 0, "another offer of ours is pending");
        return;
    }
    PendingModify m;
    m.method = method;
    m.sdp = std::move(sdp);
    c.modify = std::move(m);
    sendModify(c, now);
}

void UserAgent::Impl::sendModify(Call& c, TimePoint now)
{
    PendingModify& m = *c.modify;
    const Method method = m.method;
    if (method == Method::Invite && c.pendingOk) {
        // §14.1: no new INVITE while one in the other direction is still in progress.
        m.retryAt = now + layer.timers().t1;
        return;
    }
    Dialog* d = usableDialog(c);
    if (!d || c.ending) {
        c.modify.reset();
        modified(c, ModifyOrigin::Local, method, 0, "the dialog is gone");
        return;
    }
    ClientRequest cr;
    cr.purpose = method == Method::Invite ? Purpose::ReInvite : Purpose::Update;
    cr.call = c.handle;
    cr.request = dialogRequest(*d, method, cr.peer);
    if (!m.sdp.empty()) cr.request.setBody(m.sdp, "application/sdp");
    m.retryAt.reset();
    m.tx = sendClient(std::move(cr), now);
    if (!m.tx) {
        c.modify.reset();
        modified(c, ModifyOrigin::Local, method, 503, "cannot send to this address");
    }
}

void UserAgent::Impl::onModifyResponse(TransactionId id, ClientRequest& cr, const Message* response,
                                       TimePoint now)
{
    auto it = calls.find(cr.call);
    if (it == calls.end() || !it->second.modify || it->second.modify->tx != id) return;
    Call& c = it->second;
    PendingModify& m = *c.modify;
    const Method method = m.method;
    const int status = response->status();
    const std::string reason(response->reason());
    const auto to = cr.request.toView();
    Dialog* d = nullptr;
    if (c.dialog && to && c.dialog->remoteTag == to->tag) d = &*c.dialog;
    for (auto& e : c.early) {
        if (!d && to && e.remoteTag == to->tag) d = &e;
    }
    if ((status == 401 || status == 407) && d) {
        if (TransactionId retry = retryWithAuth(cr, *response, now)) {
            m.tx = retry;
            if (auto seq = clients[retry].request.cseq()) d->localSeq = std::max(d->localSeq, seq->sequence);
            return;
        }
    }
    if (status / 100 == 2) {
        if (method == Method::Invite && d) {
            // §13.2.2.4: the 2xx to our re-INVITE gets an ACK with its CSeq number. An offerless
            // re-INVITE got the offer in this 2xx: the ACK carries our answer.
            Message ack = ackFor(*d, cr.request.cseq()->sequence, c.ackPeer);
            if (m.sdp.empty() && !response->body().empty() && !c.localSdp.empty())
                ack.setBody(c.localSdp, "application/sdp");
            layer.sendStateless(ack, c.ackPeer);
            c.ack = std::move(ack);
        }
        // §12.2.1.2: the 2xx to a target refresh request carries the new remote target.
        if (d) {
            if (auto contact = response->contactUri()) d->remoteTarget = *contact;
        }
        if (!m.sdp.empty()) c.localSdp = m.sdp;
        c.modify.reset();
        modified(c, ModifyOrigin::Local, method, status, reason, std::string(response->body()));
        return;
    }
    if (status == 491 && m.glares < 3) {
        // §14.1: both sides sent an offer at once. The side that owns the Call-ID (the one that
        // sent the dialog's first INVITE) waits 2.1-4 s, the other 0-2 s, in units of 10 ms.
        ++m.glares;
        m.tx = 0;
        const std::uint64_t steps = c.outgoing ? 210 + random64() % 191 : random64() % 201;
        m.retryAt = now + std::chrono::milliseconds(10 * steps);
        return;
    }
    c.modify.reset();
    if (status == 481 || status == 408) {
        // §12.2.1.2, RFC 5057: the dialog is gone (481) or the peer unreachable (408, or no
        // answer at all): end the call; after a 408 with a BYE, as for any INVITE dialog.
        if (status == 408 && c.dialog) sendOrphanBye(*c.dialog, now);
        modified(c, ModifyOrigin::Local, method, status, reason);
        finish(c.handle, status, std::string(methodName(method)) + " answered " + std::to_string(status));
        return;
    }
    modified(c, ModifyOrigin::Local, method, status, reason);
}

void UserAgent::Impl::onUpdate(Call& c, RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    if (c.ending) {
        reply(in.id, request, 481, now);
        return;
    }
    const bool offer = !request.body().empty();
    if (offer && c.modify && c.modify->tx && !c.modify->sdp.empty()) {
        reply(in.id, request, 491, now); // RFC 3311 §5.2: our own offer is still pending
        return;
    }
    if (offer && !c.outgoing && !c.dialog && !c.request.body().empty()) {
        // RFC 3311 §5.2: the INVITE's offer is not answered yet: 500, Retry-After 0-10 s.
        Message busy = newResponse(request, 500, {});
        busy.addHeader(HeaderId::RetryAfter, std::to_string(random64() % 11));
        layer.sendResponse(in.id, std::move(busy), now);
        return;
    }
    if (offer && !answerOffer(c, in, Method::Update, now)) return;
    // RFC 3311 §5.2: UPDATE is a target refresh request.
    const auto from = request.fromView();
    Dialog* d = nullptr;
    if (c.dialog) {
        d = &*c.dialog;
    } else if (from) {
        for (auto& e : c.early) {
            if (e.remoteTag == from->tag) d = &e;
        }
        if (!d && !c.outgoing) d = usableDialog(c);
    }
    if (d) {
        if (auto contact = request.contactUri()) d->remoteTarget = *contact;
    }
    Message ok = newResponse(request, 200, {});
    if (offer && !c.localSdp.empty()) ok.setBody(c.localSdp, "application/sdp");
    layer.sendResponse(in.id, std::move(ok), now);
    modified(c, ModifyOrigin::Remote, Method::Update, 200, "OK", std::string(request.body()));
    noteRemoteContact(request);
}

bool UserAgent::Impl::answerOffer(Call& c, RequestReceived& in, Method method, TimePoint now)
{
    if (!config.answerOffer) return true; // no media layer: our session description, unchanged
    OfferReply answer = config.answerOffer(c.handle, in.request.body());
    if (answer.status == 200 && !answer.sdp.empty()) {
        c.localSdp = std::move(answer.sdp);
        return true;
    }
    const int status = answer.status / 100 >= 3 && answer.status <= 699 ? answer.status : 500;
    Message refusal = newResponse(in.request, status, {});
    if (!answer.reason.empty()) {
        // RFC 3261 §20.43: 399 is a miscellaneous warning whose text a user may read.
        std::string text;
        for (char ch : answer.reason)
            text += ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20 ? '\'' : ch;
        refusal.addHeader(HeaderId::Warning, "399 vphone \"" + text + "\"");
    }
    if (status == 500) refusal.addHeader(HeaderId::RetryAfter, "1");
    layer.sendResponse(in.id, std::move(refusal), now);
    modified(c, ModifyOrigin::Remote, method, status, answer.reason.empty() ? "offer refused" : answer.reason,
             std::string(in.request.body()));
    return false;
}

void UserAgent::Impl::modifyTimers(TimePoint now)
{
    for (auto& [handle, c] : calls) {
        if (c.modify && c.modify->retryAt && *c.modify->retryAt <= now) sendModify(c, now);
    }
}

} // namespace vphone::sip
