// Errors and the Result type of the SDP library. A parse error names the line (1-based) and
// the field, so a log line reads "line 5: m=: port 'abc' is not a number".
#pragma once

#include "common/expected.h"

#include <cstddef>
#include <string>

namespace vphone::sdp {

/// What is wrong with a session description, or why an offer/answer step failed.
struct Error {
    std::size_t line = 0; ///< 1-based line of the SDP text, 0 when not tied to one line
    std::string what;     ///< the field and the problem: "m=: port 'abc' is not a number"

    /// "line 5: m=: ..." (or just `what` when line is 0).
    std::string message() const { return line == 0 ? what : "line " + std::to_string(line) + ": " + what; }
};

/// A value or an Error.
template <class T> using Result = Expected<T, Error>;

} // namespace vphone::sdp
