// vphone-cli's own actions (--call, --message): placing them once the phone is up, dialling the
// call (again with --repeat), a call's end, and the exit once the actions are done. Internal to
// vphone-cli (phone_session.h), split out of phone.cpp.
//
// Theory of operation. placeCall() runs once, when registration (and the STUN lookup) allow: it
// starts presence and the conference, dials --call through dialOnce() and sends --message.
// dialOnce() makes the offer and the INVITE; a call refused at once (no address, no route)
// comes back as endedWhileDialing_ and is handled as its end. onTerminated() cleans a call up
// (roster, media), redials with --repeat, and maybeFinish() shuts the phone down once every
// action is over, unless --duration, --auto-answer or a lasting call keeps it up.
#include "phone_session.h"

#include <QTimer>

#include <cstdio>

namespace vphone::cli {

void Phone::placeCall()
{
    if (callPlaced_) return;
    callPlaced_ = true;
    startPresence();
    startConference();
    if (!o_.call.isEmpty()) {
        auto target = sip::parseUri(o_.call.toStdString());
        if (!target || target->scheme == sip::UriScheme::Other) {
            std::fprintf(stderr, "vphone-cli: --call '%s' is not a sip:, sips: or tel: URI\n",
                         qPrintable(o_.call));
            failed_ = true;
            outgoingDone_ = true;
        } else {
            target_ = *target;
            dialOnce();
        }
    }
    if (!o_.messageTo.isEmpty()) {
        auto to = sip::parseUri(o_.messageTo.toStdString());
        if (!to || to->scheme == sip::UriScheme::Other) {
            std::fprintf(stderr, "vphone-cli: --message '%s' is not a sip:, sips: or tel: URI\n",
                         qPrintable(o_.messageTo));
            failed_ = true;
            messageDone_ = true;
        } else {
            message_ = driver_.sendMessage(*to, "text/plain;charset=utf-8", o_.messageText.toStdString());
        }
    }
    maybeFinish();
}

void Phone::onTerminated(const sip::CallStateChanged& e)
{
    if (dialing_) {
        endedWhileDialing_ = e; // dialOnce() handles it once it knows the handle
        return;
    }
    calls_.erase(e.call);
    incoming_.erase(e.call);
    conferenceLeave(e.call);
    endMedia(e.call);
    if (e.call == outgoing_) {
        if (!outgoingAnswered_) {
            std::fprintf(stderr, "vphone-cli: call to %s failed: %d %s\n", qPrintable(o_.call), e.code,
                         e.reason.c_str());
            failed_ = true;
        }
        if (!failed_ && !stopping_ && dialed_ < o_.repeat) {
            outgoing_ = 0;
            QTimer::singleShot(20 + static_cast<int>(o_.repeatPause * 1000), this, [this] { dialOnce(); });
        } else {
            outgoingDone_ = true;
        }
    }
    maybeFinish();
    exitWhenIdle();
}

void Phone::dialOnce()
{
    if (stopping_) {
        outgoingDone_ = true;
        maybeFinish();
        return;
    }
    ++dialed_;
    outgoingAnswered_ = false;
    outgoingDone_ = false;
    auto session = makeMedia(0); // --call goes out on the first account
    if (!session) {
        outgoingDone_ = true;
        maybeFinish();
        return;
    }
    auto offer = session->createOffer();
    if (!offer) {
        std::fprintf(stderr, "vphone-cli: media: %s\n", offer.error().what.c_str());
        failed_ = true;
        outgoingDone_ = true;
        maybeFinish();
        return;
    }
    dialing_ = true;
    outgoing_ = driver_.call(target_, *offer);
    dialing_ = false;
    media_[outgoing_] = CallMedia{std::move(session), o_.call, false, 0};
    calls_.emplace(outgoing_, false); // so a shutdown cancels it
    if (endedWhileDialing_) {
        auto e = *endedWhileDialing_;
        endedWhileDialing_.reset();
        e.call = outgoing_;
        onTerminated(e);
    }
}

void Phone::maybeFinish()
{
    // `--call URI --hangup-after S` exits when the call has ended; a lone --message exits once
    // delivered (or not); everything else stays up for --duration or until a signal.
    if (o_.duration || stopping_) return;
    const bool callAction = !o_.call.isEmpty();
    const bool messageAction = !o_.messageTo.isEmpty();
    if (!callAction && !messageAction) return;
    if (callAction && !(o_.hangupAfter || failed_)) return;
    if (callAction && !outgoingDone_) return;
    if (messageAction && !messageDone_) return;
    if (o_.autoAnswer) return;
    shutdown();
}

} // namespace vphone::cli
