// ConferenceModel and ConferenceMember (conference_model.h): the hosted conference for the views,
// over ua::Conference (signalling) and ConferenceMedia (the bridge).
#include "models/conference_model.h"

#include "common/conference_media.h"
#include "models/call_item.h"
#include "models/phone_controller.h"
#include "ua/conference.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace vphone::ui {

namespace {

/// A SIP URI without its scheme and parameters ("bob@127.0.0.1:5070"), to match the bridge's
/// rows to calls however each side spelled the address.
QString bareUri(QString uri)
{
    uri = uri.trimmed();
    if (uri.startsWith(QLatin1Char('<'))) uri = uri.mid(1).section(QLatin1Char('>'), 0, 0);
    for (const char* scheme : {"sip:", "sips:"}) {
        if (uri.startsWith(QLatin1String(scheme))) uri = uri.mid(static_cast<int>(qstrlen(scheme)));
    }
    return uri.section(QLatin1Char(';'), 0, 0).section(QLatin1Char('?'), 0, 0).toLower();
}

} // namespace

// --- ConferenceMember ---

ConferenceMember::ConferenceMember(bool host, CallItem* item, QObject* parent)
    : QObject(parent), host_(host), item_(item)
{
    if (item) {
        uri_ = item->peerUri();
        name_ = item->peerName();
    }
}

QString ConferenceMember::name() const
{
    if (host_) return tr("You");
    return item_ ? item_->peerName() : name_;
}

QString ConferenceMember::uri() const
{
    return item_ ? item_->peerUri() : uri_;
}

void ConferenceMember::set(bool joined, bool speaking, bool activeSpeaker, double levelDbfs)
{
    if (joined == joined_ && speaking == speaking_ && activeSpeaker == activeSpeaker_ &&
        qRound(levelDbfs) == qRound(levelDbfs_))
        return;
    joined_ = joined;
    speaking_ = speaking;
    activeSpeaker_ = activeSpeaker;
    levelDbfs_ = levelDbfs;
    emit changed();
}

// --- ConferenceModel ---

ConferenceModel::ConferenceModel(PhoneController& controller) : QObject(&controller), controller_(controller)
{
    timer_.setInterval(500);
    connect(&timer_, &QTimer::timeout, this, &ConferenceModel::refreshSpeaking);
    connect(&controller_, &PhoneController::callsChanged, this, &ConferenceModel::canMergeChanged);
    connect(&controller_, &PhoneController::currentCallChanged, this, &ConferenceModel::canMergeChanged);
    connect(&controller_, &PhoneController::restarted, this, &ConferenceModel::attach);
    attach();
}

ConferenceModel::~ConferenceModel()
{
    media_.reset();
}

ua::Conference* ConferenceModel::conference() const
{
    return conference_.data();
}

void ConferenceModel::attach()
{
    detach();
    conference_ = controller_.phone().conference();
    ua::Conference* c = conference_.data();
    if (!c) return;
    connect(c, &ua::Conference::activeChanged, this, [this] {
        if (conference_ && conference_->active()) ensureMedia();
        rebuild();
        emit activeChanged();
        emit canMergeChanged();
    });
    connect(c, &ua::Conference::membersChanged, this, [this] {
        rebuild();
        emit canMergeChanged();
    });
    connect(c, &ua::Conference::addRequested, this, [this](ua::Call*, ua::Call* placed, const QString& uri) {
        controller_.log({{QStringLiteral("event"), QStringLiteral("conference_add")},
                         {QStringLiteral("uri"), uri},
                         {QStringLiteral("placed"), placed != nullptr}});
    });
    rebuild();
    emit activeChanged();
}

void ConferenceModel::detach()
{
    timer_.stop();
    media_.reset();
    if (conference_) disconnect(conference_.data(), nullptr, this, nullptr);
    conference_ = nullptr;
    const bool had = !rows_.isEmpty();
    qDeleteAll(rows_);
    rows_.clear();
    wasActive_ = false;
    if (had) emit membersChanged();
}

bool ConferenceModel::active() const
{
    return conference_ && conference_->active();
}

