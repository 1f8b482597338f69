// Opus through libopus (RFC 6716/7587): tone round trips (Goertzel), stereo, in-band FEC
// recovery of a lost frame, PLC length, DTX, and the fmtp parameters.
#include "codec/codec_factory.h"
#include "codec/opus_codec.h"
#include "dsp/goertzel.h"

#include "audio_test_signals.h"

#include <gtest/gtest.h>

#include <vector>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

CodecRequest request(std::string name, int clockRate)
{
    CodecRequest r;
    r.encodingName = std::move(name);
    r.clockRate = clockRate;
    return r;
}

/// An OpusConfig with some fields changed from the defaults.
template <class F> OpusConfig opusConfig(F change)
{
    OpusConfig c;
    change(c);
    return c;
}

std::unique_ptr<OpusCodec> makeOpus(OpusConfig c = {})
{
    auto codec = OpusCodec::create(c);
    EXPECT_TRUE(codec) << (codec ? "" : codec.error().what);
    return codec ? std::move(*codec) : nullptr;
}

/// Encodes `frames` consecutive frames of the signal; returns the packets.
std::vector<std::vector<uint8_t>> encodeAll(OpusCodec& codec, const std::vector<int16_t>& signal)
{
    const std::size_t len = codec.format().frameLength();
    std::vector<std::vector<uint8_t>> packets;
    std::vector<uint8_t> buf(codec.format().maxPayloadBytes);
    for (std::size_t at = 0; at + len <= signal.size(); at += len) {
        auto n = codec.encode(std::span(signal).subspan(at, len), buf);
        EXPECT_TRUE(n) << (n ? "" : n.error().what);
        packets.emplace_back(buf.begin(), buf.begin() + std::ptrdiff_t(n ? *n : 0));
    }
    return packets;
}

} // namespace

TEST(Opus, DecodedToneKeepsItsFrequency)
{
    auto codec = makeOpus();
    ASSERT_TRUE(codec);
    const auto& f = codec->format();
    EXPECT_EQ(f.encodingName, "opus");
    EXPECT_EQ(f.sampleRate, 48000);
    EXPECT_EQ(f.rtpClockRate, 48000);
    EXPECT_EQ(f.frameSamples, 960u);
    EXPECT_EQ(f.rtpTimestampStep(), 960u);
    const auto tone = test::sine(1000, 48000, 960 * 50);
    const auto packets = encodeAll(*codec, tone);
    ASSERT_EQ(packets.size(), 50u);
    std::vector<int16_t> out(5760);
    for (std::size_t i = 0; i < packets.size(); ++i) {
        auto n = codec->decode(packets[i], out);
        ASSERT_TRUE(n) << n.error().what;
        ASSERT_EQ(*n, 960u);
        if (i < 5) continue; // encoder look-ahead and start-up
        const auto frame = std::span<const int16_t>(out).first(960);
        EXPECT_GT(toneEnergyRatio(frame, 1000, 48000), 0.9) << "frame " << i;
        EXPECT_LT(toneEnergyRatio(frame, 1200, 48000), 0.1) << "frame " << i;
        EXPECT_GT(rmsDbfs(frame), -14) << "frame " << i; // amplitude 10000 is about -13.3 dBFS
    }
}

TEST(Opus, StereoKeepsEachChannelsTone)
{
    auto config = applyOpusFmtp(opusConfig([](auto& c) {
                                    c.channels = 2;
                                    c.bitrate = 64000;
                                }),
                                {{"stereo", "1"}});
    ASSERT_TRUE(config);
    EXPECT_TRUE(config->sendStereo);
    auto codec = makeOpus(*config);
    ASSERT_TRUE(codec);
    const auto left = test::sine(440, 48000, 960 * 30);
    const auto right = test::sine(1500, 48000, 960 * 30);
    std::vector<int16_t> stereo(left.size() * 2);
    for (std::size_t i = 0; i < left.size(); ++i) {
        stereo[2 * i] = left[i];
        stereo[2 * i + 1] = right[i];
    }
    const auto packets = encodeAll(*codec, stereo);
    std::vector<int16_t> out(5760 * 2);
    for (std::size_t i = 0; i < packets.size(); ++i) {
        auto n = codec->decode(packets[i], out);
        ASSERT_TRUE(n);
        if (i < 5) continue;
        const auto frame = std::span<const int16_t>(out).first(*n * 2);
        const auto l = test::channel(frame, 2, 0);
        const auto r = test::channel(frame, 2, 1);
        EXPECT_GT(toneEnergyRatio(l, 440, 48000), 0.8) << "frame " << i;
        EXPECT_GT(toneEnergyRatio(r, 1500, 48000), 0.8) << "frame " << i;
    }
}

