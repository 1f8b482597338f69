// vphone-cli call transfer (RFC 3515 REFER, RFC 3892, RFC 3891), in the three roles.
//
// Theory of operation. Transferor (--transfer-to URI): the first call answered (our --call, or
// an auto-answered one) is transferred --transfer-after S later: blind, a REFER to URI; with
// --attended-transfer the call is put on hold, URI is called (the consultation) and once it
// answers the first peer gets a REFER with Replaces naming the consultation dialog. The
// ReferProgress events print 'transfer NOTIFY CODE REASON' and end with 'transfer done' (we hang
// up the transferred call; the target ends the consultation it replaced) or 'transfer failed
// CODE REASON' (exit code 1). Transferee: every REFER the core accepted is followed: 'referred to
// URI by X', a new call to URI (with Replaces when the REFER had one) whose 180/183/200 or
// failure is NOTIFYed back; once it is answered our call with the referrer is hung up (unless
// the referrer left first); a --conference host asked to add someone (RFC 4579 §5.5: a REFER in a
// conference call, no Replaces) invites them into the conference and keeps the referrer's call;
// one whose Refer-To has method=BYE (§5.6) gets that member hung up instead
// (conferenceRemove()). The core accepts such REFERs outside a dialog too when they come from a
// member (ReferReceived::outOfDialog, naming the member's call); without --conference those get 403.
// Participant (--conference-add URI): 1 s after our call is answered each URI goes to the focus
// in a REFER of its own, one after another. Target: an INVITE with Replaces naming one of our confirmed calls
// is answered at once ('call N replaces call M'); the core ends the replaced call.
#include "phone_session.h"

#include "ua/conference_refer.h"

#include <QTimer>

#include <cstdio>

namespace vphone::cli {

namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

/// The URI of a From value, as the call's peer.
QString fromUri(const std::string& value)
{
    auto from = sip::parseNameAddr(value);
    return from ? text(from->uri.toString()) : text(value);
}

} // namespace

void Phone::connectTransfer()
{
    connect(
        &driver_, &ua::UaDriver::referProgress, this,
        [this](ua::AccountId account, const sip::ReferProgress& e) {
            if (e.call == conferenceAddCall_ && e.call != transferred_) return conferenceAddProgress(e);
            if (e.call != transferred_) return;
            QJsonObject ev{{QStringLiteral("event"), QStringLiteral("transfer")},
                           {QStringLiteral("call"), static_cast<qint64>(e.call)},
                           {QStringLiteral("code"), e.sipfragCode},
                           {QStringLiteral("reason"), text(e.reason)}};
            if (e.referResponse && !e.final) {
                std::fprintf(stderr, "vphone-cli: transfer accepted %d %s\n", e.sipfragCode,
                             e.reason.c_str());
                ev.insert(QStringLiteral("state"), QStringLiteral("accepted"));
            } else if (!e.final) {
                std::fprintf(stderr, "vphone-cli: transfer NOTIFY %d %s\n", e.sipfragCode, e.reason.c_str());
                ev.insert(QStringLiteral("state"), QStringLiteral("notify"));
            } else if (!e.referResponse && e.sipfragCode / 100 == 2) {
                std::fprintf(stderr, "vphone-cli: transfer NOTIFY %d %s\n", e.sipfragCode, e.reason.c_str());
                std::fprintf(stderr, "vphone-cli: transfer done\n");
                ev.insert(QStringLiteral("state"), QStringLiteral("done"));
                transferred_ = 0;
                driver_.hangUp(e.call); // the peer talks to the target now
            } else {
                std::fprintf(stderr, "vphone-cli: transfer failed %d %s\n", e.sipfragCode, e.reason.c_str());
                ev.insert(QStringLiteral("state"), QStringLiteral("failed"));
                transferred_ = 0;
                failed_ = true;
            }
            emitEvent(ev, account);
        });
    connect(&driver_, &ua::UaDriver::referReceived, this,
            [this](ua::AccountId account, const sip::ReferReceived& e) {
                const QString target = text(e.referTo.toString());
                const QString by =
                    e.referredBy.empty() ? QStringLiteral("(no Referred-By)") : text(e.referredBy);
                std::fprintf(stderr, "vphone-cli: referred to %s by %s%s\n", qPrintable(target),
                             qPrintable(by), e.replaces.empty() ? "" : " (with Replaces)");
                emitEvent({{QStringLiteral("event"), QStringLiteral("referred")},
                           {QStringLiteral("call"), static_cast<qint64>(e.call)},
                           {QStringLiteral("to"), target},
                           {QStringLiteral("by"), text(e.referredBy)},
                           {QStringLiteral("replaces"), !e.replaces.empty()}},
                          account);
                if (stopping_) {
                    driver_.notifyRefer(e.call, e.id, 503, "Service Unavailable");
                    return;
                }
                if (e.outOfDialog && !o_.conference) { // only a focus takes these (RFC 4579 §5.5)
                    driver_.notifyRefer(e.call, e.id, 403, "Not a conference member");
                    return;
                }
                if (const auto referral = ua::conferenceReferral(e.referTo); o_.conference && referral.remove)
                    return conferenceRemove(e.call, e.id, referral.target); // RFC 4579 §5.6
                // A focus asked to add someone (RFC 4579 §5.5) invites them into the conference
                // (every call of ours joins it once answered) and keeps the referrer's call.
                const bool add = o_.conference && e.replaces.empty();
                if (add) std::fprintf(stderr, "vphone-cli: conference: inviting %s\n", qPrintable(target));
                const sip::CallHandle placed =
                    placeTransferCall(account, e.referTo, target, e.replaces, e.referredBy);
                if (!placed) {
                    driver_.notifyRefer(e.call, e.id, 503, "Service Unavailable");
                    return;
                }
                referrals_[placed] = Referral{e.call, e.id, 100, add};
            });
}

