// The phone mode's run loop: sets up the UaDriver from the options, performs the requested
// actions, prints events, and decides the exit code.
#include "phone.h"

#include "multicast_page.h"
#include "phone_session.h"

#include "engine/stun_prefetch.h"
#include "net/stun_client.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace vphone::cli {

namespace {

volatile std::sig_atomic_t gStopRequested = 0;

void onSignal(int)
{
    gStopRequested = 1;
}

QString stateName(sip::RegistrationState s)
{
    switch (s) {
    case sip::RegistrationState::Unregistered: return QStringLiteral("unregistered");
    case sip::RegistrationState::Registering: return QStringLiteral("registering");
    case sip::RegistrationState::Registered: return QStringLiteral("registered");
    case sip::RegistrationState::Unregistering: return QStringLiteral("unregistering");
    case sip::RegistrationState::Failed: return QStringLiteral("failed");
    case sip::RegistrationState::Invalid: break;
    }
    return QStringLiteral("invalid");
}

QString stateName(sip::CallState s)
{
    switch (s) {
    case sip::CallState::Calling: return QStringLiteral("calling");
    case sip::CallState::Proceeding: return QStringLiteral("proceeding");
    case sip::CallState::Ringing: return QStringLiteral("ringing");
    case sip::CallState::EarlyMedia: return QStringLiteral("early");
    case sip::CallState::Incoming: return QStringLiteral("incoming");
    case sip::CallState::Confirmed: return QStringLiteral("confirmed");
    case sip::CallState::Terminated: return QStringLiteral("terminated");
    case sip::CallState::Invalid: break;
    }
    return QStringLiteral("invalid");
}

/// The URI in a From/To header value ("Bob" <sip:bob@host>;tag=x -> sip:bob@host).
QString headerUri(const std::string& value)
{
    const QString v = QString::fromStdString(value);
    const qsizetype lt = v.indexOf(QLatin1Char('<'));
    const qsizetype gt = v.indexOf(QLatin1Char('>'), lt + 1);
    if (lt >= 0 && gt > lt) return v.mid(lt + 1, gt - lt - 1);
    return v.section(QLatin1Char(';'), 0, 0).trimmed();
}

} // namespace

