// One RTP session (RFC 3550 §6, §8, Appendix A.7) for one local sender, sans-I/O.
//
// Theory of operation. The caller owns the socket and the clock. Outgoing media: nextHeader()
// stamps our SSRC and the next sequence number, onRtpSent() counts what went out. Incoming:
// receiveRtp()/receiveRtcp() parse, validate and update per-source statistics (rtp_source.h),
// and say whether to play the packet. RTCP: nextTimeout() is when the next report is due
// (A.7: randomised interval from the member count and RTCP bandwidth, 5 s minimum, halved
// before the first report, with timer reconsideration); onTimeout(now) queues a compound
// [SR|RR]+SDES(CNAME) for pollRtcp(). RTT comes from report blocks about us: A - LSR - DLSR.
//
// SSRC collision (§8.2): a packet carrying our own SSRC from a remote source makes us send a BYE
// for the old SSRC and pick a new one from the caller's seeded generator (event
// SsrcCollision). A remote SSRC change just starts a new source (on probation, A.1); sources
// silent for 5 report intervals (§6.3.5) or that sent BYE are removed (events). The source
// table is bounded (maxSources); packets from further SSRCs are dropped and counted.
#pragma once

#include "media_clock.h"
#include "rtcp_packet.h"
#include "rtp_packet.h"
#include "rtp_source.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace vphone::media {

/// Settings of an RtpSession; randomness (SSRC, initial sequence, seed) comes from the caller.
struct RtpSessionConfig {
    std::uint32_t ssrc = 0;                          ///< our SSRC, random (RFC 3550 §8.1)
    std::uint16_t initialSequence = 0;               ///< random (§5.1)
    std::uint32_t clockRate = 48000;                 ///< RTP clock of the payload format, Hz
    std::string cname;                               ///< SDES CNAME (RFC 7022: random per session is fine)
    double sessionBandwidth = 64000;                 ///< bits/s; RTCP gets 5 % of it (§6.2)
    std::chrono::milliseconds minimumInterval{5000}; ///< §6.2 Tmin
    std::uint64_t randomSeed = 0;                    ///< for interval randomisation and replacement SSRCs
    NtpClock ntp;                                    ///< wall-clock anchor for SR timestamps
    std::size_t maxSources = 32;                     ///< remote SSRCs tracked at once
};

/// Things the session tells its owner.
struct SsrcCollision {
    std::uint32_t oldSsrc = 0;
    std::uint32_t newSsrc = 0;
};
struct SourceAdded {
    std::uint32_t ssrc = 0;
};
struct SourceRemoved {
    enum class Why { Invalid, Bye, Timeout };
    std::uint32_t ssrc = 0;
    Why why = Why::Invalid;
};
struct RttMeasured {
    std::uint32_t remoteSsrc = 0;
    std::chrono::microseconds rtt{0};
};
/// A reception report block about our SSRC (loss as the peer sees it; drives the video bitrate).
struct ReportAboutUs {
    std::uint32_t reporter = 0;
    ReportBlock block;
};
/// Feedback addressed to our SSRC (issue 6: NACK retransmission, keyframes, bandwidth: REMB
/// listing our SSRC, TMMBR/TMMBN entries for it).
using RtpSessionEvent = std::variant<SsrcCollision, SourceAdded, SourceRemoved, RttMeasured, ReportAboutUs,
                                     Nack, Pli, Fir, Remb, Tmmbr, Tmmbn>;

/// Why receiveRtp() did not deliver a packet (beyond RtpError).
enum class RtpDrop {
    None,
    Malformed,   ///< see RtpSession::rtpErrors()
    BadSequence, ///< A.1 said wait for confirmation
    TooManySources,
    Count
};

/// What receiveRtp() decided.
struct RtpReceived {
    RtpPacketView packet; ///< valid when drop == None
    RtpDrop drop = RtpDrop::None;
    SeqVerdict verdict = SeqVerdict::Invalid;
    bool deliver() const { return drop == RtpDrop::None; }
};

/// Sender and receiver state of one RTP session.
class RtpSession {
public:
    RtpSession(RtpSessionConfig config, TimePoint now);

