// Requests outside dialogs: the §8.2.2.2 merged-request check (482), OPTIONS, and MESSAGE
// (RFC 3428) both ways. Part of UserAgent::Impl (user_agent_impl.h); user_agent.cpp routes
// received requests here after validation.
#include "user_agent_impl.h"

namespace vphone::sip {

bool UserAgent::Impl::mergedRequest(RequestReceived& in, TimePoint now)
{
    const Message& request = in.request;
    const auto to = request.toView();
    const auto from = request.fromView();
    const auto callId = request.callId();
    const auto cseq = request.cseq();
    if (!to || !to->tag.empty() || !from || from->tag.empty() || !callId || !cseq) return false;
    std::string key = std::string(*callId) + '\n' + std::string(from->tag) + '\n' +
                      std::to_string(cseq->sequence) + ' ' + cseq->methodText;
    auto it = merged.find(key);
    if (it != merged.end() && it->second != in.id && layer.state(it->second)) {
        // §8.2.2.2: the same request reached us by another path (a forking proxy): a different
        // transaction, so it is a merge, and it gets 482 (Loop Detected).
        reply(in.id, request, 482, now);
        return true;
    }
    if (it != merged.end()) mergedKeys.erase(it->second);
    mergedKeys[in.id] = key;
    merged[std::move(key)] = in.id;
    return false;
}

void UserAgent::Impl::onOptionsRequest(RequestReceived& in, std::string_view toTag, TimePoint now)
{
    Message r = newResponse(in.request, 200, toTag.empty() ? std::string_view(token()) : toTag);
    r.addHeader(HeaderId::Accept, "application/sdp, text/plain");
    layer.sendResponse(in.id, std::move(r), now);
}

void UserAgent::Impl::onMessageRequest(RequestReceived& in, TimePoint now)
{
    if (!addressedToUs(in.request)) {
        reply(in.id, in.request, 404, now);
        return;
    }
    reply(in.id, in.request, 200, now);
    MessageReceived m;
    m.from = std::string(in.request.get(HeaderId::From).value_or(""));
    m.to = std::string(in.request.get(HeaderId::To).value_or(""));
    m.contentType = std::string(in.request.get(HeaderId::ContentType).value_or(""));
    m.body = std::string(in.request.body());
    events.emplace_back(std::move(m));
}

// ---------------------------------------------------------------- MESSAGE (RFC 3428)

MessageHandle UserAgent::Impl::sendMessage(const Uri& to, std::string contentType, std::string body,
                                           TimePoint now)
{
    const MessageHandle handle = nextMessage++;
    const NextHop hop = nextHop(to, {}, config.outboundProxy);
    Uri toUri = to;
    toUri.headers.clear();
    ClientRequest cr;
    cr.purpose = Purpose::Message;
    cr.message = handle;
    cr.peer = hop.peer;
    cr.request = newRequest(Method::Message, hop, identity() + ";tag=" + token(),
                            "<" + toUri.toString() + ">", newCallId(), 1, false);
    cr.request.setBody(body, contentType);
    if (!sendClient(std::move(cr), now)) {
        events.emplace_back(MessageResult{handle, 503, "cannot send to this address"});
    }
    return handle;
}

MessageHandle UserAgent::Impl::sendMessageInDialog(CallHandle call, std::string contentType, std::string body,
                                                   TimePoint now)
{
    const MessageHandle handle = nextMessage++;
    auto it = calls.find(call);
    if (it == calls.end() || !it->second.dialog || it->second.ending) {
        events.emplace_back(MessageResult{handle, 481, "no confirmed dialog for this call"});
        return handle;
    }
    ClientRequest cr;
    cr.purpose = Purpose::Message;
    cr.message = handle;
    cr.call = call;
    cr.request = dialogRequest(*it->second.dialog, Method::Message, cr.peer);
    cr.request.setBody(body, contentType);
    if (!sendClient(std::move(cr), now)) {
        events.emplace_back(MessageResult{handle, 503, "cannot send to this address"});
    }
    return handle;
}

void UserAgent::Impl::onMessageResponse(const ClientRequest& cr, const Message& response, TimePoint now)
{
    const int status = response.status();
    if ((status == 401 || status == 407) && retryWithAuth(cr, response, now)) return;
    events.emplace_back(MessageResult{cr.message, status, std::string(response.reason())});
}

} // namespace vphone::sip
