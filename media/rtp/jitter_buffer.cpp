// Adaptive jitter buffer: see the header for the theory of operation.
#include "jitter_buffer.h"

#include <algorithm>
#include <cmath>

namespace vphone::media {

namespace {

constexpr std::size_t kMinSamplesForTarget = 10;
constexpr std::int64_t kMaxBackwardJump = 1000; // sequence numbers; further back = restart

std::int64_t toUs(std::chrono::steady_clock::duration d)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

} // namespace

JitterBuffer::JitterBuffer(JitterBufferConfig config) : config_(config)
{
    if (config_.clockRate == 0) config_.clockRate = 48000;
    if (config_.frameDuration.count() <= 0) config_.frameDuration = std::chrono::milliseconds{20};
    config_.maxDelay = std::max(config_.maxDelay, config_.minDelay);
    config_.window = std::max<std::size_t>(config_.window, 1);
    const auto framesInMax = static_cast<std::size_t>(config_.maxDelay / config_.frameDuration);
    config_.capacity = std::max(config_.capacity, 2 * framesInMax + 8);
    frameUs_ = toUs(config_.frameDuration);
    frameSamples_ = frameUs_ * config_.clockRate / 1'000'000;
    slots_.resize(config_.capacity);
    for (Slot& s : slots_)
        s.data.resize(config_.maxPayload);
    transit_.resize(config_.window);
    bucketOf_.resize(config_.window);
    minQueue_.resize(config_.window);
    histogram_.resize(static_cast<std::size_t>(config_.maxDelay.count()) + 2);
    targetUs_ = std::clamp(toUs(config_.initialDelay), toUs(config_.minDelay), toUs(config_.maxDelay));
    stats_.targetDelay = std::chrono::microseconds{targetUs_};
}

void JitterBuffer::reset()
{
    for (Slot& s : slots_) {
        s.seq = -1;
        s.state = SlotState::Empty;
    }
    stored_ = 0;
    any_ = false;
    started_ = false;
    samples_ = 0;
    minHead_ = minTail_ = 0;
    std::fill(histogram_.begin(), histogram_.end(), 0);
    targetUs_ = std::clamp(toUs(config_.initialDelay), toUs(config_.minDelay), toUs(config_.maxDelay));
    lastTransit_.reset();
    lastDrop_.reset();
    ++stats_.resets;
}

bool JitterBuffer::holds(std::int64_t seq) const
{
    const Slot& s = slot(seq);
    return s.seq == seq && s.state == SlotState::Stored;
}

std::optional<std::int64_t> JitterBuffer::nextHeld(std::int64_t from) const
{
    if (stored_ == 0) return std::nullopt;
    for (std::int64_t s = from; s <= highestSeq_; ++s) {
        if (holds(s)) return s;
    }
    return std::nullopt;
}

std::int64_t JitterBuffer::unwrapSeq(std::uint16_t seq) const
{
    return highestSeq_ + static_cast<std::int16_t>(
                             static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(highestSeq_)));
}

std::int64_t JitterBuffer::unwrapTs(std::uint32_t ts) const
{
    return lastTs_ + static_cast<std::int32_t>(ts - static_cast<std::uint32_t>(lastTs_));
}

std::int64_t JitterBuffer::tsToUs(std::int64_t ts) const
{
    return ts * 1'000'000 / config_.clockRate;
}

void JitterBuffer::addSample(std::int64_t transitUs)
{
    const std::size_t w = config_.window;
    const std::size_t k = samples_++;
    if (k >= w) --histogram_[bucketOf_[k % w]]; // the sample leaving the window
    transit_[k % w] = transitUs;
    // Sliding minimum: a queue of sample numbers with increasing transit.
    while (minTail_ > minHead_ && transit_[minQueue_[(minTail_ - 1) % w] % w] >= transitUs)
        --minTail_;
    minQueue_[minTail_++ % w] = k;
    while (minQueue_[minHead_ % w] + w <= k)
        ++minHead_;
    const std::int64_t minTransit = transit_[minQueue_[minHead_ % w] % w];
    const auto bucket = static_cast<std::uint32_t>(std::clamp<std::int64_t>(
        (transitUs - minTransit) / 1000, 0, static_cast<std::int64_t>(histogram_.size()) - 1));
    bucketOf_[k % w] = bucket;
    ++histogram_[bucket];
    // RFC 3550 A.8 on arrival order, for the statistics.
    if (lastTransit_) jitterUs_ += (std::abs(transitUs - *lastTransit_) - jitterUs_) / 16.0;
    lastTransit_ = transitUs;
    stats_.jitter = std::chrono::microseconds{static_cast<std::int64_t>(jitterUs_)};
}

