// Time as the media code sees it: always the caller's. Nothing under media/rtp reads a clock;
// the media engine passes `now` (monotonic) in, and an NtpClock anchors the wall clock once.
#pragma once

#include <chrono>
#include <cstdint>

namespace vphone::media {

/// A point on the caller's monotonic clock.
using TimePoint = std::chrono::steady_clock::time_point;

/// Maps the caller's monotonic clock to NTP time (RFC 3550 §4: 32.32 fixed-point seconds since
/// 1900) from one anchor the caller reads once: (`reference`, the NTP time at that moment).
struct NtpClock {
    TimePoint reference{};
    std::uint64_t ntpAtReference = 0;

    /// NTP timestamp at `t` (t may precede the reference).
    std::uint64_t at(TimePoint t) const
    {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t - reference).count();
        // ns * 2^32 / 1e9 without overflow: whole seconds and the sub-second part separately.
        const std::int64_t secs = ns >= 0 ? ns / 1'000'000'000 : -((-ns + 999'999'999) / 1'000'000'000);
        const std::int64_t rem = ns - secs * 1'000'000'000;
        const auto frac =
            static_cast<std::uint64_t>((static_cast<std::uint64_t>(rem) << 32) / 1'000'000'000u);
        return ntpAtReference + (static_cast<std::uint64_t>(secs) << 32) + frac;
    }
};

/// Converts the 1/65536 s units of LSR/DLSR arithmetic to microseconds.
constexpr std::chrono::microseconds fromNtpShort(std::uint32_t units)
{
    return std::chrono::microseconds{(std::int64_t{units} * 1'000'000) >> 16};
}

/// Converts a duration to 1/65536 s units (DLSR), saturating.
constexpr std::uint32_t toNtpShort(std::chrono::nanoseconds d)
{
    if (d.count() <= 0) return 0;
    const auto units = (static_cast<std::uint64_t>(d.count()) << 16) / 1'000'000'000u;
    return units > 0xffffffffu ? 0xffffffffu : static_cast<std::uint32_t>(units);
}

} // namespace vphone::media
