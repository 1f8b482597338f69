// UaDriver's STUN server discovery (see "STUN server" in ua_driver.h): one net::stun::
// BindingClient per account, driven here with the Qt clock and a single-shot timer, sending from
// the SIP UDP socket through SipTransport; its answers come back through onStun().
#include "ua/ua_driver.h"

#include <QHostInfo>
#include <QRandomGenerator>

namespace vphone::ua {

void UaDriver::setStunServer(AccountId account, const QString& server)
{
    if (account < 0 || account >= accountCount()) return;
    Account& a = accounts_[static_cast<std::size_t>(account)];
    const int generation = ++a.stunGeneration;
    a.stunQuery.reset();
    if (a.stunTimer) a.stunTimer->stop();
    a.stunTo.reset();
    a.stunServer.clear();
    a.stunPending = false;
    const bool hadMapping = a.stunMapped.has_value();
    a.stunMapped.reset();
    if (hadMapping) flowFailed(account, QStringLiteral("STUN server removed"));
    if (server.trimmed().isEmpty()) return;
    std::string why;
    const auto parsed = net::stun::parseServer(server.toStdString(), &why);
    if (!parsed) {
        emit stunResult(account, false, QString::fromStdString(why));
        return;
    }
    a.stunServer = QString::fromStdString(net::stun::toString(*parsed));
    a.stunPending = true;
    const QHostAddress literal(QString::fromStdString(parsed->host));
    if (!literal.isNull()) {
        startStunQuery(account, literal, parsed->port);
        return;
    }
    const quint16 port = parsed->port;
    QHostInfo::lookupHost(
        QString::fromStdString(parsed->host), this, [this, account, generation, port](const QHostInfo& info) {
            if (account >= accountCount()) return;
            Account& b = accounts_[static_cast<std::size_t>(account)];
            if (b.stunGeneration != generation) return; // set again meanwhile
            // The family of our UDP socket first (IPv4 when both are bound).
            QHostAddress chosen;
            for (const QHostAddress& address : info.addresses()) {
                if (chosen.isNull() || (address.protocol() == QAbstractSocket::IPv4Protocol &&
                                        chosen.protocol() != QAbstractSocket::IPv4Protocol))
                    chosen = address;
            }
            if (chosen.isNull()) {
                emit stunResult(account, false,
                                QStringLiteral("cannot resolve STUN server %1: %2")
                                    .arg(b.stunServer, info.errorString()));
                return;
            }
            startStunQuery(account, chosen, port);
        });
}

bool UaDriver::stunQueryRunning(AccountId account) const
{
    if (account < 0 || account >= accountCount()) return false;
    const Account& a = accounts_[static_cast<std::size_t>(account)];
    return a.stunPending;
}

std::optional<sip::Peer> UaDriver::stunMapped(AccountId account) const
{
    if (account < 0 || account >= accountCount()) return std::nullopt;
    return accounts_[static_cast<std::size_t>(account)].stunMapped;
}

std::vector<sip::Peer> UaDriver::unmappedLocalAddresses(AccountId account) const
{
    if (account < 0 || account >= accountCount()) return {};
    return computeLocals(accounts_[static_cast<std::size_t>(account)], false);
}

void UaDriver::startStunQuery(AccountId account, const QHostAddress& server, quint16 port)
{
    Account& a = accounts_[static_cast<std::size_t>(account)];
    net::stun::TransactionId id{};
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(id.data()),
                                         reinterpret_cast<quint32*>(id.data() + id.size()));
    QHostAddress plain = server;
    plain.setScopeId(QString());
    a.stunTo = sip::Peer{sip::Transport::Udp, plain.toString().toStdString(), port};
    // RFC 5389 timing (500 ms doubling), bounded at 1.5 s like the media's: REGISTER and direct
    // calls wait for the answer, so a silent server must not hold them up longer.
    a.stunQuery = std::make_unique<net::stun::BindingClient>(
        id, now(),
        net::stun::BindingTimers{std::chrono::milliseconds(500), 7, 16, std::chrono::milliseconds(1500)});
    if (!a.stunTimer) {
        a.stunTimer = std::make_unique<QTimer>();
        a.stunTimer->setSingleShot(true);
        a.stunTimer->setTimerType(Qt::PreciseTimer);
        connect(a.stunTimer.get(), &QTimer::timeout, this, [this, account] {
            Account& b = accounts_[static_cast<std::size_t>(account)];
            if (b.stunQuery) b.stunQuery->onTimeout(now());
            pumpStunQuery(account);
        });
    }
    pumpStunQuery(account);
}

void UaDriver::pumpStunQuery(AccountId account)
{
    Account& a = accounts_[static_cast<std::size_t>(account)];
    if (!a.stunQuery || !a.stunTo) return;
    net::stun::BindingClient& q = *a.stunQuery;
    while (auto tx = q.pollTransmit())
        transport_.send(*a.stunTo, QByteArray::fromStdString(*tx));
    if (const auto at = q.nextTimeout()) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*at - now()).count();
        a.stunTimer->start(static_cast<int>(std::max<long long>(wait, 0)));
        return;
    }
    a.stunTimer->stop();
    if (q.state() == net::stun::BindingClient::State::Succeeded) {
        const auto m = *q.mapped(); // a copy: the query (which holds it) goes next
        a.stunMapped = sip::Peer{sip::Transport::Udp, m.host, m.port};
        a.stunQuery.reset();
        a.stunPending = false;
        emit stunResult(account, true, QString::fromStdString(net::stun::toString({m.host, m.port})));
        Account& b = accounts_[static_cast<std::size_t>(account)]; // a slot may have added accounts
        const auto locals = computeLocals(b);
        if (locals != b.locals) {
            b.locals = locals;
            b.ua->networkChanged(locals, now());
            pump();
        }
        return;
    }
    const QString why =
        QStringLiteral("STUN server %1: %2").arg(a.stunServer, QString::fromStdString(q.error()));
    a.stunQuery.reset();
    a.stunPending = false;
    emit stunResult(account, false, why);
}

bool UaDriver::stunQueryReceive(const QByteArray& bytes)
{
    const std::string_view datagram(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    for (int i = 0; i < accountCount(); ++i) {
        Account& a = accounts_[static_cast<std::size_t>(i)];
        if (!a.stunQuery || !a.stunQuery->receive(datagram, now())) continue;
        pumpStunQuery(i);
        return true;
    }
    return false;
}

} // namespace vphone::ua
