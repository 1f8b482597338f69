#include "models/settings_controller.h"

#include "models/phone_controller.h"
#include "net/stun_client.h"
#include "sip/uri.h"

#include <QAudioDevice>
#include <QCameraDevice>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMediaDevices>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace vphone::ui {

namespace {

const QStringList kSrtp{QStringLiteral("off"), QStringLiteral("optional"), QStringLiteral("mandatory")};

QString srtpName(sdp::SrtpPolicy p)
{
    switch (p) {
    case sdp::SrtpPolicy::Off: return QStringLiteral("off");
    case sdp::SrtpPolicy::Mandatory: return QStringLiteral("mandatory");
    default: return QStringLiteral("optional");
    }
}

/// "example.com", "example.com:5070" or a sip:/sips: URI, as a SIP URI; empty stays empty.
/// `error` gets a sentence naming `what` when it is not one.
QString serverUri(const QString& text, const QString& what, QString* error)
{
    QString t = text.trimmed();
    if (t.isEmpty()) return {};
    if (!t.startsWith(QLatin1String("sip:"), Qt::CaseInsensitive) &&
        !t.startsWith(QLatin1String("sips:"), Qt::CaseInsensitive))
        t.prepend(QStringLiteral("sip:"));
    auto uri = sip::parseUri(t.toStdString());
    if (!uri || uri->host.empty() || t.contains(QLatin1Char(' '))) {
        *error = SettingsController::tr(
                     "The %1 \"%2\" is not a server name or address (e.g. sip.example.com:5060)")
                     .arg(what, text.trimmed());
        return {};
    }
    return t;
}

QString quoteExec(const QString& arg)
{
    if (!arg.contains(QRegularExpression(QStringLiteral("[\\s\"'\\\\$`]")))) return arg;
    QString q = arg;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""))
        .replace(QLatin1Char('$'), QStringLiteral("\\$"))
        .replace(QLatin1Char('`'), QStringLiteral("\\`"));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QStringList withCurrent(QStringList list, const QString& current)
{
    if (!current.isEmpty() && !list.contains(current)) list.append(current);
    return list;
}

} // namespace

SettingsController::SettingsController(QString profileDir, QObject* parent)
    : QObject(parent), profileDir_(std::move(profileDir))
{
    accounts_.setParent(this);
}

QString SettingsController::iniPath() const
{
    return QDir(profileDir_).filePath(QStringLiteral("vphone.ini"));
}

QString SettingsController::autostartPath()
{
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty()) base = QDir::home().filePath(QStringLiteral(".config"));
    return QDir(base).filePath(QStringLiteral("autostart/vphone.desktop"));
}

void SettingsController::probeKeychain()
{
    if (keychainProbed_) return;
    settleKeychainProbe(store_.read(PasswordStore::keyFor(profileDir_, QStringLiteral("probe"))));
}

void SettingsController::probeKeychainLater()
{
    if (keychainProbed_ || keychainProbing_) return;
    keychainProbing_ = true;
    store_.readLater(PasswordStore::keyFor(profileDir_, QStringLiteral("probe")), this,
                     [this](const PasswordStore::Result& r) {
                         keychainProbing_ = false;
                         if (keychainProbed_) return; // a synchronous probe answered first
                         settleKeychainProbe(r);
                         emit changed();
                     });
}

void SettingsController::settleKeychainProbe(const PasswordStore::Result& r)
{
    keychainProbed_ = true;
    keychainAvailable_ =
        r.outcome == PasswordStore::Outcome::Ok || r.outcome == PasswordStore::Outcome::NotFound;
    if (!keychainAvailable_)
        qWarning("vphone: no system keychain (%s): account passwords are kept in %s", qPrintable(r.error),
                 qPrintable(iniPath()));
}

