// Registration (RFC 3261 §10.2): REGISTER, refresh before expiry, 423 Interval Too Brief,
// digest challenges, retry with back-off after failures, and unregistering (Expires: 0).
//
// Theory of operation: one Call-ID and an incrementing CSeq for the UA's lifetime (§10.2). Only
// the latest REGISTER counts: responses to an older one are ignored. A 2xx schedules the refresh
// at max(expiry/2, expiry - 32 s) after now (at least 1 s); a timeout, 408, 480 or 5xx reports
// Failed and retries after 30 s, doubling up to 30 min, each delay drawn from 80-100 % of its
// nominal value so that many phones behind one broken link do not retry in step (RFC 5626 §4.5
// asks the same of flow recovery). Authentication failures and other errors report Failed and
// wait for the next registerAccount().
//
// Network changes (networkChanged()): the driver hands over the new local addresses; Contact
// and Via use them from the next request on. An account that wants to be registered sends a
// REGISTER at once, with the back-off reset, carrying the new Contact and the old one with
// expires=0 (§10.2.2) so the registrar forgets the address that may be gone. If the registrar is
// unreachable the usual timeout/back-off applies until it answers.
#include "user_agent_impl.h"

#include <algorithm>

namespace vphone::sip {

using namespace std::chrono_literals;

namespace {

constexpr std::chrono::seconds kFirstRetry{30};
constexpr std::chrono::seconds kMaxRetry{1800};
constexpr std::chrono::seconds kRefreshMargin{32};

/// §10.2.4: the expiry the registrar granted our contact.
std::uint32_t grantedExpiry(const Message& response, const Uri& ours, std::uint32_t requested)
{
    if (auto contacts = response.contacts()) {
        for (const auto& c : contacts->contacts) {
            const bool same = c.uri.equivalent(ours) ||
                              (c.uri.user == ours.user && c.uri.host == ours.host && c.uri.port == ours.port);
            if (!same) continue;
            if (auto e = c.param("expires")) {
                if (auto v = parseUint32(*e, "expires")) return *v;
            }
            break;
        }
    }
    if (auto e = response.expires()) return *e;
    return requested;
}

} // namespace

void UserAgent::Impl::registrationChanged(RegistrationState state, int code, std::string reason,
                                          std::uint32_t expires)
{
    reg.state = state;
    events.emplace_back(RegistrationChanged{state, code, std::move(reason), expires});
}

void UserAgent::Impl::registerAccount(TimePoint now)
{
    if (!config.account) {
        registrationChanged(RegistrationState::Failed, 0, "no account configured");
        return;
    }
    reg.unregistering = false;
    reg.requested = config.registerExpires;
    reg.backoff = kFirstRetry;
    reg.retryAt.reset();
    reg.refreshAt.reset();
    if (reg.state != RegistrationState::Registered)
        registrationChanged(RegistrationState::Registering, 0, {});
    sendRegister(now);
}

void UserAgent::Impl::unregister(TimePoint now)
{
    if (!config.account) return;
    reg.unregistering = true;
    reg.retryAt.reset();
    reg.refreshAt.reset();
    registrationChanged(RegistrationState::Unregistering, 0, {});
    sendRegister(now);
}

void UserAgent::Impl::sendRegister(TimePoint now)
{
    Uri registrar;
    if (config.registrar) {
        registrar = *config.registrar;
    } else {
        registrar = *config.account; // §10.2: the domain of the address of record
        registrar.user.clear();
        registrar.password.reset();
        registrar.headers.clear();
    }
    const NextHop hop = nextHop(registrar, {}, config.outboundProxy);
    Uri aor = *config.account;
    aor.password.reset();
    aor.headers.clear();
    const std::string aorText = "<" + aor.toString() + ">";
    ClientRequest cr;
    cr.purpose = Purpose::Register;
    cr.peer = hop.peer;
    cr.request = newRequest(Method::Register, hop, aorText + ";tag=" + reg.fromTag, aorText, reg.callId,
                            ++reg.cseq, true);
    if (!reg.staleContact.empty()) {
        const std::string current = contact(hop.peer.transport);
        if (reg.staleContact != current && !reg.unregistering)
            cr.request.addHeader(HeaderId::Contact, reg.staleContact + ";expires=0");
        reg.staleContact.clear();
    }
    cr.request.addHeader(HeaderId::Expires, std::to_string(reg.unregistering ? 0 : reg.requested));
    cr.auth = reg.auth;
    if (!authorize(cr)) cr.auth.clear();
    reg.tx = sendClient(std::move(cr), now);
    if (!reg.tx) {
        registrationChanged(RegistrationState::Failed, 0, "cannot send to the registrar");
    }
}

void UserAgent::Impl::onRegisterResponse(const ClientRequest& cr, const Message& response, TimePoint now)
{
    const auto cseq = cr.request.cseq();
    if (!cseq || cseq->sequence != reg.cseq) return; // an older REGISTER: superseded
    const int status = response.status();
    const std::string reason(response.reason());
    reg.auth = cr.auth;
    if (status / 100 == 2) {
        reg.backoff = kFirstRetry;
        if (reg.unregistering) {
            registrationChanged(RegistrationState::Unregistered, status, reason);
            return;
        }
        Uri ours;
        if (auto c = parseNameAddr(contact(cr.peer.transport))) ours = c->uri;
        const std::uint32_t expiry = grantedExpiry(response, ours, reg.requested);
        const std::chrono::seconds granted{expiry};
        const auto delay = std::max({granted / 2, granted - kRefreshMargin, std::chrono::seconds{1}});
        reg.refreshAt = now + delay;
        registrationChanged(RegistrationState::Registered, status, reason, expiry);
        return;
    }
    if (status == 401 || status == 407) {
        if (TransactionId retry = retryWithAuth(cr, response, now)) {
            reg.tx = retry;
            if (auto seq = clients[retry].request.cseq()) reg.cseq = seq->sequence;
            return;
        }
        reg.auth.clear();
        registrationChanged(RegistrationState::Failed, status, "authentication failed");
        return;
    }
    if (status == 423 && !reg.unregistering) {
        // §10.2.8: ask again with at least Min-Expires.
        const auto minExpires = response.get(HeaderId::MinExpires);
        const auto value = minExpires ? parseUint32(*minExpires, "Min-Expires") : Result<std::uint32_t>(0u);
        if (value && *value > reg.requested) {
            reg.requested = *value;
            sendRegister(now);
            return;
        }
    }
    registrationChanged(RegistrationState::Failed, status, reason);
    if (status == 408 || status == 480 || status / 100 == 5) scheduleRetry(now);
}

void UserAgent::Impl::scheduleRetry(TimePoint now)
{
    // 80-100 % of the nominal back-off, in milliseconds.
    const std::uint64_t draw = config.random ? config.random() : ++fallbackRandom;
    const auto nominal = std::chrono::duration_cast<std::chrono::milliseconds>(reg.backoff);
    const auto jitter = nominal / 5 * static_cast<long long>(draw % 1001) / 1000;
    reg.retryAt = now + (nominal - jitter);
    reg.backoff = std::min(2 * reg.backoff, kMaxRetry);
}

void UserAgent::Impl::onRegisterTimeout(TransactionId id, TimeoutCause cause, TimePoint now)
{
    if (id != reg.tx) return;
    if (cause == TimeoutCause::Transport) {
        // Refused connection, TLS verification failure, unreachable host: known at once.
        registrationChanged(RegistrationState::Failed, 503,
                            "Service Unavailable (transport error: the registrar cannot be reached)");
    } else {
        registrationChanged(RegistrationState::Failed, 0, "Request Timeout: no response from the registrar");
    }
    if (reg.unregistering) return;
    scheduleRetry(now);
}

void UserAgent::Impl::registrationTimers(TimePoint now)
{
    if (reg.refreshAt && *reg.refreshAt <= now) {
        reg.refreshAt.reset();
        sendRegister(now);
    }
    if (reg.retryAt && *reg.retryAt <= now) {
        reg.retryAt.reset();
        if (reg.state != RegistrationState::Registered)
            registrationChanged(RegistrationState::Registering, 0, {});
        sendRegister(now);
    }
}

void UserAgent::Impl::networkChanged(std::vector<Peer> localAddresses, TimePoint now)
{
    // The Contact the registrar holds now, for the transport REGISTER uses.
    std::string previous;
    if (config.account) {
        Uri registrar = config.registrar ? *config.registrar : *config.account;
        previous = contact(nextHop(registrar, {}, config.outboundProxy).peer.transport);
    }
    if (!localAddresses.empty()) config.localAddresses = std::move(localAddresses);
    if (!config.account || reg.unregistering) return;
    // Registered, registering, or failed for a reason worth retrying: register again now. An
    // account that never registered, or failed authentication, waits for registerAccount().
    const bool wanted = reg.state == RegistrationState::Registered ||
                        reg.state == RegistrationState::Registering || reg.retryAt.has_value();
    if (!wanted) return;
    if (reg.staleContact.empty()) reg.staleContact = previous;
    reg.backoff = kFirstRetry;
    reg.retryAt.reset();
    reg.refreshAt.reset();
    if (reg.state != RegistrationState::Registered && reg.state != RegistrationState::Registering)
        registrationChanged(RegistrationState::Registering, 0, {});
    sendRegister(now);
}

void UserAgent::networkChanged(std::vector<Peer> localAddresses, TimePoint now)
{
    impl_->networkChanged(std::move(localAddresses), now);
    impl_->pump(now);
}

} // namespace vphone::sip
