// The video sender's target bitrate, from what the receiver reports, and the resolution and
// framerate that bitrate can carry.
//
// Theory of operation. Loss-based control as on the sender side of Google congestion control
// (draft-ietf-rmcat-gcc-02 §6) and WebRTC: each RTCP report block about our video stream gives
// the fraction lost p since the previous one.
//   p < 2 %        the path has room: grow 8 % per second, measured on the caller's clock
//                  (rate × 1.08^Δt, Δt since the previous report, at most 5 s), so the growth
//                  does not depend on how often reports come;
//   2 % ≤ p ≤ 10 % hold;
//   p > 10 %       rate × (1 − 0.5 p), at most once per 300 ms + RTT so that reports describing
//                  the same congestion episode do not cut twice.
// The estimate is kept within [min, min(max, remote)], where max comes from the configuration
// and the peer's SDP bandwidth (b=AS / b=TIAS) and remote is the latest REMB or TMMBR: a remote
// estimate caps at once, and when it is lifted the estimate grows from the cap at the same
// 8 %/s. The floor wins over a remote estimate below it (the encoder has a minimum).
//
// layerFor() maps the target to a ladder of encodings of the source: area steps of 3/4 and 1/2
// in width and height, with the framerate lowered to 15 fps once the picture is at half size,
// before it goes any smaller. A step fits when it gets at least 0.05 bits per pixel per frame.
// Hysteresis: a step down happens as soon as the current step does not fit; a step up only when
// the bitrate is 20 % above the threshold of the step above, so an estimate hovering around a
// threshold does not flap between layers on every report.
#pragma once

#include "media_clock.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace vphone::media {

/// Bounds of a BandwidthEstimator, kbit/s.
struct BandwidthConfig {
    int minKbps = 100;   ///< floor of the estimate
    int startKbps = 800; ///< the estimate before any report
    int maxKbps = 2500;  ///< ceiling of the estimate, lowered by setMaxKbps()
};

/// The video encoder's target bitrate from receiver reports and remote estimates.
class BandwidthEstimator {
public:
    /// Bits per pixel per frame below which a layer is too large for the bitrate.
    static constexpr double kMinBitsPerPixel = 0.05;
    /// How far above a layer's threshold the bitrate must be before stepping up to it.
    static constexpr double kStepUpMargin = 1.2;
    /// The framerate the ladder drops to before going below a quarter of the source's area.
    static constexpr int kReducedFps = 15;
    /// Smallest area the ladder goes down to (160×90); the source itself is always allowed.
    static constexpr int kMinLayerArea = 160 * 90;

    /// Starts at config.startKbps, clamped into [minKbps, maxKbps].
    explicit BandwidthEstimator(BandwidthConfig config);

    /// Lowers or raises the ceiling (the peer's SDP b=AS / b=TIAS); never below minKbps.
    void setMaxKbps(int kbps);

    /// An RTCP receiver report block about our video stream: fraction lost (0..255, /256), and
    /// the RTT when known.
    void onReceiverReport(std::uint8_t fractionLost, std::optional<std::chrono::milliseconds> rtt,
                          TimePoint now);

    /// A REMB or TMMBR from the peer caps the estimate until the next one.
    void onRemoteEstimate(std::uint64_t bitrateBps, TimePoint now);

    /// NACKed packets received in the last interval. Counted only: the loss fraction already
    /// drives the estimate, and without the count of packets sent a NACK count is no rate.
    void onNack(std::size_t count, TimePoint now);

    /// The encoder's target, kbit/s.
    int targetKbps() const;

    /// Packets NACKed so far (onNack).
    std::uint64_t nacked() const { return nacked_; }

    /// One encoding of the source.
    struct Layer {
        int width;
        int height;
        int fps;
        bool operator==(const Layer&) const = default;
    };

    /// The resolution/framerate step for the current target and a source of WxH@fps: never above
    /// the source, width and height even. Remembers the step it chose (for the hysteresis); a
    /// different source starts afresh.
    Layer layerFor(int sourceWidth, int sourceHeight, int sourceFps);

private:
    void clampEstimate();
    double ceilingBps() const;

    BandwidthConfig config_;
    double estimateBps_ = 0;
    std::optional<std::uint64_t> remoteBps_;
    std::optional<TimePoint> lastReport_;
    std::optional<TimePoint> lastDecrease_;
    std::chrono::milliseconds rtt_{0};
    std::uint64_t nacked_ = 0;
    // Hysteresis state of layerFor().
    int layerSourceWidth_ = 0;
    int layerSourceHeight_ = 0;
    int layerSourceFps_ = 0;
    std::size_t layerStep_ = 0;
};

} // namespace vphone::media
