// CallWaitingTone: the call-waiting tone over the call that is up (see call_waiting.h).
#include "call_waiting.h"

#include "engine/local_tone.h"
#include "media_session_provider.h"
#include "ua/phone.h"

namespace vphone::ui {

CallWaitingTone::CallWaitingTone(ua::Phone& phone, MediaSessionProvider& media, QObject* parent)
    : QObject(parent), phone_(phone), media_(media)
{
    connect(&phone_, &ua::Phone::callsChanged, this, [this] {
        follow();
        update();
    });
    follow();
}

CallWaitingTone::~CallWaitingTone()
{
    for (const auto& call : std::as_const(toned_)) {
        if (call) silence(call);
    }
}

void CallWaitingTone::setEnabled(bool on)
{
    if (on == enabled_) return;
    enabled_ = on;
    update();
}

void CallWaitingTone::follow()
{
    for (ua::Call* call : phone_.calls()) {
        if (followed_.contains(call)) continue;
        followed_.insert(call);
        connect(call, &ua::Call::stateChanged, this, [this] { update(); });
        connect(call, &QObject::destroyed, this, [this, call] { followed_.remove(call); });
    }
}

void CallWaitingTone::silence(ua::Call* call)
{
    if (auto* session = media_.session(call)) session->setLocalTone(std::nullopt);
}

void CallWaitingTone::update()
{
    bool ringing = false;
    for (const ua::Call* call : phone_.calls())
        ringing = ringing || call->state() == ua::Call::State::Incoming;
    QList<QPointer<ua::Call>> now;
    if (ringing && enabled_) {
        for (ua::Call* call : phone_.calls()) {
            if (call->state() == ua::Call::State::Active && media_.session(call)) now.append(call);
        }
    }
    const bool was = sounding();
    for (const auto& call : std::as_const(toned_)) {
        if (call && !now.contains(call)) silence(call);
    }
    for (const auto& call : std::as_const(now)) {
        if (!toned_.contains(call)) media_.session(call)->setLocalTone(media::LocalTone::callWaiting());
    }
    toned_ = now;
    if (sounding() != was) emit soundingChanged(sounding());
}

} // namespace vphone::ui
