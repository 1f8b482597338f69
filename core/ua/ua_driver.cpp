// UaDriver: the sans-I/O user agents on the Qt event loop (see ua_driver.h): sockets and
// listening addresses, timers, network changes, the SIP trace, keep-alives and the pump that
// turns each agent's output into datagrams and signals. Commands: ua_driver_commands.cpp.
#include "ua/ua_driver.h"

#include "net/stun.h"

#include <QDateTime>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QUdpSocket>

#include <chrono>

namespace vphone::ua {

namespace {

bool isWildcard(const QHostAddress& a)
{
    return a == QHostAddress::Any || a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6;
}

/// Host text for a Peer: IPv4-mapped addresses as IPv4, no scope id.
QString hostText(const QHostAddress& a)
{
    bool mapped = false;
    const quint32 v4 = a.toIPv4Address(&mapped);
    if (mapped) return QHostAddress(v4).toString();
    QHostAddress plain = a;
    plain.setScopeId(QString());
    return plain.toString();
}

/// The kernel's choice of source address toward `toward`: connecting a UDP socket sends nothing.
QHostAddress routeSource(const QHostAddress& toward)
{
    QUdpSocket s;
    s.connectToHost(toward, 9);
    if (s.state() != QAbstractSocket::ConnectedState && !s.waitForConnected(100)) return {};
    return s.localAddress();
}

} // namespace

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
    pollTimer_.setTimerType(Qt::CoarseTimer);
    connect(&pollTimer_, &QTimer::timeout, this, &UaDriver::checkNetwork);
    connect(&transport_, &net::SipTransport::messageReceived, this,
            [this](const sip::Message& m, const sip::Peer& from) {
                trace("recv", from, QByteArray::fromStdString(std::string(m.raw())));
                if (accounts_.empty()) return;
                if (m.isResponse() && failoverResponse(m)) return;
                std::vector<AccountKey> keys;
                keys.reserve(accounts_.size());
                for (const auto& a : accounts_)
                    keys.push_back(a.key);
                accounts_[routeToAccount(m, keys)].ua->receive(m, from, now());
                pump();
            });
    connect(&transport_, &net::SipTransport::stunReceived, this, &UaDriver::onStun);
    connect(&transport_, &net::SipTransport::malformedReceived, this,
            [this](const QByteArray& bytes, const sip::ParseError& e, const sip::Peer& from) {
                trace("recv-malformed", from, bytes);
                emit problem(QStringLiteral("malformed message from %1:%2: %3")
                                 .arg(QString::fromStdString(from.host))
                                 .arg(from.port)
                                 .arg(QString::fromStdString(e.what)));
            });
    connect(&transport_, &net::SipTransport::certificateRejected, this,
            [this](sip::TransactionId id, const net::CertificateFailure& failure) {
                if (id == 0) return; // no request of an account waited on it
                const AccountId account = accountOf(id);
                CertificateProblem p{failure, trusted_.value(account)};
                // vphone-cli's --trust-cert pins for every account.
                if (p.trusted.isNull() && transport_.tlsConfig().pinnedCertificate)
                    p.trusted = *transport_.tlsConfig().pinnedCertificate;
                emit certificateFailed(account, p);
            });
    connect(&transport_, &net::SipTransport::sendFailed, this,
            [this](sip::TransactionId id, const sip::Peer&, const QString& why) {
                emit problem(QStringLiteral("send failed: %1").arg(why));
                if (failOver(id)) return;
                transportError(id);
            });
}

UaDriver::~UaDriver() = default;

