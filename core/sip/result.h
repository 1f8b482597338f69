// Result type and parse errors shared by the SIP message layer.
#pragma once

#include "common/expected.h"

#include <cstddef>
#include <string>
#include <utility>

namespace vphone::sip {

/// What went wrong while reading SIP text, and what a UA answers to it.
struct ParseError {
    int status = 400;       ///< response a UA sends for a bad request (400, 413, 416, 505...)
    std::size_t offset = 0; ///< byte offset in the input where the problem was found
    std::string what;       ///< human text naming the broken part, e.g. "Via: missing sent-by"
};

/// A value or a ParseError.
template <class T> using Result = Expected<T, ParseError>;

/// Makes a ParseError in one expression.
inline ParseError parseError(int status, std::size_t offset, std::string what)
{
    return ParseError{status, offset, std::move(what)};
}

} // namespace vphone::sip
