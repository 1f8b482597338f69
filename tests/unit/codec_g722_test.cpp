// G.722 through FFmpeg: the 8000 Hz RTP clock for 16 kHz audio, wideband tone round trips, PLC.
#include "codec/codec_factory.h"
#include "codec/g722_codec.h"
#include "dsp/goertzel.h"

#include "audio_test_signals.h"

#include <gtest/gtest.h>

using namespace vphone::media;

namespace {
CodecRequest request(std::string name, int clockRate)
{
    CodecRequest r;
    r.encodingName = std::move(name);
    r.clockRate = clockRate;
    return r;
}
} // namespace

TEST(G722, RtpClockIsHalfTheSampleRate)
{
    auto codec = makeAudioCodec(request("G722", 8000));
    ASSERT_TRUE(codec) << codec.error().what;
    const auto& f = (*codec)->format();
    EXPECT_EQ(f.sampleRate, 16000);
    EXPECT_EQ(f.rtpClockRate, 8000);
    EXPECT_EQ(f.frameSamples, 320u);
    EXPECT_EQ(f.rtpTimestampStep(), 160u); // RFC 3551 §4.5.2
    EXPECT_EQ(f.maxPayloadBytes, 160u);    // 64 kbit/s
    EXPECT_FALSE(makeAudioCodec(request("G722", 16000)));
}

TEST(G722, RoundTripKeepsLowAndHighBandTones)
{
    for (double hz : {1000.0, 6000.0}) { // 6 kHz lives in G.722's upper sub-band
        auto made = G722Codec::create(320);
        ASSERT_TRUE(made);
        auto& codec = **made;
        const auto tone = test::sine(hz, 16000, 320 * 25);
        std::vector<uint8_t> payload(160);
        std::vector<int16_t> out(640);
        for (std::size_t i = 0; i < 25; ++i) {
            auto n = codec.encode(std::span(tone).subspan(i * 320, 320), payload);
            ASSERT_TRUE(n) << n.error().what;
            ASSERT_EQ(*n, 160u);
            auto m = codec.decode(std::span(payload).first(*n), out);
            ASSERT_TRUE(m) << m.error().what;
            ASSERT_EQ(*m, 320u);
            if (i < 3) continue;
            const auto frame = std::span<const int16_t>(out).first(320);
            EXPECT_GT(toneEnergyRatio(frame, hz, 16000), 0.9) << hz << " Hz, frame " << i;
            EXPECT_GT(rmsDbfs(frame), -16) << hz << " Hz, frame " << i;
        }
    }
}

TEST(G722, ConcealmentGivesAFadingFrame)
{
    auto made = G722Codec::create(320);
    ASSERT_TRUE(made);
    auto& codec = **made;
    const auto tone = test::sine(800, 16000, 320);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> out(640);
    ASSERT_TRUE(codec.encode(tone, payload));
    ASSERT_TRUE(codec.decode(payload, out));
    auto n = codec.conceal(out);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 320u);
}

TEST(G722, BadFramesAreErrors)
{
    EXPECT_FALSE(G722Codec::create(321));
    EXPECT_FALSE(G722Codec::create(0));
    auto made = G722Codec::create(320);
    ASSERT_TRUE(made);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> small(10);
    EXPECT_FALSE((*made)->encode(small, payload));
    EXPECT_FALSE((*made)->decode(payload, small));
    EXPECT_FALSE((*made)->decode({}, small));
}
