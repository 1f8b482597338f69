// RTP session state: RFC 3550 A.1 sequence validation, A.3 loss, A.8 jitter, A.7 report timing,
// LSR/DLSR round-trip time, SSRC collision and source lifetime. Virtual clock only.
#include "rtp/rtp_session.h"

#include <gtest/gtest.h>

#include <deque>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

const TimePoint t0{};

std::vector<std::uint8_t> rtp(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts)
{
    RtpHeader h;
    h.payloadType = 111;
    h.sequenceNumber = seq;
    h.timestamp = ts;
    h.ssrc = ssrc;
    const std::uint8_t payload[4] = {1, 2, 3, 4};
    return serializeRtp(h, payload);
}

RtpSessionConfig config(std::uint32_t ssrc, std::uint64_t seed)
{
    RtpSessionConfig c;
    c.ssrc = ssrc;
    c.initialSequence = static_cast<std::uint16_t>(seed * 7);
    c.cname = "test-" + std::to_string(ssrc);
    c.randomSeed = seed;
    c.ntp = NtpClock{t0, std::uint64_t{3900000000u} << 32};
    return c;
}

template <class T> std::vector<T> eventsOf(RtpSession& s)
{
    std::vector<T> out;
    while (auto e = s.pollEvent()) {
        if (auto* t = std::get_if<T>(&*e)) out.push_back(*t);
    }
    return out;
}

} // namespace

TEST(RtpSource, ValidatesAfterTwoInOrderPacketsAndCountsFromThere)
{
    RtpSource s(1, 48000, 100, t0);
    EXPECT_EQ(s.update(100, 0, t0), SeqVerdict::Probation);
    EXPECT_FALSE(s.validated());
    EXPECT_EQ(s.update(101, 960, t0 + 20ms), SeqVerdict::Valid);
    EXPECT_TRUE(s.validated());
    EXPECT_EQ(s.received(), 1u);
    EXPECT_EQ(s.expected(), 1);
}

TEST(RtpSource, ExtendsSequenceNumbersAcrossTheWrap)
{
    RtpSource s(1, 48000, 65530, t0);
    std::uint16_t seq = 65530;
    for (int i = 0; i < 20; ++i, ++seq)
        s.update(seq, i * 960u, t0 + i * 20ms);
    EXPECT_EQ(s.extendedHighestSeq(), 65536u + 13);
    EXPECT_EQ(s.cumulativeLost(), 0);
    EXPECT_EQ(s.received(), 19u);
}

TEST(RtpSource, CountsLossAndTheFractionSinceTheLastReport)
{
    RtpSource s(1, 8000, 0, t0);
    s.update(0, 0, t0);
    std::uint64_t sent = 0;
    for (std::uint16_t seq = 1; seq <= 100; ++seq) {
        if (seq % 10 == 5) continue; // 10 lost
        s.update(seq, seq * 160u, t0 + seq * 20ms);
        ++sent;
    }
    EXPECT_EQ(s.cumulativeLost(), 10);
    const ReportBlock b = s.makeReportBlock(t0 + 3s);
    EXPECT_EQ(b.cumulativeLost, 10);
    EXPECT_EQ(b.fractionLost, 10 * 256 / 100);
    EXPECT_EQ(b.extendedHighestSeq, 100u);
    // Nothing new: the next interval reports no fraction lost, same total.
    const ReportBlock again = s.makeReportBlock(t0 + 8s);
    EXPECT_EQ(again.fractionLost, 0);
    EXPECT_EQ(again.cumulativeLost, 10);
}

TEST(RtpSource, JitterFollowsA8)
{
    // Transit alternates between 0 and 40 ms (320 units at 8 kHz): |D| = 320 every packet.
    RtpSource steady(1, 8000, 0, t0);
    RtpSource jumpy(2, 8000, 0, t0);
    for (std::uint16_t seq = 0; seq < 400; ++seq) {
        steady.update(seq, seq * 160u, t0 + seq * 20ms);
        jumpy.update(seq, seq * 160u, t0 + seq * 20ms + (seq % 2 ? 40ms : 0ms));
    }
    EXPECT_EQ(steady.jitter(), 0u);
    EXPECT_GE(jumpy.jitter(), 300u);
    EXPECT_LE(jumpy.jitter(), 320u);
    const double jitterMs = std::chrono::duration<double, std::milli>(jumpy.jitterTime()).count();
    EXPECT_NEAR(jitterMs, 40.0, 2.5);
}

