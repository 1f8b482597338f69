// PhoneController's controls of calls (see phone_controller.h): answer, hang up, hold-and-answer
// and switching between calls (one talks at a time), recording, camera, mute, microphone/speaker
// switches and DTMF, each through the call's media session.
#include "models/phone_controller.h"

#include <QDateTime>
#include <QDir>

namespace vphone::ui {

void PhoneController::answer(bool video)
{
    if (CallItem* item = incomingCall()) answerCall(item, video);
}

void PhoneController::hangUp()
{
    if (CallItem* item = incomingCall())
        item->decline();
    else if (CallItem* current = currentCall())
        current->hangUp();
}

void PhoneController::showCall(CallItem* item)
{
    if (!item || !items_.contains(item)) return;
    shown_ = item;
    emit currentCallChanged();
}

void PhoneController::toggleMute()
{
    if (CallItem* item = currentCall()) item->toggleMute();
}

void PhoneController::answerCall(CallItem* item, bool video)
{
    ua::Call* call = item->call();
    if (!call || !item->ringing()) return;
    holdOthers(item);
    answering_ = call;
    answeringVideo_ = video;
    call->answer();
    answering_ = nullptr;
    if (item->call()) item->setVideo(media_->videoWanted(call));
    shown_ = item;
    emit currentCallChanged();
    log({{QStringLiteral("event"), QStringLiteral("answer")}, {QStringLiteral("video"), video}});
}

void PhoneController::resumeCall(CallItem* item)
{
    ua::Call* call = item->call();
    if (!call || !item->held()) return;
    holdOthers(item);
    call->resume();
    shown_ = item;
    emit currentCallChanged();
}

void PhoneController::holdOthers(CallItem* except)
{
    for (CallItem* other : std::as_const(items_)) {
        if (other == except || !other->call() || !other->active() || other->held()) continue;
        other->call()->hold();
        log({{QStringLiteral("event"), QStringLiteral("auto_hold")},
             {QStringLiteral("peer"), other->peerUri()}});
    }
}

void PhoneController::recordCall(CallItem* item)
{
    ua::Call* call = item->call();
    if (!call || recorded_.contains(item)) return;
    recorded_.insert(item);
    contacts::CallRecord r;
    const bool incoming = call->direction() == ua::Call::Direction::Incoming;
    r.direction = incoming ? contacts::Direction::Incoming : contacts::Direction::Outgoing;
    r.peerUri = call->remoteUri();
    const QString contactName = contactNameFor(r.peerUri);
    r.peerDisplayName = contactName.isEmpty() ? call->remoteDisplayName() : contactName;
    r.accountUri = call->account() ? call->account()->uri() : QString();
    r.startTime = call->startedAt().isValid() ? call->startedAt() : QDateTime::currentDateTimeUtc();
    const int code = call->code();
    if (call->connectedAt().isValid()) {
        r.connectedTime = call->connectedAt();
        const QDateTime end = call->endedAt().isValid() ? call->endedAt() : QDateTime::currentDateTimeUtc();
        r.durationSeconds = std::max<qint64>(0, call->connectedAt().secsTo(end));
        r.outcome = contacts::CallOutcome::Answered;
    } else if (incoming) {
        // Declined here (603/486 sent by decline()) or DND; else the caller gave up / timed out.
        r.outcome =
            declined_.contains(item) ? contacts::CallOutcome::Rejected : contacts::CallOutcome::Missed;
    } else if (code == 486 || code == 600) {
        r.outcome = contacts::CallOutcome::Busy;
    } else if (code == 487 || code == 0 || code == 603) {
        r.outcome = code == 603 ? contacts::CallOutcome::Rejected : contacts::CallOutcome::Cancelled;
    } else {
        r.outcome = contacts::CallOutcome::Failed;
    }
    log({{QStringLiteral("event"), QStringLiteral("history")},
         {QStringLiteral("peer"), r.peerUri},
         {QStringLiteral("outcome"), HistoryModel::outcomeName(r.outcome)},
         {QStringLiteral("duration"), r.durationSeconds}});
    if (!db_) return;
    if (auto id = db_->addCall(r); !id) setProblem(id.error().what);
    history_.reload();
}

PhoneController::~PhoneController()
{
    // Calls go before the sessions' views: hang up while the provider still runs.
    conference_->detach(); // the conference's bridge first, while its calls exist
    phone_.reset();
}

bool PhoneController::setCallRecording(CallItem* item, bool on)
{
    media::MediaSession* session = item->call() ? media_->session(item->call()) : nullptr;
    if (!on) {
        if (session) session->stopRecording();
        log({{QStringLiteral("event"), QStringLiteral("recording")},
             {QStringLiteral("on"), false},
             {QStringLiteral("file"), item->recordingFile()}});
        item->setRecordingFile({});
        return true;
    }
    if (!session || item->ended()) {
        setProblem(tr("Recording needs a call with audio"));
        return false;
    }
    if (config_.profileDir.isEmpty()) {
        setProblem(tr("Recording needs a profile directory"));
        return false;
    }
    const QString dir = QDir(config_.profileDir).filePath(QStringLiteral("recordings"));
    if (!QDir().mkpath(dir)) {
        setProblem(tr("Could not create the folder %1").arg(dir));
        return false;
    }
    QString who = item->peerUri().section(QLatin1Char(':'), 1).section(QLatin1Char('@'), 0, 0);
    who.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9+._-]")), QStringLiteral("_"));
    if (who.isEmpty()) who = QStringLiteral("call");
    const QString file = QDir(dir).filePath(
        QStringLiteral("%1 %2.wav")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH-mm-ss")), who));
    if (auto started = session->startRecording(file.toStdString()); !started) {
        setProblem(QString::fromStdString(started.error().what));
        return false;
    }
    item->setRecordingFile(file);
    log({{QStringLiteral("event"), QStringLiteral("recording")},
         {QStringLiteral("on"), true},
         {QStringLiteral("file"), file}});
    return true;
}

void PhoneController::setCallVideo(CallItem* item, bool on)
{
    ua::Call* call = item->call();
    if (!call || !item->active()) return;
    const bool done = media_->setVideo(call, on);
    if (done) item->setVideo(media_->videoWanted(call));
    log({{QStringLiteral("event"), QStringLiteral("camera")},
         {QStringLiteral("on"), on},
         {QStringLiteral("ok"), done}});
}

void PhoneController::setCallMuted(CallItem* item, bool muted)
{
    ua::Call* call = item->call();
    if (!call) return;
    if (media_->setMuted(call, muted)) item->setMutedState(muted);
    log({{QStringLiteral("event"), QStringLiteral("mute")}, {QStringLiteral("on"), item->muted()}});
}

bool PhoneController::setCallAudioDevice(CallItem* item, bool input, const QString& spec)
{
    media::MediaSession* session = item->call() ? media_->session(item->call()) : nullptr;
    if (!session || item->ended()) {
        setProblem(tr("Switching devices needs a call with audio"));
        return false;
    }
    auto done =
        input ? session->setAudioSource(spec.toStdString()) : session->setAudioSink(spec.toStdString());
    log({{QStringLiteral("event"), QStringLiteral("device")},
         {QStringLiteral("role"), input ? QStringLiteral("microphone") : QStringLiteral("speaker")},
         {QStringLiteral("spec"), spec},
         {QStringLiteral("ok"), bool(done)}});
    if (!done) {
        const QString why = QString::fromStdString(done.error().what);
        setProblem(input ? tr("Could not switch the microphone: %1").arg(why)
                         : tr("Could not switch the speaker: %1").arg(why));
        return false;
    }
    return true;
}

QString PhoneController::callAudioDevice(const CallItem* item, bool input) const
{
    const media::MediaSession* session = item->call() ? media_->session(item->call()) : nullptr;
    if (session) return QString::fromStdString(input ? session->audioSource() : session->audioSink());
    const auto& m = media_->config();
    return QString::fromStdString(input ? m.audioSource : m.audioSink);
}

void PhoneController::sendDtmf(CallItem* item, const QString& digits)
{
    ua::Call* call = item->call();
    if (!call || !item->active()) return;
    const bool ok = media_->sendDtmf(call, digits);
    log({{QStringLiteral("event"), QStringLiteral("dtmf")},
         {QStringLiteral("digits"), digits},
         {QStringLiteral("ok"), ok}});
}

} // namespace vphone::ui
