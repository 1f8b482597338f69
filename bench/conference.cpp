// vphone-bench-conference: what hosting a conference costs (issue 8).
//
//   1. Mixer cost per participant per 20 ms frame, N = 2..16 ports (ConferenceMixer::mix()
//      with every port's input and output ring used as the media threads use them), thread CPU.
//   2. CPU of hosting an N-party Opus conference (N = 4 and 8: the host's own tone port and
//      N - 1 calls): the far ends run in a forked child process, so the figure is the host
//      process alone (getrusage): per call RTP/SDES-SRTP receive, jitter buffer, Opus decode,
//      the mix, Opus encode, SRTP send, on the real media and mixer threads over 127.0.0.1
//      (RTP 15500-15999), as a share of one core.
//   3. A 4-party 640x360 30 fps video conference's pipeline on one thread, as fast as it goes:
//      decode 3 H.264 streams, composite them with the host's test pattern (libswscale), encode
//      the composite 3 times (one H.264 encoder per participant, as the bridge does today).
//      Frames per second achieved, and the share of one core it needs at 30 fps.
//   4. Shared vs separate encoders: 4 participants, all H.264 640x360 30 fps, paced at 30 ticks
//      a second on one thread through ConferenceVideo as the bridge runs it: decode 4 streams
//      into the cells, compose, then either each participant encodes the composite it captured
//      (one encoder each, as before shared_video_encoder.h) or each asks its EncodedVideoSource
//      (one encoder for the four). Thread CPU per tick, total and for the encode step alone.
//
// Run: build/release/bench/vphone-bench-conference [SECONDS] [video]   (default 10 s per audio
// size; "video" runs parts 3 and 4 only)
#include "engine/conference_bridge.h"
#include "engine/conference_video.h"
#include "engine/media_session.h"
#include "video/test_pattern.h"
#include "video/video_codec.h"
#include "video/video_compositor.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <numbers>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

