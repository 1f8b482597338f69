// Conference (conference.h): the ad hoc conference a Phone hosts, signalling only.
//
// Theory of operation. The Conference follows the calls it was given through their Call signals
// (stateChanged, modified, destroyed) and keeps two lists: pending calls, each waiting for one
// thing, and members. A call merged by add() waits for its own re-INVITE (Merging: the resume or
// refresh that carries our new ;isfocus Contact) to succeed; a call placed by invite() (its
// INVITE marked focus with UaDriver::setFocusForNewCalls() around Phone::placeCall()) and an
// auto-answered incoming call (marked with UaDriver::setFocus() before the 200) wait to be
// Active. Joining and leaving change the ConferenceRoster, which is served again (a new
// version) through UaDriver::setConferenceDocument(); members that leave stay in it as
// disconnected. The conference starts (active, a fresh roster with the host first) with the
// first call given to it and ends (the subscribers' final NOTIFY, ended()) on end() or once no
// member and no pending call is left. The Phone hands over a member's REFER (inviteReferred())
// and a call dropped from calls() (release()); the REFER's NOTIFYs stay in phone_transfer.cpp.
#include "ua/conference.h"

#include "ua/call.h"
#include "ua/phone.h"
#include "ua/ua_driver.h"

#include <QPointer>

namespace vphone::ua {

namespace {

constexpr char kConferenceInfoType[] = "application/conference-info+xml";

quint64 keyOf(const Call* call)
{
    return static_cast<quint64>(reinterpret_cast<quintptr>(call));
}

/// The session has a video stream that is not disabled (an m=video line with a port).
bool hasVideo(const std::string& sdp)
{
    const QString text = QString::fromStdString(sdp);
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1String("m=video "))) continue;
        if (line.section(QLatin1Char(' '), 1, 1) != QLatin1String("0")) return true;
    }
    return false;
}

} // namespace

struct Conference::Private {
    enum class Waiting { Reinvite, Answer };
    struct Pending {
        Call* call = nullptr;
        Waiting waiting = Waiting::Answer;
    };
    Phone* phone = nullptr;
    bool active = false;
    bool autoAnswer = false;
    bool hostVideo = false;
    QString hostUri;
    QString hostName;
    QList<Call*> members;
    QList<Pending> pending;
    ConferenceRoster roster;

    int pendingIndex(const Call* c) const
    {
        for (int i = 0; i < pending.size(); ++i) {
            if (pending[i].call == c) return i;
        }
        return -1;
    }
};

Conference::Conference(Phone* phone) : QObject(phone), d_(new Private)
{
    d_->phone = phone;
    connect(phone, &Phone::incomingCall, this, [this](Call* call) {
        if (!d_->autoAnswer || !call || call->state() != Call::State::Incoming) return;
        start();
        d_->phone->driver_->setFocus(Phone::handleOf(call), true); // our 200's Contact says ;isfocus
        d_->pending.append({call, Private::Waiting::Answer});
        track(call);
        emit membersChanged();
        call->answer(); // (a refusal ends it at once: stateOf() drops it)
    });
}

Conference::~Conference()
{
    delete d_;
}

bool Conference::active() const
{
    return d_->active;
}

QList<Call*> Conference::members() const
{
    return d_->members;
}

QList<Call*> Conference::pending() const
{
    QList<Call*> out;
    for (const auto& p : d_->pending)
        out.append(p.call);
    return out;
}

QString Conference::uri() const
{
    const UaDriver& driver = *d_->phone->driver_;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    if (driver.accountCount() > 0) {
        const auto locals = driver.localAddresses(0);
        if (!locals.empty()) {
            host = QString::fromStdString(locals.front().host);
            port = locals.front().port;
        }
    }
    if (port == 0) {
        for (const auto& b : driver.boundAddresses()) {
            if (b.port == 0) continue;
            port = b.port;
            if (!b.address.isNull() && b.address != QHostAddress::Any && b.address != QHostAddress::AnyIPv4 &&
                b.address != QHostAddress::AnyIPv6)
                host = b.address.toString();
            break;
        }
    }
    if (host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('[')))
        host = QStringLiteral("[%1]").arg(host);
    return port ? QStringLiteral("sip:conference@%1:%2").arg(host).arg(port)
                : QStringLiteral("sip:conference@%1").arg(host);
}

bool Conference::autoAnswer() const
{
    return d_->autoAnswer;
}

void Conference::setAutoAnswer(bool on)
{
    if (d_->autoAnswer == on) return;
    d_->autoAnswer = on;
    emit autoAnswerChanged();
}

