// SettingsController: the settings page and the first-run assistant as QML sees them
// (phone.settings) — the profile's accounts (add, edit, remove), codec order, SRTP policy,
// ports, devices, start at login and close to tray, each checked, written to PROFILE/vphone.ini
// and applied to the running phone without restarting the app.
//
// Theory of operation: vphone.ini is the one source of truth. load() reads it into a
// ProfileConfig and fills in the passwords from the system keychain (PasswordStore); a plaintext
// password found in the file moves into the keychain when one answers, else it stays in the file
// (owner-only permissions) and passwordWarning says so. Every setter validates first — a bad
// value changes nothing and `message` says what is wrong in a sentence — then writes the file and
// calls apply(): load() again, the app's command-line overrides on top, PhoneController::restart().
// With a call up the restart waits until no call is left (the message says so). Start at login is
// an XDG autostart entry, $XDG_CONFIG_HOME/autostart/vphone.desktop.
#pragma once

#include "models/account_list_model.h"
#include "models/device_tester.h"
#include "models/password_store.h"
#include "models/profile_config.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QVariantMap>

#include <functional>

namespace vphone::ui {

class PhoneController;

class SettingsController : public QObject {
    Q_OBJECT
    Q_PROPERTY(vphone::ui::AccountListModel* accounts READ accounts CONSTANT)
    Q_PROPERTY(bool firstRun READ firstRun NOTIFY changed)
    Q_PROPERTY(bool keychainAvailable READ keychainAvailable NOTIFY changed)
    Q_PROPERTY(QString passwordWarning READ passwordWarning NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool messageIsError READ messageIsError NOTIFY messageChanged)
    Q_PROPERTY(QStringList codecs READ codecs NOTIFY changed)
    Q_PROPERTY(QString srtp READ srtp NOTIFY changed)
    Q_PROPERTY(int sipPort READ sipPort NOTIFY changed)
    Q_PROPERTY(QString rtpPorts READ rtpPorts NOTIFY changed)
    /// [network] stunServer: "host[:port]" or empty (no STUN).
    Q_PROPERTY(QString stunServer READ stunServer NOTIFY changed)
    Q_PROPERTY(QStringList audioInputs READ audioInputs CONSTANT)
    Q_PROPERTY(QStringList audioOutputs READ audioOutputs CONSTANT)
    Q_PROPERTY(QStringList videoInputs READ videoInputs CONSTANT)
    Q_PROPERTY(QString audioSource READ audioSource NOTIFY changed)
    Q_PROPERTY(QString audioSink READ audioSink NOTIFY changed)
    Q_PROPERTY(QString videoSource READ videoSource NOTIFY changed)
    Q_PROPERTY(bool startAtLogin READ startAtLogin NOTIFY changed)
    /// The devices section's live test (mic level, test tone, camera preview).
    Q_PROPERTY(vphone::ui::DeviceTester* deviceTester READ deviceTester CONSTANT)
    Q_PROPERTY(bool closeToTray READ closeToTray NOTIFY changed)
    Q_PROPERTY(bool conferenceReferFromAnyone READ conferenceReferFromAnyone NOTIFY changed)
public:
    explicit SettingsController(QString profileDir, QObject* parent = nullptr);

    /// The profile's configuration with passwords (migrating plaintext ones to the keychain).
    ProfileConfig load(QStringList* problems = nullptr);
    /// What the command line changes on top of the file (applied after every load()).
    void setOverrides(std::function<void(ProfileConfig&)> overrides) { overrides_ = std::move(overrides); }
    /// The phone the settings apply to (may stay null: then they are only written).
    void setController(PhoneController* controller);
    PasswordStore& passwordStore() { return store_; }
    /// False: firstRun stays false (the app was started to call or with its sockets given).
    void setAssistantAllowed(bool allowed)
    {
        assistantAllowed_ = allowed;
        emit changed();
    }
    QString iniPath() const;
    /// $XDG_CONFIG_HOME/autostart/vphone.desktop (~/.config when unset).
    static QString autostartPath();

