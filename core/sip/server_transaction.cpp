// Server transactions (RFC 3261 §17.2, RFC 6026) and request matching (§17.2.3).
//
// Theory of operation: a request that matches no transaction creates one and goes up as
// RequestReceived; a matching one is a retransmission, answered with the last response sent.
// INVITE (Figure 7 as amended by RFC 6026): Proceeding sends the TU's provisionals, and a 100
// (Trying) itself when the TU has sent nothing within 200 ms (§17.2.1). A 2xx moves to Accepted:
// Timer L (64*T1) keeps the transaction alive to absorb INVITE retransmissions while ACKs for the
// 2xx go up as AckReceived. A 300-699 moves to Completed: Timer G (T1 doubling to T2,
// unreliable transports only) retransmits it until the ACK arrives (then Confirmed, absorbing
// ACKs until Timer I: T4, 0 on reliable transports) or Timer H (64*T1) gives up.
// Non-INVITE (Figure 8): Trying, Proceeding after a 1xx, Completed after the final response,
// which lives for Timer J (64*T1, 0 on reliable transports) to answer retransmissions.
//
// Matching: with the magic cookie, branch + sent-by + method, where ACK counts as INVITE and
// CANCEL is its own method (findInviteFor() finds the INVITE a CANCEL refers to). Without it
// (RFC 2543 peers): Request-URI, From tag, Call-ID, CSeq number, top Via and method, plus the
// To tag: the request's for retransmissions and CANCEL, the final response's for ACK.
// Responses go to the Peer the request came from (the transport reports the real source, which
// is where §18.2.2 with RFC 3581 rport sends them); the TU answers a CANCEL with 200 and the
// INVITE it cancels with 487 (§9.2).
#include "transaction_layer.h"

#include "charset.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace vphone::sip {

namespace {

using namespace std::chrono_literals;

/// §17.2.1: send 100 (Trying) if the TU has not answered within this time.
constexpr auto kTrying100Delay = 200ms;
/// Retry-After of the stateless 503 sent when the table is full.
constexpr auto kRetryAfter = 5s;

constexpr std::string_view kMagicCookie = "z9hG4bK";

void appendLower(std::string& out, std::string_view s)
{
    for (char c : s) {
        out += charset::toLower(c);
    }
}

struct RequestKey {
    std::string key;
    bool legacy = false; ///< RFC 2543 tuple; the To tag is compared apart
};

/// The §17.2.3 matching key of a request, as if its method were `method`.
std::optional<RequestKey> requestKey(const Message& m, std::string_view method)
{
    const auto via = m.topViaView();
    const auto cseq = m.cseq();
    if (!via || !cseq) return std::nullopt;
    RequestKey k;
    if (via->branch.starts_with(kMagicCookie)) {
        appendLower(k.key, via->branch);
        k.key += ' ';
        appendLower(k.key, via->host);
        if (via->port) k.key += ':' + std::to_string(*via->port);
        k.key += ' ';
        k.key.append(method);
        return k;
    }
    k.legacy = true;
    const auto from = m.fromView();
    const std::string sequence = std::to_string(cseq->sequence);
    const std::string_view parts[] = {
        m.requestUriText(), from ? from->tag : std::string_view{},          m.callId().value_or(""),
        sequence,           firstOfList(m.get(HeaderId::Via).value_or("")), method};
    for (std::string_view part : parts) {
        k.key.append(part);
        k.key += '\n';
    }
    return k;
}

std::string_view toTag(const Message& m)
{
    const auto to = m.toView();
    return to ? to->tag : std::string_view{};
}

/// A To tag for stateless responses: the same for every retransmission of the request.
std::string statelessTag(const Message& request)
{
    std::string seed(request.callId().value_or(""));
    if (const auto via = request.topViaView()) seed.append(via->branch);
    char text[17];
    std::snprintf(text, sizeof text, "%016zx", std::hash<std::string>{}(seed));
    return text;
}

} // namespace

TransactionId TransactionLayer::matchServer(const Message& request, const std::string& key, bool legacy) const
{
    const auto& index = legacy ? legacyIndex_ : serverIndex_;
    const auto it = index.find(key);
    if (it == index.end()) return 0;
    const Transaction* tx = find(it->second);
    if (!tx) return 0;
    if (legacy) {
        const std::string& expected = request.method() == Method::Ack ? tx->finalToTag : tx->requestToTag;
        if (toTag(request) != expected) return 0;
    }
    return tx->id;
}

std::optional<TransactionId> TransactionLayer::findInviteFor(const Message& cancel) const
{
    if (!cancel.isRequest() || cancel.method() != Method::Cancel) return std::nullopt;
    const auto k = requestKey(cancel, "INVITE");
    if (!k) return std::nullopt;
    const Transaction* tx = find(matchServer(cancel, k->key, k->legacy));
    if (!tx || tx->kind != TransactionKind::InviteServer) return std::nullopt;
    return tx->id;
}

