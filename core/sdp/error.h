// Errors and the Result type of the SDP library. A parse error names the line (1-based) and
// the field, so a log line reads "line 5: m=: port 'abc' is not a number".
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace vphone::sdp {

/// What is wrong with a session description, or why an offer/answer step failed.
struct Error {
    std::size_t line = 0; ///< 1-based line of the SDP text, 0 when not tied to one line
    std::string what;     ///< the field and the problem: "m=: port 'abc' is not a number"

    /// "line 5: m=: ..." (or just `what` when line is 0).
    std::string message() const { return line == 0 ? what : "line " + std::to_string(line) + ": " + what; }
};

/// A value or an Error (C++20 has no std::expected).
template <class T> class Result {
public:
    Result(T value) : v_(std::move(value)) {}     // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {} // NOLINT: implicit by design

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
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

} // namespace vphone::sdp
