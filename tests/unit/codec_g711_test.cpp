// G.711 µ-law/A-law: known values from ITU-T G.711 tables, every code against FFmpeg's
// pcm_mulaw/pcm_alaw (an independent implementation), and the codec's frame and PLC behaviour.
#include "codec/codec_factory.h"
#include "codec/g711.h"

#include "audio_test_signals.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
}

#include <gtest/gtest.h>

#include <vector>

using namespace vphone::media;

namespace {

CodecRequest request(std::string name, int clockRate)
{
    CodecRequest r;
    r.encodingName = std::move(name);
    r.clockRate = clockRate;
    return r;
}

/// Runs FFmpeg's decoder for `id` over all 256 codes.
std::vector<int16_t> ffmpegDecodeAll(AVCodecID id)
{
    const AVCodec* codec = avcodec_find_decoder(id);
    AVCodecContext* ctx = avcodec_alloc_context3(codec);
    ctx->sample_rate = 8000;
    const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    av_channel_layout_copy(&ctx->ch_layout, &mono);
    EXPECT_EQ(avcodec_open2(ctx, codec, nullptr), 0);
    std::vector<uint8_t> codes(256);
    for (int i = 0; i < 256; ++i)
        codes[std::size_t(i)] = uint8_t(i);
    AVPacket* pkt = av_packet_alloc();
    pkt->data = codes.data();
    pkt->size = 256;
    EXPECT_EQ(avcodec_send_packet(ctx, pkt), 0);
    AVFrame* frame = av_frame_alloc();
    EXPECT_EQ(avcodec_receive_frame(ctx, frame), 0);
    std::vector<int16_t> out(reinterpret_cast<int16_t*>(frame->data[0]),
                             reinterpret_cast<int16_t*>(frame->data[0]) + frame->nb_samples);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx);
    return out;
}

} // namespace

TEST(G711, UlawMatchesKnownValues)
{
    // G.711 Table 2a: code 0xFF (and 0x7F) is zero; 0x80 / 0x00 are +/-8031 in 14-bit units,
    // i.e. +/-32124 in 16 bits; the encoder maps 0 to 0xFF and the extremes to 0x80 / 0x00.
    EXPECT_EQ(ulawToLinear(0xFF), 0);
    EXPECT_EQ(ulawToLinear(0x7F), 0);
    EXPECT_EQ(ulawToLinear(0x80), 32124);
    EXPECT_EQ(ulawToLinear(0x00), -32124);
    EXPECT_EQ(ulawToLinear(0xFE), 8); // first step: 2 in 14-bit units
    EXPECT_EQ(linearToUlaw(0), 0xFF);
    EXPECT_EQ(linearToUlaw(32767), 0x80);
    EXPECT_EQ(linearToUlaw(-32768), 0x00);
}

TEST(G711, AlawMatchesKnownValues)
{
    // G.711 Table 1a: 0xD5 / 0x55 are the smallest positive / negative steps (+/-8 in 16 bits),
    // 0xAA / 0x2A the largest (+/-32256).
    EXPECT_EQ(alawToLinear(0xD5), 8);
    EXPECT_EQ(alawToLinear(0x55), -8);
    EXPECT_EQ(alawToLinear(0xAA), 32256);
    EXPECT_EQ(alawToLinear(0x2A), -32256);
    EXPECT_EQ(linearToAlaw(0), 0xD5);
    EXPECT_EQ(linearToAlaw(-1), 0x55);
    EXPECT_EQ(linearToAlaw(32767), 0xAA);
    EXPECT_EQ(linearToAlaw(-32768), 0x2A);
}

TEST(G711, EveryCodeDecodesAsFfmpegDecodesIt)
{
    const auto ulaw = ffmpegDecodeAll(AV_CODEC_ID_PCM_MULAW);
    const auto alaw = ffmpegDecodeAll(AV_CODEC_ID_PCM_ALAW);
    ASSERT_EQ(ulaw.size(), 256u);
    ASSERT_EQ(alaw.size(), 256u);
    for (int c = 0; c < 256; ++c) {
        EXPECT_EQ(ulawToLinear(uint8_t(c)), ulaw[std::size_t(c)]) << "u-law code " << c;
        EXPECT_EQ(alawToLinear(uint8_t(c)), alaw[std::size_t(c)]) << "A-law code " << c;
    }
}

