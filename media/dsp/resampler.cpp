#include "dsp/resampler.h"
#include "dsp/ffmpeg_runtime.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cstring>
#include <string>

namespace vphone::media {

namespace {

constexpr int kMaxRate = 192000;

std::string checkFormat(const char* side, PcmFormat f)
{
    if (f.sampleRate < 1000 || f.sampleRate > kMaxRate) {
        return std::string("resampler ") + side + ": sample rate " + std::to_string(f.sampleRate) +
               " Hz is outside 1000.." + std::to_string(kMaxRate);
    }
    if (f.channels != 1 && f.channels != 2) {
        return std::string("resampler ") + side + ": " + std::to_string(f.channels) +
               " channels (only mono and stereo)";
    }
    return {};
}

AVChannelLayout layoutFor(int channels)
{
    AVChannelLayout layout;
    ffmpeg::api().av_channel_layout_default(&layout, channels);
    return layout;
}

} // namespace

void Resampler::SwrFree::operator()(SwrContext* s) const
{
    ffmpeg::api().swr_free(&s);
}

MediaResult<Resampler> Resampler::create(PcmFormat in, PcmFormat out, std::size_t maxInputFrames)
{
    for (const auto& problem : {checkFormat("input", in), checkFormat("output", out)}) {
        if (!problem.empty()) return mediaError(problem);
    }
    if (maxInputFrames == 0 || maxInputFrames > std::size_t(kMaxRate)) {
        return mediaError("resampler: maximum input of " + std::to_string(maxInputFrames) +
                          " frames per push is not in 1.." + std::to_string(kMaxRate));
    }
    if (auto lib = ffmpeg::load(); !lib) return mediaError("resampler: " + lib.error().what);
    SwrContext* swr = nullptr;
    AVChannelLayout inLayout = layoutFor(in.channels);
    AVChannelLayout outLayout = layoutFor(out.channels);
    int rc = ffmpeg::api().swr_alloc_set_opts2(&swr, &outLayout, AV_SAMPLE_FMT_S16, out.sampleRate, &inLayout,
                                               AV_SAMPLE_FMT_S16, in.sampleRate, 0, nullptr);
    // Mono to stereo duplicates the channel and stereo to mono averages: a voice keeps its level
    // (libswresample's default matrix would take 3 dB off an upmix).
    static const double kUpmix[2] = {1.0, 1.0};
    static const double kDownmix[2] = {0.5, 0.5};
    if (rc >= 0 && swr != nullptr && in.channels != out.channels) {
        rc =
            ffmpeg::api().swr_set_matrix(swr, in.channels == 1 ? kUpmix : kDownmix, in.channels == 1 ? 1 : 2);
    }
    if (rc < 0 || swr == nullptr || ffmpeg::api().swr_init(swr) < 0) {
        ffmpeg::api().swr_free(&swr);
        return mediaError("resampler: libswresample refused " + std::to_string(in.sampleRate) + " Hz/" +
                          std::to_string(in.channels) + " ch -> " + std::to_string(out.sampleRate) + " Hz/" +
                          std::to_string(out.channels) + " ch");
    }
    return Resampler(in, out, maxInputFrames, swr);
}

Resampler::Resampler(PcmFormat in, PcmFormat out, std::size_t maxInputFrames, SwrContext* swr)
    : in_(in), out_(out), maxInputFrames_(maxInputFrames), swr_(swr)
{
    // Room for several pushes' worth of output, so push() never leaves input buffered in swr.
    fifo_.resize(4 * maxOutputFrames(maxInputFrames) * std::size_t(out.channels));
}

Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

std::size_t Resampler::maxOutputFrames(std::size_t inputFrames) const
{
    // Rate ratio rounded up, plus the filter's tail that a push may release.
    return (inputFrames * std::size_t(out_.sampleRate) + std::size_t(in_.sampleRate) - 1) /
               std::size_t(in_.sampleRate) +
           64;
}

bool Resampler::push(std::span<const int16_t> in)
{
    const auto ch = std::size_t(in_.channels);
    if (in.size() % ch != 0 || in.size() / ch > maxInputFrames_) return false;
    const std::size_t frames = in.size() / ch;
    if (frames == 0) return true; // swr_convert with no input would flush the filter
    const std::size_t capacity = fifo_.size() / std::size_t(out_.channels);
    if (capacity - fifoFrames_ < maxOutputFrames(frames)) return false; // caller is not popping
    auto* dst = reinterpret_cast<uint8_t*>(fifo_.data() + fifoFrames_ * std::size_t(out_.channels));
    const auto* src = reinterpret_cast<const uint8_t*>(in.data());
    const int got =
        ffmpeg::api().swr_convert(swr_.get(), &dst, int(capacity - fifoFrames_), &src, int(frames));
    if (got < 0) return false;
    fifoFrames_ += std::size_t(got);
    return true;
}

bool Resampler::pop(std::span<int16_t> out)
{
    const auto ch = std::size_t(out_.channels);
    const std::size_t frames = out.size() / ch;
    if (frames > fifoFrames_) return false;
    std::memcpy(out.data(), fifo_.data(), frames * ch * sizeof(int16_t));
    std::memmove(fifo_.data(), fifo_.data() + frames * ch, (fifoFrames_ - frames) * ch * sizeof(int16_t));
    fifoFrames_ -= frames;
    return true;
}

std::size_t Resampler::convert(std::span<const int16_t> in, std::span<int16_t> out)
{
    if (!push(in)) return 0;
    const auto ch = std::size_t(out_.channels);
    const std::size_t want = out.size() / ch;
    if (fifoFrames_ >= want) {
        pop(out);
        primed_ = true;
        return want;
    }
    // Short: the filter's start-up delay (once), or an input/output ratio the caller got wrong.
    const std::size_t have = fifoFrames_;
    const std::size_t missing = want - have;
    if (!primed_) {
        std::fill_n(out.begin(), missing * ch, int16_t{0});
        pop(out.subspan(missing * ch, have * ch));
    } else {
        pop(out.first(have * ch));
        std::fill(out.begin() + std::ptrdiff_t(have * ch), out.end(), int16_t{0});
    }
    primed_ = true;
    return have;
}

} // namespace vphone::media
