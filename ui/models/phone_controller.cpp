#include "models/phone_controller.h"

#include "models/dial_completion.h"

#include "common/call_waiting.h"
#include "common/qt_video.h"
#include "engine/stun_prefetch.h"
#include "net/stun_client.h"
#include "ua/ua_driver.h"

#include <QAudioDevice>
#include <QCameraDevice>
#include <QDateTime>
#include <QDir>
#include <QHostAddress>
#include <QHostInfo>
#include <QJsonDocument>
#include <QMediaDevices>
#include <QMetaEnum>
#include <QNetworkInterface>
#include <QRegularExpression>

namespace vphone::ui {

namespace {

/// Our camera (or test pattern), with a copy of every frame for the self view.
class PreviewSource final : public media::VideoSource {
public:
    PreviewSource(std::unique_ptr<media::VideoSource> inner, QVideoSink* preview)
        : inner_(std::move(inner)), preview_(preview)
    {}
    int width() const override { return inner_->width(); }
    int height() const override { return inner_->height(); }
    int fps() const override { return inner_->fps(); }
    bool capture(std::chrono::steady_clock::time_point frameTime, media::VideoFrame& out) override
    {
        if (!inner_->capture(frameTime, out)) return false;
        preview_.write(out, frameTime); // the media thread; the adapter posts to the view's thread
        return true;
    }
    std::string describe() const override { return inner_->describe(); }

private:
    std::unique_ptr<media::VideoSource> inner_;
    QtVideoSinkAdapter preview_;
};

/// The address peers reach our media on: the configured one, the listen address, else the
/// first IPv4 address of this machine that is not loopback.
std::string mediaAddressFor(const ProfileConfig& config)
{
    if (!config.mediaAddress.isEmpty()) return config.mediaAddress.toStdString();
    for (const QString& spec : config.listen) {
        // "udp:HOST:PORT" ("[v6]" in brackets)
        QString host = spec.section(QLatin1Char(':'), 1, -2);
        host.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        const QHostAddress a(host);
        if (!a.isNull() && a != QHostAddress::Any && a != QHostAddress::AnyIPv4 && a != QHostAddress::AnyIPv6)
            return host.toStdString();
    }
    for (const QHostAddress& a : QNetworkInterface::allAddresses()) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            return a.toString().toStdString();
    }
    return "127.0.0.1";
}

} // namespace

PhoneController::PhoneController(ProfileConfig config, QObject* parent)
    : QObject(parent), config_(std::move(config)),
      media_(std::make_unique<MediaSessionProvider>(config_.media)), phone_(std::make_unique<ua::Phone>())
{
    connectPhone();
    media_->setCallConfigHook(
        [this](const ua::Call& call, media::MediaConfig& c) { configureCall(call, c); });
    connect(media_.get(), &MediaSessionProvider::mediaError, this,
            [this](ua::Call*, const QString& what) { setProblem(what); });
    connect(media_.get(), &MediaSessionProvider::holdChanged, this,
            [this](ua::Call* call, const QString& state) {
                CallItem* item = itemFor(call);
                item->setHeld(state == QLatin1String("local") || state == QLatin1String("both"));
                item->setRemoteHeld(state == QLatin1String("remote") || state == QLatin1String("both"));
                log({{QStringLiteral("event"), QStringLiteral("hold")}, {QStringLiteral("state"), state}});
            });
    connect(media_.get(), &MediaSessionProvider::mediaStarted, this,
            [this](ua::Call*, const QString& codec, const QString& remote) {
                log({{QStringLiteral("event"), QStringLiteral("media")},
                     {QStringLiteral("codec"), codec},
                     {QStringLiteral("remote"), remote}});
            });
    timer_.setInterval(1000);
    connect(&timer_, &QTimer::timeout, this, &PhoneController::secondTick);

    for (auto* model : std::initializer_list<QObject*>{&history_, &contacts_, &conversations_, &messages_})
        model->setParent(this);
    connect(&history_, &HistoryModel::problem, this, &PhoneController::setProblem);
    connect(&contacts_, &ContactListModel::problem, this, &PhoneController::setProblem);
    connect(&conversations_, &ConversationListModel::problem, this, &PhoneController::setProblem);
    connect(&messages_, &MessageListModel::problem, this, &PhoneController::setProblem);
    conversations_.setNamer([this](const QString& uri) { return contactNameFor(uri); });
    openDatabase();
    presence_ = new PresenceWatch(*this);
    conference_ = new ConferenceModel(*this);
    // Call waiting: the call that is up plays the waiting tone while another rings in.
    new CallWaitingTone(*phone_, *media_, this);
}