ProfileConfig SettingsController::load(QStringList* problems)
{
    QSettings s(iniPath(), QSettings::IniFormat);
    ProfileConfig c = loadProfileConfig(s, problems);
    // The keychain is asked now only when an account's password is there or is to move there;
    // otherwise it is probed in the background (a D-Bus round trip the window need not wait for),
    // and a password saved before the answer asks synchronously.
    const bool keychainNeeded =
        std::any_of(c.accounts.cbegin(), c.accounts.cend(), [](const ProfileAccount& a) {
            return a.passwordInKeychain || !a.settings.password.isEmpty();
        });
    if (keychainNeeded)
        probeKeychain();
    else
        probeKeychainLater();
    c.profileDir = profileDir_;
    QSet<QString> withPassword;
    bool migrated = false;
    for (ProfileAccount& a : c.accounts) {
        const QString key = PasswordStore::keyFor(profileDir_, a.settings.uri);
        if (a.passwordInKeychain) {
            const PasswordStore::Result r = store_.read(key);
            if (r.ok()) {
                a.settings.password = r.secret;
            } else if (problems) {
                problems->append(tr("The password of %1 could not be read from the keychain: %2")
                                     .arg(a.settings.uri, r.error));
            }
        } else if (!a.settings.password.isEmpty() && keychainAvailable_) {
            if (store_.write(key, a.settings.password).ok()) {
                a.passwordInKeychain = true;
                migrated = true;
            }
        }
        if (!a.settings.password.isEmpty() || a.passwordInKeychain) withPassword.insert(a.settings.uri);
    }
    if (migrated) {
        writeProfileAccounts(s, c.accounts); // without the passwords now in the keychain
        s.sync();
        qInfo("vphone: account passwords moved from %s into the system keychain", qPrintable(iniPath()));
    }
    config_ = c;
    accounts_.setAccounts(c.accounts, withPassword);
    emit changed();
    if (overrides_) overrides_(c);
    return c;
}

void SettingsController::setController(PhoneController* controller)
{
    controller_ = controller;
    accounts_.setController(controller);
    if (!controller) return;
    connect(controller, &PhoneController::callsChanged, this, [this] {
        if (pendingApply_ && controller_ && !controller_->hasLiveCall()) apply();
    });
    connect(controller, &PhoneController::currentCallChanged, this, [this] {
        if (pendingApply_ && controller_ && !controller_->hasLiveCall())
            QMetaObject::invokeMethod(
                this,
                [this] {
                    if (pendingApply_ && controller_ && !controller_->hasLiveCall()) apply();
                },
                Qt::QueuedConnection);
    });
}

bool SettingsController::fail(const QString& why)
{
    message_ = why;
    messageIsError_ = true;
    emit messageChanged();
    return false;
}

void SettingsController::say(const QString& what)
{
    message_ = what;
    messageIsError_ = false;
    emit messageChanged();
}

void SettingsController::apply()
{
    ProfileConfig c = load();
    if (!controller_) {
        say(tr("Saved"));
        return;
    }
    if (controller_->hasLiveCall()) {
        pendingApply_ = true;
        say(tr("Saved. The change applies when the current call ends."));
        return;
    }
    pendingApply_ = false;
    if (controller_->restart(c))
        say(tr("Saved and applied"));
    else
        fail(tr("Saved, but the phone did not start: %1").arg(controller_->lastProblem()));
    emit applied();
}

bool SettingsController::firstRun() const
{
    return assistantAllowed_ && config_.accounts.isEmpty() && !config_.assistantDone;
}

QString SettingsController::passwordWarning() const
{
    if (keychainAvailable_ || !keychainProbed_) return {}; // nothing to say before the answer
    return tr("No system keychain was found, so passwords are stored in %1, readable only by you. "
              "Install and unlock a keychain (GNOME Keyring or KWallet) to keep them there instead.")
        .arg(QDir::toNativeSeparators(iniPath()));
}

bool SettingsController::storePassword(ProfileAccount& account, const QString& password)
{
    const QString key = PasswordStore::keyFor(profileDir_, account.settings.uri);
    account.settings.password = password;
    probeKeychain(); // at once if the background probe has not answered yet
    if (keychainAvailable_) {
        const PasswordStore::Result r = store_.write(key, password);
        if (r.ok()) {
            account.passwordInKeychain = true;
            return true;
        }
        qWarning("vphone: keychain write failed (%s): the password stays in the profile file",
                 qPrintable(r.error));
    }
    account.passwordInKeychain = false; // written to vphone.ini (owner-only)
    return true;
}

