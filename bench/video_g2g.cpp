// vphone-bench-video-g2g: glass-to-glass video latency through the media engine on loopback.
//
// Two MediaSessions in one process call each other over 127.0.0.1 (RTP ports 12300-12399), with
// audio (the default silence source, Opus) and video both ways, SDES-SRTP. Each side's video
// source is the test pattern wrapped in a probe that notes the steady-clock time at which each
// frame number was "captured" (the moment capture() is called, before the pattern is drawn, as
// a camera's exposure would be). Each side's sink reads the barcode of every frame the engine
// shows (readFrameCounter) and notes now - capture time of that number. That span is the
// engine's glass-to-glass delay without a camera's and a display's own buffers: capture,
// encoding (libx264 / libvpx), packetisation, SRTP, UDP, the receive buffer, decoding and the
// lip-sync hold (video is held back to match the audio; the engine has no audio-off mode for a
// call with video, so the hold is part of what is measured and its last value is printed).
// Frames captured in the first 2 s (call set-up, first keyframe) and the last 1 s (still in
// flight) are left out. Both directions are pooled. Prints, per codec and size: frames shown /
// captured, median, p95 and max glass-to-glass ms, the lip-sync hold and the process's CPU.
// Usage: vphone-bench-video-g2g [SECONDS per configuration, default 10]
#include "engine/media_session.h"
#include "video/test_pattern.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

using namespace vphone::media;
using Clock = std::chrono::steady_clock;

namespace {

/// One direction of the call: when each frame number was captured and when it was shown.
struct Probe {
    std::mutex mutex;
    std::unordered_map<std::uint32_t, Clock::time_point> captured;
    std::unordered_map<std::uint32_t, Clock::time_point> shown; ///< first time each number was shown
    std::uint64_t unreadable = 0;                               ///< frames shown without a readable barcode
};

class ProbeSource final : public VideoSource {
public:
    ProbeSource(int width, int height, int fps, Probe& probe)
        : pattern_(width, height), fps_(fps), probe_(probe)
    {}
    int width() const override { return pattern_.width(); }
    int height() const override { return pattern_.height(); }
    int fps() const override { return fps_; }
    bool capture(Clock::time_point /*frameTime*/, VideoFrame& out) override
    {
        const auto now = Clock::now();
        {
            std::lock_guard lock(probe_.mutex);
            probe_.captured.emplace(next_, now);
        }
        pattern_.render(next_++, out);
        return true;
    }
    std::string describe() const override { return "g2g probe testsrc"; }

private:
    TestPattern pattern_;
    int fps_;
    Probe& probe_;
    std::uint32_t next_ = 0;
};

class ProbeSink final : public VideoSink {
public:
    explicit ProbeSink(Probe& probe) : probe_(probe) {}
    void write(const VideoFrame& frame, Clock::time_point /*now*/) override
    {
        const auto now = Clock::now();
        const auto counter = readFrameCounter(frame);
        std::lock_guard lock(probe_.mutex);
        if (!counter) {
            ++probe_.unreadable;
            return;
        }
        probe_.shown.emplace(*counter, now);
    }

private:
    Probe& probe_;
};

struct Setup {
    const char* codec;
    int width;
    int height;
    int kbps;
};

double processCpuSeconds()
{
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

MediaConfig config(const Setup& s, Probe& sent, Probe& received)
{
    MediaConfig c;
    c.rtpPorts = {12300, 12399};
    c.localAddresses = {"127.0.0.1"};
    c.codecs = {"opus", "telephone-event"};
    c.srtp = vphone::sdp::SrtpPolicy::Mandatory;
    c.videoSource = "testsrc:" + std::to_string(s.width) + "x" + std::to_string(s.height) + "@30";
    c.videoCodecs = {s.codec};
    c.videoStartKbps = s.kbps;
    c.videoMaxKbps = s.kbps;
    c.rtcpMinimumInterval = std::chrono::milliseconds{500};
    c.videoSourceFactory = [&sent](const VideoSourceSpec& spec) -> MediaResult<std::unique_ptr<VideoSource>> {
        return std::unique_ptr<VideoSource>(
            std::make_unique<ProbeSource>(spec.width, spec.height, spec.fps, sent));
    };
    c.videoSinkFactory = [&received]() -> MediaResult<std::unique_ptr<VideoSink>> {
        return std::unique_ptr<VideoSink>(std::make_unique<ProbeSink>(received));
    };
    return c;
}

double percentile(const std::vector<double>& sorted, double p)
{
    if (sorted.empty()) return 0;
    const auto i = std::min(sorted.size() - 1, std::size_t(p * double(sorted.size() - 1) + 0.5));
    return sorted[i];
}

} // namespace

int main(int argc, char** argv)
{
    const int seconds = argc > 1 ? std::max(5, std::atoi(argv[1])) : 10;
    const Setup setups[] = {
        {"h264", 640, 360, 800},
        {"h264", 1280, 720, 2000},
        {"vp8", 640, 360, 800},
        {"vp8", 1280, 720, 2000},
    };
    std::printf(
        "glass-to-glass, two-way call with audio (Opus, silence) and SDES-SRTP, both directions pooled, "
        "%d s per row\n",
        seconds);
    std::printf("%-6s %-10s %5s %14s %8s %8s %8s %9s %8s %9s %6s\n", "codec", "size", "kbps", "shown/capt",
                "median", "p95", "max ms", "sync hold", "A/V ms", "rx fps", "CPU");
    int failures = 0;
    for (const auto& s : setups) {
        Probe aToB, bToA;
        auto a = MediaSession::create(config(s, aToB, bToA));
        auto b = MediaSession::create(config(s, bToA, aToB));
        if (!a || !b) {
            std::fprintf(stderr, "%s: %s\n", s.codec, (!a ? a.error() : b.error()).what.c_str());
            return 1;
        }
        auto offer = (*a)->createOffer();
        auto answer = offer ? (*b)->answer(*offer) : EngineResult<std::string>(offer.error());
        auto applied = answer ? (*a)->applyAnswer(*answer) : EngineResult<bool>(answer.error());
        if (!applied) {
            std::fprintf(stderr, "%s: offer/answer: %s\n", s.codec, applied.error().what.c_str());
            return 1;
        }
        const auto start = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds{2});
        const double cpuBefore = processCpuSeconds();
        const auto cpuFrom = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(seconds - 2));
        const double cpu = (processCpuSeconds() - cpuBefore) /
                           std::chrono::duration<double>(Clock::now() - cpuFrom).count() * 100;
        // The receiving side's video stats: the lip-sync hold of its last frame, fps received.
        double hold = 0, avSync = 0, fps = 0;
        int withSync = 0;
        for (auto* session : {a->get(), b->get()}) {
            for (const auto& st : session->stats()) {
                if (st.type != "video") continue;
                hold += st.video.syncDelayMs / 2;
                fps += st.video.fpsReceived / 2;
                if (st.video.avSyncMs) {
                    avSync += *st.video.avSyncMs;
                    ++withSync;
                }
            }
        }
        (*a)->stop();
        (*b)->stop();