/// True when an encode/decode call produced a picture (errors count as none).
bool produced(const MediaResult<bool>& r)
{
    return r && *r;
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double processCpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// ---- 1. mixer ----

void mixerCost()
{
    std::printf("Mixer (ConferenceMixer::mix, 48 kHz mono 20 ms frames, all ports talking):\n");
    std::printf("  %-6s %14s %22s %14s\n", "ports", "us per frame", "us per participant", "% of one core");
    std::vector<std::int16_t> tone(960), out(960);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = std::int16_t(8000 * std::sin(2 * std::numbers::pi * 440 * double(i) / 48000));
    for (int n : {2, 4, 8, 16}) {
        ConferenceMixer mixer;
        std::vector<std::shared_ptr<MixerPort>> ports;
        for (int i = 0; i < n; ++i)
            ports.push_back(mixer.addPort("p" + std::to_string(i)));
        const int frames = 20000;
        const double start = threadCpuSeconds();
        for (int f = 0; f < frames; ++f) {
            for (auto& p : ports)
                p->pushInput(tone);
            mixer.mix();
            for (auto& p : ports)
                p->popOutput(out);
        }
        const double perFrameUs = (threadCpuSeconds() - start) / frames * 1e6;
        std::printf("  %-6d %14.2f %22.3f %13.3f%%\n", n, perFrameUs, perFrameUs / n,
                    perFrameUs / 20000 * 100);
    }
}

// ---- 2. audio conference ----

MediaConfig callConfig(std::string source, PortRange ports)
{
    MediaConfig c;
    c.rtpPorts = ports;
    c.localAddresses = {"127.0.0.1"};
    c.codecs = {"opus"};
    c.audioSource = std::move(source);
    c.audioSink = "null";
    c.srtp = vphone::sdp::SrtpPolicy::Mandatory;
    c.keying = vphone::sdp::Keying::Sdes;
    return c;
}

bool writeText(int fd, const std::string& text)
{
    const std::uint32_t n = std::uint32_t(text.size());
    return write(fd, &n, sizeof n) == sizeof n && write(fd, text.data(), n) == ssize_t(n);
}

std::string readText(int fd)
{
    std::uint32_t n = 0;
    if (read(fd, &n, sizeof n) != sizeof n) return {};
    std::string text(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        const auto r = read(fd, text.data() + got, n - got);
        if (r <= 0) return {};
        got += std::size_t(r);
    }
    return text;
}

/// The child: `calls` far ends with tones, each offering to the parent; runs until its pipe closes.
[[noreturn]] void farEnds(int calls, int toParent, int fromParent)
{
    std::vector<std::unique_ptr<MediaSession>> far;
    for (int i = 0; i < calls; ++i) {
        auto made = MediaSession::create(callConfig("tone:" + std::to_string(300 + 150 * i), {15800, 15999}));
        if (!made) _exit(2);
        auto offer = (*made)->createOffer();
        if (!offer || !writeText(toParent, *offer)) _exit(3);
        const auto answer = readText(fromParent);
        if (answer.empty() || !(*made)->applyAnswer(answer)) _exit(4);
        far.push_back(std::move(*made));
    }
    char c;
    while (read(fromParent, &c, 1) > 0) {}
    for (auto& s : far)
        s->stop();
    _exit(0);
}

void audioConference(int parties, int seconds)
{
    const int calls = parties - 1;
    int up[2], down[2];
    if (pipe(up) != 0 || pipe(down) != 0) return;
    const pid_t child = fork();
    if (child == 0) {
        close(up[0]);
        close(down[1]);
        farEnds(calls, up[1], down[0]);
    }
    close(up[1]);
    close(down[0]);
    auto bridge = ConferenceBridge::create({});
    if (!bridge) {
        std::printf("  bridge: %s\n", bridge.error().what.c_str());
        return;
    }
    std::vector<std::unique_ptr<MediaSession>> near;
    for (int i = 0; i < calls; ++i) {
        auto made = MediaSession::create(callConfig("silence", {15500, 15799}));
        const auto offer = readText(up[0]);
        if (!made || offer.empty()) break;
        auto joined = (*bridge)->join(**made, "call" + std::to_string(i));
        auto answer = (*made)->answer(offer);
        if (!joined || !answer || !writeText(down[1], *answer)) break;
        near.push_back(std::move(*made));
    }
    auto host = (*bridge)->joinLocal("tone:2000", "null", "", "host");
    if (int(near.size()) != calls || !host) {
        std::printf("  %d-party: setup failed\n", parties);
    } else {
        std::this_thread::sleep_for(1s); // jitter buffers settle
        const double cpu0 = processCpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::seconds{seconds});
        const double cpu = processCpuSeconds() - cpu0;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::uint64_t in = 0, under = 0, over = 0;
        for (const auto& p : (*bridge)->participants()) {
            in += p.framesIn;
            under += p.underruns;
            over += p.overruns;
        }
        std::printf(
            "  %d-party (%d calls + host): %.1f%% of one core (%.2f s CPU in %.1f s); frames mixed in %llu, "
            "underruns %llu, overruns %llu\n",
            parties, calls, cpu / wall * 100, cpu, wall, (unsigned long long)in, (unsigned long long)under,
            (unsigned long long)over);
    }
    (*bridge)->stop();
    for (auto& s : near)
        s->stop();
    close(down[1]);
    close(up[0]);
    int status = 0;
    waitpid(child, &status, 0);
}

// ---- 3. video pipeline ----