void ConferenceModel::ensureMedia()
{
    if (media_ || !conference_) return;
    ConferenceMedia::Options options;
    const std::string& camera = controller_.media().config().videoSource;
    video_ = !camera.empty() && camera != "off";
    options.video = video_;
    options.hostLabel = tr("You").toStdString();
    conference_->setHostVideo(video_); // the roster says the host shows video too
    media_ = std::make_unique<ConferenceMedia>(*conference_, controller_.media(), options);
    media_->setHostView(hostView_);
    connect(media_.get(), &ConferenceMedia::problem, this, [this](const QString& what) {
        controller_.log(
            {{QStringLiteral("event"), QStringLiteral("problem")}, {QStringLiteral("text"), what}});
    });
    controller_.log(
        {{QStringLiteral("event"), QStringLiteral("conference_media")}, {QStringLiteral("video"), video_}});
}

QList<QObject*> ConferenceModel::members() const
{
    QList<QObject*> out;
    for (ConferenceMember* m : rows_)
        out.append(m);
    return out;
}

int ConferenceModel::memberCount() const
{
    return conference_ ? static_cast<int>(conference_->members().size()) : 0;
}

void ConferenceModel::setHostView(QVideoSink* view)
{
    if (hostView_ == view) return;
    hostView_ = view;
    if (media_) media_->setHostView(view);
    emit hostViewChanged();
}

bool ConferenceModel::canMerge() const
{
    if (!conference_) return false;
    const auto outside = callsOutside().size();
    return outside >= 2 || (outside >= 1 && conference_->active());
}

QList<ua::Call*> ConferenceModel::callsOutside() const
{
    QList<ua::Call*> out;
    if (!conference_) return out;
    const QList<ua::Call*> in = conference_->members() + conference_->pending();
    // Oldest first: the members join in the order the calls were made.
    const QList<QObject*> calls = controller_.calls();
    for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
        auto* item = qobject_cast<CallItem*>(*it);
        if (item && item->active() && item->call() && !in.contains(item->call())) out.append(item->call());
    }
    return out;
}

int ConferenceModel::addCalls(const QList<ua::Call*>& calls)
{
    ensureMedia();
    int added = 0;
    QJsonArray uris;
    for (ua::Call* call : calls) {
        if (conference_ && conference_->add(call)) {
            ++added;
            uris.append(call->remoteUri());
        }
    }
    controller_.log({{QStringLiteral("event"), QStringLiteral("merge")},
                     {QStringLiteral("ok"), added > 0},
                     {QStringLiteral("calls"), uris}});
    rebuild();
    emit canMergeChanged();
    return added;
}

bool ConferenceModel::merge()
{
    if (!canMerge()) {
        controller_.log({{QStringLiteral("event"), QStringLiteral("merge")}, {QStringLiteral("ok"), false}});
        return false;
    }
    return addCalls(callsOutside()) > 0;
}

bool ConferenceModel::addParticipant(const QString& text)
{
    if (!conference_) return false;
    const DialTarget target = controller_.dialTarget(text);
    if (!target.ok()) {
        controller_.log({{QStringLiteral("event"), QStringLiteral("conference_invite")},
                         {QStringLiteral("input"), text},
                         {QStringLiteral("error"), target.error}});
        return false;
    }
    // From a call (or several) that is up: they become the conference with the new participant.
    if (const QList<ua::Call*> up = callsOutside(); !up.isEmpty()) addCalls(up);
    ensureMedia();
    controller_.setNextCallVideo(video_);
    ua::Call* call = conference_->invite(target.uri, controller_.phone().accounts().value(0));
    controller_.setNextCallVideo(false);
    controller_.log({{QStringLiteral("event"), QStringLiteral("conference_invite")},
                     {QStringLiteral("input"), text},
                     {QStringLiteral("uri"), target.uri},
                     {QStringLiteral("ok"), call != nullptr}});
    if (call) controller_.itemFor(call)->setVideo(controller_.media().videoWanted(call));
    rebuild();
    return call != nullptr;
}

void ConferenceModel::remove(QObject* member)
{
    auto* m = qobject_cast<ConferenceMember*>(member);
    if (!m || m->host() || !m->callItem() || !m->callItem()->call() || !conference_) return;
    controller_.log(
        {{QStringLiteral("event"), QStringLiteral("conference_remove")}, {QStringLiteral("uri"), m->uri()}});
    conference_->remove(m->callItem()->call());
}

