// The lock-free SPSC ring between device callbacks and the media thread.
#include "device/spsc_ring.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace vphone::media;

TEST(SpscRing, WritesAndReadsWholeBlocksOrNothing)
{
    SpscRing<int16_t> ring(10);
    EXPECT_EQ(ring.capacity(), 16u);
    std::vector<int16_t> a(12, 1);
    EXPECT_TRUE(ring.tryWrite(a));
    EXPECT_FALSE(ring.tryWrite(std::vector<int16_t>(5, 2))) << "only 4 free";
    EXPECT_EQ(ring.available(), 12u);
    std::vector<int16_t> out(13);
    EXPECT_FALSE(ring.tryRead(out)) << "only 12 queued";
    out.resize(8);
    EXPECT_TRUE(ring.tryRead(out));
    EXPECT_EQ(out, std::vector<int16_t>(8, 1));
    // Wraps around the end of the buffer.
    std::vector<int16_t> b = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    EXPECT_TRUE(ring.tryWrite(b));
    std::vector<int16_t> rest(16);
    EXPECT_TRUE(ring.tryRead(rest));
    EXPECT_EQ(std::vector<int16_t>(rest.begin() + 4, rest.end()), b);
    ring.clear();
    EXPECT_EQ(ring.available(), 0u);
}

TEST(SpscRing, TwoThreadsPassEverySampleInOrder)
{
    // The producer writes 2 million consecutive values in blocks of 7 (retrying when full), the
    // consumer reads blocks of 5 (retrying when empty): every value must arrive once, in order.
    constexpr int64_t kTotal = 2'000'000;
    SpscRing<int32_t> ring(64);
    std::thread producer([&] {
        int32_t next = 0;
        std::vector<int32_t> block(7);
        while (next < kTotal) {
            const auto n = std::min<int64_t>(7, kTotal - next);
            block.resize(std::size_t(n));
            for (auto& v : block)
                v = next++;
            while (!ring.tryWrite(block))
                std::this_thread::yield();
        }
    });
    int32_t expected = 0;
    bool inOrder = true;
    std::vector<int32_t> block(5);
    while (expected < kTotal) {
        const auto n = std::min<int64_t>(5, kTotal - expected);
        block.resize(std::size_t(n));
        while (!ring.tryRead(block))
            std::this_thread::yield();
        for (auto v : block)
            inOrder = inOrder && v == expected++;
    }
    producer.join();
    EXPECT_TRUE(inOrder);
    EXPECT_EQ(ring.available(), 0u);
}
