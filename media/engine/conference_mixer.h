// ConferenceMixer: the audio half of a conference bridge (issue 8). N ports at 48 kHz mono,
// 20 ms frames; each port hears the sum of every other port (mix-minus, never its own voice).
//
// Theory of operation. A port is the meeting point of one participant and the mixer. The
// participant's side is an AudioSink (its decoded far-end audio goes in) and an AudioSource
// (what it hears comes out): PortSink/PortSource, which a MediaSession's AudioStream drives on
// its own media thread exactly like a sound card. Between the two sides sit two lock-free SPSC
// rings per port (input: participant -> mixer, output: mixer -> participant), so a session's
// media thread never takes a lock, allocates or waits for the mixer.
//
// The mixer has its own clock: one "vphone-mixer" thread ticks every 20 ms on the steady clock
// (late ticks are caught up, more than 200 ms behind re-anchors, as MediaThread does). A
// separate thread rather than mixing inside one session's media thread, because sessions come
// and go (the host's own one may be the first to leave) and a conference must not depend on
// any one call's thread; every session thread ticks on the same steady clock, so the rings only
// absorb phase jitter, not drift. Tests call mix() by hand instead of starting the thread.
//
// One tick: for each port take one frame from its input ring (silence and an underrun when
// none is there, once it has delivered its first frame; when more than kMaxQueuedFrames are
// queued the oldest are dropped and counted as overruns, which bounds the latency), measure its
// level, add it into an int32 total; then each port's output is total - own, limited and
// saturated to int16, pushed to its output ring (dropped and counted when the participant has
// not taken the last kMaxQueuedFrames). The limiter: when a frame's peak is above full scale,
// the gain drops at once to fit it; it recovers towards 1 over ~100 ms, and a final saturation
// guards every sample. Ports added or removed under mutex_ (the mixer holds it during a tick,
// a few microseconds per port; the control thread only at join/leave/participants()). All
// per-frame buffers are sized when a port is added: nothing allocates per frame.
//
// Active speaker: per port an input level (RMS dBFS, instant attack, 1.5 dB/frame decay) and a
// speaking flag (a frame above -45 dBFS, then a 300 ms hangover). The active speaker is the loudest
// speaking port; another one takes over when the current stops speaking, or after it has been
// 3 dB louder for 200 ms (no flapping between two talkers). Readable from any thread (atomics).
//
// A device port (the host's microphone and speaker) has its source and sink driven by the
// mixer thread itself around each mix: read the source into its input, write its output out.
#pragma once

#include "device/audio_device.h"
#include "device/spsc_ring.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vphone::media {

/// The frame format of every port: 48 kHz mono, 20 ms.
inline constexpr AudioFormat kMixerFormat{48000, 1, 960};

/// One participant's place in the mixer. Shared between the mixer and the participant's
/// PortSource/PortSink (which keep it alive after it leaves the mixer).
class MixerPort {
public:
    MixerPort(int id, std::string label);
    int id() const { return id_; }
    const std::string& label() const { return label_; }

    // Participant side (one producer thread, one consumer thread).
    /// Its decoded audio in; false (the frame dropped, counted as an overrun) when the ring is full.
    bool pushInput(std::span<const std::int16_t> frame);
    /// What it hears; false when no mixed frame is waiting.
    bool popOutput(std::span<std::int16_t> frame);

