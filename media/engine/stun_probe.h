// StunProbe: learns what a STUN server (RFC 5389) sees of a call's RTP and RTCP sockets before
// our SDP is written, so c= and m= (and a=rtcp) carry the public address behind a NAT.
//
// Theory of operation: one net::stun::BindingClient per socket (sans-I/O, RFC 5389 §7.2.1
// retransmissions), both driven by poll() on the two sockets with the steady clock, bounded by
// `budget` (1.5 s by default: call setup is never held up longer, and a silent server only costs
// that once per stream). It runs on the signalling thread while the sockets are still ours,
// before the media thread takes them; datagrams that are not the answer (early RTP, another
// transaction) are dropped. A socket whose query fails keeps its local address. StunPrefetch
// (stun_prefetch.h) runs it on its own thread ahead of the calls, with `cancel` to end it early.
#pragma once

#include "udp_socket.h"

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace vphone::media {

struct StunProbeResult {
    std::optional<MediaAddress> rtp;  ///< the RTP socket's public address
    std::optional<MediaAddress> rtcp; ///< the RTCP socket's
    std::string error;                ///< why one failed (empty when both succeeded)
    int requests = 0;                 ///< Binding requests sent in all
};

/// Asks `server` (IP literal and port) for the public address of both sockets, for at most `budget`
/// (less when `cancel` becomes true: it is looked at every 50 ms; the result then says "cancelled").
StunProbeResult probeStun(UdpSocket& rtp, UdpSocket& rtcp, const MediaAddress& server,
                          std::chrono::milliseconds budget, const std::atomic<bool>* cancel = nullptr);

} // namespace vphone::media