QVariantMap SettingsController::account(int row) const
{
    if (row < 0 || row >= config_.accounts.size()) return {};
    const ProfileAccount& a = config_.accounts[row];
    return {{QStringLiteral("uri"), a.settings.uri},
            {QStringLiteral("displayName"), a.settings.displayName},
            {QStringLiteral("authUser"), a.settings.authUser},
            {QStringLiteral("registrar"), a.settings.registrar},
            {QStringLiteral("proxy"), a.settings.outboundProxy},
            {QStringLiteral("transport"), a.transport},
            {QStringLiteral("srtp"), a.srtp},
            {QStringLiteral("registerOnStart"), a.settings.registerOnStart},
            {QStringLiteral("stunServer"), a.settings.stunServer},
            {QStringLiteral("hasPassword"), !a.settings.password.isEmpty() || a.passwordInKeychain}};
}

bool SettingsController::saveAccount(int row, const QVariantMap& f)
{
    QList<ProfileAccount> list = config_.accounts;
    if (row >= list.size() || row < -1) return fail(tr("There is no account %1").arg(row + 1));
    ProfileAccount a = row >= 0 ? list[row] : ProfileAccount{};
    const QString oldUri = a.settings.uri;

    QString uri = f.value(QStringLiteral("uri")).toString().trimmed();
    if (uri.isEmpty()) return fail(tr("Enter the account's address, e.g. alice@sip.example.com"));
    if (!uri.startsWith(QLatin1String("sip:"), Qt::CaseInsensitive) &&
        !uri.startsWith(QLatin1String("sips:"), Qt::CaseInsensitive))
        uri.prepend(QStringLiteral("sip:"));
    const auto parsed = sip::parseUri(uri.toStdString());
    if (!parsed || parsed->user.empty() || parsed->host.empty() || uri.contains(QLatin1Char(' ')))
        return fail(tr("\"%1\" is not an address: write it as user@domain, e.g. alice@sip.example.com")
                        .arg(f.value(QStringLiteral("uri")).toString().trimmed()));
    for (int i = 0; i < list.size(); ++i) {
        if (i != row && list[i].settings.uri.compare(uri, Qt::CaseInsensitive) == 0)
            return fail(tr("There is already an account for %1").arg(uri));
    }
    QString error;
    const QString registrar =
        serverUri(f.value(QStringLiteral("registrar")).toString(), tr("registrar"), &error);
    if (!error.isEmpty()) return fail(error);
    const QString proxy = serverUri(f.value(QStringLiteral("proxy")).toString(), tr("proxy"), &error);
    if (!error.isEmpty()) return fail(error);
    const QString transport =
        f.value(QStringLiteral("transport"), QStringLiteral("udp")).toString().toLower();
    if (transport != QLatin1String("udp") && transport != QLatin1String("tcp") &&
        transport != QLatin1String("tls"))
        return fail(tr("The transport must be UDP, TCP or TLS"));
    const QString srtp = f.value(QStringLiteral("srtp")).toString().toLower();
    if (!srtp.isEmpty() && !kSrtp.contains(srtp))
        return fail(tr("Media encryption (SRTP) must be off, optional or mandatory"));

    a.settings.uri = uri;
    a.settings.displayName = f.value(QStringLiteral("displayName")).toString().trimmed();
    a.settings.authUser = f.value(QStringLiteral("authUser")).toString().trimmed();
    a.settings.registrar = registrar;
    a.settings.outboundProxy = proxy;
    a.settings.registerOnStart = f.value(QStringLiteral("registerOnStart"), true).toBool();
    a.transport = transport;
    a.srtp = srtp;
    if (f.contains(QStringLiteral("stunServer"))) {
        const QString stun = f.value(QStringLiteral("stunServer")).toString().trimmed();
        if (const QString why = stunServerError(stun); !why.isEmpty()) return fail(why);
        a.settings.stunServer = stun;
    }
    const QString password = f.value(QStringLiteral("password")).toString();
    if (oldUri != uri && a.passwordInKeychain && password.isEmpty()) {
        // The keychain entry is keyed by the address: carry the stored password over.
        storePassword(a, a.settings.password);
        store_.remove(PasswordStore::keyFor(profileDir_, oldUri));
    }
    if (!password.isEmpty()) storePassword(a, password);
    if (row >= 0)
        list[row] = a;
    else
        list.append(a);

    QSettings s(iniPath(), QSettings::IniFormat);
    writeProfileAccounts(s, list);
    s.setValue(QStringLiteral("ui/assistantDone"), true);
    s.sync();
    if (s.status() != QSettings::NoError) return fail(tr("Could not write %1").arg(iniPath()));
    QFile::setPermissions(iniPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    apply();
    return true;
}

bool SettingsController::removeAccount(int row)
{
    QList<ProfileAccount> list = config_.accounts;
    if (row < 0 || row >= list.size()) return fail(tr("There is no account %1").arg(row + 1));
    const ProfileAccount gone = list.takeAt(row);
    if (gone.passwordInKeychain) store_.remove(PasswordStore::keyFor(profileDir_, gone.settings.uri));
    QFile::remove(AccountListModel::pinPath(profileDir_, gone.settings.uri)); // its trusted certificate
    QSettings s(iniPath(), QSettings::IniFormat);
    writeProfileAccounts(s, list);
    s.sync();
    apply();
    return true;
}

QStringList SettingsController::codecs() const
{
    QStringList out;
    for (const std::string& c : config_.media.codecs)
        out.append(QString::fromStdString(c));
    return out;
}

bool SettingsController::moveCodec(int index, int delta)
{
    QStringList list = codecs();
    const int to = index + delta;
    if (index < 0 || index >= list.size() || to < 0 || to >= list.size())
        return fail(tr("That codec cannot move further"));
    list.move(index, to);
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("media/codecs"), list.join(QLatin1Char(',')));
    s.sync();
    apply();
    return true;
}

