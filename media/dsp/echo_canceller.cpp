#include "dsp/echo_canceller.h"

#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <string>

namespace vphone::media {

void EchoCanceller::EchoFree::operator()(SpeexEchoState_* s) const
{
    speex_echo_state_destroy(s);
}

void EchoCanceller::PreprocessFree::operator()(SpeexPreprocessState_* s) const
{
    speex_preprocess_state_destroy(s);
}

MediaResult<EchoCanceller> EchoCanceller::create(EchoCancellerConfig config)
{
    if (config.sampleRate < 8000 || config.sampleRate > 48000) {
        return mediaError("echo canceller: sample rate " + std::to_string(config.sampleRate) +
                          " Hz is outside 8000..48000");
    }
    // speexdsp's FFT wants frames of 2.5 to 40 ms or so; refuse what would waste its filter.
    const auto minFrame = std::size_t(config.sampleRate / 400);
    const auto maxFrame = std::size_t(config.sampleRate / 25);
    if (config.frameSamples < minFrame || config.frameSamples > maxFrame) {
        return mediaError("echo canceller: frame of " + std::to_string(config.frameSamples) +
                          " samples is not between 2.5 and 40 ms at " + std::to_string(config.sampleRate) +
                          " Hz");
    }
    if (config.tail.count() < 10 || config.tail.count() > 1000) {
        return mediaError("echo canceller: tail of " + std::to_string(config.tail.count()) +
                          " ms is outside 10..1000");
    }
    if (config.noise != NoiseSuppression::Off && config.noise != NoiseSuppression::On) {
        return mediaError("echo canceller: noise suppression must be On or Off");
    }
    const int tailSamples = int(config.tail.count()) * config.sampleRate / 1000;
    SpeexEchoState* echo = speex_echo_state_init(int(config.frameSamples), tailSamples);
    SpeexPreprocessState* pre = speex_preprocess_state_init(int(config.frameSamples), config.sampleRate);
    if (echo == nullptr || pre == nullptr) {
        if (echo) speex_echo_state_destroy(echo);
        if (pre) speex_preprocess_state_destroy(pre);
        return mediaError("echo canceller: speexdsp could not create its state");
    }
    return EchoCanceller(config, echo, pre);
}

EchoCanceller::EchoCanceller(EchoCancellerConfig config, SpeexEchoState_* echo, SpeexPreprocessState_* pre)
    : config_(config), echo_(echo), pre_(pre)
{
    int rate = config_.sampleRate;
    speex_echo_ctl(echo_.get(), SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
    configurePreprocessor();
}

EchoCanceller::EchoCanceller(EchoCanceller&&) noexcept = default;
EchoCanceller& EchoCanceller::operator=(EchoCanceller&&) noexcept = default;
EchoCanceller::~EchoCanceller() = default;

void EchoCanceller::configurePreprocessor()
{
    // The preprocessor's residual-echo suppressor needs the canceller's echo estimate.
    speex_preprocess_ctl(pre_.get(), SPEEX_PREPROCESS_SET_ECHO_STATE, echo_.get());
    int denoise = config_.noise == NoiseSuppression::On ? 1 : 0;
    speex_preprocess_ctl(pre_.get(), SPEEX_PREPROCESS_SET_DENOISE, &denoise);
    int noiseDb = config_.noiseSuppressDb;
    speex_preprocess_ctl(pre_.get(), SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &noiseDb);
    int off = 0;
    speex_preprocess_ctl(pre_.get(), SPEEX_PREPROCESS_SET_AGC, &off);
    speex_preprocess_ctl(pre_.get(), SPEEX_PREPROCESS_SET_DEREVERB, &off);
}

bool EchoCanceller::process(std::span<const int16_t> farEnd, std::span<const int16_t> nearEnd,
                            std::span<int16_t> out)
{
    const std::size_t n = config_.frameSamples;
    if (farEnd.size() != n || nearEnd.size() != n || out.size() != n) return false;
    speex_echo_cancellation(echo_.get(), nearEnd.data(), farEnd.data(), out.data());
    speex_preprocess_run(pre_.get(), out.data());
    return true;
}

void EchoCanceller::reset()
{
    speex_echo_state_reset(echo_.get());
}

} // namespace vphone::media
