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
#include "models/profile_config.h"
#include "ua/phone.h"

#include <QFile>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
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
public:
    explicit PhoneController(ProfileConfig config, QObject* parent = nullptr);
    ~PhoneController() override;

    /// Adds the accounts, opens the sockets, registers. False (lastProblem() says why) on failure.
    bool start();
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

    /// Calls what the user typed or a URI handed over; false (lastProblem()) when it cannot.
    Q_INVOKABLE bool dial(const QString& text, bool video);
    /// Answers the ringing call (audio only or with video).
    Q_INVOKABLE void answer(bool video);
    /// Hangs up the current call, or declines the ringing one.
    Q_INVOKABLE void hangUp();
    Q_INVOKABLE void toggleMute();
    /// Shows `item` in the call view (a click in the call list) while it has not ended.
    Q_INVOKABLE void showCall(vphone::ui::CallItem* item);

    ua::Phone& phone() { return *phone_; }
    MediaSessionProvider& media() { return *media_; }
    CallItem* itemFor(ua::Call* call);

    // For CallItem.
    void answerCall(CallItem* item, bool video);
    void setCallVideo(CallItem* item, bool on);
    void setCallMuted(CallItem* item, bool muted);
    void sendDtmf(CallItem* item, const QString& digits);

signals:
    void accountStatusChanged();
    void callsChanged();
    void currentCallChanged();
    void incomingCallChanged();
    void lastProblemChanged();
    /// Something happened the window should come forward for (an incoming call, a hand-off).
    void raiseRequested();

private:
    void configureCall(const ua::Call& call, media::MediaConfig& config);
    void track(CallItem* item);
    void setProblem(const QString& what);
    void secondTick();
    DialPlan planFor(const ua::Account* account) const;

    ProfileConfig config_;
    std::unique_ptr<MediaSessionProvider> media_; // declared first: outlives the Phone
    std::unique_ptr<ua::Phone> phone_;
    QList<CallItem*> items_;
    QPointer<CallItem> shown_; ///< picked in the call list, or the newest call dialled or answered
    bool nextCallVideo_ = false;
    QPointer<ua::Call> answering_;
    bool answeringVideo_ = false;
    QString lastProblem_;
    QTimer timer_;
    std::unique_ptr<QFile> log_;
};

} // namespace vphone::ui
