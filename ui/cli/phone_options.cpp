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

QString phoneUsage()
{
    return QStringLiteral(
        "phone mode: vphone-cli [OPTIONS]\n"
        "  --config FILE          read settings from an INI file first ([general] with the flags'\n"
        "                         names, [account NAME] per account: uri, password-file,\n"
        "                         password-env, proxy, register); flags override it. Default:\n"
        "                         $XDG_CONFIG_HOME/vphone/vphone-cli.conf when it exists\n"
        "  --account URI          address of record to register (sip:alice@example.test);\n"
        "                         without it, calls to any user at --listen are taken (direct IP).\n"
        "                         Repeatable: several accounts in one process; the first one\n"
        "                         places --call and --message\n"
        "  --password-file FILE   password for the account (trailing newline ignored); the i-th\n"
        "                         password flag belongs to the i-th --account\n"
        "  --password-env VAR     password from an environment variable\n"
        "  --proxy URI            outbound proxy for every request (;transport=udp|tcp|tls)\n"
        "  --listen PROTO:HOST:PORT  local address, repeatable (udp:127.0.0.1:5060, tcp:[::1]:5070,\n"
        "                         tls:0.0.0.0:5061 with --tls-cert and --tls-key)\n"
        "  --tls-cert PEM         certificate (and chain) presented by tls: listeners\n"
        "  --tls-key PEM          its private key (unencrypted)\n"
        "  --ca-file PEM          CA certificates trusted for TLS servers besides the system store\n"
        "  --trust-cert PEM       accept a TLS server presenting exactly this certificate, even\n"
        "                         self-signed or issued for another name (certificate pinning);\n"
        "                         a refused certificate prints \"certificate HOST sha256 AA:BB:...\"\n"
        "                         on stderr, and a pinned one that changed says so\n"
        "  --keepalive S          keep-alive every S seconds (RFC 5626; default 30, 0 = off): CRLF\n"
        "                         on idle TCP/TLS connections we opened; on UDP a STUN Binding\n"
        "                         request to each registered account's registrar, every 80-100 %\n"
        "                         of S; no answer (or a new mapped address) means re-REGISTER\n"
        "  --stun-server HOST[:PORT]  STUN server (RFC 5389, port 3478 by default): a Binding\n"
        "                         request from the SIP UDP socket (logged 'stun: mapped A:P for\n"
        "                         sip'; Contact and Via over UDP carry it, REGISTER waits for it)\n"
        "                         and from each call's RTP and RTCP sockets before the SDP is\n"
        "                         written ('stun: mapped A:P for rtp' / 'for rtcp'; c=, m= and\n"
        "                         a=rtcp carry it). No answer within 1.5 s: a warning\n"
        "                         'stun: ... no answer' and the local addresses\n"
        "  --call URI             call URI\n"
        "  --auto-answer[=DELAY]  answer incoming calls at once, or after DELAY seconds\n"
        "  --forward URI          forward every incoming call: 302 Moved Temporarily to URI\n"
        "  --forward-busy URI     forward incoming calls with a 302 while another call is up\n"
        "  --forward-no-answer URI  forward a call still ringing after --forward-after S (302)\n"
        "  --forward-after S      ringing time before --forward-no-answer (default 20)\n"
        "  --dnd                  do not disturb: refuse incoming calls (486 Busy Here)\n"
        "  --dnd-code CODE        the refusal --dnd sends: 486 (default) or 603 (Decline)\n"
        "call transfer (RFC 3515 REFER, RFC 3891 Replaces):\n"
        "  --transfer-to URI      transfer the answered call (--call or --auto-answer) to URI:\n"
        "                         a blind REFER --transfer-after S after the answer; prints\n"
        "                         'transfer NOTIFY 180 Ringing'..., then 'transfer done' (our\n"
        "                         call is hung up) or 'transfer failed CODE REASON'\n"
        "  --transfer-after S     seconds from the answer to the transfer (default 1)\n"
        "  --attended-transfer    with --transfer-to: put the call on hold, call URI, and once\n"
        "                         it answers REFER the first peer with Replaces of that call\n"
        "                         As a transferee vphone-cli always follows a REFER: it prints\n"
        "                         'referred to URI by X', calls URI and NOTIFYs the outcome;\n"
        "                         an INVITE with Replaces for one of its calls is answered at once\n"
        "conferences (RFC 4579, RFC 4575):\n"
        "  --conference           host one conference (we are its focus: Contact ;isfocus):\n"
        "                         every incoming call is answered into it; the host's own\n"
        "                         --audio-source/--audio-sink are one participant; logs\n"
        "                         'conference joined URI' / 'conference left URI' and serves\n"
        "                         the roster to Event: conference subscribers; --stats-json\n"
        "                         gets a 'participants' array; with --video-source or\n"
        "                         --video-sink a video conference: everyone gets the composite\n"
        "                         grid (the host's test pattern's size, else 640x360@30) and the\n"
        "                         host's --video-sink records it\n"
        "  --invite URI           with --conference: call URI into it once up (repeatable)\n"
        "  --conference-subscribe subscribe to the conference package of every answered call\n"
        "                         (automatic when the far end's Contact has isfocus); prints\n"
        "                         'roster URI STATUS \"NAME\" MEDIA' lines on each NOTIFY\n"
        "  --conference-add URI   as a participant: 1 s after our call is answered, REFER the\n"
        "                         focus to invite URI into the conference (RFC 4579 §5.5),\n"
        "                         repeatable; prints 'conference add NOTIFY CODE REASON', then\n"
        "                         'conference add done URI' or 'conference add failed ...'\n"
        "  --message URI TEXT     send an instant message\n"
        "  --duration S           stay up S seconds, then unregister and exit\n"
        "  --hangup-after S       hang up S seconds after the call is answered\n"
        "  --reinvite-after S     re-INVITE (same SDP) S seconds after the call is answered\n"
        "  --rate-limit N         new requests per second and source address (default 50, 0 = off)\n"
        "  --trace FILE           write every SIP message sent and received to FILE\n"
        "  --events               print every event as one JSON object per line\n"
        "  --no-register          use the account's address and password without registering\n"
        "  --dns-server IP        ask this name server (port 53) for SRV and A/AAAA records\n"
        "presence (first account; after registering, or at once without REGISTER):\n"
        "  --watch-presence URI   subscribe to URI's presence (RFC 3856), repeatable; prints\n"
        "                         'presence URI STATUS \"NOTE\"' on each change (STATUS: available,\n"
        "                         away, busy, on-the-phone, offline, unknown; no note: no quotes)\n"
        "  --presence STATUS[:NOTE]  our status: available|away|busy|on-the-phone|offline,\n"
        "                         published (PUBLISH) on each registered account and served to\n"
        "                         watchers subscribing to us directly; on-the-phone while a call\n"
        "                         is up, back afterwards\n"
        "  --watch-mwi            subscribe to our message-summary (RFC 3842); prints\n"
        "                         'mwi NEW/OLD' on each change\n"
        "  --watch-dialog URI     busy lamp: subscribe to URI's dialog state (RFC 4235),\n"
        "                         repeatable; prints 'dialog URI idle|ringing|in-call'\n"
        "  --watch-conference URI  subscribe to the conference package (RFC 4575) of the focus\n"
        "                         URI without a call, repeatable; prints the roster lines as\n"
        "                         --conference-subscribe does\n"
        "  --pick-up URI          busy lamp on URI, and the first call ringing there is picked\n"
        "                         up: INVITE with Replaces to the caller (RFC 3891); prints\n"
        "                         'pickup URI CALLER'\n"
        "                         With --events these are JSON events instead (presence, mwi,\n"
        "                         dialog); 'watch URI ended \"REASON\"' when a watch ends for good\n"
        "media:\n"
        "  --audio-source SPEC    tone:HZ | file:PATH.wav | silence | device[:NAME] (default silence)\n"
        "  --audio-sink SPEC      file:PATH.wav | null | device[:NAME] (default null)\n"
        "  --codecs LIST          codecs by preference: opus,pcmu,pcma,g722,telephone-event\n"
        "                         (default all of them, in that order)\n"
        "  --ptime MS             packet time we ask for and send (10-120, default 20)\n"
        "  --srtp POLICY          off | optional (offer SRTP, accept plain RTP; the default) |\n"
        "                         mandatory (refuse calls that cannot be encrypted)\n"
        "  --keying KIND          sdes (a=crypto, RFC 4568; default) | dtls (DTLS-SRTP, RFC 5763)\n"
        "  --dtls-dir DIR         where the DTLS certificate is kept (created on first use;\n"
        "                         default $XDG_DATA_HOME/vphone/dtls)\n"
        "  --rtp-ports MIN-MAX    UDP ports for RTP (even) and RTCP (default 16384-32767)\n"
        "  --dtmf DIGITS          send these DTMF digits (RFC 4733) once the call is up\n"
        "  --dtmf-after S         ... S seconds after the answer (default 1)\n"
        "  --hold-after S         put the call on hold S seconds after the answer\n"
        "  --resume-after S       resume it S seconds after the hold\n"
        "  --mute-after S         mute the microphone (silence is sent) S seconds after the answer\n"
        "  --unmute-after S       unmute it S seconds after muting\n"
        "  --reinvite-codecs LIST with --reinvite-after: the re-INVITE offers these codecs\n"
        "  --repeat N             place --call N times, each after the previous one ended\n"
        "  --repeat-pause S       wait S seconds between those calls (default 0)\n"
        "  --stats-json FILE      write each call's per-stream figures to FILE when it ends\n"
        "  --page GROUP:PORT      multicast paging, no SIP: send --audio-source as PCMU RTP to the\n"
        "                         IPv4 group (e.g. 239.255.0.1:13840) for --duration S\n"
        "  --listen-group GROUP:PORT  join the group and play its RTP to --audio-sink\n"
        "  --multicast-ttl N      TTL of --page packets (0-255, default 1: this link only)\n"
        "  --multicast-interface IP  local IPv4 address to page from / join on (default: routing)\n"
        "video:\n"
        "  --video-source SPEC    testsrc[:WxH@FPS] (a moving pattern with a frame counter; default\n"
        "                         640x360@30) | device[:NAME] (a camera) | screen[:DISPLAY][@FPS]\n"
        "                         (the X11 screen) | window:ID[@FPS] | off (the default: no video)\n"
        "  --video-sink SPEC      null | file:PATH.y4m (default null: decoded, not shown)\n"
        "  --video-codecs LIST    h264,vp8 by preference (default both, in that order)\n"
        "  --max-resolution WxH   send nothing larger (default 1280x720; the aspect ratio is kept)\n"
        "  --video-bitrate KBPS   the most video we send (default 2500; also our b=AS)\n"
        "  --video-after S        add video (re-INVITE) S seconds after the answer\n"
        "  --video-off-after S    remove it again S seconds after it was added (or after the answer)\n");
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
