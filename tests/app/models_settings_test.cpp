// The settings model (ui/models/settings_controller.h, account_list_model.h, password_store.h):
// vphone.ini round trips, validation errors in sentences, the plain-words status line from real
// Account states (a registrar on 127.0.0.1 answering 200, 404 or 403, a TCP registrar that is not
// there), accounts added, edited and removed on a running PhoneController (SIP 5860-5863 on
// 127.0.0.1), the profile-file fallback when no keychain answers (no D-Bus here), and the XDG
// autostart entry written and removed.
#include "models/account_list_model.h"
#include "models/password_store.h"
#include "models/phone_controller.h"
#include "models/settings_controller.h"
#include "models_test_util.h"
#include "sip/parser.h"
#include "sip/transaction_layer.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QNetworkDatagram>
#include <QSettings>
#include <QTemporaryDir>
#include <QUdpSocket>

#include <gtest/gtest.h>

/// gtest prints QStrings as text.
void PrintTo(const QString& s, std::ostream* os)
{
    *os << '"' << s.toStdString() << '"';
}

using namespace vphone;
using ui::SettingsController;
using S = ua::Account::RegistrationState;

namespace {

using test::waitFor;

/// A registrar on a free loopback UDP port answering every REGISTER with `code`.
struct CodeRegistrar {
    QUdpSocket socket;
    int code = 200;
    int registers = 0;
    CodeRegistrar()
    {
        EXPECT_TRUE(socket.bind(QHostAddress::LocalHost, 0));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] {
            while (socket.hasPendingDatagrams()) {
                const QNetworkDatagram d = socket.receiveDatagram();
                auto m = sip::parseMessage(d.data().toStdString());
                if (!m || !m->isRequest() || m->method() != sip::Method::Register) continue;
                ++registers;
                sip::Message r = sip::TransactionLayer::buildResponse(*m, code, "r1");
                for (const auto c : m->values(sip::HeaderId::Contact))
                    if (code == 200) r.addHeader(sip::HeaderId::Contact, std::string(c) + ";expires=600");
                socket.writeDatagram(QByteArray::fromStdString(r.serialize()), d.senderAddress(),
                                     static_cast<quint16>(d.senderPort()));
            }
        });
    }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(socket.localPort()); }
};

/// A controller on 127.0.0.1:`port` whose settings live in `dir` (no keychain: as on this machine).
struct Rig {
    explicit Rig(int port)
    {
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // never a real keychain in tests
        {
            QSettings s(settings.iniPath(), QSettings::IniFormat);
            s.setValue(QStringLiteral("network/listen"),
                       QStringList{QStringLiteral("udp:127.0.0.1:%1").arg(port)});
            s.setValue(QStringLiteral("network/rtpPorts"), QStringLiteral("13050-13069"));
            s.setValue(QStringLiteral("media/audioSource"), QStringLiteral("silence"));
            s.setValue(QStringLiteral("media/audioSink"), QStringLiteral("null"));
            s.setValue(QStringLiteral("media/videoSource"), QStringLiteral("off"));
        }
        settings.passwordStore().setDisabled(true);
        controller = std::make_unique<ui::PhoneController>(settings.load());
        settings.setController(controller.get());
        EXPECT_TRUE(controller->start()) << controller->lastProblem().toStdString();
    }
    QTemporaryDir dir;
    SettingsController settings{dir.path()};
    std::unique_ptr<ui::PhoneController> controller;
};

QVariantMap account(const QString& uri, const QString& password, const QString& registrar,
                    const QString& transport = QStringLiteral("udp"))
{
    return {{QStringLiteral("uri"), uri},
            {QStringLiteral("password"), password},
            {QStringLiteral("registrar"), registrar},
            {QStringLiteral("transport"), transport}};
}

} // namespace

