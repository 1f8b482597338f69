// URIs: sip:, sips: (RFC 3261 §19.1), tel: (RFC 3966) and opaque absolute URIs of other schemes.
#pragma once

#include "result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sip {

/// One `name[=value]` parameter (URI, header or tel parameter). Text is kept as written (escapes
/// included); comparisons decode escapes and fold case where the RFC says so.
struct Param {
    std::string name;
    std::optional<std::string> value; ///< nullopt for a parameter written without '='
    bool operator==(const Param&) const = default;
};

/// Finds a parameter by case-insensitive name, or nullptr.
const Param* findParam(const std::vector<Param>& params, std::string_view name);

enum class UriScheme { Invalid, Sip, Sips, Tel, Other };

enum class HostType { Invalid, Name, IPv4, IPv6 };

/// A parsed URI. For sip/sips all fields apply; for tel `user` holds the telephone-subscriber
/// number (global "+..." or local) and `params` its parameters; for other schemes only `scheme`,
/// `schemeText` and `opaque` (everything after the colon) are set.
struct Uri {
    UriScheme scheme = UriScheme::Invalid;
    std::string schemeText; ///< scheme as written (e.g. "SIP", "mailto")
    std::string user;       ///< userinfo user part, escapes kept as written
    std::optional<std::string> password;
    std::string host; ///< for IPv6 without the brackets
    HostType hostType = HostType::Invalid;
    std::optional<std::uint16_t> port;
    std::vector<Param> params;  ///< uri-parameters (sip/sips), or tel parameters
    std::vector<Param> headers; ///< ?h=v&... (sip/sips)
    std::string opaque;         ///< scheme-specific part of an Other URI

    /// Value of a URI parameter by case-insensitive name (empty string for a flag parameter).
    std::optional<std::string_view> param(std::string_view name) const;
    bool hasParam(std::string_view name) const { return findParam(params, name) != nullptr; }

    /// Canonical text: lower-case scheme, IPv6 in brackets, parameters and headers as written.
    std::string toString() const;
    /// host[:port] with brackets for IPv6.
    std::string hostPort() const;

    /// Equivalence by RFC 3261 §19.1.4 (sip/sips), RFC 3966 §4 (tel), exact text for others.
    bool equivalent(const Uri& other) const;
};

/// Parses an absolute URI (the Request-URI or the inside of <...>). Fails with 400 for bad syntax.
/// Schemes other than sip/sips/tel parse as UriScheme::Other when they are syntactically
/// `scheme ":" opaque`; deciding 416 is left to the caller.
Result<Uri> parseUri(std::string_view text);

/// Decodes %HH escapes. Returns nullopt for a malformed escape.
std::optional<std::string> unescape(std::string_view text);

/// True for a valid IPv4 dotted quad (no leading-zero ambiguity checks beyond 0-255).
bool isIPv4(std::string_view text);
/// True for a valid IPv6 address (RFC 4291 text form, optional trailing IPv4), no brackets.
bool isIPv6(std::string_view text);

} // namespace vphone::sip
