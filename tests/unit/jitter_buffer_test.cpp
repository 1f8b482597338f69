// Adaptive jitter buffer under simulated networks: seeded jitter, loss bursts, reordering,
// duplicates, delay spikes, DTX and sender clock drift. Virtual clock only.
#include "rtp/jitter_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

const TimePoint t0{};
constexpr std::uint32_t kFrame = 960; // 20 ms at 48 kHz

struct Sent {
    std::uint16_t seq;
    std::uint32_t ts;
    TimePoint arrival;
};

// One simulated call leg: `count` packets of 20 ms, sent on a clock `drift` fast (+) or slow (-),
// each delayed by 30 ms + delay(i) and dropped when lost(i). The receiver pops every 20 ms of its
// own clock, 7 ms out of phase with the sender.
struct Sim {
    std::size_t packets = 1000;
    double drift = 0;
    std::function<std::chrono::microseconds(std::size_t)> delay = [](std::size_t) { return 0us; };
    std::function<bool(std::size_t)> lost = [](std::size_t) { return false; };
    std::function<bool(std::size_t)> duplicate = [](std::size_t) { return false; };
    std::function<std::uint32_t(std::size_t)> timestamp = [](std::size_t i) {
        return static_cast<std::uint32_t>(1000 + i * kFrame);
    };
    std::uint16_t firstSeq = 65000; // wraps during the run

    std::vector<PlayoutFrame> frames;
    std::vector<std::chrono::microseconds> delays;
    std::set<std::uint16_t> played;
    std::size_t injectedLoss = 0;
    std::size_t injectedDuplicates = 0;

    JitterBuffer run(JitterBufferConfig config = {})
    {
        std::vector<Sent> net;
        for (std::size_t i = 0; i < packets; ++i) {
            if (lost(i)) {
                ++injectedLoss;
                continue;
            }
            const auto sentAt =
                t0 + std::chrono::microseconds(static_cast<std::int64_t>(i * 20000 / (1 + drift)));
            const Sent s{static_cast<std::uint16_t>(firstSeq + i), timestamp(i), sentAt + 30ms + delay(i)};
            net.push_back(s);
            if (duplicate(i)) {
                ++injectedDuplicates;
                net.push_back({s.seq, s.ts, s.arrival + 3ms});
            }
        }
        std::stable_sort(net.begin(), net.end(),
                         [](const Sent& a, const Sent& b) { return a.arrival < b.arrival; });
        JitterBuffer jb(config);
        const std::uint8_t payload[3] = {7, 7, 7};
        std::size_t next = 0;
        const TimePoint end = net.back().arrival + 2s;
        for (TimePoint now = t0 + 7ms; now < end; now += 20ms) {
            for (; next < net.size() && net[next].arrival <= now; ++next) {
                jb.insert(net[next].seq, net[next].ts, false, payload, net[next].arrival);
            }
            const PlayoutFrame f = jb.pop(now);
            if (f.kind == PlayoutFrame::Kind::Buffering && frames.empty()) continue;
            frames.push_back(f);
            delays.push_back(jb.stats().currentDelay);
            if (f.kind == PlayoutFrame::Kind::Packet) {
                EXPECT_TRUE(played.insert(f.sequenceNumber).second) << "played twice: " << f.sequenceNumber;
            }
            if (next == net.size() && jb.size() == 0) break; // drained: the call is over
        }
        return jb;
    }

    std::size_t frameCount(PlayoutFrame::Kind kind) const
    {
        return static_cast<std::size_t>(std::count_if(frames.begin(), frames.end(),
                                                      [&](const PlayoutFrame& f) { return f.kind == kind; }));
    }

    // Once playout has started every pop yields a frame, and the timeline moves by 0 (Expand),
    // one frame, or two (a frame dropped to shrink the delay, or silence skipped).
    void expectNoGap() const
    {
        for (std::size_t i = 1; i < frames.size(); ++i) {
            ASSERT_NE(frames[i].kind, PlayoutFrame::Kind::Buffering) << "gap at frame " << i;
            if (frames[i].kind == PlayoutFrame::Kind::Expand ||
                frames[i - 1].kind == PlayoutFrame::Kind::Expand)
                continue;
            const std::uint32_t step = frames[i].timestamp - frames[i - 1].timestamp;
            EXPECT_TRUE(step == kFrame || step == 2 * kFrame) << "step " << step << " at frame " << i;
        }
    }

