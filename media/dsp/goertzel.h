// Goertzel tone detection: how much of a block's energy sits at one frequency.
//
// Theory of operation: the Goertzel recurrence s[n] = x[n] + 2cos(w)s[n-1] - s[n-2] evaluates one
// DFT bin at any frequency w = 2*pi*hz/rate (not only integer bins); |X(w)|^2 = s1^2 + s2^2 -
// 2cos(w)s1s2 after the last sample. For a sinusoid A*cos(w*n) over N samples |X|^2 ~ A^2 N^2 / 4
// while the block energy is A^2 N / 2, so toneEnergyRatio() = 2|X|^2 / (N * energy) is about 1
// for a pure tone at hz and about 2/N for white noise. analyseTone() slices a signal into fixed
// windows (20 ms by default) and counts the windows that tone dominates; the tests and
// vphone-tone-check (a WAV received in an interop call) use it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>

namespace vphone::media {

/// |X(hz)|^2 of the block (samples as int16 values, not normalised).
inline double goertzelPower(std::span<const int16_t> samples, double hz, int sampleRate)
{
    const double coeff = 2.0 * std::cos(2.0 * std::numbers::pi * hz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    for (int16_t x : samples) {
        const double s = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/// Sum of squares of the block.
inline double blockEnergy(std::span<const int16_t> samples)
{
    double e = 0;
    for (int16_t x : samples)
        e += double(x) * x;
    return e;
}

/// Fraction (0..~1) of the block's energy at hz; 0 for a silent block.
inline double toneEnergyRatio(std::span<const int16_t> samples, double hz, int sampleRate)
{
    const double energy = blockEnergy(samples);
    if (samples.empty() || energy <= 0) return 0;
    return 2.0 * goertzelPower(samples, hz, sampleRate) / (double(samples.size()) * energy);
}

/// RMS of the block in dB relative to int16 full scale (-inf for silence).
inline double rmsDbfs(std::span<const int16_t> samples)
{
    if (samples.empty()) return -INFINITY;
    const double meanSquare = blockEnergy(samples) / double(samples.size());
    return 10.0 * std::log10(meanSquare / (32767.0 * 32767.0));
}

/// How a signal splits into windows dominated by one tone.
struct ToneReport {
    std::size_t windows = 0;   ///< complete windows analysed
    std::size_t dominated = 0; ///< windows where the tone holds >= threshold of the energy
    /// dominated / windows (0 when there is no complete window).
    double fraction() const { return windows == 0 ? 0.0 : double(dominated) / double(windows); }
};

/// Settings for analyseTone().
struct ToneAnalysis {
    double windowSeconds = 0.020;  ///< window length (20 ms)
    double threshold = 0.5;        ///< minimum toneEnergyRatio() for a dominated window
    double silenceFloorDbfs = -60; ///< quieter windows never count as dominated
};

/// Counts the complete windows of a mono signal in which hz dominates.
inline ToneReport analyseTone(std::span<const int16_t> mono, int sampleRate, double hz,
                              ToneAnalysis settings = {})
{
    ToneReport report;
    const auto window = static_cast<std::size_t>(settings.windowSeconds * sampleRate);
    if (window == 0) return report;
    for (std::size_t at = 0; at + window <= mono.size(); at += window) {
        const auto block = mono.subspan(at, window);
        ++report.windows;
        if (rmsDbfs(block) >= settings.silenceFloorDbfs &&
            toneEnergyRatio(block, hz, sampleRate) >= settings.threshold) {
            ++report.dominated;
        }
    }
    return report;
}

} // namespace vphone::media