TEST(Settings, AccountsRoundTripThroughTheSettingsFile)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("vphone.ini"));
    ui::ProfileAccount a;
    a.settings.uri = QStringLiteral("sip:alice@example.test");
    a.settings.displayName = QStringLiteral("Alice Smith");
    a.settings.authUser = QStringLiteral("alice7");
    a.settings.password = QStringLiteral("not written");
    a.passwordInKeychain = true;
    a.settings.outboundProxy = QStringLiteral("sip:proxy.example.test;transport=tcp"); // a ';' inside
    a.settings.registrar = QStringLiteral("sip:reg.example.test:5070");
    a.transport = QStringLiteral("tcp");
    a.srtp = QStringLiteral("mandatory");
    a.plan.internationalPrefix = QStringLiteral("00");
    ui::ProfileAccount b;
    b.settings.uri = QStringLiteral("sip:bob@example.org");
    b.settings.password = QStringLiteral("pw;with semicolon");
    b.settings.registerOnStart = false;
    {
        QSettings s(path, QSettings::IniFormat);
        ui::writeProfileAccounts(s, {a, b});
    }
    QSettings s(path, QSettings::IniFormat);
    QStringList errors;
    const ui::ProfileConfig c = ui::loadProfileConfig(s, &errors);
    EXPECT_TRUE(errors.isEmpty()) << errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(c.accounts.size(), 2);
    const ui::ProfileAccount& r = c.accounts[0];
    EXPECT_EQ(r.settings.uri, a.settings.uri);
    EXPECT_EQ(r.settings.displayName, a.settings.displayName);
    EXPECT_EQ(r.settings.authUser, a.settings.authUser);
    EXPECT_TRUE(r.settings.password.isEmpty()); // in the keychain, not in the file
    EXPECT_TRUE(r.passwordInKeychain);
    EXPECT_EQ(r.settings.outboundProxy, a.settings.outboundProxy);
    EXPECT_EQ(r.settings.registrar, a.settings.registrar);
    EXPECT_EQ(r.transport, QStringLiteral("tcp"));
    EXPECT_EQ(r.srtp, QStringLiteral("mandatory"));
    EXPECT_EQ(r.plan.internationalPrefix, QStringLiteral("00"));
    EXPECT_EQ(c.accounts[1].settings.password, b.settings.password);
    EXPECT_FALSE(c.accounts[1].settings.registerOnStart);
    EXPECT_FALSE(c.accounts[1].passwordInKeychain);
    QFile raw(path);
    ASSERT_TRUE(raw.open(QIODevice::ReadOnly));
    EXPECT_FALSE(raw.readAll().contains("not written"));

    // A bad per-account SRTP value is named and ignored.
    s.setValue(QStringLiteral("accounts/1/srtp"), QStringLiteral("sometimes"));
    errors.clear();
    EXPECT_TRUE(ui::loadProfileConfig(s, &errors).accounts[0].srtp.isEmpty());
    EXPECT_EQ(errors, QStringList{QStringLiteral("accounts/1/srtp: must be off, optional or mandatory")});
}

TEST(Settings, PlainWordsForRegistrationStates)
{
    const auto text = [](S state, int code, const char* reason, bool password = true,
                         const char* transport = "") {
        return ui::plainRegistrationStatus(state, code, QString::fromLatin1(reason), password, true,
                                           QString::fromLatin1(transport))
            .text;
    };
    EXPECT_EQ(text(S::Registered, 200, "OK"), QStringLiteral("Registered"));
    EXPECT_EQ(text(S::Failed, 401, "Unauthorized"), QStringLiteral("Wrong user name or password"));
    EXPECT_EQ(text(S::Failed, 407, "Proxy Authentication Required"),
              QStringLiteral("Wrong user name or password"));
    EXPECT_EQ(text(S::Failed, 401, "Unauthorized", false),
              QStringLiteral("The server asks for a password: none is set"));
    EXPECT_EQ(text(S::Failed, 0, "Request Timeout: no response from the registrar"),
              QStringLiteral("Server unreachable (no answer)"));
    EXPECT_EQ(text(S::Failed, 503, "Service Unavailable (transport error: the registrar cannot be reached)"),
              QStringLiteral("Server unreachable (no connection)"));
    EXPECT_EQ(text(S::Failed, 503, "Service Unavailable (transport error: the registrar cannot be reached)",
                   true,
                   "send failed: certificate not trusted: The issuer certificate of a locally looked up "
                   "certificate could not be found"),
              QStringLiteral("Certificate not trusted: the server's identity could not be verified"));
    EXPECT_EQ(text(S::Failed, 404, "Not Found"),
              QStringLiteral("Unknown account: the server does not know this address"));
    EXPECT_EQ(text(S::Failed, 480, "Temporarily Unavailable"),
              QStringLiteral("Registration refused: Temporarily Unavailable (480)"));
    const ui::PlainStatus off = ui::plainRegistrationStatus(S::Unregistered, 0, {}, false, false, {});
    EXPECT_EQ(off.level, QStringLiteral("off"));
    EXPECT_EQ(off.text, QStringLiteral("Registration is off"));
}

