// Helpers of the media engine tests: configs on the test's loopback port range (UDP 5300-5399),
// an in-memory offer/answer between two sessions, real-time waits bounded by a deadline, and
// tone analysis of the WAV files the sinks wrote.
#pragma once

#include "device/basic_devices.h"
#include "device/wav_file.h"
#include "dsp/goertzel.h"
#include "engine/media_session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace vphone::media::test {

inline constexpr PortRange kTestPorts{5300, 5399};

/// A fresh directory for one test's files.
inline std::string tempDir(const std::string& name)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("vphone-engine-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

inline MediaConfig config(std::string source, std::string sink,
                          std::vector<std::string> codecs = {"opus", "pcmu", "telephone-event"})
{
    MediaConfig c;
    c.rtpPorts = kTestPorts;
    c.localAddresses = {"127.0.0.1"};
    c.codecs = std::move(codecs);
    c.audioSource = std::move(source);
    c.audioSink = std::move(sink);
    return c;
}

inline std::unique_ptr<MediaSession> session(MediaConfig c)
{
    auto made = MediaSession::create(std::move(c));
    EXPECT_TRUE(made) << (made ? "" : made.error().what);
    return made ? std::move(*made) : nullptr;
}

/// a offers, b answers, a applies the answer. Returns false (with a message) on any error.
inline ::testing::AssertionResult negotiate(MediaSession& a, MediaSession& b, std::string* offerOut = nullptr,
                                            std::string* answerOut = nullptr)
{
    auto offer = a.createOffer();
    if (!offer) return ::testing::AssertionFailure() << "offer: " << offer.error().what;
    if (offerOut) *offerOut = *offer;
    auto answer = b.answer(*offer);
    if (!answer)
        return ::testing::AssertionFailure()
               << "answer: " << answer.error().status << " " << answer.error().what;
    if (answerOut) *answerOut = *answer;
    auto applied = a.applyAnswer(*answer);
    if (!applied) return ::testing::AssertionFailure() << "apply: " << applied.error().what;
    return ::testing::AssertionSuccess();
}

/// Polls `done` every 10 ms until it holds or `limit` passes (real time; no timing asserted).
inline bool waitFor(const std::function<bool()>& done,
                    std::chrono::milliseconds limit = std::chrono::seconds{5})
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    return done();
}

inline StreamStats audioStats(const MediaSession& s)
{
    auto all = s.stats();
    return all.empty() ? StreamStats{} : all.front();
}

/// The mono samples of a WAV file (empty if unreadable).
inline std::vector<std::int16_t> readWav(const std::string& path, int* rate = nullptr)
{
    auto recording = readWavMono(path);
    if (!recording) return {};
    if (rate) *rate = recording->sampleRate;
    return std::move(recording->samples);
}

/// How the received audio splits between tones: the windows from 200 ms after the first
/// audible one to the last audible one (the call's edges are silence by nature).
struct Received {
    ToneReport report;
    double seconds = 0; ///< audible span analysed
};

inline Received analyseReceived(const std::string& path, double hz)
{
    int rate = 48000;
    const auto samples = readWav(path, &rate);
    const std::size_t window = std::size_t(rate) / 50;
    std::size_t first = samples.size();
    std::size_t last = 0;
    for (std::size_t at = 0; at + window <= samples.size(); at += window) {
        if (rmsDbfs(std::span<const std::int16_t>(samples).subspan(at, window)) > -50) {
            first = std::min(first, at);
            last = at + window;
        }
    }
    Received r;
    first += std::size_t(rate) / 5; // skip 200 ms
    if (first >= last) return r;
    const auto span = std::span<const std::int16_t>(samples).subspan(first, last - first);
    r.report = analyseTone(span, rate, hz);
    r.seconds = double(span.size()) / rate;
    return r;
}

/// Open file descriptors of this process.
inline std::size_t openFds()
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

/// Threads of this process.
inline std::size_t threadCount()
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task"))
        ++n;
    return n;
}

} // namespace vphone::media::test
