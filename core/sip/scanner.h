// A cursor over header text with the RFC 3261 §25.1 lexical rules (LWS, SWS, token,
// quoted-string). Internal to vphone_sip.
#pragma once

#include "charset.h"
#include "result.h"
#include "uri.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sip::detail {

class Scanner {
public:
    explicit Scanner(std::string_view text) : s_(text) {}

    bool eof() const { return pos_ >= s_.size(); }
    char peek() const { return eof() ? '\0' : s_[pos_]; }
    std::size_t pos() const { return pos_; }
    void setPos(std::size_t p) { pos_ = p; }
    std::string_view rest() const { return s_.substr(pos_); }
    std::string_view text() const { return s_; }

    /// Skips SP/HTAB and folded line ends (CRLF or LF followed by SP/HTAB). Returns true if any.
    bool skipLws()
    {
        // Fast path, inlined: most positions are not whitespace.
        if (pos_ >= s_.size()) return false;
        const char c = s_[pos_];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
        return skipLwsRun();
    }

    bool skipLwsRun()
    {
        const std::size_t start = pos_;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == ' ' || c == '\t') {
                ++pos_;
            } else if (c == '\r' && pos_ + 2 < s_.size() && s_[pos_ + 1] == '\n' &&
                       (s_[pos_ + 2] == ' ' || s_[pos_ + 2] == '\t')) {
                pos_ += 3;
            } else if (c == '\n' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == ' ' || s_[pos_ + 1] == '\t')) {
                pos_ += 2;
            } else {
                break;
            }
        }
        return pos_ != start;
    }

    /// Consumes c (with optional LWS on both sides, the grammar's SWS c SWS). False if absent.
    bool separator(char c)
    {
        const std::size_t save = pos_;
        skipLws();
        if (peek() == c) {
            ++pos_;
            skipLws();
            return true;
        }
        pos_ = save;
        return false;
    }

    /// Consumes c exactly, no LWS.
    bool consume(char c)
    {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }

    /// A run of characters in the given classes (possibly empty).
    std::string_view run(std::uint16_t mask)
    {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && charset::is(s_[pos_], mask))
            ++pos_;
        return s_.substr(start, pos_ - start);
    }

    std::string_view token() { return run(charset::kToken); }

    /// A quoted-string starting at the current '"'; returns the unescaped content or nullopt if
    /// unterminated or containing a bare CR/LF that is not folding.
    std::optional<std::string> quotedString()
    {
        if (peek() != '"') return std::nullopt;
        ++pos_;
        std::string out;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c == '\\') {
                if (pos_ + 1 >= s_.size() || s_[pos_ + 1] == '\r' || s_[pos_ + 1] == '\n')
                    return std::nullopt;
                out.push_back(s_[pos_ + 1]);
                pos_ += 2;
                continue;
            }
            if (c == '\r' || c == '\n') {
                if (!skipLws()) return std::nullopt;
                out.push_back(' ');
                continue;
            }
            out.push_back(c);
            ++pos_;
        }
        return std::nullopt;
    }

    /// Skips a quoted-string starting at the current '"' without copying it. False (position
    /// unchanged) if unterminated.
    bool skipQuotedString()
    {
        const std::size_t save = pos_;
        if (peek() != '"') return false;
        ++pos_;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c == '\\') {
                if (pos_ + 1 >= s_.size() || s_[pos_ + 1] == '\r' || s_[pos_ + 1] == '\n') break;
                pos_ += 2;
            } else if (c == '\r' || c == '\n') {
                if (!skipLws()) break;
            } else {
                ++pos_;
            }
        }
        pos_ = save;
        return false;
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
};

/// Characters allowed in a generic-param value that is not quoted: token chars plus the ones a
/// host or IPv6 reference needs (':' '[' ']').
inline constexpr std::uint16_t kParamValueChars = charset::kToken;

/// Makes an error whose text is "<header>: <what>".
inline ParseError headerError(std::string_view header, std::size_t offset, std::string_view what)
{
    std::string text(header);
    text += ": ";
    text += what;
    return ParseError{400, offset, std::move(text)};
}

inline bool isParamValueChar(char c)
{
    return charset::is(c, charset::kToken) || c == ':' || c == '[' || c == ']';
}

/// Walks `*( SEMI generic-param )` (generic-param = token [ EQUAL gen-value ], gen-value =
/// token / host / quoted-string) to the end of the text, calling onParam(name, value) for each;
/// value is nullopt for a flag and keeps its quotes. onParam returns false to stop early.
template <class OnParam> Result<bool> walkParams(Scanner& sc, std::string_view header, OnParam&& onParam)
{
    while (true) {
        sc.skipLws();
        if (sc.eof()) return true;
        if (!sc.consume(';')) return headerError(header, sc.pos(), "unexpected character after value");
        sc.skipLws();
        const std::string_view name = sc.token();
        if (name.empty()) return headerError(header, sc.pos(), "empty parameter name");
        std::optional<std::string_view> value;
        if (sc.separator('=')) {
            const std::size_t start = sc.pos();
            if (sc.peek() == '"') {
                if (!sc.skipQuotedString()) return headerError(header, start, "unterminated quoted string");
            } else {
                while (!sc.eof() && isParamValueChar(sc.peek()))
                    sc.setPos(sc.pos() + 1);
                if (sc.pos() == start) return headerError(header, start, "empty parameter value");
            }
            value = sc.text().substr(start, sc.pos() - start);
        }
        if (!onParam(name, value)) return true;
    }
}

inline std::optional<std::string_view> paramValue(const std::vector<Param>& params, std::string_view name)
{
    const Param* p = findParam(params, name);
    if (!p) return std::nullopt;
    return p->value ? std::string_view(*p->value) : std::string_view{};
}

inline void appendParams(std::string& out, const std::vector<Param>& params)
{
    for (const auto& p : params) {
        out += ';';
        out += p.name;
        if (p.value) {
            out += '=';
            out += *p.value;
        }
    }
}

/// 1*DIGIT into a 64-bit accumulator with overflow detection.
inline std::optional<std::uint64_t> parseDigits(std::string_view digits, std::uint64_t max)
{
    if (digits.empty() || digits.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (max - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

/// Parses `*( SEMI generic-param )` from the scanner into params. `header` names the header for
/// errors. Stops at end of text; anything else left over is an error.
Result<bool> parseGenericParams(Scanner& sc, std::vector<Param>& params, std::string_view header);

} // namespace vphone::sip::detail
