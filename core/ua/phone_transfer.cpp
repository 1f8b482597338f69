// Call transfer in the Phone facade (RFC 3515 REFER, RFC 3891 Replaces), in its three roles.
//
// Theory of operation. Transferor: Call::transfer(uri) sends REFER in the call's dialog (blind);
// Call::transferTo(other) sends it with Refer-To set to `other`'s remote target and a Replaces
// header naming our dialog with it (attended, RFC 3891 §6.1). The driver's ReferProgress events
// move Call::transferState (Trying -> Accepted on 202 -> Done on a 2xx sipfrag, Failed on any
// failure) and each one is emitted as Call::transferProgress(code, reason); on Done we hang up
// the transferred call (the consultation call of an attended transfer is ended by the target,
// whose call we replaced). Transferee: a ReferReceived makes a new outgoing call to the
// Refer-To URI (with its Replaces), emitted as transferRequested(); each state of that call is
// NOTIFYed to the referrer (180, 183, then 200 or the failure status) and once it is answered
// the original call is hung up (unless the referrer left first). A REFER from a member of the
// conference we host (RFC 4579 §5.5) is no transfer: the conference invites the Refer-To address
// (Conference::addRequested), the member is NOTIFYed the same way and its own call stays up; a
// Refer-To with method=BYE (§5.6) removes that member instead (BYE, then a 200 sipfrag, or 404
// when no other member has that address; conference_refer.h). A member may send that REFER
// outside any dialog (the core accepts it and names the member's call, ReferReceived::outOfDialog);
// a REFER outside a dialog never transfers a call.
// Transfer target: an incoming
// INVITE whose Replaces names one of our confirmed calls is answered at once (callReplaced());
// the core then ends the replaced call with reason "replaced".
#include "ua/conference_refer.h"
#include "ua/phone.h"
#include "ua/ua_driver.h"

namespace vphone::ua {

namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

/// The member of `conference` (other than `except`) whose address is `who`.
Call* conferenceMember(const Conference& conference, const sip::Uri& who, const Call* except)
{
    QList<Call*> candidates;
    QStringList uris;
    for (Call* m : conference.members()) {
        if (m == except) continue;
        candidates.append(m);
        uris.append(m->remoteUri());
    }
    const qsizetype i = conferenceMemberIndex(uris, who);
    return i < 0 ? nullptr : candidates[i];
}

bool isUp(const Call* c)
{
    return c && (c->state() == Call::State::Active || c->state() == Call::State::Held);
}

} // namespace

bool Call::transfer(const QString& uri)
{
    return phone_ && phone_->transfer(this, uri, nullptr);
}

bool Call::transferTo(Call* other)
{
    return phone_ && phone_->transfer(this, {}, other);
}

bool Phone::transfer(Call* call, const QString& uri, Call* consultation)
{
    auto refuse = [this](const QString& why) {
        emit problem(QStringLiteral("transfer: %1").arg(why));
        return false;
    };
    if (call->handle_ == 0 || !isUp(call)) return refuse(QStringLiteral("the call is not up"));
    if (call->transferState_ == Call::TransferState::Trying ||
        call->transferState_ == Call::TransferState::Accepted)
        return refuse(QStringLiteral("a transfer of this call is under way"));
    sip::Uri target;
    std::string replaces;
    if (consultation) {
        if (consultation == call || consultation->handle_ == 0 || !isUp(consultation))
            return refuse(QStringLiteral("the call to transfer to is not up"));
        const auto id = driver_->dialogId(consultation->handle_);
        if (!id) return refuse(QStringLiteral("the call to transfer to has no dialog"));
        target = id->remoteTarget;
        target.headers.clear();
        replaces = id->replacesForPeer();
    } else {
        auto parsed = sip::parseUri(uri.trimmed().toStdString());
        if (!parsed)
            return refuse(QStringLiteral("'%1' is not a URI: %2").arg(uri, text(parsed.error().what)));
        if (parsed->scheme != sip::UriScheme::Sip && parsed->scheme != sip::UriScheme::Sips &&
            parsed->scheme != sip::UriScheme::Tel)
            return refuse(QStringLiteral("'%1' is not a sip:, sips: or tel: URI").arg(uri));
        target = *parsed;
    }
    call->transferState_ = Call::TransferState::Trying;
    emit call->transferProgress(0, QStringLiteral("REFER sent"));
    driver_->refer(call->handle_, target, replaces);
    return true;
}