    std::chrono::microseconds maxDelayAfter(std::size_t skip) const
    {
        std::chrono::microseconds m{0};
        for (std::size_t i = skip; i < delays.size(); ++i)
            m = std::max(m, delays[i]);
        return m;
    }
};

} // namespace

TEST(JitterBuffer, PlaysACleanStreamInOrderWithoutConcealment)
{
    Sim sim;
    const JitterBuffer jb = sim.run();
    EXPECT_EQ(jb.stats().packets, sim.packets);
    EXPECT_EQ(jb.stats().lost, 0u);
    EXPECT_EQ(jb.stats().late, 0u);
    EXPECT_EQ(sim.frameCount(PlayoutFrame::Kind::Conceal), 0u);
    // It starts at the 60 ms initial target; with no jitter the target falls to its 20 ms floor
    // and the buffer drops up to three frames (at most one per 500 ms) to follow it, until the
    // delay is within 3/4 frame above the target.
    EXPECT_LE(jb.stats().dropped, 3u);
    EXPECT_EQ(sim.played.size() + jb.stats().dropped, sim.packets);
    sim.expectNoGap();
    EXPECT_EQ(jb.stats().targetDelay, 20ms);
    EXPECT_LE(sim.maxDelayAfter(100), 20ms + 15ms);
    EXPECT_EQ(jb.stats().jitter, 0us);
}

TEST(JitterBuffer, CountsExactlyTheInjectedLossUnderSeededJitter)
{
    std::mt19937 rng(1234);
    std::vector<std::chrono::microseconds> jitter(3000);
    std::vector<bool> drop(3000);
    for (std::size_t i = 0; i < 3000; ++i) {
        jitter[i] = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40000)(rng));
        drop[i] = std::uniform_int_distribution<int>(0, 99)(rng) == 0; // 1 %
    }
    Sim sim;
    sim.packets = 3000;
    sim.delay = [&](std::size_t i) { return jitter[i]; };
    sim.lost = [&](std::size_t i) { return bool(drop[i]); };
    const JitterBuffer jb = sim.run();
    const auto& st = jb.stats();
    ASSERT_GT(sim.injectedLoss, 10u);
    EXPECT_EQ(st.lost, sim.injectedLoss);
    EXPECT_EQ(st.packets, sim.packets - sim.injectedLoss);
    // Every packet sent is accounted for exactly once.
    EXPECT_EQ(sim.played.size() + st.dropped + st.late + st.lost, sim.packets);
    EXPECT_LE(st.late, sim.packets / 100); // the 95th percentile target covers most of it
    sim.expectNoGap();
    // Delay stays near the 0..40 ms jitter, well below the 400 ms ceiling.
    EXPECT_GE(st.targetDelay, 35ms);
    EXPECT_LE(sim.maxDelayAfter(100), 90ms);
    EXPECT_GT(st.jitter, 5ms);
}

TEST(JitterBuffer, ReportsBurstLengthAndOffersTheNextPacketForFec)
{
    Sim sim;
    sim.packets = 600;
    sim.lost = [](std::size_t i) { return i % 100 >= 50 && i % 100 < 55; }; // bursts of 5
    // With 150 ms buffered the packet after a burst is already there when the burst plays out.
    JitterBufferConfig config;
    config.minDelay = 150ms;
    const JitterBuffer jb = sim.run(config);
    EXPECT_EQ(sim.injectedLoss, 30u);
    EXPECT_EQ(jb.stats().lost, 30u);
    // Each burst is announced as 5, 4, 3, 2, 1 frames missing.
    std::vector<unsigned> missing;
    for (const PlayoutFrame& f : sim.frames) {
        if (f.kind == PlayoutFrame::Kind::Conceal) missing.push_back(f.missingFrames);
    }
    ASSERT_EQ(missing.size(), 30u);
    for (std::size_t i = 0; i < missing.size(); ++i)
        EXPECT_EQ(missing[i], 5 - i % 5);
    EXPECT_EQ(jb.stats().concealed, 30 * 20ms);
    sim.expectNoGap();
}

