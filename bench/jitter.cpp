// vphone-bench-jitter: JitterBuffer insert + pop per 20 ms packet, on a clean stream and on one
// with seeded jitter, 2 % loss and reordering. Prints ns per packet (insert + pop).
// Run: build/release/bench/vphone-bench-jitter
#include "rtp/jitter_buffer.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

struct Arrival {
    std::uint16_t seq;
    std::uint32_t ts;
    std::chrono::microseconds at;
};

// One minute of 20 ms packets; `rough` adds 0..60 ms jitter (so reordering) and 2 % loss.
std::vector<Arrival> stream(bool rough)
{
    std::mt19937 rng(5);
    std::vector<Arrival> out;
    for (std::uint32_t i = 0; i < 3000; ++i) {
        if (rough && rng() % 50 == 0) continue;
        const auto jitter = rough ? std::chrono::microseconds(rng() % 60000) : 0us;
        out.push_back(
            {static_cast<std::uint16_t>(i), i * 960, std::chrono::microseconds(i * 20000) + jitter});
    }
    std::stable_sort(out.begin(), out.end(), [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
    return out;
}

void insertPop(benchmark::State& state, bool rough)
{
    const auto packets = stream(rough);
    const std::vector<std::uint8_t> payload(80, 0x33); // a 32 kbit/s Opus frame
    auto jb = std::make_unique<JitterBuffer>();
    TimePoint base{};
    std::size_t i = 0;
    std::uint64_t frames = 0;
    for (auto _ : state) {
        if (i == packets.size()) {
            state.PauseTiming();
            jb = std::make_unique<JitterBuffer>();
            base += 70s; // a new call
            i = 0;
            state.ResumeTiming();
        }
        const Arrival& a = packets[i++];
        const TimePoint now = base + a.at;
        jb->insert(a.seq, a.ts, false, payload, now);
        const PlayoutFrame f = jb->pop(now);
        frames += f.kind == PlayoutFrame::Kind::Packet;
        benchmark::DoNotOptimize(f);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["played"] =
        benchmark::Counter(static_cast<double>(frames) / static_cast<double>(state.iterations()));
}

} // namespace

BENCHMARK_CAPTURE(insertPop, clean, false);
BENCHMARK_CAPTURE(insertPop, jitter_loss_reorder, true);
BENCHMARK_MAIN();
