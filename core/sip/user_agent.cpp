// The user agent core: request and response building, digest retries and the routing of
// received requests (UserAgent's own methods: user_agent_facade.cpp). Theory of operation:
// user_agent_impl.h. Calls live in call_uac.cpp / call_uas.cpp (with prack.cpp and
// call_modify.cpp), requests outside dialogs in out_of_dialog.cpp, registration in
// registration.cpp.
//
// Limits on what comes in: new requests outside dialogs pass a token bucket per source address
// (UaConfig::rateLimit) before the transaction layer sees them; a request without To tag that
// merges with one in progress gets 482 (§8.2.2.2); Max-Forwards 0 gets 483 except for OPTIONS
// (RFC 4475 §3.3.11: an endpoint answers such an OPTIONS). Requests larger than 1300 bytes go
// over TCP instead of UDP when we listen on TCP and the hop did not ask for UDP (§18.1.1).
//
// Call termination convention (CallStateChanged::code): the SIP status that ended the call when
// one did (final response to our INVITE, 487 after CANCEL, the status we rejected with, 408 for
// a timeout or a 2xx never ACKed); 0 for a call ended by BYE, with reason "BYE received" or
// "BYE sent".
#include "user_agent_impl.h"

#include "charset.h"

#include <algorithm>
#include <cstdio>