TEST(Settings, ValidationErrorsSayWhatIsWrongAndChangeNothing)
{
    Rig rig(5860);
    SettingsController& s = rig.settings;
    const auto refused = [&s](bool ok, const char* expected) {
        EXPECT_FALSE(ok);
        EXPECT_TRUE(s.messageIsError());
        EXPECT_EQ(s.message(), QString::fromUtf8(expected));
    };
    refused(s.saveAccount(-1, account(QStringLiteral("alice at example"), {}, {})),
            "\"alice at example\" is not an address: write it as user@domain, e.g. alice@sip.example.com");
    refused(s.saveAccount(-1, account({}, {}, {})),
            "Enter the account's address, e.g. alice@sip.example.com");
    refused(
        s.saveAccount(-1, account(QStringLiteral("alice@example.test"), {}, QStringLiteral("reg example"))),
        "The registrar \"reg example\" is not a server name or address (e.g. sip.example.com:5060)");
    refused(s.saveAccount(-1, account(QStringLiteral("alice@example.test"), {}, {}, QStringLiteral("sctp"))),
            "The transport must be UDP, TCP or TLS");
    refused(s.setPorts(0, QStringLiteral("13050-13069")), "The SIP port must be a number from 1 to 65535");
    refused(s.setPorts(5860, QStringLiteral("13060-13050")),
            "Media ports \"13060-13050\" are not a range: write FIRST-LAST, e.g. 16384-32767");
    refused(s.setPorts(13052, QStringLiteral("13050-13069")),
            "The SIP port 13052 is inside the media port range 13050-13069");
    refused(s.setSrtp(QStringLiteral("sometimes")),
            "Media encryption (SRTP) must be off, optional or mandatory");
    refused(s.setDevices(QStringLiteral("device:No Such Mic"), QStringLiteral("null"), QStringLiteral("off")),
            "There is no microphone \"device:No Such Mic\"");
    refused(s.moveCodec(0, -1), "That codec cannot move further");
    EXPECT_EQ(s.accounts()->count(), 0);
    EXPECT_EQ(s.sipPort(), 5860);
    EXPECT_EQ(s.srtp(), QStringLiteral("optional"));

    // Good values are written and applied.
    const QStringList before = s.codecs();
    ASSERT_TRUE(s.moveCodec(1, -1));
    EXPECT_EQ(s.codecs().value(0), before.value(1));
    EXPECT_EQ(s.codecs().value(1), before.value(0));
    EXPECT_EQ(QString::fromStdString(rig.controller->config().media.codecs.at(0)), before.value(1));
    ASSERT_TRUE(s.setSrtp(QStringLiteral("mandatory")));
    EXPECT_EQ(rig.controller->config().media.srtp, sdp::SrtpPolicy::Mandatory);
    ASSERT_TRUE(s.setPorts(5861, QStringLiteral("13070-13089")));
    EXPECT_EQ(rig.controller->phone().listenAddresses(), QStringList{QStringLiteral("udp:127.0.0.1:5861")});
    EXPECT_EQ(rig.controller->config().media.rtpPorts.min, 13070);
    EXPECT_EQ(s.message(), QStringLiteral("Saved and applied"));
    QSettings ini(s.iniPath(), QSettings::IniFormat);
    EXPECT_EQ(ini.value(QStringLiteral("media/srtp")).toString(), QStringLiteral("mandatory"));
    EXPECT_EQ(ini.value(QStringLiteral("network/rtpPorts")).toString(), QStringLiteral("13070-13089"));
}

