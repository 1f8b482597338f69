// Character classes of the RFC 3261 §25 grammar, as lookup tables.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vphone::sip::charset {

enum Class : std::uint16_t {
    kAlpha = 1 << 0,
    kDigit = 1 << 1,
    kToken = 1 << 2,      ///< token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
    kUnreserved = 1 << 3, ///< alphanum / mark
    kUserUnres = 1 << 4,  ///< user-unreserved: "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
    kParamUnres = 1 << 5, ///< param-unreserved: "[" / "]" / "/" / ":" / "&" / "+" / "$"
    kHnvUnres = 1 << 6,   ///< hnv-unreserved: "[" / "]" / "/" / "?" / ":" / "+" / "$"
    kHex = 1 << 7,
    kWord = 1 << 8,          ///< word: token chars plus ( ) < > : \ " / [ ] ? { }
    kPasswordUnres = 1 << 9, ///< "&" / "=" / "+" / "$" / ","
    kHostname = 1 << 10,     ///< alphanum / "-" / "."
    kWs = 1 << 11,           ///< SP / HTAB
};

namespace detail {
constexpr std::array<std::uint16_t, 256> makeTable()
{
    std::array<std::uint16_t, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] |= kAlpha;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[c] |= kAlpha;
    for (int c = '0'; c <= '9'; ++c)
        t[c] |= kDigit | kHex;
    for (int c = 'a'; c <= 'f'; ++c)
        t[c] |= kHex;
    for (int c = 'A'; c <= 'F'; ++c)
        t[c] |= kHex;
    for (int c = 0; c < 256; ++c) {
        if (t[c] & (kAlpha | kDigit)) t[c] |= kToken | kUnreserved | kWord | kHostname;
    }
    for (char c : std::string_view("-.!%*_+`'~"))
        t[static_cast<unsigned char>(c)] |= kToken | kWord;
    for (char c : std::string_view("-_.!~*'()"))
        t[static_cast<unsigned char>(c)] |= kUnreserved;
    for (char c : std::string_view("&=+$,;?/"))
        t[static_cast<unsigned char>(c)] |= kUserUnres;
    for (char c : std::string_view("[]/:&+$"))
        t[static_cast<unsigned char>(c)] |= kParamUnres;
    for (char c : std::string_view("[]/?:+$"))
        t[static_cast<unsigned char>(c)] |= kHnvUnres;
    for (char c : std::string_view("()<>:\\\"/[]?{}"))
        t[static_cast<unsigned char>(c)] |= kWord;
    for (char c : std::string_view("&=+$,"))
        t[static_cast<unsigned char>(c)] |= kPasswordUnres;
    for (char c : std::string_view("-."))
        t[static_cast<unsigned char>(c)] |= kHostname;
    t[' '] |= kWs;
    t['\t'] |= kWs;
    return t;
}
} // namespace detail

inline constexpr std::array<std::uint16_t, 256> kTable = detail::makeTable();

/// True when c belongs to any of the classes in mask.
constexpr bool is(char c, std::uint16_t mask)
{
    return (kTable[static_cast<unsigned char>(c)] & mask) != 0;
}

constexpr char toLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (toLower(a[i]) != toLower(b[i])) return false;
    }
    return true;
}

/// Value of a hex digit, or -1.
constexpr int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// True when every character of s is in mask (and s is not empty).
constexpr bool all(std::string_view s, std::uint16_t mask)
{
    if (s.empty()) return false;
    for (char c : s) {
        if (!is(c, mask)) return false;
    }
    return true;
}

} // namespace vphone::sip::charset
