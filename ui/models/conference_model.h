// ConferenceModel: the conference this phone hosts, as the QML views see it (the property
// `conference` of PhoneController) — whether one runs, its participants with their names and
// speaking indicators, the composite picture of everyone, and the commands merge, add, remove
// and leave. ConferenceMember is one row of it.
//
// Theory of operation. The facade's ua::Conference (Phone::conference()) does the signalling:
// add() takes a call that is up or held in (a held one is resumed by the same re-INVITE),
// invite() calls someone new into it, remove() and end() hang up. The media follows it in a
// ConferenceMedia (ui/common), made here the first time a conference starts, from the devices
// the phone's MediaSessionProvider uses now (with video when the app has a camera or a test
// pattern); its composite goes to hostView. The rows are the host ("You") first, then the
// members in joining order, then the calls still joining; a timer re-reads the bridge's
// participants() twice a second for the speaking and active-speaker indicators, matching rows
// to calls by URI. PhoneController calls detach() before it replaces or deletes its Phone: the
// bridge goes first, while the calls and the media provider still exist.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QVideoSink>

#include <memory>

namespace vphone::ua {
class Call;
class Conference;
} // namespace vphone::ua

namespace vphone::ui {

class CallItem;
class ConferenceMedia;
class PhoneController;

/// One participant of the hosted conference (the host's own row has host true).
class ConferenceMember : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QString uri READ uri NOTIFY changed)
    Q_PROPERTY(bool host READ host CONSTANT)
    /// Joined (in the bridge) or still being called / merged.
    Q_PROPERTY(bool joined READ joined NOTIFY changed)
    Q_PROPERTY(bool speaking READ speaking NOTIFY changed)
    Q_PROPERTY(bool activeSpeaker READ activeSpeaker NOTIFY changed)
    /// The level heard from this participant (dBFS, -90 for silence).
    Q_PROPERTY(double levelDbfs READ levelDbfs NOTIFY changed)
    /// The member's call (null for the host).
    Q_PROPERTY(vphone::ui::CallItem* callItem READ callItem CONSTANT)
public:
    ConferenceMember(bool host, CallItem* item, QObject* parent);
    QString name() const;
    QString uri() const;
    bool host() const { return host_; }
    bool joined() const { return joined_; }
    bool speaking() const { return speaking_; }
    bool activeSpeaker() const { return activeSpeaker_; }
    double levelDbfs() const { return levelDbfs_; }
    CallItem* callItem() const { return item_; }
    void set(bool joined, bool speaking, bool activeSpeaker, double levelDbfs);

signals:
    void changed();

private:
    bool host_ = false;
    QPointer<CallItem> item_;
    QString uri_; ///< kept after the call item went
    QString name_;
    bool joined_ = true;
    bool speaking_ = false;
    bool activeSpeaker_ = false;
    double levelDbfs_ = -90;
};

/// The hosted conference for the views (PhoneController's `conference`).
class ConferenceModel : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool active READ active NOTIFY activeChanged)
    /// ConferenceMembers: the host first, then members in joining order, then those joining.
    Q_PROPERTY(QList<QObject*> members READ members NOTIFY membersChanged)
    /// Number of calls joined (the host not counted).
    Q_PROPERTY(int memberCount READ memberCount NOTIFY countChanged)
    /// The bridge composes a picture (the app has a camera or a test pattern).
    Q_PROPERTY(bool video READ video NOTIFY activeChanged)
    /// Where the composite grid of everyone goes (a VideoView's sink).
    Q_PROPERTY(QVideoSink* hostView READ hostView WRITE setHostView NOTIFY hostViewChanged)
    /// merge() has something to do: two or more calls up or held, or one beside a conference.
    Q_PROPERTY(bool canMerge READ canMerge NOTIFY canMergeChanged)
public:
    explicit ConferenceModel(PhoneController& controller);
    ~ConferenceModel() override;

    bool active() const;
    QList<QObject*> members() const;
    int memberCount() const;
    bool video() const { return video_; }
    QVideoSink* hostView() const { return hostView_; }
    void setHostView(QVideoSink* view);
    bool canMerge() const;

    /// Every call that is up or held (not yet in it) into the conference; false (the controller's
    /// lastProblem says why) when none could be.
    Q_INVOKABLE bool merge();
    /// Calls what the user typed (a contact's name, a number or an address, resolved as the dial
    /// bar does) into the conference; the calls that are up join it first (a call becomes a
    /// three-way conference).
    Q_INVOKABLE bool addParticipant(const QString& text);
    /// Hangs up one member (a ConferenceMember of members(), not the host).
    Q_INVOKABLE void remove(QObject* member);
    /// Ends the conference: every member is hung up.
    Q_INVOKABLE void leave();

    /// Follows the controller's Phone (again, after a restart).
    void attach();
    /// Stops the bridge and lets go of the Phone's conference (before the Phone goes).
    void detach();

signals:
    void activeChanged();
    void membersChanged();
    void countChanged();
    void hostViewChanged();
    void canMergeChanged();

private:
    ua::Conference* conference() const;
    /// Our calls that are up or held and not in the conference, oldest first.
    QList<ua::Call*> callsOutside() const;
    /// Takes `calls` in; how many the conference accepted.
    int addCalls(const QList<ua::Call*>& calls);
    void ensureMedia();
    void rebuild();
    void refreshSpeaking();
    void logState();

    PhoneController& controller_;
    QPointer<ua::Conference> conference_;
    std::unique_ptr<ConferenceMedia> media_;
    QList<ConferenceMember*> rows_;
    QPointer<QVideoSink> hostView_;
    bool video_ = false;
    bool wasActive_ = false;
    QString loggedState_; ///< the last "conference" log line's members, to log changes only
    int ticks_ = 0;
    QTimer timer_;
};

} // namespace vphone::ui