TEST(Settings, AccountsAddedEditedRemovedOnTheRunningPhoneWithPlainStatus)
{
    Rig rig(5862);
    SettingsController& s = rig.settings;
    CodeRegistrar registrar;
    EXPECT_TRUE(s.firstRun());

    // Added: the phone restarts with it and registers.
    ASSERT_TRUE(s.saveAccount(
        -1, account(QStringLiteral("alice@127.0.0.1"), QStringLiteral("secret"), registrar.address())))
        << s.message().toStdString();
    EXPECT_FALSE(s.firstRun());
    ASSERT_EQ(s.accounts()->count(), 1);
    ASSERT_TRUE(waitFor([&] { return s.accounts()->statusText(0) == QLatin1String("Registered"); }))
        << s.accounts()->statusText(0).toStdString();
    EXPECT_EQ(s.accounts()->level(0), QStringLiteral("ok"));
    EXPECT_EQ(rig.controller->phone().accounts().size(), 1);
    EXPECT_EQ(s.account(0).value(QStringLiteral("registrar")).toString(),
              QStringLiteral("sip:") + registrar.address());
    EXPECT_TRUE(s.account(0).value(QStringLiteral("hasPassword")).toBool());
    EXPECT_FALSE(s.account(0).contains(QStringLiteral("password")));

    // The registrar now answers 404, then 403: said in plain words after an edit re-registers.
    registrar.code = 404;
    QVariantMap edit = s.account(0);
    edit[QStringLiteral("displayName")] = QStringLiteral("Alice");
    ASSERT_TRUE(s.saveAccount(0, edit)) << s.message().toStdString();
    ASSERT_TRUE(waitFor([&] { return s.accounts()->level(0) == QLatin1String("error"); }));
    EXPECT_EQ(s.accounts()->statusText(0),
              QStringLiteral("Unknown account: the server does not know this address"));
    EXPECT_EQ(rig.controller->phone().accounts().value(0)->displayName(), QStringLiteral("Alice"));
    registrar.code = 403;
    ASSERT_TRUE(s.saveAccount(0, s.account(0)));
    ASSERT_TRUE(waitFor([&] { return s.accounts()->level(0) == QLatin1String("error"); }));
    EXPECT_EQ(s.accounts()->statusText(0), QStringLiteral("Wrong user name or password"));

    // A second account over TCP to a port where nothing listens: unreachable, said so.
    ASSERT_TRUE(s.saveAccount(-1, account(QStringLiteral("bob@127.0.0.1"), {},
                                          QStringLiteral("127.0.0.1:5863"), QStringLiteral("tcp"))));
    ASSERT_EQ(s.accounts()->count(), 2);
    ASSERT_TRUE(waitFor([&] { return s.accounts()->level(1) == QLatin1String("error"); }))
        << s.accounts()->statusText(1).toStdString() << " / " << rig.controller->lastProblem().toStdString();
    EXPECT_EQ(s.accounts()->statusText(1), QStringLiteral("Server unreachable (no connection)"));
    EXPECT_EQ(rig.controller->phone().accounts().size(), 2);

    // Removed: the phone runs on with the other one.
    ASSERT_TRUE(s.removeAccount(1));
    EXPECT_EQ(s.accounts()->count(), 1);
    EXPECT_EQ(rig.controller->phone().accounts().size(), 1);
    ASSERT_TRUE(s.removeAccount(0));
    EXPECT_EQ(rig.controller->phone().accounts().size(), 0);
    EXPECT_TRUE(rig.controller->phone().running());
    EXPECT_FALSE(s.firstRun()); // an account was added once: no assistant again
}

TEST(Settings, WithoutAKeychainPasswordsStayInTheOwnerOnlyFileWithAWarning)
{
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    QTemporaryDir dir;
    SettingsController s(dir.path()); // the real keychain code: no session bus here
    s.load();
    EXPECT_FALSE(s.keychainAvailable());
    EXPECT_TRUE(s.passwordWarning().startsWith(
        QLatin1String("No system keychain was found, so passwords are stored in")))
        << s.passwordWarning().toStdString();
    ASSERT_TRUE(
        s.saveAccount(-1, account(QStringLiteral("carol@example.test"), QStringLiteral("s3cret"), {})));
    QSettings ini(s.iniPath(), QSettings::IniFormat);
    EXPECT_EQ(ini.value(QStringLiteral("accounts/1/password")).toString(), QStringLiteral("s3cret"));
    EXPECT_FALSE(ini.contains(QStringLiteral("accounts/1/passwordInKeychain")));
    EXPECT_EQ(QFile::permissions(s.iniPath()) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), 0);
    const ui::ProfileConfig c = s.load();
    EXPECT_EQ(c.accounts.value(0).settings.password, QStringLiteral("s3cret"));
    // An edit with an empty password keeps the stored one.
    ASSERT_TRUE(s.saveAccount(0, s.account(0)));
    EXPECT_EQ(s.load().accounts.value(0).settings.password, QStringLiteral("s3cret"));

    // A password said to be in a keychain that cannot be reached: named, not crashed on.
    ini.setValue(QStringLiteral("accounts/1/passwordInKeychain"), true);
    ini.remove(QStringLiteral("accounts/1/password"));
    ini.sync();
    QStringList problems;
    EXPECT_TRUE(s.load(&problems).accounts.value(0).settings.password.isEmpty());
    ASSERT_EQ(problems.size(), 1);
    EXPECT_TRUE(
        problems[0].startsWith(QLatin1String("The password of sip:carol@example.test could not be read")))
        << problems[0].toStdString();
}

