#include "models/call_item.h"

#include "models/phone_controller.h"

#include <QJsonObject>
#include <QMetaEnum>
#include <QVideoFrame>

#include <algorithm>

namespace vphone::ui {

CallItem::CallItem(ua::Call* call, PhoneController* controller)
    : QObject(controller), call_(call), controller_(controller)
{
    incoming_ = call->direction() == ua::Call::Direction::Incoming;
    peerUri_ = call->remoteUri();
    contactName_ = controller->contactNameFor(peerUri_);
    connect(call, &ua::Call::stateChanged, this, [this] {
        if (call_ && call_->state() == ua::Call::State::Held) setHeld(true);
        if (call_ && call_->state() == ua::Call::State::Active) setHeld(false);
        emit stateChanged();
    });
    connect(call, &QObject::destroyed, this, &CallItem::stateChanged);
    connect(call, &ua::Call::transferProgress, this, &CallItem::transferMoved);
    connect(call, &ua::Call::conferenceChanged, this, &CallItem::conferenceChanged);
    connect(call, &ua::Call::rosterChanged, this, &CallItem::rosterChanged);
    connect(call, &ua::Call::conferenceAddProgress, this, &CallItem::conferenceAddMoved);
    // Frames reach whichever view is attached now.
    connect(&remoteSink_, &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame& frame) {
        ++remoteFrames_;
        if (remoteView_) remoteView_->setVideoFrame(frame);
    });
    connect(&localSink_, &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame& frame) {
        if (localView_) localView_->setVideoFrame(frame);
    });
}

CallItem::~CallItem() = default;

QString CallItem::state() const
{
    if (!call_) return QStringLiteral("Ended");
    return QString::fromLatin1(
        QMetaEnum::fromType<ua::Call::State>().valueToKey(static_cast<int>(call_->state())));
}

bool CallItem::ringing() const
{
    return call_ && call_->state() == ua::Call::State::Incoming;
}

bool CallItem::active() const
{
    return call_ && (call_->state() == ua::Call::State::Active || call_->state() == ua::Call::State::Held);
}

bool CallItem::ended() const
{
    return !call_ || call_->isEnded();
}

QString CallItem::peerName() const
{
    if (!contactName_.isEmpty()) return contactName_;
    if (call_ && !call_->remoteDisplayName().isEmpty()) return call_->remoteDisplayName();
    QString shown = peerUri_;
    for (const char* scheme : {"sip:", "sips:"}) {
        if (shown.startsWith(QLatin1String(scheme))) shown = shown.mid(static_cast<int>(qstrlen(scheme)));
    }
    return shown.section(QLatin1Char(';'), 0, 0);
}

QString CallItem::reason() const
{
    if (!call_ || !call_->isEnded()) return {};
    // The user agent's words for a call ended by BYE (core/sip/user_agent.cpp), said plainly.
    if (call_->code() == 0 && call_->reason() == QLatin1String("BYE sent")) return tr("You hung up");
    if (call_->code() == 0 && call_->reason() == QLatin1String("BYE received")) return tr("They hung up");
    if (call_->code() == 487) return incoming_ ? tr("Missed") : tr("Cancelled");
    if (call_->code() >= 300) return tr("%1 (%2)").arg(call_->reason()).arg(call_->code());
    return call_->reason();
}

int CallItem::duration() const
{
    return call_ ? call_->duration() : 0;
}

QString CallItem::durationText() const
{
    const int s = duration();
    const QString mmss = QStringLiteral("%1:%2")
                             .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
                             .arg(s % 60, 2, 10, QLatin1Char('0'));
    return s >= 3600 ? QStringLiteral("%1:%2").arg(s / 3600).arg(mmss) : mmss;
}

void CallItem::setRemoteView(QVideoSink* view)
{
    if (remoteView_ == view) return;
    remoteView_ = view;
    if (view && remoteSink_.videoFrame().isValid()) view->setVideoFrame(remoteSink_.videoFrame());
    emit viewsChanged();
}

