// vphone-bench-codec: audio codec and DSP costs on 20 ms frames (Google Benchmark).
// Each benchmark reports "xRT": seconds of audio processed per second of CPU, i.e. how many
// times faster than real time. Run from a release build:
//   build/release/bench/vphone-bench-codec
#include "codec/g711.h"
#include "codec/g722_codec.h"
#include "codec/opus_codec.h"
#include "dsp/echo_canceller.h"
#include "dsp/resampler.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using namespace vphone::media;

namespace {

std::vector<int16_t> speechLike(std::size_t samples, int rate)
{
    std::vector<int16_t> out(samples);
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0, 300);
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = double(i) / rate;
        double v = 0;
        for (int h = 1; h <= 8; ++h)
            v += std::sin(2 * std::numbers::pi * 150 * h * t) / h;
        out[i] = int16_t(4000 * v * (0.6 + 0.4 * std::sin(2 * std::numbers::pi * 3 * t)) + noise(rng));
    }
    return out;
}

void realTime(benchmark::State& state, double frameSeconds)
{
    state.counters["xRT"] =
        benchmark::Counter(double(state.iterations()) * frameSeconds, benchmark::Counter::kIsRate);
}

void opusEncode(benchmark::State& state)
{
    OpusConfig c;
    c.complexity = int(state.range(0));
    auto codec = std::move(*OpusCodec::create(c));
    const auto pcm = speechLike(960 * 50, 48000);
    std::vector<uint8_t> out(codec->format().maxPayloadBytes);
    std::size_t i = 0;
    for (auto _ : state) {
        auto n = codec->encode(std::span(pcm).subspan((i++ % 50) * 960, 960), out);
        benchmark::DoNotOptimize(n);
    }
    realTime(state, 0.020);
}
BENCHMARK(opusEncode)->Arg(5)->Arg(10);

void opusDecode(benchmark::State& state)
{
    auto codec = std::move(*OpusCodec::create({}));
    const auto pcm = speechLike(960 * 50, 48000);
    std::vector<std::vector<uint8_t>> packets;
    std::vector<uint8_t> buf(codec->format().maxPayloadBytes);
    for (std::size_t f = 0; f < 50; ++f) {
        const auto n = *codec->encode(std::span(pcm).subspan(f * 960, 960), buf);
        packets.emplace_back(buf.begin(), buf.begin() + std::ptrdiff_t(n));
    }
    std::vector<int16_t> out(5760);
    std::size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(codec->decode(packets[i++ % 50], out));
    realTime(state, 0.020);
}
BENCHMARK(opusDecode);

void g711(benchmark::State& state)
{
    G711Codec codec(G711Law::Ulaw, 160);
    const auto pcm = speechLike(160, 8000);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> out(160);
    for (auto _ : state) {
        benchmark::DoNotOptimize(codec.encode(pcm, payload));
        benchmark::DoNotOptimize(codec.decode(payload, out));
    }
    realTime(state, 0.020);
}
BENCHMARK(g711);

void g722(benchmark::State& state)
{
    auto codec = std::move(*G722Codec::create(320));
    const auto pcm = speechLike(320, 16000);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> out(640);
    for (auto _ : state) {
        benchmark::DoNotOptimize(codec->encode(pcm, payload));
        benchmark::DoNotOptimize(codec->decode(payload, out));
    }
    realTime(state, 0.020);
}
BENCHMARK(g722);

void resample(benchmark::State& state)
{
    const int in = int(state.range(0));
    const int outRate = int(state.range(1));
    auto r = std::move(*Resampler::create({in, 1}, {outRate, 1}, std::size_t(in / 50)));
    const auto pcm = speechLike(std::size_t(in / 50), in);
    std::vector<int16_t> out(std::size_t(outRate / 50));
    for (auto _ : state)
        benchmark::DoNotOptimize(r.convert(pcm, out));
    realTime(state, 0.020);
}
BENCHMARK(resample)->Args({48000, 8000})->Args({8000, 48000})->Args({44100, 48000});

void echoCancel(benchmark::State& state)
{
    EchoCancellerConfig c;
    c.sampleRate = int(state.range(0));
    c.frameSamples = std::size_t(c.sampleRate / 50);
    auto aec = std::move(*EchoCanceller::create(c));
    const auto far = speechLike(c.frameSamples, c.sampleRate);
    std::vector<int16_t> nearEnd(far.begin(), far.end());
    std::vector<int16_t> out(c.frameSamples);
    for (auto _ : state)
        aec.process(far, nearEnd, out);
    realTime(state, 0.020);
}
BENCHMARK(echoCancel)->Arg(16000)->Arg(48000);

} // namespace

BENCHMARK_MAIN();
