// Symmetric RTP latching (RFC 4961 symmetric RTP; the "latching" of RFC 7362 §4 that media
// relays and phones behind NAT rely on).
//
// Theory of operation. We send to the address the SDP signalled until packets show where the
// peer really is. Only packets that passed every check (RTP parse, SSRC validation, SRTP
// authentication: the caller decides) count. After `packetsToLatch` consecutive valid packets
// from one address that is not the current destination, the destination moves there. A valid
// packet from the current destination resets the candidate, so a stray or spoofed packet now
// and then cannot steal the stream (RFC 7362 §4.2 warns about exactly that), while a peer that
// moved (NAT rebinding, a new network) is followed after a few packets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vphone::media {

/// A transport address as the socket layer reports it.
struct MediaAddress {
    std::string host;
    std::uint16_t port = 0;
    bool operator==(const MediaAddress&) const = default;
};

/// Decides where RTP (or RTCP) goes from where valid packets come from.
class SymmetricRtpLatch {
public:
    /// `signalled`: the address from SDP; `packetsToLatch`: consecutive valid packets needed.
    explicit SymmetricRtpLatch(MediaAddress signalled, unsigned packetsToLatch = 3);

    /// Reports a valid packet from `from`. Returns true if the destination changed.
    bool onValidPacket(const MediaAddress& from);

    /// Where to send now.
    const MediaAddress& destination() const { return destination_; }
    /// True once the destination has been learnt from traffic (it may equal the signalled one).
    bool latched() const { return latched_; }
    /// How many times the destination moved.
    unsigned moves() const { return moves_; }

private:
    MediaAddress destination_;
    unsigned packetsToLatch_;
    std::optional<MediaAddress> candidate_;
    unsigned candidateCount_ = 0;
    bool latched_ = false;
    unsigned moves_ = 0;
};

} // namespace vphone::media