TEST(Settings, StartAtLoginWritesAndRemovesTheAutostartEntry)
{
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QTemporaryDir dir;
    SettingsController s(dir.path());
    s.passwordStore().setDisabled(true);
    s.load();
    const QString path = config.filePath(QStringLiteral("autostart/vphone.desktop"));
    EXPECT_EQ(SettingsController::autostartPath(), path);
    EXPECT_FALSE(s.startAtLogin());
    ASSERT_TRUE(s.setStartAtLogin(true)) << s.message().toStdString();
    EXPECT_TRUE(s.startAtLogin());
    QSettings entry(path, QSettings::IniFormat);
    EXPECT_EQ(entry.value(QStringLiteral("Desktop Entry/Type")).toString(), QStringLiteral("Application"));
    EXPECT_TRUE(entry.value(QStringLiteral("Desktop Entry/Exec"))
                    .toString()
                    .endsWith(QStringLiteral("--profile ") + dir.path()));
    ASSERT_TRUE(s.setStartAtLogin(false));
    EXPECT_FALSE(QFile::exists(path));
    EXPECT_FALSE(s.startAtLogin());

    ASSERT_TRUE(s.setCloseToTray(true));
    QSettings ini(s.iniPath(), QSettings::IniFormat);
    EXPECT_TRUE(ini.value(QStringLiteral("ui/closeToTray")).toBool());
    EXPECT_TRUE(s.load().closeToTray);
    EXPECT_TRUE(s.firstRun());
    s.finishAssistant();
    EXPECT_FALSE(s.firstRun());
    EXPECT_TRUE(s.load().assistantDone);
    qunsetenv("XDG_CONFIG_HOME");
}

// Run by tests/app/settings_kamailio.sh with Kamailio on 127.0.0.1:$VPHONE_KAMAILIO_PORT (alice's
// password is alice-secret there); skipped otherwise.
TEST(Settings, ConferenceReferFromAnyoneIsSavedAppliedAtOnceAndAfterARestart)
{
    Rig rig(5862);
    SettingsController& s = rig.settings;
    EXPECT_FALSE(s.conferenceReferFromAnyone());
    EXPECT_FALSE(rig.controller->phone().conferenceReferFromAnyone()) << "members only by default";
    ASSERT_TRUE(s.setConferenceReferFromAnyone(true));
    EXPECT_TRUE(rig.controller->phone().conferenceReferFromAnyone()) << "the running phone";
    EXPECT_TRUE(QSettings(s.iniPath(), QSettings::IniFormat)
                    .value(QStringLiteral("conference/referFromAnyone"))
                    .toBool());
    // Another start of the profile reads it back and gives it to its phone.
    SettingsController again(rig.dir.path());
    again.passwordStore().setDisabled(true);
    const ui::ProfileConfig config = again.load();
    EXPECT_TRUE(config.conferenceReferFromAnyone);
    EXPECT_TRUE(again.conferenceReferFromAnyone());
    ASSERT_TRUE(rig.controller->restart(config)) << rig.controller->lastProblem().toStdString();
    EXPECT_TRUE(rig.controller->phone().conferenceReferFromAnyone()) << "a new phone, the same setting";
    ASSERT_TRUE(s.setConferenceReferFromAnyone(false));
    EXPECT_FALSE(QSettings(s.iniPath(), QSettings::IniFormat)
                     .value(QStringLiteral("conference/referFromAnyone"))
                     .toBool());
}

