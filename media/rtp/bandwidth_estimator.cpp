// Loss-based sender bitrate control (draft-ietf-rmcat-gcc-02 §6) and the layer ladder.
#include "bandwidth_estimator.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vphone::media {

namespace {

constexpr double kIncreasePerSecond = 1.08;
constexpr double kLowLoss = 0.02;
constexpr double kHighLoss = 0.10;
constexpr std::chrono::milliseconds kMaxIncreaseSpan{5000}; // RFC 3550 §6.2 minimum interval
constexpr std::chrono::milliseconds kDecreaseInterval{300}; // + RTT, as WebRTC

// One rung of the ladder: the scale of width and height (num/den) and whether the framerate is
// reduced to kReducedFps.
struct Step {
    int num;
    int den;
    bool reducedFps;
};
constexpr std::array<Step, 8> kLadder{{
    {1, 1, false},
    {3, 4, false},
    {1, 2, false},
    {1, 2, true}, // 15 fps before going below a quarter of the area
    {3, 8, true},
    {1, 4, true},
    {3, 16, true},
    {1, 8, true},
}};

int scaled(int size, const Step& s)
{
    const int v = static_cast<int>(std::int64_t{size} * s.num / s.den) & ~1;
    return std::max(v, std::min(size, 2));
}

BandwidthEstimator::Layer layerAt(std::size_t step, int w, int h, int fps)
{
    const Step& s = kLadder[step];
    if (step == 0) return {w, h, fps};
    return {scaled(w, s), scaled(h, s), s.reducedFps ? std::min(fps, BandwidthEstimator::kReducedFps) : fps};
}

double thresholdBps(const BandwidthEstimator::Layer& l)
{
    return BandwidthEstimator::kMinBitsPerPixel * l.width * l.height * l.fps;
}

} // namespace

BandwidthEstimator::BandwidthEstimator(BandwidthConfig config) : config_(config)
{
    config_.minKbps = std::max(config_.minKbps, 1);
    config_.maxKbps = std::max(config_.maxKbps, config_.minKbps);
    estimateBps_ = 1000.0 * config_.startKbps;
    clampEstimate();
}

void BandwidthEstimator::setMaxKbps(int kbps)
{
    config_.maxKbps = std::max(kbps, config_.minKbps);
    clampEstimate();
}

double BandwidthEstimator::ceilingBps() const
{
    double ceiling = 1000.0 * config_.maxKbps;
    if (remoteBps_) ceiling = std::min(ceiling, static_cast<double>(*remoteBps_));
    return std::max(ceiling, 1000.0 * config_.minKbps);
}

void BandwidthEstimator::clampEstimate()
{
    estimateBps_ = std::clamp(estimateBps_, 1000.0 * config_.minKbps, ceilingBps());
}

void BandwidthEstimator::onReceiverReport(std::uint8_t fractionLost,
                                          std::optional<std::chrono::milliseconds> rtt, TimePoint now)
{
    if (rtt && rtt->count() >= 0) rtt_ = *rtt;
    const double loss = fractionLost / 256.0;
    if (loss < kLowLoss) {
        // Time-based growth: the increase since the previous report, whatever the interval.
        if (lastReport_ && now > *lastReport_) {
            const auto span = std::min(
                std::chrono::duration_cast<std::chrono::milliseconds>(now - *lastReport_), kMaxIncreaseSpan);
            estimateBps_ *= std::pow(kIncreasePerSecond, span.count() / 1000.0);
        }
    } else if (loss > kHighLoss) {
        // gcc §6: As = As · (1 − 0.5 p); one cut per congestion episode (300 ms + RTT).
        if (!lastDecrease_ || now - *lastDecrease_ >= kDecreaseInterval + rtt_) {
            estimateBps_ *= 1.0 - 0.5 * loss;
            lastDecrease_ = now;
        }
    }
    if (!lastReport_ || now > *lastReport_) lastReport_ = now;
    clampEstimate();
}

void BandwidthEstimator::onRemoteEstimate(std::uint64_t bitrateBps, TimePoint now)
{
    (void)now;
    remoteBps_ = bitrateBps;
    clampEstimate();
}

void BandwidthEstimator::onNack(std::size_t count, TimePoint now)
{
    (void)now;
    nacked_ += count;
}

int BandwidthEstimator::targetKbps() const
{
    return static_cast<int>(estimateBps_ / 1000.0);
}

BandwidthEstimator::Layer BandwidthEstimator::layerFor(int sourceWidth, int sourceHeight, int sourceFps)
{
    const int w = std::max(sourceWidth, 0);
    const int h = std::max(sourceHeight, 0);
    const int fps = std::max(sourceFps, 0);
    if (w != layerSourceWidth_ || h != layerSourceHeight_ || fps != layerSourceFps_) {
        layerSourceWidth_ = w;
        layerSourceHeight_ = h;
        layerSourceFps_ = fps;
        layerStep_ = 0;
    }
    // The usable rungs: distinct layers (a source at 15 fps or less has no framerate rung) down to
    // kMinLayerArea.
    std::array<Layer, kLadder.size()> rungs{};
    std::array<std::size_t, kLadder.size()> ladderIndex{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < kLadder.size(); ++i) {
        const Layer l = layerAt(i, w, h, fps);
        if (i > 0 && std::int64_t{l.width} * l.height < kMinLayerArea) break;
        if (n > 0 && l == rungs[n - 1]) continue;
        rungs[n] = l;
        ladderIndex[n] = i;
        ++n;
    }
    std::size_t current = 0;
    while (current + 1 < n && ladderIndex[current] < layerStep_)
        ++current;
    const double bps = estimateBps_;
    if (bps < thresholdBps(rungs[current])) {
        // Down at once, to the first rung that fits (or the last one).
        while (current + 1 < n && bps < thresholdBps(rungs[current]))
            ++current;
    } else {
        // Up only with a margin, as far as the margin allows.
        while (current > 0 && bps >= kStepUpMargin * thresholdBps(rungs[current - 1]))
            --current;
    }
    layerStep_ = ladderIndex[current];
    return rungs[current];
}

} // namespace vphone::media
