// Reliable provisional responses (RFC 3262, "100rel") on both sides of an INVITE.
//
// Theory of operation.
// UAS: an INVITE with Require: 100rel (or Supported: 100rel when the config asks for it) marks
// the call reliable. ringing() then sends its 180 with Require: 100rel and an RSeq (the first
// one random in 1..2^31-1, §3, then +1 each) and keeps it in Call::unacked, retransmitted at T1
// doubling (no cap: §3 says T1 doubling, like Timer A) until the PRACK with the matching RAck
// arrives; after 64*T1 the INVITE is rejected with 500 (§3 SHOULD). One reliable 1xx is
// outstanding at a time. A 2xx asked for before the PRACK is queued (Call::answerQueued) and
// sent when the PRACK comes in, so the answer never overtakes the reliable 1xx (§3). A PRACK
// that matches no unacknowledged 1xx gets 481.
// UAC: our INVITEs say Supported: 100rel. A 1xx with Require: 100rel and an RSeq, in an early
// dialog, gets a PRACK (RAck: rseq cseq INVITE) on that dialog. Each early dialog keeps the
// RSeq of the last in-order reliable 1xx (Dialog::remoteRSeq): a retransmission (same RSeq)
// or one out of order (not last + 1) is discarded, neither PRACKed nor reported (§4). The
// PRACK's own response needs nothing but a retry when challenged.
#include "user_agent_impl.h"

#include "charset.h"

#include <algorithm>

namespace vphone::sip {

namespace {

bool hasOption(const Message& m, HeaderId header, std::string_view option)
{
    const auto values = m.values(header);
    return std::any_of(values.begin(), values.end(),
                       [&](std::string_view v) { return charset::iequals(trimLws(v), option); });
}

} // namespace

bool UserAgent::Impl::wantsReliable(const Message& invite) const
{
    if (hasOption(invite, HeaderId::Require, "100rel")) return true;
    return config.reliableProvisional == ReliableProvisional::WhenSupported &&
           hasOption(invite, HeaderId::Supported, "100rel");
}

bool UserAgent::Impl::sendReliable(Call& c, int status, TimePoint now)
{
    if (c.unacked) return false; // §3: one reliable 1xx outstanding at a time
    if (c.nextRSeq == 0) c.nextRSeq = static_cast<std::uint32_t>(random64() % 0x7fffffffULL) + 1;
    Message r = newResponse(c.request, status, c.localTag);
    r.addHeader(HeaderId::Require, "100rel");
    r.addHeader(HeaderId::RSeq, std::to_string(c.nextRSeq));
    if (!layer.sendResponse(c.serverTx, r, now)) return false;
    PendingReliable p;
    p.response = std::move(r);
    p.rseq = c.nextRSeq++;
    p.interval = layer.timers().t1;
    p.nextAt = now + p.interval;
    p.giveUpAt = now + 64 * layer.timers().t1;
    c.unacked = std::move(p);
    return true;
}

void UserAgent::Impl::onPrack(Call& c, RequestReceived& in, TimePoint now)
{
    const auto rackText = in.request.get(HeaderId::RAck);
    const auto rack = rackText ? parseRAck(*rackText) : Result<RAck>(ParseError{400, 0, "RAck missing"});
    if (!rack) {
        reply(in.id, in.request, 400, now);
        return;
    }
    const auto inviteSeq = c.request.cseq();
    // §3: the PRACK must name the unacknowledged 1xx: its RSeq, and the INVITE's CSeq.
    if (c.outgoing || !c.unacked || rack->rseq != c.unacked->rseq || !inviteSeq ||
        rack->cseq != inviteSeq->sequence || rack->method != Method::Invite) {
        reply(in.id, in.request, 481, now);
        return;
    }
    c.unacked.reset();
    reply(in.id, in.request, 200, now);
    if (c.answerQueued) sendAnswer(c, now);
}

bool UserAgent::Impl::onReliableProvisional(Call& c, Dialog& early, const Message& response, TimePoint now)
{
    const auto rseqText = response.get(HeaderId::RSeq);
    const auto rseq = rseqText ? parseUint32(*rseqText, "RSeq") : Result<std::uint32_t>(ParseError{});
    const auto cseq = response.cseq();
    if (!rseq || !cseq || *rseq == 0) return true; // not usable as reliable: take it as a plain 1xx
    if (early.remoteRSeq) {
        // §4: the same RSeq is a retransmission; any other than the next one is out of order.
        if (*rseq != *early.remoteRSeq + 1) return false;
    }
    early.remoteRSeq = *rseq;
    ClientRequest cr;
    cr.purpose = Purpose::Prack;
    cr.call = c.handle;
    cr.request = dialogRequest(early, Method::Prack, cr.peer);
    cr.request.addHeader(HeaderId::RAck, std::to_string(*rseq) + " " + std::to_string(cseq->sequence) + " " +
                                             cseq->methodText);
    sendClient(std::move(cr), now);
    return true;
}

void UserAgent::Impl::onPrackResponse(const ClientRequest& cr, const Message* response, TimePoint now)
{
    if (!response || (response->status() != 401 && response->status() != 407)) return;
    const TransactionId retry = retryWithAuth(cr, *response, now);
    if (!retry) return;
    // Keep the early dialog's CSeq ahead of the retry's (§12.2.1.1).
    auto it = calls.find(cr.call);
    const auto seq = clients[retry].request.cseq();
    const auto to = cr.request.toView();
    if (it == calls.end() || !seq || !to) return;
    for (auto& d : it->second.early) {
        if (d.remoteTag == to->tag) d.localSeq = std::max(d.localSeq, seq->sequence);
    }
}

void UserAgent::Impl::reliableTimers(TimePoint now)
{
    std::vector<CallHandle> gaveUp;
    for (auto& [handle, c] : calls) {
        if (!c.unacked || c.unacked->nextAt > now) continue;
        PendingReliable& p = *c.unacked;
        if (now >= p.giveUpAt) {
            gaveUp.push_back(handle);
            continue;
        }
        layer.sendResponse(c.serverTx, p.response, now);
        p.interval *= 2; // §3: T1, doubling each time
        p.nextAt = std::min(now + p.interval, p.giveUpAt);
    }
    for (CallHandle handle : gaveUp) {
        Call& c = calls[handle];
        c.unacked.reset();
        // §3: no PRACK within 64*T1: reject the INVITE with a 5xx.
        layer.sendResponse(c.serverTx, newResponse(c.request, 500, c.localTag), now);
        finish(handle, 500, "no PRACK for the reliable provisional response");
    }
}

} // namespace vphone::sip