QString SettingsController::srtp() const
{
    return srtpName(config_.media.srtp);
}

bool SettingsController::setSrtp(const QString& policy)
{
    if (!kSrtp.contains(policy.toLower()))
        return fail(tr("Media encryption (SRTP) must be off, optional or mandatory"));
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("media/srtp"), policy.toLower());
    s.sync();
    apply();
    return true;
}

int SettingsController::sipPort() const
{
    const QString first = config_.listen.value(0);
    return first.section(QLatin1Char(':'), -1).toInt();
}

QString SettingsController::rtpPorts() const
{
    return QStringLiteral("%1-%2").arg(config_.media.rtpPorts.min).arg(config_.media.rtpPorts.max);
}

QString SettingsController::stunServerError(const QString& server)
{
    const QString v = server.trimmed();
    if (v.isEmpty()) return {};
    std::string why;
    if (net::stun::parseServer(v.toStdString(), &why)) return {};
    if (why.find("no host") != std::string::npos)
        return tr("The STUN server needs a host name or address, e.g. stun.example.org or 192.0.2.1:3478");
    if (why.find("port") != std::string::npos)
        return tr("The STUN server port in \"%1\" must be a number from 1 to 65535").arg(v);
    return tr("\"%1\" is not a STUN server: write host or host:port, e.g. stun.example.org:3478").arg(v);
}

bool SettingsController::setStunServer(const QString& server)
{
    if (const QString why = stunServerError(server); !why.isEmpty()) return fail(why);
    QSettings s(iniPath(), QSettings::IniFormat);
    if (server.trimmed().isEmpty())
        s.remove(QStringLiteral("network/stunServer"));
    else
        s.setValue(QStringLiteral("network/stunServer"), server.trimmed());
    s.sync();
    if (s.status() != QSettings::NoError) return fail(tr("Could not write %1").arg(iniPath()));
    apply();
    return true;
}

