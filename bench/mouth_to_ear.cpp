// vphone-bench-mouth-to-ear: one-way audio latency through the media engine on loopback.
//
// Two MediaSessions in one process call each other over 127.0.0.1 (ports 5300-5399). A's source
// is a probe that puts a 5 ms 1 kHz click into every 25th frame (every 500 ms) and notes when
// that sample was "spoken": a synthetic frame handed over at time T was captured over
// [T - 20 ms, T], as a sound card's would be. B's sink is a probe that notes when the click's
// onset is "heard": a frame written at T' plays over [T', T' + 20 ms]. The difference is the
// engine's mouth-to-ear delay without the sound cards' own buffers: capture framing,
// resampling, encoding, packetisation, SRTP, UDP, jitter buffer, decoding. Both probes read
// the same steady clock. Usage: vphone-bench-mouth-to-ear [SECONDS per configuration, default 10]
#include "engine/media_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <numbers>
#include <thread>
#include <vector>

using namespace vphone::media;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kClickEvery = 25; // frames

struct Probe {
    std::mutex mutex;
    std::vector<Clock::time_point> spoken;
    std::vector<Clock::time_point> heard;
};

class ClickSource final : public AudioSource {
public:
    ClickSource(AudioFormat format, const AudioClock& clock, Probe& probe)
        : format_(format), pacer_(clock, format), probe_(probe)
    {}
    AudioFormat format() const override { return format_; }
    std::string describe() const override { return "click probe"; }
    FrameStatus read(std::span<int16_t> frame) override
    {
        if (!pacer_.due()) return FrameStatus::NotYet;
        std::fill(frame.begin(), frame.end(), int16_t{0});
        if (pacer_.delivered() % kClickEvery == 10) {
            const std::size_t n = std::size_t(format_.sampleRate) / 200; // 5 ms
            for (std::size_t i = 0; i < n && i < frame.size(); ++i)
                frame[i] =
                    int16_t(16000 * std::sin(2 * std::numbers::pi * 1000 * double(i) / format_.sampleRate));
            const auto frameTime =
                std::chrono::microseconds(1'000'000 * format_.frameSamples / format_.sampleRate);
            std::lock_guard lock(probe_.mutex);
            probe_.spoken.push_back(Clock::now() - frameTime);
        }
        pacer_.next();
        return FrameStatus::Ready;
    }

private:
    AudioFormat format_;
    FramePacer pacer_;
    Probe& probe_;
};

class ClickSink final : public AudioSink {
public:
    ClickSink(AudioFormat format, Probe& probe) : format_(format), probe_(probe) {}
    AudioFormat format() const override { return format_; }
    std::string describe() const override { return "click detector"; }
    FrameStatus write(std::span<const int16_t> frame) override
    {
        const auto now = Clock::now();
        for (std::size_t i = 0; i < frame.size(); ++i) {
            const int level = std::abs(int(frame[i]));
            if (armed_ && level > 3000) {
                std::lock_guard lock(probe_.mutex);
                probe_.heard.push_back(
                    now + std::chrono::microseconds(1'000'000 * i / std::size_t(format_.sampleRate)));
                armed_ = false;
                quiet_ = 0;
            } else if (level < 300) {
                // Re-arm after 100 ms of quiet (the click and its codec ringing are over).
                if (++quiet_ >= std::size_t(format_.sampleRate) / 10) armed_ = true;
            } else {
                quiet_ = 0;
            }
        }
        return FrameStatus::Ready;
    }

private:
    AudioFormat format_;
    Probe& probe_;
    bool armed_ = false;
    std::size_t quiet_ = 0;
};

struct Setup {
    const char* name;
    std::vector<std::string> codecs;
    vphone::sdp::SrtpPolicy srtp;
};

double processCpuSeconds()
{
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

MediaConfig baseConfig(const Setup& s)
{
    MediaConfig c;
    c.rtpPorts = {5300, 5399};
    c.codecs = s.codecs;
    c.srtp = s.srtp;
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    const int seconds = argc > 1 ? std::max(2, std::atoi(argv[1])) : 10;
    const Setup setups[] = {
        {"opus", {"opus"}, vphone::sdp::SrtpPolicy::Off},
        {"pcmu", {"pcmu"}, vphone::sdp::SrtpPolicy::Off},
        {"opus + SDES-SRTP", {"opus"}, vphone::sdp::SrtpPolicy::Mandatory},
    };
    std::printf("%-18s %6s %8s %8s %8s %12s %10s\n", "configuration", "clicks", "min ms", "median", "max ms",
                "jitter buf", "CPU");
    int failures = 0;
    for (const auto& setup : setups) {
        Probe probe;
        auto ca = baseConfig(setup);
        ca.sourceFactory = [&](AudioFormat f,
                               const AudioClock& clock) -> MediaResult<std::unique_ptr<AudioSource>> {
            return std::unique_ptr<AudioSource>(std::make_unique<ClickSource>(f, clock, probe));
        };
        auto cb = baseConfig(setup);
        cb.sinkFactory = [&](AudioFormat f) -> MediaResult<std::unique_ptr<AudioSink>> {
            return std::unique_ptr<AudioSink>(std::make_unique<ClickSink>(f, probe));
        };
        auto a = MediaSession::create(ca);
        auto b = MediaSession::create(cb);
        if (!a || !b) {
            std::fprintf(stderr, "%s: %s\n", setup.name, (!a ? a.error() : b.error()).what.c_str());
            return 1;
        }
        auto offer = (*a)->createOffer();
        auto answer = offer ? (*b)->answer(*offer) : EngineResult<std::string>(offer.error());
        auto applied = answer ? (*a)->applyAnswer(*answer) : EngineResult<bool>(answer.error());
        if (!applied) {
            std::fprintf(stderr, "%s: offer/answer: %s\n", setup.name, applied.error().what.c_str());
            return 1;
        }
        const double cpuBefore = processCpuSeconds();
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        // Both ends of the call, two media threads: share of one core.
        const double cpu = (processCpuSeconds() - cpuBefore) / seconds * 100;
        const auto stats = (*b)->stats();
        (*a)->stop();
        (*b)->stop();

        std::lock_guard lock(probe.mutex);
        // Pair each click heard with the latest one spoken before it.
        std::vector<double> delays;
        for (const auto& h : probe.heard) {
            auto it = std::upper_bound(probe.spoken.begin(), probe.spoken.end(), h);
            if (it == probe.spoken.begin()) continue;
            delays.push_back(std::chrono::duration<double, std::milli>(h - *std::prev(it)).count());
        }
        std::sort(delays.begin(), delays.end());
        if (delays.empty()) {
            std::printf("%-18s %6s   no click arrived (%zu spoken)\n", setup.name, "0", probe.spoken.size());
            ++failures;
            continue;
        }
        std::printf("%-18s %6zu %8.1f %8.1f %8.1f %9.1f ms %8.1f %%\n", setup.name, delays.size(),
                    delays.front(), delays[delays.size() / 2], delays.back(),
                    stats.empty() ? 0.0 : stats.front().jitterBufferMs, cpu);
    }
    return failures == 0 ? 0 : 1;
}
