// Conferences hosted elsewhere, in the Phone facade (issue 8: RFC 4579 as a participant, RFC 4575
// conference event package): Call::conference(), Call::roster(), Call::addToConference().
//
// Theory of operation. The driver's CallStateChanged(Confirmed) and the peer's re-INVITEs
// (CallModified, Remote, 2xx) carry the far end's Contact and whether it has the `isfocus`
// feature parameter (RFC 4579 §5.3: a focus marks every dialog of its conference, from the first
// INVITE or 2xx, or from the re-INVITE that merged an existing call). Once a call's Contact says
// isfocus the Call becomes a conference and the Phone SUBSCRIBEs (Event: conference, Accept
// application/conference-info+xml) to that Contact on the call's account. Each NOTIFY body is
// read with parseConferenceInfo() and merged into the roster held for the subscription
// (mergeConferenceInfo(): a full document replaces it, a partial one replaces users by entity,
// an older or equal version is ignored); the Call's roster() is rosterOf() that roster, one map
// per user, and rosterChanged() fires only when a row changed. A body that cannot be read is a
// Phone::problem() and changes nothing. The watch ends (unsubscribe) when the call ends or is
// dropped (Phone::callEnded()/forget()), or when a later re-INVITE's Contact lacks isfocus (the
// call left the conference: conference() false, roster emptied); NOTIFYs after that are ignored
// and the entry goes once the driver reports the subscription over.
//
// Adding someone (RFC 4579 §5.5): addToConference() sends REFER in the call's dialog with the
// address to add; the focus invites it and NOTIFYs its progress (message/sipfrag). The driver's
// ReferProgress for that call moves Call::conferenceAddState (Trying -> Accepted on 202 -> Done on
// a 2xx sipfrag, Failed otherwise) and is emitted as conferenceAddProgress(). Unlike a transfer
// (phone_transfer.cpp, which ignores ReferProgress of calls with no transfer under way) the call
// is never hung up. A transfer and an add are not run at once in one call: the driver's
// ReferProgress does not say which REFER it is about.
#include "ua/phone.h"

#include "sip/headers.h"
#include "ua/ua_driver.h"

#include <QVariantMap>