TEST(Opus, InBandFecRebuildsALostFrameBetterThanConcealment)
{
    const OpusConfig c = opusConfig([](auto& o) {
        o.bitrate = 24000;
        o.inbandFec = true;
        o.expectedLossPercent = 20;
    });
    auto sender = makeOpus(c);
    auto withFec = makeOpus(c);
    auto plcOnly = makeOpus(c);
    auto reference = makeOpus(c);
    ASSERT_TRUE(sender && withFec && plcOnly && reference);
    // A voiced-speech-like signal: a 200 Hz fundamental with harmonics, slowly gliding.
    std::vector<int16_t> signal(960 * 40);
    for (std::size_t i = 0; i < signal.size(); ++i) {
        const double t = double(i) / 48000;
        const double f0 = 180 + 40 * t;
        double v = 0;
        for (int h = 1; h <= 6; ++h)
            v += std::sin(2 * std::numbers::pi * f0 * h * t) / h;
        signal[i] = int16_t(5000 * v);
    }
    const auto packets = encodeAll(*sender, signal);
    // libopus adds LBRR data to most voiced packets, not all: lose one whose successor has it.
    std::size_t withLbrr = 0;
    std::size_t kLost = 0;
    for (std::size_t i = 10; i + 1 < packets.size(); ++i) {
        if (!OpusCodec::hasFec(packets[i + 1])) continue;
        ++withLbrr;
        if (kLost == 0 && i >= 20) kLost = i;
    }
    EXPECT_GT(withLbrr, 15u) << "of 29 packets";
    ASSERT_NE(kLost, 0u);

    std::vector<int16_t> ref(5760);
    std::vector<int16_t> fec(5760);
    std::vector<int16_t> plc(5760);
    std::vector<int16_t> scratch(5760);
    std::vector<int16_t> refLost;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        ASSERT_TRUE(reference->decode(packets[i], ref));
        if (i == kLost) {
            refLost.assign(ref.begin(), ref.begin() + 960);
            auto n = withFec->recover(packets[i + 1], fec);
            ASSERT_TRUE(n) << n.error().what;
            EXPECT_EQ(*n, 960u);
            auto m = plcOnly->conceal(plc);
            ASSERT_TRUE(m);
            EXPECT_EQ(*m, 960u);
            continue;
        }
        ASSERT_TRUE(withFec->decode(packets[i], scratch));
        ASSERT_TRUE(plcOnly->decode(packets[i], scratch));
    }
    const double fecSnr = test::snrDb(refLost, std::span(fec).first(960));
    const double plcSnr = test::snrDb(refLost, std::span(plc).first(960));
    EXPECT_GT(fecSnr, 3.0) << "FEC frame resembles the lost one";
    EXPECT_GT(fecSnr, plcSnr + 3.0) << "FEC " << fecSnr << " dB vs PLC " << plcSnr << " dB";
}

TEST(Opus, ConcealmentGivesOneFrameOfTheLastPacketsDuration)
{
    for (auto frame : {10ms, 20ms, 40ms, 60ms}) {
        auto codec = makeOpus(opusConfig([&](auto& c) { c.frame = frame; }));
        ASSERT_TRUE(codec);
        const std::size_t samples = std::size_t(48 * frame.count());
        std::vector<int16_t> out(5760);
        auto n = codec->conceal(out); // before any packet: the configured frame
        ASSERT_TRUE(n);
        EXPECT_EQ(*n, samples);
        const auto packets = encodeAll(*codec, test::sine(700, 48000, samples * 3));
        ASSERT_TRUE(codec->decode(packets[0], out));
        n = codec->conceal(out);
        ASSERT_TRUE(n);
        EXPECT_EQ(*n, samples) << frame.count() << " ms";
    }
}

