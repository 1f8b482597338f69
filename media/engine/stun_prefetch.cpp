// StunPrefetch: the prefetch thread, take() and the process's registry of pools (see stun_prefetch.h).
#include "stun_prefetch.h"

#include "stun_probe.h"

#include <algorithm>
#include <utility>

namespace vphone::media {

namespace {

/// How many RTP/RTCP pairs (even port, odd port above) fit in the range.
std::size_t pairsIn(PortRange range)
{
    const unsigned first = range.min % 2 == 0 ? range.min : range.min + 1u;
    if (first + 1u > range.max) return 0;
    return (range.max - first - 1u) / 2u + 1u;
}

std::string seconds(std::chrono::milliseconds ms)
{
    const auto s = (ms.count() + 999) / 1000;
    return std::to_string(s) + " s";
}

} // namespace

std::shared_ptr<StunPrefetch> StunPrefetch::existing(const MediaConfig& config)
{
    return lookup(config, false);
}

std::shared_ptr<StunPrefetch> StunPrefetch::lookup(const MediaConfig& config, bool create)
{
    if (config.stunHost.empty()) return nullptr;
    std::string key = config.stunHost + "|" + std::to_string(config.stunPort) + "|" +
                      std::to_string(config.rtpPorts.min) + "-" + std::to_string(config.rtpPorts.max) + "|" +
                      std::to_string(config.stunTimeout.count());
    for (const auto& a : config.localAddresses)
        key += "|" + a;
    static std::mutex mutex;
    // Most recently used first; at most four (a profile switch leaves the old pool behind).
    static std::vector<std::pair<std::string, std::shared_ptr<StunPrefetch>>> pools;
    std::shared_ptr<StunPrefetch> evicted; // ends outside the lock (joins its thread)
    std::lock_guard lock(mutex);
    auto it = std::find_if(pools.begin(), pools.end(), [&](const auto& p) { return p.first == key; });
    if (it != pools.end()) {
        std::rotate(pools.begin(), it, it + 1);
        return pools.front().second;
    }
    if (!create) return nullptr;
    auto pool =
        std::make_shared<StunPrefetch>(config.localAddresses, config.rtpPorts,
                                       MediaAddress{config.stunHost, config.stunPort}, config.stunTimeout);
    pools.insert(pools.begin(), {key, pool});
    if (pools.size() > 4) {
        evicted = std::move(pools.back().second);
        pools.pop_back();
    }
    return pool;
}

StunPrefetch::StunPrefetch(std::vector<std::string> localAddresses, PortRange range, MediaAddress server,
                           std::chrono::milliseconds probeBudget, StunPrefetchOptions options)
    : localAddresses_(std::move(localAddresses)), range_(range), server_(std::move(server)),
      budget_(probeBudget), options_(options), random_(std::random_device{}())
{
    const std::size_t pairs = pairsIn(range_);
    target_ = pairs >= 2 ? std::min(options_.ready, pairs / 2) : 0;
    thread_ = std::thread([this] { run(); });
}

StunPrefetch::~StunPrefetch()
{
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::optional<StunPrefetch::Ready> StunPrefetch::take(std::string* why)
{
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    for (auto it = ready_.begin(); it != ready_.end(); ++it) {
        if (now - it->probedAt >= options_.maxAge) continue; // the thread probes it again
        Ready set = std::move(it->set);
        ready_.erase(it);
        ++status_.taken;
        wake_.notify_one();
        return set;
    }
    wake_.notify_one();
    if (!why) return std::nullopt;
    *why = "stun: " + toString(server_) + ": ";
    if (target_ == 0) {
        *why += "the RTP port range is too small to keep sockets probed ahead of the calls";
    } else if (!bindError_.empty()) {
        *why += "cannot bind sockets to probe: " + bindError_;
    } else if (status_.failures > 0 && now < backoffUntil_) {
        *why += status_.lastError + " (next try in " +
                seconds(std::chrono::duration_cast<std::chrono::milliseconds>(backoffUntil_ - now)) + ")";
    } else if (status_.failures > 0) {
        *why += status_.lastError + " (trying again now)";
    } else {
        *why += "no answer yet (the first probe is under way)";
    }
    return std::nullopt;
}

StunPrefetch::Status StunPrefetch::status() const
{
    std::lock_guard lock(mutex_);
    Status s = status_;
    s.ready = ready_.size();
    s.backingOff = status_.failures > 0 && backoff_.count() > 0 && Clock::now() < backoffUntil_;
    return s;
}

bool StunPrefetch::waitSettled(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    return settled_.wait_for(lock, timeout,
                             [&] { return !ready_.empty() || status_.failures > 0 || target_ == 0; });
}

std::string StunPrefetch::probe(std::vector<SocketPair>& sockets, Ready& out, int& requests)
{
    const bool v6 = server_.host.find(':') != std::string::npos;
    for (auto& pair : sockets) {
        if (pair.rtp.ipv6() != v6) continue;
        const auto r = probeStun(pair.rtp, pair.rtcp, server_, budget_, &stop_);
        requests += r.requests;
        if (!r.rtp) return r.error.empty() ? std::string("no answer") : r.error;
        out.local = pair.rtp.address();
        out.rtp = *r.rtp;
        out.rtcp = r.rtcp;
        return {};
    }
    return "no media socket of the STUN server's address family";
}

void StunPrefetch::failed(const std::string& why, Clock::time_point now)
{
    ++status_.failures;
    status_.lastError = why;
    backoff_ = backoff_.count() == 0 ? options_.backoffMin : std::min(backoff_ * 2, options_.backoffMax);
    backoffUntil_ = now + backoff_;
}

void StunPrefetch::run()
{
    std::unique_lock lock(mutex_);
    while (!stop_) {
        const auto now = Clock::now();
        const bool backingOff = backoff_.count() > 0 && now < backoffUntil_;
        // A set whose mapping is as old as a NAT binding may be: probe it again (closed while
        // the server is backed off).
        auto stale = std::find_if(ready_.begin(), ready_.end(),
                                  [&](const Entry& e) { return now - e.probedAt >= options_.maxAge; });
        const bool fill = stale == ready_.end() && ready_.size() < target_ && !backingOff;
        if (stale != ready_.end() || fill) {
            Entry entry;
            if (stale != ready_.end()) {
                entry = std::move(*stale);
                ready_.erase(stale);
                if (backingOff) continue; // the sockets close here
            }
            probing_ = true;
            lock.unlock();
            std::string why;
            int requests = 0;
            if (fill) {
                auto pairs = allocateSocketPairs(localAddresses_, range_, random_);
                if (pairs) {
                    entry.set.sockets = std::move(*pairs);
                } else {
                    why = pairs.error().what;
                }
            }
            const bool bound = why.empty();
            if (bound) why = probe(entry.set.sockets, entry.set, requests);
            if (!why.empty()) entry.set.sockets.clear(); // closed: a fresh set after the pause
            lock.lock();
            probing_ = false;
            if (stop_) break;
            status_.requests += requests;
            bindError_ = bound ? std::string() : why;
            if (bound) ++status_.probes;
            if (why.empty()) {
                entry.probedAt = Clock::now();
                ready_.push_back(std::move(entry));
                backoff_ = std::chrono::milliseconds{0};
            } else {
                if (bound) {
                    failed(why, Clock::now());
                } else { // no free port: not the server's fault; try again after the pause
                    ++status_.failures;
                    status_.lastError = "cannot bind: " + why;
                    backoff_ = options_.backoffMin;
                    backoffUntil_ = Clock::now() + backoff_;
                }
            }
            settled_.notify_all();
            continue;
        }
        // Sleep until a set ages out or the pause ends (when a set is missing), or take()/stop.
        std::optional<Clock::time_point> until;
        for (const auto& e : ready_) {
            const auto at = e.probedAt + options_.maxAge;
            if (!until || at < *until) until = at;
        }
        if (ready_.size() < target_ && backingOff && (!until || backoffUntil_ < *until))
            until = backoffUntil_;
        if (until) {
            wake_.wait_until(lock, *until);
        } else {
            wake_.wait(lock);
        }
    }
}

} // namespace vphone::media
