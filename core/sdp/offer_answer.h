// RFC 3264 offer/answer over the SDP model, without I/O: local capabilities in, SDP and the
// negotiated result out. The library does not make keys or certificates: SDES crypto lines and
// the DTLS fingerprint come from the caller.
//
// Theory of operation. An OfferAnswerSession lives as long as a call's media session. It owns
// the o= line (sess-id from the caller, sess-version incremented whenever the SDP we send
// changes, RFC 3264 §8) and the m-line slots: slot i holds the id of the LocalStream using the
// i-th m-line, or nothing once the stream was removed (port 0). Slots are never removed and
// never reordered (§8); a new stream takes a slot that was disabled earlier or a new one at the
// end. Payload type numbers stay bound to their codec for the whole session (§8.3.2).
//
//   createOffer(local)     -> our offer; it stays pending until
//   receiveAnswer(answer)  -> Negotiated (remote address/ports, send/receive codecs, SRTP, ...)
//   cancelOffer()          -> the offer was rejected (488, 491): back to the previous state
//   receiveOffer(offer, local) -> our answer and the Negotiated result at once
//
// Answer policy (documented choices):
//  - Codec order in our answer: LocalSession::answerOrder. Local (default) lists the codecs we
//    share in our preference order, Remote keeps the offerer's order. Either way the answer
//    uses the offerer's payload type numbers, and telephone-event comes last.
//  - A stream we cannot take (unknown media type or transport, no common codec, SRTP policy)
//    is refused with port 0 and a reason in NegotiatedStream::reason; if no stream is left the
//    answer fails (the caller answers 488).
//  - Direction: our wish intersected with the mirror of the offer's (sendonly <-> recvonly);
//    c=0.0.0.0 (RFC 2543 hold) counts as sendonly.
//  - SRTP. Mandatory: RTP/SAVP + a=crypto (SDES) or UDP/TLS/RTP/SAVP + a=fingerprint (DTLS);
//    an offer/answer without them is refused. Optional (best effort, what baresip's
//    `mediaenc=srtp` does): we offer RTP/AVP carrying a=crypto (or a=fingerprint + a=setup),
//    so a plain-RTP peer still accepts the call (baresip without mediaenc, like libre in
//    general, refuses an RTP/SAVP m-line with port 0) and an SRTP peer answers with its own
//    a=crypto. RFC 5939 capability negotiation (a=tcap/a=pcfg) is not used: baresip ignores
//    it. When answering, Optional takes SRTP whenever the offer carries usable keying, in any
//    RTP profile, and plain RTP/AVP otherwise. Off refuses SAVP profiles and ignores a=crypto.
//  - SDES answer: the first a=crypto of the offer (offerer's order) whose suite we have a line
//    for; we answer with our line for that suite under the offer's tag (RFC 4568 §7.1.2).
//  - DTLS answer: a=setup:active when the offer says actpass or passive, passive when active
//    (RFC 5763 §5).
#pragma once

#include "session_description.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vphone::sdp {

enum class SrtpPolicy { Invalid, Off, Optional, Mandatory };
enum class Keying { Invalid, Sdes, Dtls };
enum class CodecOrder { Invalid, Local, Remote };
enum class SrtpMode { Invalid, None, Sdes, Dtls };

/// A codec we can use in a stream.
struct Codec {
    std::string name; ///< encoding name: "opus", "PCMU", "telephone-event", "H264"
    std::uint32_t clockRate = 8000;
    std::uint32_t channels = 1;
    int payloadType = -1; ///< preferred number (static < 96); -1: any free dynamic one
    std::string fmtp;     ///< our format parameters, e.g. "0-16" or "useinbandfec=1"
};

/// One media stream we want, identified by `id` across re-offers.
struct LocalStream {
    std::string id;                            ///< stable name ("audio", "video"); unique in a LocalSession
    std::string media = "audio";               ///< m= media type
    std::uint16_t port = 0;                    ///< our RTP port; 0 removes the stream / refuses it
    std::optional<std::uint16_t> rtcpPort;     ///< a=rtcp when RTCP is not on port + 1
    std::vector<Codec> codecs;                 ///< in preference order
    Direction direction = Direction::SendRecv; ///< SendOnly / Inactive put the peer on hold
    std::optional<std::chrono::milliseconds> ptime;
    std::optional<std::chrono::milliseconds> maxptime;
    bool rtcpMux = true;         ///< offer a=rtcp-mux; accept it when offered
    bool feedback = false;       ///< offer the AVPF profile (RTP/AVPF, RTP/SAVPF)
    std::vector<Crypto> cryptos; ///< SDES: our a=crypto lines (keys from the caller), by preference
    std::optional<std::uint64_t> bandwidthAs; ///< b=AS in kbit/s
    std::vector<Attribute> extraAttributes;   ///< added verbatim to our media section
};

/// What we can do and want, for a whole session description.
struct LocalSession {
    std::string address = "127.0.0.1"; ///< our media address (c= and o=); IPv6 if it has ':'
    std::string username = "-";
    std::string sessionName = "-";
    SrtpPolicy srtp = SrtpPolicy::Off;
    Keying keying = Keying::Sdes;           ///< which keying our offers use
    std::optional<Fingerprint> fingerprint; ///< DTLS: our certificate's fingerprint
    CodecOrder answerOrder = CodecOrder::Local;
    std::vector<LocalStream> streams;
};

/// A codec both sides agreed on, with the payload type to use in one direction.
struct NegotiatedCodec {
    int payloadType = 0;
    std::string name;
    std::uint32_t clockRate = 0;
    std::uint32_t channels = 1;
    std::string fmtp; ///< the fmtp of the side that chose this payload type number
    bool operator==(const NegotiatedCodec&) const = default;
};