void UaDriver::setTrustedCertificate(AccountId account, const QSslCertificate& certificate)
{
    if (certificate.isNull()) {
        trusted_.remove(account);
    } else {
        trusted_.insert(account, certificate);
    }
    QList<QSslCertificate> all;
    for (const QSslCertificate& c : std::as_const(trusted_)) {
        if (!all.contains(c)) all.append(c);
    }
    transport_.setTrustedCertificates(all);
}

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
    accounts_.clear();
    const bool several = configs.size() > 1;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        sip::UaConfig& config = configs[i];
        Account a;
        // Where this account's traffic goes, when the config says it by address.
        for (const auto* uri :
             {config.outboundProxy ? &*config.outboundProxy : nullptr,
              config.registrar ? &*config.registrar : nullptr, config.account ? &*config.account : nullptr}) {
            if (uri && a.toward.isNull()) a.toward = QHostAddress(QString::fromStdString(uri->host));
        }
        a.locals = computeLocals(a);
        config.localAddresses = a.locals;
        if (several) config.branchTag = branchTagFor(i);
        if (!config.random) config.random = [] { return QRandomGenerator::system()->generate64(); };
        if (answerer_ && !config.answerOffer) {
            const auto id = static_cast<AccountId>(i);
            config.answerOffer = [this, id](sip::CallHandle call, std::string_view offer) {
                return answerer_(global(id, call), offer);
            };
        }
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
        a.ua->setReferFromAnyone(referFromAnyone_);
        accounts_.push_back(std::move(a));
    }
    lastInterfaces_ = interfaceAddresses();
    lastCheckMono_ = now();
    lastCheckWall_ = wallClock_ ? wallClock_() : QDateTime::currentMSecsSinceEpoch();
    if (pollInterval_ > std::chrono::milliseconds::zero()) pollTimer_.start(pollInterval_);
    pump();
}

std::vector<sip::Peer> UaDriver::computeLocals(const Account& a, bool withStun) const
{
    std::vector<sip::Peer> locals;
    for (const auto& b : bound_) {
        QHostAddress host = b.address;
        if (isWildcard(b.address)) {
            const bool v6 =
                b.address == QHostAddress::AnyIPv6 ||
                (b.address == QHostAddress::Any && a.toward.protocol() == QAbstractSocket::IPv6Protocol);
            QHostAddress toward = a.toward;
            const bool towardV6 = toward.protocol() == QAbstractSocket::IPv6Protocol;
            // No known server (or one of the other family): a documentation address stands in for
            // "the Internet"; a connected UDP socket sends nothing to it.
            if (toward.isNull() || towardV6 != v6)
                toward = QHostAddress(v6 ? QStringLiteral("2001:db8::1") : QStringLiteral("192.0.2.1"));
            host = probe_ ? probe_(toward) : routeSource(toward);
            if (host.isNull() || isWildcard(host))
                host = v6 ? QHostAddress(QHostAddress::LocalHostIPv6) : QHostAddress(QHostAddress::LocalHost);
        }
        locals.push_back(sip::Peer{b.transport, hostText(host).toStdString(), b.port});
        // What the account's STUN server saw replaces the UDP address of the same family.
        if (withStun && a.stunMapped && b.transport == sip::Transport::Udp &&
            (a.stunMapped->host.find(':') != std::string::npos) ==
                (locals.back().host.find(':') != std::string::npos))
            locals.back() = *a.stunMapped;
    }
    return locals;
}

QList<QHostAddress> UaDriver::interfaceAddresses() const
{
    QList<QHostAddress> all = interfaces_ ? interfaces_() : QNetworkInterface::allAddresses();
    std::sort(all.begin(), all.end(),
              [](const QHostAddress& x, const QHostAddress& y) { return x.toString() < y.toString(); });
    return all;
}

bool UaDriver::looksLikeWake(std::chrono::milliseconds monotonicElapsed,
                             std::chrono::milliseconds wallElapsed, std::chrono::milliseconds planned)
{
    constexpr std::chrono::milliseconds kSlack{15000};
    return wallElapsed - monotonicElapsed > kSlack || monotonicElapsed > planned + kSlack;
}

std::vector<sip::Peer> UaDriver::localAddresses(AccountId account) const
{
    if (account < 0 || account >= accountCount()) return {};
    return accounts_[static_cast<std::size_t>(account)].locals;
}

