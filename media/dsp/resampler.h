// Streaming sample-rate and channel conversion (libswresample) between device and codec rates.
//
// Theory of operation: one Resampler converts a stream of interleaved int16 frames from one
// (rate, channels) to another, keeping the filter state across calls, so a tone stays continuous
// across frame boundaries. Output goes into a FIFO sized at creation; push() appends converted
// frames, pop() takes exactly as many as asked. convert() does both for the usual fixed-frame
// pipeline (20 ms in, 20 ms out): the filter delays the first output by a few samples, so the
// first call that comes up short is padded at the front with zeros once (a constant latency of a
// few samples), and every later call then has exactly enough. Nothing allocates after create().
#pragma once

#include "dsp/media_result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct SwrContext;

namespace vphone::media {

/// A PCM stream shape: sample rate and channel count (1 or 2), int16 interleaved.
struct PcmFormat {
    int sampleRate = 48000;
    int channels = 1;
    friend bool operator==(const PcmFormat&, const PcmFormat&) = default;
};

class Resampler {
public:
    /// A converter taking at most maxInputFrames frames per push(). Errors name the bad format.
    static MediaResult<Resampler> create(PcmFormat in, PcmFormat out, std::size_t maxInputFrames);

    Resampler(Resampler&&) noexcept;
    Resampler& operator=(Resampler&&) noexcept;
    ~Resampler();

    PcmFormat inputFormat() const { return in_; }
    PcmFormat outputFormat() const { return out_; }

    /// Converts interleaved input (whole frames, at most maxInputFrames) into the FIFO.
    /// False, converting nothing, if the input is too long or not whole frames.
    bool push(std::span<const int16_t> in);
    /// Frames waiting in the FIFO.
    std::size_t availableFrames() const { return fifoFrames_; }
    /// Takes exactly out.size() / channels frames; false (out untouched) when fewer are waiting.
    bool pop(std::span<int16_t> out);
    /// push(in) then fill out; see the file comment for the one-time zero padding. Returns the
    /// number of output frames that came from input (the rest are zeros), or 0 if in was refused.
    std::size_t convert(std::span<const int16_t> in, std::span<int16_t> out);

    /// Output frames one push of inputFrames can produce, at most.
    std::size_t maxOutputFrames(std::size_t inputFrames) const;

private:
    struct SwrFree {
        void operator()(SwrContext* s) const;
    };
    Resampler(PcmFormat in, PcmFormat out, std::size_t maxInputFrames, SwrContext* swr);

    PcmFormat in_;
    PcmFormat out_;
    std::size_t maxInputFrames_ = 0;
    std::unique_ptr<SwrContext, SwrFree> swr_;
    std::vector<int16_t> fifo_; // interleaved output frames waiting to be popped
    std::size_t fifoFrames_ = 0;
    bool primed_ = false;
};

} // namespace vphone::media
