// Typed header values and their parsers (RFC 3261 §20, §25 and the extension RFCs).
// Each parser takes one header value (one list element for list headers) and fails with a
// ParseError whose text names the header and what is wrong.
#pragma once

#include "method.h"
#include "result.h"
#include "uri.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sip {

/// Via (RFC 3261 §20.42, RFC 3581 rport).
struct Via {
    std::string protocolName = "SIP";
    std::string protocolVersion = "2.0";
    std::string transport; ///< upper-case: UDP, TCP, TLS, SCTP, WS...
    std::string host;      ///< sent-by host (IPv6 without brackets)
    HostType hostType = HostType::Invalid;
    std::optional<std::uint16_t> port;
    std::vector<Param> params;
    std::optional<std::string_view> param(std::string_view name) const;
    std::string branch() const; ///< empty when absent
    std::optional<std::string> received() const;
    std::optional<std::string> maddr() const;
    std::optional<std::uint8_t> ttl() const;
    bool hasRport() const;
    std::optional<std::uint16_t> rport() const; ///< rport value when filled in
    std::string toString() const;
};
Result<Via> parseVia(std::string_view value);

/// Allocation-free view of a Via value, pointing into the text it was parsed from: what the
/// transaction layer reads for every message (RFC 3261 §17.2.3 matching). The parameter text
/// has been checked against the grammar.
struct ViaView {
    std::string_view protocolName;
    std::string_view protocolVersion;
    std::string_view transport; ///< as written (compare case-insensitively)
    std::string_view host;      ///< IPv6 without brackets
    HostType hostType = HostType::Invalid;
    std::optional<std::uint16_t> port;
    std::string_view params; ///< ";name=value..." text after sent-by
    std::string_view branch; ///< the branch parameter, found while checking the parameters
    /// Value of a parameter (empty for a flag), case-insensitive name.
    std::optional<std::string_view> param(std::string_view name) const;
};
Result<ViaView> parseViaView(std::string_view value);

/// Allocation-free view of a name-addr / addr-spec value (From, To, Contact...): the display
/// name as written (quotes included), the URI text and the header-parameter text.
struct NameAddrView {
    std::string_view displayName;
    std::string_view uri;
    std::string_view params;
    std::string_view tag; ///< the tag parameter (From/To), found while checking the parameters
    bool angleBrackets = true;
    std::optional<std::string_view> param(std::string_view name) const;
};
Result<NameAddrView> parseNameAddrView(std::string_view value);

/// Looks a parameter up in ";a=b;c" text already checked by one of the parsers here.
std::optional<std::string_view> findParamIn(std::string_view paramsText, std::string_view name);

/// name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route,
/// Refer-To, Referred-By, Reply-To, P-Asserted-Identity.
struct NameAddr {
    std::optional<std::string> displayName; ///< unquoted and unescaped
    Uri uri;
    std::vector<Param> params; ///< header params after the URI (tag, expires, q...)
    bool angleBrackets = true; ///< written as name-addr
    std::optional<std::string_view> param(std::string_view name) const;
    std::string tag() const; ///< empty when absent
    std::string toString() const;
};
Result<NameAddr> parseNameAddr(std::string_view value);

/// Contact: either "*" or a list of addresses (RFC 3261 §20.10).
struct ContactList {
    bool star = false;
    std::vector<NameAddr> contacts;
};
/// Parses every Contact value of a message (each list element already split).
Result<ContactList> parseContacts(const std::vector<std::string_view>& values);
/// q value of a Contact in thousandths (1000 when absent), or error.
Result<int> contactQ(const NameAddr& contact);

/// CSeq (RFC 3261 §20.16): 32-bit sequence and method.
struct CSeq {
    std::uint32_t sequence = 0;
    Method method = Method::Invalid;
    std::string methodText;
};
Result<CSeq> parseCSeq(std::string_view value);

/// A non-negative 32-bit decimal (Expires, Min-Expires, Content-Length, RSeq, Min-SE...).
Result<std::uint32_t> parseUint32(std::string_view value, std::string_view headerName);
/// Max-Forwards: 0..255.
Result<std::uint32_t> parseMaxForwards(std::string_view value);

/// Content-Type / Accept element: type/subtype;params (RFC 3261 §20.15).
struct MediaType {
    std::string type;    ///< lower-case
    std::string subtype; ///< lower-case
    std::vector<Param> params;
    std::optional<std::string_view> param(std::string_view name) const;
    bool is(std::string_view t, std::string_view s) const; ///< "*" matches anything
    std::string toString() const;
};
Result<MediaType> parseMediaType(std::string_view value);

/// Content-Disposition, Event, Subscription-State, Reason...: a token with parameters.
struct TokenParams {
    std::string token;
    std::vector<Param> params;
    std::optional<std::string_view> param(std::string_view name) const;
};
Result<TokenParams> parseTokenParams(std::string_view value, std::string_view headerName);

/// WWW-/Proxy-Authenticate and (Proxy-)Authorization (RFC 3261 §25.1, RFC 7616): a scheme and
/// comma-separated auth-params. Quoted values are unquoted.
struct AuthParams {
    std::string scheme; ///< "Digest"
    std::vector<Param> params;
    std::optional<std::string_view> param(std::string_view name) const;
};
Result<AuthParams> parseAuth(std::string_view value, std::string_view headerName);

/// Session-Expires (RFC 4028): delta-seconds and refresher.
struct SessionExpires {
    std::uint32_t seconds = 0;
    std::optional<std::string> refresher; ///< "uac" / "uas"
};
Result<SessionExpires> parseSessionExpires(std::string_view value);

/// RAck (RFC 3262): response-num CSeq-num Method.
struct RAck {
    std::uint32_t rseq = 0;
    std::uint32_t cseq = 0;
    Method method = Method::Invalid;
    std::string methodText;
};
Result<RAck> parseRAck(std::string_view value);

/// Retry-After (RFC 3261 §20.33): delta-seconds [comment] *(;params).
struct RetryAfter {
    std::uint32_t seconds = 0;
    std::optional<std::string> comment;
    std::vector<Param> params;
};
Result<RetryAfter> parseRetryAfter(std::string_view value);

/// Replaces (RFC 3891): call-id;to-tag=..;from-tag=..[;early-only].
struct Replaces {
    std::string callId;
    std::string toTag;
    std::string fromTag;
    bool earlyOnly = false;
};
Result<Replaces> parseReplaces(std::string_view value);

/// Warning element (RFC 3261 §20.43): 3-digit code, agent, quoted text.
struct Warning {
    int code = 0;
    std::string agent;
    std::string text;
};
Result<Warning> parseWarning(std::string_view value);

/// Splits a list header value at commas that are outside quotes and <...>. Empty elements are
/// kept so validation can reject them ("a,,b").
std::vector<std::string_view> splitList(std::string_view value);

/// The first element of a list header value (up to the first top-level comma), trimmed; no
/// allocation, for hot paths such as the topmost Via.
std::string_view firstOfList(std::string_view value);

/// Trims SP, HTAB and folded line ends on both sides.
std::string_view trimLws(std::string_view s);

/// Quotes a string for a quoted-string, escaping '"' and '\\'.
std::string quote(std::string_view s);

} // namespace vphone::sip
