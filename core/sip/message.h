// The SIP message model: a request or response whose text is held in one buffer, with headers
// kept in order as spans of that buffer, and typed views parsed on demand.
//
// Theory of operation: parsing copies the input once into `text_` and records, for the start
// line, each header and the body, offsets into it. Nothing else is parsed until asked for
// (Message::topVia(), from(), cseq()...), which keeps the hot path to one pass over the bytes.
// Edits (adding a header, changing the body) append text to the same buffer and record new
// offsets, so copies of a Message stay valid and unknown headers round-trip byte for byte.
#pragma once

#include "header_id.h"
#include "headers.h"
#include "method.h"
#include "result.h"
#include "uri.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sip {

/// A [offset, offset+length) span of a Message's text.
struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
};

/// One header line (after unfolding, the value may still contain CRLF+WS; typed parsers treat
/// that as LWS). Name and value spans exclude surrounding whitespace.
struct HeaderField {
    HeaderId id = HeaderId::Invalid;
    Span name;
    Span value;
};

/// A SIP request or response.
class Message {
public:
    enum class Kind { Invalid, Request, Response };

    /// An empty request with the given method and Request-URI text (for building).
    static Message request(Method method, std::string_view requestUri, std::string_view methodText = {});
    /// An empty response with the given status and reason phrase (for building).
    static Message response(int status, std::string_view reason);

    Kind kind() const { return kind_; }
    bool isRequest() const { return kind_ == Kind::Request; }
    bool isResponse() const { return kind_ == Kind::Response; }

    // --- start line ---
    Method method() const { return method_; }
    /// The method as written (the only way to read an Extension method).
    std::string_view methodText() const { return view(methodText_); }
    std::string_view requestUriText() const { return view(requestUri_); }
    /// Parses the Request-URI.
    Result<Uri> requestUri() const;
    /// "SIP/2.0" as written.
    std::string_view version() const { return view(version_); }
    int status() const { return status_; }
    std::string_view reason() const { return view(reason_); }

    // --- headers ---
    const std::vector<HeaderField>& headers() const { return headers_; }
    std::string_view name(const HeaderField& h) const { return view(h.name); }
    std::string_view value(const HeaderField& h) const { return view(h.value); }
    /// First header with this id, or nullptr.
    const HeaderField* find(HeaderId id) const;
    /// First header with this name (case-insensitive, compact forms understood), or nullptr.
    const HeaderField* find(std::string_view name) const;
    /// Value text of the first header with this id.
    std::optional<std::string_view> get(HeaderId id) const;
    std::optional<std::string_view> get(std::string_view name) const;
    /// Every value of a list header across all its lines, split at top-level commas.
    std::vector<std::string_view> values(HeaderId id) const;
    std::size_t count(HeaderId id) const;

    /// Appends a header (value as given, no validation beyond rejecting CR/LF).
    void addHeader(std::string_view name, std::string_view value);
    void addHeader(HeaderId id, std::string_view value) { addHeader(headerName(id), value); }
    /// Inserts a header before all others (for Via and Record-Route).
    void prependHeader(HeaderId id, std::string_view value);
    /// Removes every header with this id; returns how many were removed.
    std::size_t removeHeaders(HeaderId id);
    /// Replaces all headers of this id by one with the given value.
    void setHeader(HeaderId id, std::string_view value);

    // --- hot-path views: no allocation, point into this message (valid while it lives) ---
    /// The topmost Via value (first element of the first Via line).
    Result<ViaView> topViaView() const;
    /// From / To as views: tag() lookups for transaction and dialog matching.
    Result<NameAddrView> fromView() const;
    Result<NameAddrView> toView() const;
    /// The URI of the first Contact (an error when there is none or it is '*').
    Result<Uri> contactUri() const;

    // --- typed access (parsed on each call; nullopt/error when absent or malformed) ---
    Result<Via> topVia() const;
    Result<std::vector<Via>> vias() const;
    Result<NameAddr> from() const;
    Result<NameAddr> to() const;
    std::optional<std::string_view> callId() const { return get(HeaderId::CallId); }
    Result<CSeq> cseq() const;
    Result<std::uint32_t> maxForwards() const;
    Result<ContactList> contacts() const;
    /// Every address of a name-addr list header, across its lines: Route (default),
    /// Record-Route, P-Asserted-Identity, P-Preferred-Identity.
    Result<std::vector<NameAddr>> routes(HeaderId id = HeaderId::Route) const;
    Result<MediaType> contentType() const;
    Result<std::uint32_t> expires() const;
    /// Option tags from all Supported/Require/... lines.
    std::vector<std::string_view> tokens(HeaderId id) const { return values(id); }

    // --- body ---
    std::string_view body() const { return view(body_); }
    /// Sets the body and Content-Type (empty type removes Content-Type).
    void setBody(std::string_view body, std::string_view contentType);
    /// Content-Length as written, if present and numeric.
    std::optional<std::size_t> contentLengthHeader() const;

    /// Serialises canonically: CRLF line ends, "Name: value", Content-Length computed from the
    /// body (always present), header order kept.
    std::string serialize() const;
    /// The message text exactly as received (for traces); empty for built messages.
    std::string_view raw() const { return std::string_view(text_).substr(0, rawLength_); }

    /// Text of any span of this message.
    std::string_view view(Span s) const { return std::string_view(text_).substr(s.offset, s.length); }

private:
    friend class MessageParser;
    Span append(std::string_view s);

    std::string text_;
    std::uint32_t rawLength_ = 0;
    Kind kind_ = Kind::Invalid;
    Method method_ = Method::Invalid;
    Span methodText_, requestUri_, version_, reason_, body_;
    int status_ = 0;
    std::vector<HeaderField> headers_;
};

} // namespace vphone::sip
