// vphone-cli's phone-mode flags: parsed from the command line and the --config file into
// PhoneOptions, with their checks (phone_options.h); the help text is phone_usage.cpp.
#include "phone_options.h"

#include "phone_config.h"

#include "sip/uri.h"
#include "ua/presence_bodies.h"

#include "device/device_spec.h"
#include "net/stun_client.h"
#include "sdp/session_description.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>

namespace vphone::cli {

namespace {

std::optional<double> seconds(const QString& text)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || v < 0 || v > 365.0 * 24 * 3600) return std::nullopt;
    return v;
}

} // namespace

media::MediaConfig PhoneOptions::defaultMediaConfig()
{
    media::MediaConfig m;
    m.srtp = sdp::SrtpPolicy::Optional; // secure by default: offer SRTP, accept plain RTP
    m.keying = sdp::Keying::Sdes;
    return m;
}

namespace {

/// What the flags leave for the checks at the end: the config file's pass and the command
/// line's pass share it.
struct FlagState {
    QString tlsCert;
    QString tlsKey;
    QStringList passwords;    ///< the i-th belongs to the i-th account
    bool listenSet = false;   ///< this pass gave --listen: it replaces the file's list
    bool accountsSet = false; ///< this pass gave --account: it replaces the file's accounts
    /// --transfer-after was given (it needs --transfer-to)
    bool transferAfterGiven = false;
};

bool applyFlags(const QStringList& args, PhoneOptions& o, FlagState& st, QString* error)
{
    QString& tlsCert = st.tlsCert;
    QString& tlsKey = st.tlsKey;
    QStringList& passwords = st.passwords;
    const auto fail = [&](const QString& why) {
        *error = why;
        return false;
    };
    for (int i = 0; i < args.size(); ++i) {
        QString flag = args[i];
        QString inlineValue;
        bool hasInline = false;
        if (flag.startsWith(QLatin1String("--")) && flag.contains(QLatin1Char('='))) {
            inlineValue = flag.section(QLatin1Char('='), 1);
            flag = flag.section(QLatin1Char('='), 0, 0);
            hasInline = true;
        }
        const auto value = [&](QString* out) -> bool {
            if (hasInline) {
                *out = inlineValue;
                return true;
            }
            if (i + 1 >= args.size()) return false;
            *out = args[++i];
            return true;
        };
        QString v;
        if (flag == QLatin1String("--account")) {
            if (!value(&v)) return fail(QStringLiteral("--account needs a SIP URI"));
            if (!st.accountsSet) o.accounts.clear();
            st.accountsSet = true;
            AccountOptions account;
            account.uri = v;
            o.accounts.append(account);
        } else if (flag == QLatin1String("--password-file")) {
            if (!value(&v)) return fail(QStringLiteral("--password-file needs a file name"));
            QFile f(v);
            if (!f.open(QIODevice::ReadOnly)) {
                return fail(QStringLiteral("cannot read password file %1: %2").arg(v, f.errorString()));
            }
            QString pw = QString::fromUtf8(f.readAll());
            while (pw.endsWith(QLatin1Char('\n')) || pw.endsWith(QLatin1Char('\r')))
                pw.chop(1);
            passwords.append(pw);
        } else if (flag == QLatin1String("--password-env")) {
            if (!value(&v)) return fail(QStringLiteral("--password-env needs a variable name"));
            if (!qEnvironmentVariableIsSet(v.toLocal8Bit().constData())) {
                return fail(QStringLiteral("environment variable %1 is not set").arg(v));
            }
            passwords.append(qEnvironmentVariable(v.toLocal8Bit().constData()));
        } else if (flag == QLatin1String("--proxy")) {
            if (!value(&o.proxy)) return fail(QStringLiteral("--proxy needs a SIP URI"));
        } else if (flag == QLatin1String("--listen")) {
            if (!value(&v)) return fail(QStringLiteral("--listen needs PROTO:HOST:PORT"));
            QString why;
            auto spec = net::ListenSpec::parse(v, &why);
            if (!spec) return fail(why);
            if (!st.listenSet) o.listen.clear();
            st.listenSet = true;
            o.listen.append(*spec);
        } else if (flag == QLatin1String("--call")) {
            if (!value(&o.call)) return fail(QStringLiteral("--call needs a URI"));
        } else if (flag == QLatin1String("--auto-answer")) {
            o.autoAnswer = 0;
            if (hasInline) {
                o.autoAnswer = seconds(inlineValue);
                if (!o.autoAnswer)
                    return fail(
                        QStringLiteral("--auto-answer=DELAY needs seconds, got '%1'").arg(inlineValue));
            } else if (i + 1 < args.size() && seconds(args[i + 1])) {
                o.autoAnswer = seconds(args[++i]);
            }
        } else if (flag == QLatin1String("--message")) {
            if (hasInline || i + 2 >= args.size())
                return fail(QStringLiteral("--message needs a URI and a TEXT"));
            o.messageTo = args[++i];
            o.messageText = args[++i];
        } else if (flag == QLatin1String("--duration") || flag == QLatin1String("--hangup-after") ||
                   flag == QLatin1String("--reinvite-after")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs seconds").arg(flag));
            auto s = seconds(v);
            if (!s) return fail(QStringLiteral("%1 needs seconds, got '%2'").arg(flag, v));
            (flag == QLatin1String("--duration")       ? o.duration
             : flag == QLatin1String("--hangup-after") ? o.hangupAfter
                                                       : o.reinviteAfter) = s;
        } else if (flag == QLatin1String("--rate-limit")) {
            if (!value(&v)) return fail(QStringLiteral("--rate-limit needs requests per second"));
            auto s = seconds(v);
            if (!s) return fail(QStringLiteral("--rate-limit needs requests per second, got '%1'").arg(v));
            o.rateLimit = s;
        } else if (flag == QLatin1String("--trace")) {
            if (!value(&o.trace)) return fail(QStringLiteral("--trace needs a file name"));
        } else if (flag == QLatin1String("--events")) {
            o.events = true;
        } else if (flag == QLatin1String("--watch-presence") || flag == QLatin1String("--watch-dialog")) {
            if (!value(&v) || v.isEmpty()) return fail(QStringLiteral("%1 needs a sip: URI").arg(flag));
            (flag == QLatin1String("--watch-presence") ? o.watchPresence : o.watchDialog).append(v);
        } else if (flag == QLatin1String("--watch-conference")) {
            if (!value(&v) || v.isEmpty()) return fail(QStringLiteral("--watch-conference needs a sip: URI"));
            const auto uri = sip::parseUri(v.trimmed().toStdString());
            if (!uri || (uri->scheme != sip::UriScheme::Sip && uri->scheme != sip::UriScheme::Sips))
                return fail(QStringLiteral("--watch-conference: '%1' is not a sip: or sips: URI").arg(v));
            o.watchConference.append(v.trimmed());
        } else if (flag == QLatin1String("--pick-up")) {
            if (!value(&v) || v.isEmpty()) return fail(QStringLiteral("--pick-up needs a sip: URI"));
            o.pickUp.append(v);
        } else if (flag == QLatin1String("--presence")) {
            if (!value(&v)) return fail(QStringLiteral("--presence needs STATUS[:NOTE]"));
            const QString status = v.section(QLatin1Char(':'), 0, 0).trimmed();
            if (!ua::presenceStatusFromName(status))
                return fail(
                    QStringLiteral("--presence: '%1' is not available, away, busy, on-the-phone or offline")
                        .arg(status));
            o.presence = status.toLower();
            o.presenceNote = v.contains(QLatin1Char(':')) ? v.section(QLatin1Char(':'), 1) : QString();
        } else if (flag == QLatin1String("--watch-mwi")) {
            o.watchMwi = true;
        } else if (flag == QLatin1String("--dns-server")) {
            if (!value(&o.dnsServer) || QHostAddress(o.dnsServer).isNull()) {
                return fail(QStringLiteral("--dns-server needs an IP address"));
            }
        } else if (flag == QLatin1String("--forward") || flag == QLatin1String("--forward-busy") ||
                   flag == QLatin1String("--forward-no-answer")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs a sip: or sips: URI").arg(flag));
            const auto target = sip::parseUri(v.toStdString());
            if (!target || (target->scheme != sip::UriScheme::Sip && target->scheme != sip::UriScheme::Sips))
                return fail(QStringLiteral("%1 needs a sip: or sips: URI, got '%2'").arg(flag, v));
            (flag == QLatin1String("--forward")        ? o.forward
             : flag == QLatin1String("--forward-busy") ? o.forwardBusy
                                                       : o.forwardNoAnswer) = v;
        } else if (flag == QLatin1String("--transfer-to")) {
            if (!value(&v)) return fail(QStringLiteral("--transfer-to needs a sip:, sips: or tel: URI"));
            const auto target = sip::parseUri(v.toStdString());
            if (!target || target->scheme == sip::UriScheme::Other)
                return fail(QStringLiteral("--transfer-to needs a sip:, sips: or tel: URI, got '%1'").arg(v));
            o.transferTo = v;
        } else if (flag == QLatin1String("--transfer-after")) {
            auto s = value(&v) ? seconds(v) : std::nullopt;
            if (!s) return fail(QStringLiteral("--transfer-after needs seconds, got '%1'").arg(v));
            o.transferAfter = *s;
            st.transferAfterGiven = true;
        } else if (flag == QLatin1String("--attended-transfer")) {
            o.attendedTransfer = true;
        } else if (flag == QLatin1String("--forward-after")) {
            auto s = value(&v) ? seconds(v) : std::nullopt;
            if (!s) return fail(QStringLiteral("--forward-after needs seconds, got '%1'").arg(v));
            o.forwardAfter = *s;
        } else if (flag == QLatin1String("--conference")) {
            o.conference = true;
        } else if (flag == QLatin1String("--conference-add")) {
            if (!value(&v)) return fail(QStringLiteral("--conference-add needs a sip:, sips: or tel: URI"));
            const auto target = sip::parseUri(v.toStdString());
            if (!target || target->scheme == sip::UriScheme::Other)
                return fail(
                    QStringLiteral("--conference-add needs a sip:, sips: or tel: URI, got '%1'").arg(v));
            o.conferenceAdd.append(v);
        } else if (flag == QLatin1String("--conference-subscribe")) {
            o.conferenceSubscribe = true;
        } else if (flag == QLatin1String("--conference-refer-any")) {
            o.conferenceReferAny = true;
        } else if (flag == QLatin1String("--invite")) {
            if (!value(&v)) return fail(QStringLiteral("--invite needs a sip: or sips: URI"));
            const auto target = sip::parseUri(v.toStdString());
            if (!target || (target->scheme != sip::UriScheme::Sip && target->scheme != sip::UriScheme::Sips))
                return fail(QStringLiteral("--invite needs a sip: or sips: URI, got '%1'").arg(v));
            o.invite.append(v);
        } else if (flag == QLatin1String("--dnd")) {
            o.dnd = true;
        } else if (flag == QLatin1String("--dnd-code")) {
            bool ok = false;
            const int code = value(&v) ? v.toInt(&ok) : 0;
            if (!ok || (code != 486 && code != 603))
                return fail(QStringLiteral("--dnd-code needs 486 or 603, got '%1'").arg(v));
            o.dndCode = code;
        } else if (flag == QLatin1String("--no-register")) {
            o.noRegister = true;
        } else if (flag == QLatin1String("--tls-cert")) {
            if (!value(&tlsCert)) return fail(QStringLiteral("--tls-cert needs a PEM file"));
        } else if (flag == QLatin1String("--tls-key")) {
            if (!value(&tlsKey)) return fail(QStringLiteral("--tls-key needs a PEM file"));
        } else if (flag == QLatin1String("--ca-file")) {
            if (!value(&v)) return fail(QStringLiteral("--ca-file needs a PEM file"));
            QString why;
            if (!o.tls.addCaFile(v, &why)) return fail(QStringLiteral("--ca-file: %1").arg(why));
        } else if (flag == QLatin1String("--trust-cert")) {
            if (!value(&v)) return fail(QStringLiteral("--trust-cert needs a PEM file"));
            QString why;
            if (!o.tls.loadPinnedCertificate(v, &why))
                return fail(QStringLiteral("--trust-cert: %1").arg(why));
        } else if (flag == QLatin1String("--keepalive")) {
            if (!value(&v)) return fail(QStringLiteral("--keepalive needs seconds"));
            auto s = seconds(v);
            if (!s || (*s > 0 && *s < 1))
                return fail(
                    QStringLiteral("--keepalive needs 0 (off) or at least 1 second, got '%1'").arg(v));
            o.keepAlive = std::chrono::milliseconds(static_cast<long long>(*s * 1000));
        } else if (flag == QLatin1String("--audio-source") || flag == QLatin1String("--audio-sink")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs a device spec").arg(flag));
            const bool source = flag == QLatin1String("--audio-source");
            const std::string spec = v.toStdString();
            const auto checked = source ? media::parseSourceSpec(spec).ok() : media::parseSinkSpec(spec).ok();
            if (!checked) {
                const std::string why = source ? media::parseSourceSpec(spec).error().what
                                               : media::parseSinkSpec(spec).error().what;
                return fail(QStringLiteral("%1 '%2': %3").arg(flag, v, QString::fromStdString(why)));
            }
            (source ? o.media.audioSource : o.media.audioSink) = spec;
        } else if (flag == QLatin1String("--video-source") || flag == QLatin1String("--video-sink")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs a spec").arg(flag));
            const bool source = flag == QLatin1String("--video-source");
            const std::string spec = v.toStdString();
            std::string why;
            if (source) {
                if (auto p = media::parseVideoSourceSpec(spec); !p) why = p.error().what;
            } else if (auto p = media::parseVideoSinkSpec(spec); !p) {
                why = p.error().what;
            }
            if (!why.empty()) return fail(QStringLiteral("%1: %2").arg(flag, QString::fromStdString(why)));
            (source ? o.media.videoSource : o.media.videoSink) = spec;
        } else if (flag == QLatin1String("--video-codecs")) {
            if (!value(&v)) return fail(QStringLiteral("--video-codecs needs a list like h264,vp8"));
            auto codecs = media::parseVideoCodecList(v.toStdString());
            if (!codecs) return fail(QString::fromStdString(codecs.error().what));
            o.media.videoCodecs = *codecs;
        } else if (flag == QLatin1String("--max-resolution")) {
            if (!value(&v)) return fail(QStringLiteral("--max-resolution needs WxH"));
            auto size = media::parseVideoSize(v.toStdString());
            if (!size)
                return fail(
                    QStringLiteral("--max-resolution: %1").arg(QString::fromStdString(size.error().what)));
            o.media.maxVideoWidth = size->first;
            o.media.maxVideoHeight = size->second;
        } else if (flag == QLatin1String("--video-bitrate")) {
            bool ok = false;
            const int kbps = value(&v) ? v.toInt(&ok) : 0;
            if (!ok || kbps < 100 || kbps > 20000)
                return fail(QStringLiteral("--video-bitrate needs 100 to 20000 kbit/s, got '%1'").arg(v));
            o.media.videoMaxKbps = kbps;
            if (o.media.videoStartKbps > kbps) o.media.videoStartKbps = 0; // start at the new maximum
        } else if (flag == QLatin1String("--video-after") || flag == QLatin1String("--video-off-after")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs seconds").arg(flag));
            auto s = seconds(v);
            if (!s) return fail(QStringLiteral("%1 needs seconds, got '%2'").arg(flag, v));
            (flag == QLatin1String("--video-after") ? o.videoAfter : o.videoOffAfter) = s;
        } else if (flag == QLatin1String("--codecs") || flag == QLatin1String("--reinvite-codecs")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs a list like opus,pcmu").arg(flag));
            auto codecs = media::parseCodecList(v.toStdString());
            if (!codecs)
                return fail(QString::fromStdString(codecs.error().what) // names --codecs: say which flag
                                .replace(QLatin1String("--codecs"), flag));
            (flag == QLatin1String("--codecs") ? o.media.codecs : o.reinviteCodecs) = *codecs;
        } else if (flag == QLatin1String("--ptime")) {
            if (!value(&v)) return fail(QStringLiteral("--ptime needs milliseconds"));
            bool ok = false;
            const int ms = v.toInt(&ok);
            if (!ok || ms < 10 || ms > 120 || ms % 10 != 0)
                return fail(QStringLiteral("--ptime needs 10, 20, ... 120 ms, got '%1'").arg(v));
            o.media.ptime = std::chrono::milliseconds(ms);
        } else if (flag == QLatin1String("--srtp")) {
            if (!value(&v)) return fail(QStringLiteral("--srtp needs off, optional or mandatory"));
            auto policy = media::parseSrtpPolicy(v.toStdString());
            if (!policy) return fail(QString::fromStdString(policy.error().what));
            o.media.srtp = *policy;
        } else if (flag == QLatin1String("--keying")) {
            if (!value(&v)) return fail(QStringLiteral("--keying needs sdes or dtls"));
            auto keying = media::parseKeying(v.toStdString());
            if (!keying) return fail(QString::fromStdString(keying.error().what));
            o.media.keying = *keying;
        } else if (flag == QLatin1String("--dtls-dir")) {
            if (!value(&v) || v.isEmpty()) return fail(QStringLiteral("--dtls-dir needs a directory"));
            o.media.dtlsCertificateDir = v.toStdString();
        } else if (flag == QLatin1String("--stun-server")) {
            if (!value(&v)) return fail(QStringLiteral("--stun-server needs HOST[:PORT]"));
            std::string why;
            if (!net::stun::parseServer(v.toStdString(), &why))
                return fail(QStringLiteral("--stun-server '%1': %2").arg(v, QString::fromStdString(why)));
            o.stunServer = v;
        } else if (flag == QLatin1String("--rtp-ports")) {
            if (!value(&v)) return fail(QStringLiteral("--rtp-ports needs MIN-MAX"));
            auto range = media::parsePortRange(v.toStdString());
            if (!range) return fail(QString::fromStdString(range.error().what));
            o.media.rtpPorts = *range;
        } else if (flag == QLatin1String("--dtmf")) {
            if (!value(&v) || v.isEmpty()) return fail(QStringLiteral("--dtmf needs digits (0-9 * # A-D)"));
            for (const QChar c : v) {
                if (!QStringLiteral("0123456789*#ABCDabcd").contains(c))
                    return fail(
                        QStringLiteral("--dtmf '%1': '%2' is not a DTMF digit (0-9 * # A-D)").arg(v, c));
            }
            o.dtmf = v.toUpper().toStdString();
        } else if (flag == QLatin1String("--repeat-pause")) {
            if (!value(&v)) return fail(QStringLiteral("--repeat-pause needs seconds"));
            auto s = seconds(v);
            if (!s) return fail(QStringLiteral("--repeat-pause needs seconds, got '%1'").arg(v));
            o.repeatPause = *s;
        } else if (flag == QLatin1String("--mute-after") || flag == QLatin1String("--unmute-after")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs seconds").arg(flag));
            auto s = seconds(v);
            if (!s) return fail(QStringLiteral("%1 needs seconds, got '%2'").arg(flag, v));
            (flag == QLatin1String("--mute-after") ? o.muteAfter : o.unmuteAfter) = s;
        } else if (flag == QLatin1String("--dtmf-after") || flag == QLatin1String("--hold-after") ||
                   flag == QLatin1String("--resume-after")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs seconds").arg(flag));
            auto s = seconds(v);
            if (!s) return fail(QStringLiteral("%1 needs seconds, got '%2'").arg(flag, v));
            if (flag == QLatin1String("--dtmf-after"))
                o.dtmfAfter = *s;
            else if (flag == QLatin1String("--hold-after"))
                o.holdAfter = s;
            else
                o.resumeAfter = s;
        } else if (flag == QLatin1String("--repeat")) {
            if (!value(&v)) return fail(QStringLiteral("--repeat needs a count"));
            bool ok = false;
            o.repeat = v.toInt(&ok);
            if (!ok || o.repeat < 1 || o.repeat > 100000)
                return fail(QStringLiteral("--repeat needs a count from 1 to 100000, got '%1'").arg(v));
        } else if (flag == QLatin1String("--page") || flag == QLatin1String("--listen-group")) {
            if (!value(&v)) return fail(QStringLiteral("%1 needs GROUP:PORT").arg(flag));
            const auto colon = v.lastIndexOf(QLatin1Char(':'));
            bool ok = false;
            const uint port = colon > 0 ? v.mid(colon + 1).toUInt(&ok) : 0;
            const std::string group = v.left(colon).toStdString();
            if (!ok || port == 0 || port > 65535 || !sdp::isIpv4Multicast(group)) {
                return fail(QStringLiteral("%1 needs GROUP:PORT with an IPv4 multicast group (224.0.0.0/4) "
                                           "and a port 1-65535, got '%2'")
                                .arg(flag, v));
            }
            (flag == QLatin1String("--page") ? o.page : o.listenGroup) =
                media::MediaAddress{group, static_cast<std::uint16_t>(port)};
        } else if (flag == QLatin1String("--multicast-ttl")) {
            bool ok = false;
            const uint ttl = value(&v) ? v.toUInt(&ok) : 0;
            if (!ok || ttl > 255) return fail(QStringLiteral("--multicast-ttl needs 0-255, got '%1'").arg(v));
            o.multicastTtl = ttl;
        } else if (flag == QLatin1String("--multicast-interface")) {
            if (!value(&v) || !sdp::isIpv4Address(v.toStdString()))
                return fail(QStringLiteral("--multicast-interface needs an IPv4 address, got '%1'").arg(v));
            o.multicastInterface = v.toStdString();
        } else if (flag == QLatin1String("--stats-json")) {
            if (!value(&o.statsJson) || o.statsJson.isEmpty())
                return fail(QStringLiteral("--stats-json needs a file name"));
        } else if (flag == QLatin1String("--password")) {
            return fail(
                QStringLiteral("--password is not accepted: a password on the command line is visible to "
                               "every user; use --password-file or --password-env"));
        } else {
            return fail(QStringLiteral("unknown option '%1'").arg(args[i]));
        }
    }
    return true;
}

} // namespace