    AccountListModel* accounts() { return &accounts_; }
    DeviceTester* deviceTester() { return &deviceTester_; }
    bool firstRun() const;
    bool keychainAvailable() const { return keychainAvailable_; }
    /// True once the keychain has answered (or was found missing): load() may probe it later.
    bool keychainKnown() const { return keychainProbed_; }
    QString passwordWarning() const;
    QString message() const { return message_; }
    bool messageIsError() const { return messageIsError_; }
    QStringList codecs() const;
    QString srtp() const;
    int sipPort() const;
    QString rtpPorts() const;
    QString stunServer() const { return config_.stunServer; }
    QStringList audioInputs() const;
    QStringList audioOutputs() const;
    QStringList videoInputs() const;
    QString audioSource() const { return config_.media.audioSource.c_str(); }
    QString audioSink() const { return config_.media.audioSink.c_str(); }
    QString videoSource() const { return config_.media.videoSource.c_str(); }
    bool startAtLogin() const;
    bool closeToTray() const { return config_.closeToTray; }
    bool conferenceReferFromAnyone() const { return config_.conferenceReferFromAnyone; }

    /// Row `row`'s fields (uri, displayName, authUser, registrar, proxy, transport, srtp,
    /// registerOnStart, hasPassword) for the edit form; never the password.
    Q_INVOKABLE QVariantMap account(int row) const;
    /// Adds (row -1) or changes an account from the form's fields; an empty password on an edit
    /// keeps the stored one. False (message) when a field is wrong.
    Q_INVOKABLE bool saveAccount(int row, const QVariantMap& fields);
    Q_INVOKABLE bool removeAccount(int row);
    /// Moves codec `index` up (delta -1) or down (+1) in the preference order.
    Q_INVOKABLE bool moveCodec(int index, int delta);
    Q_INVOKABLE bool setSrtp(const QString& policy);
    Q_INVOKABLE bool setPorts(int sipPort, const QString& rtpPorts);
    /// The STUN server of direct calls and of accounts without their own ("host[:port]",
    /// port 3478 by default; empty turns STUN off). False (message) for a value without a host
    /// or with a port outside 1-65535.
    Q_INVOKABLE bool setStunServer(const QString& server);
    /// Why `server` is not a STUN server setting, in words; empty when it is one (or empty).
    static QString stunServerError(const QString& server);
    Q_INVOKABLE bool setDevices(const QString& audioSource, const QString& audioSink,
                                const QString& videoSource);
    Q_INVOKABLE bool setStartAtLogin(bool on);
    Q_INVOKABLE bool setCloseToTray(bool on);
    /// [conference] referFromAnyone, applied to the running phone at once.
    Q_INVOKABLE bool setConferenceReferFromAnyone(bool on);
    /// The first-run assistant was skipped ("I'll make direct IP calls") or finished.
    Q_INVOKABLE void finishAssistant();

signals:
    void changed();
    void messageChanged();
    /// The settings reached the running phone (after a restart).
    void applied();

private:
    bool fail(const QString& why);
    void say(const QString& what);
    /// Re-reads the file and restarts the phone (or waits for the calls to end).
    void apply();
    bool storePassword(ProfileAccount& account, const QString& password);
    void probeKeychain();
    void probeKeychainLater();
    void settleKeychainProbe(const PasswordStore::Result& r);

    QString profileDir_;
    PasswordStore store_;
    std::function<void(ProfileConfig&)> overrides_;
    QPointer<PhoneController> controller_;
    AccountListModel accounts_;
    DeviceTester deviceTester_{this};
    ProfileConfig config_; ///< as last loaded (passwords included)
    bool keychainAvailable_ = false;
    bool keychainProbed_ = false;
    bool keychainProbing_ = false; ///< probeKeychainLater's read is under way
    bool pendingApply_ = false;
    bool assistantAllowed_ = true;
    QString message_;
    bool messageIsError_ = false;
};

} // namespace vphone::ui
