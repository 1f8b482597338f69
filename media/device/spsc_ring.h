// Lock-free single-producer single-consumer ring of samples between an audio device callback
// thread and the media thread.
//
// Theory of operation: a power-of-two array with two monotonically increasing 64-bit indices.
// Only the producer stores head_ (release, after writing the samples); only the consumer stores
// tail_ (release, after reading them). Each side loads the other's index with acquire, so the
// samples it sees are complete. Writes and reads are all-or-nothing per call (a device frame is
// either queued whole or counted as an overrun), and never allocate, lock or block: safe on a
// real-time callback thread. The indices never wrap in practice (2^64 samples).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vphone::media {

template <class T> class SpscRing {
public:
    /// Room for at least minCapacity elements (rounded up to a power of two).
    explicit SpscRing(std::size_t minCapacity)
    {
        std::size_t cap = 1;
        while (cap < minCapacity)
            cap <<= 1;
        buffer_.resize(cap);
        mask_ = cap - 1;
    }

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    std::size_t capacity() const { return buffer_.size(); }

    /// Producer: appends all of data, or nothing (returns false) if it does not fit.
    bool tryWrite(std::span<const T> data)
    {
        const uint64_t head = head_.load(std::memory_order_relaxed);
        const uint64_t tail = tail_.load(std::memory_order_acquire);
        if (capacity() - std::size_t(head - tail) < data.size()) return false;
        copyIn(head, data);
        head_.store(head + data.size(), std::memory_order_release);
        return true;
    }

    /// Consumer: fills all of out, or nothing (returns false) if fewer elements are queued.
    bool tryRead(std::span<T> out)
    {
        const uint64_t tail = tail_.load(std::memory_order_relaxed);
        const uint64_t head = head_.load(std::memory_order_acquire);
        if (std::size_t(head - tail) < out.size()) return false;
        copyOut(tail, out);
        tail_.store(tail + out.size(), std::memory_order_release);
        return true;
    }

    /// Either side: elements queued now (a snapshot).
    std::size_t available() const
    {
        return std::size_t(head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire));
    }

    /// Consumer: drops everything queued.
    void clear() { tail_.store(head_.load(std::memory_order_acquire), std::memory_order_release); }

private:
    void copyIn(uint64_t at, std::span<const T> data)
    {
        const std::size_t start = std::size_t(at) & mask_;
        const std::size_t first = std::min(data.size(), capacity() - start);
        std::copy_n(data.begin(), first, buffer_.begin() + std::ptrdiff_t(start));
        std::copy(data.begin() + std::ptrdiff_t(first), data.end(), buffer_.begin());
    }
    void copyOut(uint64_t at, std::span<T> out) const
    {
        const std::size_t start = std::size_t(at) & mask_;
        const std::size_t first = std::min(out.size(), capacity() - start);
        std::copy_n(buffer_.begin() + std::ptrdiff_t(start), first, out.begin());
        std::copy_n(buffer_.begin(), out.size() - first, out.begin() + std::ptrdiff_t(first));
    }

    std::vector<T> buffer_;
    std::size_t mask_ = 0;
    alignas(64) std::atomic<uint64_t> head_{0}; // written by the producer only
    alignas(64) std::atomic<uint64_t> tail_{0}; // written by the consumer only
};

} // namespace vphone::media
