// LocalTone: a cadenced tone mixed into what a call plays out, heard only by us (never sent):
// the call-waiting tone over the call that is up while another rings (issue 8).
//
// Theory of operation: the cadence is a list of on/off durations repeated every `periodMs`
// (the call-waiting default, after ITU-T E.180's 425-440 Hz tone: two 300 ms beeps 200 ms apart,
// every 4 s, starting at once). ToneMixer counts samples from when the tone was switched on, so
// the first beep starts with the next frame; it adds the sine at `level` (of full scale) to each
// sample with saturation. One ToneMixer per play-out, on the media thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace vphone::media {

struct LocalTone {
    double hz = 440.0;
    double level = 0.2;                      ///< peak, as a fraction of full scale
    std::vector<int> onOffMs{300, 200, 300}; ///< on, off, on, ... from the start of each period
    int periodMs = 4000;

    /// The call-waiting tone.
    static LocalTone callWaiting() { return {}; }
};

class ToneMixer {
public:
    ToneMixer(LocalTone tone, int sampleRate) : tone_(std::move(tone)), rate_(sampleRate) {}

    /// True when the sample `n` samples after the start is inside an "on" part.
    bool on(std::uint64_t n) const
    {
        const std::uint64_t period = static_cast<std::uint64_t>(std::max(1, tone_.periodMs)) * rate_ / 1000;
        std::uint64_t t = n % period;
        bool sounding = true;
        for (int ms : tone_.onOffMs) {
            const std::uint64_t len = static_cast<std::uint64_t>(std::max(0, ms)) * rate_ / 1000;
            if (t < len) return sounding;
            t -= len;
            sounding = !sounding;
        }
        return false; // the rest of the period is quiet
    }

    /// Adds the tone to one frame of mono samples (saturating) and moves on by its length.
    void mix(std::span<std::int16_t> frame)
    {
        const double step = 2.0 * std::numbers::pi * tone_.hz / rate_;
        const double amplitude = std::clamp(tone_.level, 0.0, 1.0) * 32767.0;
        for (auto& s : frame) {
            if (on(position_)) {
                const double v = s + amplitude * std::sin(phase_);
                s = static_cast<std::int16_t>(std::clamp(v, -32768.0, 32767.0));
            }
            phase_ += step;
            if (phase_ >= 2.0 * std::numbers::pi) phase_ -= 2.0 * std::numbers::pi;
            ++position_;
        }
    }

    const LocalTone& tone() const { return tone_; }

private:
    LocalTone tone_;
    int rate_;
    std::uint64_t position_ = 0;
    double phase_ = 0.0;
};

} // namespace vphone::media