JitterInsert JitterBuffer::insert(std::uint16_t sequenceNumber, std::uint32_t timestamp, bool marker,
                                  std::span<const std::uint8_t> payload, TimePoint arrival)
{
    if (payload.size() > config_.maxPayload) {
        ++stats_.tooLarge;
        return JitterInsert::TooLarge;
    }
    JitterInsert result = JitterInsert::Stored;
    if (any_) {
        const std::int64_t ext = unwrapSeq(sequenceNumber);
        if (ext >= nextSeq_ + static_cast<std::int64_t>(slots_.size()) || ext + kMaxBackwardJump < nextSeq_) {
            reset(); // a jump no reordering explains: the sender restarted
            result = JitterInsert::Reset;
        }
    }
    if (!any_) {
        any_ = true;
        epoch_ = arrival;
        highestSeq_ = std::int64_t{sequenceNumber} + (1 << 16); // room below for reordered packets
        nextSeq_ = highestSeq_;
        lastTs_ = std::int64_t{timestamp} + (std::int64_t{1} << 32);
    }
    const std::int64_t ext = unwrapSeq(sequenceNumber);
    const std::int64_t extTs = unwrapTs(timestamp);
    const std::int64_t transit = toUs(arrival - epoch_) - tsToUs(extTs);

    // Before playout starts, an earlier packet moves the start back (if the ring has room).
    if (!started_ && ext < nextSeq_ && highestSeq_ - ext < static_cast<std::int64_t>(slots_.size()))
        nextSeq_ = ext;
    if (ext < nextSeq_) {
        Slot& s = slot(ext);
        if (s.seq == ext && s.state != SlotState::Concealed) {
            ++stats_.duplicates;
            return JitterInsert::Duplicate;
        }
        if (s.seq == ext) {
            --stats_.lost; // it was counted lost when concealed: it is late instead
            s.state = SlotState::LateDiscarded;
        }
        ++stats_.late;
        addSample(transit);
        growFor(transit);
        return JitterInsert::Late;
    }
    Slot& s = slot(ext);
    if (s.seq == ext && s.state == SlotState::Stored) {
        ++stats_.duplicates;
        return JitterInsert::Duplicate;
    }
    s.seq = ext;
    s.ts = extTs;
    s.state = SlotState::Stored;
    s.marker = marker;
    std::copy(payload.begin(), payload.end(), s.data.begin());
    s.size = payload.size();
    ++stored_;
    if (ext >= highestSeq_) {
        highestSeq_ = ext;
        lastTs_ = extTs;
    }
    ++stats_.packets;
    addSample(transit);
    // Stored but its frame time has passed (it came during an underrun): catchUp() will count
    // it late; grow now.
    if (started_ && extTs + frameSamples_ / 2 < playoutTs_) growFor(transit);
    return result;
}

void JitterBuffer::growFor(std::int64_t transitUs)
{
    // Grow at once to cover what just came late.
    const std::int64_t minTransit = transit_[minQueue_[minHead_ % config_.window] % config_.window];
    targetUs_ = std::clamp(std::max(targetUs_, transitUs - minTransit + frameUs_ / 2), toUs(config_.minDelay),
                           toUs(config_.maxDelay));
}

void JitterBuffer::updateTarget(TimePoint now)
{
    std::int64_t raw = toUs(config_.initialDelay);
    const std::size_t n = std::min(samples_, config_.window);
    if (n >= kMinSamplesForTarget) {
        const auto rank = static_cast<std::size_t>(std::ceil(config_.percentile * static_cast<double>(n)));
        std::size_t seen = 0;
        std::size_t bucket = 0;
        for (; bucket < histogram_.size(); ++bucket) {
            seen += histogram_[bucket];
            if (seen >= rank) break;
        }
        raw = static_cast<std::int64_t>(bucket + 1) * 1000 + frameUs_ / 2;
    }
    raw = std::clamp(raw, toUs(config_.minDelay), toUs(config_.maxDelay));
    if (raw >= targetUs_) {
        targetUs_ = raw; // grow at once
    } else if (lastPop_) {
        const std::int64_t decay = toUs(now - *lastPop_) * toUs(config_.targetDecay) / 1'000'000;
        targetUs_ = std::max(raw, targetUs_ - std::max<std::int64_t>(decay, 0));
    }
    stats_.targetDelay = std::chrono::microseconds{targetUs_};
}

std::int64_t JitterBuffer::delayUs(TimePoint now) const
{
    const std::int64_t minTransit = transit_[minQueue_[minHead_ % config_.window] % config_.window];
    return toUs(now - epoch_) - (minTransit + tsToUs(playoutTs_));
}

