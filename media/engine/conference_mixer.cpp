// ConferenceMixer: see conference_mixer.h for the theory of operation.
#include "conference_mixer.h"

#include "dsp/goertzel.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <pthread.h>

namespace vphone::media {

namespace {

constexpr std::size_t kFrame = kMixerFormat.frameSamples;
/// Ring room: more than kMaxQueuedFrames so a burst is trimmed from the oldest end by the
/// mixer rather than refused at the newest end by the producer.
constexpr std::size_t kRingFrames = 8;
constexpr int kHangoverFrames = 15; // 300 ms
constexpr int kTakeOverFrames = 10; // 200 ms
constexpr double kTakeOverDb = 3.0;
constexpr double kDecayDbPerFrame = 1.5;
constexpr double kFloorDbfs = -120.0;
constexpr std::int32_t kUnity = 32768; // Q15
constexpr std::int32_t kFullScale = 32767;

std::int16_t saturate(std::int64_t v)
{
    return static_cast<std::int16_t>(std::clamp<std::int64_t>(v, -32768, 32767));
}

} // namespace

MixerPort::MixerPort(int id, std::string label)
    : id_(id), label_(std::move(label)), input_(kRingFrames * kFrame), output_(kRingFrames * kFrame),
      frame_(kFrame), out_(kFrame)
{}

bool MixerPort::pushInput(std::span<const std::int16_t> frame)
{
    if (frame.size() != kFrame || !input_.tryWrite(frame)) {
        overruns_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    return true;
}

bool MixerPort::popOutput(std::span<std::int16_t> frame)
{
    if (frame.size() != kFrame) return false;
    // A participant that fell behind skips to the newest kMaxQueuedFrames (latency bound).
    while (output_.available() > ConferenceMixer::kMaxQueuedFrames * kFrame && output_.tryRead(frame))
        outputDrops_.fetch_add(1, std::memory_order_relaxed);
    return output_.tryRead(frame);
}

FrameStatus PortSource::read(std::span<int16_t> frame)
{
    return port_->popOutput(frame) ? FrameStatus::Ready : FrameStatus::NotYet;
}

FrameStatus PortSink::write(std::span<const int16_t> frame)
{
    return port_->pushInput(frame) ? FrameStatus::Ready : FrameStatus::NotYet;
}

ConferenceMixer::ConferenceMixer() : total_(kFrame), scratch_(kFrame) {}

ConferenceMixer::~ConferenceMixer()
{
    stop();
    std::lock_guard lock(mutex_);
    for (auto& p : ports_)
        if (p->deviceSink_) p->deviceSink_->close();
}

std::shared_ptr<MixerPort> ConferenceMixer::addPort(std::string label)
{
    std::lock_guard lock(mutex_);
    auto port = std::make_shared<MixerPort>(nextId_++, std::move(label));
    ports_.push_back(port);
    return port;
}

MediaResult<std::shared_ptr<MixerPort>> ConferenceMixer::addDevicePort(std::string label,
                                                                       std::unique_ptr<AudioSource> source,
                                                                       std::unique_ptr<AudioSink> sink)
{
    if (source && source->format() != kMixerFormat)
        return mediaError("conference: source " + source->describe() + " is not 48 kHz mono 20 ms");
    if (sink && sink->format() != kMixerFormat)
        return mediaError("conference: sink " + sink->describe() + " is not 48 kHz mono 20 ms");
    std::lock_guard lock(mutex_);
    auto port = std::make_shared<MixerPort>(nextId_++, std::move(label));
    port->deviceSource_ = std::move(source);
    port->deviceSink_ = std::move(sink);
    ports_.push_back(port);
    return port;
}

void ConferenceMixer::removePort(int id)
{
    std::shared_ptr<MixerPort> gone;
    {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(ports_.begin(), ports_.end(), [id](const auto& p) { return p->id() == id; });
        if (it == ports_.end()) return;
        gone = *it;
        ports_.erase(it);
        if (activeSpeaker_.load() == id) activeSpeaker_.store(0);
        if (candidate_ == id) candidate_ = 0;
    }
    gone->speaking_.store(false);
    if (gone->deviceSink_) gone->deviceSink_->close();
}

std::vector<std::shared_ptr<MixerPort>> ConferenceMixer::ports() const
{
    std::lock_guard lock(mutex_);
    return ports_;
}

std::optional<int> ConferenceMixer::activeSpeaker() const
{
    const int id = activeSpeaker_.load(std::memory_order_relaxed);
    if (id == 0) return std::nullopt;
    return id;
}

void ConferenceMixer::takeInput(MixerPort& port)
{
    // Oldest frames beyond the bound go first (the participant's clock ran ahead or it burst).
    while (port.input_.available() > kMaxQueuedFrames * kFrame && port.input_.tryRead(port.frame_))
        port.overruns_.fetch_add(1, std::memory_order_relaxed);
    if (port.input_.tryRead(port.frame_)) {
        port.primed_ = true;
        port.framesIn_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    std::fill(port.frame_.begin(), port.frame_.end(), std::int16_t{0});
    if (port.primed_) port.underruns_.fetch_add(1, std::memory_order_relaxed);
}

void ConferenceMixer::measure(MixerPort& port)
{
    const double now = std::max(kFloorDbfs, rmsDbfs(port.frame_));
    const double before = port.level_.load(std::memory_order_relaxed);
    const double level = now >= before ? now : std::max(now, before - kDecayDbPerFrame);
    port.level_.store(level, std::memory_order_relaxed);
    if (now > kSpeakingDbfs) // this frame, not the smoothed level: the hangover is the smoothing
        port.hangover_ = kHangoverFrames;
    else if (port.hangover_ > 0)
        --port.hangover_;
    port.speaking_.store(port.hangover_ > 0, std::memory_order_relaxed);
}

void ConferenceMixer::chooseSpeaker()
{
    MixerPort* loudest = nullptr;
    MixerPort* current = nullptr;
    const int currentId = activeSpeaker_.load(std::memory_order_relaxed);
    for (auto& p : ports_) {
        if (p->id() == currentId) current = p.get();
        if (p->speaking() && (!loudest || p->levelDbfs() > loudest->levelDbfs())) loudest = p.get();
    }
    if (!current || !current->speaking()) {
        activeSpeaker_.store(loudest ? loudest->id() : 0, std::memory_order_relaxed);
        candidate_ = 0;
        candidateFrames_ = 0;
        return;
    }
    if (loudest && loudest != current && loudest->levelDbfs() > current->levelDbfs() + kTakeOverDb) {
        if (candidate_ != loudest->id()) {
            candidate_ = loudest->id();
            candidateFrames_ = 0;
        }
        if (++candidateFrames_ >= kTakeOverFrames) {
            activeSpeaker_.store(loudest->id(), std::memory_order_relaxed);
            candidate_ = 0;
            candidateFrames_ = 0;
        }
    } else {
        candidate_ = 0;
        candidateFrames_ = 0;
    }
}

void ConferenceMixer::driveDeviceSources()
{
    for (auto& p : ports_) {
        if (!p->deviceSource_ || p->deviceSourceDone_) continue;
        // A paced source (tone, file) gives the frames due now; a sound card what it captured.
        for (int n = 0; n < 3; ++n) {
            const auto status = p->deviceSource_->read(scratch_);
            if (status == FrameStatus::Ready) {
                p->pushInput(scratch_);
                continue;
            }
            if (status == FrameStatus::Ended || status == FrameStatus::Failed) p->deviceSourceDone_ = true;
            break;
        }
    }
}

void ConferenceMixer::driveDeviceSinks()
{
    for (auto& p : ports_) {
        if (!p->deviceSink_) continue;
        while (p->popOutput(scratch_))
            p->deviceSink_->write(scratch_);
    }
}

void ConferenceMixer::mix()
{
    std::lock_guard lock(mutex_);
    driveDeviceSources();
    std::fill(total_.begin(), total_.end(), 0);
    for (auto& p : ports_) {
        takeInput(*p);
        measure(*p);
        for (std::size_t i = 0; i < kFrame; ++i)
            total_[i] += p->frame_[i];
    }
    chooseSpeaker();
    for (auto& p : ports_) {
        // Mix-minus: everyone but this port. int32 holds up to 65536 full-scale ports.
        std::int32_t peak = 0;
        for (std::size_t i = 0; i < kFrame; ++i)
            peak = std::max(peak, std::abs(total_[i] - p->frame_[i]));
        // Limiter: fit this frame at once, recover ~1/8 of the way to unity per frame (~100 ms).
        const std::int32_t fit =
            peak > kFullScale ? static_cast<std::int32_t>(std::int64_t{kFullScale} * kUnity / peak) : kUnity;
        std::int32_t gain = p->limiterGain_ + (kUnity - p->limiterGain_) / 8;
        gain = std::min(gain, fit);
        p->limiterGain_ = gain;
        for (std::size_t i = 0; i < kFrame; ++i)
            p->out_[i] = saturate((std::int64_t{total_[i] - p->frame_[i]} * gain) >> 15);
        // The participant takes frames at its own thread's tick; a full queue means it stopped.
        if (p->output_.available() >= kMaxQueuedFrames * kFrame + kFrame || !p->output_.tryWrite(p->out_)) {
            p->outputDrops_.fetch_add(1, std::memory_order_relaxed);
        } else {
            p->framesOut_.fetch_add(1, std::memory_order_relaxed);
        }
    }
    driveDeviceSinks();
    ticks_.fetch_add(1, std::memory_order_relaxed);
}

bool ConferenceMixer::start(std::string* error)
{
    if (thread_.joinable()) return true;
    stopping_.store(false);
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error& e) {
        if (error) *error = std::string("conference mixer thread: ") + e.what();
        return false;
    }
    return true;
}

void ConferenceMixer::stop()
{
    stopping_.store(true);
    if (thread_.joinable()) thread_.join();
}

void ConferenceMixer::run()
{
    pthread_setname_np(pthread_self(), "vphone-mixer");
    using Clock = std::chrono::steady_clock;
    constexpr auto kTick = std::chrono::milliseconds{20};
    auto next = Clock::now();
    while (!stopping_.load()) {
        const auto now = Clock::now();
        if (now < next) {
            std::this_thread::sleep_for(std::min<Clock::duration>(next - now, kTick));
            continue;
        }
        // Catch up a late wake-up tick by tick; far behind (a stall), start afresh.
        if (now - next > std::chrono::milliseconds{200}) next = now;
        mix();
        next += kTick;
    }
}

} // namespace vphone::media