int Conference::version() const
{
    return d_->roster.version();
}

const ConferenceRoster& Conference::roster() const
{
    return d_->roster;
}

void Conference::setHostVideo(bool on)
{
    if (d_->hostVideo == on) return;
    d_->hostVideo = on;
    if (!d_->active) return;
    d_->roster.setHost(d_->hostUri, d_->hostName, on);
    publish();
    emit membersChanged();
}

bool Conference::refuse(const QString& why)
{
    emit d_->phone->problem(QStringLiteral("conference: %1").arg(why));
    return false;
}

bool Conference::add(Call* call)
{
    if (!call || !d_->phone->calls_.contains(call))
        return refuse(QStringLiteral("add(): not a call of this phone"));
    if (d_->members.contains(call) || d_->pendingIndex(call) >= 0)
        return refuse(QStringLiteral("add(): the call is in the conference already"));
    const Call::State s = call->state();
    if (Phone::handleOf(call) == 0 || (s != Call::State::Active && s != Call::State::Held))
        return refuse(QStringLiteral("add(): the call is not up (Active or Held)"));
    if (Phone::reinviteUnderWay(call))
        return refuse(QStringLiteral("add(): a re-INVITE of that call is under way"));
    start();
    d_->phone->driver_->setFocus(Phone::handleOf(call), true); // the re-INVITE's Contact says ;isfocus
    d_->pending.append({call, Private::Waiting::Reinvite});
    track(call);
    emit membersChanged();
    QPointer<Call> alive = call;
    if (s == Call::State::Held) {
        call->resume(); // RFC 4579 §5.3: one re-INVITE takes it off hold and tells it
    } else {
        call->reinvite();
    }
    // Not sent (the provider refused an offer): modified() never comes; it is not taken in.
    if (alive && d_->pendingIndex(call) >= 0 && !Phone::reinviteUnderWay(call)) {
        if (Phone::handleOf(call) != 0) d_->phone->driver_->setFocus(Phone::handleOf(call), false);
        leave(call);
        return refuse(QStringLiteral("add(): the re-INVITE could not be sent"));
    }
    return true;
}

Call* Conference::invite(const QString& uri, Account* account)
{
    return placeFocusCall(uri, account, {});
}

Call* Conference::inviteReferred(const QString& uri, Account* account, const std::string& referredBy)
{
    return placeFocusCall(uri, account, referredBy);
}

Call* Conference::placeFocusCall(const QString& uri, Account* account, const std::string& referredBy)
{
    Phone& phone = *d_->phone;
    // The INVITE itself carries ;isfocus: only this call() is made in focus mode.
    phone.driver_->setFocusForNewCalls(true);
    Call* call = phone.placeCall(uri, account, {}, referredBy);
    phone.driver_->setFocusForNewCalls(false);
    if (!call || call->isEnded()) return call; // refused at once (problem() or its code say why)
    start();
    d_->pending.append({call, Private::Waiting::Answer});
    track(call);
    emit membersChanged();
    return call;
}

bool Conference::remove(Call* call)
{
    if (!call || (!d_->members.contains(call) && d_->pendingIndex(call) < 0)) {
        refuse(QStringLiteral("remove(): the call is not in the conference"));
        return false;
    }
    QPointer<Call> alive = call;
    leave(call); // out now (memberLeft); the BYE or CANCEL follows
    if (alive) call->hangUp();
    return true;
}

void Conference::end()
{
    if (!d_->active) return;
    const QList<Call*> members = d_->members;
    const QList<Private::Pending> pending = d_->pending;
    d_->members.clear();
    d_->pending.clear();
    for (Call* c : members) {
        untrack(c);
        d_->roster.setConnected(keyOf(c), false);
    }
    for (const auto& p : pending)
        untrack(p.call);
    publish(); // everyone out, then the final NOTIFY (finish())
    QList<QPointer<Call>> hangUps;
    for (Call* c : members)
        hangUps.append(c);
    for (const auto& p : pending)
        hangUps.append(p.call);
    for (const auto& c : std::as_const(hangUps)) {
        if (c) c->hangUp();
    }
    emit membersChanged();
    for (const auto& c : std::as_const(hangUps)) {
        if (c && members.contains(c.data())) emit memberLeft(c);
    }
    finish();
}

bool Conference::isMember(const Call* call) const
{
    return d_->members.contains(const_cast<Call*>(call));
}

void Conference::release(Call* call)
{
    if (d_->members.contains(call) || d_->pendingIndex(call) >= 0) leave(call);
}