void UaDriver::checkNetwork()
{
    if (accounts_.empty()) return;
    const auto mono = now();
    const qint64 wall = wallClock_ ? wallClock_() : QDateTime::currentMSecsSinceEpoch();
    const auto monoElapsed = std::chrono::duration_cast<std::chrono::milliseconds>(mono - lastCheckMono_);
    const std::chrono::milliseconds wallElapsed{wall - lastCheckWall_};
    lastCheckMono_ = mono;
    lastCheckWall_ = wall;
    QString why;
    if (looksLikeWake(monoElapsed, wallElapsed, pollInterval_)) why = QStringLiteral("woke from sleep");
    const QList<QHostAddress> interfaces = interfaceAddresses();
    if (interfaces != lastInterfaces_ && why.isEmpty()) why = QStringLiteral("interface addresses changed");
    lastInterfaces_ = interfaces;
    bool any = false;
    for (auto& a : accounts_) {
        auto locals = computeLocals(a);
        const bool moved = locals != a.locals;
        if (!moved && why.isEmpty()) continue;
        if (moved && why.isEmpty()) why = QStringLiteral("local address changed");
        if (moved && !locals.empty())
            why += QStringLiteral(" (now %1)").arg(QString::fromStdString(locals.front().host));
        a.locals = locals;
        a.ua->networkChanged(std::move(locals), mono);
        any = true;
    }
    if (!any) return;
    emit networkChanged(why);
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
    QString host = QString::fromStdString(peer.host);
    if (host.contains(QLatin1Char(':'))) host = QStringLiteral("[%1]").arg(host); // IPv6
    const QByteArray head = QStringLiteral("--- %1 %2 %3:%4 (%5 bytes)\n")
                                .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs),
                                     QString::fromLatin1(direction), host)
                                .arg(peer.port)
                                .arg(bytes.size())
                                .toUtf8();
    trace_->write(head);
    trace_->write(bytes);
    if (!bytes.endsWith('\n')) trace_->write("\n");
    trace_->flush();
}

void UaDriver::transportError(std::uint64_t globalTx)
{
    auto* ua = uaOf(accountOf(globalTx));
    if (!ua || local(globalTx) == 0) return;
    ua->transportError(local(globalTx), now());
    pump();
}

void UaDriver::noteRegistrar(std::uint64_t globalTx, const sip::Peer& to, const QHostAddress& address)
{
    const AccountId account = accountOf(globalTx);
    if (account < 0 || account >= accountCount()) return;
    Account& a = accounts_[static_cast<std::size_t>(account)];
    a.flow = to;
    a.toward = address;
}

void UaDriver::updateKeepAlive(AccountId account)
{
    Account& a = accounts_[static_cast<std::size_t>(account)];
    const bool wanted = keepAliveInterval_ > std::chrono::milliseconds::zero() &&
                        a.state == sip::RegistrationState::Registered && a.flow &&
                        a.flow->transport == sip::Transport::Udp;
    if (!wanted) {
        if (a.keepAlive) a.keepAlive->stop();
        a.pendingStun.reset();
        a.missedStun = 0;
        return;
    }
    if (!a.keepAlive) {
        a.keepAlive = std::make_unique<QTimer>();
        a.keepAlive->setSingleShot(true);
        connect(a.keepAlive.get(), &QTimer::timeout, this, [this, account] { sendKeepAlive(account); });
    }
    if (a.keepAlive->isActive()) return;
    // RFC 5626 §4.4.1: each interval is a random 80-100 % of the nominal one.
    const auto ms = keepAliveInterval_.count();
    a.keepAlive->start(static_cast<int>(ms - ms / 5 * QRandomGenerator::global()->bounded(1001) / 1000));
}