TEST(JitterBuffer, PeekNextShowsThePacketAfterAGap)
{
    JitterBuffer jb;
    const std::uint8_t a[1] = {1}, c[1] = {3};
    jb.insert(10, 0, true, a, t0);
    jb.insert(12, 2 * kFrame, false, c, t0 + 40ms);
    TimePoint now = t0;
    PlayoutFrame f;
    do {
        now += 20ms;
        f = jb.pop(now);
    } while (f.kind == PlayoutFrame::Kind::Buffering || f.kind == PlayoutFrame::Kind::Expand);
    EXPECT_EQ(f.kind, PlayoutFrame::Kind::Packet);
    EXPECT_EQ(f.sequenceNumber, 10);
    EXPECT_TRUE(f.marker);
    const auto next = jb.peekNext();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->sequenceNumber, 12); // its in-band FEC carries frame 11
    EXPECT_EQ(next->payload[0], 3);
    f = jb.pop(now + 20ms);
    EXPECT_EQ(f.kind, PlayoutFrame::Kind::Conceal);
    EXPECT_EQ(f.sequenceNumber, 11);
    EXPECT_EQ(f.missingFrames, 1u);
    f = jb.pop(now + 40ms);
    EXPECT_EQ(f.kind, PlayoutFrame::Kind::Packet);
    EXPECT_EQ(f.sequenceNumber, 12);
}

TEST(JitterBuffer, PutsReorderedPacketsBackInOrder)
{
    Sim sim;
    // Every 7th packet overtakes its predecessor by arriving 25 ms sooner than it.
    sim.delay = [](std::size_t i) { return i % 7 == 3 ? 25ms : 0ms; };
    const JitterBuffer jb = sim.run();
    EXPECT_EQ(jb.stats().lost, 0u);
    EXPECT_EQ(jb.stats().late, 0u);
    EXPECT_EQ(sim.played.size() + jb.stats().dropped, sim.packets);
    std::uint16_t last = 0;
    bool first = true;
    for (const PlayoutFrame& f : sim.frames) {
        if (f.kind != PlayoutFrame::Kind::Packet) continue;
        if (!first) {
            EXPECT_GT(static_cast<std::int16_t>(f.sequenceNumber - last), 0);
        }
        last = f.sequenceNumber;
        first = false;
    }
    sim.expectNoGap();
}

TEST(JitterBuffer, CountsDuplicatesAndPlaysEachPacketOnce)
{
    Sim sim;
    sim.duplicate = [](std::size_t i) { return i % 10 == 0; };
    const JitterBuffer jb = sim.run();
    EXPECT_EQ(jb.stats().duplicates, sim.injectedDuplicates);
    EXPECT_EQ(jb.stats().packets, sim.packets);
    EXPECT_EQ(jb.stats().lost, 0u);
}

TEST(JitterBuffer, GrowsAtOnceOnADelaySpikeAndShrinksSlowly)
{
    Sim sim;
    sim.packets = 1500;
    // Packets 500..509 are held back 200 ms (a congested router), arriving in a bunch.
    sim.delay = [](std::size_t i) {
        return i >= 500 && i < 510 ? std::chrono::microseconds(200ms - (i - 500) * 20ms) : 0us;
    };
    const JitterBuffer jb = sim.run();
    const auto& st = jb.stats();
    EXPECT_GT(st.late, 0u);
    EXPECT_EQ(st.lost, 0u); // late, not lost
    EXPECT_EQ(sim.played.size() + st.dropped + st.late, sim.packets);
    EXPECT_GT(st.expanded, 5u); // grew
    // Frames 512..530 (right after the spike) run at a delay that covers it.
    EXPECT_GE(sim.delays[530], 150ms);
    // 20 s later the target has come back down, at no more than 25 ms/s.
    EXPECT_LE(st.targetDelay, 40ms);
    sim.expectNoGap();
}

