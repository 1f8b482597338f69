// multipart/* bodies (RFC 2046 §5.1), for presence (RFC 3856/4662) and conferences.
#pragma once

#include "result.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vphone::sip {

/// One body part: its MIME headers (name, value) in order and its content.
struct BodyPart {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Value of a header by case-insensitive name, or empty.
    std::string_view header(std::string_view name) const;
};

/// Splits a multipart body with the given boundary (from Content-Type's boundary parameter).
/// Preamble and epilogue are ignored; a missing close delimiter is an error.
Result<std::vector<BodyPart>> parseMultipart(std::string_view body, std::string_view boundary);

/// Builds a multipart body with the given boundary; CRLF line ends.
std::string serializeMultipart(const std::vector<BodyPart>& parts, std::string_view boundary);

} // namespace vphone::sip