/// The result for one m-line.
struct NegotiatedStream {
    std::size_t index = 0; ///< m-line position
    std::string id;        ///< LocalStream::id, empty when no local stream took it
    std::string media;
    bool enabled = false;
    std::string reason; ///< why it is disabled
    std::string proto;
    std::string remoteAddress;
    std::uint16_t remotePort = 0;
    /// RFC 8866 §5.7: the remote address is an IPv4 multicast group with this TTL; media is
    /// sent to and received from the group (no symmetric-RTP latching).
    std::optional<unsigned> multicastTtl;
    std::string remoteRtcpAddress;
    std::uint16_t remoteRtcpPort = 0;
    bool rtcpMux = false;
    std::vector<NegotiatedCodec> sendCodecs;   ///< numbers the remote listed; first = preferred
    std::vector<NegotiatedCodec> recvCodecs;   ///< numbers we listed
    Direction direction = Direction::Inactive; ///< ours: SendOnly means we send, they do not
    std::optional<std::chrono::milliseconds> remotePtime;
    std::optional<std::uint64_t> remoteBandwidthAs;   ///< b=AS, kbit/s
    std::optional<std::uint64_t> remoteBandwidthTias; ///< b=TIAS, bit/s (RFC 3890)
    std::vector<RtcpFb> remoteFeedback;               ///< the peer's a=rtcp-fb lines (RFC 4585)
    SrtpMode srtp = SrtpMode::None;
    std::optional<Crypto> localCrypto;  ///< SDES: our key (protects what we send)
    std::optional<Crypto> remoteCrypto; ///< SDES: theirs (what we receive)
    std::optional<Fingerprint> remoteFingerprint;
    Setup localSetup = Setup::Invalid; ///< DTLS: Active = we start the handshake

    /// The first send codec that is not telephone-event.
    const NegotiatedCodec* sendCodec() const;
    /// telephone-event (RFC 4733) for sending / receiving, if agreed.
    const NegotiatedCodec* sendTelephoneEvent() const;
    const NegotiatedCodec* recvTelephoneEvent() const;
    /// True when the peer listed a=rtcp-fb `type` [`parameters`] for this payload type or "*".
    bool remoteAccepts(int payloadType, std::string_view type, std::string_view parameters = {}) const;
};

/// Every m-line's result.
struct Negotiated {
    std::vector<NegotiatedStream> streams;
    /// The stream with this LocalStream id, or nullptr.
    const NegotiatedStream* find(std::string_view id) const;
};

/// Our answer to a remote offer, and what it negotiated.
struct Answer {
    SessionDescription sdp;
    Negotiated negotiated;
};

/// One call's offer/answer state (see the top of this file).
class OfferAnswerSession {
public:
    /// `sessionId`: the o= sess-id, digits (RFC 8866 suggests an NTP timestamp).
    explicit OfferAnswerSession(std::string sessionId, std::uint64_t firstVersion = 1);

    /// Our initial offer or a re-offer. Fails on bad local input (no codecs, SRTP without keys,
    /// payload type clash) or while an offer is already pending.
    Result<SessionDescription> createOffer(const LocalSession& local);
    /// Applies the answer to our pending offer. On error the offer is dropped and the previous
    /// negotiation stays in force.
    Result<Negotiated> receiveAnswer(const SessionDescription& answer);
    /// Drops our pending offer (it was rejected).
    void cancelOffer();
    /// Answers a remote offer (initial or re-offer). Fails with a reason (then answer 488, or
    /// 491 while our own offer is pending); the previous negotiation then stays in force.
    Result<Answer> receiveOffer(const SessionDescription& offer, const LocalSession& local);

    bool offerPending() const { return pending_.has_value(); }
    /// The last successful negotiation.
    const std::optional<Negotiated>& negotiated() const { return negotiated_; }
    /// The o= sess-version of the last SDP we produced.
    std::uint64_t version() const { return version_; }

    /// What an m-line slot is bound to (internal state, public for the implementation files).
    struct Slot {
        std::string id; ///< local stream id; empty: disabled
        std::string media;
        std::string proto;
        std::vector<std::string> formats;    ///< kept for a disabled m-line
        std::vector<NegotiatedCodec> codecs; ///< payload type bindings in this m-line
        bool operator==(const Slot&) const = default;
    };

private:
    void stamp(SessionDescription& sdp);

    std::string sessionId_;
    std::uint64_t version_;
    std::optional<SessionDescription> lastSent_;
    std::vector<Slot> slots_;
    struct Pending {
        SessionDescription offer;
        LocalSession local;
        std::vector<Slot> mlines;
    };
    std::optional<Pending> pending_;
    std::optional<Origin> remoteOrigin_;
    std::optional<Negotiated> negotiated_;
};

/// The well-known static payload types of RFC 3551 §6 (0 PCMU/8000 ... 34 H263/90000).
std::optional<NegotiatedCodec> staticPayloadType(int payloadType);

/// The codec a payload type stands for in a media section: its a=rtpmap (and a=fmtp), else the
/// static table. Channels default to 1.
std::optional<NegotiatedCodec> codecOf(const MediaDescription& m, int payloadType);

/// True when a remote codec can be used for a local one: same name (any case), clock rate and
/// channels; for H264 also the same packetization-mode (RFC 6184 §8.1, default 0).
bool sameCodec(const Codec& local, const NegotiatedCodec& remote);

} // namespace vphone::sdp