        const auto from = start + std::chrono::seconds{2};
        const auto until = start + std::chrono::seconds(seconds - 1);
        std::vector<double> delays;
        std::size_t capturedInWindow = 0;
        std::uint64_t unreadable = 0;
        for (auto* probe : {&aToB, &bToA}) {
            std::lock_guard lock(probe->mutex);
            unreadable += probe->unreadable;
            for (const auto& [number, at] : probe->captured) {
                if (at < from || at >= until) continue;
                ++capturedInWindow;
                const auto shown = probe->shown.find(number);
                if (shown == probe->shown.end()) continue;
                delays.push_back(std::chrono::duration<double, std::milli>(shown->second - at).count());
            }
        }
        std::sort(delays.begin(), delays.end());
        const std::string size = std::to_string(s.width) + "x" + std::to_string(s.height);
        if (delays.empty()) {
            std::printf("%-6s %-10s %5d   no frame shown (%zu captured)\n", s.codec, size.c_str(), s.kbps,
                        capturedInWindow);
            ++failures;
            continue;
        }
        char shown[32];
        std::snprintf(shown, sizeof shown, "%zu/%zu", delays.size(), capturedInWindow);
        char sync[16] = "n/a";
        if (withSync) std::snprintf(sync, sizeof sync, "%.1f", avSync / withSync);
        std::printf("%-6s %-10s %5d %14s %8.1f %8.1f %8.1f %6.1f ms %8s %9.1f %5.0f%%\n", s.codec,
                    size.c_str(), s.kbps, shown, percentile(delays, 0.5), percentile(delays, 0.95),
                    delays.back(), hold, sync, fps, cpu);
        if (unreadable)
            std::printf("       %llu frames shown with an unreadable barcode\n",
                        (unsigned long long)unreadable);
    }
    std::printf("shown/capt: frames captured 2 s .. %d s into the call that were shown (both directions); "
                "sync hold: the lip-sync delay of the last frame shown (mean of both sides); CPU: the whole "
                "process (both ends) in %% of one core\n",
                seconds - 1);
    return failures == 0 ? 0 : 1;
}