void CallItem::setLocalView(QVideoSink* view)
{
    if (localView_ == view) return;
    localView_ = view;
    if (view && localSink_.videoFrame().isValid()) view->setVideoFrame(localSink_.videoFrame());
    emit viewsChanged();
}

void CallItem::answer(bool withVideo)
{
    controller_->answerCall(this, withVideo);
}

void CallItem::decline()
{
    if (!call_) return;
    controller_->markDeclined(this);
    call_->reject(603);
}

void CallItem::hangUp()
{
    if (call_) call_->hangUp();
}

void CallItem::toggleHold()
{
    if (!call_) return;
    if (held_)
        controller_->resumeCall(this); // the other call that is up goes on hold
    else
        call_->hold();
}

void CallItem::toggleMute()
{
    controller_->setCallMuted(this, !muted_);
}

void CallItem::toggleVideo()
{
    controller_->setCallVideo(this, !video_);
}

void CallItem::toggleRecording()
{
    controller_->setCallRecording(this, recordingFile_.isEmpty());
}

void CallItem::setRecordingFile(const QString& file)
{
    if (recordingFile_ == file) return;
    recordingFile_ = file;
    emit recordingChanged();
}

void CallItem::sendDtmf(const QString& digits)
{
    controller_->sendDtmf(this, digits);
}

bool CallItem::setAudioInput(const QString& spec)
{
    const bool ok = controller_->setCallAudioDevice(this, true, spec);
    if (ok) emit devicesChanged();
    return ok;
}

bool CallItem::setAudioOutput(const QString& spec)
{
    const bool ok = controller_->setCallAudioDevice(this, false, spec);
    if (ok) emit devicesChanged();
    return ok;
}

QString CallItem::audioInput() const
{
    return controller_->callAudioDevice(this, true);
}

QString CallItem::audioOutput() const
{
    return controller_->callAudioDevice(this, false);
}

void CallItem::setVideo(bool on)
{
    if (video_ == on) return;
    video_ = on;
    emit videoChanged();
}

void CallItem::setHeld(bool held)
{
    if (held_ == held) return;
    held_ = held;
    emit heldChanged();
}

void CallItem::setRemoteHeld(bool held)
{
    if (remoteHeld_ == held) return;
    remoteHeld_ = held;
    emit heldChanged();
}

void CallItem::setMutedState(bool muted)
{
    if (muted_ == muted) return;
    muted_ = muted;
    emit mutedChanged();
}

namespace {

QString suiteOf(const QJsonObject& s)
{
    const QJsonValue srtp = s.value(QLatin1String("srtp"));
    return srtp.isObject() ? srtp.toObject().value(QLatin1String("suite")).toString() : QString();
}

} // namespace

QVariantList CallItem::details() const
{
    QVariantList out;
    const auto row = [&out](const QString& label, const QString& value, bool header = false) {
        out.append(QVariantMap{{QStringLiteral("label"), label},
                               {QStringLiteral("value"), value},
                               {QStringLiteral("header"), header}});
    };
    for (const auto& value : stats_) {
        const QJsonObject s = value.toObject();
        const QString codec = s.value(QLatin1String("codec")).toString().toUpper();
        if (codec.isEmpty()) continue;
        const bool isVideo = s.value(QLatin1String("type")).toString() == QLatin1String("video");
        const auto number = [&s](const char* key) { return s.value(QLatin1String(key)).toDouble(); };
        const auto has = [&s](const char* key) { return s.value(QLatin1String(key)).isDouble(); };
        row(isVideo ? tr("Video") : tr("Audio"), s.value(QLatin1String("direction")).toString(), true);
        row(tr("Codec"), codec);
        if (isVideo) {
            if (number("width") > 0)
                row(tr("Resolution"), QStringLiteral("%1×%2").arg(number("width")).arg(number("height")));
            if (has("fps_sent") || has("fps_received"))
                row(tr("Frame rate"), tr("%1 sent, %2 received (fps)")
                                          .arg(number("fps_sent"), 0, 'f', 0)
                                          .arg(number("fps_received"), 0, 'f', 0));
            if (has("bitrate_kbps") || has("bitrate_received_kbps"))
                row(tr("Bitrate"), tr("%1 sent, %2 received (kbit/s)")
                                       .arg(qRound(number("bitrate_kbps")))
                                       .arg(qRound(number("bitrate_received_kbps"))));
            row(tr("Recovery"), tr("%1 keyframes, %2 PLI, %3 FIR, %4 NACK")
                                    .arg(number("keyframes"))
                                    .arg(number("pli"))
                                    .arg(number("fir"))
                                    .arg(number("nack")));
        }
        row(tr("Packets"), tr("%1 sent, %2 received, %3 lost")
                               .arg(number("packets_sent"))
                               .arg(number("packets_received"))
                               .arg(std::max(0.0, number("lost"))));
        if (!isVideo)
            row(tr("Jitter"), tr("%1 ms (buffer %2 ms)")
                                  .arg(number("jitter_ms"), 0, 'f', 1)
                                  .arg(qRound(number("jitter_buffer_ms"))));
        if (has("rtt_ms")) row(tr("Round trip"), tr("%1 ms").arg(number("rtt_ms"), 0, 'f', 1));
        const QJsonValue srtp = s.value(QLatin1String("srtp"));
        row(tr("Encryption"),
            srtp.isObject() ? tr("SRTP %1 (%2 keys)")
                                  .arg(srtp.toObject().value(QLatin1String("suite")).toString(),
                                       srtp.toObject().value(QLatin1String("keying")).toString().toUpper())
                            : tr("none: RTP in the clear"));
    }
    return out;
}

