#include "models/profile_config.h"

#include "net/stun_client.h"
#include "sip/uri.h"

namespace vphone::ui {

namespace {

std::string text(QSettings& s, const char* key, const char* fallback)
{
    return s.value(QLatin1String(key), QLatin1String(fallback)).toString().trimmed().toStdString();
}

} // namespace

ProfileConfig loadProfileConfig(QSettings& s, QStringList* errors)
{
    ProfileConfig c;
    const auto bad = [errors](const QString& key, const std::string& why) {
        if (errors) errors->append(QStringLiteral("%1: %2").arg(key, QString::fromStdString(why)));
    };

    s.beginGroup(QStringLiteral("network"));
    if (s.contains(QStringLiteral("listen"))) {
        QStringList listen = s.value(QStringLiteral("listen")).toStringList();
        listen.removeAll(QString());
        if (!listen.isEmpty()) c.listen = listen;
    }
    if (s.contains(QStringLiteral("rtpPorts"))) {
        if (auto ports = media::parsePortRange(text(s, "rtpPorts", "")))
            c.media.rtpPorts = *ports;
        else
            bad(QStringLiteral("network/rtpPorts"), ports.error().what);
    }
    c.mediaAddress = s.value(QStringLiteral("mediaAddress")).toString().trimmed();
    c.stunServer = s.value(QStringLiteral("stunServer")).toString().trimmed();
    if (std::string why;
        !c.stunServer.isEmpty() && !net::stun::parseServer(c.stunServer.toStdString(), &why)) {
        bad(QStringLiteral("network/stunServer"), why);
        c.stunServer.clear();
    }
    s.endGroup();

    s.beginGroup(QStringLiteral("media"));
    if (s.contains(QStringLiteral("codecs"))) {
        if (auto codecs = media::parseCodecList(text(s, "codecs", "")))
            c.media.codecs = *codecs;
        else
            bad(QStringLiteral("media/codecs"), codecs.error().what);
    }
    if (s.contains(QStringLiteral("videoCodecs"))) {
        if (auto codecs = media::parseVideoCodecList(text(s, "videoCodecs", "")))
            c.media.videoCodecs = *codecs;
        else
            bad(QStringLiteral("media/videoCodecs"), codecs.error().what);
    }
    c.media.videoSource = text(s, "videoSource", "device");
    c.media.audioSource = text(s, "audioSource", "device");
    c.media.audioSink = text(s, "audioSink", "device");
    if (auto srtp = media::parseSrtpPolicy(text(s, "srtp", "optional")))
        c.media.srtp = *srtp;
    else
        bad(QStringLiteral("media/srtp"), srtp.error().what);
    if (auto keying = media::parseKeying(text(s, "keying", "sdes")))
        c.media.keying = *keying;
    else
        bad(QStringLiteral("media/keying"), keying.error().what);
    s.endGroup();

    const int n = s.beginReadArray(QStringLiteral("accounts"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ProfileAccount a;
        a.settings.uri = s.value(QStringLiteral("uri")).toString().trimmed();
        if (a.settings.uri.isEmpty()) continue;
        a.settings.displayName = s.value(QStringLiteral("displayName")).toString();
        a.settings.authUser = s.value(QStringLiteral("authUser")).toString();
        // Only where no keychain exists (SettingsController moves it there when one does).
        a.settings.password = s.value(QStringLiteral("password")).toString();
        a.passwordInKeychain = s.value(QStringLiteral("passwordInKeychain"), false).toBool();
        a.srtp = s.value(QStringLiteral("srtp")).toString().trimmed().toLower();
        if (!a.srtp.isEmpty() && !media::parseSrtpPolicy(a.srtp.toStdString())) {
            bad(QStringLiteral("accounts/%1/srtp").arg(i + 1), "must be off, optional or mandatory");
            a.srtp.clear();
        }
        a.settings.outboundProxy = s.value(QStringLiteral("proxy")).toString().trimmed();
        a.settings.registrar = s.value(QStringLiteral("registrar")).toString().trimmed();
        a.settings.registerOnStart = s.value(QStringLiteral("register"), true).toBool();
        a.transport =
            s.value(QStringLiteral("transport"), QStringLiteral("udp")).toString().trimmed().toLower();
        if (a.transport != QLatin1String("udp") && a.transport != QLatin1String("tcp") &&
            a.transport != QLatin1String("tls")) {
            bad(QStringLiteral("accounts/%1/transport").arg(i + 1), "must be udp, tcp or tls");
            a.transport = QStringLiteral("udp");
        }
        // The host part of the address of record is where numbers and bare names go.
        QString domain = a.settings.uri.section(QLatin1Char('@'), 1);
        if (domain.isEmpty()) domain = a.settings.uri.section(QLatin1Char(':'), 1);
        a.plan.domain = domain.section(QLatin1Char(';'), 0, 0).section(QLatin1Char('>'), 0, 0);
        a.plan.stripPrefix = s.value(QStringLiteral("stripPrefix")).toString().trimmed();
        a.plan.addPrefix = s.value(QStringLiteral("addPrefix")).toString().trimmed();
        a.plan.internationalPrefix = s.value(QStringLiteral("internationalPrefix")).toString().trimmed();
        a.recordCalls = s.value(QStringLiteral("recordCalls"), false).toBool();
        a.settings.stunServer = s.value(QStringLiteral("stunServer")).toString().trimmed();
        if (std::string why; !a.settings.stunServer.isEmpty() &&
                             !net::stun::parseServer(a.settings.stunServer.toStdString(), &why)) {
            bad(QStringLiteral("accounts/%1/stunServer").arg(i + 1), why);
            a.settings.stunServer.clear();
        }
        // Forwarding and do not disturb (issue 8): targets must be sip:/sips: URIs.
        const auto target = [&](const char* key, QString& field) {
            field = s.value(QLatin1String(key)).toString().trimmed();
            if (field.isEmpty()) return;
            const auto uri = sip::parseUri(field.toStdString());
            if (!uri || (uri->scheme != sip::UriScheme::Sip && uri->scheme != sip::UriScheme::Sips)) {
                bad(QStringLiteral("accounts/%1/%2").arg(i + 1).arg(QLatin1String(key)),
                    "must be a sip: or sips: URI");
                field.clear();
            }
        };
        target("forward", a.settings.forward);
        target("forwardBusy", a.settings.forwardBusy);
        target("forwardNoAnswer", a.settings.forwardNoAnswer);
        bool ok = true;
        a.settings.forwardAfter = s.value(QStringLiteral("forwardAfter"), 20).toInt(&ok);
        if (!ok || a.settings.forwardAfter < 0 || a.settings.forwardAfter > 3600) {
            bad(QStringLiteral("accounts/%1/forwardAfter").arg(i + 1), "must be 0 to 3600 seconds");
            a.settings.forwardAfter = 20;
        }
        a.settings.dnd = s.value(QStringLiteral("dnd"), false).toBool();
        a.settings.dndCode = s.value(QStringLiteral("dndCode"), 486).toInt(&ok);
        if (!ok || (a.settings.dndCode != 486 && a.settings.dndCode != 603)) {
            bad(QStringLiteral("accounts/%1/dndCode").arg(i + 1), "must be 486 or 603");
            a.settings.dndCode = 486;
        }
        c.accounts.append(a);
    }
    s.endArray();

    c.closeToTray = s.value(QStringLiteral("ui/closeToTray"), false).toBool();
    c.recordCalls = s.value(QStringLiteral("media/recordCalls"), false).toBool();
    c.assistantDone = s.value(QStringLiteral("ui/assistantDone"), false).toBool();
    c.conferenceReferFromAnyone = s.value(QStringLiteral("conference/referFromAnyone"), false).toBool();
    return c;
}

void writeProfileAccounts(QSettings& s, const QList<ProfileAccount>& accounts)
{
    s.remove(QStringLiteral("accounts"));
    s.beginWriteArray(QStringLiteral("accounts"), static_cast<int>(accounts.size()));
    for (int i = 0; i < accounts.size(); ++i) {
        const ProfileAccount& a = accounts[i];
        s.setArrayIndex(i);
        const auto put = [&s](const char* key, const QString& value) {
            if (!value.isEmpty()) s.setValue(QLatin1String(key), value);
        };
        s.setValue(QStringLiteral("uri"), a.settings.uri);
        put("displayName", a.settings.displayName);
        put("authUser", a.settings.authUser);
        if (a.passwordInKeychain)
            s.setValue(QStringLiteral("passwordInKeychain"), true);
        else
            put("password", a.settings.password);
        put("proxy", a.settings.outboundProxy);
        put("registrar", a.settings.registrar);
        s.setValue(QStringLiteral("transport"), a.transport);
        s.setValue(QStringLiteral("register"), a.settings.registerOnStart);
        put("srtp", a.srtp);
        put("stripPrefix", a.plan.stripPrefix);
        put("addPrefix", a.plan.addPrefix);
        put("internationalPrefix", a.plan.internationalPrefix);
        if (a.recordCalls) s.setValue(QStringLiteral("recordCalls"), true);
        put("stunServer", a.settings.stunServer);
        put("forward", a.settings.forward);
        put("forwardBusy", a.settings.forwardBusy);
        put("forwardNoAnswer", a.settings.forwardNoAnswer);
        if (a.settings.forwardAfter != 20)
            s.setValue(QStringLiteral("forwardAfter"), a.settings.forwardAfter);
        if (a.settings.dnd) s.setValue(QStringLiteral("dnd"), true);
        if (a.settings.dndCode != 486) s.setValue(QStringLiteral("dndCode"), a.settings.dndCode);
    }
    s.endArray();
}

} // namespace vphone::ui
