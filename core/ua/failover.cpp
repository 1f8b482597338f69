// UaDriver's sending side and RFC 3263 §4.3 failover: a request for a host name is sent to the
// first target its SRV/A/AAAA records give; the other targets are kept. The request moves to the
// next one when sending fails (TCP connection refused, TLS refused), when over UDP no response at
// all (not even 100 Trying) came within kNoAnswer, or when the target answers 503 (RFC 3263
// §4.3: "Service Unavailable" means try the next one; the 503 is ACKed when the request was an
// INVITE, as its transaction would have). The move keeps the transaction and its branch: the
// retransmissions the transaction layer still makes go to the current target of the request.
#include "ua/ua_driver.h"

#include "sip/parser.h"

#include <QTimer>

namespace vphone::ua {

namespace {

bool startsWithRegister(const std::string& bytes)
{
    return bytes.rfind("REGISTER ", 0) == 0;
}

/// §17.1.1.3: the ACK for a non-2xx final response to an INVITE, built from the INVITE as sent.
std::optional<sip::Message> ackFor(const sip::Message& invite, const sip::Message& response)
{
    const auto cseq = invite.cseq();
    const auto via = invite.get(sip::HeaderId::Via);
    if (!cseq || !via) return std::nullopt;
    sip::Message ack = sip::Message::request(sip::Method::Ack, invite.requestUriText());
    ack.addHeader(sip::HeaderId::Via, *invite.values(sip::HeaderId::Via).begin());
    ack.addHeader(sip::HeaderId::MaxForwards, "70");
    for (const auto& h : invite.headers()) {
        if (h.id == sip::HeaderId::Route) ack.addHeader(sip::HeaderId::Route, invite.value(h));
    }
    ack.addHeader(sip::HeaderId::From, invite.get(sip::HeaderId::From).value_or(""));
    ack.addHeader(sip::HeaderId::To, response.get(sip::HeaderId::To).value_or(""));
    ack.addHeader(sip::HeaderId::CallId, invite.callId().value_or(""));
    ack.addHeader(sip::HeaderId::CSeq, std::to_string(cseq->sequence) + " ACK");
    return ack;
}

} // namespace

void UaDriver::sendTo(const sip::Outgoing& out, const SipTarget& target)
{
    sip::Outgoing copy = out;
    bool mapped = false;
    const quint32 v4 = target.address.toIPv4Address(&mapped);
    copy.to.host = (mapped ? QHostAddress(v4) : target.address).toString().toStdString();
    copy.to.port = target.port;
    if (startsWithRegister(copy.bytes)) noteRegistrar(copy.id, copy.to, target.address);
    trace("send", copy.to, QByteArray::fromStdString(copy.bytes));
    // RFC 5922 §7.2: a TLS server is verified against the name, not the address it resolved to.
    transport_.send(copy.to, QByteArray::fromStdString(copy.bytes), copy.id,
                    QString::fromStdString(out.to.host));
}

bool UaDriver::failOver(std::uint64_t globalTx)
{
    if (local(globalTx) == 0) return false;
    for (auto& f : failover_) {
        if (f.id != globalTx || f.rest.isEmpty()) continue;
        f.current = f.rest.takeFirst();
        f.answered = false;
        ++f.generation;
        emit problem(QStringLiteral("trying the next server %1:%2")
                         .arg(f.current.address.toString())
                         .arg(f.current.port));
        sendTo(f.out, f.current);
        armNoAnswer(f);
        return true;
    }
    return false;
}

void UaDriver::armNoAnswer(const Failover& f)
{
    if (f.out.to.transport != sip::Transport::Udp || f.rest.isEmpty()) return;
    const std::uint64_t id = f.id;
    const int generation = f.generation;
    QTimer::singleShot(kNoAnswer, this, [this, id, generation] {
        for (const auto& g : failover_) {
            if (g.id != id || g.generation != generation || g.answered) continue;
            emit problem(
                QStringLiteral("no answer from %1:%2").arg(g.current.address.toString()).arg(g.current.port));
            failOver(id);
            return;
        }
    });
}

bool UaDriver::failoverResponse(const sip::Message& response)
{
    if (failover_.isEmpty()) return false;
    const auto via = response.topViaView();
    if (!via || via->branch.empty()) return false;
    for (auto& f : failover_) {
        if (f.branch != via->branch) continue;
        f.answered = true;
        if (response.status() != 503 || f.rest.isEmpty()) return false;
        const auto request = sip::parseMessage(f.out.bytes);
        if (request && request->method() == sip::Method::Invite) {
            if (auto ack = ackFor(*request, response)) {
                sip::Outgoing out = f.out;
                out.bytes = ack->serialize();
                out.id = 0;
                sendTo(out, f.current);
            }
        }
        emit problem(
            QStringLiteral("%1:%2 answered 503").arg(f.current.address.toString()).arg(f.current.port));
        return failOver(f.id);
    }
    return false;
}

void UaDriver::send(AccountId account, const sip::Outgoing& original)
{
    sip::Outgoing out = original;
    out.id = global(account, original.id);
    const QString host = QString::fromStdString(out.to.host);
    QHostAddress literal;
    if (literal.setAddress(host)) {
        if (startsWithRegister(out.bytes)) noteRegistrar(out.id, out.to, literal);
        trace("send", out.to, QByteArray::fromStdString(out.bytes));
        transport_.send(out.to, QByteArray::fromStdString(out.bytes), out.id);
        return;
    }
    // A retransmission of a request already placed (or the ACK its transaction sends for a
    // final error response): it goes where the request is now.
    if (local(out.id) != 0) {
        for (const auto& f : failover_) {
            if (f.id == out.id) {
                sendTo(out, f.current);
                return;
            }
        }
    }
    // RFC 3263: a name is located by SRV then A/AAAA. The user agent gives the default port
    // (5060, or 5061 for TLS) when the URI named none, so only other ports count as explicit.
    const quint16 defaultPort = out.to.transport == sip::Transport::Tls ? 5061 : 5060;
    const bool explicitPort = out.to.port != defaultPort;
    resolver_.resolve(host, out.to.transport, out.to.port, explicitPort,
                      [this, out](const QList<SipTarget>& targets, const QString& error) {
                          if (targets.isEmpty()) {
                              emit problem(error);
                              transportError(out.id);
                              return;
                          }
                          if (targets.size() > 1 && local(out.id) != 0) {
                              constexpr qsizetype kRemembered = 64;
                              if (failover_.size() >= kRemembered) failover_.removeFirst();
                              Failover f;
                              f.id = out.id;
                              f.out = out;
                              f.current = targets.first();
                              f.rest = targets.mid(1);
                              if (const auto m = sip::parseMessage(out.bytes)) {
                                  if (const auto via = m->topViaView()) f.branch = std::string(via->branch);
                              }
                              failover_.append(f);
                              armNoAnswer(failover_.back());
                          }
                          sendTo(out, targets.first());
                      });
}

} // namespace vphone::ua
