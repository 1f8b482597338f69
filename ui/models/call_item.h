// CallItem: one call as the QML call view sees it — the facade's ua::Call plus what the view
// needs around it: mute and camera state, the quality figures of the last second, and the
// remote and self views' frames.
//
// Theory of operation: PhoneController makes one CallItem per ua::Call (when the call's media
// session is made, or when the Phone reports the call) and keeps it until the call is removed.
// The media engine writes the call's frames into two QVideoSinks owned here (remote: the
// decoder's output; local: a copy of every frame our camera or test pattern captures); a QML
// VideoOutput's own sink is handed in through remoteView/localView and gets each frame
// forwarded, so the view can come and go while the call runs. refresh() (each second, from
// the controller) re-reads the call's duration and its media statistics.
#pragma once

#include "ua/call.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantList>
#include <QVideoSink>

namespace vphone::ui {

class PhoneController;

/// One call of the phone for the views.
class CallItem : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool incoming READ incoming CONSTANT)
    Q_PROPERTY(bool ringing READ ringing NOTIFY stateChanged)
    Q_PROPERTY(bool active READ active NOTIFY stateChanged)
    Q_PROPERTY(bool ended READ ended NOTIFY stateChanged)
    Q_PROPERTY(bool held READ held NOTIFY heldChanged)
    Q_PROPERTY(bool remoteHeld READ remoteHeld NOTIFY heldChanged)
    Q_PROPERTY(QString peerName READ peerName CONSTANT)
    Q_PROPERTY(QString peerUri READ peerUri CONSTANT)
    Q_PROPERTY(QString reason READ reason NOTIFY stateChanged)
    Q_PROPERTY(int duration READ duration NOTIFY tick)
    Q_PROPERTY(QString durationText READ durationText NOTIFY tick)
    Q_PROPERTY(bool muted READ muted NOTIFY mutedChanged)
    Q_PROPERTY(bool video READ video NOTIFY videoChanged)
    Q_PROPERTY(bool remoteVideoShown READ remoteVideoShown NOTIFY tick)
    Q_PROPERTY(QString quality READ quality NOTIFY tick)
    Q_PROPERTY(QString qualityText READ qualityText NOTIFY tick)
    /// Being recorded (both directions mixed) into recordingFile.
    Q_PROPERTY(bool recording READ recording NOTIFY recordingChanged)
    Q_PROPERTY(QString recordingFile READ recordingFile NOTIFY recordingChanged)
    /// The details panel: [{label, value, header}] per stream (codec, resolution, frame rates,
    /// bitrates, packets, loss, jitter, RTT, SRTP suite and keying), from the last statistics.
    Q_PROPERTY(QVariantList details READ details NOTIFY tick)
    /// The call's microphone and speaker specs ("device:NAME"...; the settings' until switched).
    Q_PROPERTY(QString audioInput READ audioInput NOTIFY devicesChanged)
    Q_PROPERTY(QString audioOutput READ audioOutput NOTIFY devicesChanged)
    /// Our transfer of this call in words: "Transferring… 180 Ringing", "Transferred", "Transfer
    /// failed: 486 Busy Here"; empty when none was asked for.
    Q_PROPERTY(QString transferText READ transferText NOTIFY transferChanged)
    /// A transfer is under way (REFER sent, not yet done or failed).
    Q_PROPERTY(bool transferring READ transferring NOTIFY transferChanged)
    /// The far end hosts a conference this call is in (its Contact said isfocus, RFC 4579).
    Q_PROPERTY(bool conference READ conference NOTIFY conferenceChanged)
    /// That conference's users as its focus reports them: [{uri, name, status, media}].
    Q_PROPERTY(QVariantList roster READ roster NOTIFY rosterChanged)
    /// Our last addToConference() in words ("Adding… 180 Ringing", "Added", "Add failed: 486
    /// Busy Here"); empty when none was asked for.
    Q_PROPERTY(QString conferenceAddText READ conferenceAddText NOTIFY conferenceAddChanged)
    Q_PROPERTY(QVideoSink* remoteView READ remoteView WRITE setRemoteView NOTIFY viewsChanged)
    Q_PROPERTY(QVideoSink* localView READ localView WRITE setLocalView NOTIFY viewsChanged)
