#include "phone_config.h"

#include <QDir>
#include <QFile>
#include <QSet>

namespace vphone::cli {

namespace {

std::optional<bool> parseBool(const QString& v)
{
    const QString l = v.toLower();
    if (l == QLatin1String("yes") || l == QLatin1String("true") || l == QLatin1String("on") ||
        l == QLatin1String("1"))
        return true;
    if (l == QLatin1String("no") || l == QLatin1String("false") || l == QLatin1String("off") ||
        l == QLatin1String("0"))
        return false;
    return std::nullopt;
}

/// The file is private to its owner: no group or other permission bits.
bool ownerOnly(const QString& path)
{
    const auto p = QFile::permissions(path);
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                        QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    return (p & others) == 0;
}

} // namespace

QString defaultConfigPath()
{
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty()) {
        const QString home = qEnvironmentVariable("HOME");
        if (home.isEmpty()) return {};
        base = home + QStringLiteral("/.config");
    }
    return base + QStringLiteral("/vphone/vphone-cli.conf");
}

bool loadPhoneConfig(const QString& path, PhoneOptions& o,
                     const std::function<bool(const QStringList& flag, QString* error)>& applyFlag,
                     QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read config file %1: %2").arg(path, f.errorString());
        return false;
    }
    static const QSet<QString> kGeneralValues{
        QStringLiteral("listen"),         QStringLiteral("proxy"),
        QStringLiteral("trace"),          QStringLiteral("dns-server"),
        QStringLiteral("keepalive"),      QStringLiteral("duration"),
        QStringLiteral("tls-cert"),       QStringLiteral("tls-key"),
        QStringLiteral("ca-file"),        QStringLiteral("trust-cert"),
        QStringLiteral("rate-limit"),     QStringLiteral("audio-source"),
        QStringLiteral("audio-sink"),     QStringLiteral("codecs"),
        QStringLiteral("ptime"),          QStringLiteral("srtp"),
        QStringLiteral("keying"),         QStringLiteral("dtls-dir"),
        QStringLiteral("rtp-ports"),      QStringLiteral("video-source"),
        QStringLiteral("video-sink"),     QStringLiteral("video-codecs"),
        QStringLiteral("max-resolution"), QStringLiteral("video-bitrate"),
        QStringLiteral("stun-server"),    QStringLiteral("forward"),
        QStringLiteral("forward-busy"),   QStringLiteral("forward-no-answer"),
        QStringLiteral("forward-after"),  QStringLiteral("dnd-code")};
    enum class Section { Invalid, None, General, Account };
    Section section = Section::None;
    int lineNo = 0;
    const qsizetype firstAccount = o.accounts.size();
    const auto fail = [&](const QString& why) {
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(lineNo).arg(why);
        return false;
    };
    while (!f.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('['))) {
            if (!line.endsWith(QLatin1Char(']'))) return fail(QStringLiteral("section header without ']'"));
            const QString name = line.mid(1, line.size() - 2).trimmed();
            if (name == QLatin1String("general")) {
                section = Section::General;
            } else if (name == QLatin1String("account") || name.startsWith(QLatin1String("account "))) {
                section = Section::Account;
                AccountOptions a;
                a.name = name.mid(7).trimmed();
                o.accounts.append(a);
            } else {
                return fail(
                    QStringLiteral("unknown section [%1] (general, account or account NAME)").arg(name));
            }
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) return fail(QStringLiteral("expected 'key = value'"));
        const QString key = line.left(eq).trimmed().toLower();
        const QString value = line.mid(eq + 1).trimmed();
        const auto bad = [&](const QString& why) {
            return fail(QStringLiteral("key '%1': %2").arg(key, why));
        };
        if (section == Section::None)
            return bad(QStringLiteral("comes before any [general] or [account] section"));
        if (section == Section::General) {
            QStringList flag;
            if (kGeneralValues.contains(key)) {
                flag = {QLatin1String("--") + key, value};
            } else if (key == QLatin1String("events")) {
                const auto b = parseBool(value);
                if (!b) return bad(QStringLiteral("'%1' is not yes or no").arg(value));
                o.events = *b;
                continue;
            } else if (key == QLatin1String("dnd")) {
                const auto b = parseBool(value);
                if (!b) return bad(QStringLiteral("'%1' is not yes or no").arg(value));
                o.dnd = *b;
                continue;
            } else if (key == QLatin1String("auto-answer")) {
                const auto b = parseBool(value);
                if (b && !*b) {
                    o.autoAnswer.reset();
                    continue;
                }
                flag = {b ? QStringLiteral("--auto-answer") : QStringLiteral("--auto-answer=") + value};
            } else {
                return bad(QStringLiteral("unknown in [general] (listen, proxy, trace, events, dns-server, "
                                          "keepalive, auto-answer, duration, tls-cert, tls-key, ca-file, "
                                          "trust-cert, rate-limit, audio-source, audio-sink, codecs, "
                                          "ptime, srtp, keying, dtls-dir, rtp-ports, video-source, "
                                          "video-sink, video-codecs, max-resolution, video-bitrate, "
                                          "stun-server, forward, forward-busy, forward-no-answer, "
                                          "forward-after, dnd, dnd-code)"));
            }
            QString why;
            if (!applyFlag(flag, &why)) return bad(why);
            continue;
        }
        AccountOptions& a = o.accounts.back();
        if (key == QLatin1String("uri")) {
            a.uri = value;
        } else if (key == QLatin1String("proxy")) {
            a.proxy = value;
        } else if (key == QLatin1String("register")) {
            const auto b = parseBool(value);
            if (!b) return bad(QStringLiteral("'%1' is not yes or no").arg(value));
            a.noRegister = !*b;
        } else if (key == QLatin1String("password-file")) {
            QFile pf(value);
            if (!pf.open(QIODevice::ReadOnly))
                return bad(QStringLiteral("cannot read password file %1: %2").arg(value, pf.errorString()));
            QString pw = QString::fromUtf8(pf.readAll());
            while (pw.endsWith(QLatin1Char('\n')) || pw.endsWith(QLatin1Char('\r')))
                pw.chop(1);
            a.password = pw;
        } else if (key == QLatin1String("password-env")) {
            if (!qEnvironmentVariableIsSet(value.toLocal8Bit().constData()))
                return bad(QStringLiteral("environment variable %1 is not set").arg(value));
            a.password = qEnvironmentVariable(value.toLocal8Bit().constData());
        } else if (key == QLatin1String("password")) {
            if (!ownerOnly(path))
                return bad(
                    QStringLiteral("refused: %1 can be read by other users; a password may only be written "
                                   "in a file only its owner can read (chmod 600 %1), or use "
                                   "password-file or password-env")
                        .arg(path));
            a.password = value;
        } else if (key == QLatin1String("srtp")) {
            // An account's own SRTP policy (a provider that demands encryption, say).
            auto policy = media::parseSrtpPolicy(value.toStdString());
            if (!policy) return bad(QString::fromStdString(policy.error().what));
            a.srtp = *policy;
        } else if (key == QLatin1String("keying")) {
            auto keying = media::parseKeying(value.toStdString());
            if (!keying) return bad(QString::fromStdString(keying.error().what));
            a.keying = *keying;
        } else if (key == QLatin1String("ca-file") || key == QLatin1String("trust-cert")) {
            // Trust is per process (one TLS configuration for every connection).
            QString why;
            if (!applyFlag({QLatin1String("--") + key, value}, &why)) return bad(why);
        } else {
            return bad(
                QStringLiteral("unknown in [account] (uri, password-file, password-env, password, proxy, "
                               "register, srtp, keying, ca-file, trust-cert)"));
        }
    }
    for (qsizetype i = firstAccount; i < o.accounts.size(); ++i) {
        if (o.accounts[i].uri.isEmpty()) {
            const QString name = o.accounts[i].name.isEmpty()
                                     ? QStringLiteral("[account]")
                                     : QStringLiteral("[account %1]").arg(o.accounts[i].name);
            *error = QStringLiteral("%1: %2 has no uri").arg(path, name);
            return false;
        }
    }
    return true;
}

} // namespace vphone::cli
