// vphone-cli's media per call: a MediaSession made from the options (and the account's own SRTP
// settings), offer/answer at every step of the call, hold, DTMF, mute, media events printed as
// JSON lines, and the --stats-json file written at each hang-up. See phone_session.h.
#include "phone_session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

#include <cstdio>

namespace vphone::cli {

std::unique_ptr<media::MediaSession> Phone::makeMedia(ua::AccountId account)
{
    media::MediaConfig config = o_.media;
    if (account >= 0 && account < o_.accounts.size()) {
        // The account's own SRTP policy and keying (config file) win over the flags.
        const auto& a = o_.accounts[account];
        if (a.srtp) config.srtp = *a.srtp;
        if (a.keying) config.keying = *a.keying;
    }
    config.localAddresses = {mediaAddress()};
    config.videoAtStart = !o_.videoAfter; // --video-after: audio first, video by re-INVITE
    auto made = media::MediaSession::create(std::move(config));
    if (!made) {
        std::fprintf(stderr, "vphone-cli: media: %s\n", made.error().what.c_str());
        failed_ = true;
        return nullptr;
    }
    (*made)->setEventNotifier([this] {
        QMetaObject::invokeMethod(
            this, [this] { drainMedia(); }, Qt::QueuedConnection);
    });
    return std::move(*made);
}

std::string Phone::mediaAddress() const
{
    // The address our SIP messages carry (the source address toward the registrar when the
    // socket is bound to a wildcard one) is the one peers can reach our media on too.
    for (const auto& local : driver_.unmappedLocalAddresses(0)) {
        const QHostAddress a(QString::fromStdString(local.host));
        if (!a.isNull() && a != QHostAddress::Any && a != QHostAddress::AnyIPv4 && a != QHostAddress::AnyIPv6)
            return local.host;
    }
    return contactHost_.toStdString();
}

media::MediaSession* Phone::newMedia(sip::CallHandle call, const QString& peer, bool incoming)
{
    auto session = makeMedia(ua::UaDriver::accountOf(call));
    if (!session) {
        driver_.reject(call, 500);
        return nullptr;
    }
    auto* raw = session.get();
    media_[call] = CallMedia{std::move(session), peer, incoming, 0};
    return raw;
}

media::MediaSession* Phone::mediaOf(sip::CallHandle call)
{
    const auto it = media_.find(call);
    return it == media_.end() ? nullptr : it->second.session.get();
}

void Phone::answerIncoming(sip::CallHandle call, const std::string& offer)
{
    auto* m = mediaOf(call);
    if (!m) return;
    if (offer.empty()) {
        // An offerless INVITE (RFC 3261 §13.2.1): our offer goes in the 200, the answer in the ACK.
        auto ours = m->createOffer();
        if (!ours) {
            std::fprintf(stderr, "vphone-cli: media: %s\n", ours.error().what.c_str());
            driver_.reject(call, 500);
            return;
        }
        driver_.answer(call, *ours);
        return;
    }
    auto answer = m->answer(offer);
    if (!answer) {
        // RFC 3264 §6: an offer we cannot accept is refused (488 Not Acceptable Here).
        std::fprintf(stderr, "vphone-cli: refusing the call: %d %s\n", answer.error().status,
                     answer.error().what.c_str());
        emitEvent({{QStringLiteral("event"), QStringLiteral("media")},
                   {QStringLiteral("kind"), QStringLiteral("refused")},
                   {QStringLiteral("call"), static_cast<qint64>(call)},
                   {QStringLiteral("code"), answer.error().status},
                   {QStringLiteral("reason"), QString::fromStdString(answer.error().what)}},
                  ua::UaDriver::accountOf(call));
        driver_.reject(call, answer.error().status);
        return;
    }
    driver_.answer(call, *answer);
}

void Phone::onConfirmed(ua::AccountId, const sip::CallStateChanged& e)
{
    const auto handle = e.call;
    calls_[handle] = true;
    if (handle == outgoing_) outgoingAnswered_ = true;
    auto it = media_.find(handle);
    if (it != media_.end()) {
        it->second.answeredAt = QDateTime::currentMSecsSinceEpoch();
        auto& m = *it->second.session;
        if (m.offerPending()) {
            // Our offer's answer: in the 200 (outgoing call) or the ACK (offerless INVITE).
            if (e.sdp.empty()) {
                mediaProblem(handle, "the answer carries no session description");
                return;
            }
            if (auto ok = m.applyAnswer(e.sdp); !ok) {
                mediaProblem(handle, ok.error().what);
                return;
            }
        }
    }
    const auto after = [this, handle](double seconds, auto action) {
        QTimer::singleShot(static_cast<int>(seconds * 1000), this, [this, handle, action] {
            if (calls_.count(handle) && !stopping_) action();
        });
    };
    if (!o_.dtmf.empty()) {
        after(o_.dtmfAfter, [this, handle] {
            if (auto* m = mediaOf(handle)) {
                if (auto ok = m->sendDtmf(o_.dtmf); !ok)
                    std::fprintf(stderr, "vphone-cli: --dtmf: %s\n", ok.error().what.c_str());
            }
        });
    }
    if (o_.holdAfter) {
        after(*o_.holdAfter, [this, handle] {
            if (auto* m = mediaOf(handle)) reoffer(handle, m->setHold(true), "hold");
        });
        if (o_.resumeAfter) {
            after(*o_.holdAfter + *o_.resumeAfter, [this, handle] {
                if (auto* m = mediaOf(handle)) reoffer(handle, m->setHold(false), "resume");
            });
        }
    }
    if (o_.muteAfter) {
        const auto mute = [this, handle](bool on) {
            if (auto* m = mediaOf(handle)) {
                m->setMuted(on);
                emitEvent({{QStringLiteral("event"), QStringLiteral("media")},
                           {QStringLiteral("kind"), QStringLiteral("mute")},
                           {QStringLiteral("call"), static_cast<qint64>(handle)},
                           {QStringLiteral("state"), on ? QStringLiteral("on") : QStringLiteral("off")}},
                          ua::UaDriver::accountOf(handle));
            }
        };
        after(*o_.muteAfter, [mute] { mute(true); });
        if (o_.unmuteAfter) after(*o_.muteAfter + *o_.unmuteAfter, [mute] { mute(false); });
    }
    if (o_.videoAfter || o_.videoOffAfter) {
        const double on = o_.videoAfter.value_or(0);
        if (o_.videoAfter) {
            after(on, [this, handle] {
                if (auto* m = mediaOf(handle)) reoffer(handle, m->setVideo(true), "video on");
            });
        }
        if (o_.videoOffAfter) {
            after(on + *o_.videoOffAfter, [this, handle] {
                if (auto* m = mediaOf(handle)) reoffer(handle, m->setVideo(false), "video off");
            });
        }
    }
    if (o_.reinviteAfter) {
        after(*o_.reinviteAfter, [this, handle] {
            auto* m = mediaOf(handle);
            if (!m) return;
            if (!o_.reinviteCodecs.empty()) {
                if (auto ok = m->setCodecs(o_.reinviteCodecs); !ok) {
                    std::fprintf(stderr, "vphone-cli: --reinvite-codecs: %s\n", ok.error().what.c_str());
                    return;
                }
            }
            reoffer(handle, m->createOffer(), "re-INVITE");
        });
    }
    if (o_.hangupAfter) after(*o_.hangupAfter, [this, handle] { driver_.hangUp(handle); });
}

void Phone::reoffer(sip::CallHandle call, const media::EngineResult<std::string>& offer, const char* what)
{
    if (!offer) {
        std::fprintf(stderr, "vphone-cli: %s: %s\n", what, offer.error().what.c_str());
        return;
    }
    driver_.reinvite(call, *offer);
}

void Phone::onLocalModify(sip::CallHandle call, const sip::CallModified& e)
{
    auto* m = mediaOf(call);
    if (!m || !m->offerPending()) return;
    if (e.code / 100 == 2 && !e.sdp.empty()) {
        if (auto ok = m->applyAnswer(e.sdp); !ok) {
            // RFC 3264 §8: an unusable answer to a re-offer; the old session stays in force.
            std::fprintf(stderr, "vphone-cli: the answer to our re-offer is not usable: %s\n",
                         ok.error().what.c_str());
        }
        return;
    }
    m->rejectOffer(); // refused (488, 491 after the retries) or never sent: nothing changes
}

void Phone::drainMedia()
{
    for (auto& [call, cm] : media_) {
        if (!cm.session) continue;
        while (auto event = cm.session->pollEvent()) {
            QJsonObject o =
                QJsonDocument::fromJson(QByteArray::fromStdString(media::toJson(*event))).object();
            o.insert(QStringLiteral("call"), static_cast<qint64>(call));
            emitEvent(o, ua::UaDriver::accountOf(call));
            if (const auto* failed = std::get_if<media::DtlsFailed>(&*event)) {
                mediaProblem(call, "DTLS-SRTP failed: " + failed->reason);
                break; // the call is ending
            }
            if (const auto* error = std::get_if<media::MediaErrorEvent>(&*event))
                std::fprintf(stderr, "vphone-cli: media: %s\n", error->what.c_str());
            if (const auto* stun = std::get_if<media::StunMapped>(&*event))
                std::fprintf(stderr, "vphone-cli: stun: mapped %s for %s (%s, call %llu)\n",
                             stun->mapped.c_str(), stun->socket.c_str(), stun->stream.c_str(),
                             static_cast<unsigned long long>(call));
        }
    }
}

void Phone::mediaProblem(sip::CallHandle call, const std::string& what)
{
    std::fprintf(stderr, "vphone-cli: media: %s; hanging up\n", what.c_str());
    failed_ = true;
    QTimer::singleShot(0, this, [this, call] { driver_.hangUp(call); });
}

void Phone::endMedia(sip::CallHandle call)
{
    const auto it = media_.find(call);
    if (it == media_.end()) return;
    CallMedia cm = std::move(it->second);
    media_.erase(it);
    if (!cm.session) return;
    const auto streams = cm.session->stats();
    cm.session->stop();
    if (o_.statsJson.isEmpty()) return;
    QJsonArray list;
    for (const auto& s : streams)
        list.append(QJsonDocument::fromJson(QByteArray::fromStdString(media::toJson(s))).object());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    finishedCalls_.append(
        QJsonObject{{QStringLiteral("peer"), cm.peer},
                    {QStringLiteral("call"), static_cast<qint64>(call)},
                    {QStringLiteral("direction"), cm.incoming ? QStringLiteral("in") : QStringLiteral("out")},
                    {QStringLiteral("duration_s"),
                     cm.answeredAt ? static_cast<double>(now - cm.answeredAt) / 1000.0 : 0.0},
                    {QStringLiteral("streams"), list}});
    writeStats();
}

void Phone::writeStats()
{
    QSaveFile f(o_.statsJson);
    QJsonObject root{{QStringLiteral("calls"), finishedCalls_}};
    if (o_.conference) root.insert(QStringLiteral("participants"), conferenceStats());
    const QByteArray json = QJsonDocument(root).toJson();
    if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size() || !f.commit()) {
        std::fprintf(stderr, "vphone-cli: --stats-json %s: %s\n", qPrintable(o_.statsJson),
                     qPrintable(f.errorString()));
        failed_ = true;
    }
}

} // namespace vphone::cli