void Phone::emitEvent(QJsonObject o, ua::AccountId account)
{
    if (!o_.events) return;
    const QString aor = driver_.accountUri(account);
    if (!aor.isEmpty()) o.insert(QStringLiteral("account"), aor);
    o.insert(QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

bool Phone::start()
{
    if (o_.listen.isEmpty()) {
        QString error;
        o_.listen.append(*net::ListenSpec::parse(QStringLiteral("udp:0.0.0.0:5060"), &error));
    }
    QString error;
    driver_.setTlsConfig(o_.tls);
    driver_.setKeepAliveInterval(o_.keepAlive);
    if (!driver_.listen(o_.listen, &error)) {
        std::fprintf(stderr, "vphone-cli: %s\n", qPrintable(error));
        return false;
    }
    if (!o_.dnsServer.isEmpty()) driver_.setNameserver(QHostAddress(o_.dnsServer));
    if (!o_.trace.isEmpty() && !driver_.setTraceFile(o_.trace, &error)) {
        std::fprintf(stderr, "vphone-cli: %s\n", qPrintable(error));
        return false;
    }
    std::vector<sip::UaConfig> configs;
    const auto parseUriFlag = [](const QString& text, const char* flag) -> std::optional<sip::Uri> {
        auto uri = sip::parseUri(text.toStdString());
        if (!uri || (uri->scheme != sip::UriScheme::Sip && uri->scheme != sip::UriScheme::Sips)) {
            std::fprintf(stderr, "vphone-cli: %s '%s' is not a sip: or sips: URI%s%s\n", flag,
                         qPrintable(text), uri ? "" : ": ", uri ? "" : uri.error().what.c_str());
            return std::nullopt;
        }
        return *uri;
    };
    std::optional<sip::Uri> defaultProxy;
    if (!o_.proxy.isEmpty()) {
        defaultProxy = parseUriFlag(o_.proxy, "--proxy");
        if (!defaultProxy) return false;
    }
    for (const auto& a : o_.accounts) {
        sip::UaConfig config;
        config.userAgent = "vphone-cli/" VPHONE_VERSION;
        auto aor = parseUriFlag(a.uri, "--account");
        if (!aor) return false;
        config.account = *aor;
        if (a.password) config.credentials = sip::DigestCredentials{aor->user, a.password->toStdString()};
        config.outboundProxy = defaultProxy;
        if (!a.proxy.isEmpty()) {
            auto proxy = parseUriFlag(a.proxy, "proxy");
            if (!proxy) return false;
            config.outboundProxy = *proxy;
        }
        configs.push_back(std::move(config));
        accounts_.push_back(AccountState{!a.noRegister, false, false});
    }
    if (configs.empty()) {
        sip::UaConfig config; // direct IP calling: any user at our addresses
        config.userAgent = "vphone-cli/" VPHONE_VERSION;
        config.outboundProxy = defaultProxy;
        configs.push_back(std::move(config));
        accounts_.push_back(AccountState{});
    }
    if (o_.rateLimit) {
        for (auto& c : configs) {
            c.rateLimit.perSecond = *o_.rateLimit;
            c.rateLimit.burst = std::max(100.0, 2 * *o_.rateLimit);
        }
    }
    contactHost_ = QStringLiteral("127.0.0.1");
    for (const auto& b : driver_.boundAddresses()) {
        if (!b.address.isNull() && b.address != QHostAddress::Any && b.address != QHostAddress::AnyIPv4) {
            contactHost_ = b.address.toString();
            break;
        }
    }

    connect(&driver_, &ua::UaDriver::problem, this,
            [](const QString& what) { std::fprintf(stderr, "vphone-cli: %s\n", qPrintable(what)); });
    connect(&driver_, &ua::UaDriver::registrationChanged, this, &Phone::onRegistration);
    // A refused TLS server certificate: one line per certificate on stderr, "certificate HOST
    // sha256 FINGERPRINT", so a script can check it and pin it (--trust-cert).
    auto shown = std::make_shared<QSet<QString>>();
    connect(&driver_, &ua::UaDriver::certificateFailed, this,
            [this, shown](ua::AccountId account, const ua::CertificateProblem& p) {
                const QString sha256 = net::sha256Fingerprint(p.failure.leaf());
                const QString line = QStringLiteral("certificate %1 sha256 %2").arg(p.failure.host, sha256);
                if (shown->contains(line)) return;
                shown->insert(line);
                std::fprintf(stderr, "%s\n", qPrintable(line));
                if (p.changed())
                    std::fprintf(stderr,
                                 "vphone-cli: the server's certificate changed since you trusted it "
                                 "(trusted sha256 %s, presented sha256 %s)\n",
                                 qPrintable(net::sha256Fingerprint(p.trusted)), qPrintable(sha256));
                emitEvent({{QStringLiteral("event"), QStringLiteral("certificate")},
                           {QStringLiteral("host"), p.failure.host},
                           {QStringLiteral("sha256"), sha256},
                           {QStringLiteral("changed"), p.changed()}},
                          account);
            });
    connectPresence();
    connectTransfer();
    connect(&driver_, &ua::UaDriver::networkChanged, this, [this](const QString& why) {
        std::fprintf(stderr, "vphone-cli: network: %s; registering again\n", qPrintable(why));
        emitEvent({{QStringLiteral("event"), QStringLiteral("network")}, {QStringLiteral("reason"), why}},
                  -1);
    });
    connect(&driver_, &ua::UaDriver::incomingCall, this,
            [this](ua::AccountId account, const sip::IncomingCall& e) {
                calls_[e.call] = false;
                incoming_.insert(e.call);
                emitEvent({{QStringLiteral("event"), QStringLiteral("call")},
                           {QStringLiteral("state"), QStringLiteral("incoming")},
                           {QStringLiteral("call"), static_cast<qint64>(e.call)},
                           {QStringLiteral("direction"), QStringLiteral("in")},
                           {QStringLiteral("from"), QString::fromStdString(e.from)},
                           {QStringLiteral("to"), QString::fromStdString(e.to)}},
                          account);
                if (!stopping_ && takeOverIncoming(e)) return; // cli_transfer.cpp
                if (stopping_ || forwardIncoming(e)) return;
                if (!o_.autoAnswer) return;
                driver_.ringing(e.call);
                const auto handle = e.call;
                const QString peer = headerUri(e.from);
                QTimer::singleShot(static_cast<int>(*o_.autoAnswer * 1000), this,
                                   [this, handle, peer, offer = e.sdp] {
                                       if (!calls_.count(handle)) return;
                                       if (newMedia(handle, peer, true)) answerIncoming(handle, offer);
                                   });
            });
    connect(&driver_, &ua::UaDriver::callStateChanged, this,
            [this](ua::AccountId account, const sip::CallStateChanged& e) {
                emitEvent({{QStringLiteral("event"), QStringLiteral("call")},
                           {QStringLiteral("state"), stateName(e.state)},
                           {QStringLiteral("call"), static_cast<qint64>(e.call)},
                           {QStringLiteral("direction"),
                            incoming_.count(e.call) ? QStringLiteral("in") : QStringLiteral("out")},
                           {QStringLiteral("code"), e.code},
                           {QStringLiteral("reason"), QString::fromStdString(e.reason)}},
                          account);
                if (e.state == sip::CallState::Calling && e.code >= 300 && e.code < 400)
                    std::fprintf(stderr, "vphone-cli: call %s (%d)\n", e.reason.c_str(), e.code);
                if (e.state == sip::CallState::EarlyMedia && !e.sdp.empty()) {
                    // A 183's answer: early media (ringback, announcements) flows now.
                    if (auto* m = mediaOf(e.call); m && m->offerPending()) {
                        if (auto ok = m->applyAnswer(e.sdp); !ok) mediaProblem(e.call, ok.error().what);
                    }
                }
                referredCallState(e);
                if (e.state == sip::CallState::Confirmed) onConfirmed(account, e);
                if (e.state == sip::CallState::Confirmed) transferOnConfirmed(e.call);
                if (e.state == sip::CallState::Terminated) onTerminated(e);
            });
    connect(&driver_, &ua::UaDriver::callModified, this,
            [this](ua::AccountId account, const sip::CallModified& e) {
                if (e.origin == sip::ModifyOrigin::Local) onLocalModify(e.call, e);
                emitEvent({{QStringLiteral("event"), QStringLiteral("call")},
                           {QStringLiteral("state"), QStringLiteral("modified")},
                           {QStringLiteral("call"), static_cast<qint64>(e.call)},
                           {QStringLiteral("origin"), e.origin == sip::ModifyOrigin::Local
                                                          ? QStringLiteral("local")
                                                          : QStringLiteral("remote")},
                           {QStringLiteral("method"),
                            QString::fromLatin1(sip::methodName(e.method).data(),
                                                static_cast<qsizetype>(sip::methodName(e.method).size()))},
                           {QStringLiteral("code"), e.code},
                           {QStringLiteral("reason"), QString::fromStdString(e.reason)}},
                          account);
            });
    connect(&driver_, &ua::UaDriver::messageReceived, this,
            [this](ua::AccountId account, const sip::MessageReceived& e) {
                emitEvent({{QStringLiteral("event"), QStringLiteral("message")},
                           {QStringLiteral("direction"), QStringLiteral("in")},
                           {QStringLiteral("from"), QString::fromStdString(e.from)},
                           {QStringLiteral("content_type"), QString::fromStdString(e.contentType)},
                           {QStringLiteral("text"), QString::fromStdString(e.body)}},
                          account);
            });
    connect(&driver_, &ua::UaDriver::messageResult, this,
            [this](ua::AccountId account, const sip::MessageResult& e) {
                const bool ok = e.code >= 200 && e.code < 300;
                emitEvent(
                    {{QStringLiteral("event"), QStringLiteral("message")},
                     {QStringLiteral("direction"), QStringLiteral("out")},
                     {QStringLiteral("state"), ok ? QStringLiteral("delivered") : QStringLiteral("failed")},
                     {QStringLiteral("code"), e.code},
                     {QStringLiteral("reason"), QString::fromStdString(e.reason)}},
                    account);
                if (e.message == message_) {
                    messageDone_ = true;
                    if (!ok) {
                        std::fprintf(stderr, "vphone-cli: message to %s failed: %d %s\n",
                                     qPrintable(o_.messageTo), e.code, e.reason.c_str());
                        failed_ = true;
                    }
                }
                maybeFinish();
            });

    driver_.setOfferAnswerer([this](sip::CallHandle call, std::string_view offer) -> sip::OfferReply {
        auto* m = mediaOf(call);
        if (!m) return {488, {}, "no media session for this call"};
        auto answer = m->answer(offer);
        if (!answer) return {answer.error().status, {}, answer.error().what};
        return {200, std::move(*answer), {}};
    });
    driver_.start(std::move(configs));
    connectConference(); // after start(): the accounts' UAs exist (focus mode)
    // --stun-server: each account learns its public SIP address first; REGISTER (and a direct
    // --call) waits for the answer or its failure (at most 1.5 s), so the first Contact is
    // already the mapped one.
    auto waitingStun = std::make_shared<QSet<ua::AccountId>>();
    auto callWaitsStun = std::make_shared<bool>(false);
    if (!o_.stunServer.isEmpty()) {
        connect(&driver_, &ua::UaDriver::stunResult, this,
                [this, waitingStun, callWaitsStun](ua::AccountId account, bool ok, const QString& text) {
                    if (ok) {
                        std::fprintf(stderr, "vphone-cli: stun: mapped %s for sip (account %d)\n",
                                     qPrintable(text), account);
                    } else {
                        std::fprintf(stderr, "vphone-cli: stun: warning: %s; sip uses the local address\n",
                                     qPrintable(text));
                    }
                    emitEvent({{QStringLiteral("event"), QStringLiteral("stun")},
                               {QStringLiteral("socket"), QStringLiteral("sip")},
                               {QStringLiteral("ok"), ok},
                               {ok ? QStringLiteral("mapped") : QStringLiteral("reason"), text}},
                              account);
                    if (waitingStun->remove(account)) driver_.registerAccount(account);
                    if (account == 0 && *callWaitsStun) {
                        *callWaitsStun = false;
                        // The media sockets' probe (started below, on its own thread) ran meanwhile;
                        // a CLI may wait for its end before the first offer, which itself never waits.
                        media::MediaConfig media = o_.media;
                        media.localAddresses = {mediaAddress()};
                        if (auto pool = media::StunPrefetch::forConfig(media))
                            pool->waitSettled(media.stunTimeout);
                        placeCall();
                    }
                });
        // Media sockets need an IP literal: resolve the name once here (IPv4 preferred).
        const auto server = net::stun::parseServer(o_.stunServer.toStdString(), nullptr);
        const QHostInfo info = QHostInfo::fromName(server ? QString::fromStdString(server->host) : QString());
        for (const QHostAddress& address : info.addresses()) {
            if (server &&
                (o_.media.stunHost.empty() || address.protocol() == QAbstractSocket::IPv4Protocol)) {
                o_.media.stunHost = address.toString().toStdString();
                o_.media.stunPort = server->port;
            }
        }
        if (o_.media.stunHost.empty())
            std::fprintf(stderr, "vphone-cli: stun: warning: cannot resolve %s; media uses local addresses\n",
                         qPrintable(o_.stunServer));
        // Issue 7: RTP/RTCP sockets are bound and probed ahead of the calls (stun_prefetch.h).
        media::MediaConfig media = o_.media;
        media.localAddresses = {mediaAddress()};
        media::StunPrefetch::forConfig(media);
    }
    bool anyRegistration = false;
    for (std::size_t i = 0; i < accounts_.size(); ++i) {
        if (!o_.stunServer.isEmpty()) {
            if (accounts_[i].needRegistration) waitingStun->insert(static_cast<ua::AccountId>(i));
            driver_.setStunServer(static_cast<ua::AccountId>(i), o_.stunServer);
        }
        if (!accounts_[i].needRegistration) continue;
        anyRegistration = true;
        if (!waitingStun->contains(static_cast<ua::AccountId>(i)))
            driver_.registerAccount(static_cast<ua::AccountId>(i));
    }
    if (!anyRegistration && !o_.stunServer.isEmpty() && driver_.stunQueryRunning(0)) {
        *callWaitsStun = true;
    } else if (!anyRegistration) {
        placeCall();
    }
    if (o_.duration) QTimer::singleShot(static_cast<int>(*o_.duration * 1000), this, [this] { shutdown(); });
    auto* signalPoll = new QTimer(this);
    connect(signalPoll, &QTimer::timeout, this, [this] {
        if (gStopRequested) shutdown();
    });
    signalPoll->start(100);
    return true;
}

void Phone::onRegistration(ua::AccountId account, const sip::RegistrationChanged& e)
{
    emitEvent({{QStringLiteral("event"), QStringLiteral("registration")},
               {QStringLiteral("state"), stateName(e.state)},
               {QStringLiteral("code"), e.code},
               {QStringLiteral("reason"), QString::fromStdString(e.reason)},
               {QStringLiteral("expires"), static_cast<qint64>(e.expires)}},
              account);
    if (account < 0 || static_cast<std::size_t>(account) >= accounts_.size()) return;
    AccountState& a = accounts_[static_cast<std::size_t>(account)];
    if (e.state == sip::RegistrationState::Registered && !a.registered) {
        a.registered = true;
        if (allRegistered() && !registered_) {
            registered_ = true;
            placeCall();
        }
    }
    if (e.state == sip::RegistrationState::Failed && !a.registered && !stopping_) {
        std::fprintf(stderr, "vphone-cli: registration failed: %d %s (%s)\n", e.code, e.reason.c_str(),
                     qPrintable(driver_.accountUri(account)));
        failed_ = true;
        shutdown();
    }
    if (stopping_ && a.registered &&
        (e.state == sip::RegistrationState::Unregistered || e.state == sip::RegistrationState::Failed)) {
        a.unregistered = true;
        exitWhenIdle();
    }
}

bool Phone::allRegistered() const
{
    for (const auto& a : accounts_) {
        if (a.needRegistration && !a.registered) return false;
    }
    return true;
}

bool Phone::allUnregistered() const
{
    for (const auto& a : accounts_) {
        if (a.registered && !a.unregistered) return false;
    }
    return true;
}

bool Phone::forwardIncoming(const sip::IncomingCall& e)
{
    const QString from = headerUri(e.from);
    if (o_.dnd) {
        std::fprintf(stderr, "vphone-cli: do not disturb: refusing the call from %s with %d\n",
                     qPrintable(from), o_.dndCode);
        driver_.reject(e.call, o_.dndCode);
        return true;
    }
    const auto redirectTo = [&](const QString& target, const char* why) {
        std::fprintf(stderr, "vphone-cli: forwarding the call from %s to %s (%s)\n", qPrintable(from),
                     qPrintable(target), why);
        if (auto uri = sip::parseUri(target.toStdString())) driver_.redirect(e.call, 302, {*uri});
    };
    if (!o_.forward.isEmpty()) {
        redirectTo(o_.forward, "always");
        return true;
    }
    // calls_ already holds this one: busy means another call besides it.
    if (!o_.forwardBusy.isEmpty() && calls_.size() > 1) {
        redirectTo(o_.forwardBusy, "busy");
        return true;
    }
    if (!o_.forwardNoAnswer.isEmpty()) {
        driver_.ringing(e.call);
        const auto handle = e.call;
        QTimer::singleShot(static_cast<int>(o_.forwardAfter * 1000), this, [this, handle, from] {
            auto it = calls_.find(handle);
            if (it == calls_.end() || it->second || stopping_) return; // answered or gone
            std::fprintf(stderr, "vphone-cli: forwarding the call from %s to %s (no answer)\n",
                         qPrintable(from), qPrintable(o_.forwardNoAnswer));
            if (auto uri = sip::parseUri(o_.forwardNoAnswer.toStdString()))
                driver_.redirect(handle, 302, {*uri});
        });
    }
    return false;
}

void Phone::shutdown()
{
    if (stopping_) return;
    stopping_ = true;
    stopPresence();
    stopConference();
    // hangUp() may end a call at once (an unanswered incoming one is declined), and its
    // Terminated event erases it from calls_: iterate over a copy.
    std::vector<sip::CallHandle> handles;
    for (const auto& [handle, confirmed] : calls_)
        handles.push_back(handle);
    for (const auto handle : handles)
        driver_.hangUp(handle);
    if (!o_.call.isEmpty() && !outgoingAnswered_ && !failed_) {
        std::fprintf(stderr, "vphone-cli: the call to %s was not answered\n", qPrintable(o_.call));
        failed_ = true;
    }
    if (!o_.messageTo.isEmpty() && !messageDone_) {
        std::fprintf(stderr, "vphone-cli: no answer to the message to %s\n", qPrintable(o_.messageTo));
        failed_ = true;
    }
    if (!allRegistered() && !failed_) {
        std::fprintf(stderr, "vphone-cli: not registered (server unreachable or not answering)\n");
        failed_ = true;
    }
    // Exit once unregistered and every call has ended (BYE answered, CANCEL's 487 in), or after
    // a grace period when the registrar or a peer does not answer.
    bool unregistering = false;
    for (std::size_t i = 0; i < accounts_.size(); ++i) {
        if (!accounts_[i].registered) continue;
        unregistering = true;
        driver_.unregister(static_cast<ua::AccountId>(i));
    }
    if (unregistering || !calls_.empty())
        QTimer::singleShot(unregistering ? 3000 : 1000, this, [this] { QCoreApplication::exit(exitCode()); });
    exitWhenIdle();
}

void Phone::exitWhenIdle()
{
    // Watches wait for their final NOTIFY (RFC 6665 §4.1.2.3), bounded by stopPresence()'s timer.
    if (!stopping_ || !calls_.empty() || !allUnregistered() || !watches_.empty()) return;
    QCoreApplication::exit(exitCode());
}

int runPhone(const QStringList& args)
{
    QString error;
    auto options = parsePhoneOptions(args, &error);
    if (!options) {
        std::fprintf(stderr, "vphone-cli: %s\n%s", qPrintable(error), qPrintable(phoneUsage()));
        return 2;
    }
    if (options->page || options->listenGroup) return runMulticast(*options);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    Phone phone(std::move(*options));
    if (!phone.start()) return 1;
    return QCoreApplication::exec();
}

} // namespace vphone::cli