TEST(RtpSource, DropsAHugeJumpUntilTheNextPacketConfirmsARestart)
{
    RtpSource s(1, 8000, 10, t0);
    s.update(10, 0, t0);
    s.update(11, 160, t0);
    EXPECT_EQ(s.update(9000, 0, t0), SeqVerdict::BadSequence);
    EXPECT_EQ(s.update(12, 320, t0), SeqVerdict::Valid);
    EXPECT_EQ(s.update(20000, 0, t0), SeqVerdict::BadSequence);
    EXPECT_EQ(s.update(20001, 160, t0), SeqVerdict::Restarted);
    EXPECT_EQ(s.received(), 1u);
    EXPECT_EQ(s.update(20000, 0, t0), SeqVerdict::Reordered); // late now, after the restart
}

TEST(RtpSession, StampsOurSsrcAndConsecutiveSequenceNumbers)
{
    RtpSession s(config(0x1111, 3), t0);
    const RtpHeader a = s.nextHeader(111, 0);
    const RtpHeader b = s.nextHeader(111, 960, true);
    EXPECT_EQ(a.ssrc, 0x1111u);
    EXPECT_EQ(static_cast<std::uint16_t>(a.sequenceNumber + 1), b.sequenceNumber);
    EXPECT_TRUE(b.marker);
}

TEST(RtpSession, CountsMalformedPacketsByReasonAndDropsThem)
{
    RtpSession s(config(1, 1), t0);
    auto bad = rtp(2, 1, 0);
    bad[0] |= 0x0f; // 15 CSRCs that are not there
    const RtpReceived r = s.receiveRtp(bad, t0);
    EXPECT_FALSE(r.deliver());
    EXPECT_EQ(s.rtpErrors()[static_cast<std::size_t>(RtpError::CsrcPastEnd)], 1u);
    EXPECT_EQ(s.drops(RtpDrop::Malformed), 1u);
    EXPECT_EQ(s.receiveRtcp(std::vector<std::uint8_t>{1, 2, 3}, t0), RtcpError::TooShort);
    EXPECT_EQ(s.rtcpErrors(), 1u);
}

TEST(RtpSession, AnnouncesNewSourcesAndBoundsTheirNumber)
{
    auto c = config(1, 1);
    c.maxSources = 2;
    RtpSession s(c, t0);
    EXPECT_TRUE(s.receiveRtp(rtp(10, 1, 0), t0).deliver());
    EXPECT_TRUE(s.receiveRtp(rtp(11, 1, 0), t0).deliver());
    const RtpReceived third = s.receiveRtp(rtp(12, 1, 0), t0);
    EXPECT_EQ(third.drop, RtpDrop::TooManySources);
    EXPECT_EQ(eventsOf<SourceAdded>(s).size(), 2u);
}

TEST(RtpSession, ChangesItsSsrcAndSaysByeOnACollision)
{
    RtpSession s(config(0xabc, 9), t0);
    const RtpReceived r = s.receiveRtp(rtp(0xabc, 1, 0), t0);
    EXPECT_TRUE(r.deliver()); // the other source keeps the SSRC; we moved
    EXPECT_NE(s.ssrc(), 0xabcu);
    const auto collisions = eventsOf<SsrcCollision>(s);
    ASSERT_EQ(collisions.size(), 1u);
    EXPECT_EQ(collisions[0].oldSsrc, 0xabcu);
    EXPECT_EQ(collisions[0].newSsrc, s.ssrc());
    auto bye = s.pollRtcp();
    ASSERT_TRUE(bye);
    const RtcpParse parsed = parseRtcp(*bye);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed.packets.size(), 2u);
    EXPECT_EQ(std::get<Bye>(parsed.packets[1]).ssrcs, std::vector<std::uint32_t>{0xabc});
    EXPECT_EQ(s.nextHeader(0, 0).ssrc, s.ssrc());
}

TEST(RtpSession, RemovesSourcesOnByeAndAfterFiveSilentIntervals)
{
    RtpSession s(config(1, 1), t0);
    s.receiveRtp(rtp(10, 1, 0), t0);
    s.receiveRtp(rtp(11, 1, 0), t0);
    s.receiveRtcp(serializeRtcp(std::vector<RtcpPacket>{ReceiverReport{10, {}}, Bye{{10}, ""}}), t0 + 1s);
    EXPECT_EQ(s.source(10), nullptr);
    TimePoint now = t0;
    while (now < t0 + 40s) {
        now += 100ms;
        s.onTimeout(now);
        if (!s.source(11)) break;
    }
    EXPECT_EQ(s.source(11), nullptr);
    EXPECT_GE(now - t0, 25s); // M = 5 times the 5 s minimum interval
    EXPECT_LE(now - t0, 25100ms);
    const auto removed = eventsOf<SourceRemoved>(s);
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_EQ(removed[0].why, SourceRemoved::Why::Bye);
    EXPECT_EQ(removed[1].why, SourceRemoved::Why::Timeout);
}