    // Any thread.
    double levelDbfs() const { return level_.load(std::memory_order_relaxed); }
    bool speaking() const { return speaking_.load(std::memory_order_relaxed); }
    std::uint64_t framesIn() const { return framesIn_.load(std::memory_order_relaxed); }
    std::uint64_t framesOut() const { return framesOut_.load(std::memory_order_relaxed); }
    std::uint64_t underruns() const { return underruns_.load(std::memory_order_relaxed); }
    std::uint64_t overruns() const { return overruns_.load(std::memory_order_relaxed); }
    /// Mixed frames the participant did not take in time (dropped).
    std::uint64_t outputDrops() const { return outputDrops_.load(std::memory_order_relaxed); }

private:
    friend class ConferenceMixer;
    int id_;
    std::string label_;
    SpscRing<std::int16_t> input_;
    SpscRing<std::int16_t> output_;
    std::vector<std::int16_t> frame_;  ///< mixer thread: this tick's input
    std::vector<std::int16_t> out_;    ///< mixer thread: this tick's output
    bool primed_ = false;              ///< mixer thread: delivered a frame once
    int hangover_ = 0;                 ///< mixer thread: frames left of speaking
    std::int32_t limiterGain_ = 32768; ///< mixer thread: Q15
    std::atomic<double> level_{-120.0};
    std::atomic<bool> speaking_{false};
    std::atomic<std::uint64_t> framesIn_{0}, framesOut_{0}, underruns_{0}, overruns_{0}, outputDrops_{0};
    // A device port (the host): driven by the mixer thread.
    std::unique_ptr<AudioSource> deviceSource_;
    std::unique_ptr<AudioSink> deviceSink_;
    bool deviceSourceDone_ = false;
};

/// A port's participant side as an AudioSource: the mix-minus frames (NotYet when none waits).
class PortSource final : public AudioSource {
public:
    explicit PortSource(std::shared_ptr<MixerPort> port) : port_(std::move(port)) {}
    AudioFormat format() const override { return kMixerFormat; }
    FrameStatus read(std::span<int16_t> frame) override;
    std::string describe() const override { return "conference:" + port_->label(); }

private:
    std::shared_ptr<MixerPort> port_;
};

/// A port's participant side as an AudioSink: the participant's voice into the mixer.
class PortSink final : public AudioSink {
public:
    explicit PortSink(std::shared_ptr<MixerPort> port) : port_(std::move(port)) {}
    AudioFormat format() const override { return kMixerFormat; }
    FrameStatus write(std::span<const int16_t> frame) override;
    std::string describe() const override { return "conference:" + port_->label(); }

private:
    std::shared_ptr<MixerPort> port_;
};

class ConferenceMixer {
public:
    /// Frames a port's input may queue before the oldest is dropped (latency bound, 60 ms).
    static constexpr std::size_t kMaxQueuedFrames = 3;
    /// Input level above which a port is speaking.
    static constexpr double kSpeakingDbfs = -45.0;

    ConferenceMixer();
    ~ConferenceMixer();
    ConferenceMixer(const ConferenceMixer&) = delete;
    ConferenceMixer& operator=(const ConferenceMixer&) = delete;

    /// A new port (any thread); it takes part from the next tick.
    std::shared_ptr<MixerPort> addPort(std::string label);
    /// A port whose source and sink the mixer drives itself (the host's microphone and
    /// speaker); both must give/take kMixerFormat frames (checked), either may be null.
    MediaResult<std::shared_ptr<MixerPort>>
    addDevicePort(std::string label, std::unique_ptr<AudioSource> source, std::unique_ptr<AudioSink> sink);
    /// Takes a port out (any thread): from the next tick nobody hears it and it hears nothing.
    /// A device port's sink is closed.
    void removePort(int id);
    /// The ports now, in joining order (any thread).
    std::vector<std::shared_ptr<MixerPort>> ports() const;
    /// The loudest speaking port, with hysteresis (any thread).
    std::optional<int> activeSpeaker() const;

    /// One 20 ms tick (the thread's, or a test's by hand).
    void mix();
    /// Starts the "vphone-mixer" thread ticking every 20 ms; false with `error` set if refused.
    bool start(std::string* error = nullptr);
    /// Stops and joins the thread (idempotent); ports stay.
    void stop();
    /// Ticks so far.
    std::uint64_t ticks() const { return ticks_.load(std::memory_order_relaxed); }

private:
    void run();
    void takeInput(MixerPort& port);
    void measure(MixerPort& port);
    void chooseSpeaker();
    void driveDeviceSources();
    void driveDeviceSinks();

    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<MixerPort>> ports_;
    std::vector<std::int32_t> total_;
    std::vector<std::int16_t> scratch_;
    int nextId_ = 1;
    std::atomic<int> activeSpeaker_{0}; ///< 0: none
    int candidate_ = 0;
    int candidateFrames_ = 0;
    std::atomic<std::uint64_t> ticks_{0};
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

} // namespace vphone::media