void JitterBuffer::catchUp()
{
    // Packets whose frame time has passed (they came during an underrun) are late; sequence
    // numbers missing before them were already covered by the underrun's concealment: lost.
    while (nextSeq_ <= highestSeq_) {
        Slot& s = slot(nextSeq_);
        if (holds(nextSeq_)) {
            if (s.ts + frameSamples_ / 2 >= playoutTs_) return;
            s.state = SlotState::LateDiscarded;
            --stored_;
            ++stats_.late;
        } else {
            const auto next = nextHeld(nextSeq_ + 1);
            if (!next) return;
            const std::int64_t presumedTs = slot(*next).ts - (*next - nextSeq_) * frameSamples_;
            if (presumedTs + frameSamples_ / 2 >= playoutTs_) return;
            s.seq = nextSeq_;
            s.state = SlotState::Concealed;
            ++stats_.lost;
        }
        ++nextSeq_;
    }
}

PlayoutFrame JitterBuffer::pop(TimePoint now)
{
    updateTarget(now);
    lastPop_ = now;
    PlayoutFrame f;
    f.kind = PlayoutFrame::Kind::Buffering;
    if (!any_) return f;
    if (!started_) {
        const auto first = nextHeld(nextSeq_);
        if (!first) return f;
        nextSeq_ = *first;
        playoutTs_ = slot(*first).ts;
        stats_.currentDelay = std::chrono::microseconds{delayUs(now)};
        if (delayUs(now) < targetUs_) return f;
        started_ = true;
    }
    catchUp();
    const std::int64_t d = delayUs(now);
    stats_.currentDelay = std::chrono::microseconds{d};
    if (d < targetUs_ - frameUs_ / 2) {
        // Grow: play one concealment frame and hold the timeline.
        ++stats_.expanded;
        stats_.concealed += config_.frameDuration;
        f.kind = PlayoutFrame::Kind::Expand;
        f.timestamp = static_cast<std::uint32_t>(playoutTs_);
        return f;
    }
    unsigned dropped = 0;
    // Shrink above target + 3/4 frame: dropping a frame then leaves the delay at least 1/4 frame
    // above the grow threshold (target - 1/2 frame), so timing noise cannot make it oscillate,
    // while the delay settles within 3/4 frame of the target instead of a whole frame above it.
    if (d > targetUs_ + frameUs_ * 3 / 4 && holds(nextSeq_) &&
        slot(nextSeq_).ts <= playoutTs_ + frameSamples_ / 2 && nextHeld(nextSeq_ + 1) &&
        (!lastDrop_ || now - *lastDrop_ >= config_.shrinkInterval)) {
        // Shrink: drop one buffered speech frame (another one is ready to take its place).
        Slot& s = slot(nextSeq_);
        s.state = SlotState::Dropped;
        --stored_;
        ++nextSeq_;
        playoutTs_ = s.ts + frameSamples_;
        lastDrop_ = now;
        ++stats_.dropped;
        dropped = 1;
    }
    f = emitFrame(now);
    f.droppedFrames = dropped;
    return f;
}

PlayoutFrame JitterBuffer::emitFrame(TimePoint now)
{
    PlayoutFrame f;
    f.timestamp = static_cast<std::uint32_t>(playoutTs_);
    if (holds(nextSeq_)) {
        Slot& s = slot(nextSeq_);
        if (s.ts <= playoutTs_ + frameSamples_ / 2) {
            f.kind = PlayoutFrame::Kind::Packet;
            f.timestamp = static_cast<std::uint32_t>(s.ts);
            f.sequenceNumber = static_cast<std::uint16_t>(nextSeq_);
            f.marker = s.marker;
            f.payload = std::span<const std::uint8_t>(s.data.data(), s.size);
            s.state = SlotState::Played;
            --stored_;
            ++nextSeq_;
            playoutTs_ = s.ts + frameSamples_;
            return f;
        }
        // Unbroken sequence, later timestamp: the sender was silent (DTX). Skip a second silent
        // frame when the delay is above target: shrinking in silence is inaudible.
        f.kind = PlayoutFrame::Kind::Silence;
        playoutTs_ += frameSamples_;
        if (delayUs(now) > targetUs_ + frameUs_ * 3 / 4)
            playoutTs_ = std::min(playoutTs_ + frameSamples_, s.ts);
        return f;
    }
    f.kind = PlayoutFrame::Kind::Conceal;
    f.sequenceNumber = static_cast<std::uint16_t>(nextSeq_);
    stats_.concealed += config_.frameDuration;
    playoutTs_ += frameSamples_;
    if (const auto next = nextHeld(nextSeq_ + 1)) {
        f.missingFrames = static_cast<unsigned>(*next - nextSeq_);
        Slot& s = slot(nextSeq_);
        s.seq = nextSeq_;
        s.state = SlotState::Concealed;
        ++stats_.lost;
        ++nextSeq_;
    }
    return f;
}

std::optional<JitterPacketView> JitterBuffer::peekNext() const
{
    const auto next = nextHeld(nextSeq_);
    if (!next) return std::nullopt;
    const Slot& s = slot(*next);
    return JitterPacketView{static_cast<std::uint16_t>(*next), static_cast<std::uint32_t>(s.ts),
                            std::span<const std::uint8_t>(s.data.data(), s.size)};
}

} // namespace vphone::media