void UaDriver::sendKeepAlive(AccountId account)
{
    Account& a = accounts_[static_cast<std::size_t>(account)];
    if (a.state != sip::RegistrationState::Registered || !a.flow) return;
    if (a.pendingStun && a.stunAnswered && ++a.missedStun >= 2) {
        a.pendingStun.reset();
        a.missedStun = 0;
        flowFailed(account, QStringLiteral("keep-alive: no STUN answer from %1:%2")
                                .arg(QString::fromStdString(a.flow->host))
                                .arg(a.flow->port));
    }
    std::array<std::uint8_t, 12> id{};
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(id.data()),
                                         reinterpret_cast<quint32*>(id.data() + id.size()));
    a.pendingStun = id;
    transport_.send(*a.flow, QByteArray::fromStdString(net::stun::bindingRequest(id)));
    updateKeepAlive(account);
}

void UaDriver::onStun(const QByteArray& bytes, const sip::Peer& from)
{
    const auto m =
        net::stun::decode(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    // A server discovery answer (ua_driver_stun.cpp) is not a keep-alive's.
    if (stunQueryReceive(bytes)) return;
    if (!m || m->type != net::stun::kBindingSuccess) return; // we answer no STUN requests
    for (int i = 0; i < accountCount(); ++i) {
        Account& a = accounts_[static_cast<std::size_t>(i)];
        if (!a.pendingStun || *a.pendingStun != m->id) continue;
        a.pendingStun.reset();
        a.missedStun = 0;
        a.stunAnswered = true;
        if (!m->mapped) return;
        const std::pair<std::string, quint16> mapped{m->mapped->host, m->mapped->port};
        const bool changed = a.mapped && *a.mapped != mapped;
        a.mapped = mapped;
        if (changed)
            flowFailed(i, QStringLiteral("keep-alive: %1:%2 now sees us as %3:%4")
                              .arg(QString::fromStdString(from.host))
                              .arg(from.port)
                              .arg(QString::fromStdString(mapped.first))
                              .arg(mapped.second));
        return;
    }
}

void UaDriver::flowFailed(AccountId account, const QString& why)
{
    Account& a = accounts_[static_cast<std::size_t>(account)];
    a.locals = computeLocals(a);
    a.ua->networkChanged(a.locals, now());
    emit networkChanged(why);
    pump();
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
                if constexpr (std::is_same_v<T, sip::RegistrationChanged>) {
                    accounts_[static_cast<std::size_t>(account)].state = e.state;
                    updateKeepAlive(account);
                    emit registrationChanged(account, e);
                }
                if constexpr (std::is_same_v<T, sip::IncomingCall>) {
                    e.call = global(account, e.call);
                    if (e.replaces) e.replaces = global(account, e.replaces);
                    emit incomingCall(account, e);
                }
                if constexpr (std::is_same_v<T, sip::CallStateChanged>) {
                    e.call = global(account, e.call);
                    emit callStateChanged(account, e);
                }
                if constexpr (std::is_same_v<T, sip::MessageReceived>) {
                    e.call = global(account, e.call);
                    emit messageReceived(account, e);
                }
                if constexpr (std::is_same_v<T, sip::MessageResult>) {
                    e.message = global(account, e.message);
                    emit messageResult(account, e);
                }
                if constexpr (std::is_same_v<T, sip::CallModified>) {
                    e.call = global(account, e.call);
                    emit callModified(account, e);
                }
                if constexpr (std::is_same_v<T, sip::SubscriptionNotified>) {
                    e.subscription = global(account, e.subscription);
                    emit subscriptionNotified(account, e);
                }
                if constexpr (std::is_same_v<T, sip::SubscriptionEnded>) {
                    e.subscription = global(account, e.subscription);
                    emit subscriptionEnded(account, e);
                }
                if constexpr (std::is_same_v<T, sip::PublicationResult>) {
                    e.publication = global(account, e.publication);
                    emit publicationResult(account, e);
                }
                if constexpr (std::is_same_v<T, sip::ReferProgress>) {
                    e.call = global(account, e.call);
                    emit referProgress(account, e);
                }
                if constexpr (std::is_same_v<T, sip::ReferReceived>) {
                    e.call = global(account, e.call);
                    emit referReceived(account, e);
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
