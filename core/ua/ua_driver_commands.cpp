// UaDriver's commands: each one finds the account's sans-I/O user agent for a global handle,
// hands it the command with the current time and pumps what it produced onto the sockets
// (ua_driver.cpp: sockets, timers, keep-alives and the event pump; ua_driver_stun.cpp: STUN).
#include "ua/ua_driver.h"

namespace vphone::ua {

void UaDriver::registerAccount()
{
    for (int i = 0; i < accountCount(); ++i) {
        if (!accounts_[static_cast<std::size_t>(i)].aor.isEmpty()) registerAccount(i);
    }
}

void UaDriver::registerAccount(AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return;
    ua->registerAccount(now());
    pump();
}

void UaDriver::unregister()
{
    for (int i = 0; i < accountCount(); ++i) {
        if (!accounts_[static_cast<std::size_t>(i)].aor.isEmpty()) unregister(i);
    }
}

void UaDriver::unregister(AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return;
    ua->unregister(now());
    pump();
}

sip::CallHandle UaDriver::call(const sip::Uri& target, const std::string& sdpOffer, AccountId account,
                               const std::string& replaces, const std::string& referredBy)
{
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, replaces.empty() && referredBy.empty()
                                       ? ua->call(target, sdpOffer, now())
                                       : ua->call(target, sdpOffer, replaces, referredBy, now()));
    pump();
    return h;
}

void UaDriver::ringing(sip::CallHandle call)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->ringing(local(call), now());
    pump();
}

void UaDriver::answer(sip::CallHandle call, const std::string& sdpAnswer)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->answer(local(call), sdpAnswer, now());
    pump();
}

void UaDriver::reject(sip::CallHandle call, int code)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->reject(local(call), code, now());
    pump();
}

void UaDriver::redirect(sip::CallHandle call, int code, const std::vector<sip::Uri>& contacts)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->redirect(local(call), code, contacts, now());
    pump();
}

void UaDriver::hangUp(sip::CallHandle call)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->hangUp(local(call), now());
    pump();
}

void UaDriver::refer(sip::CallHandle call, const sip::Uri& referTo, const std::string& replaces)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->refer(local(call), referTo, replaces, now());
    pump();
}

void UaDriver::notifyRefer(sip::CallHandle call, std::uint64_t id, int code, const std::string& reason)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->notifyRefer(local(call), id, code, reason, now());
    pump();
}

std::optional<sip::DialogId> UaDriver::dialogId(sip::CallHandle call) const
{
    const auto account = static_cast<std::size_t>(accountOf(call));
    if (account >= accounts_.size()) return std::nullopt;
    return accounts_[account].ua->dialogId(local(call));
}

void UaDriver::reinvite(sip::CallHandle call, const std::string& sdpOffer)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->reinvite(local(call), sdpOffer, now());
    pump();
}

void UaDriver::update(sip::CallHandle call, const std::string& sdpOffer)
{
    auto* ua = uaOf(accountOf(call));
    if (!ua) return;
    ua->update(local(call), sdpOffer, now());
    pump();
}

sip::MessageHandle UaDriver::sendMessage(const sip::Uri& to, const std::string& contentType,
                                         const std::string& body, AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, ua->sendMessage(to, contentType, body, now()));
    pump();
    return h;
}

sip::MessageHandle UaDriver::sendMessage(sip::CallHandle call, const std::string& contentType,
                                         const std::string& body)
{
    const AccountId account = accountOf(call);
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, ua->sendMessage(local(call), contentType, body, now()));
    pump();
    return h;
}

sip::SubscriptionHandle UaDriver::subscribe(const sip::Uri& target, const std::string& event,
                                            const std::string& accept, std::uint32_t expires,
                                            AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, ua->subscribe(target, event, accept, expires, now()));
    pump();
    return h;
}

void UaDriver::unsubscribe(sip::SubscriptionHandle subscription)
{
    auto* ua = uaOf(accountOf(subscription));
    if (!ua) return;
    ua->unsubscribe(local(subscription), now());
    pump();
}

sip::PublicationHandle UaDriver::publish(const std::string& event, const std::string& contentType,
                                         const std::string& body, std::uint32_t expires, AccountId account)
{
    auto* ua = uaOf(account);
    if (!ua) return 0;
    const auto h = global(account, ua->publish(event, contentType, body, expires, now()));
    pump();
    return h;
}

void UaDriver::republish(sip::PublicationHandle publication, const std::string& contentType,
                         const std::string& body)
{
    auto* ua = uaOf(accountOf(publication));
    if (!ua) return;
    ua->republish(local(publication), contentType, body, now());
    pump();
}

void UaDriver::unpublish(sip::PublicationHandle publication)
{
    auto* ua = uaOf(accountOf(publication));
    if (!ua) return;
    ua->unpublish(local(publication), now());
    pump();
}

void UaDriver::setPresenceDocument(const std::string& contentType, const std::string& body)
{
    for (auto& a : accounts_)
        a.ua->setPresenceDocument(contentType, body, now());
    pump();
}

void UaDriver::setFocus(sip::CallHandle call, bool focus)
{
    if (auto* ua = uaOf(accountOf(call))) ua->setFocus(local(call), focus);
}

void UaDriver::setFocusForNewCalls(bool focus)
{
    for (auto& a : accounts_)
        a.ua->setFocusForNewCalls(focus);
}

void UaDriver::setReferFromAnyone(bool anyone)
{
    referFromAnyone_ = anyone;
    for (auto& a : accounts_)
        a.ua->setReferFromAnyone(anyone);
}

void UaDriver::setConferenceDocument(const std::string& contentType, const std::string& body)
{
    for (auto& a : accounts_)
        a.ua->setConferenceDocument(contentType, body, now());
    pump();
}

} // namespace vphone::ua
