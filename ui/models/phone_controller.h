// PhoneController: what the desktop app's QML binds to — one ua::Phone with real media
// (ui/common's MediaSessionProvider), the accounts of the profile, the calls as CallItems, and
// the dial bar's commands. No SIP or SDP here: URIs come from normaliseDialTarget(), everything
// else is the facade's.
//
// Theory of operation: the app fills a ProfileConfig (profile_config.h) and calls start(),
// which adds the accounts, opens the sockets and registers. Each call gets a CallItem the
// moment its media session is made (the provider's per-call hook: the views' video sinks and
// whether it starts with video are decided there) or when the Phone reports it. A one-second
// timer refreshes durations and quality figures. Every state change can be written as a JSON
// line to a log file (--log), which the end-to-end test reads.
#pragma once

#include "common/media_session_provider.h"
#include "models/call_item.h"
#include "models/conference_model.h"
#include "models/data_models.h"
#include "models/presence_watch.h"
#include "models/profile_config.h"
#include "ua/phone.h"

#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace vphone::ui {

/// The app's phone, as QML sees it (context property "phone").
class PhoneController : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString accountStatus READ accountStatus NOTIFY accountStatusChanged)
    Q_PROPERTY(QString accountLevel READ accountLevel NOTIFY accountStatusChanged)
    Q_PROPERTY(QList<QObject*> calls READ calls NOTIFY callsChanged)
    Q_PROPERTY(vphone::ui::CallItem* currentCall READ currentCall NOTIFY currentCallChanged)
    Q_PROPERTY(vphone::ui::CallItem* incomingCall READ incomingCall NOTIFY incomingCallChanged)
    Q_PROPERTY(QString lastProblem READ lastProblem NOTIFY lastProblemChanged)
    Q_PROPERTY(vphone::ui::HistoryModel* history READ history CONSTANT)
    Q_PROPERTY(vphone::ui::ContactListModel* contacts READ contacts CONSTANT)
    Q_PROPERTY(vphone::ui::ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(vphone::ui::MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(bool hasDatabase READ hasDatabase CONSTANT)
    /// Own status, contacts' presence and busy lamps, voicemail (presence_watch.h).
    Q_PROPERTY(vphone::ui::PresenceWatch* presence READ presence CONSTANT)
    /// The settings page's model (SettingsController), null when the app installs none.
    Q_PROPERTY(QObject* settings READ settings NOTIFY settingsChanged)
    /// The conference this phone hosts (conference_model.h): merge, add, remove, leave.
    Q_PROPERTY(vphone::ui::ConferenceModel* conference READ conference CONSTANT)
public:
    explicit PhoneController(ProfileConfig config, QObject* parent = nullptr);
    ~PhoneController() override;

    /// Adds the accounts, opens the sockets, registers. False (lastProblem() says why) on failure.
    bool start();
    /// Replaces the running phone by one made from `config` (accounts, sockets, media), when no
    /// call is up; false (lastProblem() says why) otherwise or when it does not start.
    bool restart(ProfileConfig config);
    /// A call that has not ended (ringing, dialling, connected or held).
    bool hasLiveCall() const;
    const ProfileConfig& config() const { return config_; }
    QObject* settings() const { return settings_; }
    void setSettings(QObject* settings);
    /// Writes JSON lines of every state change to `path` (truncated first).
    bool openLog(const QString& path);
    /// A line for the log ({"event":...} plus a time stamp).
    void log(QJsonObject entry);

    /// "Registered as sip:alice@example.test", "Direct IP calls on udp:0.0.0.0:5060", "Registration failed:
    /// ...".
    QString accountStatus() const;
    /// "ok", "busy", "error": the status dot's colour.
    QString accountLevel() const;
    QList<QObject*> calls() const;
    /// The call the call view shows: the newest one not ended (else none).
    CallItem* currentCall() const;
    /// The newest incoming call still ringing.
    CallItem* incomingCall() const;
    QString lastProblem() const { return lastProblem_; }

    // --- Stored data (PROFILE/vphone.db) ---
    HistoryModel* history() { return &history_; }
    ContactListModel* contacts() { return &contacts_; }
    ConversationListModel* conversations() { return &conversations_; }
    MessageListModel* messages() { return &messages_; }
    /// False when the profile has no directory or its database could not be opened.
    bool hasDatabase() const { return db_ != nullptr; }
    contacts::Database* database() { return db_.get(); }
    PresenceWatch* presence() const { return presence_; }
    /// The name of the contact owning `uri` (SIP address, or number in the user part), else empty.
    Q_INVOKABLE QString contactNameFor(const QString& uri) const;
    /// Sends a text message to `peer` (what the user typed: a URI or number) and stores it.
    Q_INVOKABLE bool sendMessage(const QString& peer, const QString& text);
    /// Shows the conversation with `peerUri` in messages() and marks it read (an empty `peerUri`
    /// closes it: later messages stay unread).
    Q_INVOKABLE void openConversation(const QString& peerUri, const QString& accountUri = {});
    /// Calls the peer of history row `row` (audio only).
    Q_INVOKABLE bool callBack(int row);

    /// Dial bar completion (dial_completion.h): [{label, detail, target}] for what is typed.
    Q_INVOKABLE QVariantList dialSuggestions(const QString& typed) const;
    /// Calls what the user typed or a URI handed over; false (lastProblem()) when it cannot.
    Q_INVOKABLE bool dial(const QString& text, bool video);
    /// Answers the ringing call (audio only or with video).
    Q_INVOKABLE void answer(bool video);
    /// Hangs up the current call, or declines the ringing one.
    Q_INVOKABLE void hangUp();
    Q_INVOKABLE void toggleMute();
    /// Shows `item` in the call view (a click in the call list) while it has not ended.
    Q_INVOKABLE void showCall(vphone::ui::CallItem* item);

    ConferenceModel* conference() const { return conference_; }
    /// What the user typed as the URI to call, resolved as dial() does (the first account's plan).
    DialTarget dialTarget(const QString& text) const;
    /// Whether the next outgoing call starts with video (ConferenceModel::addParticipant).
    void setNextCallVideo(bool on) { nextCallVideo_ = on; }

    ua::Phone& phone() { return *phone_; }
    MediaSessionProvider& media() { return *media_; }
    CallItem* itemFor(ua::Call* call);

    // For CallItem.
    /// Answers `item`; a call of ours that is up goes on hold first (call waiting: hold and answer).
    void answerCall(CallItem* item, bool video);
    /// Takes `item` off hold; the call that is up goes on hold first (switching between calls).
    void resumeCall(CallItem* item);
    void setCallVideo(CallItem* item, bool on);
    void setCallMuted(CallItem* item, bool muted);
    /// Switches the call's microphone (input) or speaker to `spec` for this call only.
    bool setCallAudioDevice(CallItem* item, bool input, const QString& spec);
    /// The call's microphone or speaker spec now (the profile's before its media starts).
    QString callAudioDevice(const CallItem* item, bool input) const;
    /// Starts recording `item` into PROFILE/recordings ("2026-11-28 14-05-09 bob.wav"), or stops.
    bool setCallRecording(CallItem* item, bool on);
    void sendDtmf(CallItem* item, const QString& digits);
    /// The user declined `item` (history says Rejected).
    void markDeclined(CallItem* item) { declined_.insert(item); }

signals:
    void accountStatusChanged();
    void callsChanged();
    void currentCallChanged();
    void incomingCallChanged();
    void lastProblemChanged();
    /// Something happened the window should come forward for (an incoming call, a hand-off).
    void raiseRequested();
    /// A text message arrived and was stored; `read` when its conversation is open in the view.
    void messageArrived(const QString& peerUri, const QString& peerName, const QString& text, bool read);
    void settingsChanged();
    /// restart() replaced the phone: phone().accounts() are new objects.
    void restarted();

private:
    void connectPhone();
    void configureCall(const ua::Call& call, media::MediaConfig& config);
    void track(CallItem* item);
    void setProblem(const QString& what);
    void secondTick();
    DialPlan planFor(const ua::Account* account) const;
    void openDatabase();
    void recordCall(CallItem* item);
    /// Puts every call that is up, other than `except`, on hold (one call talks at a time).
    void holdOthers(CallItem* except);
    void watchThread(ua::MessageThread* thread);
    QString accountUriOf(const ua::MessageThread* thread) const;

    ProfileConfig config_;
    std::unique_ptr<MediaSessionProvider> media_; // declared first: outlives the Phone
    std::unique_ptr<ua::Phone> phone_;
    QList<CallItem*> items_;
    PresenceWatch* presence_ = nullptr;     ///< child; made last in the constructor
    ConferenceModel* conference_ = nullptr; ///< child; detached before the Phone goes
    QPointer<CallItem> shown_; ///< picked in the call list, or the newest call dialled or answered
    bool nextCallVideo_ = false;
    QPointer<ua::Call> answering_;
    bool answeringVideo_ = false;
    QString lastProblem_;
    QTimer timer_;
    /// STUN servers of the profile ("host:port") and the IP literal each resolved to (media
    /// sockets need one); filled by start(), read by configureCall().
    QHash<QString, QString> stunAddresses_;
    void resolveStunServer(const QString& server);
    std::unique_ptr<QFile> log_;
    std::unique_ptr<contacts::Database> db_;
    HistoryModel history_;
    ContactListModel contacts_;
    ConversationListModel conversations_;
    MessageListModel messages_;
    QSet<CallItem*> recorded_;
    QHash<ua::MessageThread*, QHash<int, qint64>> sentIds_; ///< thread row -> stored message id
    QSet<ua::MessageThread*> watched_;
    QSet<CallItem*> declined_; ///< incoming calls the user declined (Rejected, not Missed)
    bool messagesOpen_ = false;
    QPointer<QObject> settings_;
};

} // namespace vphone::ui
