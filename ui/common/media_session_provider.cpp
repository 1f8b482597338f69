#include "common/media_session_provider.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>

#include <utility>
#include <vector>

namespace vphone::ui {

namespace {

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// An engine error as the Phone's refusal (the engine's status: 488, 491, 500).
ua::SdpResult refusal(const media::EngineError& error)
{
    return ua::SdpResult::refuse(error.status, error.what);
}

} // namespace

MediaSessionProvider::MediaSessionProvider(media::MediaConfig config, QObject* parent)
    : QObject(parent), config_(std::move(config))
{}

MediaSessionProvider::~MediaSessionProvider()
{
    // Joins the media threads: no notifier runs after this (queued drains die with us).
    for (auto& [call, entry] : sessions_)
        entry.session->stop();
}

media::MediaSession* MediaSessionProvider::sessionFor(const ua::Call& call, std::string* why)
{
    if (auto it = sessions_.find(&call); it != sessions_.end()) return it->second.session.get();
    media::MediaConfig config = config_;
    if (callConfigHook_) callConfigHook_(call, config);
    auto made = media::MediaSession::create(std::move(config));
    if (!made) {
        *why = "media: " + made.error().what;
        return nullptr;
    }
    (*made)->setEventNotifier([this] {
        // The media thread: one queued drain at a time onto our thread.
        if (!drainPosted_.exchange(true))
            QMetaObject::invokeMethod(this, &MediaSessionProvider::drain, Qt::QueuedConnection);
    });
    Entry entry{const_cast<ua::Call*>(&call), std::move(*made), std::nullopt, false};
    auto* raw = entry.session.get();
    sessions_.emplace(&call, std::move(entry));
    return raw;
}

ua::SdpResult MediaSessionProvider::offer(const ua::Call& call, Purpose purpose)
{
    std::string why;
    auto* m = sessionFor(call, &why);
    if (!m) return ua::SdpResult::refuse(500, why);
    // A Refresh asked for by setVideo() carries the video change.
    auto& entry = sessions_.find(&call)->second;
    const std::optional<bool> video = purpose == Purpose::Refresh ? entry.videoChange : std::nullopt;
    entry.videoChange.reset();
    media::EngineResult<std::string> ours = purpose == Purpose::Hold     ? m->setHold(true)
                                            : purpose == Purpose::Resume ? m->setHold(false)
                                            : video                      ? m->setVideo(*video)
                                                                         : m->createOffer();
    if (video && ours) entry.videoOffered = true;
    if (!ours) return refusal(ours.error());
    return ua::SdpResult::description(std::move(*ours));
}

ua::SdpResult MediaSessionProvider::answer(const ua::Call& call, const std::string& remoteOffer)
{
    std::string why;
    auto* m = sessionFor(call, &why);
    if (!m) return ua::SdpResult::refuse(500, why);
    auto ours = m->answer(remoteOffer);
    if (!ours) return refusal(ours.error());
    return ua::SdpResult::description(std::move(*ours));
}

void MediaSessionProvider::offerRefused(const ua::Call& call)
{
    // Refused (488, 491 after the retries) or never sent: the session in force stays.
    if (auto* m = session(&call); m && m->offerPending()) m->rejectOffer();
}

std::optional<std::string> MediaSessionProvider::negotiated(const ua::Call& call, const std::string&,
                                                            const std::string& remote)
{
    auto* m = session(&call);
    if (!m) return std::string("no media session for this call");
    // Our answer to the peer's offer took effect when we made it; only our offer awaits one.
    if (!m->offerPending()) return std::nullopt;
    if (remote.empty()) {
        m->rejectOffer();
        return std::string("the answer carries no session description");
    }
    if (auto ok = m->applyAnswer(remote); !ok) {
        if (m->offerPending()) m->rejectOffer();
        return "the answer is not usable: " + ok.error().what;
    }
    return std::nullopt;
}

void MediaSessionProvider::ended(const ua::Call& call)
{
    const auto it = sessions_.find(&call);
    if (it == sessions_.end()) return;
    std::unique_ptr<media::MediaSession> session = std::move(it->second.session);
    sessions_.erase(it);
    session->stop();
}

media::MediaSession* MediaSessionProvider::session(const ua::Call* call) const
{
    const auto it = sessions_.find(call);
    return it == sessions_.end() ? nullptr : it->second.session.get();
}

QJsonArray MediaSessionProvider::stats(const ua::Call* call) const
{
    QJsonArray out;
    if (const auto* m = session(call)) {
        for (const auto& s : m->stats())
            out.append(QJsonDocument::fromJson(QByteArray::fromStdString(media::toJson(s))).object());
    }
    return out;
}

QString MediaSessionProvider::holdState(const ua::Call* call) const
{
    const auto* m = session(call);
    return m ? fromStd(media::toString(m->holdState())) : QString();
}

bool MediaSessionProvider::sendDtmf(ua::Call* call, const QString& digits)
{
    auto* m = session(call);
    if (!m) {
        emit mediaError(call, QStringLiteral("DTMF: the call has no media"));
        return false;
    }
    if (auto ok = m->sendDtmf(digits.toStdString()); !ok) {
        emit mediaError(call, QStringLiteral("DTMF: %1").arg(QString::fromStdString(ok.error().what)));
        return false;
    }
    return true;
}

bool MediaSessionProvider::setMuted(ua::Call* call, bool muted)
{
    auto* m = session(call);
    if (!m) return false;
    m->setMuted(muted);
    return true;
}

bool MediaSessionProvider::setVideo(ua::Call* call, bool on)
{
    const auto it = sessions_.find(call);
    if (it == sessions_.end() || !it->second.session) {
        emit mediaError(call, QStringLiteral("video: the call has no media"));
        return false;
    }
    if (it->second.session->videoWanted() == on) return true;
    it->second.videoChange = on;
    it->second.videoOffered = false;
    call->reinvite(); // the Phone asks offer(Refresh) at once, or emits problem() and sends nothing
    // The call may have ended (and its entry gone) inside reinvite().
    const auto again = sessions_.find(call);
    if (again == sessions_.end()) return false;
    again->second.videoChange.reset();
    if (!again->second.videoOffered) {
        emit mediaError(call, on ? QStringLiteral("video: the camera could not be added to the call")
                                 : QStringLiteral("video: the camera could not be removed from the call"));
        return false;
    }
    return true;
}

bool MediaSessionProvider::videoWanted(const ua::Call* call) const
{
    const auto* m = session(call);
    return m && m->videoWanted();
}

void MediaSessionProvider::drain()
{
    drainPosted_.store(false);
    // Collect first: a slot may hang up (ended() erases the session) or remove the call.
    std::vector<std::pair<QPointer<ua::Call>, media::MediaEvent>> events;
    for (auto& [key, entry] : sessions_) {
        while (auto event = entry.session->pollEvent())
            events.emplace_back(entry.call, std::move(*event));
    }
    for (auto& [call, event] : events) {
        if (!call) continue;
        emit mediaEvent(call, QString::fromStdString(media::toJson(event)));
        if (!call) continue;
        if (const auto* e = std::get_if<media::MediaStarted>(&event)) {
            emit mediaStarted(call, fromStd(e->codec), fromStd(e->remote));
        } else if (const auto* e = std::get_if<media::HoldChanged>(&event)) {
            emit holdChanged(call, fromStd(media::toString(e->state)));
        } else if (const auto* e = std::get_if<media::DtmfReceived>(&event)) {
            emit dtmfReceived(call, QChar::fromLatin1(e->digit));
        } else if (const auto* e = std::get_if<media::DtlsConnected>(&event)) {
            emit secured(call, fromStd(media::toString(e->suite)));
        } else if (const auto* e = std::get_if<media::DtlsFailed>(&event)) {
            // The stream stays silent: end the call rather than let it run mute.
            emit mediaError(call, QStringLiteral("DTLS-SRTP failed: %1").arg(fromStd(e->reason)));
            if (call) call->hangUp();
        } else if (const auto* e = std::get_if<media::MediaErrorEvent>(&event)) {
            emit mediaError(call, fromStd(e->what));
        }
    }
}

} // namespace vphone::ui