TEST(Opus, DtxSendsNothingForMostSilentFrames)
{
    auto config = applyOpusFmtp({}, {{"usedtx", "1"}});
    ASSERT_TRUE(config);
    EXPECT_TRUE(config->dtx);
    auto codec = makeOpus(*config);
    ASSERT_TRUE(codec);
    const auto packets = encodeAll(*codec, std::vector<int16_t>(960 * 50, 0));
    std::size_t empty = 0;
    for (const auto& p : packets)
        empty += p.empty() ? 1 : 0;
    EXPECT_GE(empty, 30u) << "of 50 silent frames"; // start-up, then one refresh per 400 ms
    auto noDtx = makeOpus();
    for (const auto& p : encodeAll(*noDtx, std::vector<int16_t>(960 * 10, 0)))
        EXPECT_FALSE(p.empty());
}

TEST(Opus, FmtpShapesTheEncoder)
{
    auto c = applyOpusFmtp(opusConfig([](auto& o) {
                               o.channels = 2;
                               o.bitrate = 64000;
                           }),
                           {{"maxaveragebitrate", "20000"},
                            {"useinbandfec", "1"},
                            {"maxplaybackrate", "16000"},
                            {"cbr", "1"},
                            {"sprop-maxcapturerate", "16000"}});
    ASSERT_TRUE(c) << c.error().what;
    EXPECT_EQ(c->bitrate, 20000);
    EXPECT_TRUE(c->inbandFec);
    EXPECT_FALSE(c->dtx);
    EXPECT_TRUE(c->cbr);
    EXPECT_FALSE(c->sendStereo) << "no stereo=1: the receiver prefers mono";
    EXPECT_EQ(c->maxBandwidthHz, 16000);
    EXPECT_TRUE(OpusCodec::create(*c));

    auto higher =
        applyOpusFmtp(opusConfig([](auto& o) { o.bitrate = 32000; }), {{"maxaveragebitrate", "128000"}});
    ASSERT_TRUE(higher);
    EXPECT_EQ(higher->bitrate, 32000) << "a cap never raises our bitrate";
}

TEST(Opus, BadFmtpValuesAreErrorsNamingTheParameter)
{
    const std::vector<std::pair<FmtpParams, std::string>> cases = {
        {{{"maxaveragebitrate", "abc"}}, "fmtp maxaveragebitrate: 'abc' is not a number"},
        {{{"maxaveragebitrate", "900000"}}, "fmtp maxaveragebitrate: 900000 is outside 6000..510000"},
        {{{"useinbandfec", "2"}}, "fmtp useinbandfec: 2 is outside 0..1"},
        {{{"stereo", ""}}, "fmtp stereo: '' is not a number"},
        {{{"usedtx", "1x"}}, "fmtp usedtx: '1x' is not a number"},
    };
    for (const auto& [fmtp, what] : cases) {
        auto r = applyOpusFmtp({}, fmtp);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().what, what);
    }
}

TEST(Opus, BadSettingsAndPacketsAreErrors)
{
    EXPECT_FALSE(OpusCodec::create(opusConfig([](auto& c) { c.frame = 30ms; })));
    EXPECT_FALSE(OpusCodec::create(opusConfig([](auto& c) { c.channels = 3; })));
    EXPECT_FALSE(OpusCodec::create(opusConfig([](auto& c) { c.bitrate = 1000; })));
    EXPECT_FALSE(OpusCodec::create(opusConfig([](auto& c) { c.complexity = 11; })));
    auto codec = makeOpus();
    ASSERT_TRUE(codec);
    std::vector<int16_t> out(5760);
    const std::vector<uint8_t> garbage = {0xFF, 0xFF, 0xFF}; // code 3, a frame count of 63: invalid
    EXPECT_FALSE(codec->decode(garbage, out));
    EXPECT_FALSE(codec->decode({}, out));
    std::vector<uint8_t> buf(100);
    EXPECT_FALSE(codec->encode(std::vector<int16_t>(100), buf));
    EXPECT_FALSE(makeAudioCodec(request("opus", 8000)));
    EXPECT_FALSE(makeAudioCodec(request("GSM", 8000)));
}

TEST(Opus, FactoryBuildsFromTheNegotiatedPayloadType)
{
    CodecRequest r = request("OPUS", 48000);
    r.ptime = 40ms;
    r.fmtp = {{"useinbandfec", "1"}};
    auto codec = makeAudioCodec(r);
    ASSERT_TRUE(codec) << codec.error().what;
    EXPECT_EQ((*codec)->format().frameSamples, 1920u);
    auto* opus = dynamic_cast<OpusCodec*>(codec->get());
    ASSERT_NE(opus, nullptr);
    EXPECT_TRUE(opus->config().inbandFec);
}
