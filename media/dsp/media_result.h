// Result type shared by the media modules (codecs, DSP, audio devices).
//
// Media code runs on the media thread and must never throw across a module boundary: every
// fallible call returns a MediaResult holding either the value or a MediaError naming what went
// wrong and where (a file offset, an fmtp parameter, a device name). Success carries no
// allocation beyond the value itself, so per-frame calls can return MediaResult<std::size_t>.
#pragma once

#include "common/expected.h"

#include <string>
#include <utility>

namespace vphone::media {

/// What went wrong, in words a user can act on, e.g. "fmtp maxaveragebitrate: 900000 is above 510000".
struct MediaError {
    std::string what;
};

/// A value or a MediaError.
template <class T> using MediaResult = Expected<T, MediaError>;

/// Makes a MediaError in one expression.
inline MediaError mediaError(std::string what)
{
    return MediaError{std::move(what)};
}

} // namespace vphone::media
