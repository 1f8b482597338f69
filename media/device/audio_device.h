// The project's own audio device interface: capture sources and playback sinks moving fixed-size
// frames of interleaved int16 PCM, whatever is behind them (a tone, a WAV file, silence, a
// sound card through Qt Multimedia).
//
// Theory of operation: the media thread calls read() on a source once per frame period and
// write() on a sink. A source answers Ready (a frame was delivered), NotYet (no frame is due or
// captured yet: try again later), Ended (a file ran out) or Failed (lastError() says why).
// Synthetic sources have no hardware to pace them, so they follow an AudioClock: frame k is due
// at start + k * frameDuration, where start is the time of the first read(). Tests drive a
// ManualClock and never sleep; the app uses SteadyAudioClock. Device sources are paced by the
// sound card itself (frames arrive through an SpscRing).
#pragma once

#include "dsp/media_result.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace vphone::media {

/// Shape of the frames a source delivers or a sink takes.
struct AudioFormat {
    int sampleRate = 48000;
    int channels = 1;
    std::size_t frameSamples = 960; ///< per channel (960 = 20 ms at 48 kHz)
    /// Samples (all channels) in one frame.
    std::size_t frameLength() const { return frameSamples * std::size_t(channels); }
    friend bool operator==(const AudioFormat&, const AudioFormat&) = default;
};

/// Checks rate (8000..192000), channels (1..2) and frame size (1 ms..120 ms); the error names it.
MediaResult<AudioFormat> checkAudioFormat(AudioFormat format);

/// Outcome of one read() or write().
enum class FrameStatus { Invalid, Ready, NotYet, Ended, Failed };

/// Monotonic time for pacing synthetic sources.
class AudioClock {
public:
    virtual ~AudioClock() = default;
    /// Time since an arbitrary fixed epoch.
    virtual std::chrono::nanoseconds now() const = 0;
};

/// A clock the caller moves by hand (tests).
class ManualClock final : public AudioClock {
public:
    std::chrono::nanoseconds now() const override { return now_; }
    void advance(std::chrono::nanoseconds d) { now_ += d; }

private:
    std::chrono::nanoseconds now_{0};
};

/// std::chrono::steady_clock.
class SteadyAudioClock final : public AudioClock {
public:
    std::chrono::nanoseconds now() const override;
};

/// Says whether the next frame is due: frame k at start + (k - 1/2) * frameSamples / sampleRate
/// (half a frame early, so a reader ticking once per frame never slips a frame on timer noise).
class FramePacer {
public:
    FramePacer(const AudioClock& clock, AudioFormat format) : clock_(&clock), format_(format) {}
    /// True if the next frame is due now (the first one always is); call next() when delivered.
    bool due() const;
    void next() { ++delivered_; }
    std::uint64_t delivered() const { return delivered_; }

private:
    const AudioClock* clock_;
    AudioFormat format_;
    mutable bool started_ = false;
    mutable std::chrono::nanoseconds start_{0};
    std::uint64_t delivered_ = 0;
};

class AudioSource {
public:
    virtual ~AudioSource() = default;
    /// What read() delivers.
    virtual AudioFormat format() const = 0;
    /// Fills frame (exactly format().frameLength() samples) when one is available.
    virtual FrameStatus read(std::span<int16_t> frame) = 0;
    /// The spec it was made from, e.g. "tone:440", for logs and errors.
    virtual std::string describe() const = 0;
    /// Why the last call returned Failed.
    virtual std::string lastError() const { return {}; }
};

class AudioSink {
public:
    virtual ~AudioSink() = default;
    /// What write() takes.
    virtual AudioFormat format() const = 0;
    /// Consumes one frame (exactly format().frameLength() samples). NotYet: no room now (the frame
    /// is dropped and counted by the device); Failed: lastError() says why.
    virtual FrameStatus write(std::span<const int16_t> frame) = 0;
    /// Finishes the output (a WAV header); further writes fail. Idempotent.
    virtual MediaResult<bool> close() { return true; }
    virtual std::string describe() const = 0;
    virtual std::string lastError() const { return {}; }
};

} // namespace vphone::media
