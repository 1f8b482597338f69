// Which of several user agents (accounts) sharing one SIP socket a received message belongs to.
//
// Theory of operation: every branch a UA makes starts with its UaConfig::branchTag right after
// the z9hG4bK cookie, and each tag ends in a character that is no hex digit, so no tag is a prefix
// of another tag followed by a random token. A response goes to the UA whose tag starts its top Via
// branch. A request goes to the account its Request-URI names (each account registers a Contact
// whose user part is its own user, so a proxy's lookup() rewrites the Request-URI to it), else to
// the account its To header names (user and host, then user alone), else to the first UA, which
// answers 404 for users it does not know. Pure: no Qt, no sockets.
#pragma once

#include "sip/message.h"

#include <cstddef>
#include <string>
#include <vector>

namespace vphone::ua {

/// What identifies one account's UA on the wire.
struct AccountKey {
    std::string branchTag; ///< UaConfig::branchTag (empty for a lone UA)
    std::string user;      ///< the address of record's user (empty: no account)
    std::string host;      ///< the address of record's host
};

/// The branch tag for the account at `index` among several: letters and digits, ending in 'x'
/// (never a hex digit), so no tag is a prefix of another followed by a hex token.
std::string branchTagFor(std::size_t index);

/// Index in `accounts` of the UA that owns `message`; 0 when nothing matches.
std::size_t routeToAccount(const sip::Message& message, const std::vector<AccountKey>& accounts);

} // namespace vphone::ua
