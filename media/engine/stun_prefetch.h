// StunPrefetch: RTP/RTCP socket pairs bound and asked about at a STUN server ahead of the calls,
// so that writing an offer or answer never waits for the server (issue 7: the UI never blocks).
//
// How MediaSession (and a UI that wants the first call mapped) use it:
//
//   auto pool = StunPrefetch::forConfig(config);   // nullptr without config.stunHost; starts probing
//   std::string why;
//   if (auto set = pool->take(&why)) ... use set->sockets, set->rtp, set->rtcp in the SDP
//   else ... bind fresh sockets and write the local address; log `why`
//   pool->waitSettled(1500ms);                     // a CLI about to place its first call
//
// Theory of operation. One pool per (STUN server, local addresses, RTP port range): a thread of
// its own binds a set of pairs (one RTP/RTCP pair per local address, from the configured range,
// like MediaSession::bindPairs) and runs probeStun() on the pair of the server's address family
// with the configured budget (MediaConfig::stunTimeout). A set whose probe succeeded is kept
// "ready" with its mapping and the time of the probe; take() hands over the oldest one still
// younger than maxAge at once, under a mutex, and wakes the thread to bind a replacement. A set
// that reaches maxAge (25 s: shorter than the UDP binding lifetime of common NATs) is probed
// again on the same sockets, so the mapping stays the one the NAT really keeps. A probe that gets
// no answer (or an error) closes its sockets and backs the server off: no new probe for
// backoffMin, doubled after each further failure up to backoffMax, reset by a success; while
// backing off, ready sets that age out are closed rather than re-probed. So a silent server sees
// one probe per back-off period however many calls are made. When the range holds fewer than
// 2 x `ready` pairs, the pool keeps fewer sets (none below 2 pairs) so calls can still bind.
// forConfig() keeps the pools of the process in a small registry (the last four configurations
// used); they end (thread joined, sockets closed) when evicted or at exit.
#pragma once

#include "engine_config.h"
#include "udp_socket.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace vphone::media {

/// Tuning of a StunPrefetch (the defaults are the ones forConfig() uses).
struct StunPrefetchOptions {
    std::size_t ready = 2;                           ///< sets kept ready (audio + video of one call)
    std::chrono::milliseconds maxAge{25000};         ///< older mappings are probed again
    std::chrono::milliseconds backoffMin{5000};      ///< pause after the first failed probe
    std::chrono::milliseconds backoffMax{5 * 60000}; ///< longest pause (doubling from backoffMin)
};

class StunPrefetch {
public:
    /// A set of sockets (one RTP/RTCP pair per local address) with what the server saw of the
    /// pair on `local` (the address of the server's family).
    struct Ready {
        std::vector<SocketPair> sockets;
        std::string local;
        MediaAddress rtp;
        std::optional<MediaAddress> rtcp;
    };
    /// What the pool has done so far (tests, diagnostics).
    struct Status {
        std::size_t ready = 0;   ///< sets ready now
        int probes = 0;          ///< probes finished (first ones and re-probes)
        int failures = 0;        ///< of which failed
        int requests = 0;        ///< Binding requests sent in all
        int taken = 0;           ///< sets handed out by take()
        bool backingOff = false; ///< a failure's pause is running
        std::string lastError;   ///< the last failure's reason
    };

    /// The process's pool for `config`'s STUN server, local addresses and port range (made and
    /// started on first use); nullptr when config.stunHost is empty.
    static std::shared_ptr<StunPrefetch> forConfig(const MediaConfig& config) { return lookup(config, true); }
    /// The pool forConfig() would return, only when it exists already (nullptr otherwise).
    static std::shared_ptr<StunPrefetch> existing(const MediaConfig& config);

    /// A pool of its own (tests); starts its thread at once.
    StunPrefetch(std::vector<std::string> localAddresses, PortRange range, MediaAddress server,
                 std::chrono::milliseconds probeBudget, StunPrefetchOptions options = {});
    /// Stops the thread (a running probe is cancelled within 50 ms) and closes the sockets.
    ~StunPrefetch();
    StunPrefetch(const StunPrefetch&) = delete;
    StunPrefetch& operator=(const StunPrefetch&) = delete;

    /// A ready set, at once; nullopt when none is ready, with the reason in `why` (a sentence
    /// starting "stun: SERVER: ", e.g. "... no answer after 3 requests in 1500 ms (next try in 5 s)").
    std::optional<Ready> take(std::string* why = nullptr);
    Status status() const;
    /// Waits until a set is ready or a probe has failed since the pool started (true), or
    /// `timeout` passes (false). For a UI that may wait before it places a call, never for an offer.
    bool waitSettled(std::chrono::milliseconds timeout);
    const MediaAddress& server() const { return server_; }

private:
    using Clock = std::chrono::steady_clock;
    static std::shared_ptr<StunPrefetch> lookup(const MediaConfig& config, bool create);
    struct Entry {
        Ready set;
        Clock::time_point probedAt;
    };
    void run();
    /// Probes `sockets` (unlocked); fills `out` on success, else returns the reason.
    std::string probe(std::vector<SocketPair>& sockets, Ready& out, int& requests);
    void failed(const std::string& why, Clock::time_point now); // mutex held

    const std::vector<std::string> localAddresses_;
    const PortRange range_;
    const MediaAddress server_;
    const std::chrono::milliseconds budget_;
    const StunPrefetchOptions options_;
    std::size_t target_ = 0; ///< sets to keep ready (options_.ready, capped by the range)
    std::mt19937 random_;    ///< the thread's (port choice)

    mutable std::mutex mutex_;
    std::condition_variable wake_;    ///< the thread: a set was taken, or stop
    std::condition_variable settled_; ///< waitSettled(): a probe finished
    std::deque<Entry> ready_;
    Status status_;
    bool probing_ = false;
    std::string bindError_; ///< the range is exhausted (or the address unusable): why
    std::chrono::milliseconds backoff_{0};
    Clock::time_point backoffUntil_{};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace vphone::media
