// The receiver's delay-based bandwidth estimate of one video stream, sent to the sender as REMB
// (draft-alvestrand-rmcat-remb) when it takes them. Sans-I/O: arrival times are arguments.
//
// Theory of operation (a simplified draft-ietf-rmcat-gcc §5). For each whole frame the receiver
// knows its RTP timestamp (when the sender captured it) and when its last packet arrived. The
// one-way delay variation between consecutive frames, d = (arrival_i - arrival_i-1) -
// (ts_i - ts_i-1) / clock, adds up to the queueing delay the path has built since the start; an
// exponential filter smooths it and its rise over the last second is the trend. A trend above
// +overuseMs per second at two decisions in a row means a queue is growing (the sender exceeds
// the path): the estimate drops by 15 %, but not below 0.85 × the bitrate actually received. A trend below
// -overuseMs (a queue draining) holds the estimate. Otherwise it grows 8 % per second, but never beyond 1.5 ×
// what is received (the sender cannot prove more). The estimate starts at `startBps` and stays within
// [minBps, maxBps]. remb() says when to send one: at once after an overuse decision, else every
// interval.
#pragma once

#include "media_clock.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace vphone::media {

struct DelayEstimatorConfig {
    std::uint32_t clockRate = 90000;
    std::uint64_t startBps = 800'000;
    std::uint64_t minBps = 100'000;
    std::uint64_t maxBps = 2'500'000;
    double overuseMsPerSecond = 30; ///< queue growth that counts as overuse (a media thread's own
                                    ///< jitter at 720p stays well below)
    std::chrono::milliseconds interval{1000};
};

class DelayEstimator {
public:
    explicit DelayEstimator(DelayEstimatorConfig config = {});

    /// A packet of `bytes` arrived (for the received bitrate).
    void onPacket(std::size_t bytes, TimePoint arrival);
    /// A whole frame with this RTP timestamp finished arriving at `arrival`.
    void onFrame(std::uint32_t rtpTimestamp, TimePoint arrival);
    /// The estimate to send now (REMB), if one is due; updates the schedule.
    std::optional<std::uint64_t> remb(TimePoint now);

    std::uint64_t estimateBps() const { return estimate_; }
    /// Received bitrate over the last second.
    std::uint64_t receivedBps(TimePoint now) const;
    /// Smoothed queueing-delay trend, ms per second (positive: a queue grows).
    double trendMsPerSecond() const { return trend_; }
    std::uint64_t overuses() const { return overuses_; }

private:
    void decide(TimePoint now);

    DelayEstimatorConfig config_;
    std::uint64_t estimate_;
    std::deque<std::pair<TimePoint, std::size_t>> packets_; ///< the last second of arrivals
    std::optional<std::uint32_t> lastTs_;
    TimePoint lastArrival_{};
    double accumulated_ = 0; ///< ms of queueing since the start (drifts; only its slope matters)
    double smoothed_ = 0;
    std::deque<std::pair<TimePoint, double>> history_; ///< smoothed delay over the last second
    double trend_ = 0;
    std::optional<TimePoint> lastDecision_;
    std::optional<TimePoint> lastRemb_;
    bool urgent_ = false;
    bool overusing_ = false; ///< the previous decision saw overuse
    std::uint64_t overuses_ = 0;
};

} // namespace vphone::media
