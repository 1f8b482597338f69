// POSIX UDP sockets for the media thread.
#include "udp_socket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vphone::media {

namespace {

bool toSockaddr(const MediaAddress& a, bool ipv6, sockaddr_storage& out, socklen_t& len)
{
    std::memset(&out, 0, sizeof out);
    std::string host = a.host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (ipv6) {
        auto* s6 = reinterpret_cast<sockaddr_in6*>(&out);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(a.port);
        if (inet_pton(AF_INET6, host.c_str(), &s6->sin6_addr) != 1) return false;
        len = sizeof(sockaddr_in6);
        return true;
    }
    auto* s4 = reinterpret_cast<sockaddr_in*>(&out);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(a.port);
    if (inet_pton(AF_INET, host.c_str(), &s4->sin_addr) != 1) return false;
    len = sizeof(sockaddr_in);
    return true;
}

MediaAddress fromSockaddr(const sockaddr_storage& s)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (s.ss_family == AF_INET6) {
        const auto* s6 = reinterpret_cast<const sockaddr_in6*>(&s);
        inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof text);
        return {text, ntohs(s6->sin6_port)};
    }
    const auto* s4 = reinterpret_cast<const sockaddr_in*>(&s);
    inet_ntop(AF_INET, &s4->sin_addr, text, sizeof text);
    return {text, ntohs(s4->sin_port)};
}

} // namespace

