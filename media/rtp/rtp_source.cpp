// RFC 3550 A.1 (sequence validation), A.3 (loss), A.8 (jitter), §6.4.1 (LSR/DLSR) for one source.
#include "rtp_source.h"

#include <algorithm>

namespace vphone::media {

namespace {
constexpr std::uint32_t kSeqMod = 1u << 16;
} // namespace

RtpSource::RtpSource(std::uint32_t ssrc, std::uint32_t clockRate, std::uint16_t seq, TimePoint now)
    : ssrc_(ssrc), clockRate_(clockRate == 0 ? 8000 : clockRate), firstArrival_(now), lastHeard_(now)
{
    // A.1: a new source starts on probation with max_seq one below the first packet.
    initSeq(seq);
    maxSeq_ = static_cast<std::uint16_t>(seq - 1);
    probation_ = kMinSequential;
}

void RtpSource::initSeq(std::uint16_t seq)
{
    baseSeq_ = seq;
    maxSeq_ = seq;
    badSeq_ = kSeqMod + 1; // so seq == bad_seq is false
    cycles_ = 0;
    received_ = 0;
    receivedPrior_ = 0;
    expectedPrior_ = 0;
}

SeqVerdict RtpSource::update(std::uint16_t seq, std::uint32_t rtpTimestamp, TimePoint arrival)
{
    lastHeard_ = arrival;
    const auto udelta = static_cast<std::uint16_t>(seq - maxSeq_);
    SeqVerdict verdict = SeqVerdict::Valid;
    if (probation_ > 0) {
        if (seq == static_cast<std::uint16_t>(maxSeq_ + 1)) {
            --probation_;
            maxSeq_ = seq;
            if (probation_ == 0) {
                initSeq(seq);
                verdict = SeqVerdict::Valid;
            } else {
                return SeqVerdict::Probation;
            }
        } else {
            probation_ = kMinSequential - 1;
            maxSeq_ = seq;
            return SeqVerdict::Probation;
        }
    } else if (udelta < kMaxDropout) {
        if (seq < maxSeq_) cycles_ += kSeqMod; // wrapped around
        maxSeq_ = seq;
    } else if (udelta <= kSeqMod - kMaxMisorder) {
        if (seq == badSeq_) {
            // Two sequential packets after a big jump: the source restarted (A.1).
            initSeq(seq);
            transit_.reset();
            verdict = SeqVerdict::Restarted;
        } else {
            badSeq_ = (seq + 1u) & (kSeqMod - 1);
            return SeqVerdict::BadSequence;
        }
    } else {
        verdict = SeqVerdict::Reordered; // duplicate or reordered
    }
    ++received_;
    receivedSinceReport_ = true;

    // A.8: J += (|D| - J) / 16 with D the change in transit time, in timestamp units.
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(arrival - firstArrival_).count();
    const std::int64_t arrivalTs = us * clockRate_ / 1'000'000;
    const std::int64_t transit = arrivalTs - rtpTimestamp; // mod 2^32 wrap handled below
    if (transit_) {
        auto d = static_cast<std::int32_t>(static_cast<std::uint32_t>(transit - *transit_));
        const std::uint32_t ad =
            d < 0 ? static_cast<std::uint32_t>(-static_cast<std::int64_t>(d)) : static_cast<std::uint32_t>(d);
        // Integer form from A.8: jitter is kept scaled by 16.
        jitter_ += ad - ((jitter_ + 8) >> 4);
    }
    transit_ = transit;
    return verdict;
}

std::int64_t RtpSource::expected() const
{
    if (probation_ > 0) return 0;
    return static_cast<std::int64_t>(extendedHighestSeq()) - baseSeq_ + 1;
}

std::chrono::microseconds RtpSource::jitterTime() const
{
    return std::chrono::microseconds{std::int64_t{jitter()} * 1'000'000 / clockRate_};
}

void RtpSource::onSenderReport(const SenderReport& sr, TimePoint arrival)
{
    lastHeard_ = arrival;
    lastSrNtp_ = sr.ntpTimestamp;
    lastSrRtp_ = sr.rtpTimestamp;
    lastSrArrival_ = arrival;
}

ReportBlock RtpSource::makeReportBlock(TimePoint now)
{
    ReportBlock b;
    b.ssrc = ssrc_;
    const std::int64_t expected = this->expected();
    // A.3: cumulative loss clamps to the 24-bit signed field.
    b.cumulativeLost =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(cumulativeLost(), -0x800000, 0x7fffff));
    const std::int64_t expectedInterval = expected - expectedPrior_;
    expectedPrior_ = expected;
    const auto receivedInterval = static_cast<std::int64_t>(received_ - receivedPrior_);
    receivedPrior_ = received_;
    const std::int64_t lostInterval = expectedInterval - receivedInterval;
    b.fractionLost =
        (expectedInterval == 0 || lostInterval <= 0)
            ? 0
            : static_cast<std::uint8_t>(std::min<std::int64_t>((lostInterval << 8) / expectedInterval, 255));
    b.extendedHighestSeq = extendedHighestSeq();
    b.jitter = jitter();
    if (lastSrNtp_) {
        b.lsr = ntpMiddle32(*lastSrNtp_);
        b.dlsr = toNtpShort(now - lastSrArrival_);
    }
    receivedSinceReport_ = false;
    return b;
}

} // namespace vphone::media
