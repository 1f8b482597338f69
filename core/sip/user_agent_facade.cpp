// The user agent core's public facade: UserAgent's methods, each handing its work to the Impl
// (user_agent_impl.h) and pumping the transaction layer's events. Request building and routing:
// user_agent.cpp.
#include "user_agent_impl.h"

namespace vphone::sip {

UserAgent::UserAgent(UaConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
UserAgent::~UserAgent() = default;

void UserAgent::receive(Message message, const Peer& from, TimePoint now)
{
    if (message.isRequest() && message.method() != Method::Ack) {
        const auto to = message.toView();
        // New requests outside dialogs only: in-dialog requests (To tag) and responses pass.
        if ((!to || to->tag.empty()) && !impl_->limiter.allow(from.host, now)) return;
    }
    impl_->layer.receive(std::move(message), from, now);
    impl_->pump(now);
}

void UserAgent::transportError(TransactionId id, TimePoint now)
{
    impl_->layer.transportError(id, now);
    impl_->pump(now);
}

void UserAgent::onTimeout(TimePoint now)
{
    impl_->layer.onTimeout(now);
    impl_->pump(now);
    impl_->onTimers(now);
    impl_->pump(now);
}

std::optional<TimePoint> UserAgent::nextTimeout() const
{
    return impl_->nextTimeout();
}
std::optional<Outgoing> UserAgent::pollTransmit()
{
    return impl_->layer.pollTransmit();
}

std::optional<UaEvent> UserAgent::pollEvent()
{
    if (impl_->events.empty()) return std::nullopt;
    UaEvent ev = std::move(impl_->events.front());
    impl_->events.pop_front();
    return ev;
}

void UserAgent::registerAccount(TimePoint now)
{
    impl_->registerAccount(now);
    impl_->pump(now);
}

void UserAgent::unregister(TimePoint now)
{
    impl_->unregister(now);
    impl_->pump(now);
}

CallHandle UserAgent::call(const Uri& target, std::string sdpOffer, TimePoint now)
{
    const CallHandle h = impl_->call(target, std::move(sdpOffer), now);
    impl_->pump(now);
    return h;
}

CallHandle UserAgent::call(const Uri& target, std::string sdpOffer, std::string replaces, TimePoint now)
{
    impl_->inviteReplaces = std::move(replaces);
    const CallHandle h = impl_->call(target, std::move(sdpOffer), now);
    impl_->inviteReplaces.clear();
    impl_->pump(now);
    return h;
}

CallHandle UserAgent::call(const Uri& target, std::string sdpOffer, std::string replaces,
                           std::string referredBy, TimePoint now)
{
    impl_->inviteReplaces = std::move(replaces);
    impl_->inviteReferredBy = std::move(referredBy);
    const CallHandle h = impl_->call(target, std::move(sdpOffer), now);
    impl_->inviteReplaces.clear();
    impl_->inviteReferredBy.clear();
    impl_->pump(now);
    return h;
}

void UserAgent::ringing(CallHandle call, TimePoint now)
{
    impl_->ringing(call, now);
    impl_->pump(now);
}

void UserAgent::answer(CallHandle call, std::string sdpAnswer, TimePoint now)
{
    impl_->answer(call, std::move(sdpAnswer), now);
    impl_->pump(now);
}

void UserAgent::reject(CallHandle call, int code, TimePoint now)
{
    impl_->reject(call, code, now);
    impl_->pump(now);
}

void UserAgent::redirect(CallHandle call, int code, const std::vector<Uri>& contacts, TimePoint now)
{
    impl_->redirect(call, code, contacts, now);
    impl_->pump(now);
}

void UserAgent::hangUp(CallHandle call, TimePoint now)
{
    impl_->hangUp(call, now);
    impl_->pump(now);
}

void UserAgent::reinvite(CallHandle call, std::string sdpOffer, TimePoint now)
{
    impl_->reinvite(call, std::move(sdpOffer), now);
    impl_->pump(now);
}

void UserAgent::update(CallHandle call, std::string sdpOffer, TimePoint now)
{
    impl_->update(call, std::move(sdpOffer), now);
    impl_->pump(now);
}

MessageHandle UserAgent::sendMessage(const Uri& to, std::string contentType, std::string body, TimePoint now)
{
    const MessageHandle h = impl_->sendMessage(to, std::move(contentType), std::move(body), now);
    impl_->pump(now);
    return h;
}

MessageHandle UserAgent::sendMessage(CallHandle call, std::string contentType, std::string body,
                                     TimePoint now)
{
    const MessageHandle h = impl_->sendMessageInDialog(call, std::move(contentType), std::move(body), now);
    impl_->pump(now);
    return h;
}

SubscriptionHandle UserAgent::subscribe(const Uri& target, std::string event, std::string accept,
                                        std::uint32_t expires, TimePoint now)
{
    const SubscriptionHandle h = impl_->subscribe(target, std::move(event), std::move(accept), expires, now);
    impl_->pump(now);
    return h;
}

void UserAgent::unsubscribe(SubscriptionHandle subscription, TimePoint now)
{
    impl_->unsubscribe(subscription, now);
    impl_->pump(now);
}

PublicationHandle UserAgent::publish(std::string event, std::string contentType, std::string body,
                                     std::uint32_t expires, TimePoint now)
{
    const PublicationHandle h =
        impl_->publish(std::move(event), std::move(contentType), std::move(body), expires, now);
    impl_->pump(now);
    return h;
}

void UserAgent::republish(PublicationHandle publication, std::string contentType, std::string body,
                          TimePoint now)
{
    impl_->republish(publication, std::move(contentType), std::move(body), now);
    impl_->pump(now);
}

void UserAgent::unpublish(PublicationHandle publication, TimePoint now)
{
    impl_->unpublish(publication, now);
    impl_->pump(now);
}

void UserAgent::setPresenceDocument(std::string contentType, std::string body, TimePoint now)
{
    impl_->setPresenceDocument(std::move(contentType), std::move(body), now);
    impl_->pump(now);
}

std::size_t UserAgent::presenceWatchers() const
{
    return impl_->watchers.size();
}

void UserAgent::setFocus(CallHandle call, bool focus)
{
    impl_->setFocus(call, focus);
}

void UserAgent::setFocusForNewCalls(bool focus)
{
    impl_->focusNewCalls = focus;
}

void UserAgent::setReferFromAnyone(bool anyone)
{
    impl_->referFromAnyone = anyone;
}

void UserAgent::setConferenceDocument(std::string contentType, std::string body, TimePoint now)
{
    impl_->setConferenceDocument(std::move(contentType), std::move(body), now);
    impl_->pump(now);
}

std::size_t UserAgent::conferenceWatchers() const
{
    std::size_t n = 0;
    for (const auto& [id, w] : impl_->watchers) {
        if (w.event == "conference") ++n;
    }
    return n;
}

void UserAgent::refer(CallHandle call, const Uri& referTo, std::string replaces, TimePoint now)
{
    impl_->refer(call, referTo, std::move(replaces), now);
    impl_->pump(now);
}

void UserAgent::notifyRefer(CallHandle call, std::uint64_t id, int code, std::string reason, TimePoint now)
{
    impl_->notifyRefer(call, id, code, std::move(reason), now);
    impl_->pump(now);
}

std::optional<DialogId> UserAgent::dialogId(CallHandle call) const
{
    auto it = impl_->calls.find(call);
    if (it == impl_->calls.end() || !it->second.dialog) return std::nullopt;
    const Dialog& d = *it->second.dialog;
    return DialogId{d.callId, d.localTag, d.remoteTag, d.remoteTarget};
}

std::size_t UserAgent::activeCalls() const
{
    return impl_->calls.size();
}

} // namespace vphone::sip
