// Token buckets per source address; see rate_limiter.h.
#include "rate_limiter.h"

#include <algorithm>
#include <chrono>

namespace vphone::sip {

RateLimiter::RateLimiter(double perSecond, double burst, std::size_t maxSources)
    : perSecond_(perSecond), burst_(std::max(burst, 1.0)), maxSources_(std::max<std::size_t>(maxSources, 1))
{}

bool RateLimiter::allow(std::string_view source, TimePoint now)
{
    if (perSecond_ <= 0) return true;
    const std::string key(source);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= maxSources_) {
            buckets_.erase(recency_.back());
            recency_.pop_back();
        }
        recency_.push_front(key);
        it = buckets_.emplace(key, Bucket{burst_, now, recency_.begin()}).first;
    } else {
        recency_.splice(recency_.begin(), recency_, it->second.lru);
        Bucket& b = it->second;
        if (now > b.last) {
            const double elapsed = std::chrono::duration<double>(now - b.last).count();
            b.tokens = std::min(burst_, b.tokens + elapsed * perSecond_);
            b.last = now;
        }
    }
    Bucket& b = it->second;
    if (b.tokens < 1.0) {
        ++refused_;
        return false;
    }
    b.tokens -= 1.0;
    return true;
}

} // namespace vphone::sip
