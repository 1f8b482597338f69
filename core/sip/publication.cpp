// RFC 3903 event state publication client: PUBLISH to our address of record, the SIP-ETag
// cycle, refresh, modify, remove and the 412 recovery. Part of UserAgent::Impl.
//
// Theory of operation: a publication keeps its body and the entity tag of the last 2xx. The
// initial PUBLISH carries the body and no SIP-If-Match (§4.2); a refresh carries SIP-If-Match and
// no body (§4.3), at max(expiry/2, expiry - 32 s) of the granted Expires; a modify carries both
// (§4.4); a remove carries SIP-If-Match and Expires: 0 (§4.5). 412 Conditional Request Failed
// means the server lost our entity: a fresh initial PUBLISH with the body (§4.2, last para).
// 423 retries with Min-Expires; 401/407 are answered with the credentials. One PUBLISH is in
// flight at a time; a republish() during it waits for its response. Every final response is
// reported as a PublicationResult; a removed or failed publication is forgotten. One Call-ID
// per publication with CSeq counting up.
#include "user_agent_impl.h"

namespace vphone::sip {

using namespace std::chrono_literals;

PublicationHandle UserAgent::Impl::publish(std::string event, std::string contentType, std::string body,
                                           std::uint32_t expires, TimePoint now)
{
    const PublicationHandle handle = nextSubscription++;
    if (!config.account) {
        events.emplace_back(PublicationResult{handle, 0, "no account to publish for", 0, false, true});
        return handle;
    }
    Publication& p = publications[handle];
    p.handle = handle;
    p.event = std::move(event);
    p.contentType = std::move(contentType);
    p.body = std::move(body);
    p.requested = expires;
    p.callId = newCallId();
    p.fromTag = token();
    p.bodyPending = true;
    sendPublish(p, now);
    return handle;
}

void UserAgent::Impl::republish(PublicationHandle handle, std::string contentType, std::string body,
                                TimePoint now)
{
    auto it = publications.find(handle);
    if (it == publications.end() || it->second.removing) return;
    Publication& p = it->second;
    p.contentType = std::move(contentType);
    p.body = std::move(body);
    p.bodyPending = true;
    if (p.tx) {
        p.queued = true;
        return;
    }
    p.refreshAt.reset();
    p.retryAt.reset();
    sendPublish(p, now);
}

void UserAgent::Impl::unpublish(PublicationHandle handle, TimePoint now)
{
    auto it = publications.find(handle);
    if (it == publications.end() || it->second.removing) return;
    Publication& p = it->second;
    p.removing = true;
    p.refreshAt.reset();
    p.retryAt.reset();
    if (p.etag.empty() && !p.tx) {
        events.emplace_back(PublicationResult{handle, 200, "nothing published", 0, true, true});
        publications.erase(it);
        return;
    }
    if (p.tx) {
        p.queued = true;
        return;
    }
    sendPublish(p, now);
}

void UserAgent::Impl::sendPublish(Publication& p, TimePoint now)
{
    Uri aor = *config.account;
    aor.password.reset();
    aor.headers.clear();
    const NextHop hop = nextHop(aor, {}, config.outboundProxy);
    ClientRequest cr;
    cr.purpose = Purpose::Publish;
    cr.handle = p.handle;
    cr.peer = hop.peer;
    cr.request = newRequest(Method::Publish, hop, identity() + ";tag=" + p.fromTag,
                            "<" + aor.toString() + ">", p.callId, ++p.cseq, false);
    cr.request.addHeader(HeaderId::Event, p.event);
    if (!p.etag.empty()) cr.request.addHeader(HeaderId::SipIfMatch, p.etag);
    cr.request.addHeader(HeaderId::Expires, std::to_string(p.removing ? 0 : p.requested));
    if (p.bodyPending && !p.removing) cr.request.setBody(p.body, p.contentType);
    p.queued = false;
    cr.auth = p.auth;
    if (!authorize(cr)) cr.auth.clear();
    p.tx = sendClient(std::move(cr), now);
    if (!p.tx) {
        const PublicationHandle handle = p.handle; // p goes with the erase
        events.emplace_back(PublicationResult{handle, 0, "cannot send to this address", 0, false, true});
        publications.erase(handle);
    }
}

void UserAgent::Impl::onPublishResponse(const ClientRequest& cr, const Message* response, TimePoint now)
{
    auto it = publications.find(cr.handle);
    if (it == publications.end()) return;
    Publication& p = it->second;
    const auto cseq = cr.request.cseq();
    if (!cseq || cseq->sequence != p.cseq) return;
    p.tx = 0;
    const PublicationHandle handle = p.handle;
    const int status = response ? response->status() : 408;
    const std::string reason = response ? std::string(response->reason()) : std::string("Request Timeout");
    if (response && (status == 401 || status == 407)) {
        if (TransactionId retry = retryWithAuth(cr, *response, now)) {
            p.tx = retry;
            if (auto seq = clients[retry].request.cseq()) p.cseq = seq->sequence;
            return;
        }
        p.auth.clear();
        events.emplace_back(PublicationResult{handle, status, "authentication failed", 0, false, true});
        publications.erase(it);
        return;
    }
    if (status / 100 == 2) {
        p.auth = cr.auth;
        if (!p.queued && (!cr.request.body().empty() || !cr.request.find(HeaderId::SipIfMatch)))
            p.bodyPending = false;
        if (auto etag = response->get(HeaderId::SipETag)) p.etag = std::string(trimLws(*etag));
        const bool wasRemove = cr.request.expires() && *cr.request.expires() == 0;
        if (wasRemove) {
            events.emplace_back(PublicationResult{handle, status, reason, 0, true, true});
            publications.erase(it);
            return;
        }
        std::uint32_t granted = p.requested;
        if (auto e = response->expires()) granted = *e;
        events.emplace_back(PublicationResult{handle, status, reason, granted, false});
        if (p.queued) {
            sendPublish(p, now);
        } else {
            p.refreshAt = refreshPoint(now, granted);
        }
        return;
    }
    if (status == 412 && !p.removing) {
        // §4.2 / §6: the server does not know our entity tag (any more): publish afresh.
        p.etag.clear();
        p.bodyPending = true;
        sendPublish(p, now);
        return;
    }
    if (status == 423 && !p.removing && response) {
        const auto minExpires = response->get(HeaderId::MinExpires);
        const auto value = minExpires ? parseUint32(*minExpires, "Min-Expires") : Result<std::uint32_t>(0u);
        if (value && *value > p.requested) {
            p.requested = *value;
            sendPublish(p, now);
            return;
        }
    }
    if (p.removing) {
        events.emplace_back(PublicationResult{handle, status, reason, 0, true, true});
        publications.erase(it);
        return;
    }
    if (!p.etag.empty() && (status == 408 || status / 100 == 5)) {
        events.emplace_back(PublicationResult{handle, status, reason, 0, false, false});
        p.retryAt = now + 30s; // a refresh that did not get through: try again while it lives
        return;
    }
    events.emplace_back(PublicationResult{handle, status, reason, 0, false, true});
    publications.erase(it);
}

void UserAgent::Impl::publicationTimers(TimePoint now)
{
    std::vector<PublicationHandle> due;
    for (auto& [h, p] : publications) {
        if ((p.refreshAt && *p.refreshAt <= now) || (p.retryAt && *p.retryAt <= now)) due.push_back(h);
    }
    for (PublicationHandle h : due) {
        auto it = publications.find(h);
        if (it == publications.end() || it->second.tx) continue;
        it->second.refreshAt.reset();
        it->second.retryAt.reset();
        sendPublish(it->second, now);
    }
}

} // namespace vphone::sip
