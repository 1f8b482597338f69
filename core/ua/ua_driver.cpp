#include "ua/ua_driver.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <chrono>

namespace vphone::ua {

UaDriver::UaDriver(QObject* parent) : QObject(parent)
{
    timer_.setSingleShot(true);
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, [this] {
        const auto t = now();
        for (auto& a : accounts_)
            a.ua->onTimeout(t);
        pump();
    });
    connect(&transport_, &net::SipTransport::messageReceived, this,
            [this](const sip::Message& m, const sip::Peer& from) {
                trace("recv", from, QByteArray::fromStdString(std::string(m.raw())));
                if (accounts_.empty()) return;
                std::vector<AccountKey> keys;
                keys.reserve(accounts_.size());
                for (const auto& a : accounts_)
                    keys.push_back(a.key);
                accounts_[routeToAccount(m, keys)].ua->receive(m, from, now());
                pump();
            });
    connect(&transport_, &net::SipTransport::malformedReceived, this,
            [this](const QByteArray& bytes, const sip::ParseError& e, const sip::Peer& from) {
                trace("recv-malformed", from, bytes);
                emit problem(QStringLiteral("malformed message from %1:%2: %3")
                                 .arg(QString::fromStdString(from.host))
                                 .arg(from.port)
                                 .arg(QString::fromStdString(e.what)));
            });
    connect(&transport_, &net::SipTransport::sendFailed, this,
            [this](sip::TransactionId id, const sip::Peer&, const QString& why) {
                emit problem(QStringLiteral("send failed: %1").arg(why));
                if (failOver(id)) return;
                transportError(id);
            });
}

UaDriver::~UaDriver() = default;

sip::TimePoint UaDriver::now()
{
    return std::chrono::steady_clock::now();
}

bool UaDriver::listen(const QList<net::ListenSpec>& addresses, QString* error)
{
    for (const auto& a : addresses) {
        if (!transport_.listen(a, error)) return false;
    }
    bound_ = transport_.boundAddresses();
    return true;
}

void UaDriver::start(sip::UaConfig config)
{
    std::vector<sip::UaConfig> one;
    one.push_back(std::move(config));
    start(std::move(one));
}

void UaDriver::start(std::vector<sip::UaConfig> configs)
{
    std::vector<sip::Peer> locals;
    for (const auto& b : bound_) {
        bool mapped = false;
        const quint32 v4 = b.address.toIPv4Address(&mapped);
        QString host = mapped ? QHostAddress(v4).toString() : b.address.toString();
        if (b.address == QHostAddress::Any || b.address == QHostAddress::AnyIPv4)
            host = QStringLiteral("127.0.0.1");
        locals.push_back(sip::Peer{b.transport, host.toStdString(), b.port});
    }
    accounts_.clear();
    const bool several = configs.size() > 1;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        sip::UaConfig& config = configs[i];
        config.localAddresses = locals;
        if (several) config.branchTag = branchTagFor(i);
        if (!config.random) config.random = [] { return QRandomGenerator::system()->generate64(); };
        Account a;
        a.key.branchTag = config.branchTag;
        if (config.account) {
            a.key.user = config.account->user;
            a.key.host = config.account->host;
            sip::Uri aor = *config.account;
            aor.password.reset();
            aor.headers.clear();
            a.aor = QString::fromStdString(aor.toString());
        }
        a.ua = std::make_unique<sip::UserAgent>(std::move(config));
        accounts_.push_back(std::move(a));
    }
    pump();
}

QString UaDriver::accountUri(AccountId account) const
{
    if (account < 0 || account >= accountCount()) return {};
    return accounts_[static_cast<std::size_t>(account)].aor;
}

sip::UserAgent* UaDriver::uaOf(AccountId account) const
{
    if (account < 0 || account >= accountCount()) return nullptr;
    return accounts_[static_cast<std::size_t>(account)].ua.get();
}

std::size_t UaDriver::activeCalls() const
{
    std::size_t n = 0;
    for (const auto& a : accounts_)
        n += a.ua->activeCalls();
    return n;
}

bool UaDriver::setTraceFile(const QString& path, QString* error)
{
    auto f = std::make_unique<QFile>(path);
    if (!f->open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error) *error = QStringLiteral("cannot write trace file %1: %2").arg(path, f->errorString());
        return false;
    }
    trace_ = std::move(f);
    return true;
}

void UaDriver::trace(const char* direction, const sip::Peer& peer, const QByteArray& bytes)
{
    if (!trace_) return;
    const QByteArray head = QStringLiteral("--- %1 %2 %3:%4 (%5 bytes)\n")
                                .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs),
                                     QString::fromLatin1(direction), QString::fromStdString(peer.host))
                                .arg(peer.port)
                                .arg(bytes.size())
                                .toUtf8();
    trace_->write(head);
    trace_->write(bytes);
    if (!bytes.endsWith('\n')) trace_->write("\n");
    trace_->flush();
}

void UaDriver::registerAccount()
{
    for (int i = 0; i < accountCount(); ++i) {
        if (!accounts_[static_cast<std::size_t>(i)].aor.isEmpty()) registerAccount(i);
    }
}

