// vphone::Expected<T, E>: a value or an error (C++20 has no std::expected), the one result
// template of every library. Each library names it with its own error type:
//
//   sip::Result<T>          = Expected<T, sip::ParseError>     (core/sip/result.h)
//   sdp::Result<T>          = Expected<T, sdp::Error>          (core/sdp/error.h)
//   media::MediaResult<T>   = Expected<T, media::MediaError>   (media/dsp/media_result.h)
//   media::EngineResult<T>  = Expected<T, media::EngineError>  (media/engine/engine_config.h)
//
// Both constructors are implicit so a function returns either `value` or `someError(...)`.
// Success carries no allocation beyond the value itself.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace vphone {

template <class T, class E> class Expected {
    static_assert(!std::is_same_v<T, E>, "Expected<T, E> needs a value type distinct from its error type");

public:
    using value_type = T;
    using error_type = E;

    Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {} // NOLINT: implicit by design
    Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {} // NOLINT: implicit by design

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
    const E& error() const { return std::get<1>(v_); }

private:
    std::variant<T, E> v_;
};

} // namespace vphone