void videoPipeline()
{
    constexpr int kW = 640, kH = 360, kFps = 30, kFrames = 300;
    std::vector<std::vector<EncodedVideoFrame>> streams(3);
    std::vector<std::unique_ptr<VideoDecoder>> decoders;
    std::vector<std::unique_ptr<VideoEncoder>> encoders;
    VideoEncoderSettings s;
    s.codec = VideoCodecId::H264;
    s.width = kW;
    s.height = kH;
    s.fps = kFps;
    s.bitrateKbps = 800;
    s.threads = 1;
    for (int i = 0; i < 3; ++i) {
        auto enc = VideoEncoder::create(s);
        auto dec = VideoDecoder::create(VideoCodecId::H264);
        if (!enc || !dec) {
            std::printf("  video: cannot create H.264 codecs\n");
            return;
        }
        TestPattern pattern(kW, kH);
        VideoFrame f;
        for (int k = 0; k < kFrames; ++k) {
            pattern.render(std::uint32_t(k * (i + 1)), f);
            EncodedVideoFrame e;
            if (produced((*enc)->encode(f, k == 0, e))) streams[std::size_t(i)].push_back(std::move(e));
        }
        decoders.push_back(std::move(*dec));
        auto out = VideoEncoder::create(s);
        if (!out) return;
        encoders.push_back(std::move(*out));
    }
    VideoCompositor compositor(kW, kH, VideoCompositor::Layout::Grid);
    for (int id = 1; id <= 4; ++id)
        compositor.add(id);
    TestPattern host(kW, kH);
    VideoFrame decoded, hostFrame, composite;
    EncodedVideoFrame encoded;
    std::size_t bytes = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = threadCpuSeconds();
    for (int k = 0; k < kFrames; ++k) {
        for (std::size_t i = 0; i < 3; ++i) {
            const auto& stream = streams[i];
            if (k < int(stream.size()) && produced(decoders[i]->decode(stream[std::size_t(k)].data, decoded)))
                compositor.submit(int(i) + 1, decoded);
        }
        host.render(std::uint32_t(k), hostFrame);
        compositor.submit(4, hostFrame);
        if (!compositor.compose(composite)) return;
        for (auto& e : encoders) {
            if (produced(e->encode(composite, false, encoded))) bytes += encoded.data.size();
        }
    }
    const double cpu = threadCpuSeconds() - cpu0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double fps = kFrames / wall;
    std::printf("Video (4-party 640x360 grid, one thread: decode 3 H.264 + composite + encode 3 H.264):\n");
    std::printf(
        "  %.1f frames/s (%.2f ms per frame; %.2f ms CPU), %.0f%% of one core at 30 fps; real time: %s; "
        "%.0f kbit/s per participant\n",
        fps, wall / kFrames * 1000, cpu / kFrames * 1000, cpu / kFrames * kFps * 100,
        fps >= 30 ? "yes" : "NO", double(bytes) * 8 / 3 / (kFrames / double(kFps)) / 1000);
}

// ---- 4. shared vs separate encoders ----

struct TickCost {
    double totalMs = 0, encodeMs = 0;
    std::uint64_t encodes = 0;
    std::size_t bytes = 0;
};