sip::CallHandle Phone::placeTransferCall(ua::AccountId account, const sip::Uri& target, const QString& peer,
                                         const std::string& replaces, const std::string& referredBy)
{
    auto session = makeMedia(account);
    if (!session) return 0;
    auto offer = session->createOffer();
    if (!offer) {
        std::fprintf(stderr, "vphone-cli: media: %s\n", offer.error().what.c_str());
        return 0;
    }
    dialing_ = true;
    const sip::CallHandle h = driver_.call(target, *offer, account, replaces, referredBy);
    dialing_ = false;
    if (!h) return 0;
    media_[h] = CallMedia{std::move(session), peer, false, 0};
    calls_.emplace(h, false);
    if (endedWhileDialing_) {
        auto e = *endedWhileDialing_;
        endedWhileDialing_.reset();
        e.call = h;
        onTerminated(e);
        return 0;
    }
    return h;
}

void Phone::transferOnConfirmed(sip::CallHandle call)
{
    if (call == consultation_ && transferred_) {
        // --attended-transfer: the target answered; the first peer is REFERred to it with
        // Replaces naming this dialog (RFC 3891 §6.1).
        const auto id = driver_.dialogId(call);
        if (!id) return;
        sip::Uri target = id->remoteTarget;
        target.headers.clear();
        std::fprintf(stderr, "vphone-cli: transfer REFER to %s with Replaces\n", target.toString().c_str());
        driver_.refer(transferred_, target, id->replacesForPeer());
        return;
    }
    if (!o_.conferenceAdd.isEmpty() && !o_.conference && !conferenceAddCall_ && !referrals_.count(call)) {
        conferenceAddCall_ = call;
        conferenceAddQueue_ = o_.conferenceAdd;
        QTimer::singleShot(1000, this, [this] { nextConferenceAdd(); });
    }
    if (o_.transferTo.isEmpty() || transferArmed_ || referrals_.count(call)) return;
    transferArmed_ = true;
    QTimer::singleShot(static_cast<int>(o_.transferAfter * 1000), this, [this, call] {
        if (!calls_.count(call) || stopping_) return;
        const auto target = sip::parseUri(o_.transferTo.toStdString());
        if (!target) return; // checked when the options were parsed
        transferred_ = call;
        if (!o_.attendedTransfer) {
            std::fprintf(stderr, "vphone-cli: transfer REFER to %s\n", qPrintable(o_.transferTo));
            driver_.refer(call, *target, {});
            return;
        }
        if (auto* m = mediaOf(call)) reoffer(call, m->setHold(true), "hold");
        std::fprintf(stderr, "vphone-cli: transfer: calling %s (consultation)\n", qPrintable(o_.transferTo));
        consultation_ = placeTransferCall(ua::UaDriver::accountOf(call), *target, o_.transferTo, {});
        if (!consultation_) {
            std::fprintf(stderr, "vphone-cli: transfer failed 0 the consultation call could not be made\n");
            transferred_ = 0;
            failed_ = true;
        }
    });
}