TEST(SettingsKamailio, WrongPasswordSaidInWordsThenTheRightOneRegisters)
{
    const QByteArray port = qgetenv("VPHONE_KAMAILIO_PORT");
    if (port.isEmpty()) GTEST_SKIP() << "needs Kamailio: run tests/app/settings_kamailio.sh";
    Rig rig(5871);
    SettingsController& s = rig.settings;
    const QString server = QStringLiteral("127.0.0.1:%1").arg(QString::fromLatin1(port));
    ASSERT_TRUE(s.saveAccount(
        -1, account(QStringLiteral("sip:alice@") + server, QStringLiteral("not-the-password"), server)))
        << s.message().toStdString();
    ASSERT_TRUE(waitFor([&] { return s.accounts()->level(0) == QLatin1String("error"); }))
        << s.accounts()->statusText(0).toStdString();
    EXPECT_EQ(s.accounts()->statusText(0), QStringLiteral("Wrong user name or password"));
    QVariantMap edit = s.account(0);
    edit[QStringLiteral("password")] = QStringLiteral("alice-secret");
    ASSERT_TRUE(s.saveAccount(0, edit)) << s.message().toStdString();
    EXPECT_TRUE(waitFor([&] { return s.accounts()->statusText(0) == QLatin1String("Registered"); }))
        << s.accounts()->statusText(0).toStdString();
    EXPECT_EQ(s.accounts()->level(0), QStringLiteral("ok"));
}

// Run by tests/app/settings_keychain.sh with GNOME Keyring (the freedesktop Secret Service) on a
// private D-Bus session bus: the settings model finds the keychain, keeps an account's password
// there and not in vphone.ini, a new model on the same profile reads it back, a password found in
// the file is moved into the keychain, and removing the account removes its entry.
TEST(SettingsKeychain, PasswordsLiveInTheKeychainNotInTheProfile)
{
    if (qEnvironmentVariableIsEmpty("VPHONE_KEYCHAIN_TEST"))
        GTEST_SKIP() << "needs a Secret Service: run tests/app/settings_keychain.sh";
    QTemporaryDir dir;
    const QString uri = QStringLiteral("sip:kate@example.test");
    const QString iniPath = QDir(dir.path()).filePath(QStringLiteral("vphone.ini"));
    const auto iniText = [&] {
        QFile f(iniPath);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
    {
        SettingsController s(dir.path());
        s.load(); // no account needs the keychain yet: it is probed in the background
        ASSERT_TRUE(waitFor([&] { return s.keychainKnown(); }));
        ASSERT_TRUE(s.keychainAvailable()) << s.passwordWarning().toStdString();
        EXPECT_TRUE(s.passwordWarning().isEmpty());
        ASSERT_TRUE(s.saveAccount(
            -1, account(QStringLiteral("kate@example.test"), QStringLiteral("k33p-it-s3cret"), {})))
            << s.message().toStdString();
    }
    EXPECT_FALSE(iniText().contains(QLatin1String("k33p-it-s3cret"))) << iniText().toStdString();
    const ui::PasswordStore store;
    const auto stored = store.read(ui::PasswordStore::keyFor(dir.path(), uri));
    ASSERT_TRUE(stored.ok()) << stored.error.toStdString();
    EXPECT_EQ(stored.secret, QStringLiteral("k33p-it-s3cret"));

    // A new model on the same profile: the account comes with its password, from the keychain.
    {
        SettingsController s(dir.path());
        QStringList problems;
        const ui::ProfileConfig config = s.load(&problems);
        EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
        ASSERT_EQ(config.accounts.size(), 1);
        EXPECT_EQ(config.accounts[0].settings.password, QStringLiteral("k33p-it-s3cret"));
        EXPECT_TRUE(config.accounts[0].passwordInKeychain);
    }

    // A password written into the file by hand (or by a build without a keychain) moves into it.
    {
        QSettings ini(iniPath, QSettings::IniFormat);
        ini.setValue(QStringLiteral("accounts/1/password"), QStringLiteral("n3w-by-hand"));
        ini.remove(QStringLiteral("accounts/1/passwordInKeychain"));
    }
    {
        SettingsController s(dir.path());
        const ui::ProfileConfig config = s.load();
        ASSERT_EQ(config.accounts.size(), 1);
        EXPECT_EQ(config.accounts[0].settings.password, QStringLiteral("n3w-by-hand"));
    }
    EXPECT_FALSE(iniText().contains(QLatin1String("n3w-by-hand"))) << iniText().toStdString();
    EXPECT_EQ(store.read(ui::PasswordStore::keyFor(dir.path(), uri)).secret, QStringLiteral("n3w-by-hand"));

    // Removed with the account.
    {
        SettingsController s(dir.path());
        s.load();
        ASSERT_TRUE(s.removeAccount(0)) << s.message().toStdString();
    }
    EXPECT_EQ(store.read(ui::PasswordStore::keyFor(dir.path(), uri)).outcome,
              ui::PasswordStore::Outcome::NotFound);
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
