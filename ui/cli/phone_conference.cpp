// vphone-cli conferences (issue 8, RFC 4579 §5 and RFC 4575), both roles. Internal to vphone-cli.
//
// Theory of operation. Host (--conference): the driver marks every new call a focus call (our
// Contact carries ;isfocus), incoming calls are answered at once (--conference implies
// --auto-answer) and the --invite URIs are called once the phone is up (placeCall()). Each call
// that is confirmed is a member: "conference joined URI" is logged and the roster document
// (conference-info, kept by ua::ConferenceRoster, conference_roster.h) is served again with a
// higher version to every Event: conference subscriber (UaDriver::setConferenceDocument). A member whose call
// ends stays in the roster as disconnected and "conference left URI" is logged. Shutting down ends the
// conference: every call gets its BYE (shutdown() hangs up all calls) and the subscribers a final
// NOTIFY (terminated;reason=noresource). The media: a media::ConferenceHost (conference_host.h,
// shared with the desktop app's ConferenceMedia) is the bridge with the host's --audio-source,
// --audio-sink and --video-source joined; each member's session joins it, and its rows are the
// --stats-json "participants". A member's REFER whose Refer-To has method=BYE (RFC 4579 §5.6,
// in its call or outside any dialog) hangs up the member at that address (conferenceRemove()).
// Participant: a call whose far end's Contact has isfocus (in its 2xx, its INVITE or a later
// re-INVITE), or every call with --conference-subscribe, gets a SUBSCRIBE for the conference
// package to that Contact (and each --watch-conference URI gets one without a call); each NOTIFY is read
// (partial ones merged), and the roster is printed as one "roster URI STATUS "NAME" MEDIA" line per user
// after a "conference roster URI vN: M users" line. A body that cannot be read is reported (stderr and a JSON
// event), never applied.
#include "phone_session.h"

#include "engine/conference_rows_json.h"
#include "engine/video_device.h"
#include "ua/conference_info.h"
#include "ua/conference_refer.h"

#include <QDateTime>
#include <QTimer>

#include <cstdio>