namespace vphone::ua {

namespace {

constexpr char kConferenceInfoType[] = "application/conference-info+xml";
/// RFC 6665 §4.1.2.1: the subscription is refreshed before this runs out.
constexpr std::uint32_t kRosterExpires = 600;

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

bool isUp(const Call* c)
{
    return c->state() == Call::State::Active || c->state() == Call::State::Held;
}

bool underWay(Call::TransferState s)
{
    return s == Call::TransferState::Trying || s == Call::TransferState::Accepted;
}

QVariantList rowsOf(const ConferenceInfo& info)
{
    QVariantList rows;
    for (const RosterEntry& r : rosterOf(info)) {
        rows.append(QVariantMap{{QStringLiteral("uri"), r.uri},
                                {QStringLiteral("name"), r.displayName},
                                {QStringLiteral("status"), r.status},
                                {QStringLiteral("media"), r.media}});
    }
    return rows;
}

} // namespace

bool Call::addToConference(const QString& uri)
{
    return phone_ && phone_->addToConference(this, uri);
}

void Phone::connectConferenceWatch()
{
    UaDriver* d = driver_.get();
    // Connected after connectDriver()'s own handlers: the Call is Active (or ended) by now.
    connect(d, &UaDriver::callStateChanged, this, [this](AccountId, const sip::CallStateChanged& e) {
        if (e.state != sip::CallState::Confirmed) return;
        if (Call* c = callByHandle_.value(e.call)) focusLearnt(c, e.remoteFocus, e.remoteContact);
    });
    connect(d, &UaDriver::callModified, this, [this](AccountId, const sip::CallModified& e) {
        // RFC 4579 §5.3: a call merged into a conference learns it from the focus's re-INVITE.
        // An UPDATE or re-INVITE without a Contact says nothing either way.
        if (e.origin != sip::ModifyOrigin::Remote || e.code / 100 != 2 || e.remoteContact.empty()) return;
        if (Call* c = callByHandle_.value(e.call)) focusLearnt(c, e.remoteFocus, e.remoteContact);
    });
    connect(d, &UaDriver::subscriptionNotified, this, [this](AccountId, const sip::SubscriptionNotified& e) {
        auto it = conferenceWatches_.find(e.subscription);
        if (it == conferenceWatches_.end() || it->leaving || !it->call) return;
        const QByteArray body(e.body.data(), static_cast<qsizetype>(e.body.size()));
        if (body.trimmed().isEmpty()) return; // pending, or a final NOTIFY without a state
        QString error;
        const auto info = parseConferenceInfo(body, &error);
        if (!info) {
            emit problem(QStringLiteral("conference NOTIFY from %1 not applied: %2").arg(it->focus, error));
            return;
        }
        if (!mergeConferenceInfo(it->info, *info)) return; // stale, repeated, or the conference deleted
        QVariantList rows = rowsOf(it->info);
        Call* c = it->call;
        if (rows == c->roster_) return;
        c->roster_ = std::move(rows);
        emit c->rosterChanged();
    });
    connect(d, &UaDriver::subscriptionEnded, this, [this](AccountId, const sip::SubscriptionEnded& e) {
        auto it = conferenceWatches_.find(e.subscription);
        if (it == conferenceWatches_.end()) {
            if (Call* c = conferenceSubscribing_) { // the SUBSCRIBE could not even be sent
                conferenceSubscribing_ = nullptr;   // tells watchConference()
                emit problem(QStringLiteral("conference roster of %1: no subscription: %2 %3")
                                 .arg(c->remoteUri())
                                 .arg(e.code)
                                 .arg(text(e.reason)));
            }
            return;
        }
        const ConferenceWatch w = it.value();
        conferenceWatches_.erase(it);
        if (w.call && w.call->conferenceWatch_ == e.subscription) w.call->conferenceWatch_ = 0;
        // A refused or unanswered SUBSCRIBE (489 Bad Event, 408 Timer N...) is worth saying; the
        // focus ending its conference (terminated;reason=noresource, code 0) is not.
        if (!w.leaving && e.code >= 300)
            emit problem(QStringLiteral("conference roster of %1: subscription refused: %2 %3")
                             .arg(w.focus)
                             .arg(e.code)
                             .arg(text(e.reason)));
    });
    connect(d, &UaDriver::referProgress, this, [this](AccountId, const sip::ReferProgress& e) {
        Call* c = callByHandle_.value(e.call);
        if (!c || !underWay(c->conferenceAddState_)) return; // a transfer's (phone_transfer.cpp)
        if (e.final) {
            const bool ok = !e.referResponse && e.sipfragCode / 100 == 2;
            c->conferenceAddState_ = ok ? Call::TransferState::Done : Call::TransferState::Failed;
        } else if (e.referResponse) {
            c->conferenceAddState_ = Call::TransferState::Accepted;
        }
        emit c->conferenceAddProgress(e.sipfragCode, text(e.reason)); // the call stays up
    });
}

void Phone::focusLearnt(Call* call, bool focus, const std::string& remoteContact)
{
    if (call->isEnded()) return;
    if (focus == call->conference_) return;
    if (focus) {
        call->conference_ = true;
        watchConference(call, remoteContact);
        emit call->conferenceChanged();
        return;
    }
    // The far end's new Contact lacks isfocus: this dialog is no longer a conference's.
    unwatchConference(call);
    call->conference_ = false;
    const bool hadRoster = !call->roster_.isEmpty();
    call->roster_.clear();
    emit call->conferenceChanged();
    if (hadRoster) emit call->rosterChanged();
}

void Phone::watchConference(Call* call, const std::string& remoteContact)
{
    if (call->conferenceWatch_ != 0 || call->handle_ == 0) return;
    // The focus's Contact is the conference URI's stand-in (RFC 4579 §5.3); without one, the
    // dialog's remote target, else the address we called or were called from.
    std::optional<sip::Uri> target;
    if (auto na = sip::parseNameAddr(remoteContact)) target = na->uri;
    if (!target) {
        if (auto id = driver_->dialogId(call->handle_)) target = id->remoteTarget;
    }
    if (!target) {
        if (auto u = sip::parseUri(call->remoteUri().toStdString())) target = *u;
    }
    if (!target) {
        emit problem(
            QStringLiteral("conference roster of %1: no address to subscribe to").arg(call->remoteUri()));
        return;
    }
    target->headers.clear();
    target->password.reset();
    const QString focus = text(target->toString());
    conferenceSubscribing_ = call;
    const auto handle = driver_->subscribe(*target, "conference", kConferenceInfoType, kRosterExpires,
                                           UaDriver::accountOf(call->handle_));
    const bool failedAtOnce = conferenceSubscribing_ == nullptr;
    conferenceSubscribing_ = nullptr;
    if (handle == 0 || failedAtOnce) return;
    conferenceWatches_.insert(handle, ConferenceWatch{call, focus, {}, false});
    call->conferenceWatch_ = handle;
}

void Phone::unwatchConference(Call* call)
{
    const auto handle = call->conferenceWatch_;
    if (handle == 0) return;
    call->conferenceWatch_ = 0;
    auto it = conferenceWatches_.find(handle);
    if (it == conferenceWatches_.end() || it->leaving) return;
    it->leaving = true; // kept until the driver says it is over: its last NOTIFYs are ignored
    driver_->unsubscribe(handle);
}

bool Phone::addToConference(Call* call, const QString& uri)
{
    auto refuse = [this](const QString& why) {
        emit problem(QStringLiteral("add to conference: %1").arg(why));
        return false;
    };
    if (call->handle_ == 0 || !isUp(call)) return refuse(QStringLiteral("the call is not up"));
    if (!call->conference_) return refuse(QStringLiteral("the far end is not a conference focus"));
    if (underWay(call->transferState_)) return refuse(QStringLiteral("a transfer of this call is under way"));
    if (underWay(call->conferenceAddState_))
        return refuse(QStringLiteral("another add to this conference is under way"));
    auto target = sip::parseUri(uri.trimmed().toStdString());
    if (!target) return refuse(QStringLiteral("'%1' is not a URI: %2").arg(uri, text(target.error().what)));
    if (target->scheme != sip::UriScheme::Sip && target->scheme != sip::UriScheme::Sips &&
        target->scheme != sip::UriScheme::Tel)
        return refuse(QStringLiteral("'%1' is not a sip:, sips: or tel: URI").arg(uri));
    call->conferenceAddState_ = Call::TransferState::Trying;
    emit call->conferenceAddProgress(0, QStringLiteral("REFER sent"));
    driver_->refer(call->handle_, *target, {});
    return true;
}

} // namespace vphone::ua