void PhoneController::connectPhone()
{
    phone_->setSessionDescriptionProvider(media_.get());
    phone_->setUserAgentName(QStringLiteral("vphone/0.1"));
    connect(phone_.get(), &ua::Phone::incomingCall, this, [this](ua::Call* call) {
        CallItem* item = itemFor(call);
        log({{QStringLiteral("event"), QStringLiteral("incoming")},
             {QStringLiteral("peer"), item->peerUri()}});
        emit incomingCallChanged();
        emit raiseRequested();
    });
    connect(phone_.get(), &ua::Phone::callsChanged, this, [this] {
        for (ua::Call* call : phone_->calls())
            itemFor(call);
        emit callsChanged();
    });
    connect(phone_.get(), &ua::Phone::problem, this, &PhoneController::setProblem);
    connect(phone_.get(), &ua::Phone::runningChanged, this, &PhoneController::accountStatusChanged);
    connect(phone_.get(), &ua::Phone::messageReceived, this, [this](ua::MessageThread* thread, int row) {
        watchThread(thread);
        if (!db_ || !thread) return;
        const ua::MessageThread::Message& m = thread->at(row);
        contacts::Message stored;
        stored.accountUri = accountUriOf(thread);
        stored.peerUri = thread->remoteUri();
        stored.direction = contacts::Direction::Incoming;
        stored.text = m.text;
        if (!m.contentType.isEmpty()) stored.contentType = m.contentType;
        stored.time = m.time.isValid() ? m.time : QDateTime::currentDateTimeUtc();
        stored.state = contacts::DeliveryState::Delivered;
        // Read at once when that conversation is open in the view.
        stored.read = messages_.peerUri() == stored.peerUri && messages_.accountUri() == stored.accountUri &&
                      messagesOpen_;
        if (auto id = db_->addMessage(stored); !id) setProblem(id.error().what);
        log({{QStringLiteral("event"), QStringLiteral("message")},
             {QStringLiteral("peer"), stored.peerUri},
             {QStringLiteral("text"), stored.text}});
        conversations_.reload();
        if (messages_.peerUri() == stored.peerUri) messages_.reload();
        const QString name = contactNameFor(stored.peerUri);
        emit messageArrived(stored.peerUri, name.isEmpty() ? thread->remoteDisplayName() : name, stored.text,
                            stored.read);
    });
}

void PhoneController::openDatabase()
{
    if (config_.profileDir.isEmpty()) return;
    const QString path = QDir(config_.profileDir).filePath(QStringLiteral("vphone.db"));
    auto db = contacts::Database::open(path);
    if (!db) {
        setProblem(tr("Contacts and history unavailable: %1").arg(db.error().what));
        return;
    }
    db_ = std::make_unique<contacts::Database>(std::move(*db));
    history_.setDatabase(db_.get());
    contacts_.setDatabase(db_.get());
    conversations_.setDatabase(db_.get());
    messages_.setDatabase(db_.get());
}

QString PhoneController::contactNameFor(const QString& uri) const
{
    if (!db_ || uri.isEmpty()) return {};
    auto found =
        uri.startsWith(QLatin1String("tel:")) ? db_->findByNumber(uri.mid(4)) : db_->findBySipUri(uri);
    if (!found || !*found) return {};
    return (*found)->displayName;
}

bool PhoneController::callBack(int row)
{
    const QString uri = history_.peerUriAt(row);
    return !uri.isEmpty() && dial(uri, false);
}