void UaDriver::registerAccount(AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return;
    ua->registerAccount(now());
    pump();
}

void UaDriver::unregister()
{
    for (int i = 0; i < accountCount(); ++i) {
        if (!accounts_[static_cast<std::size_t>(i)].aor.isEmpty()) unregister(i);
    }
}

void UaDriver::unregister(AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return;
    ua->unregister(now());
    pump();
}

sip::CallHandle UaDriver::call(const sip::Uri& target, const std::string& sdpOffer, AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, ua->call(target, sdpOffer, now()));
    pump();
    return h;
}

void UaDriver::ringing(sip::CallHandle call)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->ringing(local(call), now());
    pump();
}

void UaDriver::answer(sip::CallHandle call, const std::string& sdpAnswer)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->answer(local(call), sdpAnswer, now());
    pump();
}

void UaDriver::reject(sip::CallHandle call, int code)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->reject(local(call), code, now());
    pump();
}

void UaDriver::hangUp(sip::CallHandle call)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->hangUp(local(call), now());
    pump();
}

void UaDriver::reinvite(sip::CallHandle call, const std::string& sdpOffer)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->reinvite(local(call), sdpOffer, now());
    pump();
}

void UaDriver::update(sip::CallHandle call, const std::string& sdpOffer)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->update(local(call), sdpOffer, now());
    pump();
}

sip::MessageHandle UaDriver::sendMessage(const sip::Uri& to, const std::string& contentType,
                                         const std::string& body, AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, ua->sendMessage(to, contentType, body, now()));
    pump();
    return h;
}

void UaDriver::transportError(std::uint64_t globalTx)
{
    auto* ua = uaOf(accountOf(globalTx));
    if (!ua || local(globalTx) == 0) return;
    ua->transportError(local(globalTx), now());
    pump();
}

void UaDriver::sendTo(const sip::Outgoing& out, const SipTarget& target)
{
    sip::Outgoing copy = out;
    bool mapped = false;
    const quint32 v4 = target.address.toIPv4Address(&mapped);
    copy.to.host = (mapped ? QHostAddress(v4) : target.address).toString().toStdString();
    copy.to.port = target.port;
    trace("send", copy.to, QByteArray::fromStdString(copy.bytes));
    // RFC 5922 §7.2: a TLS server is verified against the name, not the address it resolved to.
    transport_.send(copy.to, QByteArray::fromStdString(copy.bytes), copy.id,
                    QString::fromStdString(out.to.host));
}

bool UaDriver::failOver(std::uint64_t globalTx)
{
    if (local(globalTx) == 0) return false;
    for (qsizetype i = 0; i < failover_.size(); ++i) {
        if (failover_[i].id != globalTx || failover_[i].rest.isEmpty()) continue;
        const SipTarget next = failover_[i].rest.takeFirst();
        emit problem(
            QStringLiteral("trying the next server %1:%2").arg(next.address.toString()).arg(next.port));
        sendTo(failover_[i].out, next);
        return true;
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
        trace("send", out.to, QByteArray::fromStdString(out.bytes));
        transport_.send(out.to, QByteArray::fromStdString(out.bytes), out.id);
        return;
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
                              failover_.append(Failover{out.id, out, targets.mid(1)});
                          }
                          sendTo(out, targets.first());
                      });
}

void UaDriver::pumpAccount(AccountId account, bool& again)
{
    sip::UserAgent& ua = *accounts_[static_cast<std::size_t>(account)].ua;
    while (auto out = ua.pollTransmit())
        send(account, *out);
    while (auto ev = ua.pollEvent()) {
        again = true;
        std::visit(
            [this, account](auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, sip::RegistrationChanged>)
                    emit registrationChanged(account, e);
                if constexpr (std::is_same_v<T, sip::IncomingCall>) {
                    e.call = global(account, e.call);
                    if (e.replaces) e.replaces = global(account, e.replaces);
                    emit incomingCall(account, e);
                }
                if constexpr (std::is_same_v<T, sip::CallStateChanged>) {
                    e.call = global(account, e.call);
                    emit callStateChanged(account, e);
                }
                if constexpr (std::is_same_v<T, sip::MessageReceived>) emit messageReceived(account, e);
                if constexpr (std::is_same_v<T, sip::MessageResult>) {
                    e.message = global(account, e.message);
                    emit messageResult(account, e);
                }
                if constexpr (std::is_same_v<T, sip::CallModified>) {
                    e.call = global(account, e.call);
                    emit callModified(account, e);
                }
            },
            *ev);
    }
}

void UaDriver::pump()
{
    if (accounts_.empty() || pumping_) return;
    pumping_ = true; // a slot may call a command: it pumps once we return
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; i < accountCount(); ++i)
            pumpAccount(i, again);
    }
    pumping_ = false;
    std::optional<sip::TimePoint> next;
    for (const auto& a : accounts_) {
        const auto at = a.ua->nextTimeout();
        if (at && (!next || *at < *next)) next = at;
    }
    if (next) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now()).count();
        timer_.start(static_cast<int>(std::clamp<long long>(wait, 0, 24LL * 3600 * 1000)));
    } else {
        timer_.stop();
    }
}

} // namespace vphone::ua
