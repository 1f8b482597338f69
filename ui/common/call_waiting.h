// CallWaitingTone: while a call rings in and another is up, the call that is up plays the
// call-waiting tone (media/engine/local_tone.h) over what the peer says — heard only by us —
// until the ringing call is answered, declined or given up (issue 8, "call waiting with a tone").
//
// Theory of operation: follows the Phone's calls (callsChanged, and each call's stateChanged)
// and after every change recomputes: when some call is Incoming, every Active call with a media
// session gets LocalTone::callWaiting() (MediaSession::setLocalTone), and a call that stops
// being Active, or every call once nothing rings, gets it off. Held calls play nothing, so
// they get no tone. Lives on the Phone's thread like the MediaSessionProvider.
#pragma once

#include "ua/call.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace vphone::ua {
class Phone;
}

namespace vphone::ui {

class MediaSessionProvider;

class CallWaitingTone : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool sounding READ sounding NOTIFY soundingChanged)
public:
    /// Both must outlive this object (it is usually their sibling in the controller).
    CallWaitingTone(ua::Phone& phone, MediaSessionProvider& media, QObject* parent = nullptr);
    ~CallWaitingTone() override;

    /// Off: no tone at all (the user's setting); on by default.
    void setEnabled(bool on);
    bool enabled() const { return enabled_; }
    /// True while some call plays the tone.
    bool sounding() const { return !toned_.isEmpty(); }

signals:
    void soundingChanged(bool sounding);

private:
    void follow();
    void update();
    void silence(ua::Call* call);

    ua::Phone& phone_;
    MediaSessionProvider& media_;
    bool enabled_ = true;
    QSet<ua::Call*> followed_;
    QList<QPointer<ua::Call>> toned_;
};

} // namespace vphone::ui