TEST(JitterBuffer, StaysBoundedWithASenderClockFastOrSlowByOnePerMille)
{
    for (const double drift : {0.001, -0.001}) {
        Sim sim;
        sim.packets = 30000; // 10 minutes
        sim.drift = drift;
        std::mt19937 rng(99);
        std::vector<std::chrono::microseconds> jitter(sim.packets);
        for (auto& j : jitter)
            j = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 10000)(rng));
        sim.delay = [&](std::size_t i) { return jitter[i]; };
        const JitterBuffer jb = sim.run();
        const auto& st = jb.stats();
        SCOPED_TRACE(drift > 0 ? "sender fast" : "sender slow");
        // 0.1 % of 600 s is 600 ms: 30 frames to drop (fast sender) or to insert (slow sender).
        if (drift > 0) {
            EXPECT_GE(st.dropped, 25u);
            EXPECT_LE(st.dropped, 40u);
        } else {
            EXPECT_GE(st.expanded, 25u);
            EXPECT_LE(st.expanded, 45u);
        }
        EXPECT_EQ(st.lost, 0u);
        EXPECT_LE(sim.maxDelayAfter(250), 80ms);
        std::chrono::microseconds minDelay = 1h;
        for (std::size_t i = 250; i < sim.delays.size(); ++i)
            minDelay = std::min(minDelay, sim.delays[i]);
        EXPECT_GE(minDelay, 0us);
        sim.expectNoGap();
    }
}

TEST(JitterBuffer, PlaysSilenceThroughDtxWithoutCallingItLoss)
{
    // The sender pauses (DTX) after packets 100 and 200: sequence numbers continue, timestamps
    // and send times jump by 5 frames (shorter than the buffer) and by 50 frames (longer).
    auto pause = [](std::size_t i) -> std::size_t { return (i > 100 ? 5 : 0) + (i > 200 ? 50 : 0); };
    Sim sim;
    sim.packets = 400;
    sim.timestamp = [&](std::size_t i) { return static_cast<std::uint32_t>((i + pause(i)) * kFrame); };
    sim.delay = [&](std::size_t i) { return std::chrono::microseconds(pause(i) * 20ms); };
    JitterBufferConfig config;
    config.minDelay = 150ms;
    const JitterBuffer jb = sim.run(config);
    EXPECT_EQ(jb.stats().lost, 0u);
    EXPECT_EQ(jb.stats().late, 0u);
    EXPECT_EQ(sim.played.size() + jb.stats().dropped, sim.packets);
    // The short pause is known from the buffered packet's timestamp: Silence. The long one
    // empties the buffer: concealment until the next talkspurt's first packet is buffered,
    // silence from then until its time.
    EXPECT_GE(sim.frameCount(PlayoutFrame::Kind::Silence), 5u);
    EXPECT_GE(sim.frameCount(PlayoutFrame::Kind::Conceal), 40u);
    EXPECT_EQ(sim.frameCount(PlayoutFrame::Kind::Silence) + sim.frameCount(PlayoutFrame::Kind::Conceal), 55u);
    sim.expectNoGap();
}

TEST(JitterBuffer, ResetsWhenTheSenderRestartsItsSequence)
{
    JitterBuffer jb;
    const std::uint8_t p[1] = {0};
    EXPECT_EQ(jb.insert(100, 0, false, p, t0), JitterInsert::Stored);
    EXPECT_EQ(jb.insert(30000, 5000, false, p, t0 + 20ms), JitterInsert::Reset);
    EXPECT_EQ(jb.stats().resets, 1u);
    EXPECT_EQ(jb.size(), 1u);
    EXPECT_EQ(jb.insert(30001, 5960, false, p, t0 + 40ms), JitterInsert::Stored);
}

TEST(JitterBuffer, RefusesPayloadsOverItsPreallocatedSize)
{
    JitterBufferConfig c;
    c.maxPayload = 100;
    JitterBuffer jb(c);
    std::vector<std::uint8_t> big(101);
    EXPECT_EQ(jb.insert(1, 0, false, big, t0), JitterInsert::TooLarge);
    EXPECT_EQ(jb.stats().tooLarge, 1u);
    EXPECT_EQ(jb.size(), 0u);
}

TEST(JitterBuffer, ALatePacketIsLateNotLost)
{
    Sim sim;
    sim.packets = 200;
    sim.delay = [](std::size_t i) { return i == 120 ? 500ms : 0ms; };
    const JitterBuffer jb = sim.run();
    EXPECT_EQ(jb.stats().late, 1u);
    EXPECT_EQ(jb.stats().lost, 0u);
    EXPECT_EQ(sim.played.count(static_cast<std::uint16_t>(sim.firstSeq + 120)), 0u);
}
