// Header names: the ones the stack reads, their compact forms, and how their values are listed.
#pragma once

#include <cstdint>
#include <string_view>

namespace vphone::sip {

/// Headers with typed access. Unknown headers are kept as Other with their name text.
enum class HeaderId : std::uint8_t {
    Invalid,
    Other,
    Accept,
    AcceptEncoding,
    AcceptLanguage,
    AlertInfo,
    Allow,
    AllowEvents,
    AuthenticationInfo,
    Authorization,
    CallId,
    CallInfo,
    Contact,
    ContentDisposition,
    ContentEncoding,
    ContentLanguage,
    ContentLength,
    ContentType,
    CSeq,
    Date,
    ErrorInfo,
    Event,
    Expires,
    From,
    InReplyTo,
    MaxForwards,
    MimeVersion,
    MinExpires,
    MinSE,
    Organization,
    PAssertedIdentity,
    PPreferredIdentity,
    Priority,
    ProxyAuthenticate,
    ProxyAuthorization,
    ProxyRequire,
    RAck,
    Reason,
    RecordRoute,
    ReferTo,
    ReferredBy,
    Replaces,
    ReplyTo,
    Require,
    RetryAfter,
    Route,
    RSeq,
    Server,
    SessionExpires,
    SipETag,
    SipIfMatch,
    Subject,
    SubscriptionState,
    Supported,
    Timestamp,
    To,
    Unsupported,
    UserAgent,
    Via,
    Warning,
    WwwAuthenticate,
    Count_,
};

/// Identifies a header name, long or compact form, case-insensitively (RFC 3261 §7.3.3).
HeaderId headerIdFromName(std::string_view name);
/// The canonical long name ("Call-ID", "WWW-Authenticate"); empty for Other/Invalid.
std::string_view headerName(HeaderId id);

/// How a header's values may be written.
enum class HeaderShape : std::uint8_t {
    Invalid,
    Single, ///< exactly one value per message (Call-ID, CSeq, From, To, Max-Forwards...)
    List,   ///< comma-separated list; may also repeat on several lines (Via, Contact...)
    Free,   ///< free text or auth params: commas do not separate values (Subject, Date, auth)
};

HeaderShape headerShape(HeaderId id);

} // namespace vphone::sip
