// vphone-cli's presence side: --watch-presence, --presence, --watch-mwi and --watch-dialog on
// the UaDriver (RFC 6665 subscriptions, RFC 3903 PUBLISH, the direct-IP presence notifier).
//
// Theory of operation: startPresence() runs once the accounts that register have (or at start
// without REGISTER): it subscribes from the first account, publishes --presence on every
// registered account and hands the same PIDF to the driver for watchers that subscribe to us
// directly. Each NOTIFY body is read with presence_bodies.h and printed as one line on stdout
// when what it says changed (`presence URI STATUS "NOTE"`, `mwi NEW/OLD`, `dialog URI STATE`),
// or as a JSON event with --events. A confirmed call makes our status on-the-phone until the
// last call ends. At shutdown the watches are ended and the publications removed.
#include "phone_session.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace vphone::cli {

namespace {

constexpr std::uint32_t kExpires = 3600;

QString lampName(ua::DialogSet::Lamp lamp)
{
    switch (lamp) {
    case ua::DialogSet::Lamp::Ringing: return QStringLiteral("ringing");
    case ua::DialogSet::Lamp::InCall: return QStringLiteral("in-call");
    default: return QStringLiteral("idle");
    }
}

} // namespace

void Phone::printLine(const QString& line, QJsonObject event)
{
    if (o_.events) {
        emitEvent(std::move(event), 0);
        return;
    }
    const QByteArray text = line.toUtf8();
    std::fwrite(text.constData(), 1, static_cast<std::size_t>(text.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void Phone::connectPresence()
{
    connect(&driver_, &ua::UaDriver::subscriptionNotified, this,
            [this](ua::AccountId, const sip::SubscriptionNotified& e) {
                auto it = watches_.find(e.subscription);
                if (it == watches_.end()) return;
                Watch& w = it->second;
                const QByteArray body(e.body.data(), static_cast<qsizetype>(e.body.size()));
                QString error, line;
                QJsonObject event;
                if (w.mwi) {
                    if (body.trimmed().isEmpty()) return;
                    auto s = ua::parseMessageSummary(body, &error);
                    if (s) {
                        line = QStringLiteral("mwi %1/%2").arg(s->newMessages).arg(s->oldMessages);
                        event = {{QStringLiteral("event"), QStringLiteral("mwi")},
                                 {QStringLiteral("waiting"), s->waiting},
                                 {QStringLiteral("new"), s->newMessages},
                                 {QStringLiteral("old"), s->oldMessages},
                                 {QStringLiteral("newUrgent"), s->newUrgent},
                                 {QStringLiteral("oldUrgent"), s->oldUrgent}};
                    }
                } else if (w.dialog) {
                    if (body.trimmed().isEmpty()) return;
                    auto info = ua::parseDialogInfo(body, &error);
                    if (info) {
                        w.dialogs.apply(*info);
                        ua::DialogEntry ringing;
                        const QString state = lampName(w.dialogs.lamp(&ringing));
                        line = QStringLiteral("dialog %1 %2").arg(w.uri, state);
                        event = {{QStringLiteral("event"), QStringLiteral("dialog")},
                                 {QStringLiteral("uri"), w.uri},
                                 {QStringLiteral("state"), state}};
                        if (!ringing.id.isEmpty()) {
                            event.insert(QStringLiteral("callId"), ringing.callId);
                            event.insert(QStringLiteral("caller"), ringing.remoteIdentity);
                            if (w.pickUp) {
                                w.pickUp = false; // once
                                const QString watched = w.uri;
                                QTimer::singleShot(
                                    0, this, [this, watched, ringing] { pickUpCall(watched, ringing); });
                            }
                        }
                    }
                } else {
                    ua::PresenceDocument doc;
                    if (body.trimmed().isEmpty()) {
                        if (e.state != sip::SubscriptionState::Active) return; // pending: not yet allowed
                        doc.status = ua::PresenceStatus::Offline;              // active, nothing published
                    } else if (auto parsed = ua::parsePidf(body, &error)) {
                        doc = *parsed;
                    }
                    if (error.isEmpty()) {
                        const QString status = ua::presenceStatusName(doc.status);
                        line = QStringLiteral("presence %1 %2").arg(w.uri, status);
                        if (!doc.note.isEmpty()) line += QStringLiteral(" \"%1\"").arg(doc.note);
                        event = {{QStringLiteral("event"), QStringLiteral("presence")},
                                 {QStringLiteral("uri"), w.uri},
                                 {QStringLiteral("status"), status},
                                 {QStringLiteral("note"), doc.note}};
                    }
                }
                if (!error.isEmpty()) {
                    std::fprintf(stderr, "vphone-cli: %s: %s\n", qPrintable(w.uri), qPrintable(error));
                    return;
                }
                if (line == w.last) return;
                w.last = line;
                printLine(line, event);
            });
    connect(&driver_, &ua::UaDriver::subscriptionEnded, this,
            [this](ua::AccountId, const sip::SubscriptionEnded& e) {
                auto it = watches_.find(e.subscription);
                if (it == watches_.end()) return;
                const QString why =
                    e.code ? QStringLiteral("%1 %2").arg(e.code).arg(QString::fromStdString(e.reason))
                           : QString::fromStdString(e.reason);
                if (!stopping_) {
                    printLine(QStringLiteral("watch %1 ended \"%2\"").arg(it->second.uri, why),
                              {{QStringLiteral("event"), QStringLiteral("watch")},
                               {QStringLiteral("uri"), it->second.uri},
                               {QStringLiteral("state"), QStringLiteral("ended")},
                               {QStringLiteral("code"), e.code},
                               {QStringLiteral("reason"), QString::fromStdString(e.reason)}});
                }
                watches_.erase(it);
                if (stopping_) exitWhenIdle();
            });
    connect(&driver_, &ua::UaDriver::publicationResult, this,
            [this](ua::AccountId account, const sip::PublicationResult& e) {
                if (e.gone) {
                    auto it = publications_.find(account);
                    if (it != publications_.end() && it->second == e.publication) publications_.erase(it);
                }
                if (e.code / 100 != 2)
                    std::fprintf(stderr, "vphone-cli: presence not published: %d %s (%s)\n", e.code,
                                 e.reason.c_str(), qPrintable(driver_.accountUri(account)));
            });
    connect(&driver_, &ua::UaDriver::registrationChanged, this,
            [this](ua::AccountId account, const sip::RegistrationChanged& e) {
                if (presenceStarted_ && e.state == sip::RegistrationState::Registered &&
                    !publications_.count(account))
                    updatePresence();
            });
    connect(&driver_, &ua::UaDriver::callStateChanged, this,
            [this](ua::AccountId, const sip::CallStateChanged& e) {
                const bool before = callsUp_.empty();
                if (e.state == sip::CallState::Confirmed) callsUp_.insert(e.call);
                if (e.state == sip::CallState::Terminated) callsUp_.erase(e.call);
                if (before != callsUp_.empty()) updatePresence();
            });
}

void Phone::startPresence()
{
    if (presenceStarted_) return;
    presenceStarted_ = true;
    const auto subscribe = [this](const QString& text, const char* event, const char* accept, Watch w) {
        auto uri = sip::parseUri(text.trimmed().toStdString());
        if (!uri || (uri->scheme != sip::UriScheme::Sip && uri->scheme != sip::UriScheme::Sips)) {
            std::fprintf(stderr, "vphone-cli: '%s' is not a sip: or sips: URI to watch\n", qPrintable(text));
            failed_ = true;
            return;
        }
        uri->password.reset();
        w.uri = QString::fromStdString(uri->toString());
        const auto handle = driver_.subscribe(*uri, event, accept, kExpires, 0);
        if (handle) watches_.emplace(handle, std::move(w));
    };
    for (const QString& uri : std::as_const(o_.watchPresence))
        subscribe(uri, "presence", "application/pidf+xml", Watch{});
    for (const QString& uri : std::as_const(o_.watchDialog))
        subscribe(uri, "dialog", "application/dialog-info+xml", Watch{{}, true, false, {}, {}, false});
    for (const QString& uri : std::as_const(o_.pickUp))
        subscribe(uri, "dialog", "application/dialog-info+xml", Watch{{}, true, false, {}, {}, true});
    for (const QString& uri : std::as_const(o_.watchConference))
        watchConference(0, 0, "<" + uri.toStdString() + ">");
    if (o_.watchMwi && !o_.accounts.isEmpty())
        subscribe(driver_.accountUri(0), "message-summary", "application/simple-message-summary",
                  Watch{{}, false, true, {}, {}, false});
    updatePresence();
}

void Phone::updatePresence()
{
    if (o_.presence.isEmpty() || !presenceStarted_ || stopping_) return;
    auto status = *ua::presenceStatusFromName(o_.presence); // checked by the option parser
    if (!callsUp_.empty() && status != ua::PresenceStatus::Offline) status = ua::PresenceStatus::OnThePhone;
    const QString key = ua::presenceStatusName(status) + QLatin1Char('\n') + o_.presenceNote;
    const bool changed = key != lastPublished_;
    lastPublished_ = key;
    const std::string type = "application/pidf+xml";
    for (std::size_t i = 0; i < accounts_.size(); ++i) {
        const auto account = static_cast<ua::AccountId>(i);
        const QString aor = driver_.accountUri(account);
        if (aor.isEmpty() || !accounts_[i].registered) continue;
        const std::string doc = ua::writePidf(aor, status, o_.presenceNote).toStdString();
        if (auto it = publications_.find(account); it != publications_.end()) {
            if (changed) driver_.republish(it->second, type, doc);
            continue;
        }
        if (const auto h = driver_.publish("presence", type, doc, kExpires, account))
            publications_[account] = h;
    }
    if (!changed) return;
    QString entity = driver_.accountUri(0);
    if (entity.isEmpty()) {
        const auto locals = driver_.localAddresses(0);
        const QString host = locals.empty() ? contactHost_ : QString::fromStdString(locals.front().host);
        entity =
            QStringLiteral("sip:vphone@%1").arg(host.contains(QLatin1Char(':')) ? "[" + host + "]" : host);
    }
    driver_.setPresenceDocument(type, ua::writePidf(entity, status, o_.presenceNote).toStdString());
}

void Phone::pickUpCall(const QString& watched, const ua::DialogEntry& ringing)
{
    if (stopping_) return;
    const QString targetText = ringing.remoteTarget.isEmpty() ? ringing.remoteIdentity : ringing.remoteTarget;
    auto target = sip::parseUri(targetText.toStdString());
    if (ringing.callId.isEmpty() || ringing.localTag.isEmpty() || ringing.remoteTag.isEmpty() || !target) {
        std::fprintf(
            stderr,
            "vphone-cli: --pick-up %s: the server did not say which call rings (call-id, tags, caller)\n",
            qPrintable(watched));
        failed_ = true;
        return;
    }
    // RFC 3891 §3: to-tag is the tag of the UA receiving the INVITE (the caller), from-tag the
    // watched callee's own.
    const std::string replaces =
        (ringing.callId + QStringLiteral(";to-tag=") + ringing.remoteTag + QStringLiteral(";from-tag=") +
         ringing.localTag + QStringLiteral(";early-only"))
            .toStdString();
    auto session = makeMedia(0);
    if (!session) return;
    auto offer = session->createOffer();
    if (!offer) {
        std::fprintf(stderr, "vphone-cli: media: %s\n", offer.error().what.c_str());
        failed_ = true;
        return;
    }
    const auto handle = driver_.call(*target, *offer, 0, replaces);
    if (!handle) return;
    media_[handle] = CallMedia{std::move(session), targetText, false, 0};
    calls_.emplace(handle, false);
    printLine(QStringLiteral("pickup %1 %2").arg(watched, targetText),
              {{QStringLiteral("event"), QStringLiteral("pickup")},
               {QStringLiteral("uri"), watched},
               {QStringLiteral("caller"), targetText},
               {QStringLiteral("call"), static_cast<qint64>(handle)}});
}

void Phone::stopPresence()
{
    std::vector<sip::SubscriptionHandle> handles;
    for (const auto& [handle, w] : watches_)
        handles.push_back(handle);
    for (const auto handle : handles)
        driver_.unsubscribe(handle);
    // The final NOTIFYs may never come: exit anyway after a grace period.
    if (!watches_.empty()) QTimer::singleShot(3000, this, [this] { QCoreApplication::exit(exitCode()); });
    const auto publications = publications_; // an at-once result erases from publications_
    for (const auto& [account, handle] : publications)
        driver_.unpublish(handle);
}

} // namespace vphone::cli
