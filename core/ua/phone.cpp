// Phone (phone.h): accounts, start-up, the driver's events turned into facade objects, calls
// placed and text messages sent. Call commands and states are in phone_calls.cpp.
#include "ua/phone.h"

#include "sip/headers.h"
#include "ua/ua_driver.h"

#include <QSet>
#include <QTimer>

#include <algorithm>

namespace vphone::ua {

namespace {

constexpr int kCallEvent = 0;
constexpr int kMessageEvent = 1;

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

/// A sip:, sips: or tel: URI, or nullopt with *error saying why (naming `what`).
std::optional<sip::Uri> parseTarget(const QString& text, const char* what, QString* error)
{
    auto uri = sip::parseUri(text.trimmed().toStdString());
    if (!uri) {
        *error = QStringLiteral("%1 '%2' is not a URI: %3")
                     .arg(QLatin1String(what), text, fromStd(uri.error().what));
        return std::nullopt;
    }
    if (uri->scheme == sip::UriScheme::Other || uri->scheme == sip::UriScheme::Invalid) {
        *error = QStringLiteral("%1 '%2' is not a sip:, sips: or tel: URI").arg(QLatin1String(what), text);
        return std::nullopt;
    }
    return *uri;
}

/// The address part that identifies a peer: no parameters, headers or password.
QString peerKey(sip::Uri uri)
{
    uri.password.reset();
    uri.params.clear();
    uri.headers.clear();
    return fromStd(uri.toString()).toLower();
}

/// A URI as shown to the user: no password, no headers.
QString shown(sip::Uri uri)
{
    uri.password.reset();
    uri.headers.clear();
    return fromStd(uri.toString());
}

Account::RegistrationState toFacade(sip::RegistrationState s)
{
    switch (s) {
    case sip::RegistrationState::Unregistered: return Account::RegistrationState::Unregistered;
    case sip::RegistrationState::Registering: return Account::RegistrationState::Registering;
    case sip::RegistrationState::Registered: return Account::RegistrationState::Registered;
    case sip::RegistrationState::Unregistering: return Account::RegistrationState::Unregistering;
    case sip::RegistrationState::Failed: return Account::RegistrationState::Failed;
    case sip::RegistrationState::Invalid: break;
    }
    return Account::RegistrationState::Invalid;
}

} // namespace

Phone::Phone(QObject* parent) : QObject(parent), driver_(std::make_unique<UaDriver>())
{
    connectDriver();
    connectPresence();
    // RFC 3264 §8: the peer's re-offers are the provider's to answer or refuse (488 + Warning).
    driver_->setOfferAnswerer([this](sip::CallHandle call, std::string_view offer) {
        SdpResult ours = remoteOffer(call, std::string(offer));
        return sip::OfferReply{ours.status, std::move(ours.sdp), std::move(ours.reason)};
    });
    conference_ = new Conference(this);
}

Phone::~Phone()
{
    // No more events into objects being torn down; calls still up get their BYE/CANCEL now
    // (best effort: nobody retransmits them once we are gone).
    if (conference_->active()) driver_->setConferenceDocument({}, {}); // its watchers' final NOTIFY
    delete conference_; // it follows our calls: gone before they are
    conference_ = nullptr;
    driver_->disconnect(this);
    for (Call* c : std::as_const(calls_)) {
        if (c->handle_ != 0) {
            driver_->hangUp(c->handle_);
            provider().ended(*c); // its media stops with it
        }
        c->handle_ = 0;
        c->phone_ = nullptr;
    }
    callByHandle_.clear();
    driver_.reset();
}

QStringList Phone::listenAddresses() const
{
    QStringList out;
    for (const auto& b : driver_->boundAddresses())
        out.append(b.toString());
    return out;
}

void Phone::setTransactionTimers(std::chrono::milliseconds t1, std::chrono::milliseconds t2,
                                 std::chrono::milliseconds t4)
{
    t1_ = t1;
    t2_ = t2;
    t4_ = t4;
}

SessionDescriptionProvider& Phone::provider()
{
    if (provider_) return *provider_;
    if (!placeholder_) placeholder_ = std::make_unique<PlaceholderSession>(QStringLiteral("127.0.0.1"));
    return *placeholder_;
}

void Phone::setConferenceReferFromAnyone(bool anyone)
{
    referFromAnyone_ = anyone;
    driver_->setReferFromAnyone(anyone);
}

Account* Phone::accountById(int id) const
{
    if (id < 0 || id >= accounts_.size()) return nullptr; // the account-less agent, or unknown
    return accounts_.at(id);
}

Account* Phone::addAccount(const AccountSettings& settings)
{
    if (running_) {
        emit problem(
            QStringLiteral("accounts are added before start(): '%1' was not added").arg(settings.uri));
        return nullptr;
    }
    QString error;
    auto aor = parseTarget(settings.uri, "account URI", &error);
    if (aor && (aor->scheme == sip::UriScheme::Tel || aor->user.empty()))
        error =
            QStringLiteral("account URI '%1' needs a sip: or sips: URI with a user part").arg(settings.uri);
    for (const auto& [text, what] :
         {std::pair{settings.outboundProxy, "outbound proxy"}, std::pair{settings.registrar, "registrar"}}) {
        if (error.isEmpty() && !text.isEmpty()) parseTarget(text, what, &error);
    }
    if (error.isEmpty() && settings.expires <= 0)
        error =
            QStringLiteral("account '%1': expires must be a positive number of seconds").arg(settings.uri);
    const QString uri = aor ? shown(*aor) : QString();
    for (const Account* a : std::as_const(accounts_)) {
        if (error.isEmpty() && a->uri() == uri)
            error = QStringLiteral("account '%1' exists already").arg(uri);
    }
    if (!error.isEmpty()) {
        emit problem(error);
        return nullptr;
    }
    auto* account = new Account(this, settings, uri);
    accounts_.append(account);
    emit accountsChanged();
    return account;
}

bool Phone::start(const QStringList& listen)
{
    if (running_) {
        emit problem(QStringLiteral("the phone is already running"));
        return false;
    }
    QList<net::ListenSpec> specs;
    QString error;
    for (const QString& text : listen.isEmpty() ? QStringList{QStringLiteral("udp:0.0.0.0:5060")} : listen) {
        auto spec = net::ListenSpec::parse(text, &error);
        if (!spec) {
            emit problem(error);
            return false;
        }
        specs.append(*spec);
    }
    if (!driver_->listen(specs, &error)) {
        emit problem(error);
        return false;
    }
    QString host = QStringLiteral("127.0.0.1");
    for (const auto& b : driver_->boundAddresses()) {
        if (!b.address.isNull() && b.address != QHostAddress::Any && b.address != QHostAddress::AnyIPv4 &&
            b.address != QHostAddress::AnyIPv6) {
            host = b.address.toString();
            break;
        }
    }
    placeholder_ = std::make_unique<PlaceholderSession>(host);

    sip::TimerConfig timers;
    timers.t1 = t1_;
    timers.t2 = t2_;
    timers.t4 = t4_;
    std::vector<sip::UaConfig> configs;
    for (int i = 0; i < accounts_.size(); ++i) {
        const AccountSettings& s = accounts_[i]->settings();
        sip::UaConfig config;
        config.userAgent = userAgentName_.toStdString();
        config.timers = timers;
        config.account = *sip::parseUri(s.uri.trimmed().toStdString()); // checked in addAccount()
        config.displayName = s.displayName.toStdString();
        if (!s.password.isEmpty()) {
            const std::string user = s.authUser.isEmpty() ? config.account->user : s.authUser.toStdString();
            config.credentials = sip::DigestCredentials{user, s.password.toStdString()};
        }
        if (!s.outboundProxy.isEmpty())
            config.outboundProxy = *sip::parseUri(s.outboundProxy.trimmed().toStdString());
        if (!s.registrar.isEmpty()) config.registrar = *sip::parseUri(s.registrar.trimmed().toStdString());
        config.registerExpires = static_cast<std::uint32_t>(s.expires);
        configs.push_back(std::move(config));
        accounts_[i]->id_ = i;
    }
    if (configs.empty()) {
        sip::UaConfig config; // direct IP calling: any user at our addresses
        config.userAgent = userAgentName_.toStdString();
        config.timers = timers;
        configs.push_back(std::move(config));
    }
    driver_->start(std::move(configs));
    running_ = true;
    emit runningChanged();
    // STUN (issue 7): an account with a STUN server registers once its Binding ended, so its
    // first Contact is already the mapped address.
    auto heldForStun = std::make_shared<QSet<int>>();
    connect(driver_.get(), &UaDriver::stunResult, this,
            [this, heldForStun](AccountId id, bool, const QString&) {
                if (!heldForStun->remove(id)) return;
                for (Account* a : std::as_const(accounts_)) {
                    if (a->id_ == id && a->wantRegistration_) driver_->registerAccount(id);
                }
            });
    if (accounts_.isEmpty() && !stunServer_.trimmed().isEmpty()) driver_->setStunServer(0, stunServer_);
    for (Account* a : std::as_const(accounts_)) {
        const QString stun =
            a->settings().stunServer.trimmed().isEmpty() ? stunServer_ : a->settings().stunServer;
        if (!stun.trimmed().isEmpty()) {
            heldForStun->insert(a->id_); // stunResult (even a refused value's) registers it
            driver_->setStunServer(a->id_, stun);
            continue;
        }
        if (a->wantRegistration_) driver_->registerAccount(a->id_);
    }
    startPresence();
    return true;
}

void Phone::connectDriver()
{
    UaDriver* d = driver_.get();
    connect(d, &UaDriver::problem, this, &Phone::problem);
    connect(d, &UaDriver::networkChanged, this, [this](const QString& why) {
        emit problem(QStringLiteral("network changed (%1): registering again").arg(why));
    });
    connect(d, &UaDriver::registrationChanged, this, [this](AccountId id, const sip::RegistrationChanged& e) {
        if (Account* a = accountById(id))
            a->applyRegistration(toFacade(e.state), e.code, fromStd(e.reason), static_cast<int>(e.expires));
    });
    connect(d, &UaDriver::incomingCall, this, [this](AccountId id, const sip::IncomingCall& e) {
        QString uri, name;
        if (auto from = sip::parseNameAddr(e.from)) {
            uri = shown(from->uri);
            name = from->displayName ? fromStd(*from->displayName) : QString();
        } else {
            uri = fromStd(e.from); // the UA accepted it; show it as it came
        }
        auto* c = new Call(this, Call::Direction::Incoming, uri, name, accountById(id));
        c->handle_ = e.call;
        c->state_ = Call::State::Incoming;
        c->remoteSdp_ = e.sdp;
        callByHandle_.insert(e.call, c);
        calls_.append(c);
        emit callsChanged();
        if (e.replaces && takeOver(c, e.replaces)) return; // phone_transfer.cpp
        // The account's forwarding and do not disturb (AccountSettings): refused or redirected
        // calls end at once (code 486/603 or 302, reason "redirected to URI") without ringing.
        const AccountSettings* s = c->account() ? &c->account()->settings() : nullptr;
        const auto target = [this](const QString& uri) -> std::optional<sip::Uri> {
            if (uri.isEmpty()) return std::nullopt;
            auto parsed = sip::parseUri(uri.toStdString());
            if (parsed && (parsed->scheme == sip::UriScheme::Sip || parsed->scheme == sip::UriScheme::Sips))
                return *parsed;
            emit problem(QStringLiteral("forwarding to '%1': not a sip: or sips: URI").arg(uri));
            return std::nullopt;
        };
        if (s && s->dnd) {
            driver_->reject(e.call, s->dndCode == 603 ? 603 : 486);
            return;
        }
        if (auto to = s ? target(s->forward) : std::nullopt) {
            driver_->redirect(e.call, 302, {*to});
            return;
        }
        const bool busy = std::any_of(calls_.begin(), calls_.end(), [c](const Call* other) {
            return other != c && other->state() != Call::State::Ended;
        });
        if (auto to = s && busy ? target(s->forwardBusy) : std::nullopt) {
            driver_->redirect(e.call, 302, {*to});
            return;
        }
        if (auto to = s ? target(s->forwardNoAnswer) : std::nullopt) {
            QTimer::singleShot(std::max(0, s->forwardAfter) * 1000, c, [this, c, uri = *to] {
                if (c->state() == Call::State::Incoming) driver_->redirect(c->handle_, 302, {uri});
            });
        }
        driver_->ringing(e.call);
        emit incomingCall(c);
    });
    connect(d, &UaDriver::callStateChanged, this, [this](AccountId, const sip::CallStateChanged& e) {
        callEvent(e.call, static_cast<int>(e.state), e.code, fromStd(e.reason), e.sdp);
    });
    connect(d, &UaDriver::callModified, this, [this](AccountId, const sip::CallModified& e) {
        modifiedEvent(e.call, e.origin == sip::ModifyOrigin::Local, e.code, fromStd(e.reason), e.sdp);
    });
    connect(d, &UaDriver::messageReceived, this, [this](AccountId id, const sip::MessageReceived& e) {
        auto from = sip::parseNameAddr(e.from);
        if (!from) return; // the UA checked From before answering 200
        MessageThread* t = findOrMakeThread(peerKey(from->uri), shown(from->uri), accountById(id));
        const QString name = from->displayName ? fromStd(*from->displayName) : QString();
        const int row = t->count();
        t->appendIncoming(QString::fromUtf8(e.body.data(), static_cast<qsizetype>(e.body.size())),
                          fromStd(e.contentType), name);
        emit messageReceived(t, row);
    });
    connect(d, &UaDriver::messageResult, this, [this](AccountId, const sip::MessageResult& e) {
        messageResultEvent(e.message, e.code, fromStd(e.reason));
    });
    connectTransfer();
    connectConferenceWatch(); // phone_conference_watch.cpp
}

Call* Phone::call(const QString& uri, Account* account)
{
    return placeCall(uri, account, {});
}

Call* Phone::placeCall(const QString& uri, Account* account, const std::string& replaces,
                       const std::string& referredBy)
{
    QString error;
    auto target = parseTarget(uri, "call target", &error);
    if (!running_) error = QStringLiteral("the phone is not started: cannot call '%1'").arg(uri);
    if (account && !accounts_.contains(account)) error = QStringLiteral("that account is not this phone's");
    if (!error.isEmpty()) {
        emit problem(error);
        return nullptr;
    }
    if (!account && !accounts_.isEmpty()) account = accounts_.first();
    auto* c = new Call(this, Call::Direction::Outgoing, shown(*target), QString(), account);
    c->state_ = Call::State::Calling;
    calls_.append(c);
    SdpResult offer = provider().offer(*c, SessionDescriptionProvider::Purpose::Initial);
    if (!offer.ok() || offer.sdp.empty()) {
        // No INVITE without an offer (we always make one): the call ends before it begins.
        emit callsChanged();
        const QString why =
            offer.reason.empty() ? QStringLiteral("no session description to offer") : fromStd(offer.reason);
        endCall(c, 0, why, 0);
        return c;
    }
    c->localSdp_ = std::move(offer.sdp);
    commandRunning_ = true;
    const auto handle =
        driver_->call(*target, c->localSdp_, account ? account->id_ : 0, replaces, referredBy);
    commandRunning_ = false;
    c->handle_ = handle;
    if (handle != 0) callByHandle_.insert(handle, c);
    emit callsChanged();
    if (handle == 0) endCall(c, 0, QStringLiteral("the engine refused the call"), 0);
    replayEarly(handle);
    return c;
}

MessageThread* Phone::findOrMakeThread(const QString& key, const QString& target, Account* account)
{
    const QString fullKey = QStringLiteral("%1 %2").arg(account ? account->accountId() : -1).arg(key);
    if (MessageThread* t = threadByKey_.value(fullKey)) return t;
    auto* t = new MessageThread(this, target, account);
    threadByKey_.insert(fullKey, t);
    threads_.append(t);
    emit threadsChanged();
    return t;
}

MessageThread* Phone::thread(const QString& uri, Account* account)
{
    QString error;
    auto target = parseTarget(uri, "message target", &error);
    if (account && !accounts_.contains(account)) error = QStringLiteral("that account is not this phone's");
    if (!error.isEmpty()) {
        emit problem(error);
        return nullptr;
    }
    if (!account && !accounts_.isEmpty()) account = accounts_.first();
    return findOrMakeThread(peerKey(*target), shown(*target), account);
}

MessageThread* Phone::sendMessage(const QString& uri, const QString& text, Account* account)
{
    MessageThread* t = thread(uri, account);
    if (t) t->send(text);
    return t;
}

void Phone::sendText(MessageThread* thread, int row, const QString& text)
{
    QString error;
    auto target = parseTarget(thread->remoteUri(), "message target", &error);
    if (!running_)
        error = QStringLiteral("the phone is not started: cannot send to '%1'").arg(thread->remoteUri());
    if (!error.isEmpty()) {
        thread->setResult(row, 0, error);
        emit problem(error);
        return;
    }
    const Account* account = thread->account();
    commandRunning_ = true;
    const auto handle = driver_->sendMessage(*target, "text/plain;charset=utf-8", text.toStdString(),
                                             account ? account->id_ : 0);
    commandRunning_ = false;
    if (handle == 0) {
        thread->setResult(row, 0, QStringLiteral("the engine refused the message"));
        return;
    }
    messageByHandle_.insert(handle, PendingMessage{thread, row});
    replayEarly(handle);
}

void Phone::messageResultEvent(std::uint64_t handle, int code, const QString& reason)
{
    if (!messageByHandle_.contains(handle)) {
        if (commandRunning_) early_.push_back(Early{handle, kMessageEvent, 0, code, reason, {}});
        return;
    }
    const PendingMessage m = messageByHandle_.take(handle);
    if (m.thread) m.thread->setResult(m.row, code, reason);
}

void Phone::replayEarly(std::uint64_t handle)
{
    std::vector<Early> mine;
    for (auto it = early_.begin(); it != early_.end();) {
        if (it->handle == handle) {
            mine.push_back(std::move(*it));
            it = early_.erase(it);
        } else {
            ++it;
        }
    }
    early_.clear(); // events for handles nobody claimed are for objects already gone
    for (const Early& e : mine) {
        if (e.kind == kCallEvent) callEvent(e.handle, e.state, e.code, e.reason, e.sdp);
        if (e.kind == kMessageEvent) messageResultEvent(e.handle, e.code, e.reason);
    }
}

} // namespace vphone::ua