bool CallItem::transferring() const
{
    const auto s = call_ ? call_->transferState() : ua::Call::TransferState::None;
    return s == ua::Call::TransferState::Trying || s == ua::Call::TransferState::Accepted;
}

bool CallItem::transfer(const QString& text)
{
    if (!call_ || !active()) return false;
    const DialTarget target = controller_->dialTarget(text);
    transferText_ = tr("Transferring…"); // the facade's progress (transferMoved) may follow at once
    const bool ok = target.ok() && call_->transfer(target.uri);
    controller_->log({{QStringLiteral("event"), QStringLiteral("transfer")},
                      {QStringLiteral("input"), text},
                      {QStringLiteral("uri"), target.uri},
                      {QStringLiteral("ok"), ok}});
    if (!ok && !(call_ && call_->transferState() == ua::Call::TransferState::Failed))
        transferText_ = tr("Transfer failed: %1").arg(target.ok() ? tr("not sent") : target.error);
    emit transferChanged();
    return ok;
}

bool CallItem::transferTo(CallItem* other)
{
    if (!call_ || !active() || !other || other == this || !other->call()) return false;
    transferText_ = tr("Transferring to %1…").arg(other->peerName());
    const bool ok = call_->transferTo(other->call());
    controller_->log({{QStringLiteral("event"), QStringLiteral("transfer")},
                      {QStringLiteral("to_call"), other->peerUri()},
                      {QStringLiteral("ok"), ok}});
    if (!ok && !(call_ && call_->transferState() == ua::Call::TransferState::Failed))
        transferText_ = tr("Transfer failed: not sent");
    emit transferChanged();
    return ok;
}

void CallItem::transferMoved(int code, const QString& reason)
{
    const ua::Call::TransferState state = call_ ? call_->transferState() : ua::Call::TransferState::Failed;
    const QString status = code > 0 ? QStringLiteral("%1 %2").arg(code).arg(reason) : reason;
    switch (state) {
    case ua::Call::TransferState::Done: transferText_ = tr("Transferred"); break;
    case ua::Call::TransferState::Failed: transferText_ = tr("Transfer failed: %1").arg(status); break;
    default: transferText_ = tr("Transferring… %1").arg(status); break;
    }
    controller_->log({{QStringLiteral("event"), QStringLiteral("transfer_progress")},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("state"),
                       QString::fromLatin1(QMetaEnum::fromType<ua::Call::TransferState>().valueToKey(
                           static_cast<int>(state)))},
                      {QStringLiteral("text"), transferText_}});
    emit transferChanged();
}

