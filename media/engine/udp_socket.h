// Non-blocking UDP sockets for media (POSIX), owned by one thread at a time, and the allocation
// of RTP/RTCP port pairs from the configured range.
//
// Media never goes through Qt's event loop: the media thread poll()s these file descriptors
// itself, so a busy GUI cannot delay a packet. Addresses are numeric literals only (SDP c=
// lines from real peers are; a host name there is refused rather than resolved on the media
// thread).
#pragma once

#include "engine_config.h"
#include "rtp/symmetric_rtp_latch.h"

#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

struct sockaddr_storage;

namespace vphone::media {

/// One bound, non-blocking UDP socket.
class UdpSocket {
public:
    /// Binds address:port (port 0: any). Errors name the address and the system's reason.
    static EngineResult<UdpSocket> bind(const std::string& address, std::uint16_t port);

    /// A receive socket for an IPv4 multicast group (RFC 8866 §5.7 paging/intercom): bound to
    /// group:port with SO_REUSEADDR/SO_REUSEPORT (several listeners on one host) and joined
    /// (IP_ADD_MEMBERSHIP) on the interface that has `interfaceAddress` (empty or 0.0.0.0: the
    /// kernel's choice). Errors name the group and the system's reason.
    static EngineResult<UdpSocket> joinGroup(const std::string& group, std::uint16_t port,
                                             const std::string& interfaceAddress);

    UdpSocket() = default;
    UdpSocket(UdpSocket&& other) noexcept;
    UdpSocket& operator=(UdpSocket&& other) noexcept;
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    ~UdpSocket();

    int fd() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    std::uint16_t port() const { return port_; }
    const std::string& address() const { return address_; }
    bool ipv6() const { return ipv6_; }

    /// Sends one datagram; false if the address is not a literal of this socket's family, is
    /// unspecified (0.0.0.0, ::) or has port 0, or the kernel refused (buffer full: the packet
    /// is lost, as on the wire).
    bool sendTo(std::span<const std::uint8_t> bytes, const MediaAddress& to);
    /// Receives one datagram into buffer; nullopt when nothing is waiting (or on error).
    std::optional<std::size_t> receive(std::span<std::uint8_t> buffer, MediaAddress& from);
    void close();
    /// Prepares this (IPv4) socket to send to multicast groups: IP_MULTICAST_TTL `ttl`,
    /// IP_MULTICAST_LOOP on (listeners on this host hear it), IP_MULTICAST_IF our bound address.
    bool setMulticastSend(unsigned ttl);

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::string address_;
    bool ipv6_ = false;
    // Cache of the last destination's socket address.
    MediaAddress lastTo_;
    std::vector<std::uint8_t> lastToRaw_;
};

/// RTP and RTCP sockets on one local address.
struct SocketPair {
    UdpSocket rtp;
    UdpSocket rtcp;
};

/// Binds an even RTP port and the odd RTCP port above it, the same numbers on every address,
/// trying the range from a random even start. Errors say the range is exhausted.
EngineResult<std::vector<SocketPair>> allocateSocketPairs(const std::vector<std::string>& addresses,
                                                          PortRange range, std::mt19937& random);

/// "host:port", IPv6 in brackets.
std::string toString(const MediaAddress& address);

} // namespace vphone::media
