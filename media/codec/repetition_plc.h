// Packet-loss concealment by repetition with fade, for codecs without their own (G.711, G.722).
//
// Theory of operation: after every good frame the decoder hands it to remember(). For the k-th
// lost frame in a row, conceal() repeats the last good frame with a gain ramping linearly from
// 1 - (k-1)/kFadeFrames to 1 - k/kFadeFrames across the frame, so the first loss fades to 3/4 and
// the fourth reaches silence; longer gaps stay silent. A good frame resets the count. ITU-T
// G.711 Appendix I does better (pitch-period repetition), which a later issue may add.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vphone::media {

class RepetitionPlc {
public:
    static constexpr int kFadeFrames = 4;

    /// frameLength: samples per frame, all channels; channels: interleave width.
    RepetitionPlc(std::size_t frameLength, int channels)
        : last_(frameLength, 0), channels_(std::size_t(channels))
    {}

    /// Keeps a copy of a good decoded frame (the first frameLength samples of pcm).
    void remember(std::span<const int16_t> pcm)
    {
        const std::size_t n = std::min(pcm.size(), last_.size());
        std::copy_n(pcm.begin(), n, last_.begin());
        std::fill(last_.begin() + std::ptrdiff_t(n), last_.end(), int16_t{0});
        lost_ = 0;
    }

    /// Writes one concealed frame into pcm (which holds at least frameLength samples).
    /// Returns samples per channel written.
    std::size_t conceal(std::span<int16_t> pcm)
    {
        const std::size_t n = std::min(pcm.size(), last_.size());
        const std::size_t frames = n / channels_;
        ++lost_;
        const double start = std::max(0.0, 1.0 - double(lost_ - 1) / kFadeFrames);
        const double end = std::max(0.0, 1.0 - double(lost_) / kFadeFrames);
        for (std::size_t f = 0; f < frames; ++f) {
            const double gain = start + (end - start) * double(f + 1) / double(frames);
            for (std::size_t c = 0; c < channels_; ++c) {
                const std::size_t i = f * channels_ + c;
                pcm[i] = static_cast<int16_t>(double(last_[i]) * gain);
            }
        }
        return frames;
    }

    /// Consecutive frames concealed since the last good one.
    int lostInARow() const { return lost_; }

private:
    std::vector<int16_t> last_;
    std::size_t channels_;
    int lost_ = 0;
};

} // namespace vphone::media
