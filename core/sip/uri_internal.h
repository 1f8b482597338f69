// Helpers shared by uri.cpp (parsing, printing) and uri_compare.cpp (RFC 3261 §19.1.4
// equivalence). Private to core/sip.
#pragma once

#include "charset.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace vphone::sip::detail {

/// RFC 3966 §3: visual-separator = "-" / "." / "(" / ")".
constexpr bool isVisualSeparator(char c)
{
    return c == '-' || c == '.' || c == '(' || c == ')';
}

/// True when s holds a well-formed escape at pos: "%" HEXDIG HEXDIG (RFC 3261 §25 "escaped").
inline bool isEscape(std::string_view s, std::size_t pos)
{
    return s.size() - pos >= 3 && s[pos] == '%' && charset::is(s[pos + 1], charset::kHex) &&
           charset::is(s[pos + 2], charset::kHex);
}

/// The decoded character at i, advancing i; a malformed '%' passes through literally.
inline unsigned char decodeNext(std::string_view s, std::size_t& i, bool foldCase)
{
    char c = s[i];
    if (isEscape(s, i)) {
        c = static_cast<char>(charset::hexValue(s[i + 1]) * 16 + charset::hexValue(s[i + 2]));
        i += 2;
    }
    ++i;
    return static_cast<unsigned char>(foldCase ? charset::toLower(c) : c);
}

/// Three-way comparison of two escaped strings by their decoded characters.
inline int compareEscaped(std::string_view a, std::string_view b, bool foldCase)
{
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const unsigned char x = decodeNext(a, i, foldCase);
        const unsigned char y = decodeNext(b, j, foldCase);
        if (x != y) return x < y ? -1 : 1;
    }
    return i < a.size() ? 1 : j < b.size() ? -1 : 0;
}

/// RFC 4291 §2.2 text forms of an IPv6 address into its 16 bytes; false when malformed.
bool parseIPv6(std::string_view s, std::array<std::uint8_t, 16>& out);

} // namespace vphone::sip::detail