public:
    CallItem(ua::Call* call, PhoneController* controller);
    ~CallItem() override;

    ua::Call* call() const { return call_; }
    /// "Calling", "Ringing", "Incoming", "Active", "Held", "Ended"... (ua::Call::State's name).
    QString state() const;
    bool incoming() const { return incoming_; }
    bool ringing() const;
    bool active() const;
    bool ended() const;
    bool held() const { return held_; }
    /// The other side put us on hold.
    bool remoteHeld() const { return remoteHeld_; }
    QString peerName() const;
    QString peerUri() const { return peerUri_; }
    /// What ended the call, in plain words ("Busy (486)"); empty while it runs.
    QString reason() const;
    int duration() const;
    QString durationText() const;
    bool muted() const { return muted_; }
    bool video() const { return video_; }
    bool remoteVideoShown() const { return remoteFrames_ > 0 && remoteFramesSeen_; }
    /// "good", "fair", "poor" or "" (no figures yet): colours the quality dot.
    QString quality() const { return quality_; }
    /// "Opus · loss 0.0 % · jitter 2 ms · RTT 1 ms · H264 640x360 412 kbit/s · SRTP AES_CM_128_HMAC_SHA1_80"
    QString qualityText() const { return qualityText_; }
    /// The media statistics last read (as MediaSessionProvider::stats()).
    QJsonArray stats() const { return stats_; }
    QVariantList details() const;
    bool recording() const { return !recordingFile_.isEmpty(); }
    QString recordingFile() const { return recordingFile_; }
    /// Set by PhoneController when a recording starts (the file) or stops (empty).
    void setRecordingFile(const QString& file);

    QVideoSink* remoteView() const { return remoteView_; }
    void setRemoteView(QVideoSink* view);
    QVideoSink* localView() const { return localView_; }
    void setLocalView(QVideoSink* view);
    /// Where the engine writes the call's frames (owned here).
    QVideoSink* remoteFrames() { return &remoteSink_; }
    QVideoSink* localFrames() { return &localSink_; }

    Q_INVOKABLE void answer(bool withVideo);
    Q_INVOKABLE void decline();
    Q_INVOKABLE void hangUp();
    Q_INVOKABLE void toggleHold();
    Q_INVOKABLE void toggleMute();
    Q_INVOKABLE void toggleVideo();
    /// Starts or stops recording the call.
    Q_INVOKABLE void toggleRecording();
    Q_INVOKABLE void sendDtmf(const QString& digits);
    /// Blind transfer (REFER) of the peer to what the user typed (name, number or address, as
    /// the dial bar resolves it); false (the phone's lastProblem says why) when it cannot start.
    Q_INVOKABLE bool transfer(const QString& text);
    /// Attended transfer: the peer is connected to `other`'s peer (REFER with Replaces).
    Q_INVOKABLE bool transferTo(vphone::ui::CallItem* other);
    QString transferText() const { return transferText_; }
    bool transferring() const;
    bool conference() const { return call_ && call_->isConference(); }
    QVariantList roster() const { return call_ ? call_->roster() : QVariantList{}; }
    /// Asks the conference's focus to call in what the user typed (REFER, RFC 4579 §5.5; the
    /// dial bar's resolution); this call stays. False (lastProblem says why) when not sent.
    Q_INVOKABLE bool addToConference(const QString& text);
    QString conferenceAddText() const { return conferenceAddText_; }
    /// Switches this call's microphone / speaker (a spec from the settings' lists) without a
    /// re-INVITE; the settings keep their default. False (and the phone's problem) when it fails.
    Q_INVOKABLE bool setAudioInput(const QString& spec);
    Q_INVOKABLE bool setAudioOutput(const QString& spec);
    QString audioInput() const;
    QString audioOutput() const;

    /// Re-reads duration and statistics (the controller's one-second timer).
    void refresh();
    /// The controller's word on the call's video after answer/offer and setVideo().
    void setVideo(bool on);
    void setHeld(bool held);
    void setRemoteHeld(bool held);
    void setMutedState(bool muted);

signals:
    void stateChanged();
    void heldChanged();
    void mutedChanged();
    void recordingChanged();
    void videoChanged();
    void viewsChanged();
    void devicesChanged();
    void transferChanged();
    void conferenceChanged();
    void rosterChanged();
    void conferenceAddChanged();
    void tick();

private:
    QPointer<ua::Call> call_;
    PhoneController* controller_;
    bool incoming_ = false;
    QString peerUri_;
    QString contactName_; ///< the address book's name for the peer, if it is a contact
    bool held_ = false;
    bool remoteHeld_ = false;
    bool muted_ = false;
    bool video_ = false;
    QJsonArray stats_;
    QString recordingFile_;
    QString transferText_;
    void transferMoved(int code, const QString& reason);
    QString conferenceAddText_;
    void conferenceAddMoved(int code, const QString& reason);
    QString quality_;
    QString qualityText_;
    QVideoSink remoteSink_;
    QVideoSink localSink_;
    QPointer<QVideoSink> remoteView_;
    QPointer<QVideoSink> localView_;
    quint64 remoteFrames_ = 0;
    quint64 lastRemoteFrames_ = 0;
    bool remoteFramesSeen_ = false; ///< a frame came within the last second
};

} // namespace vphone::ui