void Phone::connectTransfer()
{
    UaDriver* d = driver_.get();
    connect(d, &UaDriver::referProgress, this, [this](AccountId, const sip::ReferProgress& e) {
        Call* c = callByHandle_.value(e.call);
        if (!c) c = transferAfterEnd_.value(e.call); // the transferee hung up before its last NOTIFY
        if (e.final) transferAfterEnd_.remove(e.call);
        if (!c) return; // the call ended (we hung up after the 2xx): nothing more to show
        if (c->transferState_ != Call::TransferState::Trying &&
            c->transferState_ != Call::TransferState::Accepted)
            return; // not our transfer (a REFER asking a conference focus to add someone): the call stays
        if (e.final) {
            const bool ok = !e.referResponse && e.sipfragCode / 100 == 2;
            c->transferState_ = ok ? Call::TransferState::Done : Call::TransferState::Failed;
        } else if (e.referResponse) {
            c->transferState_ = Call::TransferState::Accepted;
        }
        emit c->transferProgress(e.sipfragCode, text(e.reason));
        if (c->transferState_ == Call::TransferState::Done && !c->isEnded()) hangUp(c);
    });
    connect(d, &UaDriver::referReceived, this, [this](AccountId account, const sip::ReferReceived& e) {
        Call* original = callByHandle_.value(e.call);
        sip::Uri shownTarget = e.referTo;
        shownTarget.password.reset();
        const QString target = text(shownTarget.toString());
        // A non-member's REFER outside a dialog reaches us only with setConferenceReferFromAnyone().
        const bool stranger = e.outOfDialog && !original && referFromAnyone_ && conference_->active();
        const bool toConference = stranger || (original && conference_ && conference_->isMember(original));
        if (e.outOfDialog && !toConference) { // only a member may ask the focus (RFC 4579 §5.5)
            driver_->notifyRefer(e.call, e.id, 403, "Not a conference member");
            return;
        }
        if (const auto referral = conferenceReferral(e.referTo); toConference && referral.remove) {
            // RFC 4579 §5.6: a member asks to remove one
            Call* target = conferenceMember(*conference_, referral.target, original);
            if (target) conference_->remove(target); // BYE; it stays in the roster, disconnected
            const auto outcome = removalOutcome(target != nullptr);
            driver_->notifyRefer(e.call, e.id, outcome.code, outcome.reason);
            return;
        }
        Account* from = original ? original->account() : accountById(static_cast<int>(account));
        Call* placed = toConference ? conference_->inviteReferred(target, from, e.referredBy)
                       : original   ? placeCall(target, from, e.replaces, e.referredBy)
                                    : nullptr;
        if (!placed || placed->isEnded()) {
            const int code = placed && placed->code() >= 300 ? placed->code() : 503;
            driver_->notifyRefer(e.call, e.id, code, placed ? placed->reason().toStdString() : std::string());
            return;
        }
        referrals_.insert(placed, Referral{e.call, e.id, 100, toConference});
        connect(placed, &Call::stateChanged, this, [this, placed] { referredCallChanged(placed); });
        if (toConference) {
            emit conference_->addRequested(original, placed, target);
        } else {
            emit transferRequested(original, placed, target, text(e.referredBy));
        }
    });
}

void Phone::referredCallChanged(Call* placed)
{
    auto it = referrals_.find(placed);
    if (it == referrals_.end()) return;
    Referral& r = it.value();
    int code = 0;
    std::string reason;
    switch (placed->state()) {
    case Call::State::Ringing:
        code = 180;
        reason = "Ringing";
        break;
    case Call::State::EarlyMedia:
        code = 183;
        reason = "Session Progress";
        break;
    case Call::State::Active:
        code = 200;
        reason = "OK";
        break;
    case Call::State::Ended:
        code = placed->code() >= 300 && placed->code() <= 699 ? placed->code() : 487;
        reason = placed->reason().toStdString();
        break;
    default: return;
    }
    if (code == r.lastCode) return;
    r.lastCode = code;
    const Referral done = r;
    if (code >= 200) referrals_.erase(it);
    driver_->notifyRefer(done.original, done.id, code, reason);
    if (code / 100 == 2 && !done.conference) {
        // The transfer worked: our call with the referrer ends (it may have left already).
        if (Call* original = callByHandle_.value(done.original); original && !original->isEnded())
            hangUp(original);
    }
}

bool Phone::takeOver(Call* call, std::uint64_t replaced)
{
    Call* old = callByHandle_.value(replaced);
    if (!isUp(old)) return false; // a pick-up of a ringing call: it rings as usual
    answer(call);
    emit callReplaced(old, call);
    return true;
}

} // namespace vphone::ua
