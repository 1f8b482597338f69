// Result type and parse errors shared by the SIP message layer.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace vphone::sip {

/// What went wrong while reading SIP text, and what a UA answers to it.
struct ParseError {
    int status = 400;       ///< response a UA sends for a bad request (400, 413, 416, 505...)
    std::size_t offset = 0; ///< byte offset in the input where the problem was found
    std::string what;       ///< human text naming the broken part, e.g. "Via: missing sent-by"
};

/// A value or a ParseError (C++20 has no std::expected).
template <class T> class Result {
public:
    Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
    Result(ParseError error) : v_(std::move(error)) {} // NOLINT: implicit by design

    /// True when a value is held.
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    /// The value; only valid when ok().
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    /// The error; only valid when !ok().
    const ParseError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, ParseError> v_;
};

/// Makes a ParseError in one expression.
inline ParseError parseError(int status, std::size_t offset, std::string what)
{
    return ParseError{status, offset, std::move(what)};
}

} // namespace vphone::sip