void TransactionLayer::receiveRequest(Message request, const Peer& from, TimePoint now)
{
    const bool ack = request.method() == Method::Ack;
    auto k = requestKey(request, ack ? std::string_view("INVITE") : request.methodText());
    if (!k) {
        ++droppedRequests_;
        return;
    }
    Transaction* tx = find(matchServer(request, k->key, k->legacy));
    if (ack) {
        if (tx && tx->kind == TransactionKind::InviteServer) {
            inviteServerAck(*tx, std::move(request), from, now);
        } else {
            events_.emplace_back(AckReceived{std::move(request), from}); // §17.2.3: ACK for a 2xx
        }
        return;
    }
    if (tx) {
        retransmitResponse(*tx);
        return;
    }
    if (transactions_.size() >= maxTransactions_) {
        // Overload: answer without creating state (RFC 3261 §21.5.4).
        Message busy = buildResponse(request, 503, statelessTag(request));
        busy.addHeader(HeaderId::RetryAfter, std::to_string(kRetryAfter.count()));
        sendStateless(std::move(busy), from);
        return;
    }
    const bool invite = request.method() == Method::Invite;
    std::string requestToTag(toTag(request));
    Transaction& created =
        create(invite ? TransactionKind::InviteServer : TransactionKind::NonInviteServer,
               invite ? TransactionState::Proceeding : TransactionState::Trying, from, request);
    created.requestToTag = std::move(requestToTag);
    if (k->legacy) {
        created.legacyKey = std::move(k->key);
        legacyIndex_.emplace(created.legacyKey, created.id);
    } else {
        created.key = std::move(k->key);
        serverIndex_.emplace(created.key, created.id);
    }
    if (invite) arm(created, Timer::Trying100, now + kTrying100Delay);
    events_.emplace_back(RequestReceived{created.id, std::move(request), from});
}

void TransactionLayer::retransmitResponse(Transaction& tx)
{
    // §17.2.1 / §17.2.2: a retransmitted request gets the last response again; Trying has none
    // yet, and Accepted / Confirmed absorb.
    if (tx.responseBytes.empty()) return;
    if (tx.state == TransactionState::Proceeding || tx.state == TransactionState::Completed) {
        transmit(tx, tx.responseBytes);
    }
}

void TransactionLayer::inviteServerAck(Transaction& tx, Message ack, const Peer& from, TimePoint now)
{
    if (tx.state == TransactionState::Accepted) {
        // RFC 6026 §8.4: the ACK for a 2xx is the TU's business.
        events_.emplace_back(AckReceived{std::move(ack), from});
        return;
    }
    if (tx.state != TransactionState::Completed) return; // Confirmed absorbs; Proceeding has nothing to ACK
    tx.state = TransactionState::Confirmed;
    disarm(tx, Timer::G);
    disarm(tx, Timer::H);
    if (tx.reliable) {
        terminate(tx.id);
    } else {
        arm(tx, Timer::I, now + config_.t4);
    }
}

bool TransactionLayer::sendResponse(TransactionId serverTransaction, Message response, TimePoint now)
{
    Transaction* tx = find(serverTransaction);
    const int status = response.status();
    if (!tx || !response.isResponse() || status < 100 || status > 699) return false;
    if (tx->kind == TransactionKind::InviteServer) {
        if (tx->state == TransactionState::Accepted) {
            if (status / 100 != 2) return false;
            transmit(*tx, response.serialize()); // RFC 6026 §7.1: the TU's 2xx retransmissions
            return true;
        }
        if (tx->state != TransactionState::Proceeding) return false;
        disarm(*tx, Timer::Trying100);
        std::string bytes = response.serialize();
        transmit(*tx, bytes);
        if (status < 200) {
            tx->responseBytes = std::move(bytes);
            return true;
        }
        tx->finalToTag = std::string(toTag(response));
        if (status < 300) {
            tx->state = TransactionState::Accepted;
            tx->responseBytes.clear(); // 2xx retransmission belongs to the TU
            arm(*tx, Timer::L, now + 64 * config_.t1);
            return true;
        }
        tx->responseBytes = std::move(bytes);
        tx->state = TransactionState::Completed;
        tx->interval = config_.t1;
        if (!tx->reliable) arm(*tx, Timer::G, now + tx->interval);
        arm(*tx, Timer::H, now + 64 * config_.t1);
        return true;
    }
    if (tx->kind != TransactionKind::NonInviteServer) return false;
    if (tx->state != TransactionState::Trying && tx->state != TransactionState::Proceeding) return false;
    tx->responseBytes = response.serialize();
    transmit(*tx, tx->responseBytes);
    if (status < 200) {
        tx->state = TransactionState::Proceeding;
        return true;
    }
    tx->state = TransactionState::Completed;
    if (tx->reliable) {
        terminate(tx->id);
    } else {
        arm(*tx, Timer::J, now + 64 * config_.t1);
    }
    return true;
}

void TransactionLayer::onServerTimer(Transaction& tx, Timer timer, TimePoint now)
{
    switch (timer) {
    case Timer::Trying100:
        if (tx.state == TransactionState::Proceeding && tx.responseBytes.empty()) {
            tx.responseBytes = buildResponse(tx.request, 100).serialize();
            transmit(tx, tx.responseBytes);
        }
        return;
    case Timer::G: // §17.2.1: retransmit the final response, doubling up to T2
        if (tx.state != TransactionState::Completed) return;
        transmit(tx, tx.responseBytes);
        tx.interval = std::min(2 * tx.interval, config_.t2);
        arm(tx, Timer::G, now + tx.interval);
        return;
    case Timer::H: timeout(tx, TimeoutCause::Timer); return; // no ACK ever came
    case Timer::I:
    case Timer::J:
    case Timer::L: terminate(tx.id); return;
    default: return;
    }
}

} // namespace vphone::sip
