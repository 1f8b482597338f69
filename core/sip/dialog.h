// Dialogs (RFC 3261 §12): the state two UAs share once an INVITE has been answered with a tag,
// and the routing of requests inside it (§12.2.1.1) and outside it (§8.1.2).
//
// Theory of operation: a Dialog keeps the From/To header values as they appear on requests we
// send (local party with our tag, remote party with theirs), the remote target (the peer's
// Contact), the route set and both CSeq counters. dialogAsUac() builds it from our request and a
// 1xx/2xx response carrying a To tag (§12.1.2: Record-Route reversed), dialogAsUas() from a
// received request and the tag we chose (§12.1.1: Record-Route in order). nextHop() turns a
// target URI, a route set and the optional outbound proxy into the Request-URI, the Route header
// values and the Peer the transport sends to.
#pragma once

#include "headers.h"
#include "message.h"
#include "transaction.h"
#include "uri.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sip {

/// One dialog, identified by Call-ID, local tag and remote tag (§12).
struct Dialog {
    std::string callId;
    std::string localTag;
    std::string remoteTag;
    std::string localParty;  ///< From value of our requests (with our tag)
    std::string remoteParty; ///< To value of our requests (with the remote tag)
    Uri remoteTarget;        ///< Contact of the peer
    std::vector<NameAddr> routeSet;
    std::uint32_t localSeq = 0;
    std::optional<std::uint32_t> remoteSeq;
    bool confirmed = false; ///< false while early (§12.1)
    /// RFC 3262 §4 (UAC): RSeq of the last in-order reliable 1xx received on this dialog.
    std::optional<std::uint32_t> remoteRSeq;

    /// §12.2.2 matching of a received request: Call-ID, To tag = local tag, From tag = remote tag.
    bool matches(std::string_view callIdValue, std::string_view local, std::string_view remote) const
    {
        return callId == callIdValue && localTag == local && remoteTag == remote;
    }
};

/// The UAC side of a dialog from our request and a response with a To tag (§12.1.2).
std::optional<Dialog> dialogAsUac(const Message& request, const Message& response);
/// The UAS side of a dialog from a received request and our To tag (§12.1.1).
std::optional<Dialog> dialogAsUas(const Message& request, std::string_view localTag);

/// Where a request goes: its Request-URI, the Route header values and the first hop.
struct NextHop {
    std::string requestUri;
    std::vector<std::string> routes;
    Peer peer;
};

/// The Peer a URI designates: host as text (IPv6 without brackets), port (5060, or 5061 for
/// sips/tls), transport from ;transport (udp by default, tls for sips). Invalid transport for
/// a URI that is not sip/sips.
Peer peerForUri(const Uri& uri);

/// The next hop for a request to `target` (§8.1.2, §12.2.1.1). A non-empty route set wins (loose
/// routing; a first route without ;lr is a strict router: it becomes the Request-URI and the
/// target goes last); with no route set the outbound proxy, when set, gets a Route <proxy;lr>;
/// otherwise the request goes to the target itself.
NextHop nextHop(const Uri& target, const std::vector<NameAddr>& routeSet,
                const std::optional<Uri>& outboundProxy);

/// A header value with its ;tag parameter removed or replaced (empty `tag` removes it).
std::string withTag(std::string_view nameAddrValue, std::string_view tag);

} // namespace vphone::sip