namespace vphone::cli {

void Phone::connectConference()
{
    if (o_.conference) {
        driver_.setFocusForNewCalls(true);
        driver_.setReferFromAnyone(o_.conferenceReferAny); // else members only (RFC 4579 §5.5)
        // The host's devices belong to the bridge; each call's session sends and plays nothing
        // of its own (the bridge gives it its port), so no two open the same file or card.
        hostSource_ = o_.media.audioSource;
        hostSink_ = o_.media.audioSink;
        o_.media.audioSource = "silence";
        o_.media.audioSink = "null";
        // Video: the composite's size and rate are the host's test pattern's (640x360@30
        // otherwise). The calls offer video with a pattern of that size, which the bridge
        // replaces by the composite when they join.
        hostVideoSource_ = o_.media.videoSource;
        hostVideoSink_ = o_.media.videoSink;
        if (hostVideoSource_ != "off" || hostVideoSink_ != "null") {
            conferenceMedia_.video = true;
            if (auto spec = media::parseVideoSourceSpec(hostVideoSource_);
                spec && spec->kind == media::VideoSourceSpec::Kind::TestPattern) {
                conferenceMedia_.width = spec->width;
                conferenceMedia_.height = spec->height;
                conferenceMedia_.fps = spec->fps;
            }
            o_.media.videoSource = QStringLiteral("testsrc:%1x%2@%3")
                                       .arg(conferenceMedia_.width)
                                       .arg(conferenceMedia_.height)
                                       .arg(conferenceMedia_.fps)
                                       .toStdString();
            o_.media.videoSink = "null";
        }
    }
    connect(&driver_, &ua::UaDriver::callStateChanged, this,
            [this](ua::AccountId account, const sip::CallStateChanged& e) {
                if (e.state != sip::CallState::Confirmed) return;
                if (o_.conference) {
                    conferenceJoin(e.call);
                } else if (e.remoteFocus || o_.conferenceSubscribe) {
                    watchConference(account, e.call, e.remoteContact);
                }
            });
    connect(&driver_, &ua::UaDriver::callModified, this,
            [this](ua::AccountId account, const sip::CallModified& e) {
                // RFC 4579 §5.3: a call merged into a conference later learns it from a re-INVITE.
                if (e.origin == sip::ModifyOrigin::Remote && e.remoteFocus && !o_.conference)
                    watchConference(account, e.call, e.remoteContact);
            });
    connect(&driver_, &ua::UaDriver::subscriptionNotified, this,
            [this](ua::AccountId, const sip::SubscriptionNotified& e) {
                auto it = rosterWatches_.find(e.subscription);
                if (it == rosterWatches_.end()) return;
                RosterWatch& w = it->second;
                const QByteArray body(e.body.data(), static_cast<qsizetype>(e.body.size()));
                if (body.trimmed().isEmpty()) return; // pending, or a final NOTIFY without state
                QString error;
                auto info = ua::parseConferenceInfo(body, &error);
                if (!info) {
                    std::fprintf(stderr, "vphone-cli: conference NOTIFY from %s: %s\n", qPrintable(w.focus),
                                 qPrintable(error));
                    emitEvent({{QStringLiteral("event"), QStringLiteral("conference")},
                               {QStringLiteral("state"), QStringLiteral("bad-notify")},
                               {QStringLiteral("focus"), w.focus},
                               {QStringLiteral("error"), error}},
                              0);
                    return;
                }
                if (!ua::mergeConferenceInfo(w.info, *info)) return;
                const auto roster = ua::rosterOf(w.info);
                printLine(QStringLiteral("conference roster %1 v%2: %3 users")
                              .arg(w.focus)
                              .arg(w.info.version)
                              .arg(roster.size()),
                          {{QStringLiteral("event"), QStringLiteral("conference")},
                           {QStringLiteral("state"), QStringLiteral("roster")},
                           {QStringLiteral("focus"), w.focus},
                           {QStringLiteral("version"), static_cast<qint64>(w.info.version)},
                           {QStringLiteral("users"), static_cast<int>(roster.size())}});
                for (const auto& r : roster) {
                    printLine(QStringLiteral("roster %1 %2 \"%3\" %4")
                                  .arg(r.uri, r.status.isEmpty() ? QStringLiteral("-") : r.status,
                                       r.displayName, r.media.isEmpty() ? QStringLiteral("-") : r.media),
                              {{QStringLiteral("event"), QStringLiteral("roster")},
                               {QStringLiteral("focus"), w.focus},
                               {QStringLiteral("uri"), r.uri},
                               {QStringLiteral("status"), r.status},
                               {QStringLiteral("name"), r.displayName},
                               {QStringLiteral("media"), r.media}});
                }
            });
    connect(&driver_, &ua::UaDriver::subscriptionEnded, this,
            [this](ua::AccountId, const sip::SubscriptionEnded& e) {
                auto it = rosterWatches_.find(e.subscription);
                if (it == rosterWatches_.end()) return;
                if (!stopping_) {
                    std::fprintf(stderr, "vphone-cli: conference subscription to %s ended: %d %s\n",
                                 qPrintable(it->second.focus), e.code, e.reason.c_str());
                }
                rosterWatches_.erase(it);
                exitWhenIdle();
            });
}

void Phone::watchConference(ua::AccountId account, sip::CallHandle call, const std::string& remoteContact)
{
    for (const auto& [handle, w] : rosterWatches_) {
        if (call && w.call == call) return; // already watching this call's conference
    }
    std::optional<sip::Uri> target;
    if (auto na = sip::parseNameAddr(remoteContact)) target = na->uri;
    if (!target) {
        auto it = media_.find(call);
        if (it != media_.end()) {
            if (auto u = sip::parseUri(it->second.peer.toStdString())) target = *u;
        }
    }
    if (!target) {
        std::fprintf(stderr, "vphone-cli: conference: no address to subscribe to for call %llu\n",
                     static_cast<unsigned long long>(call));
        return;
    }
    const QString focus = QString::fromStdString(target->toString());
    std::fprintf(stderr, "vphone-cli: conference: subscribing to %s\n", qPrintable(focus));
    const auto h = driver_.subscribe(*target, "conference", "application/conference-info+xml", 600, account);
    RosterWatch w;
    w.focus = focus;
    w.call = call;
    rosterWatches_[h] = std::move(w);
}

QString Phone::conferenceUri() const
{
    quint16 port = 5060;
    for (const auto& b : driver_.boundAddresses()) {
        if (b.port) {
            port = b.port;
            break;
        }
    }
    return QStringLiteral("sip:conference@%1:%2").arg(contactHost_).arg(port);
}

void Phone::startConference()
{
    if (!o_.conference || conferenceUp_) return;
    conferenceUp_ = true;
    media::ConferenceHost::Options options;
    options.bridge = conferenceMedia_;
    options.audioSource = hostSource_;
    options.audioSink = hostSink_;
    options.videoSource = hostVideoSource_;
    options.hostLabel = hostUri().toStdString();
    auto host = media::ConferenceHost::start(std::move(options));
    if (!host) {
        std::fprintf(stderr, "vphone-cli: conference media: %s\n", host.error().what.c_str());
        failed_ = true;
        shutdown();
        return;
    }
    if (conferenceMedia_.video && hostVideoSink_ != "null") { // the host's picture of everyone
        std::string error;
        if (auto spec = media::parseVideoSinkSpec(hostVideoSink_); !spec) {
            error = spec.error().what;
        } else if (auto sink = media::makeVideoSink(*spec, conferenceMedia_.fps); !sink) {
            error = sink.error().what;
        } else {
            (*host)->setHostVideoSink(std::shared_ptr<media::VideoSink>(std::move(*sink)));
        }
        if (!error.empty()) {
            std::fprintf(stderr, "vphone-cli: conference video: %s\n", error.c_str());
            failed_ = true;
            shutdown();
            return;
        }
    }
    conference_ = std::move(*host); // from here the host is a participant (--stats-json)
    if (!o_.statsJson.isEmpty()) {
        auto* statsTimer = new QTimer(this);
        connect(statsTimer, &QTimer::timeout, this, [this] {
            if (conferenceUp_) writeStats();
        });
        statsTimer->start(1000);
    }
    std::fprintf(stderr, "vphone-cli: conference %s up\n", qPrintable(conferenceUri()));
    publishConference();
    for (const QString& uri : o_.invite) {
        auto target = sip::parseUri(uri.toStdString());
        if (!target) continue; // checked by the option parser
        auto session = makeMedia(0);
        if (!session) continue;
        auto offer = session->createOffer();
        if (!offer) {
            std::fprintf(stderr, "vphone-cli: --invite %s: media: %s\n", qPrintable(uri),
                         offer.error().what.c_str());
            continue;
        }
        std::fprintf(stderr, "vphone-cli: conference: inviting %s\n", qPrintable(uri));
        dialing_ = true;
        const auto h = driver_.call(*target, *offer);
        dialing_ = false;
        if (endedWhileDialing_) { // refused at once: no address, no route
            std::fprintf(stderr, "vphone-cli: --invite %s failed: %d %s\n", qPrintable(uri),
                         endedWhileDialing_->code, endedWhileDialing_->reason.c_str());
            endedWhileDialing_.reset();
            continue;
        }
        media_[h] = CallMedia{std::move(session), uri, false, 0};
        calls_.emplace(h, false);
    }
}

void Phone::conferenceJoin(sip::CallHandle call)
{
    auto it = media_.find(call);
    const QString uri = it != media_.end() ? it->second.peer : QStringLiteral("call %1").arg(call);
    for (auto& m : members_) {
        if (m.call == call) return;
    }
    Member m;
    m.call = call;
    m.uri = uri;
    m.connected = true;
    if (conference_ && conference_->running() && it != media_.end() && it->second.session) {
        auto id = conference_->join(*it->second.session, uri.toStdString());
        if (id) {
            m.bridgeId = *id;
        } else {
            std::fprintf(stderr, "vphone-cli: conference media for %s: %s\n", qPrintable(uri),
                         id.error().what.c_str());
        }
    }
    members_.push_back(m);
    roster_.upsert(call, ua::ConferenceRoster::Member{uri, {}, true, false});
    printLine(QStringLiteral("conference joined %1").arg(uri),
              {{QStringLiteral("event"), QStringLiteral("conference")},
               {QStringLiteral("state"), QStringLiteral("joined")},
               {QStringLiteral("uri"), uri}});
    publishConference();
}

void Phone::conferenceLeave(sip::CallHandle call)
{
    for (auto& m : members_) {
        if (m.call != call || !m.connected) continue;
        if (conference_ && m.bridgeId >= 0) conference_->leave(m.bridgeId); // its figures kept
        m.connected = false;
        roster_.setConnected(m.call, false);
        printLine(QStringLiteral("conference left %1").arg(m.uri),
                  {{QStringLiteral("event"), QStringLiteral("conference")},
                   {QStringLiteral("state"), QStringLiteral("left")},
                   {QStringLiteral("uri"), m.uri}});
        publishConference();
    }
    for (auto it = rosterWatches_.begin(); it != rosterWatches_.end(); ++it) {
        if (it->second.call == call && !it->second.leaving) {
            it->second.leaving = true; // our call left the conference: so does the watch
            driver_.unsubscribe(it->first);
        }
    }
}

void Phone::conferenceRemove(sip::CallHandle referrer, std::uint64_t referId, const sip::Uri& who)
{
    std::vector<sip::CallHandle> candidates;
    QStringList uris;
    for (const auto& m : members_) {
        if (!m.connected || m.call == referrer) continue;
        candidates.push_back(m.call);
        uris.append(m.uri);
    }
    const qsizetype i = ua::conferenceMemberIndex(uris, who);
    const QString uri = QString::fromStdString(who.toString());
    std::fprintf(stderr, "vphone-cli: conference: removing %s%s\n", qPrintable(uri),
                 i < 0 ? " (not a participant)" : "");
    if (i >= 0) driver_.hangUp(candidates[static_cast<std::size_t>(i)]); // BYE; "conference left" follows
    const auto outcome = ua::removalOutcome(i >= 0);
    driver_.notifyRefer(referrer, referId, outcome.code, outcome.reason);
}

void Phone::publishConference()
{
    if (!o_.conference) return;
    roster_.setEntity(conferenceUri());
    roster_.setSubject(QStringLiteral("vphone-cli conference"));
    roster_.setHost(hostUri(), QStringLiteral("host"), false); // a participant too: its own devices
    const QByteArray body = roster_.document();
    driver_.setConferenceDocument("application/conference-info+xml", body.toStdString());
}

QString Phone::hostUri() const
{
    const QString aor = driver_.accountUri(0);
    return aor.isEmpty() ? QStringLiteral("sip:vphone@%1").arg(contactHost_) : aor;
}

QJsonArray Phone::conferenceStats()
{
    QJsonArray rows;
    if (!conference_) return rows;
    const auto all = conference_->rows();
    const auto json = [&all](int id, const QString& uri, bool connected) {
        return media::conferenceRowJson(all, id, uri, connected);
    };
    QJsonObject host =
        json(conference_->hostId(), QString::fromStdString(conference_->options().hostLabel), true);
    host.insert(QStringLiteral("host"), true);
    rows.append(host);
    for (const auto& m : members_)
        rows.append(json(m.bridgeId, m.uri, m.connected));
    return rows;
}

void Phone::endConferenceMedia()
{
    if (conference_) conference_->stop(); // everyone's figures as it ends; sessions get their devices back
}

void Phone::stopConference()
{
    if (!conferenceUp_) return;
    conferenceUp_ = false;
    driver_.setConferenceDocument({}, {});     // subscribers get terminated;reason=noresource
    if (!o_.statsJson.isEmpty()) writeStats(); // the host's figures with the others'
}

} // namespace vphone::cli
