// Client transactions (RFC 3261 §17.1) and CANCEL (§9.1).
//
// Theory of operation: sendRequest() sends the request once and arms the state machine's timers.
// INVITE (Figure 5): Calling retransmits on Timer A (T1, doubling; unreliable transports only)
// until Timer B (64*T1) gives up; any 1xx moves to Proceeding, which stops both. A 2xx is passed
// up and ends the transaction (the TU acknowledges 2xx itself). A 300-699 is passed up once, the
// layer builds the ACK (§17.1.1.3) and sends it, and Completed re-sends that ACK for every
// retransmitted final response until Timer D (32 s, 0 on reliable transports).
// Non-INVITE (Figure 6): Trying retransmits on Timer E (T1 doubling up to T2; in Proceeding every
// T2) until Timer F (64*T1); a final response moves to Completed, which absorbs retransmissions
// until Timer K (T4, 0 on reliable transports).
// Responses are matched by top-Via branch and CSeq method (§17.1.3), so the 200 to a CANCEL and
// the 487 to its INVITE, which share a branch, reach different transactions.
#include "transaction_layer.h"

#include "charset.h"

#include <algorithm>

namespace vphone::sip {

namespace {

using namespace std::chrono_literals;

/// §17.1.3 key: branch (case-insensitive, §7.3.1) and CSeq method (case-sensitive, §7.1).
std::string clientKey(std::string_view branch, std::string_view method)
{
    std::string key;
    key.reserve(branch.size() + method.size() + 1);
    for (char c : branch) {
        key += charset::toLower(c);
    }
    key += ' ';
    key.append(method);
    return key;
}

std::string_view topViaText(const Message& m)
{
    const auto via = m.get(HeaderId::Via);
    return via ? firstOfList(*via) : std::string_view{};
}

/// Headers common to the ACK of §17.1.1.3 and the CANCEL of §9.1, in the usual order.
void copyRoutingHeaders(const Message& invite, Message& out)
{
    out.addHeader(HeaderId::Via, topViaText(invite)); // one Via: the INVITE's top one
    for (const auto& h : invite.headers()) {
        if (h.id == HeaderId::Route) out.addHeader(HeaderId::Route, invite.value(h));
    }
    const auto maxForwards = invite.get(HeaderId::MaxForwards);
    out.addHeader(HeaderId::MaxForwards, maxForwards ? *maxForwards : std::string_view("70"));
    if (auto from = invite.get(HeaderId::From)) out.addHeader(HeaderId::From, *from);
}

std::string cseqLine(const Message& invite, std::string_view method)
{
    const auto cseq = invite.cseq();
    return std::to_string(cseq ? cseq->sequence : 0) + " " + std::string(method);
}

/// RFC 3261 §17.1.1.3: the ACK for a non-2xx final response, sent inside the transaction.
Message buildAck(const Message& invite, const Message& response)
{
    Message ack = Message::request(Method::Ack, invite.requestUriText());
    copyRoutingHeaders(invite, ack);
    if (auto to = response.get(HeaderId::To)) ack.addHeader(HeaderId::To, *to); // with its tag
    if (auto callId = invite.callId()) ack.addHeader(HeaderId::CallId, *callId);
    ack.addHeader(HeaderId::CSeq, cseqLine(invite, "ACK"));
    return ack;
}

/// RFC 3261 §9.1: the CANCEL for a pending INVITE.
Message buildCancel(const Message& invite)
{
    Message cancel = Message::request(Method::Cancel, invite.requestUriText());
    copyRoutingHeaders(invite, cancel);
    if (auto to = invite.get(HeaderId::To)) cancel.addHeader(HeaderId::To, *to);
    if (auto callId = invite.callId()) cancel.addHeader(HeaderId::CallId, *callId);
    cancel.addHeader(HeaderId::CSeq, cseqLine(invite, "CANCEL"));
    return cancel;
}

} // namespace

Result<TransactionId> TransactionLayer::sendRequest(Message request, Peer to, TimePoint now)
{
    if (!request.isRequest()) return ParseError{400, 0, "not a request"};
    if (request.method() == Method::Ack) {
        return ParseError{400, 0, "ACK is not a transaction: send it with sendStateless()"};
    }
    if (to.transport == Transport::Invalid) return ParseError{400, 0, "no transport for the next hop"};
    if (transactions_.size() >= maxTransactions_) return ParseError{503, 0, "transaction table full"};
    const auto via = request.topViaView();
    if (!via) return ParseError{400, 0, via.error().what};
    if (!via->branch.starts_with("z9hG4bK")) {
        return ParseError{400, 0, "Via: branch must start with the z9hG4bK magic cookie"};
    }
    const auto cseq = request.cseq();
    if (!cseq) return ParseError{400, 0, cseq.error().what};
    if (cseq->methodText != request.methodText()) return ParseError{400, 0, "CSeq: method differs"};
    std::string key = clientKey(via->branch, cseq->methodText);
    if (clientIndex_.contains(key)) return ParseError{400, 0, "Via: branch already in use"};

    const bool invite = request.method() == Method::Invite;
    Transaction& tx = create(invite ? TransactionKind::InviteClient : TransactionKind::NonInviteClient,
                             invite ? TransactionState::Calling : TransactionState::Trying, std::move(to),
                             std::move(request));
    tx.key = std::move(key);
    clientIndex_.emplace(tx.key, tx.id);
    startClient(tx, now);
    return tx.id;
}

void TransactionLayer::startClient(Transaction& tx, TimePoint now)
{
    tx.held = false;
    tx.requestBytes = tx.request.serialize();
    transmit(tx, tx.requestBytes);
    tx.interval = config_.t1;
    const bool invite = tx.kind == TransactionKind::InviteClient;
    // §17.1.1.2 / §17.1.2.2: retransmit only where the transport does not.
    if (!tx.reliable) arm(tx, invite ? Timer::A : Timer::E, now + tx.interval);
    arm(tx, invite ? Timer::B : Timer::F, now + 64 * config_.t1);
}

Result<TransactionId> TransactionLayer::cancel(TransactionId inviteClientTransaction, TimePoint now)
{
    Transaction* invite = find(inviteClientTransaction);
    if (!invite || invite->kind != TransactionKind::InviteClient ||
        (invite->state != TransactionState::Calling && invite->state != TransactionState::Proceeding)) {
        return ParseError{481, 0, "no pending INVITE client transaction"};
    }
    if (find(invite->cancel)) return invite->cancel;
    if (transactions_.size() >= maxTransactions_) return ParseError{503, 0, "transaction table full"};
    Message request = buildCancel(invite->request);
    std::string key = clientKey(invite->request.topViaView()->branch, "CANCEL");
    if (clientIndex_.contains(key)) return ParseError{400, 0, "Via: branch already in use"};

    Transaction& tx =
        create(TransactionKind::NonInviteClient, TransactionState::Trying, invite->peer, std::move(request));
    tx.key = std::move(key);
    tx.invite = invite->id;
    clientIndex_.emplace(tx.key, tx.id);
    invite->cancel = tx.id; // references into the unordered_map survive create()
    if (invite->state == TransactionState::Proceeding) {
        startClient(tx, now);
        // §9.1: no final response within 64*T1 of the CANCEL: consider the INVITE cancelled.
        arm(*invite, Timer::B, now + 64 * config_.t1);
    } else {
        tx.held = true; // §9.1: wait for a provisional response before sending
    }
    return tx.id;
}

void TransactionLayer::receiveResponse(Message response, const Peer& from, TimePoint now)
{
    const auto via = response.topViaView();
    const auto cseq = response.cseq();
    if (!via || !cseq || response.status() < 100 || response.status() > 699) {
        ++droppedResponses_;
        return;
    }
    const auto it = clientIndex_.find(clientKey(via->branch, cseq->methodText));
    if (it == clientIndex_.end()) {
        if (response.status() / 100 == 2 && cseq->method == Method::Invite) {
            events_.emplace_back(StrayResponse{std::move(response), from});
        } else {
            ++droppedResponses_;
        }
        return;
    }
    Transaction* tx = find(it->second);
    if (!tx || tx->held) {
        ++droppedResponses_; // a response to a CANCEL never sent
        return;
    }
    if (tx->kind == TransactionKind::InviteClient) {
        inviteClientResponse(*tx, std::move(response), now);
    } else {
        nonInviteClientResponse(*tx, std::move(response), now);
    }
}

void TransactionLayer::inviteClientResponse(Transaction& tx, Message response, TimePoint now)
{
    const int status = response.status();
    if (tx.state == TransactionState::Completed) {
        // §17.1.1.2: a retransmitted final response gets the same ACK and goes no further.
        if (status >= 300) {
            transmit(tx, tx.responseBytes);
        } else {
            ++droppedResponses_;
        }
        return;
    }
    if (status < 200) {
        if (tx.state == TransactionState::Calling) {
            tx.state = TransactionState::Proceeding;
            disarm(tx, Timer::A);
            disarm(tx, Timer::B);
            Transaction* held = find(tx.cancel);
            if (held && held->held) {
                startClient(*held, now);
                arm(tx, Timer::B, now + 64 * config_.t1); // §9.1 guard, as in cancel()
            }
        }
        events_.emplace_back(ResponseReceived{tx.id, std::move(response)});
        return;
    }
    if (status < 300) {
        // RFC 3261 §17.1.1.2: the TU sends the ACK for a 2xx; the transaction is done.
        events_.emplace_back(ResponseReceived{tx.id, std::move(response)});
        terminate(tx.id);
        return;
    }
    tx.responseBytes = buildAck(tx.request, response).serialize();
    transmit(tx, tx.responseBytes);
    events_.emplace_back(ResponseReceived{tx.id, std::move(response)});
    // §9.1: a CANCEL still waiting for a provisional response has nothing left to cancel.
    if (const Transaction* held = find(tx.cancel); held && held->held) terminate(held->id);
    tx.state = TransactionState::Completed;
    disarm(tx, Timer::A);
    disarm(tx, Timer::B);
    if (tx.reliable) {
        terminate(tx.id);
    } else {
        arm(tx, Timer::D, now + std::max<std::chrono::milliseconds>(32s, 64 * config_.t1));
    }
}

void TransactionLayer::nonInviteClientResponse(Transaction& tx, Message response, TimePoint now)
{
    if (tx.state == TransactionState::Completed) return; // §17.1.2.2: retransmissions absorbed
    if (response.status() < 200) {
        tx.state = TransactionState::Proceeding; // Timer E keeps running; it fires every T2 now
        events_.emplace_back(ResponseReceived{tx.id, std::move(response)});
        return;
    }
    events_.emplace_back(ResponseReceived{tx.id, std::move(response)});
    tx.state = TransactionState::Completed;
    disarm(tx, Timer::E);
    disarm(tx, Timer::F);
    if (tx.reliable) {
        terminate(tx.id);
    } else {
        arm(tx, Timer::K, now + config_.t4);
    }
}

void TransactionLayer::onClientTimer(Transaction& tx, Timer timer, TimePoint now)
{
    switch (timer) {
    case Timer::A: // §17.1.1.2: retransmit, double the interval
        if (tx.state != TransactionState::Calling) return;
        transmit(tx, tx.requestBytes);
        tx.interval *= 2;
        arm(tx, Timer::A, now + tx.interval);
        return;
    case Timer::E: // §17.1.2.2: doubling up to T2 in Trying, T2 in Proceeding
        if (tx.state != TransactionState::Trying && tx.state != TransactionState::Proceeding) return;
        transmit(tx, tx.requestBytes);
        tx.interval =
            tx.state == TransactionState::Trying ? std::min(2 * tx.interval, config_.t2) : config_.t2;
        arm(tx, Timer::E, now + tx.interval);
        return;
    case Timer::B:
    case Timer::F: timeout(tx, TimeoutCause::Timer); return;
    case Timer::D:
    case Timer::K: terminate(tx.id); return;
    default: return;
    }
}

} // namespace vphone::sip
