// StunProbe: the RTP/RTCP Binding queries of one stream, driven by poll() (see stun_probe.h).
#include "stun_probe.h"

#include "net/stun_client.h"

#include <poll.h>

#include <algorithm>
#include <array>
#include <random>

namespace vphone::media {

StunProbeResult probeStun(UdpSocket& rtp, UdpSocket& rtcp, const MediaAddress& server,
                          std::chrono::milliseconds budget, const std::atomic<bool>* cancel)
{
    using Clock = std::chrono::steady_clock;
    StunProbeResult result;
    std::random_device entropy;
    const auto start = Clock::now();
    const net::stun::BindingTimers timers{std::chrono::milliseconds(500), 7, 16, budget};
    std::array<UdpSocket*, 2> sockets{&rtp, &rtcp};
    std::array<std::optional<net::stun::BindingClient>, 2> queries;
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (!sockets[i]->valid()) continue;
        net::stun::TransactionId id{};
        for (auto& b : id)
            b = static_cast<std::uint8_t>(entropy());
        queries[i].emplace(id, start, timers);
    }
    std::array<std::uint8_t, 1500> buffer{};
    for (;;) {
        bool running = false;
        std::optional<Clock::time_point> next;
        for (std::size_t i = 0; i < queries.size(); ++i) {
            auto& q = queries[i];
            if (!q) continue;
            while (auto tx = q->pollTransmit()) {
                ++result.requests;
                sockets[i]->sendTo(std::span(reinterpret_cast<const std::uint8_t*>(tx->data()), tx->size()),
                                   server);
            }
            if (const auto at = q->nextTimeout()) {
                running = true;
                if (!next || *at < *next) next = at;
            }
        }
        if (!running) break;
        if (cancel && cancel->load()) {
            result.error = "cancelled";
            return result;
        }
        std::array<pollfd, 2> fds{};
        nfds_t n = 0;
        std::array<std::size_t, 2> which{};
        for (std::size_t i = 0; i < queries.size(); ++i) {
            if (!queries[i] || queries[i]->state() != net::stun::BindingClient::State::Running) continue;
            fds[n] = pollfd{sockets[i]->fd(), POLLIN, 0};
            which[n++] = i;
        }
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - Clock::now()).count();
        const long long limit = cancel ? 50 : 60000;
        const int ready = ::poll(fds.data(), n, static_cast<int>(std::clamp<long long>(wait + 1, 0, limit)));
        const auto now = Clock::now();
        if (ready > 0) {
            for (nfds_t k = 0; k < n; ++k) {
                if (!(fds[k].revents & POLLIN)) continue;
                const std::size_t i = which[k];
                MediaAddress from;
                while (const auto got = sockets[i]->receive(buffer, from)) {
                    if (from != server) continue; // only the server's answer counts
                    queries[i]->receive(std::string_view(reinterpret_cast<const char*>(buffer.data()), *got),
                                        now);
                }
            }
        }
        for (auto& q : queries) {
            if (q) q->onTimeout(now);
        }
    }
    for (std::size_t i = 0; i < queries.size(); ++i) {
        const auto& q = queries[i];
        if (!q) continue;
        if (q->state() == net::stun::BindingClient::State::Succeeded) {
            const MediaAddress mapped{q->mapped()->host, q->mapped()->port};
            (i == 0 ? result.rtp : result.rtcp) = mapped;
        } else if (result.error.empty()) {
            result.error = q->error();
        }
    }
    return result;
}

} // namespace vphone::media