bool PhoneController::start()
{
    media::MediaConfig& m = config_.media;
    if (m.videoSource.rfind("device", 0) == 0 && QMediaDevices::videoInputs().isEmpty()) {
        log({{QStringLiteral("event"), QStringLiteral("note")},
             {QStringLiteral("text"), QStringLiteral("no camera: video calls receive only")}});
        m.videoSource = "off";
    }
    // No microphone or speaker (no sound server): calls still connect, silent that way.
    if (m.audioSource.rfind("device", 0) == 0 && QMediaDevices::audioInputs().isEmpty()) {
        log({{QStringLiteral("event"), QStringLiteral("note")},
             {QStringLiteral("text"), QStringLiteral("no microphone: silence is sent")}});
        m.audioSource = "silence";
    }
    if (m.audioSink.rfind("device", 0) == 0 && QMediaDevices::audioOutputs().isEmpty()) {
        log({{QStringLiteral("event"), QStringLiteral("note")},
             {QStringLiteral("text"), QStringLiteral("no speaker: what the peer says is not played")}});
        m.audioSink = "null";
    }
    m.localAddresses = {mediaAddressFor(config_)};
    if (auto ok = media::checkMediaConfig(m); !ok) {
        setProblem(tr("Media settings: %1").arg(QString::fromStdString(ok.error().what)));
        return false;
    }
    media_->setConfig(m);

    QStringList listen = config_.listen;
    for (const ProfileAccount& a : config_.accounts) {
        ua::AccountSettings s = a.settings;
        if (a.transport != QLatin1String("udp")) {
            // Its requests go over TCP or TLS to the proxy; a TCP account also listens on TCP. A TLS
            // account only connects out (the registrar reaches us back over that connection): a
            // TLS listener would need a certificate of our own, and without one none of the
            // accounts could start.
            const QString spec = QStringLiteral("tcp:0.0.0.0:0");
            if (a.transport == QLatin1String("tcp") && !listen.contains(spec)) listen.append(spec);
            if (s.outboundProxy.isEmpty()) {
                // host[:port] of the registrar ("sip:reg.example.test:5070;lr"), else of the domain.
                QString host =
                    s.registrar.isEmpty() ? a.plan.domain : s.registrar.section(QLatin1Char(';'), 0, 0);
                host.remove(
                    QRegularExpression(QStringLiteral("^sips?:"), QRegularExpression::CaseInsensitiveOption));
                s.outboundProxy = QStringLiteral("sip:%1;transport=%2").arg(host, a.transport);
            }
        }
        ua::Account* account = phone_->addAccount(s);
        if (!account) continue;
        const auto changed = [this, account] {
            log({{QStringLiteral("event"), QStringLiteral("account")},
                 {QStringLiteral("uri"), account->uri()},
                 {QStringLiteral("state"),
                  QString::fromLatin1(QMetaEnum::fromType<ua::Account::RegistrationState>().valueToKey(
                      static_cast<int>(account->registrationState())))},
                 {QStringLiteral("code"), account->lastCode()}});
            emit accountStatusChanged();
        };
        connect(account, &ua::Account::registrationStateChanged, this, changed);
        connect(account, &ua::Account::lastReasonChanged, this, &PhoneController::accountStatusChanged);
        connect(account, &ua::Account::certificateProblemChanged, this,
                &PhoneController::accountStatusChanged);
    }
    // STUN (issue 7): the phone's server for direct calls and accounts without their own; the
    // media side needs IP literals, looked up here once per server.
    phone_->setStunServer(config_.stunServer);
    phone_->setConferenceReferFromAnyone(config_.conferenceReferFromAnyone);
    resolveStunServer(config_.stunServer);
    for (const ProfileAccount& a : config_.accounts)
        resolveStunServer(a.settings.stunServer);
    connect(&phone_->driver(), &ua::UaDriver::stunResult, this,
            [this](ua::AccountId, bool ok, const QString& text) {
                log({{QStringLiteral("event"), QStringLiteral("stun")},
                     {QStringLiteral("socket"), QStringLiteral("sip")},
                     {QStringLiteral("ok"), ok},
                     {ok ? QStringLiteral("mapped") : QStringLiteral("reason"), text}});
                if (!ok) setProblem(tr("STUN: %1; calls use the local address").arg(text));
            });
    if (!phone_->start(listen)) return false;
    log({{QStringLiteral("event"), QStringLiteral("started")},
         {QStringLiteral("listen"), QJsonArray::fromStringList(phone_->listenAddresses())}});
    timer_.start();
    emit accountStatusChanged();
    return true;
}