TEST(RtpSession, ReportsOnTheRandomisedA7Interval)
{
    RtpSession s(config(1, 42), t0);
    const auto first = s.nextTimeout() - t0;
    // Initial: Tmin/2 = 2.5 s, times [0.5, 1.5], divided by e - 1.5.
    EXPECT_GE(first, 1020ms);
    EXPECT_LE(first, 3080ms);
    TimePoint now = t0;
    int reports = 0;
    while (now < t0 + 600s) {
        now = s.nextTimeout();
        s.onTimeout(now);
        while (auto r = s.pollRtcp()) {
            ++reports;
            const RtcpParse p = parseRtcp(*r);
            ASSERT_TRUE(p.ok());
            EXPECT_TRUE(std::holds_alternative<ReceiverReport>(p.packets[0]));
            EXPECT_EQ(std::get<Sdes>(p.packets[1]).chunks[0].cname, "test-1");
        }
    }
    // On average Tmin = 5 s → 120 reports in 600 s, give or take the randomisation.
    EXPECT_GE(reports, 100);
    EXPECT_LE(reports, 140);
}

TEST(RtpSession, SendsSenderReportsWhileSendingAndMeasuresRttFromLsrAndDlsr)
{
    RtpSession alice(config(0xa11ce, 1), t0);
    RtpSession bob(config(0xb0b, 2), t0);
    struct InFlight {
        TimePoint at;
        bool toBob;
        bool isRtcp;
        std::vector<std::uint8_t> bytes;
    };
    std::deque<InFlight> net;
    const auto oneWay = 25ms;
    std::uint32_t ts = 0;
    TimePoint nextMedia = t0;
    bool sawSr = false;
    for (TimePoint now = t0; now < t0 + 30s; now += 5ms) {
        if (now >= nextMedia) {
            const RtpHeader h = alice.nextHeader(111, ts);
            const std::uint8_t payload[20] = {};
            net.push_back({now + oneWay, true, false, serializeRtp(h, payload)});
            alice.onRtpSent(h, sizeof payload, now);
            ts += 960;
            nextMedia += 20ms;
        }
        for (RtpSession* s : {&alice, &bob}) {
            if (now >= s->nextTimeout()) s->onTimeout(now);
            while (auto r = s->pollRtcp())
                net.push_back({now + oneWay, s == &alice, true, *r});
        }
        while (!net.empty() && net.front().at <= now) {
            InFlight f = std::move(net.front());
            net.pop_front();
            RtpSession& to = f.toBob ? bob : alice;
            if (f.isRtcp) {
                if (f.toBob && parseRtcp(f.bytes).ok())
                    sawSr |= std::holds_alternative<SenderReport>(parseRtcp(f.bytes).packets[0]);
                EXPECT_EQ(to.receiveRtcp(f.bytes, now), RtcpError::None);
            } else {
                to.receiveRtp(f.bytes, now);
            }
        }
    }
    EXPECT_TRUE(sawSr);
    ASSERT_TRUE(alice.rtt());
    const double rttMs = std::chrono::duration<double, std::milli>(*alice.rtt()).count();
    EXPECT_NEAR(rttMs, 50.0, 1.0);
    EXPECT_FALSE(bob.rtt()); // bob sends no media, so no SR, so alice's blocks carry no LSR
    const RtpSource* fromAlice = bob.source(0xa11ce);
    ASSERT_NE(fromAlice, nullptr);
    EXPECT_EQ(fromAlice->cumulativeLost(), 0);
    EXPECT_EQ(alice.packetsSent(), 1500u);
    EXPECT_EQ(alice.octetsSent(), 1500u * 20);
}

TEST(RtpSession, PassesFeedbackForOurSsrcOnAndIgnoresOthers)
{
    RtpSession s(config(5, 1), t0);
    std::vector<RtcpPacket> fb{ReceiverReport{9, {}}, Nack{9, 5, {1, 2}}, Pli{9, 6}, Pli{9, 5},
                               Fir{9, {{5, 1}}}};
    EXPECT_EQ(s.receiveRtcp(serializeRtcp(fb), t0), RtcpError::None);
    std::size_t nacks = 0, plis = 0, firs = 0;
    while (auto e = s.pollEvent()) {
        nacks += std::holds_alternative<Nack>(*e);
        plis += std::holds_alternative<Pli>(*e);
        firs += std::holds_alternative<Fir>(*e);
    }
    EXPECT_EQ(nacks, 1u);
    EXPECT_EQ(plis, 1u);
    EXPECT_EQ(firs, 1u);
    s.sendFeedback(Nack{0, 9, {7}}, t0);
    const auto out = s.pollRtcp();
    ASSERT_TRUE(out);
    const RtcpParse p = parseRtcp(*out);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(std::get<Nack>(p.packets.back()).senderSsrc, 5u);
}