TEST(G711, EncodingADecodedValueGivesItsCodeBack)
{
    for (int c = 0; c < 256; ++c) {
        if (c != 0x7F) {
            EXPECT_EQ(linearToUlaw(ulawToLinear(uint8_t(c))), c) << "u-law code " << c;
        }
        EXPECT_EQ(linearToAlaw(alawToLinear(uint8_t(c))), c) << "A-law code " << c;
    }
}

TEST(G711, EncoderPicksACodeWithinHalfAStepOfEverySample)
{
    // The quantisation error of every 16-bit input stays within the step size of its segment.
    for (int v = -32768; v <= 32767; ++v) {
        const auto s = int16_t(v);
        const int ue = std::abs(ulawToLinear(linearToUlaw(s)) - v);
        const int ae = std::abs(alawToLinear(linearToAlaw(s)) - v);
        ASSERT_LE(ue, std::max(8, std::abs(v) / 16 + 132)) << v;
        ASSERT_LE(ae, std::max(16, std::abs(v) / 16 + 16)) << v;
    }
}

TEST(G711, CodecRoundTripKeepsAToneAtAboutThirtyDecibelsSnr)
{
    for (const char* name : {"PCMU", "PCMA"}) {
        auto codec = makeAudioCodec(request(name, 8000));
        ASSERT_TRUE(codec) << codec.error().what;
        const auto& f = (*codec)->format();
        EXPECT_EQ(f.sampleRate, 8000);
        EXPECT_EQ(f.frameSamples, 160u);
        EXPECT_EQ(f.rtpTimestampStep(), 160u);
        const auto in = test::sine(1000, 8000, 160);
        std::vector<uint8_t> payload(f.maxPayloadBytes);
        auto n = (*codec)->encode(in, payload);
        ASSERT_TRUE(n);
        EXPECT_EQ(*n, 160u);
        std::vector<int16_t> out(160);
        auto m = (*codec)->decode(std::span(payload).first(*n), out);
        ASSERT_TRUE(m);
        EXPECT_EQ(*m, 160u);
        EXPECT_GT(test::snrDb(in, out), 30) << name;
    }
}

TEST(G711, ConcealmentRepeatsTheLastFrameFadingToSilenceOverFourFrames)
{
    G711Codec codec(G711Law::Ulaw, 160);
    const auto in = test::sine(500, 8000, 160, 8000);
    std::vector<uint8_t> payload(160);
    ASSERT_TRUE(codec.encode(in, payload));
    std::vector<int16_t> decoded(160);
    ASSERT_TRUE(codec.decode(payload, decoded));
    double previous = 1e300;
    for (int lost = 1; lost <= 5; ++lost) {
        std::vector<int16_t> plc(160, 1234);
        auto n = codec.conceal(plc);
        ASSERT_TRUE(n);
        EXPECT_EQ(*n, 160u); // a whole frame every time
        double energy = 0;
        for (auto s : plc)
            energy += double(s) * s;
        EXPECT_LT(energy, previous) << "loss " << lost;
        previous = energy;
        if (lost >= 5) {
            EXPECT_EQ(energy, 0) << "loss " << lost;
        }
    }
    ASSERT_TRUE(codec.decode(payload, decoded)); // a good frame resets the fade
    std::vector<int16_t> plc(160);
    ASSERT_TRUE(codec.conceal(plc));
    EXPECT_GT(std::abs(plc[42]), 0);
}

TEST(G711, WrongFrameSizesAreErrorsNotCrashes)
{
    G711Codec codec(G711Law::Alaw, 160);
    std::vector<int16_t> shortFrame(100);
    std::vector<uint8_t> out(160);
    auto r = codec.encode(shortFrame, out);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().what.find("expected 160"), std::string::npos) << r.error().what;
    std::vector<int16_t> tiny(10);
    EXPECT_FALSE(codec.decode(out, tiny));
    EXPECT_FALSE(codec.decode({}, tiny));
}