void ConferenceModel::leave()
{
    if (!conference_) return;
    controller_.log({{QStringLiteral("event"), QStringLiteral("conference_leave")},
                     {QStringLiteral("members"), memberCount()}});
    conference_->end();
}

void ConferenceModel::rebuild()
{
    QList<ConferenceMember*> rows;
    const bool on = active();
    if (on) {
        ConferenceMember* host = !rows_.isEmpty() && rows_.first()->host() ? rows_.first() : nullptr;
        rows.append(host ? host : new ConferenceMember(true, nullptr, this));
        const QList<ua::Call*> joined = conference_->members();
        for (ua::Call* call : joined + conference_->pending()) {
            CallItem* item = controller_.itemFor(call);
            ConferenceMember* row = nullptr;
            for (ConferenceMember* old : std::as_const(rows_))
                if (!old->host() && old->callItem() == item) row = old;
            if (!row) row = new ConferenceMember(false, item, this);
            row->set(joined.contains(call), row->speaking(), row->activeSpeaker(), row->levelDbfs());
            rows.append(row);
        }
    }
    for (ConferenceMember* old : std::as_const(rows_))
        if (!rows.contains(old)) old->deleteLater();
    const bool changed = rows != rows_;
    rows_ = rows;
    if (on && !timer_.isActive()) timer_.start();
    if (!on) timer_.stop();
    if (changed || on != wasActive_) {
        wasActive_ = on;
        emit membersChanged();
    }
    emit countChanged(); // a member that joined changes the count, not the rows
    logState();
}

void ConferenceModel::refreshSpeaking()
{
    if (!media_ || rows_.isEmpty()) return;
    const QJsonArray parts = media_->participants();
    const ua::Call* speaker = media_->activeSpeaker();
    int index = 0;
    for (ConferenceMember* row : std::as_const(rows_)) {
        QJsonObject found;
        if (row->host()) {
            for (const auto& v : parts)
                if (v.toObject().value(QLatin1String("host")).toBool()) found = v.toObject();
        } else {
            const QString want = bareUri(row->uri());
            for (const auto& v : parts)
                if (bareUri(v.toObject().value(QLatin1String("uri")).toString()) == want)
                    found = v.toObject();
            if (found.isEmpty() && index < parts.size()) found = parts.at(index).toObject(); // joining order
        }
        ++index;
        const bool speaking =
            row->host() ? media_->hostSpeaking() : found.value(QLatin1String("speaking")).toBool();
        const bool isSpeaker = row->host() ? found.value(QLatin1String("active_speaker")).toBool()
                                           : (row->callItem() && row->callItem()->call() == speaker);
        row->set(row->joined(), speaking, isSpeaker, found.value(QLatin1String("level_dbfs")).toDouble(-90));
    }
    // Once a second in the log, for the end-to-end test and for reading a session back.
    if (++ticks_ % 2 == 0)
        controller_.log({{QStringLiteral("event"), QStringLiteral("conference_participants")},
                         {QStringLiteral("participants"), parts}});
}

void ConferenceModel::logState()
{
    QJsonArray joined;
    QJsonArray joining;
    for (ConferenceMember* row : std::as_const(rows_)) {
        if (row->host()) continue;
        (row->joined() ? joined : joining).append(row->uri());
    }
    QStringList all{active() ? QStringLiteral("on") : QStringLiteral("off")};
    for (const auto& v : joined)
        all << v.toString();
    all << QStringLiteral("|");
    for (const auto& v : joining)
        all << v.toString();
    const QString key = all.join(QLatin1Char(' '));
    const bool first = loggedState_.isEmpty();
    if (key == loggedState_) return;
    loggedState_ = key;
    if (first && !active()) return; // no "over" line before any conference
    controller_.log({{QStringLiteral("event"), QStringLiteral("conference")},
                     {QStringLiteral("active"), active()},
                     {QStringLiteral("members"), joined},
                     {QStringLiteral("joining"), joining},
                     {QStringLiteral("uri"), conference_ ? conference_->uri() : QString()}});
}

} // namespace vphone::ui
