// Acoustic echo cancellation and noise suppression (speexdsp) for the capture path.
//
// Theory of operation: the far-end signal (what the speaker plays) leaks into the microphone
// through the room as a delayed, filtered copy. Speex's MDF adaptive filter models that path from
// the playback frame and subtracts its estimate from the capture frame; the preprocessor then
// removes the residual echo it is told about and, optionally, stationary noise. Both work on
// mono frames of a fixed size at one rate (typically 10 or 20 ms at 8, 16 or 48 kHz). Call
// process() once per frame, on the media thread, with the far-end frame that was played at
// about the time the near-end frame was captured; nothing allocates after construction.
#pragma once

#include "dsp/media_result.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct SpeexEchoState_;
struct SpeexPreprocessState_;

namespace vphone::media {

/// Whether EchoCanceller also suppresses stationary noise.
enum class NoiseSuppression { Invalid, Off, On };

/// Settings for EchoCanceller.
struct EchoCancellerConfig {
    int sampleRate = 16000;              ///< Hz, both paths
    std::size_t frameSamples = 320;      ///< mono samples per process() call
    std::chrono::milliseconds tail{200}; ///< longest echo path the filter models
    NoiseSuppression noise = NoiseSuppression::On;
    int noiseSuppressDb = -25; ///< maximum attenuation of noise (speex default -15)
};

class EchoCanceller {
public:
    /// Errors name the setting that speexdsp cannot take.
    static MediaResult<EchoCanceller> create(EchoCancellerConfig config);

    EchoCanceller(EchoCanceller&&) noexcept;
    EchoCanceller& operator=(EchoCanceller&&) noexcept;
    ~EchoCanceller();

    const EchoCancellerConfig& config() const { return config_; }

    /// Cleans one near-end (capture) frame given the far-end (playback) frame; all three spans
    /// hold config().frameSamples samples (false, out untouched, otherwise).
    bool process(std::span<const int16_t> farEnd, std::span<const int16_t> nearEnd, std::span<int16_t> out);
    /// Forgets the learned echo path (after a device switch).
    void reset();

private:
    struct EchoFree {
        void operator()(SpeexEchoState_* s) const;
    };
    struct PreprocessFree {
        void operator()(SpeexPreprocessState_* s) const;
    };
    EchoCanceller(EchoCancellerConfig config, SpeexEchoState_* echo, SpeexPreprocessState_* pre);
    void configurePreprocessor();

    EchoCancellerConfig config_;
    std::unique_ptr<SpeexEchoState_, EchoFree> echo_;
    std::unique_ptr<SpeexPreprocessState_, PreprocessFree> pre_;
};

} // namespace vphone::media