EngineResult<UdpSocket> UdpSocket::bind(const std::string& address, std::uint16_t port)
{
    UdpSocket s;
    s.ipv6_ = address.find(':') != std::string::npos;
    s.address_ = address;
    sockaddr_storage sa;
    socklen_t len = 0;
    if (!toSockaddr({address, port}, s.ipv6_, sa, len)) {
        return EngineError{500, "media: '" + address + "' is not an IP address"};
    }
    s.fd_ = ::socket(s.ipv6_ ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd_ < 0) return EngineError{500, std::string("media: socket(): ") + std::strerror(errno)};
    if (s.ipv6_) {
        int on = 1;
        ::setsockopt(s.fd_, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    }
    if (::bind(s.fd_, reinterpret_cast<sockaddr*>(&sa), len) != 0) {
        return EngineError{500, "media: bind " + toString(MediaAddress{address, port}) + ": " +
                                    std::strerror(errno)};
    }
    sockaddr_storage bound;
    socklen_t boundLen = sizeof bound;
    ::getsockname(s.fd_, reinterpret_cast<sockaddr*>(&bound), &boundLen);
    s.port_ = fromSockaddr(bound).port;
    return s;
}

EngineResult<UdpSocket> UdpSocket::joinGroup(const std::string& group, std::uint16_t port,
                                             const std::string& interfaceAddress)
{
    UdpSocket s;
    s.address_ = group;
    const std::string where = "media: multicast group " + toString(MediaAddress{group, port});
    in_addr groupAddr{};
    if (inet_pton(AF_INET, group.c_str(), &groupAddr) != 1 || (ntohl(groupAddr.s_addr) >> 28) != 0xe) {
        return EngineError{500, where + " is not an IPv4 multicast address"};
    }
    in_addr ifAddr{};
    ifAddr.s_addr = htonl(INADDR_ANY);
    if (!interfaceAddress.empty() && inet_pton(AF_INET, interfaceAddress.c_str(), &ifAddr) != 1) {
        return EngineError{500, where + ": interface '" + interfaceAddress + "' is not an IPv4 address"};
    }
    s.fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd_ < 0) return EngineError{500, std::string("media: socket(): ") + std::strerror(errno)};
    int on = 1;
    ::setsockopt(s.fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    ::setsockopt(s.fd_, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr = groupAddr;
    if (::bind(s.fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        return EngineError{500, where + ": bind: " + std::strerror(errno)};
    }
    ip_mreq mreq{};
    mreq.imr_multiaddr = groupAddr;
    mreq.imr_interface = ifAddr;
    if (::setsockopt(s.fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0) {
        return EngineError{500, where + ": IP_ADD_MEMBERSHIP: " + std::strerror(errno)};
    }
    s.port_ = port;
    return s;
}

bool UdpSocket::setMulticastSend(unsigned ttl)
{
    if (fd_ < 0 || ipv6_) return false;
    const int t = static_cast<int>(ttl > 255 ? 255 : ttl);
    const unsigned char loop = 1;
    bool ok = ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_TTL, &t, sizeof t) == 0;
    ok = ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) == 0 && ok;
    in_addr ifAddr{};
    if (inet_pton(AF_INET, address_.c_str(), &ifAddr) == 1 && ifAddr.s_addr != htonl(INADDR_ANY)) {
        ok = ::setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &ifAddr, sizeof ifAddr) == 0 && ok;
    }
    return ok;
}

UdpSocket::UdpSocket(UdpSocket&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), port_(o.port_), address_(std::move(o.address_)), ipv6_(o.ipv6_)
{}

UdpSocket& UdpSocket::operator=(UdpSocket&& o) noexcept
{
    if (this != &o) {
        close();
        fd_ = std::exchange(o.fd_, -1);
        port_ = o.port_;
        address_ = std::move(o.address_);
        ipv6_ = o.ipv6_;
        lastTo_ = {};
        lastToRaw_.clear();
    }
    return *this;
}

UdpSocket::~UdpSocket()
{
    close();
}

void UdpSocket::close()
{
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool UdpSocket::sendTo(std::span<const std::uint8_t> bytes, const MediaAddress& to)
{
    if (fd_ < 0) return false;
    // c=IN IP4 0.0.0.0 (RFC 2543 hold) or port 0 names no peer; Linux would deliver to this host.
    if (to.port == 0 || to.host == "0.0.0.0" || to.host == "::" || to.host == "[::]") return false;
    if (lastToRaw_.empty() || !(lastTo_ == to)) {
        sockaddr_storage sa;
        socklen_t len = 0;
        if (!toSockaddr(to, ipv6_, sa, len)) return false;
        lastToRaw_.assign(reinterpret_cast<const std::uint8_t*>(&sa),
                          reinterpret_cast<const std::uint8_t*>(&sa) + len);
        lastTo_ = to;
    }
    const auto sent = ::sendto(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT,
                               reinterpret_cast<const sockaddr*>(lastToRaw_.data()),
                               static_cast<socklen_t>(lastToRaw_.size()));
    return sent == static_cast<ssize_t>(bytes.size());
}

std::optional<std::size_t> UdpSocket::receive(std::span<std::uint8_t> buffer, MediaAddress& from)
{
    if (fd_ < 0) return std::nullopt;
    sockaddr_storage sa;
    socklen_t len = sizeof sa;
    const auto n =
        ::recvfrom(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&sa), &len);
    if (n < 0) return std::nullopt;
    from = fromSockaddr(sa);
    return static_cast<std::size_t>(n);
}

EngineResult<std::vector<SocketPair>> allocateSocketPairs(const std::vector<std::string>& addresses,
                                                          PortRange range, std::mt19937& random)
{
    const unsigned first = range.min + (range.min % 2);
    const unsigned pairs = (unsigned(range.max) - first + 1) / 2;
    if (pairs == 0 || addresses.empty()) return EngineError{500, "media: empty RTP port range"};
    const unsigned start = std::uniform_int_distribution<unsigned>(0, pairs - 1)(random);
    std::string lastError;
    for (unsigned i = 0; i < pairs; ++i) {
        const auto port = static_cast<std::uint16_t>(first + 2 * ((start + i) % pairs));
        std::vector<SocketPair> out;
        for (const auto& a : addresses) {
            auto rtp = UdpSocket::bind(a, port);
            if (!rtp) {
                lastError = rtp.error().what;
                break;
            }
            auto rtcp = UdpSocket::bind(a, static_cast<std::uint16_t>(port + 1));
            if (!rtcp) {
                lastError = rtcp.error().what;
                break;
            }
            out.push_back({std::move(*rtp), std::move(*rtcp)});
        }
        if (out.size() == addresses.size()) return out;
    }
    return EngineError{500, "media: no free RTP port pair in " + std::to_string(range.min) + "-" +
                                std::to_string(range.max) + " (last: " + lastError + ")"};
}

std::string toString(const MediaAddress& a)
{
    if (a.host.find(':') != std::string::npos && a.host.front() != '[') {
        return "[" + a.host + "]:" + std::to_string(a.port);
    }
    return a.host + ":" + std::to_string(a.port);
}

} // namespace vphone::media