std::optional<PhoneOptions> parsePhoneOptions(const QStringList& givenArgs, QString* error)
{
    PhoneOptions o;
    FlagState st;
    const auto fail = [&](const QString& why) -> std::optional<PhoneOptions> {
        *error = why;
        return std::nullopt;
    };
    // --config FILE (or the default file when present) first; the flags then override it.
    QStringList args;
    QString configPath;
    for (int i = 0; i < givenArgs.size(); ++i) {
        if (givenArgs[i] == QLatin1String("--config")) {
            if (i + 1 >= givenArgs.size()) return fail(QStringLiteral("--config needs a file name"));
            configPath = givenArgs[++i];
            if (configPath.isEmpty()) return fail(QStringLiteral("--config needs a file name"));
        } else if (givenArgs[i].startsWith(QLatin1String("--config="))) {
            configPath = givenArgs[i].mid(9);
            if (configPath.isEmpty()) return fail(QStringLiteral("--config needs a file name"));
        } else {
            args.append(givenArgs[i]);
        }
    }
    const bool explicitConfig = !configPath.isEmpty();
    if (!explicitConfig) configPath = defaultConfigPath();
    if (explicitConfig || (!configPath.isEmpty() && QFile::exists(configPath))) {
        const auto apply = [&](const QStringList& flag, QString* why) {
            return applyFlags(flag, o, st, why);
        };
        if (!loadPhoneConfig(configPath, o, apply, error)) return std::nullopt;
    }
    st.listenSet = false;
    st.accountsSet = false;
    if (!applyFlags(args, o, st, error)) return std::nullopt;
    QString& tlsCert = st.tlsCert;
    QString& tlsKey = st.tlsKey;
    QStringList& passwords = st.passwords;
    if (tlsCert.isEmpty() != tlsKey.isEmpty())
        return fail(QStringLiteral("--tls-cert and --tls-key go together: give both"));
    if (!tlsCert.isEmpty()) {
        QString why;
        if (!o.tls.loadIdentity(tlsCert, tlsKey, &why))
            return fail(QStringLiteral("TLS identity: %1").arg(why));
    }
    for (const auto& l : o.listen) {
        if (l.transport == sip::Transport::Tls && !o.tls.hasIdentity())
            return fail(QStringLiteral("--listen %1 needs a certificate and key: add --tls-cert PEM and "
                                       "--tls-key PEM")
                            .arg(l.toString()));
    }
    if (passwords.size() > o.accounts.size())
        return fail(QStringLiteral("%1 passwords for %2 accounts: give one --password-file or --password-env "
                                   "per --account, in the same order")
                        .arg(passwords.size())
                        .arg(o.accounts.size()));
    for (qsizetype i = 0; i < passwords.size(); ++i)
        o.accounts[i].password = passwords[i];
    if (o.noRegister && o.accounts.isEmpty()) return fail(QStringLiteral("--no-register needs --account"));
    if (o.watchMwi && o.accounts.isEmpty()) return fail(QStringLiteral("--watch-mwi needs --account"));
    for (auto& a : o.accounts)
        a.noRegister = a.noRegister || o.noRegister;
    if (o.reinviteAfter && o.call.isEmpty() && !o.autoAnswer) {
        return fail(QStringLiteral("--reinvite-after needs --call or --auto-answer"));
    }
    if (o.hangupAfter && o.call.isEmpty() && !o.autoAnswer) {
        return fail(QStringLiteral("--hangup-after needs --call or --auto-answer"));
    }
    if (o.page && o.listenGroup) return fail(QStringLiteral("--page and --listen-group: give one of them"));
    if ((o.page || o.listenGroup) && (!o.call.isEmpty() || o.autoAnswer || !o.messageTo.isEmpty())) {
        return fail(QStringLiteral("--page/--listen-group run without SIP: drop --call, --auto-answer and "
                                   "--message"));
    }
    if (o.dnd && !o.forward.isEmpty()) return fail(QStringLiteral("--dnd and --forward: give one of them"));
    if ((st.transferAfterGiven || o.attendedTransfer) && o.transferTo.isEmpty())
        return fail(QStringLiteral("--transfer-after and --attended-transfer need --transfer-to"));
    if (!o.transferTo.isEmpty() && o.call.isEmpty() && !o.autoAnswer)
        return fail(QStringLiteral("--transfer-to needs --call or --auto-answer (a call to transfer)"));
    if (!o.invite.isEmpty() && !o.conference) return fail(QStringLiteral("--invite needs --conference"));
    if (o.conferenceReferAny && !o.conference)
        return fail(QStringLiteral("--conference-refer-any needs --conference"));
    if (o.conference && (o.dnd || !o.forward.isEmpty() || !o.call.isEmpty()))
        return fail(
            QStringLiteral("--conference hosts: it takes no --call, --dnd or --forward (use --invite)"));
    if (o.conference && !o.autoAnswer) o.autoAnswer = 0; // the host answers every call into it
    if (o.resumeAfter && !o.holdAfter) return fail(QStringLiteral("--resume-after needs --hold-after"));
    if (o.unmuteAfter && !o.muteAfter) return fail(QStringLiteral("--unmute-after needs --mute-after"));
    if (!o.reinviteCodecs.empty() && !o.reinviteAfter)
        return fail(QStringLiteral("--reinvite-codecs needs --reinvite-after"));
    if (o.repeat > 1 && (o.call.isEmpty() || !o.hangupAfter))
        return fail(QStringLiteral("--repeat needs --call and --hangup-after"));
    if (o.media.keying == sdp::Keying::Dtls && o.media.srtp == sdp::SrtpPolicy::Off)
        return fail(QStringLiteral("--keying dtls needs --srtp optional or mandatory"));
    if (o.media.dtlsCertificateDir.empty()) {
        QString base = qEnvironmentVariable("XDG_DATA_HOME");
        if (base.isEmpty()) base = QDir::homePath() + QStringLiteral("/.local/share");
        o.media.dtlsCertificateDir = (base + QStringLiteral("/vphone/dtls")).toStdString();
    }
    return o;
}

} // namespace vphone::cli
