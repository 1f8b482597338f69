// Small text helpers shared by the SDP parser, the attribute parsers and offer/answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sdp::detail {

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
inline bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}
inline char toLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// RFC 8866 token-char: alphanumerics and !#$%&'*+-.^_`{|}~
bool isTokenChar(char c);
bool isToken(std::string_view s);

bool equalsNoCase(std::string_view a, std::string_view b);
std::string lower(std::string_view s);
std::string_view trim(std::string_view s);

/// Splits on runs of blanks (SP / HTAB); no empty pieces.
std::vector<std::string_view> splitBlanks(std::string_view s);

/// A decimal number of at most `maxDigits` digits that fits in 64 bits, nothing else.
std::optional<std::uint64_t> parseUnsigned(std::string_view s, std::size_t maxDigits = 20);

/// "'text'" shortened to 40 characters for error messages (control characters escaped).
std::string quote(std::string_view s);

} // namespace vphone::sdp::detail
