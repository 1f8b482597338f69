// DelayEstimator (see delay_estimator.h).
#include "delay_estimator.h"

#include <algorithm>

namespace vphone::media {

namespace {
constexpr auto kWindow = std::chrono::seconds{1};
constexpr auto kDecisionGap = std::chrono::milliseconds{200};
} // namespace

DelayEstimator::DelayEstimator(DelayEstimatorConfig config)
    : config_(config), estimate_(std::clamp(config.startBps, config.minBps, config.maxBps))
{}

void DelayEstimator::onPacket(std::size_t bytes, TimePoint arrival)
{
    packets_.emplace_back(arrival, bytes);
    while (!packets_.empty() && arrival - packets_.front().first > kWindow)
        packets_.pop_front();
}

std::uint64_t DelayEstimator::receivedBps(TimePoint now) const
{
    std::uint64_t bytes = 0;
    for (const auto& [at, n] : packets_) {
        if (now - at <= kWindow) bytes += n;
    }
    return bytes * 8;
}

void DelayEstimator::onFrame(std::uint32_t rtpTimestamp, TimePoint arrival)
{
    if (lastTs_) {
        const auto tsDelta = static_cast<std::int32_t>(rtpTimestamp - *lastTs_);
        if (tsDelta <= 0) return; // reordered or repeated: not a new frame
        const double sent = double(tsDelta) * 1000.0 / double(config_.clockRate);
        const double received = std::chrono::duration<double, std::milli>(arrival - lastArrival_).count();
        // A gap of seconds (hold, a paused source) says nothing about queues.
        if (sent < 1000) accumulated_ += received - sent;
    }
    lastTs_ = rtpTimestamp;
    lastArrival_ = arrival;
    smoothed_ = history_.empty() ? accumulated_ : 0.9 * smoothed_ + 0.1 * accumulated_;
    history_.emplace_back(arrival, smoothed_);
    while (history_.size() > 2 && arrival - history_.front().first > kWindow)
        history_.pop_front();
    const double span = std::chrono::duration<double>(arrival - history_.front().first).count();
    trend_ = span >= 0.25 ? (smoothed_ - history_.front().second) / span : 0.0;
    decide(arrival);
}

void DelayEstimator::decide(TimePoint now)
{
    if (lastDecision_ && now - *lastDecision_ < kDecisionGap) return;
    const double elapsed = lastDecision_ ? std::chrono::duration<double>(now - *lastDecision_).count() : 0.0;
    lastDecision_ = now;
    const std::uint64_t received = receivedBps(now);
    // Overuse must persist over two decisions (a keyframe burst or a late media thread is not a
    // queue). The cut is 15 %, not to 0.85 x received at once: a sender whose content needs less
    // than its estimate (app-limited) cannot be the cause of a queue, and a real bottleneck still
    // takes the estimate down by half within a second of decisions every 200 ms.
    const bool over = trend_ > config_.overuseMsPerSecond;
    const bool sustained = over && overusing_;
    overusing_ = over;
    if (sustained) {
        const auto lowered = std::max(static_cast<std::uint64_t>(0.85 * double(received)),
                                      static_cast<std::uint64_t>(0.85 * double(estimate_)));
        if (received > 0 && lowered < estimate_) {
            estimate_ = lowered;
            urgent_ = true;
            ++overuses_;
        }
    } else if (over) {
        // first sign: wait for the next decision
    } else if (trend_ >= -config_.overuseMsPerSecond) {
        const auto grown =
            static_cast<std::uint64_t>(double(estimate_) * (1.0 + 0.08 * std::min(elapsed, 1.0)));
        const auto ceiling =
            std::max<std::uint64_t>(static_cast<std::uint64_t>(1.5 * double(received)), estimate_);
        estimate_ = std::min(grown, ceiling);
    }
    estimate_ = std::clamp(estimate_, config_.minBps, config_.maxBps);
}

std::optional<std::uint64_t> DelayEstimator::remb(TimePoint now)
{
    if (!urgent_ && lastRemb_ && now - *lastRemb_ < config_.interval) return std::nullopt;
    if (!lastDecision_) return std::nullopt; // nothing measured yet
    urgent_ = false;
    lastRemb_ = now;
    return estimate_;
}

} // namespace vphone::media