bool CallItem::addToConference(const QString& text)
{
    if (!call_ || !active()) return false;
    const DialTarget target = controller_->dialTarget(text);
    const bool ok = target.ok() && call_->addToConference(target.uri);
    controller_->log({{QStringLiteral("event"), QStringLiteral("conference_add")},
                      {QStringLiteral("input"), text},
                      {QStringLiteral("uri"), target.uri},
                      {QStringLiteral("ok"), ok}});
    if (ok) {
        conferenceAddText_ = tr("Adding %1…").arg(target.uri);
    } else {
        conferenceAddText_ = tr("Add failed: %1").arg(target.ok() ? tr("not sent") : target.error);
    }
    emit conferenceAddChanged();
    return ok;
}

void CallItem::conferenceAddMoved(int code, const QString& reason)
{
    const auto state = call_ ? call_->conferenceAddState() : ua::Call::TransferState::Failed;
    const QString status = code > 0 ? QStringLiteral("%1 %2").arg(code).arg(reason) : reason;
    switch (state) {
    case ua::Call::TransferState::Done: conferenceAddText_ = tr("Added to the conference"); break;
    case ua::Call::TransferState::Failed: conferenceAddText_ = tr("Add failed: %1").arg(status); break;
    default: conferenceAddText_ = tr("Adding… %1").arg(status); break;
    }
    emit conferenceAddChanged();
}

void CallItem::refresh()
{
    remoteFramesSeen_ = remoteFrames_ != lastRemoteFrames_;
    lastRemoteFrames_ = remoteFrames_;
    stats_ = call_ && !call_->isEnded() ? controller_->media().stats(call_) : QJsonArray();
    QString audio;
    QString video;
    double worstLoss = 0;
    double worstJitter = 0;
    double rtt = -1;
    QString suite;
    for (const auto& value : stats_) {
        const QJsonObject s = value.toObject();
        const QString codec = s.value(QLatin1String("codec")).toString().toUpper();
        if (codec.isEmpty()) continue; // not flowing yet
        const bool isVideo = s.value(QLatin1String("type")).toString() == QLatin1String("video");
        const double received = s.value(QLatin1String("packets_received")).toDouble();
        const double lost = std::max(0.0, s.value(QLatin1String("lost")).toDouble());
        worstLoss = std::max(worstLoss, received + lost > 0 ? 100.0 * lost / (received + lost) : 0.0);
        if (!isVideo) worstJitter = std::max(worstJitter, s.value(QLatin1String("jitter_ms")).toDouble());
        if (s.value(QLatin1String("rtt_ms")).isDouble())
            rtt = std::max(rtt, s.value(QLatin1String("rtt_ms")).toDouble());
        if (suite.isEmpty()) suite = suiteOf(s);
        if (isVideo) {
            const int w = s.value(QLatin1String("width")).toInt();
            const int h = s.value(QLatin1String("height")).toInt();
            video = codec;
            if (w > 0 && h > 0) video += QStringLiteral(" %1x%2").arg(w).arg(h);
            video += tr(" %1 kbit/s").arg(qRound(s.value(QLatin1String("bitrate_received_kbps")).toDouble()));
        } else {
            audio = codec;
        }
    }
    QStringList parts;
    if (!audio.isEmpty() || !video.isEmpty()) {
        if (!audio.isEmpty()) parts << audio;
        parts << tr("loss %1 %").arg(worstLoss, 0, 'f', 1) << tr("jitter %1 ms").arg(qRound(worstJitter));
        if (rtt >= 0) parts << tr("RTT %1 ms").arg(qRound(rtt));
        if (!video.isEmpty()) parts << video;
        parts << (suite.isEmpty() ? tr("not encrypted") : tr("SRTP %1").arg(suite));
        quality_ = worstLoss > 5 || worstJitter > 60 || rtt > 400   ? QStringLiteral("poor")
                   : worstLoss > 1 || worstJitter > 30 || rtt > 200 ? QStringLiteral("fair")
                                                                    : QStringLiteral("good");
    } else {
        quality_.clear();
    }
    qualityText_ = parts.join(QStringLiteral(" · "));
    emit tick();
}

} // namespace vphone::ui
