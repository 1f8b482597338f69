// ConferenceMedia: see conference_media.h for the theory of operation. The bridge, the host's
// devices and the figures are media::ConferenceHost's; this file only follows the Conference and
// turns rows into the JSON vphone-cli's --stats-json prints.
#include "conference_media.h"

#include "common/media_session_provider.h"
#include "common/qt_video.h"
#include "engine/conference_host.h"
#include "engine/conference_rows_json.h"
#include "ua/call.h"
#include "ua/conference.h"

#include <QJsonObject>

#include <algorithm>

namespace vphone::ui {

ConferenceMedia::ConferenceMedia(ua::Conference& conference, MediaSessionProvider& provider, Options options,
                                 QObject* parent)
    : QObject(parent), conference_(conference), provider_(provider), options_(std::move(options))
{
    connect(&conference_, &ua::Conference::memberJoined, this, &ConferenceMedia::join);
    connect(&conference_, &ua::Conference::memberLeft, this, &ConferenceMedia::leave);
    connect(&conference_, &ua::Conference::ended, this, &ConferenceMedia::stop);
    for (ua::Call* call : conference_.members()) // made while a conference runs
        join(call);
}

ConferenceMedia::~ConferenceMedia()
{
    if (host_) host_->stop(); // the sessions still in get their own devices back
}

bool ConferenceMedia::start()
{
    if (host_ && host_->running()) return true;
    const media::MediaConfig& config = provider_.config();
    media::ConferenceHost::Options o;
    o.bridge.video = options_.video;
    o.bridge.width = options_.width;
    o.bridge.height = options_.height;
    o.bridge.fps = options_.fps;
    o.bridge.layout = options_.speakerLayout ? media::ConferenceBridge::Options::Layout::Speaker
                                             : media::ConferenceBridge::Options::Layout::Grid;
    o.audioSource = options_.audioSource.empty() ? config.audioSource : options_.audioSource;
    o.audioSink = options_.audioSink.empty() ? config.audioSink : options_.audioSink;
    if (!options_.videoSource.empty())
        o.videoSource = options_.videoSource;
    else
        o.videoSource = options_.video ? config.videoSource : std::string("off");
    o.hostLabel = options_.hostLabel;
    // A camera (device:NAME) opens through Qt Multimedia, as the calls' own cameras do.
    if (options_.video)
        o.videoSourceFactory = config.videoSourceFactory ? config.videoSourceFactory : qtCameraFactory();
    auto made = media::ConferenceHost::start(std::move(o));
    if (!made) {
        emit problem(QStringLiteral("conference media: %1").arg(QString::fromStdString(made.error().what)));
        return false;
    }
    host_ = std::move(*made);
    members_.clear(); // a new conference: the last one's rows go
    if (hostSink_) host_->setHostVideoSink(hostSink_);
    emit runningChanged();
    return true;
}

void ConferenceMedia::join(ua::Call* call)
{
    if (!call) return;
    if (std::any_of(members_.begin(), members_.end(),
                    [call](const Member& m) { return m.key == call && m.connected; }))
        return;
    if (!start()) return;
    Member m;
    m.call = call;
    m.key = call;
    m.uri = call->remoteUri();
    m.label = call->remoteDisplayName().isEmpty() ? m.uri : call->remoteDisplayName();
    if (media::MediaSession* session = provider_.session(call)) {
        auto id = host_->join(*session, m.label.toStdString());
        if (id) {
            m.id = *id;
        } else {
            emit problem(QStringLiteral("conference media: %1").arg(QString::fromStdString(id.error().what)));
        }
    } else {
        emit problem(QStringLiteral("conference media: %1: the call has no media session").arg(m.label));
    }
    members_.push_back(std::move(m));
}

void ConferenceMedia::leave(ua::Call* call)
{
    for (auto& m : members_) {
        if (m.key != call || !m.connected) continue;
        if (host_ && m.id >= 0) host_->leave(m.id); // its figures kept
        m.connected = false;
    }
}

void ConferenceMedia::stop()
{
    if (!host_ || !host_->running()) return;
    host_->stop();
    emit runningChanged();
}

void ConferenceMedia::setHostView(QVideoSink* view)
{
    setHostSink(view ? std::make_shared<QtVideoSinkAdapter>(view) : nullptr);
}

void ConferenceMedia::setHostSink(std::shared_ptr<media::VideoSink> sink)
{
    hostSink_ = std::move(sink);
    if (host_ && host_->running()) host_->setHostVideoSink(hostSink_);
}

QJsonArray ConferenceMedia::participants() const
{
    QJsonArray out;
    if (!host_) return out;
    const auto rows = host_->rows();
    const auto json = [&rows](int id, const QString& label, const QString& uri, bool connected) {
        return media::conferenceRowJson(rows, id, uri, connected,
                                        {{QStringLiteral("label"), label}, {QStringLiteral("uri"), uri}});
    };
    const QString hostLabel = QString::fromStdString(options_.hostLabel);
    QJsonObject host = json(host_->hostId(), hostLabel, hostLabel, true);
    host.insert(QStringLiteral("host"), true);
    out.append(host);
    for (const auto& m : members_)
        out.append(json(m.id, m.label, m.uri, m.connected));
    return out;
}

ua::Call* ConferenceMedia::activeSpeaker() const
{
    if (!host_) return nullptr;
    const auto id = host_->activeSpeaker();
    if (!id) return nullptr;
    for (const auto& m : members_) {
        if (m.connected && m.id == *id) return m.call.data();
    }
    return nullptr;
}

bool ConferenceMedia::hostSpeaking() const
{
    if (!host_ || !host_->running()) return false;
    const auto row = host_->row(host_->hostId());
    return row && row->speaking;
}

bool ConferenceMedia::running() const
{
    return host_ && host_->running();
}

} // namespace vphone::ui
