// Shared by the facade tests that play a SIP peer from a bare UDP socket
// (conference_refer_facade_test.cpp, transfer_bye_first_test.cpp): a response to a request.
#pragma once
#include "sip/parser.h"

#include <string>

namespace vphone::test {

/// "SIP/2.0 STATUS" answering `m`: its Via, From, Call-ID and CSeq copied, its To with `toTag`
/// added when it has none (an empty toTag keeps To as it is), then `extra` header lines and `body`.
inline std::string responseTo(const sip::Message& m, const std::string& status, const std::string& extra = {},
                              const std::string& body = {}, const std::string& toTag = {})
{
    std::string r = "SIP/2.0 " + status + "\r\n";
    for (auto id : {sip::HeaderId::Via, sip::HeaderId::From, sip::HeaderId::CallId, sip::HeaderId::CSeq}) {
        for (auto v : m.values(id))
            r += std::string(sip::headerName(id)) + ": " + std::string(v) + "\r\n";
    }
    std::string to(m.get(sip::HeaderId::To).value_or(""));
    if (!toTag.empty() && to.find(";tag=") == std::string::npos) to += ";tag=" + toTag;
    r += "To: " + to + "\r\n" + extra;
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return r;
}

} // namespace vphone::test