void Phone::nextConferenceAdd()
{
    if (stopping_ || !calls_.count(conferenceAddCall_) || conferenceAddQueue_.isEmpty()) return;
    const auto target = sip::parseUri(conferenceAddQueue_.front().toStdString());
    if (!target) return; // checked when the options were parsed
    std::fprintf(stderr, "vphone-cli: conference add: REFER to %s\n",
                 qPrintable(conferenceAddQueue_.front()));
    driver_.refer(conferenceAddCall_, *target, {});
}

void Phone::conferenceAddProgress(const sip::ReferProgress& e)
{
    const QString uri = conferenceAddQueue_.isEmpty() ? QString() : conferenceAddQueue_.front();
    QJsonObject ev{{QStringLiteral("event"), QStringLiteral("conference-add")},
                   {QStringLiteral("uri"), uri},
                   {QStringLiteral("code"), e.sipfragCode},
                   {QStringLiteral("reason"), text(e.reason)}};
    if (!e.final) {
        std::fprintf(stderr, "vphone-cli: conference add %s %d %s\n", e.referResponse ? "accepted" : "NOTIFY",
                     e.sipfragCode, e.reason.c_str());
        ev.insert(QStringLiteral("state"),
                  e.referResponse ? QStringLiteral("accepted") : QStringLiteral("notify"));
        emitEvent(ev, ua::UaDriver::accountOf(e.call));
        return;
    }
    if (!e.referResponse && e.sipfragCode / 100 == 2) {
        std::fprintf(stderr, "vphone-cli: conference add NOTIFY %d %s\n", e.sipfragCode, e.reason.c_str());
        std::fprintf(stderr, "vphone-cli: conference add done %s\n", qPrintable(uri));
        ev.insert(QStringLiteral("state"), QStringLiteral("done"));
    } else {
        std::fprintf(stderr, "vphone-cli: conference add failed %d %s\n", e.sipfragCode, e.reason.c_str());
        ev.insert(QStringLiteral("state"), QStringLiteral("failed"));
        failed_ = true;
    }
    emitEvent(ev, ua::UaDriver::accountOf(e.call));
    if (!conferenceAddQueue_.isEmpty()) conferenceAddQueue_.removeFirst();
    nextConferenceAdd(); // our call stays: we are in the conference with them now
}

bool Phone::takeOverIncoming(const sip::IncomingCall& e)
{
    if (!e.replaces) return false;
    auto old = calls_.find(e.replaces);
    if (old == calls_.end() || !old->second) return false; // not a confirmed call: rings as usual
    std::fprintf(stderr, "vphone-cli: call %llu replaces call %llu\n",
                 static_cast<unsigned long long>(e.call), static_cast<unsigned long long>(e.replaces));
    if (newMedia(e.call, fromUri(e.from), true)) answerIncoming(e.call, e.sdp);
    return true;
}

void Phone::referredCallState(const sip::CallStateChanged& e)
{
    auto it = referrals_.find(e.call);
    if (it == referrals_.end()) return;
    int code = 0;
    std::string reason;
    switch (e.state) {
    case sip::CallState::Ringing: code = 180, reason = "Ringing"; break;
    case sip::CallState::EarlyMedia: code = 183, reason = "Session Progress"; break;
    case sip::CallState::Confirmed: code = 200, reason = "OK"; break;
    case sip::CallState::Terminated:
        code = e.code >= 300 && e.code <= 699 ? e.code : 487;
        reason = e.reason;
        break;
    default: return;
    }
    if (code == it->second.lastCode) return;
    it->second.lastCode = code;
    const Referral r = it->second;
    if (code >= 200) referrals_.erase(it);
    driver_.notifyRefer(r.original, r.id, code, reason);
    if (code / 100 == 2 && calls_.count(r.original) && !r.keep) {
        std::fprintf(stderr, "vphone-cli: transferred: hanging up call %llu\n",
                     static_cast<unsigned long long>(r.original));
        driver_.hangUp(r.original);
    }
}

} // namespace vphone::cli