bool PhoneController::hasLiveCall() const
{
    for (const CallItem* item : items_) {
        if (!item->ended()) return true;
    }
    return false;
}

bool PhoneController::restart(ProfileConfig config)
{
    if (hasLiveCall()) {
        setProblem(tr("Settings apply when the call ends"));
        return false;
    }
    log({{QStringLiteral("event"), QStringLiteral("restart")},
         {QStringLiteral("accounts"), config.accounts.size()}});
    timer_.stop();
    conference_->detach();
    phone_.reset(); // its calls go (the items follow), its sockets close
    config_ = std::move(config);
    phone_ = std::make_unique<ua::Phone>();
    connectPhone();
    lastProblem_.clear();
    emit lastProblemChanged();
    const bool ok = start();
    emit restarted();
    emit accountStatusChanged();
    return ok;
}

void PhoneController::setSettings(QObject* settings)
{
    settings_ = settings;
    emit settingsChanged();
}

bool PhoneController::openLog(const QString& path)
{
    log_ = std::make_unique<QFile>(path);
    if (!log_->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        log_.reset();
        return false;
    }
    return true;
}

void PhoneController::log(QJsonObject entry)
{
    if (!log_) return;
    entry.insert(QStringLiteral("t"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    log_->write(QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n');
    log_->flush();
}

QString PhoneController::accountStatus() const
{
    if (!phone_->running())
        return lastProblem_.isEmpty() ? tr("Not connected") : tr("Not connected: %1").arg(lastProblem_);
    const QList<ua::Account*> accounts = phone_->accounts();
    if (accounts.isEmpty())
        return tr("No account: direct IP calls on %1")
            .arg(phone_->listenAddresses().join(QStringLiteral(", ")));
    const ua::Account* a = accounts.first();
    QString why = a->lastCode() > 0 ? QStringLiteral("%1 (%2)").arg(a->lastReason()).arg(a->lastCode())
                                    : a->lastReason();
    // A refused TLS certificate says so, not "transport error (503)" (Settings can inspect it).
    if (const auto& problem = a->certificateProblem())
        why = problem->changed() ? tr("the server's certificate changed since you trusted it")
                                 : tr("the server's certificate is not trusted (see Settings)");
    switch (a->registrationState()) {
    case ua::Account::RegistrationState::Registered: return tr("Registered as %1").arg(a->uri());
    case ua::Account::RegistrationState::Registering: return tr("Registering %1…").arg(a->uri());
    case ua::Account::RegistrationState::Unregistering: return tr("Signing out %1…").arg(a->uri());
    case ua::Account::RegistrationState::Failed:
        return tr("%1 could not register: %2").arg(a->uri(), why.isEmpty() ? tr("no answer") : why);
    default:
        return why.isEmpty() ? tr("%1 is not registered").arg(a->uri())
                             : tr("%1 is not registered: %2").arg(a->uri(), why);
    }
}

QString PhoneController::accountLevel() const
{
    if (!phone_->running()) return QStringLiteral("error");
    const QList<ua::Account*> accounts = phone_->accounts();
    if (accounts.isEmpty()) return QStringLiteral("ok");
    switch (accounts.first()->registrationState()) {
    case ua::Account::RegistrationState::Registered: return QStringLiteral("ok");
    case ua::Account::RegistrationState::Failed: return QStringLiteral("error");
    default: return QStringLiteral("busy");
    }
}

QList<QObject*> PhoneController::calls() const
{
    QList<QObject*> out;
    for (CallItem* item : items_)
        out.prepend(item); // newest first
    return out;
}

CallItem* PhoneController::currentCall() const
{
    if (shown_ && !shown_->ended() && !shown_->ringing()) return shown_;
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
        if (!(*it)->ended() && !(*it)->ringing()) return *it;
    }
    return nullptr;
}

CallItem* PhoneController::incomingCall() const
{
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
        if ((*it)->ringing()) return *it;
    }
    return nullptr;
}

DialPlan PhoneController::planFor(const ua::Account* account) const
{
    if (!account) return {};
    for (const ProfileAccount& a : config_.accounts) {
        if (account->settings().uri == a.settings.uri) return a.plan;
    }
    return {};
}

DialTarget PhoneController::dialTarget(const QString& text) const
{
    return normaliseDialTarget(text, planFor(phone_->accounts().value(0)));
}

bool PhoneController::dial(const QString& text, bool video)
{
    ua::Account* account = phone_->accounts().value(0);
    const DialTarget target = normaliseDialTarget(text, planFor(account));
    if (!target.ok()) {
        setProblem(target.error);
        log({{QStringLiteral("event"), QStringLiteral("dial")},
             {QStringLiteral("input"), text},
             {QStringLiteral("error"), target.error}});
        return false;
    }
    nextCallVideo_ = video;
    ua::Call* call = phone_->call(target.uri, account);
    nextCallVideo_ = false;
    log({{QStringLiteral("event"), QStringLiteral("dial")},
         {QStringLiteral("input"), text},
         {QStringLiteral("uri"), target.uri},
         {QStringLiteral("video"), video},
         {QStringLiteral("ok"), call != nullptr}});
    if (!call) return false;
    CallItem* item = itemFor(call);
    item->setVideo(media_->videoWanted(call));
    shown_ = item;
    emit currentCallChanged();
    return true;
}

CallItem* PhoneController::itemFor(ua::Call* call)
{
    for (CallItem* item : items_) {
        if (item->call() == call) return item;
    }
    auto* item = new CallItem(call, this);
    track(item);
    return item;
}

void PhoneController::track(CallItem* item)
{
    items_.append(item);
    const int id = static_cast<int>(items_.size());
    const auto report = [this, item, id] {
        ua::Call* c = item->call();
        log({{QStringLiteral("event"), QStringLiteral("call")},
             {QStringLiteral("id"), id},
             {QStringLiteral("state"), item->state()},
             {QStringLiteral("peer"), item->peerUri()},
             {QStringLiteral("incoming"), item->incoming()},
             {QStringLiteral("code"), c ? c->code() : 0},
             {QStringLiteral("reason"), c ? c->reason() : QString()}});
        if (item->active()) item->refresh();
        if (item->active() && !item->recording() && !item->property("autoRecordDone").toBool()) {
            // Always-record accounts (and [media] recordCalls without one): from the answer on.
            item->setProperty("autoRecordDone", true);
            const ua::Account* account = c ? c->account() : nullptr;
            bool always = account == nullptr && config_.recordCalls;
            for (const ProfileAccount& a : config_.accounts)
                if (account && a.settings.uri == account->uri()) always = a.recordCalls;
            if (always) setCallRecording(item, true);
        }
        if (item->ended()) {
            if (item->recording()) {
                log({{QStringLiteral("event"), QStringLiteral("recording")},
                     {QStringLiteral("on"), false},
                     {QStringLiteral("file"), item->recordingFile()}});
                item->setRecordingFile({}); // the media session closed the file at the end of the call
            }
            recordCall(item);
        }
        emit currentCallChanged();
        emit incomingCallChanged();
    };
    connect(item, &CallItem::stateChanged, this, report);
    ua::Call* call = item->call();
    connect(call, &QObject::destroyed, this, [this, item] {
        recorded_.remove(item);
        declined_.remove(item);
        items_.removeAll(item);
        item->deleteLater();
        emit callsChanged();
        emit currentCallChanged();
        emit incomingCallChanged();
    });
    report();
    emit callsChanged();
}

void PhoneController::resolveStunServer(const QString& text)
{
    const auto server = net::stun::parseServer(text.toStdString(), nullptr);
    if (!server) return;
    const QString key = QString::fromStdString(net::stun::toString(*server));
    const QString host = QString::fromStdString(server->host);
    auto found = [this, key, port = server->port](const QString& address) {
        stunAddresses_.insert(key, address);
        media::MediaConfig c = media_->config(); // issue 7: the first call's sockets are probed ahead too
        c.stunHost = address.toStdString();
        c.stunPort = port;
        media::StunPrefetch::forConfig(c);
    };
    if (const QHostAddress literal(host); !literal.isNull()) return found(literal.toString());
    QHostInfo::lookupHost(host, this, [found](const QHostInfo& info) {
        QString chosen;
        for (const QHostAddress& a : info.addresses()) {
            if (chosen.isEmpty() || a.protocol() == QAbstractSocket::IPv4Protocol) chosen = a.toString();
            if (a.protocol() == QAbstractSocket::IPv4Protocol) break;
        }
        if (!chosen.isEmpty()) found(chosen);
    });
}

void PhoneController::configureCall(const ua::Call& call, media::MediaConfig& config)
{
    auto* c = const_cast<ua::Call*>(&call);
    CallItem* item = itemFor(c);
    const bool video = call.direction() == ua::Call::Direction::Outgoing
                           ? nextCallVideo_
                           : (answering_ == c && answeringVideo_);
    config.videoAtStart = video;
    // The account's own SRTP policy, when it has one (ProfileAccount::srtp).
    if (const ua::Account* account = call.account()) {
        for (const ProfileAccount& a : config_.accounts) {
            if (a.settings.uri != account->settings().uri || a.srtp.isEmpty()) continue;
            if (auto policy = media::parseSrtpPolicy(a.srtp.toStdString())) config.srtp = *policy;
        }
    }
    // The STUN server of the call's account, else the phone's (resolved in start()).
    QString stun = config_.stunServer;
    if (const ua::Account* account = call.account()) {
        for (const ProfileAccount& a : config_.accounts) {
            if (a.settings.uri == account->settings().uri && !a.settings.stunServer.isEmpty())
                stun = a.settings.stunServer;
        }
    }
    config.stunHost.clear();
    if (const auto server = net::stun::parseServer(stun.toStdString(), nullptr)) {
        const QString address = stunAddresses_.value(QString::fromStdString(net::stun::toString(*server)));
        if (!address.isEmpty()) {
            config.stunHost = address.toStdString();
            config.stunPort = server->port;
        } else {
            log({{QStringLiteral("event"), QStringLiteral("stun")},
                 {QStringLiteral("socket"), QStringLiteral("rtp")},
                 {QStringLiteral("ok"), false},
                 {QStringLiteral("reason"),
                  QStringLiteral("%1 not resolved; media uses local addresses").arg(stun)}});
        }
    }
    config.videoSinkFactory = qtSinkFactory(item->remoteFrames());
    config.videoSourceFactory =
        [camera = qtCameraFactory(), preview = QPointer<QVideoSink>(item->localFrames())](
            const media::VideoSourceSpec& spec) -> media::MediaResult<std::unique_ptr<media::VideoSource>> {
        auto made = camera(spec);
        if (!made || preview.isNull()) return made;
        return std::unique_ptr<media::VideoSource>(
            std::make_unique<PreviewSource>(std::move(*made), preview.data()));
    };
}

QVariantList PhoneController::dialSuggestions(const QString& typed) const
{
    QVariantList out;
    if (!db_) return out;
    for (const DialSuggestion& s : ui::dialSuggestions(*db_, typed)) {
        out.append(QVariantMap{{QStringLiteral("label"), s.label},
                               {QStringLiteral("detail"), s.detail},
                               {QStringLiteral("target"), s.target}});
    }
    return out;
}

void PhoneController::setProblem(const QString& what)
{
    lastProblem_ = what;
    log({{QStringLiteral("event"), QStringLiteral("problem")}, {QStringLiteral("text"), what}});
    emit lastProblemChanged();
    emit accountStatusChanged();
}

void PhoneController::secondTick()
{
    for (CallItem* item : items_) {
        if (item->ended()) continue;
        item->refresh();
        if (item->active() && !item->stats().isEmpty())
            log({{QStringLiteral("event"), QStringLiteral("stats")},
                 {QStringLiteral("id"), static_cast<int>(items_.indexOf(item)) + 1},
                 {QStringLiteral("streams"), item->stats()}});
    }
}

} // namespace vphone::ui
