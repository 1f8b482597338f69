// The transport half of a media stream (audio or video): sockets, symmetric-RTP latching, the
// RTP session (RFC 3550 statistics and RTCP), SRTP/SRTCP with SDES or DTLS-SRTP keys.
//
// Theory of operation. A stream (AudioStream, VideoStream) owns one RtpTransport and implements
// RtpTransport::Owner. The media thread calls the stream, which forwards socket readiness and
// timers here; the transport demultiplexes each datagram (RFC 7983 / RFC 5761), runs DTLS,
// unprotects SRTP (failures counted), accounts the packet in the RtpSession and hands every
// valid RTP packet of the one remote source it follows to Owner::onRtp(). RTCP feedback and
// session events (NACK, PLI, FIR, REMB, RTT, reports about us) go to Owner::onRtpSessionEvent().
// Multicast (RFC 8866 §5.7): when the plan names an IPv4 group, we send there with its TTL and,
// when receiving, join it with sockets of our own bound to the group ports; no latching.
// Sending: sendRtp() stamps the header (our SSRC, next sequence number), protects and sends to
// the latched address, and returns the datagram as it went out, so a video sender can keep it
// for retransmission (sendDatagram() sends such a copy again: same SSRC, sequence and SRTP
// index, RFC 4585 plain retransmission).
//
// Keys. SDES keys arrive in the plan; a changed key pair rekeys at once. DTLS: the role comes
// from a=setup (active = client). The association is kept across re-offers while the role
// and the peer's fingerprint stay the same, and restarted otherwise. A DTLS server can get the
// ClientHello before the answer that names the client's fingerprint has been applied, so a
// few early DTLS datagrams wait for the session. Until SRTP is keyed nothing is sent and
// every RTP/RTCP datagram is dropped (counted as unexpected). Without rtcp-mux the RTCP port
// runs a second DTLS handshake (RFC 5764 §4.1: one association per component) whose keys
// protect SRTCP; until it completes RTCP is neither sent nor accepted, RTP flows regardless.
#pragma once

#include "audio_stream_parts.h"

namespace vphone::media {

class RtpTransport {
public:
    /// What the stream above the transport handles.
    class Owner {
    public:
        /// A valid RTP packet of the followed remote source, SRTP already removed. Called even when
        /// our direction does not receive (the owner decides).
        virtual void onRtp(const RtpPacketView& packet, TimePoint now) = 0;
        /// Another remote SSRC took over: decoders and buffers start afresh.
        virtual void onRemoteSourceChanged() = 0;
        /// RTCP feedback and session events (NACK, PLI, FIR, REMB, TMMBR, RTT, reports about us).
        virtual void onRtpSessionEvent(const RtpSessionEvent& event, TimePoint now) = 0;
        /// SRTP became keyed by DTLS (the stream may now announce MediaStarted).
        virtual void onSecured(TimePoint now) = 0;

    protected:
        ~Owner() = default;
    };

    /// `stats` belongs to the owner: the transport counts packets, bytes and drops in it.
    RtpTransport(std::string id, std::vector<SocketPair> sockets, std::shared_ptr<EventQueue> events,
                 RtpIdentity identity, StreamStats& stats, Owner& owner);
    ~RtpTransport();
    RtpTransport(const RtpTransport&) = delete;
    RtpTransport& operator=(const RtpTransport&) = delete;

    /// Our RTP port (the same on every local address).
    std::uint16_t rtpPort() const { return rtpPort_; }
    /// Installs a negotiation: socket family, latches, the RTP session (rebuilt with the same SSRC
    /// and continuing sequence numbers when the clock rate changes), SRTP/DTLS. Returns false when
    /// no local socket has the remote address's family (the stream then goes inactive).
    bool apply(const StreamPlan& plan, std::uint32_t clockRate, double sessionBandwidth, TimePoint now);
    bool planned() const { return planned_; }
    /// SRTP is in place when the plan needs it (always true for plain RTP).
    bool keyed() const { return !secure() || srtp_.has_value(); }
    bool secure() const { return plan_.srtp != sdp::SrtpMode::None && plan_.srtp != sdp::SrtpMode::Invalid; }
    /// Where we send RTP ("host:port").
    std::string destination() const;
    /// The RTP session (nullptr before the first apply()).
    RtpSession* session() { return rtp_ ? &*rtp_ : nullptr; }
    const RtpSession* session() const { return rtp_ ? &*rtp_ : nullptr; }
    /// The remote SSRC we follow, if any.
    std::optional<std::uint32_t> remoteSsrc() const { return activeSsrc_; }

