// Dialog creation and request routing (RFC 3261 §12.1, §12.2.1.1, §8.1.2); see dialog.h.
#include "dialog.h"

#include "charset.h"

#include <algorithm>

namespace vphone::sip {

namespace {

std::vector<NameAddr> recordRoutes(const Message& m)
{
    auto routes = m.routes(HeaderId::RecordRoute);
    return routes ? *routes : std::vector<NameAddr>{};
}

} // namespace

std::string withTag(std::string_view nameAddrValue, std::string_view tag)
{
    auto parsed = parseNameAddr(nameAddrValue);
    if (!parsed) return std::string(nameAddrValue);
    std::erase_if(parsed->params, [](const Param& p) { return charset::iequals(p.name, "tag"); });
    if (!tag.empty()) parsed->params.push_back(Param{"tag", std::string(tag)});
    return parsed->toString();
}

std::optional<Dialog> dialogAsUac(const Message& request, const Message& response)
{
    const auto from = request.fromView();
    const auto to = response.toView();
    const auto callId = request.callId();
    const auto cseq = request.cseq();
    if (!from || !to || !callId || !cseq || to->tag.empty()) return std::nullopt;
    Dialog d;
    d.callId = std::string(*callId);
    d.localTag = std::string(from->tag);
    d.remoteTag = std::string(to->tag);
    d.localParty = std::string(request.get(HeaderId::From).value_or(""));
    d.remoteParty = std::string(response.get(HeaderId::To).value_or(""));
    // §12.1.2: the route set is the Record-Route of the response, in reverse order.
    d.routeSet = recordRoutes(response);
    std::reverse(d.routeSet.begin(), d.routeSet.end());
    if (auto contact = response.contactUri()) {
        d.remoteTarget = *contact;
    } else if (auto uri = request.requestUri()) {
        d.remoteTarget = *uri; // no Contact (broken peer): keep talking to where we sent it
    }
    d.localSeq = cseq->sequence;
    d.confirmed = response.status() / 100 == 2;
    return d;
}

std::optional<Dialog> dialogAsUas(const Message& request, std::string_view localTag)
{
    const auto from = request.fromView();
    const auto callId = request.callId();
    const auto cseq = request.cseq();
    if (!from || !callId || !cseq) return std::nullopt;
    Dialog d;
    d.callId = std::string(*callId);
    d.localTag = std::string(localTag);
    d.remoteTag = std::string(from->tag);
    d.localParty = withTag(request.get(HeaderId::To).value_or(""), localTag);
    d.remoteParty = std::string(request.get(HeaderId::From).value_or(""));
    d.routeSet = recordRoutes(request); // §12.1.1: in order
    if (auto contact = request.contactUri()) {
        d.remoteTarget = *contact;
    } else if (auto fromAddr = request.from()) {
        d.remoteTarget = fromAddr->uri; // no Contact (broken peer): the From URI is all we have
    }
    d.remoteSeq = cseq->sequence;
    d.localSeq = 0; // §12.1.1: empty; our first request uses 1
    return d;
}

Peer peerForUri(const Uri& uri)
{
    Peer peer;
    if (uri.scheme != UriScheme::Sip && uri.scheme != UriScheme::Sips) return peer;
    peer.host = uri.host;
    const auto transport = uri.param("transport");
    if (uri.scheme == UriScheme::Sips || (transport && charset::iequals(*transport, "tls"))) {
        peer.transport = Transport::Tls;
    } else if (transport && charset::iequals(*transport, "tcp")) {
        peer.transport = Transport::Tcp;
    } else {
        peer.transport = Transport::Udp;
    }
    peer.port = uri.port.value_or(peer.transport == Transport::Tls ? 5061 : 5060);
    return peer;
}

NextHop nextHop(const Uri& targetUri, const std::vector<NameAddr>& routeSet,
                const std::optional<Uri>& outboundProxy)
{
    NextHop hop;
    Uri target = targetUri;
    target.headers.clear(); // §19.1.5: URI headers never go into a Request-URI
    if (!routeSet.empty()) {
        const NameAddr& first = routeSet.front();
        if (first.uri.hasParam("lr")) {
            // §12.2.1.1 loose routing: Request-URI is the remote target, Route is the route set.
            hop.requestUri = target.toString();
            for (const auto& r : routeSet) {
                hop.routes.push_back(r.toString());
            }
        } else {
            // Strict router: it becomes the Request-URI, the remote target goes last.
            Uri strict = first.uri;
            strict.headers.clear();
            hop.requestUri = strict.toString();
            for (std::size_t i = 1; i < routeSet.size(); ++i) {
                hop.routes.push_back(routeSet[i].toString());
            }
            hop.routes.push_back("<" + target.toString() + ">");
        }
        hop.peer = peerForUri(first.uri);
        return hop;
    }
    hop.requestUri = target.toString();
    if (outboundProxy) {
        Uri proxy = *outboundProxy;
        if (!proxy.hasParam("lr")) proxy.params.push_back(Param{"lr", std::nullopt});
        hop.routes.push_back("<" + proxy.toString() + ">");
        hop.peer = peerForUri(*outboundProxy);
        return hop;
    }
    hop.peer = peerForUri(target);
    return hop;
}

} // namespace vphone::sip