void Conference::start()
{
    if (d_->active) return;
    Phone& phone = *d_->phone;
    d_->roster.clear();
    d_->roster.setEntity(uri());
    d_->roster.setSubject(QStringLiteral("vphone conference"));
    const Account* a = phone.accounts_.isEmpty() ? nullptr : phone.accounts_.first();
    d_->hostUri = a ? a->uri() : QString();
    if (d_->hostUri.isEmpty())
        d_->hostUri = uri().replace(QLatin1String("sip:conference@"), QLatin1String("sip:vphone@"));
    d_->hostName =
        a && !a->settings().displayName.isEmpty() ? a->settings().displayName : QStringLiteral("host");
    d_->roster.setHost(d_->hostUri, d_->hostName, d_->hostVideo);
    d_->active = true;
    publish();
    emit activeChanged();
}

void Conference::track(Call* call)
{
    connect(call, &Call::stateChanged, this, [this, call] { stateOf(call); });
    connect(call, &Call::modified, this, [this, call](bool local, int code, const QString& reason) {
        modifiedOf(call, local, code, reason);
    });
    connect(call, &QObject::destroyed, this, [this, call] {
        // Deleted without ending (the Phone going away): forget it without signals.
        d_->members.removeAll(call);
        if (const int i = d_->pendingIndex(call); i >= 0) d_->pending.removeAt(i);
    });
}

void Conference::untrack(Call* call)
{
    disconnect(call, nullptr, this, nullptr);
}

void Conference::stateOf(Call* call)
{
    const Call::State s = call->state();
    if (s == Call::State::Ended) {
        leave(call);
        return;
    }
    const int i = d_->pendingIndex(call);
    if (i >= 0 && s == Call::State::Active && d_->pending[i].waiting == Private::Waiting::Answer) join(call);
}

void Conference::modifiedOf(Call* call, bool local, int code, const QString& reason)
{
    const int i = d_->pendingIndex(call);
    if (i < 0 && code / 100 == 2 && d_->members.contains(call)) {
        // A member's session changed (either side's re-INVITE): its video may have come or gone.
        const auto* m = d_->roster.member(keyOf(call));
        const bool video = hasVideo(call->remoteSdp());
        if (m && m->video != video) {
            auto changed = *m;
            changed.video = video;
            d_->roster.upsert(keyOf(call), changed);
            publish();
            emit membersChanged();
        }
        return;
    }
    if (!local || i < 0 || d_->pending[i].waiting != Private::Waiting::Reinvite) return;
    if (code >= 200 && code < 300) {
        join(call);
        return;
    }
    // The peer refused the re-INVITE (or it could not go): the call stays as it was, outside.
    if (Phone::handleOf(call) != 0) d_->phone->driver_->setFocus(Phone::handleOf(call), false);
    refuse(QStringLiteral("%1 did not take the re-INVITE (%2 %3): not added")
               .arg(call->remoteUri())
               .arg(code)
               .arg(reason));
    leave(call);
}

void Conference::join(Call* call)
{
    const int i = d_->pendingIndex(call);
    if (i >= 0) d_->pending.removeAt(i);
    if (d_->members.contains(call)) return;
    d_->members.append(call);
    d_->roster.upsert(keyOf(call),
                      {call->remoteUri(), call->remoteDisplayName(), true, hasVideo(call->remoteSdp())});
    publish();
    emit membersChanged();
    emit memberJoined(call);
}

bool Conference::leave(Call* call)
{
    if (d_->members.removeAll(call) > 0) {
        untrack(call);
        d_->roster.setConnected(keyOf(call), false);
        publish();
        emit membersChanged();
        emit memberLeft(call);
        finishIfEmpty();
        return true;
    }
    if (const int i = d_->pendingIndex(call); i >= 0) {
        d_->pending.removeAt(i);
        untrack(call);
        emit membersChanged();
        finishIfEmpty();
        return true;
    }
    return false;
}

void Conference::finishIfEmpty()
{
    if (d_->active && d_->members.isEmpty() && d_->pending.isEmpty()) finish();
}

void Conference::finish()
{
    if (!d_->active) return;
    d_->active = false;
    d_->phone->driver_->setConferenceDocument({}, {}); // subscribers: terminated;reason=noresource
    emit activeChanged();
    emit ended();
}

void Conference::publish()
{
    if (!d_->active) return;
    const QByteArray body = d_->roster.document();
    d_->phone->driver_->setConferenceDocument(kConferenceInfoType, body.toStdString());
}

} // namespace vphone::ua
