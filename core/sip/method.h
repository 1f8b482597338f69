// SIP request methods.
#pragma once

#include <string_view>

namespace vphone::sip {

/// Methods this stack knows; anything else is Extension (text kept in the message).
enum class Method {
    Invalid,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,
    Subscribe,
    Notify,
    Publish,
    Info,
    Refer,
    Message,
    Update,
    Extension,
};

/// Case-sensitive lookup (RFC 3261 §7.1: methods are case-sensitive); Extension when unknown.
Method methodFromString(std::string_view text);
/// Canonical upper-case name; empty for Invalid/Extension.
std::string_view methodName(Method m);

} // namespace vphone::sip
