// vphone-bench-video: video costs on the test pattern (Google Benchmark): H.264 (libx264) and VP8
// (libvpx) encode and decode at 640x360 and 1280x720, test-pattern rendering, and swscale
// 720p -> 360p. Each benchmark reports "fps": frames processed per second of wall time on one
// thread. Run from a release build:
//   build/release/bench/vphone-bench-video
#include "video/video_codec.h"
#include "video/test_pattern.h"
#include "video/video_convert.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace vphone::media;

namespace {

constexpr int kFrames = 60;

// The test pattern with mild noise, so the encoders see some texture like a camera's.
std::vector<VideoFrame> cameraLike(int w, int h)
{
    TestPattern pattern(w, h);
    std::mt19937 rng(5);
    std::vector<VideoFrame> frames(kFrames);
    for (int i = 0; i < kFrames; ++i) {
        pattern.render(std::uint32_t(i), frames[std::size_t(i)]);
        for (auto& b : frames[std::size_t(i)].data)
            b = std::uint8_t(std::clamp(int(b) + int(rng() % 9) - 4, 0, 255));
    }
    return frames;
}

int kbpsFor(int w)
{
    return w >= 1280 ? 1500 : 800;
}

void fps(benchmark::State& state)
{
    state.counters["fps"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void encode(benchmark::State& state, VideoCodecId codec)
{
    VideoEncoderSettings s;
    s.codec = codec;
    s.width = int(state.range(0));
    s.height = int(state.range(1));
    s.bitrateKbps = kbpsFor(s.width);
    auto enc = VideoEncoder::create(s);
    if (!enc) {
        state.SkipWithError(enc.error().what.c_str());
        return;
    }
    const auto frames = cameraLike(s.width, s.height);
    EncodedVideoFrame out;
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        auto r = (*enc)->encode(frames[i++ % frames.size()], false, out);
        benchmark::DoNotOptimize(r);
        bytes += out.data.size();
    }
    fps(state);
    state.counters["kbit/frame"] = double(bytes) * 8 / 1000 / double(std::max<std::size_t>(1, i));
}

void decode(benchmark::State& state, VideoCodecId codec)
{
    VideoEncoderSettings s;
    s.codec = codec;
    s.width = int(state.range(0));
    s.height = int(state.range(1));
    s.bitrateKbps = kbpsFor(s.width);
    s.keyframeIntervalFrames = kFrames; // every pass through the clip starts with a keyframe
    auto enc = VideoEncoder::create(s);
    auto dec = VideoDecoder::create(codec);
    if (!enc || !dec) {
        state.SkipWithError("cannot create the codec");
        return;
    }
    std::vector<EncodedVideoFrame> encoded;
    for (const auto& f : cameraLike(s.width, s.height)) {
        EncodedVideoFrame e;
        if ((*enc)->encode(f, encoded.empty(), e).value()) encoded.push_back(std::move(e));
    }
    VideoFrame out;
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = (*dec)->decode(encoded[i++ % encoded.size()].data, out);
        benchmark::DoNotOptimize(r);
    }
    fps(state);
}

void h264Encode(benchmark::State& state)
{
    encode(state, VideoCodecId::H264);
}
void vp8Encode(benchmark::State& state)
{
    encode(state, VideoCodecId::Vp8);
}
void h264Decode(benchmark::State& state)
{
    decode(state, VideoCodecId::H264);
}
void vp8Decode(benchmark::State& state)
{
    decode(state, VideoCodecId::Vp8);
}
BENCHMARK(h264Encode)->Args({640, 360})->Args({1280, 720})->UseRealTime();
BENCHMARK(vp8Encode)->Args({640, 360})->Args({1280, 720})->UseRealTime();
BENCHMARK(h264Decode)->Args({640, 360})->Args({1280, 720})->UseRealTime();
BENCHMARK(vp8Decode)->Args({640, 360})->Args({1280, 720})->UseRealTime();

void testPatternRender(benchmark::State& state)
{
    TestPattern pattern(int(state.range(0)), int(state.range(1)));
    VideoFrame f;
    std::uint32_t n = 0;
    for (auto _ : state) {
        pattern.render(n++, f);
        benchmark::DoNotOptimize(f.data.data());
    }
    fps(state);
}
BENCHMARK(testPatternRender)->Args({640, 360})->Args({1280, 720});

void readCounter(benchmark::State& state)
{
    TestPattern pattern(1280, 720);
    VideoFrame f;
    pattern.render(12345, f);
    for (auto _ : state) {
        auto c = readFrameCounter(f);
        benchmark::DoNotOptimize(c);
    }
    fps(state);
}
BENCHMARK(readCounter);

void scale720to360(benchmark::State& state)
{
    TestPattern pattern(1280, 720);
    VideoScaler scaler;
    VideoFrame in, out;
    pattern.render(1, in);
    for (auto _ : state) {
        auto r = scaler.scale(in, 640, 360, out);
        benchmark::DoNotOptimize(r);
    }
    fps(state);
}
BENCHMARK(scale720to360);

void i420ToRgba720(benchmark::State& state)
{
    TestPattern pattern(1280, 720);
    VideoScaler scaler;
    VideoFrame in;
    std::vector<std::uint8_t> rgba;
    pattern.render(1, in);
    for (auto _ : state) {
        auto r = scaler.i420ToRgba(in, rgba);
        benchmark::DoNotOptimize(r);
    }
    fps(state);
}
BENCHMARK(i420ToRgba720);

} // namespace

int main(int argc, char** argv)
{
    silenceFfmpegLogs();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