    /// Our current SSRC (changes after a collision).
    std::uint32_t ssrc() const { return ssrc_; }

    /// Header for the next outgoing packet: our SSRC, the next sequence number.
    RtpHeader nextHeader(std::uint8_t payloadType, std::uint32_t timestamp, bool marker = false);
    /// Records a packet as sent (for SR counts and the SR's RTP timestamp).
    void onRtpSent(const RtpHeader& header, std::size_t payloadSize, TimePoint now);

    /// Parses and accounts an incoming RTP datagram (already SRTP-unprotected).
    RtpReceived receiveRtp(std::span<const std::uint8_t> datagram, TimePoint now);
    /// Parses and accounts an incoming RTCP compound. Returns the parse error, if any.
    RtcpError receiveRtcp(std::span<const std::uint8_t> datagram, TimePoint now);

    /// When onTimeout() must next run.
    TimePoint nextTimeout() const { return nextReport_; }
    /// Sends a report if due (with reconsideration), times out silent sources.
    void onTimeout(TimePoint now);
    /// Queues a BYE compound for our SSRC (call before tearing down).
    void bye(std::string reason, TimePoint now);
    /// Queues feedback (NACK, PLI, FIR) with our SSRC as sender, in a compound with an RR/SR.
    void sendFeedback(RtcpPacket feedback, TimePoint now);

    /// Next RTCP compound to send.
    std::optional<std::vector<std::uint8_t>> pollRtcp();
    /// Next event.
    std::optional<RtpSessionEvent> pollEvent();

    /// A remote source, or nullptr.
    const RtpSource* source(std::uint32_t ssrc) const;
    /// Latest RTT measured from a report block about us.
    std::optional<std::chrono::microseconds> rtt() const { return rtt_; }
    /// Malformed RTP by reason.
    const RtpErrorCounts& rtpErrors() const { return rtpErrors_; }
    /// Dropped RTP by RtpDrop.
    std::uint64_t drops(RtpDrop why) const { return drops_[static_cast<std::size_t>(why)]; }
    /// Malformed RTCP compounds.
    std::uint64_t rtcpErrors() const { return rtcpErrors_; }
    /// Packets and octets we sent (SR fields).
    std::uint32_t packetsSent() const { return packetsSent_; }
    std::uint32_t octetsSent() const { return octetsSent_; }
    /// The deterministic interval A.7 computes before randomisation, for tests.
    std::chrono::duration<double> deterministicInterval(bool initial) const;

private:
    RtpSource* findOrAdd(std::uint32_t ssrc, std::uint16_t seq, TimePoint now, bool& full);
    void collision(TimePoint now);
    std::vector<RtcpPacket> report(TimePoint now);
    void queue(std::vector<RtcpPacket> packets);
    TimePoint scheduleFrom(TimePoint from, bool initial);
    bool weSent() const { return sentThisInterval_ || sentPreviousInterval_; }

    RtpSessionConfig config_;
    std::uint32_t ssrc_;
    std::uint16_t sequence_;
    std::mt19937_64 random_;
    std::map<std::uint32_t, RtpSource> sources_;
    // Sender state.
    std::uint32_t packetsSent_ = 0;
    std::uint32_t octetsSent_ = 0;
    std::optional<std::uint32_t> lastRtpTimestamp_;
    TimePoint lastSendTime_{};
    bool sentThisInterval_ = false;
    bool sentPreviousInterval_ = false;
    // A.7 state.
    TimePoint lastReport_; ///< tp
    TimePoint nextReport_; ///< tn
    bool initial_ = true;
    double avgRtcpSize_ = 0;
    // Output.
    std::deque<std::vector<std::uint8_t>> rtcpOut_;
    std::deque<RtpSessionEvent> events_;
    std::optional<std::chrono::microseconds> rtt_;
    RtpErrorCounts rtpErrors_{};
    std::array<std::uint64_t, static_cast<std::size_t>(RtpDrop::Count)> drops_{};
    std::uint64_t rtcpErrors_ = 0;
};

} // namespace vphone::media