    /// Sends one RTP packet; returns the datagram as sent (SRTP included; valid until the next
    /// send), or an empty span when nothing went out (not keyed, too large, protect failed).
    std::span<const std::uint8_t> sendRtp(std::uint8_t pt, std::uint32_t timestamp, bool marker,
                                          std::span<const std::uint8_t> payload, TimePoint now);
    /// Sends a datagram sendRtp() returned earlier again (retransmission).
    void sendDatagram(std::span<const std::uint8_t> datagram);
    /// Queues RTCP feedback (NACK, PLI, FIR, REMB) in a compound with a report and sends it now.
    void sendFeedback(RtcpPacket feedback, TimePoint now);

    void collectFds(std::vector<int>& fds) const;
    void onReadable(std::size_t index, TimePoint now);
    std::optional<TimePoint> nextDeadline() const;
    void onTimeout(TimePoint now);
    /// RTCP BYE and DTLS close_notify.
    void stop(TimePoint now);
    /// Closes the sockets.
    void release()
    {
        sockets_.clear();
        multicastRx_.reset();
    }
    /// The transport's figures (SRTP suite and failures, loss, jitter, RTT, malformed) into `s`.
    void fillStats(StreamStats& s) const;

private:
    void error(std::string what);
    void applySecurity(const StreamPlan& plan, TimePoint now);
    void applyMulticast(const StreamPlan& plan);
    /// A datagram carrying our own SSRC (a multicast group looping our packets back).
    bool ownDatagram(std::span<const std::uint8_t> datagram) const;
    void onDatagram(bool rtcpPort, std::span<std::uint8_t> data, std::size_t size, const MediaAddress& from,
                    TimePoint now);
    void handleRtp(std::span<std::uint8_t> buffer, std::size_t size, const MediaAddress& from, TimePoint now);
    void handleRtcp(bool rtcpPort, std::span<std::uint8_t> buffer, std::size_t size, TimePoint now);
    void handleDtls(bool rtcpPort, std::span<const std::uint8_t> datagram, TimePoint now);
    void afterDtls(TimePoint now);
    void afterDtlsRtcp(TimePoint now);
    /// Sends what a DTLS association has queued (from the RTP or RTCP port, to that port's
    /// latched peer); returns when its retransmission timer falls due.
    std::optional<TimePoint> flushDtls(DtlsSrtpSession& dtls, bool rtcpPort, TimePoint now);
    /// The SRTP session that protects RTCP: the RTCP port's own DTLS association without
    /// rtcp-mux (RFC 5764 §4.1), the RTP one otherwise.
    SrtpSession* rtcpSrtp(bool rtcpPort);
    void flushRtcp(TimePoint now);
    void drainRtpEvents(TimePoint now);
    void setSrtp(std::optional<SrtpSession> session);
    SocketPair& activeSockets() { return sockets_[active_]; }

    std::string id_;
    std::vector<SocketPair> sockets_;
    std::size_t active_ = 0;
    std::uint16_t rtpPort_ = 0;
    std::shared_ptr<EventQueue> events_;
    RtpIdentity identity_;
    StreamStats& stats_;
    Owner& owner_;
    StreamPlan plan_;
    bool planned_ = false;

    std::vector<std::uint8_t> packet_;
    std::vector<std::uint8_t> rxBuffer_;
    std::optional<RtpSession> rtp_;
    std::uint32_t rtpClock_ = 0;
    std::optional<std::uint16_t> lastSentSeq_;
    std::optional<SymmetricRtpLatch> rtpLatch_;
    std::optional<SymmetricRtpLatch> rtcpLatch_;
    // A multicast session's receive sockets (joined to the group's RTP/RTCP ports) and what
    // they were made for ("group:port group:port+1"; empty when we do not receive).
    std::optional<SocketPair> multicastRx_;
    std::string multicastKey_;
    std::optional<std::uint32_t> activeSsrc_;
    TimePoint activeHeard_{};

    std::optional<SrtpSession> srtp_;
    std::optional<SrtpKeys> sdesKeys_;
    std::unique_ptr<DtlsSrtpSession> dtls_;
    std::string dtlsPeer_; ///< role + fingerprint the association was made for
    std::optional<TimePoint> dtlsDeadline_;
    std::deque<std::vector<std::uint8_t>> earlyDtls_;
    bool dtlsReported_ = false;
    // RFC 5764 §4.1: without rtcp-mux the RTCP port runs its own DTLS handshake, keying SRTCP.
    std::unique_ptr<DtlsSrtpSession> dtlsRtcp_;
    std::optional<SrtpSession> srtcp_;
    std::optional<TimePoint> dtlsRtcpDeadline_;
    std::deque<std::vector<std::uint8_t>> earlyDtlsRtcp_;
    bool dtlsRtcpReported_ = false;
    std::uint64_t authFailBase_ = 0;
    std::uint64_t replayBase_ = 0;
};

} // namespace vphone::media
