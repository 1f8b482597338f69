// What a UA must check before acting on a message (RFC 3261 §8.2 and §8.1.3), beyond syntax.
#pragma once

#include "message.h"
#include "parser.h"

#include <string>
#include <string_view>
#include <vector>

namespace vphone::sip {

/// What this UA supports; drives 405/415/416/420/501 decisions.
struct UaCapabilities {
    std::vector<Method> allowed{Method::Invite,  Method::Ack,      Method::Bye,   Method::Cancel,
                                Method::Options, Method::Register, Method::Prack, Method::Subscribe,
                                Method::Notify,  Method::Publish,  Method::Info,  Method::Refer,
                                Method::Message, Method::Update};
    std::vector<std::string> supportedOptions{"100rel", "replaces", "timer", "norefersub",
                                              "path",   "outbound", "gruu"};
    /// Body types understood (type/subtype; "multipart/*" accepted for parsing).
    std::vector<std::string> acceptedBodies{"application/sdp",
                                            "text/plain",
                                            "message/sipfrag",
                                            "application/pidf+xml",
                                            "application/dialog-info+xml",
                                            "application/simple-message-summary",
                                            "application/conference-info+xml",
                                            "multipart/mixed",
                                            "multipart/alternative",
                                            "multipart/related",
                                            "multipart/signed"};
    /// Text for an Allow header.
    std::string allowHeader() const;
};

/// The outcome of checking a message.
struct Verdict {
    enum class Action { Invalid, Accept, Reject, Drop };
    Action action = Action::Invalid;
    int status = 0;     ///< response to send when Reject
    std::string reason; ///< reason phrase; for Drop, why
    /// Extra headers the response must carry (Unsupported, Allow, Accept), as "Name: value".
    std::vector<std::string> extraHeaders;

    static Verdict accept() { return {Action::Accept, 0, {}, {}}; }
};

/// Checks a parsed request as a UA would: mandatory and single headers, scalar ranges, CSeq
/// method, version (505), URI scheme (416), method (501/405), Require (420), body type (415),
/// Accept (406).
Verdict validateRequest(const Message& request, const UaCapabilities& caps = {});

/// Checks a parsed response: status range, mandatory headers, scalars, a single Via
/// (§8.1.3.3). Failures are Drop.
Verdict validateResponse(const Message& response);

/// Parses a datagram and checks it: what a UA does with one UDP packet. A parse error on
/// something that looks like a request gives Reject with the parse error's status.
Verdict checkDatagram(std::string_view bytes, const UaCapabilities& caps = {});

/// The verdict on one raw message as a line of text, as `vphone-cli parse` prints it:
/// "OK <METHOD>", "OK <status>", "REJECT <code> <reason>" or "DROP". `why` (optional) gets
/// the reason for a drop or a parse error with its byte offset.
std::string verdictLine(std::string_view bytes, Framing framing = Framing::Datagram,
                        const UaCapabilities& caps = {}, std::string* why = nullptr);

/// The standard reason phrase of a status code ("Bad Request").
std::string_view reasonPhrase(int status);

} // namespace vphone::sip
