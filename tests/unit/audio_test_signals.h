// Test signals for the codec, DSP and device tests: tones, noise, and a signal-to-noise measure.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

namespace vphone::media::test {

/// `frames` frames of a sine at hz (amplitude in int16 units), interleaved over channels,
/// starting at phase sample `offset`.
inline std::vector<int16_t> sine(double hz, int rate, std::size_t frames, double amplitude = 10000,
                                 int channels = 1, std::size_t offset = 0)
{
    std::vector<int16_t> out(frames * std::size_t(channels));
    for (std::size_t i = 0; i < frames; ++i) {
        const double v = amplitude * std::sin(2 * std::numbers::pi * hz * double(i + offset) / rate);
        for (int c = 0; c < channels; ++c)
            out[i * std::size_t(channels) + std::size_t(c)] = int16_t(std::lround(v));
    }
    return out;
}

/// White noise, uniform in [-amplitude, amplitude], reproducible from seed.
inline std::vector<int16_t> noise(std::size_t samples, double amplitude, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> dist(-amplitude, amplitude);
    std::vector<int16_t> out(samples);
    for (auto& s : out)
        s = int16_t(std::lround(dist(rng)));
    return out;
}

/// One channel of an interleaved signal.
inline std::vector<int16_t> channel(std::span<const int16_t> interleaved, int channels, int which)
{
    std::vector<int16_t> out;
    for (std::size_t i = std::size_t(which); i < interleaved.size(); i += std::size_t(channels)) {
        out.push_back(interleaved[i]);
    }
    return out;
}

/// Energy ratio in dB of a reference to its difference from a test signal.
inline double snrDb(std::span<const int16_t> reference, std::span<const int16_t> test)
{
    double signal = 0;
    double error = 0;
    for (std::size_t i = 0; i < reference.size() && i < test.size(); ++i) {
        signal += double(reference[i]) * reference[i];
        const double d = double(reference[i]) - test[i];
        error += d * d;
    }
    return 10 * std::log10(signal / std::max(error, 1e-9));
}

} // namespace vphone::media::test
