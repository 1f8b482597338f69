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
        if (ua_) ua_->onTimeout(now());
        pump();
    });
    connect(&transport_, &net::SipTransport::messageReceived, this,
            [this](const sip::Message& m, const sip::Peer& from) {
                trace("recv", from, QByteArray::fromStdString(std::string(m.raw())));
                if (!ua_) return;
                ua_->receive(m, from, now());
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
                if (!ua_ || id == 0) return;
                ua_->transportError(id, now());
                pump();
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
    config.localAddresses.clear();
    for (const auto& b : bound_) {
        bool mapped = false;
        const quint32 v4 = b.address.toIPv4Address(&mapped);
        QString host = mapped ? QHostAddress(v4).toString() : b.address.toString();
        if (b.address == QHostAddress::Any || b.address == QHostAddress::AnyIPv4)
            host = QStringLiteral("127.0.0.1");
        config.localAddresses.push_back(sip::Peer{b.transport, host.toStdString(), b.port});
    }
    if (!config.random) config.random = [] { return QRandomGenerator::system()->generate64(); };
    ua_ = std::make_unique<sip::UserAgent>(std::move(config));
    pump();
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
    if (!ua_) return;
    ua_->registerAccount(now());
    pump();
}

void UaDriver::unregister()
{
    if (!ua_) return;
    ua_->unregister(now());
    pump();
}

sip::CallHandle UaDriver::call(const sip::Uri& target, const std::string& sdpOffer)
{
    if (!ua_) return 0;
    const auto h = ua_->call(target, sdpOffer, now());
    pump();
    return h;
}

void UaDriver::ringing(sip::CallHandle call)
{
    if (!ua_) return;
    ua_->ringing(call, now());
    pump();
}

void UaDriver::answer(sip::CallHandle call, const std::string& sdpAnswer)
{
    if (!ua_) return;
    ua_->answer(call, sdpAnswer, now());
    pump();
}

void UaDriver::reject(sip::CallHandle call, int code)
{
    if (!ua_) return;
    ua_->reject(call, code, now());
    pump();
}

void UaDriver::hangUp(sip::CallHandle call)
{
    if (!ua_) return;
    ua_->hangUp(call, now());
    pump();
}

sip::MessageHandle UaDriver::sendMessage(const sip::Uri& to, const std::string& contentType,
                                         const std::string& body)
{
    if (!ua_) return 0;
    const auto h = ua_->sendMessage(to, contentType, body, now());
    pump();
    return h;
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

bool UaDriver::failOver(sip::TransactionId id)
{
    if (id == 0) return false;
    for (qsizetype i = 0; i < failover_.size(); ++i) {
        if (failover_[i].id != id || failover_[i].rest.isEmpty()) continue;
        const SipTarget next = failover_[i].rest.takeFirst();
        emit problem(
            QStringLiteral("trying the next server %1:%2").arg(next.address.toString()).arg(next.port));
        sendTo(failover_[i].out, next);
        return true;
    }
    return false;
}

void UaDriver::send(const sip::Outgoing& out)
{
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
                              if (ua_ && out.id != 0) ua_->transportError(out.id, now());
                              pump();
                              return;
                          }
                          if (targets.size() > 1 && out.id != 0) {
                              constexpr qsizetype kRemembered = 64;
                              if (failover_.size() >= kRemembered) failover_.removeFirst();
                              failover_.append(Failover{out.id, out, targets.mid(1)});
                          }
                          sendTo(out, targets.first());
                      });
}

void UaDriver::pump()
{
    if (!ua_ || pumping_) return;
    pumping_ = true; // a slot may call a command: it pumps once we return
    for (bool again = true; again;) {
        again = false;
        while (auto out = ua_->pollTransmit())
            send(*out);
        while (auto ev = ua_->pollEvent()) {
            again = true;
            std::visit(
                [this](const auto& e) {
                    using T = std::decay_t<decltype(e)>;
                    if constexpr (std::is_same_v<T, sip::RegistrationChanged>) emit registrationChanged(e);
                    if constexpr (std::is_same_v<T, sip::IncomingCall>) emit incomingCall(e);
                    if constexpr (std::is_same_v<T, sip::CallStateChanged>) emit callStateChanged(e);
                    if constexpr (std::is_same_v<T, sip::MessageReceived>) emit messageReceived(e);
                    if constexpr (std::is_same_v<T, sip::MessageResult>) emit messageResult(e);
                },
                *ev);
        }
    }
    pumping_ = false;
    if (auto at = ua_->nextTimeout()) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*at - now()).count();
        timer_.start(static_cast<int>(std::clamp<long long>(wait, 0, 24LL * 3600 * 1000)));
    } else {
        timer_.stop();
    }
}

} // namespace vphone::ua
