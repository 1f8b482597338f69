// A token bucket per source address (sans-I/O: time comes in as `now`), bounded in memory.
//
// Theory of operation: each source has a bucket holding up to `burst` tokens, refilled at
// `perSecond` tokens per second of the caller's clock; a request takes one token, and a source
// with an empty bucket is refused. Buckets live in a hash map plus a recency list: a source that
// is seen moves to the front, and when the table is full the least recently seen source is
// forgotten (it starts again with a full bucket, which only ever errs towards letting a quiet
// source through). Lookups, refills and evictions are O(1), so a flood from many addresses costs
// no more per packet than one from a single address.
#pragma once

#include "transaction.h"

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vphone::sip {

class RateLimiter {
public:
    /// `perSecond` <= 0 lets everything through. `maxSources` is at least 1.
    RateLimiter(double perSecond, double burst, std::size_t maxSources);

    /// Takes a token from `source`'s bucket: true when the request may go on.
    bool allow(std::string_view source, TimePoint now);
    /// Sources currently tracked (never more than maxSources).
    std::size_t size() const { return buckets_.size(); }
    /// Requests refused so far.
    std::size_t refused() const { return refused_; }

private:
    struct Bucket {
        double tokens = 0;
        TimePoint last{};
        std::list<std::string>::iterator lru;
    };

    double perSecond_;
    double burst_;
    std::size_t maxSources_;
    std::size_t refused_ = 0;
    std::list<std::string> recency_; ///< most recently seen first
    std::unordered_map<std::string, Bucket> buckets_;
};

} // namespace vphone::sip