bool SettingsController::setPorts(int port, const QString& rtp)
{
    if (port < 1 || port > 65535) return fail(tr("The SIP port must be a number from 1 to 65535"));
    auto range = media::parsePortRange(rtp.trimmed().toStdString());
    if (!range)
        return fail(
            tr("Media ports \"%1\" are not a range: write FIRST-LAST, e.g. 16384-32767").arg(rtp.trimmed()));
    if (port >= range->min && port <= range->max)
        return fail(tr("The SIP port %1 is inside the media port range %2").arg(port).arg(rtp.trimmed()));
    QStringList listen;
    for (const QString& spec : config_.listen)
        listen.append(QStringLiteral("%1:%2").arg(spec.section(QLatin1Char(':'), 0, -2)).arg(port));
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("network/listen"), listen);
    s.setValue(QStringLiteral("network/rtpPorts"), rtp.trimmed());
    s.sync();
    apply();
    return true;
}

QStringList SettingsController::audioInputs() const
{
    QStringList out{QStringLiteral("device")};
    for (const QAudioDevice& d : QMediaDevices::audioInputs())
        out.append(QStringLiteral("device:") + d.description());
    out.append(QStringLiteral("silence"));
    return withCurrent(out, audioSource());
}

QStringList SettingsController::audioOutputs() const
{
    QStringList out{QStringLiteral("device")};
    for (const QAudioDevice& d : QMediaDevices::audioOutputs())
        out.append(QStringLiteral("device:") + d.description());
    out.append(QStringLiteral("null"));
    return withCurrent(out, audioSink());
}

QStringList SettingsController::videoInputs() const
{
    QStringList out{QStringLiteral("device")};
    for (const QCameraDevice& d : QMediaDevices::videoInputs())
        out.append(QStringLiteral("device:") + d.description());
    out.append({QStringLiteral("testsrc"), QStringLiteral("off")});
    return withCurrent(out, videoSource());
}

bool SettingsController::setDevices(const QString& audioSource, const QString& audioSink,
                                    const QString& videoSource)
{
    if (!audioInputs().contains(audioSource))
        return fail(tr("There is no microphone \"%1\"").arg(audioSource));
    if (!audioOutputs().contains(audioSink)) return fail(tr("There is no speaker \"%1\"").arg(audioSink));
    if (!videoInputs().contains(videoSource)) return fail(tr("There is no camera \"%1\"").arg(videoSource));
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("media/audioSource"), audioSource);
    s.setValue(QStringLiteral("media/audioSink"), audioSink);
    s.setValue(QStringLiteral("media/videoSource"), videoSource);
    s.sync();
    apply();
    return true;
}

bool SettingsController::startAtLogin() const
{
    return QFile::exists(autostartPath());
}

bool SettingsController::setStartAtLogin(bool on)
{
    const QString path = autostartPath();
    if (!on) {
        if (QFile::exists(path) && !QFile::remove(path)) return fail(tr("Could not remove %1").arg(path));
        emit changed();
        say(tr("vphone no longer starts at login"));
        return true;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(tr("Could not create the folder %1").arg(QFileInfo(path).absolutePath()));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) return fail(tr("Could not write %1").arg(path));
    const QString exec = quoteExec(QCoreApplication::applicationFilePath()) + QStringLiteral(" --profile ") +
                         quoteExec(profileDir_);
    f.write(QStringLiteral("[Desktop Entry]\nType=Application\nName=vphone\nComment=SIP video phone\n"
                           "Exec=%1\nIcon=vphone\nTerminal=false\nX-GNOME-Autostart-enabled=true\n")
                .arg(exec)
                .toUtf8());
    if (!f.commit()) return fail(tr("Could not write %1").arg(path));
    emit changed();
    say(tr("vphone starts when you log in"));
    return true;
}

bool SettingsController::setCloseToTray(bool on)
{
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("ui/closeToTray"), on);
    s.sync();
    config_.closeToTray = on;
    emit changed();
    say(tr("Saved"));
    return true;
}

bool SettingsController::setConferenceReferFromAnyone(bool on)
{
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("conference/referFromAnyone"), on);
    s.sync();
    config_.conferenceReferFromAnyone = on;
    if (controller_) controller_->phone().setConferenceReferFromAnyone(on);
    emit changed();
    say(tr("Saved"));
    return true;
}

void SettingsController::finishAssistant()
{
    QSettings s(iniPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("ui/assistantDone"), true);
    s.sync();
    config_.assistantDone = true;
    emit changed();
}

} // namespace vphone::ui
