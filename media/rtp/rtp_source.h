// What a receiver knows about one remote synchronisation source (RFC 3550 Appendix A): the
// sequence-number state machine with probation and wrap-around (A.1), loss totals and the
// fraction lost since the last report (A.3), interarrival jitter (A.8), and the LSR/DLSR pair
// for the sender's round-trip time (§6.4.1). All times are the caller's.
#pragma once

#include "media_clock.h"
#include "rtcp_packet.h"

#include <cstdint>
#include <optional>

namespace vphone::media {

/// What RtpSource::update() made of a sequence number.
enum class SeqVerdict {
    Invalid,
    Valid,       ///< in order, or a small jump forward (counted)
    Reordered,   ///< late or duplicate, within MAX_MISORDER (counted; A.1 cannot tell them apart)
    Probation,   ///< the source is not yet validated (MIN_SEQUENTIAL packets in order)
    BadSequence, ///< a very large jump: dropped unless the next packet confirms a restart
    Restarted,   ///< the source restarted its sequence (two in order after a jump)
};

/// Per-source reception state.
class RtpSource {
public:
    /// RFC 3550 A.1 constants.
    static constexpr int kMinSequential = 2;
    static constexpr std::uint32_t kMaxDropout = 3000;
    static constexpr std::uint32_t kMaxMisorder = 100;

    /// A source first heard with sequence number `seq`; `clockRate` is the RTP clock in Hz.
    RtpSource(std::uint32_t ssrc, std::uint32_t clockRate, std::uint16_t seq, TimePoint now);

    /// Runs A.1 on an RTP packet and, when the packet counts, A.8 on its timestamp.
    SeqVerdict update(std::uint16_t seq, std::uint32_t rtpTimestamp, TimePoint arrival);

    /// Records a sender report from this source (for LSR/DLSR).
    void onSenderReport(const SenderReport& sr, TimePoint arrival);

    /// Builds this source's report block and starts a new reporting interval (A.3).
    ReportBlock makeReportBlock(TimePoint now);

    std::uint32_t ssrc() const { return ssrc_; }
    /// cycles << 16 | max_seq (RFC 3550 A.1's extended highest sequence number).
    std::uint32_t extendedHighestSeq() const { return cycles_ + maxSeq_; }
    /// Packets expected since the source was validated.
    std::int64_t expected() const;
    /// Packets counted (valid and reordered).
    std::uint64_t received() const { return received_; }
    /// expected() - received(); negative with duplicates.
    std::int64_t cumulativeLost() const { return expected() - static_cast<std::int64_t>(received_); }
    /// Interarrival jitter in timestamp units (A.8).
    std::uint32_t jitter() const { return jitter_ >> 4; }
    /// Interarrival jitter in time.
    std::chrono::microseconds jitterTime() const;
    bool validated() const { return probation_ == 0; }
    /// Last time an RTP packet or RTCP from this source arrived.
    TimePoint lastHeard() const { return lastHeard_; }
    void heard(TimePoint now) { lastHeard_ = now; }
    /// True if an RTP packet arrived since the last report block.
    bool sentSinceLastReport() const { return receivedSinceReport_; }
    /// Last sender report's NTP timestamp, if any.
    std::optional<std::uint64_t> lastSrNtp() const { return lastSrNtp_; }
    /// The RTP timestamp of that SR: with lastSrNtp() it maps the source's RTP clock to its NTP
    /// wall clock (RFC 3550 §6.4.1), which lip sync needs.
    std::optional<std::uint32_t> lastSrRtp() const { return lastSrRtp_; }

private:
    void initSeq(std::uint16_t seq);

    std::uint32_t ssrc_;
    std::uint32_t clockRate_;
    std::uint16_t maxSeq_ = 0;
    std::uint32_t cycles_ = 0;
    std::uint32_t baseSeq_ = 0;
    std::uint32_t badSeq_ = 0;
    int probation_ = kMinSequential;
    std::uint64_t received_ = 0;
    std::int64_t expectedPrior_ = 0;
    std::uint64_t receivedPrior_ = 0;
    bool receivedSinceReport_ = false;
    // A.8: transit and jitter (scaled by 16), in timestamp units relative to firstArrival_.
    TimePoint firstArrival_;
    std::optional<std::int64_t> transit_;
    std::uint32_t jitter_ = 0;
    TimePoint lastHeard_;
    std::optional<std::uint64_t> lastSrNtp_;
    std::optional<std::uint32_t> lastSrRtp_;
    TimePoint lastSrArrival_{};
};

} // namespace vphone::media
