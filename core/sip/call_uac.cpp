// Outgoing calls (RFC 3261 §13.2): the INVITE, provisional responses and early dialogs
// (§12.1.2), the 2xx and its ACK (§13.2.2.4), forking, CANCEL (§9.1) and BYE (§15).
//
// Theory of operation: call() sends the INVITE on a client transaction. 1xx with a To tag make
// early dialogs (one per tag). The first 2xx ends the transaction (transaction_layer.h); the
// call then owns a confirmed dialog and the ACK it sent, which it re-sends for every
// retransmission of that 2xx (StrayResponse with the same To tag). A 2xx from another fork
// (StrayResponse with a new To tag) is ACKed and ended with a BYE at once. hangUp() before a
// final response asks the layer to CANCEL (held until the first 1xx, §9.1) and waits for the
// 487; once confirmed it sends BYE and reports Terminated when the BYE is answered or times out.
// Reliable 1xx (Require: 100rel) are PRACKed in their early dialog first (prack.cpp); ones that
// are retransmissions or out of order are dropped there before they change the call's state.
#include "user_agent_impl.h"

#include "charset.h"

#include <algorithm>

namespace vphone::sip {

CallHandle UserAgent::Impl::call(const Uri& target, std::string sdpOffer, TimePoint now)
{
    const CallHandle handle = nextCall++;
    Call& c = calls[handle];
    c.handle = handle;
    c.outgoing = true;
    c.localSdp = std::move(sdpOffer);
    c.focus = focusNewCalls;
    if (calls.size() > kMaxCalls) {
        finish(handle, 503, "Too many calls");
        return handle;
    }
    c.triedTargets.push_back(redirectKey(target));
    if (!sendInvite(c, target, now)) {
        finish(handle, 503, "Cannot send to this address");
        return handle;
    }
    setState(c, CallState::Calling);
    return handle;
}

bool UserAgent::Impl::sendInvite(Call& c, const Uri& target, TimePoint now)
{
    const NextHop hop = nextHop(target, {}, config.outboundProxy);
    Uri toUri = target;
    toUri.headers.clear();
    if (c.focus) focusCallIds.erase(callIdOf(c)); // a redirect: the new INVITE's Call-ID replaces it
    inviteFocus = c.focus;
    c.invite = newRequest(Method::Invite, hop, identity() + ";tag=" + token(), "<" + toUri.toString() + ">",
                          newCallId(), 1, true);
    inviteFocus = false;
    if (c.focus) focusCallIds.insert(callIdOf(c));
    if (!c.localSdp.empty()) c.invite.setBody(c.localSdp, "application/sdp");
    ClientRequest cr;
    cr.purpose = Purpose::Invite;
    cr.call = c.handle;
    cr.peer = hop.peer;
    cr.request = c.invite;
    c.inviteTx = sendClient(std::move(cr), now);
    return c.inviteTx != 0;
}

Message UserAgent::Impl::ackFor(Dialog& dialog, std::uint32_t cseq, Peer& peer)
{
    const NextHop hop = nextHop(dialog.remoteTarget, dialog.routeSet, config.outboundProxy);
    peer = hop.peer;
    Message ack = Message::request(Method::Ack, hop.requestUri);
    ack.addHeader(HeaderId::Via, via(hop.peer.transport));
    ack.addHeader(HeaderId::MaxForwards, "70");
    for (const auto& r : hop.routes) {
        ack.addHeader(HeaderId::Route, r);
    }
    ack.addHeader(HeaderId::From, dialog.localParty);
    ack.addHeader(HeaderId::To, dialog.remoteParty);
    ack.addHeader(HeaderId::CallId, dialog.callId);
    // §13.2.2.4: the ACK carries the INVITE's CSeq number.
    ack.addHeader(HeaderId::CSeq, std::to_string(cseq) + " ACK");
    ack.addHeader(HeaderId::UserAgent, config.userAgent);
    return ack;
}

void UserAgent::Impl::onInviteResponse(ClientRequest& cr, const Message& response, TimePoint now)
{
    auto it = calls.find(cr.call);
    const int status = response.status();
    if (it == calls.end()) {
        // The call is gone (hung up and reported): a late 2xx still needs its ACK and a BYE.
        if (status / 100 == 2) {
            if (auto d = dialogAsUac(cr.request, response)) {
                Peer peer;
                Message ack = ackFor(*d, d->localSeq, peer);
                layer.sendStateless(std::move(ack), peer);
                sendOrphanBye(std::move(*d), now);
            }
        }
        return;
    }
    Call& c = it->second;
    if (status < 200) {
        if (status == 100) return;
        auto early = dialogAsUac(cr.request, response);
        if (early) {
            auto same = std::find_if(c.early.begin(), c.early.end(),
                                     [&](const Dialog& d) { return d.remoteTag == early->remoteTag; });
            if (same == c.early.end()) {
                c.early.push_back(std::move(*early));
                same = std::prev(c.early.end());
            } else {
                same->remoteTarget = early->remoteTarget; // §12.1.2: 1xx may refresh the target
            }
            const auto require = response.values(HeaderId::Require);
            const bool reliable = std::any_of(require.begin(), require.end(), [](std::string_view v) {
                return charset::iequals(trimLws(v), "100rel");
            });
            if (reliable && !onReliableProvisional(c, *same, response, now)) return;
        }
        if (c.cancelRequested) return;
        if (status == 180 || status == 181 || status == 182) {
            if (c.state != CallState::Ringing)
                setState(c, CallState::Ringing, status, std::string(response.reason()));
        } else if (status == 183 && !response.body().empty()) {
            setState(c, CallState::EarlyMedia, status, std::string(response.reason()),
                     std::string(response.body()));
        } else if (c.state == CallState::Calling) {
            setState(c, CallState::Proceeding, status, std::string(response.reason()));
        }
        return;
    }
    if (status < 300) {
        auto d = dialogAsUac(cr.request, response);
        if (!d) {
            finish(c.handle, 502, "2xx without a To tag");
            return;
        }
        for (const auto& e : c.early) {
            // PRACKs and UPDATEs sent in the early dialog count on in the confirmed one.
            if (e.remoteTag == d->remoteTag) d->localSeq = std::max(d->localSeq, e.localSeq);
        }
        c.early.clear();
        c.dialog = std::move(*d);
        c.ack = ackFor(*c.dialog, cr.request.cseq()->sequence, c.ackPeer);
        layer.sendStateless(*c.ack, c.ackPeer);
        if (c.cancelRequested) {
            // The 2xx crossed our CANCEL (§9.1): the call was accepted, so end it with BYE.
            sendBye(c, now);
            return;
        }
        setState(c, CallState::Confirmed, status, std::string(response.reason()),
                 std::string(response.body()));
        noteRemoteContact(response);
        return;
    }
    if ((status == 401 || status == 407) && !c.cancelRequested) {
        if (TransactionId retry = retryWithAuth(cr, response, now)) {
            c.inviteTx = retry;
            c.invite = clients[retry].request;
            return;
        }
    }
    if (status < 400 && !c.cancelRequested) {
        onRedirect(c, response, now);
        return;
    }
    // §8.1.3.4: a redirected call that fails at one target goes on with the next one.
    if (!c.cancelRequested && !c.redirectTargets.empty() && tryNextTarget(c, status, now)) return;
    finish(c.handle, status, std::string(response.reason()));
}

void UserAgent::Impl::onStrayResponse(const Message& response, const Peer& /*from*/, TimePoint now)
{
    const auto from = response.fromView();
    const auto to = response.toView();
    const auto callId = response.callId();
    const auto cseq = response.cseq();
    if (!from || !to || !callId || !cseq || to->tag.empty()) return;
    for (auto& [handle, c] : calls) {
        if (!c.dialog || !c.dialog->matches(*callId, from->tag, to->tag)) continue;
        // §13.2.2.4: a retransmitted 2xx (to the first INVITE or to a re-INVITE of ours, on
        // either side of the call) gets the same ACK again.
        if (c.ack && c.ack->cseq() && c.ack->cseq()->sequence == cseq->sequence) {
            layer.sendStateless(*c.ack, c.ackPeer);
        } else {
            Peer peer;
            layer.sendStateless(ackFor(*c.dialog, cseq->sequence, peer), peer);
        }
        return;
    }
    for (auto& [handle, c] : calls) {
        if (!c.outgoing || c.invite.callId() != callId) continue;
        const auto ours = c.invite.fromView();
        if (!ours || ours->tag != from->tag) continue;
        // §13.2.2.4: another fork answered too. ACK it, then end that dialog with BYE.
        auto d = dialogAsUac(c.invite, response);
        if (!d) return;
        d->localSeq = cseq->sequence;
        Peer peer;
        Message ack = ackFor(*d, cseq->sequence, peer);
        layer.sendStateless(std::move(ack), peer);
        sendOrphanBye(std::move(*d), now);
        return;
    }
}

void UserAgent::Impl::sendBye(Call& c, TimePoint now)
{
    if (!c.dialog) {
        finish(c.handle, 0, "BYE sent");
        return;
    }
    c.ending = true;
    ClientRequest cr;
    cr.purpose = Purpose::Bye;
    cr.call = c.handle;
    cr.request = dialogRequest(*c.dialog, Method::Bye, cr.peer);
    if (!sendClient(std::move(cr), now)) finish(c.handle, 0, "BYE sent");
}

void UserAgent::Impl::sendOrphanBye(Dialog dialog, TimePoint now)
{
    ClientRequest cr;
    cr.purpose = Purpose::OrphanBye;
    cr.request = dialogRequest(dialog, Method::Bye, cr.peer);
    sendClient(std::move(cr), now);
}

void UserAgent::Impl::onByeResponse(const ClientRequest& cr, const Message* response, TimePoint now)
{
    if (response && (response->status() == 401 || response->status() == 407)) {
        if (TransactionId retry = retryWithAuth(cr, *response, now)) {
            // Keep the dialog's CSeq ahead of the retry's (§12.2.1.1).
            auto it = calls.find(cr.call);
            if (it != calls.end() && it->second.dialog) {
                if (auto seq = clients[retry].request.cseq()) {
                    it->second.dialog->localSeq = std::max(it->second.dialog->localSeq, seq->sequence);
                }
            }
            return;
        }
    }
    if (cr.purpose == Purpose::Bye && calls.contains(cr.call)) finish(cr.call, 0, "BYE sent");
}

void UserAgent::Impl::hangUp(CallHandle handle, TimePoint now)
{
    auto it = calls.find(handle);
    if (it == calls.end()) return;
    Call& c = it->second;
    if (!c.outgoing) {
        if (c.dialog) {
            // Answered: §15 wants the ACK before a BYE; without it, the BYE goes when we give up.
            if (c.pendingOk && c.pendingOk->initial) {
                c.ending = true;
            } else if (!c.ending) {
                sendBye(c, now);
            }
        } else {
            reject(handle, 603, now);
        }
        return;
    }
    if (c.ending) return;
    if (c.dialog) {
        sendBye(c, now);
        return;
    }
    if (c.cancelRequested) return;
    c.cancelRequested = true;
    // §9.1: the layer holds the CANCEL until the first 1xx; the 487 then ends the call.
    if (!layer.cancel(c.inviteTx, now)) finish(handle, 487, "Request Terminated");
}

} // namespace vphone::sip
