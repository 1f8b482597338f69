// Result type shared by the media modules (codecs, DSP, audio devices).
//
// Media code runs on the media thread and must never throw across a module boundary: every
// fallible call returns a MediaResult holding either the value or a MediaError naming what went
// wrong and where (a file offset, an fmtp parameter, a device name). Success carries no
// allocation beyond the value itself, so per-frame calls can return MediaResult<std::size_t>.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vphone::media {

/// What went wrong, in words a user can act on, e.g. "fmtp maxaveragebitrate: 900000 is above 510000".
struct MediaError {
    std::string what;
};

/// A value or a MediaError.
template <class T> class MediaResult {
public:
    MediaResult(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
    MediaResult(MediaError error) : v_(std::move(error)) {} // NOLINT: implicit by design

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
    const MediaError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, MediaError> v_;
};

/// Makes a MediaError in one expression.
inline MediaError mediaError(std::string what)
{
    return MediaError{std::move(what)};
}

} // namespace vphone::media
