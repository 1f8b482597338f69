// The transaction table, its timers and output queues; the state machines themselves live in
// client_transaction.cpp and server_transaction.cpp (theory of operation: transaction_layer.h).
#include "transaction_layer.h"

#include "validate.h"

namespace vphone::sip {

TransactionLayer::TransactionLayer(TimerConfig timers, std::size_t maxTransactions)
    : config_(timers), maxTransactions_(maxTransactions)
{}

std::string TransactionLayer::newBranch(std::string_view randomToken)
{
    std::string branch = "z9hG4bK"; // RFC 3261 §8.1.1.7 magic cookie
    branch.append(randomToken);
    return branch;
}

Message TransactionLayer::buildResponse(const Message& request, int status, std::string_view toTag)
{
    Message response = Message::response(status, reasonPhrase(status));
    for (const auto& h : request.headers()) {
        if (h.id == HeaderId::Via) response.addHeader(HeaderId::Via, request.value(h));
    }
    if (auto from = request.get(HeaderId::From)) response.addHeader(HeaderId::From, *from);
    if (auto to = request.get(HeaderId::To)) {
        std::string value(*to);
        const auto view = request.toView();
        if (!toTag.empty() && view && view->tag.empty()) value += ";tag=" + std::string(toTag);
        response.addHeader(HeaderId::To, value);
    }
    if (auto callId = request.callId()) response.addHeader(HeaderId::CallId, *callId);
    if (auto cseq = request.get(HeaderId::CSeq)) response.addHeader(HeaderId::CSeq, *cseq);
    if (status == 100) {
        // RFC 3261 §8.2.6.1: a 100 (Trying) echoes Timestamp.
        if (auto ts = request.get(HeaderId::Timestamp)) response.addHeader(HeaderId::Timestamp, *ts);
    }
    return response;
}

// ---------------------------------------------------------------- table

TransactionLayer::Transaction& TransactionLayer::create(TransactionKind kind, TransactionState state,
                                                        Peer peer, Message request)
{
    const TransactionId id = nextId_++;
    Transaction& tx = transactions_[id];
    tx.id = id;
    tx.kind = kind;
    tx.state = state;
    tx.reliable = isReliable(peer.transport);
    tx.peer = std::move(peer);
    tx.request = std::move(request);
    return tx;
}

TransactionLayer::Transaction* TransactionLayer::find(TransactionId id)
{
    auto it = transactions_.find(id);
    return it == transactions_.end() ? nullptr : &it->second;
}

const TransactionLayer::Transaction* TransactionLayer::find(TransactionId id) const
{
    auto it = transactions_.find(id);
    return it == transactions_.end() ? nullptr : &it->second;
}

std::optional<TransactionState> TransactionLayer::state(TransactionId id) const
{
    const Transaction* tx = find(id);
    if (!tx) return std::nullopt;
    return tx->state;
}

std::optional<TransactionKind> TransactionLayer::kind(TransactionId id) const
{
    const Transaction* tx = find(id);
    if (!tx) return std::nullopt;
    return tx->kind;
}

void TransactionLayer::terminate(TransactionId id)
{
    auto it = transactions_.find(id);
    if (it == transactions_.end()) return;
    Transaction& tx = it->second;
    for (std::size_t i = 0; i < kTimerCount; ++i) {
        disarm(tx, static_cast<Timer>(i));
    }
    auto unindex = [id](std::unordered_map<std::string, TransactionId>& index, const std::string& key) {
        auto found = index.find(key);
        if (found != index.end() && found->second == id) index.erase(found);
    };
    if (!tx.key.empty()) {
        unindex(tx.kind == TransactionKind::InviteClient || tx.kind == TransactionKind::NonInviteClient
                    ? clientIndex_
                    : serverIndex_,
                tx.key);
    }
    if (!tx.legacyKey.empty()) unindex(legacyIndex_, tx.legacyKey);
    const TransactionId heldCancel = tx.cancel;
    transactions_.erase(it);
    events_.emplace_back(TransactionTerminated{id});
    // §9.1: a CANCEL still waiting for a provisional response has nothing left to cancel.
    if (const Transaction* c = find(heldCancel); c && c->held) terminate(heldCancel);
}

void TransactionLayer::timeout(Transaction& tx, TimeoutCause cause)
{
    events_.emplace_back(TransactionTimeout{tx.id, cause});
    terminate(tx.id);
}

void TransactionLayer::transmit(const Transaction& tx, std::string bytes)
{
    transmits_.push_back(Outgoing{tx.peer, std::move(bytes), tx.id});
}

void TransactionLayer::sendStateless(Message message, Peer to)
{
    transmits_.push_back(Outgoing{std::move(to), message.serialize(), 0});
}

void TransactionLayer::transportError(TransactionId id, TimePoint /*now*/)
{
    if (Transaction* tx = find(id)) timeout(*tx, TimeoutCause::Transport);
}

void TransactionLayer::receive(Message message, Peer from, TimePoint now)
{
    if (message.isRequest()) {
        receiveRequest(std::move(message), from, now);
    } else if (message.isResponse()) {
        receiveResponse(std::move(message), from, now);
    }
}

// ---------------------------------------------------------------- timers

void TransactionLayer::arm(Transaction& tx, Timer timer, TimePoint at)
{
    disarm(tx, timer);
    tx.deadlines[static_cast<std::size_t>(timer)] = at;
    timerQueue_.emplace(at, tx.id, timer);
}

void TransactionLayer::disarm(Transaction& tx, Timer timer)
{
    auto& slot = tx.deadlines[static_cast<std::size_t>(timer)];
    if (!slot) return;
    timerQueue_.erase(std::make_tuple(*slot, tx.id, timer));
    slot.reset();
}

void TransactionLayer::onTimeout(TimePoint now)
{
    while (!timerQueue_.empty()) {
        const auto [at, id, timer] = *timerQueue_.begin();
        if (at > now) break;
        timerQueue_.erase(timerQueue_.begin());
        Transaction* tx = find(id);
        if (!tx) continue;
        tx->deadlines[static_cast<std::size_t>(timer)].reset();
        if (tx->kind == TransactionKind::InviteClient || tx->kind == TransactionKind::NonInviteClient) {
            onClientTimer(*tx, timer, now);
        } else {
            onServerTimer(*tx, timer, now);
        }
    }
}

std::optional<TimePoint> TransactionLayer::nextTimeout() const
{
    if (timerQueue_.empty()) return std::nullopt;
    return std::get<0>(*timerQueue_.begin());
}

// ---------------------------------------------------------------- output

std::optional<Outgoing> TransactionLayer::pollTransmit()
{
    if (transmits_.empty()) return std::nullopt;
    Outgoing out = std::move(transmits_.front());
    transmits_.pop_front();
    return out;
}

std::optional<TransactionEvent> TransactionLayer::pollEvent()
{
    if (events_.empty()) return std::nullopt;
    TransactionEvent ev = std::move(events_.front());
    events_.pop_front();
    return ev;
}

} // namespace vphone::sip