TickCost conferenceTicks(bool shared, int ticks)
{
    constexpr int kW = 640, kH = 360, kFps = 30, kParties = 4;
    TickCost cost;
    VideoEncoderSettings s;
    s.codec = VideoCodecId::H264;
    s.width = kW;
    s.height = kH;
    s.fps = kFps;
    s.bitrateKbps = 800;
    s.threads = 1;
    // What the four far ends send: their own test pattern, encoded beforehand.
    std::vector<std::vector<EncodedVideoFrame>> incoming(kParties);
    std::vector<std::unique_ptr<VideoDecoder>> decoders;
    for (int i = 0; i < kParties; ++i) {
        auto enc = VideoEncoder::create(s);
        auto dec = VideoDecoder::create(VideoCodecId::H264);
        if (!enc || !dec) return cost;
        TestPattern pattern(kW, kH);
        VideoFrame f;
        for (int k = 0; k < ticks; ++k) {
            pattern.render(std::uint32_t(k * (i + 1)), f);
            EncodedVideoFrame e;
            if (produced((*enc)->encode(f, k == 0, e))) incoming[std::size_t(i)].push_back(std::move(e));
        }
        decoders.push_back(std::move(*dec));
    }
    ConferenceVideo cv(kW, kH, kFps, VideoCompositor::Layout::Grid, {});
    std::vector<std::unique_ptr<VideoSource>> sources;
    std::vector<std::unique_ptr<VideoSink>> cells;
    std::vector<std::unique_ptr<VideoEncoder>> encoders;
    for (int id = 1; id <= kParties; ++id) {
        cv.add(id);
        sources.push_back(cv.sourceFor(id));
        cells.push_back(cv.sinkFor(id));
        if (!shared) {
            auto e = VideoEncoder::create(s);
            if (!e) return cost;
            encoders.push_back(std::move(*e));
        }
    }
    EncodeRequest request;
    request.settings = s;
    VideoFrame decoded, composite;
    EncodedVideoFrame encoded;
    std::vector<SharedEncodedFrame> frames;
    const auto tick = std::chrono::microseconds{1'000'000 / kFps};
    auto next = std::chrono::steady_clock::now();
    double total = 0, encode = 0;
    for (int k = 0; k < ticks; ++k) {
        std::this_thread::sleep_until(next);
        next += tick;
        if (std::chrono::steady_clock::now() > next) next = std::chrono::steady_clock::now(); // as run()
        const double t0 = threadCpuSeconds();
        for (std::size_t i = 0; i < std::size_t(kParties); ++i) {
            const auto& stream = incoming[i];
            if (k < int(stream.size()) && produced(decoders[i]->decode(stream[std::size_t(k)].data, decoded)))
                cells[i]->write(decoded, std::chrono::steady_clock::now());
        }
        if (!cv.composeOnce()) return cost;
        const double t1 = threadCpuSeconds();
        for (std::size_t i = 0; i < sources.size(); ++i) {
            if (shared) {
                request.keyframe = k == 0;
                frames.clear();
                auto* source = dynamic_cast<EncodedVideoSource*>(sources[i].get());
                if (source && source->encoded(next, request, frames)) {
                    for (const auto& f : frames)
                        cost.bytes += f->data.size();
                }
            } else if (sources[i]->capture(next, composite) &&
                       produced(encoders[i]->encode(composite, k == 0, encoded))) {
                cost.bytes += encoded.data.size();
                ++cost.encodes;
            }
        }
        const double t2 = threadCpuSeconds();
        total += t2 - t0;
        encode += t2 - t1;
    }
    if (shared) cost.encodes = cv.encoderStats().framesEncoded;
    cost.totalMs = total / ticks * 1000;
    cost.encodeMs = encode / ticks * 1000;
    return cost;
}

void sharedVsSeparate()
{
    constexpr int kTicks = 300;
    std::printf("Video, 4 participants all H.264 640x360 at 30 ticks/s (decode 4 + composite + encode):\n");
    for (bool shared : {false, true}) {
        const auto c = conferenceTicks(shared, kTicks);
        std::printf("  %-26s %6.2f ms CPU per tick (encode step %6.2f ms), %5.1f%% of one core; %llu encodes "
                    "for %d ticks; %.0f kbit/s sent per participant\n",
                    shared ? "shared (1 encoder):" : "separate (4 encoders):", c.totalMs, c.encodeMs,
                    c.totalMs * 30 / 10, (unsigned long long)c.encodes, kTicks,
                    double(c.bytes) * 8 / 4 / (kTicks / 30.0) / 1000);
    }
}

} // namespace

int main(int argc, char** argv)
{
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
    const bool videoOnly = argc > 2 && std::string(argv[2]) == "video";
    std::printf("vphone-bench-conference: %ld CPUs online\n", sysconf(_SC_NPROCESSORS_ONLN));
    if (!videoOnly) {
        mixerCost();
        std::printf("Audio conference (Opus 48 kHz, SDES-SRTP, loopback, far ends in another process):\n");
        for (int parties : {4, 8})
            audioConference(parties, seconds);
    }
    videoPipeline();
    sharedVsSeparate();
    return 0;
}