namespace vphone::sip {

using namespace std::chrono_literals;

namespace {
/// Our option tags, in every Supported header we send.
constexpr std::string_view kSupported = "100rel, replaces";
/// §18.1.1: with the path MTU unknown, a request larger than this goes over TCP.
constexpr std::size_t kMaxUdpRequest = 1300;
} // namespace

std::string hex64(std::uint64_t value)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

namespace {

std::string_view transportName(Transport t)
{
    switch (t) {
    case Transport::Tcp: return "TCP";
    case Transport::Tls: return "TLS";
    default: return "UDP";
    }
}

std::string hostPort(std::string_view host, std::uint16_t port)
{
    std::string out;
    if (host.find(':') != std::string_view::npos) {
        out = "[" + std::string(host) + "]";
    } else {
        out = std::string(host);
    }
    return out + ":" + std::to_string(port);
}

UaCapabilities uaCapabilities()
{
    UaCapabilities caps;
    caps.allowed = {Method::Invite,    Method::Ack,     Method::Bye,   Method::Cancel,
                    Method::Options,   Method::Message, Method::Prack, Method::Update,
                    Method::Subscribe, Method::Notify,  Method::Refer};
    caps.supportedOptions = {"100rel", "replaces"};
    caps.acceptedBodies.push_back("message/cpim");
    caps.acceptedBodies.push_back("text/html");
    return caps;
}

} // namespace

UserAgent::Impl::Impl(UaConfig c)
    : config(std::move(c)), layer(config.timers, config.maxTransactions), caps(uaCapabilities()),
      limiter(config.rateLimit.perSecond, config.rateLimit.burst, config.rateLimit.maxSources)
{
    reg.callId = newCallId();
    reg.fromTag = token();
}

// ---------------------------------------------------------------- building

std::uint64_t UserAgent::Impl::random64()
{
    if (config.random) return config.random();
    // No random source given (tests that do not care): a counter, unique but predictable.
    return 0x5eed000000000000ULL + ++fallbackRandom;
}

std::string UserAgent::Impl::token()
{
    return hex64(random64());
}

Peer UserAgent::Impl::local(Transport transport) const
{
    for (const auto& a : config.localAddresses) {
        if (a.transport == transport) return a;
    }
    if (!config.localAddresses.empty()) {
        Peer p = config.localAddresses.front();
        p.transport = transport;
        return p;
    }
    return Peer{transport, "127.0.0.1", 5060};
}

std::string UserAgent::Impl::contactUser() const
{
    if (config.account && !config.account->user.empty()) return config.account->user;
    return "vphone";
}

std::string UserAgent::Impl::contact(Transport transport) const
{
    const Peer me = local(transport);
    std::string t(transportName(transport));
    for (char& ch : t) {
        ch = charset::toLower(ch);
    }
    return "<sip:" + contactUser() + "@" + hostPort(me.host, me.port) + ";transport=" + t + ">";
}

std::string UserAgent::Impl::via(Transport transport)
{
    const Peer me = local(transport);
    return "SIP/2.0/" + std::string(transportName(transport)) + " " + hostPort(me.host, me.port) +
           ";branch=" + TransactionLayer::newBranch(config.branchTag + token()) + ";rport";
}

std::string UserAgent::Impl::identity() const
{
    if (config.account) {
        std::string out;
        if (!config.displayName.empty()) out = quote(config.displayName) + " ";
        Uri aor = *config.account;
        aor.password.reset();
        aor.headers.clear();
        return out + "<" + aor.toString() + ">";
    }
    // Direct IP calling: the address a reply or a call back must reach, port included unless
    // it is the default (a From without it could not be called back).
    const Peer me = local(Transport::Udp);
    if (me.port != 0 && me.port != 5060)
        return "<sip:" + contactUser() + "@" + hostPort(me.host, me.port) + ">";
    std::string host = me.host.find(':') != std::string::npos ? "[" + me.host + "]" : me.host;
    return "<sip:" + contactUser() + "@" + host + ">";
}

std::string UserAgent::Impl::newCallId()
{
    const Peer me = local(Transport::Udp);
    return token() + "@" + (me.host.find(':') != std::string::npos ? "[" + me.host + "]" : me.host);
}

Message UserAgent::Impl::newRequest(Method method, const NextHop& hop, std::string_view from,
                                    std::string_view to, std::string_view callId, std::uint32_t cseq,
                                    bool withContact)
{
    Message m = Message::request(method, hop.requestUri);
    m.addHeader(HeaderId::Via, via(hop.peer.transport));
    m.addHeader(HeaderId::MaxForwards, "70");
    for (const auto& r : hop.routes) {
        m.addHeader(HeaderId::Route, r);
    }
    m.addHeader(HeaderId::From, from);
    m.addHeader(HeaderId::To, to);
    m.addHeader(HeaderId::CallId, callId);
    m.addHeader(HeaderId::CSeq, std::to_string(cseq) + " " + std::string(methodName(method)));
    if (withContact) {
        std::string focus = focusParam(callId);
        if (focus.empty() && method == Method::Invite && inviteFocus) focus = ";isfocus";
        m.addHeader(HeaderId::Contact, contact(hop.peer.transport) + focus);
    }
    m.addHeader(HeaderId::UserAgent, config.userAgent);
    if (method == Method::Invite && !inviteReplaces.empty()) {
        m.addHeader(HeaderId::Replaces, inviteReplaces);
        m.addHeader(HeaderId::Require, "replaces");
    }
    if (method == Method::Invite && !inviteReferredBy.empty())
        m.addHeader(HeaderId::ReferredBy, inviteReferredBy);
    if (method != Method::Ack) {
        m.addHeader(HeaderId::Allow, caps.allowHeader());
        m.addHeader(HeaderId::Supported, kSupported);
    }
    return m;
}

Message UserAgent::Impl::dialogRequest(Dialog& dialog, Method method, Peer& peer)
{
    const NextHop hop = nextHop(dialog.remoteTarget, dialog.routeSet, config.outboundProxy);
    peer = hop.peer;
    // §12.2.1.1: the local sequence number increments by one for each new request.
    return newRequest(method, hop, dialog.localParty, dialog.remoteParty, dialog.callId, ++dialog.localSeq,
                      method == Method::Invite || method == Method::Update);
}

Message UserAgent::Impl::newResponse(const Message& request, int status, std::string_view toTag)
{
    Message r = TransactionLayer::buildResponse(request, status, toTag);
    const bool invite = request.method() == Method::Invite;
    const bool update = request.method() == Method::Update;
    if ((invite && status > 100 && status < 300) || (update && status / 100 == 2)) {
        // §12.1.1: a dialog-creating response copies Record-Route and carries our Contact;
        // RFC 3311 §5.2: so does the 2xx to UPDATE, a target refresh request.
        for (const auto& h : request.headers()) {
            if (invite && h.id == HeaderId::RecordRoute) r.addHeader(HeaderId::RecordRoute, request.value(h));
        }
        const auto via = request.topViaView();
        Transport t = Transport::Udp;
        if (via && charset::iequals(via->transport, "TCP")) t = Transport::Tcp;
        if (via && charset::iequals(via->transport, "TLS")) t = Transport::Tls;
        r.addHeader(HeaderId::Contact, contact(t) + focusParam(request.callId().value_or("")));
    }
    if (status >= 200 && status < 300 && (invite || request.method() == Method::Options)) {
        r.addHeader(HeaderId::Allow, caps.allowHeader());
        r.addHeader(HeaderId::Supported, kSupported);
    }
    if (status > 100) r.addHeader(HeaderId::Server, config.userAgent);
    return r;
}

void UserAgent::Impl::reply(TransactionId tx, const Message& request, int status, TimePoint now,
                            std::string_view toTag)
{
    std::string tag(toTag);
    if (tag.empty() && status > 100) {
        const auto to = request.toView();
        if (to && to->tag.empty()) tag = token();
    }
    layer.sendResponse(tx, newResponse(request, status, tag), now);
}

// ---------------------------------------------------------------- client transactions

namespace {

/// The URI that chose the request's first hop (see nextHop()) asked for a transport itself.
bool hopTransportExplicit(const Message& request)
{
    const auto uri = request.requestUri();
    if (uri && uri->param("transport")) return true;
    if (request.find(HeaderId::Route)) {
        const auto routes = request.routes();
        if (routes && !routes->empty() && routes->front().uri.param("transport")) return true;
    }
    return false;
}

} // namespace

TransactionId UserAgent::Impl::sendClient(ClientRequest request, TimePoint now)
{
    // §18.1.1: larger than 1300 bytes with the path MTU unknown goes over a congestion-controlled
    // transport, when we have one and the hop did not name UDP explicitly.
    if (request.peer.transport == Transport::Udp && !request.movedToTcp &&
        request.request.serialize().size() > kMaxUdpRequest && !hopTransportExplicit(request.request)) {
        const bool haveTcp = std::any_of(config.localAddresses.begin(), config.localAddresses.end(),
                                         [](const Peer& p) { return p.transport == Transport::Tcp; });
        if (haveTcp) {
            request.peer.transport = Transport::Tcp;
            request.request.setHeader(HeaderId::Via, via(Transport::Tcp));
            request.movedToTcp = true;
        }
    }
    auto id = layer.sendRequest(request.request, request.peer, now);
    if (!id) return 0;
    clients[*id] = std::move(request);
    return *id;
}

TransactionId UserAgent::Impl::retryWithAuth(ClientRequest cr, const Message& response, TimePoint now)
{
    if (!config.credentials) return 0;
    const bool proxy = response.status() == 407;
    const HeaderId challengeHeader = proxy ? HeaderId::ProxyAuthenticate : HeaderId::WwwAuthenticate;
    std::vector<DigestChallenge> offered;
    for (const auto& h : response.headers()) {
        if (h.id != challengeHeader) continue;
        auto auth = parseAuth(response.value(h), headerName(challengeHeader));
        if (!auth) continue;
        auto challenge = parseDigestChallenge(*auth, headerName(challengeHeader));
        if (challenge) offered.push_back(std::move(*challenge));
    }
    const auto chosen = chooseChallenges(offered);
    if (chosen.empty()) return 0;
    // Give up on a loop of stale nonces too, not only on wrong passwords.
    if (++cr.authRetries > 5) return 0;
    for (const auto& challenge : chosen) {
        auto it = std::find_if(cr.auth.begin(), cr.auth.end(), [&](const AuthState& a) {
            return a.proxy == proxy && a.session.challenge().realm == challenge.realm;
        });
        if (it != cr.auth.end()) {
            // We answered this realm and it challenges again: only a stale nonce is worth a retry
            // (RFC 7616 §3.3); anything else means the credentials are wrong.
            if (cr.answeredChallenge && !challenge.stale) return 0;
            it->session.update(challenge);
        } else {
            cr.auth.push_back(AuthState{proxy, DigestSession(challenge)});
        }
    }
    Message& request = cr.request;
    const auto cseq = request.cseq();
    if (!cseq) return 0;
    request.removeHeaders(HeaderId::Authorization);
    request.removeHeaders(HeaderId::ProxyAuthorization);
    // §22.2: the retry is a new request: CSeq + 1, a new branch, same Call-ID, From and To.
    request.setHeader(HeaderId::Via, via(cr.peer.transport));
    request.setHeader(HeaderId::CSeq, std::to_string(cseq->sequence + 1) + " " + cseq->methodText);
    if (!authorize(cr)) return 0;
    cr.answeredChallenge = true;
    return sendClient(std::move(cr), now);
}

bool UserAgent::Impl::authorize(ClientRequest& cr)
{
    if (!config.credentials) return false;
    Message& request = cr.request;
    for (auto& a : cr.auth) {
        auto value = a.session.authorize(*config.credentials, request.methodText(), request.requestUriText(),
                                         request.body(), token());
        if (!value) return false;
        request.addHeader(a.proxy ? HeaderId::ProxyAuthorization : HeaderId::Authorization, *value);
    }
    return true;
}

// ---------------------------------------------------------------- event pump

void UserAgent::Impl::pump(TimePoint now)
{
    while (auto ev = layer.pollEvent()) {
        dispatch(std::move(*ev), now);
    }
}

void UserAgent::Impl::dispatch(TransactionEvent event, TimePoint now)
{
    if (auto* rq = std::get_if<RequestReceived>(&event)) {
        onRequest(*rq, now);
    } else if (auto* rs = std::get_if<ResponseReceived>(&event)) {
        onResponse(*rs, now);
    } else if (auto* ack = std::get_if<AckReceived>(&event)) {
        onAck(ack->ack, now);
    } else if (auto* stray = std::get_if<StrayResponse>(&event)) {
        onStrayResponse(stray->response, stray->from, now);
    } else if (auto* timeout = std::get_if<TransactionTimeout>(&event)) {
        onClientTimeout(timeout->id, timeout->cause, now);
    } else if (auto* done = std::get_if<TransactionTerminated>(&event)) {
        clients.erase(done->id);
        if (auto key = mergedKeys.find(done->id); key != mergedKeys.end()) {
            merged.erase(key->second);
            mergedKeys.erase(key);
        }
    }
}

void UserAgent::Impl::onResponse(ResponseReceived& in, TimePoint now)
{
    auto it = clients.find(in.id);
    if (it == clients.end()) return; // CANCEL responses and the like: nothing to do
    const int status = in.response.status();
    if (status >= 200) {
        ClientRequest cr = std::move(it->second);
        clients.erase(it);
        switch (cr.purpose) {
        case Purpose::Register: onRegisterResponse(cr, in.response, now); break;
        case Purpose::Invite: onInviteResponse(cr, in.response, now); break;
        case Purpose::Bye:
        case Purpose::OrphanBye: onByeResponse(cr, &in.response, now); break;
        case Purpose::Message: onMessageResponse(cr, in.response, now); break;
        case Purpose::Prack: onPrackResponse(cr, &in.response, now); break;
        case Purpose::ReInvite:
        case Purpose::Update: onModifyResponse(in.id, cr, &in.response, now); break;
        case Purpose::Subscribe: onSubscribeResponse(cr, &in.response, now); break;
        case Purpose::Publish: onPublishResponse(cr, &in.response, now); break;
        case Purpose::Notify: onNotifyResponse(cr, &in.response, now); break;
        case Purpose::Refer: onReferResponse(in.id, cr, &in.response, now); break;
        case Purpose::ReferNotify: onReferNotifyResponse(cr, &in.response, now); break;
        default: break;
        }
        return;
    }
    if (it->second.purpose == Purpose::Invite) onInviteResponse(it->second, in.response, now);
}

void UserAgent::Impl::onClientTimeout(TransactionId id, TimeoutCause cause, TimePoint now)
{
    // RFC 3261 §8.1.3.1: a timeout is a 408; a transport failure (connection refused, TLS
    // certificate refused, name not resolved) is treated as a 503.
    const int code = cause == TimeoutCause::Transport ? 503 : 408;
    const char* reason =
        cause == TimeoutCause::Transport ? "Service Unavailable (transport error)" : "Request Timeout";
    auto it = clients.find(id);
    if (it == clients.end()) return; // server transactions (no ACK to our error): nothing to do
    ClientRequest cr = std::move(it->second);
    clients.erase(it);
    if (cause == TimeoutCause::Transport && cr.movedToTcp) {
        // §18.1.1: the TCP attempt for a request that would have gone over UDP failed: UDP then.
        ClientRequest udp = cr;
        udp.peer.transport = Transport::Udp;
        udp.request.setHeader(HeaderId::Via, via(Transport::Udp));
        const Purpose purpose = cr.purpose;
        const CallHandle handle = cr.call;
        if (const TransactionId retry = sendClient(std::move(udp), now)) {
            auto c = calls.find(handle);
            if (purpose == Purpose::Invite && c != calls.end() && c->second.inviteTx == id) {
                c->second.inviteTx = retry;
                c->second.invite = clients[retry].request;
            }
            if ((purpose == Purpose::ReInvite || purpose == Purpose::Update) && c != calls.end() &&
                c->second.modify && c->second.modify->tx == id) {
                c->second.modify->tx = retry;
            }
            return;
        }
    }
    switch (cr.purpose) {
    case Purpose::Register: onRegisterTimeout(id, cause, now); break;
    case Purpose::Invite:
        if (calls.contains(cr.call)) finish(cr.call, code, reason);
        break;
    case Purpose::Bye:
    case Purpose::OrphanBye: onByeResponse(cr, nullptr, now); break;
    case Purpose::Message: events.emplace_back(MessageResult{cr.message, code, reason}); break;
    case Purpose::Prack: onPrackResponse(cr, nullptr, now); break;
    case Purpose::ReInvite:
    case Purpose::Update: {
        Message failed = Message::response(code, reason);
        onModifyResponse(id, cr, &failed, now);
        break;
    }
    case Purpose::Subscribe: onSubscribeResponse(cr, nullptr, now); break;
    case Purpose::Publish: onPublishResponse(cr, nullptr, now); break;
    case Purpose::Notify: onNotifyResponse(cr, nullptr, now); break;
    case Purpose::Refer: {
        Message failed = Message::response(code, reason);
        onReferResponse(id, cr, &failed, now);
        break;
    }
    case Purpose::ReferNotify: onReferNotifyResponse(cr, nullptr, now); break;
    default: break;
    }
}

// ---------------------------------------------------------------- incoming requests

bool UserAgent::Impl::addressedToUs(const Message& request) const
{
    if (!config.account) return true; // direct IP calling: any user at our address
    const auto uri = request.requestUri();
    if (uri && (uri->user == config.account->user || uri->user == contactUser())) return true;
    const auto to = request.to();
    return to && to->uri.user == config.account->user;
}

void UserAgent::Impl::onRequest(RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    const Verdict verdict = validateRequest(request, caps);
    if (verdict.action == Verdict::Action::Drop) return;
    if (verdict.action == Verdict::Action::Reject) {
        // The verdict's reason phrase may say more than the standard one ("... (why)").
        Message r = Message::response(verdict.status, verdict.reason);
        Message built = TransactionLayer::buildResponse(request, verdict.status, token());
        for (const auto& h : built.headers()) {
            r.addHeader(built.name(h), built.value(h));
        }
        for (const auto& extra : verdict.extraHeaders) {
            const auto colon = extra.find(':');
            if (colon == std::string::npos) continue;
            r.addHeader(trimLws(std::string_view(extra).substr(0, colon)),
                        trimLws(std::string_view(extra).substr(colon + 1)));
        }
        layer.sendResponse(in.id, std::move(r), now);
        return;
    }
    // A UA is where requests end, but Max-Forwards 0 still means a loop or a too-long path
    // upstream; only OPTIONS is answered then (RFC 4475 §3.3.11), as a probe of this hop.
    if (request.method() != Method::Options && request.method() != Method::Cancel) {
        if (auto mf = request.maxForwards(); mf && *mf == 0 && request.find(HeaderId::MaxForwards)) {
            reply(in.id, request, 483, now);
            return;
        }
    }
    if (request.method() == Method::Cancel) {
        onCancel(in, now);
        return;
    }
    if (mergedRequest(in, now)) return;
    const auto to = request.toView();
    if (to && !to->tag.empty()) {
        if (request.method() == Method::Notify && onReferNotify(in, now)) return;
        if (onSubscriptionDialogRequest(in, now)) return;
        onInDialogRequest(in, now);
        return;
    }
    switch (request.method()) {
    case Method::Invite: onInvite(in, now); return;
    case Method::Options: onOptionsRequest(in, {}, now); return;
    case Method::Message: onMessageRequest(in, now); return;
    case Method::Subscribe: onSubscribe(in, now); return;
    case Method::Refer: onReferOutOfDialog(in, now); return;
    default: reply(in.id, request, 481, now); return; // BYE and friends need a dialog
    }
}

// ---------------------------------------------------------------- timers

void UserAgent::Impl::onTimers(TimePoint now)
{
    retransmitOks(now);
    reliableTimers(now);
    modifyTimers(now);
    registrationTimers(now);
    subscriptionTimers(now);
    publicationTimers(now);
    watcherTimers(now);
    referTimers(now);
}

std::optional<TimePoint> UserAgent::Impl::nextTimeout() const
{
    std::optional<TimePoint> next = layer.nextTimeout();
    auto consider = [&next](std::optional<TimePoint> at) {
        if (at && (!next || *at < *next)) next = at;
    };
    for (const auto& [handle, c] : calls) {
        if (c.pendingOk) consider(c.pendingOk->nextAt);
        if (c.unacked) consider(c.unacked->nextAt);
        if (c.modify) consider(c.modify->retryAt);
    }
    consider(reg.refreshAt);
    consider(reg.retryAt);
    consider(eventTimeout());
    consider(referTimeout());
    return next;
}

} // namespace vphone::sip
