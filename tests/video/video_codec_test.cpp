// VideoEncoder/VideoDecoder round trips of the test pattern (H.264 via libx264, VP8 via libvpx).
#include "video/test_pattern.h"
#include "video/video_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

using namespace vphone::media;

namespace {

// FFmpeg's decoder complaints about the deliberately corrupt frames would drown the test output.
class QuietFfmpeg : public testing::Environment {
    void SetUp() override { silenceFfmpegLogs(); }
};
[[maybe_unused]] testing::Environment* const kQuiet = testing::AddGlobalTestEnvironment(new QuietFfmpeg);

struct RoundTrip {
    VideoCodecId codec;
    int width, height, kbps;
};

std::string name(const testing::TestParamInfo<RoundTrip>& info)
{
    const auto& p = info.param;
    return std::string(toString(p.codec)) + "_" + std::to_string(p.width) + "x" + std::to_string(p.height) +
           "_" + std::to_string(p.kbps) + "k";
}

class VideoRoundTrip : public testing::TestWithParam<RoundTrip> {};

TEST_P(VideoRoundTrip, EveryDecodedFrameCarriesItsNumber)
{
    const auto p = GetParam();
    VideoEncoderSettings s;
    s.codec = p.codec;
    s.width = p.width;
    s.height = p.height;
    s.bitrateKbps = p.kbps;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc) << enc.error().what;
    auto dec = VideoDecoder::create(p.codec);
    ASSERT_TRUE(dec) << dec.error().what;
    TestPattern pattern(p.width, p.height);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    std::size_t bytes = 0;
    int pictures = 0;
    for (std::uint32_t n = 0; n < 60; ++n) {
        pattern.render(1000 + n, in);
        auto e = (*enc)->encode(in, false, encoded);
        ASSERT_TRUE(e) << e.error().what;
        ASSERT_TRUE(*e) << "real-time encoders output one frame per input, frame " << n;
        EXPECT_EQ(encoded.keyframe, n == 0) << "frame " << n;
        EXPECT_EQ(encoded.width, p.width);
        bytes += encoded.data.size();
        auto d = (*dec)->decode(encoded.data, out);
        ASSERT_TRUE(d) << d.error().what;
        ASSERT_TRUE(*d) << "low-delay decoders output every frame, frame " << n;
        ++pictures;
        EXPECT_EQ(out.width, p.width);
        EXPECT_EQ(out.height, p.height);
        const auto counter = readFrameCounter(out);
        ASSERT_TRUE(counter.has_value()) << "frame " << n << " unreadable";
        EXPECT_EQ(*counter, 1000 + n);
    }
    EXPECT_EQ((*dec)->framesDecoded(), 60u);
    EXPECT_EQ((*enc)->framesEncoded(), 60u);
    // Rate control: two seconds at the target rate, within a generous margin (the first keyframe).
    const double kbitPerSecond = double(bytes) * 8 / 2.0 / 1000;
    EXPECT_LT(kbitPerSecond, p.kbps * 2.0) << "bytes " << bytes;
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, VideoRoundTrip,
    testing::Values(RoundTrip{VideoCodecId::H264, 640, 360, 800}, RoundTrip{VideoCodecId::Vp8, 640, 360, 800},
                    RoundTrip{VideoCodecId::H264, 640, 360, 300}, RoundTrip{VideoCodecId::Vp8, 640, 360, 300},
                    RoundTrip{VideoCodecId::H264, 320, 180, 300}, RoundTrip{VideoCodecId::Vp8, 320, 180, 300},
                    RoundTrip{VideoCodecId::H264, 160, 90, 150}, RoundTrip{VideoCodecId::Vp8, 160, 90, 150},
                    RoundTrip{VideoCodecId::H264, 1280, 720, 1500}),
    name);

class VideoCodecs : public testing::TestWithParam<VideoCodecId> {};

std::string codecName(const testing::TestParamInfo<VideoCodecId>& info)
{
    return std::string(toString(info.param));
}

TEST_P(VideoCodecs, ForcedKeyframesAreKeyframesAndDecodeAlone)
{
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.width = 320;
    s.height = 180;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc) << enc.error().what;
    TestPattern pattern(320, 180);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    for (std::uint32_t n = 0; n < 30; ++n) {
        pattern.render(n, in);
        const bool force = n == 10 || n == 23;
        auto e = (*enc)->encode(in, force, encoded);
        ASSERT_TRUE(e && *e);
        EXPECT_EQ(encoded.keyframe, n == 0 || force) << "frame " << n;
        if (force) {
            // A fresh decoder (a receiver joining late) decodes a forced keyframe on its own.
            auto dec = VideoDecoder::create(GetParam());
            ASSERT_TRUE(dec);
            auto d = (*dec)->decode(encoded.data, out);
            ASSERT_TRUE(d) << d.error().what;
            ASSERT_TRUE(*d);
            EXPECT_EQ(readFrameCounter(out), n);
        }
    }
}

TEST_P(VideoCodecs, BarcodeSurvivesNoisyInputAndKeyframesAtLowRate)
{
    // A camera-like noisy picture at 300 kbit/s with a keyframe every half second: the rate control
    // starves the keyframes, yet every frame's number still reads.
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.bitrateKbps = 300;
    auto enc = VideoEncoder::create(s);
    auto dec = VideoDecoder::create(GetParam());
    ASSERT_TRUE(enc && dec);
    TestPattern pattern(640, 360);
    std::mt19937 rng(9);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    int read = 0;
    for (std::uint32_t n = 0; n < 60; ++n) {
        pattern.render(n, in);
        for (auto& b : in.data)
            b = std::uint8_t(std::clamp(int(b) + int(rng() % 31) - 15, 0, 255));
        ASSERT_TRUE((*enc)->encode(in, n % 15 == 0, encoded).value());
        ASSERT_TRUE((*dec)->decode(encoded.data, out).value());
        const auto counter = readFrameCounter(out);
        EXPECT_EQ(counter, n);
        read += counter == n ? 1 : 0;
    }
    EXPECT_EQ(read, 60);
}

TEST_P(VideoCodecs, KeyframeIntervalInsertsKeyframes)
{
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.width = 160;
    s.height = 90;
    s.keyframeIntervalFrames = 10;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc);
    TestPattern pattern(160, 90);
    VideoFrame in;
    EncodedVideoFrame encoded;
    int keyframes = 0;
    for (std::uint32_t n = 0; n < 30; ++n) {
        pattern.render(n, in);
        ASSERT_TRUE((*enc)->encode(in, false, encoded).ok());
        keyframes += encoded.keyframe ? 1 : 0;
    }
    EXPECT_EQ(keyframes, 3);
}

std::size_t bytesFor(VideoEncoder& enc, TestPattern& pattern, std::uint32_t from, int frames)
{
    // Noise makes the flat test pattern expensive enough that the rate control has to work.
    std::mt19937 rng(from);
    VideoFrame in;
    EncodedVideoFrame encoded;
    std::size_t bytes = 0;
    for (int i = 0; i < frames; ++i) {
        pattern.render(from + std::uint32_t(i), in);
        for (auto& b : in.data)
            b = std::uint8_t(std::clamp(int(b) + int(rng() % 41) - 20, 0, 255));
        auto e = enc.encode(in, false, encoded);
        if (e && *e && !encoded.keyframe) bytes += encoded.data.size();
    }
    return bytes;
}

TEST_P(VideoCodecs, SetBitrateLowersTheOutput)
{
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.bitrateKbps = 2000;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc);
    TestPattern pattern(640, 360);
    bytesFor(**enc, pattern, 0, 15); // settle
    const std::size_t high = bytesFor(**enc, pattern, 15, 30);
    (*enc)->setBitrate(250);
    EXPECT_EQ((*enc)->settings().bitrateKbps, 250);
    bytesFor(**enc, pattern, 45, 15);
    const std::size_t low = bytesFor(**enc, pattern, 60, 30);
    EXPECT_LT(low * 3, high) << "high " << high << " low " << low;
    // One second at 250 kbit/s is about 31 kB.
    EXPECT_LT(low, 31250u * 2);
}

TEST_P(VideoCodecs, SetBitrateKeepsTheStreamDecodable)
{
    // H.264 reconfigures x264 in place (no keyframe); VP8 opens a new libvpx encoder, whose first
    // frame is a keyframe. Either way one decoder reads every frame across the change.
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.width = 320;
    s.height = 180;
    auto enc = VideoEncoder::create(s);
    auto dec = VideoDecoder::create(GetParam());
    ASSERT_TRUE(enc && dec);
    TestPattern pattern(320, 180);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    for (std::uint32_t n = 0; n < 20; ++n) {
        if (n == 10) (*enc)->setBitrate(200);
        pattern.render(n, in);
        ASSERT_TRUE((*enc)->encode(in, false, encoded).value());
        const bool expectKey = n == 0 || (n == 10 && GetParam() == VideoCodecId::Vp8);
        EXPECT_EQ(encoded.keyframe, expectKey) << "frame " << n;
        ASSERT_TRUE((*dec)->decode(encoded.data, out).value());
        EXPECT_EQ(readFrameCounter(out), n);
    }
    (*enc)->setBitrate(1); // clamped, not rejected
    EXPECT_EQ((*enc)->settings().bitrateKbps, 30);
}

TEST_P(VideoCodecs, DeltaFramesBeforeAKeyframeAreErrors)
{
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.width = 320;
    s.height = 180;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc);
    TestPattern pattern(320, 180);
    VideoFrame in, out;
    std::vector<EncodedVideoFrame> frames(4);
    for (std::uint32_t n = 0; n < 4; ++n) {
        pattern.render(n, in);
        ASSERT_TRUE((*enc)->encode(in, false, frames[n]).value());
    }
    // A receiver that missed the keyframe: errors (so it asks for one), then the keyframe decodes.
    auto dec = VideoDecoder::create(GetParam());
    ASSERT_TRUE(dec);
    for (std::uint32_t n = 1; n < 4; ++n) {
        auto d = (*dec)->decode(frames[n].data, out);
        ASSERT_FALSE(d) << "frame " << n;
        EXPECT_NE(d.error().what.find("keyframe"), std::string::npos) << d.error().what;
    }
    auto d = (*dec)->decode(frames[0].data, out);
    ASSERT_TRUE(d) << d.error().what;
    ASSERT_TRUE(*d);
    EXPECT_EQ(readFrameCounter(out), 0u);
    EXPECT_EQ((*dec)->framesDecoded(), 1u);
}

TEST_P(VideoCodecs, OtherInputSizesAreScaled)
{
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.width = 320;
    s.height = 180;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc);
    auto dec = VideoDecoder::create(GetParam());
    ASSERT_TRUE(dec);
    TestPattern pattern(640, 360);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    pattern.render(77, in);
    auto e = (*enc)->encode(in, false, encoded);
    ASSERT_TRUE(e && *e) << (e ? "" : e.error().what);
    EXPECT_EQ(encoded.width, 320);
    auto d = (*dec)->decode(encoded.data, out);
    ASSERT_TRUE(d && *d);
    EXPECT_EQ(out.width, 320);
    EXPECT_EQ(out.height, 180);
    EXPECT_EQ(readFrameCounter(out), 77u);
}

TEST_P(VideoCodecs, CorruptAndTruncatedFramesNeverCrash)
{
    VideoEncoderSettings s;
    s.codec = GetParam();
    s.width = 320;
    s.height = 180;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc);
    auto dec = VideoDecoder::create(GetParam());
    ASSERT_TRUE(dec);
    TestPattern pattern(320, 180);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    std::mt19937 rng(7);
    int errors = 0, pictures = 0;
    for (std::uint32_t n = 0; n < 40; ++n) {
        pattern.render(n, in);
        ASSERT_TRUE((*enc)->encode(in, n % 10 == 0, encoded).ok());
        std::vector<std::uint8_t> bad = encoded.data;
        switch (n % 4) {
        case 0: break; // intact
        case 1: bad.resize(bad.size() / 2); break;
        case 2:
            for (std::size_t i = 8; i < bad.size(); i += 7)
                bad[i] = std::uint8_t(rng());
            break;
        case 3: bad.assign(bad.size(), 0xFF); break;
        }
        auto d = (*dec)->decode(bad, out);
        if (GetParam() == VideoCodecId::H264 && (n % 4 == 1 || n % 4 == 3)) {
            // H.264 flags concealment: a cut or overwritten frame never comes out as a good picture.
            // (A few flipped bytes can go unseen; FFmpeg's VP8 decoder reads a cut last partition as
            // zeros. Delivering whole, intact frames is the RTP layer's job.)
            EXPECT_TRUE(!d || !*d) << "frame " << n;
        }
        if (!d) {
            ++errors;
            EXPECT_FALSE(d.error().what.empty());
        } else if (*d) {
            ++pictures;
            EXPECT_EQ(out.width, 320);
        }
    }
    EXPECT_GT(pictures, 0);
    EXPECT_GT(errors, 10);
    // After garbage, a keyframe brings the picture back.
    pattern.render(500, in);
    ASSERT_TRUE((*enc)->encode(in, true, encoded).ok());
    auto d = (*dec)->decode(encoded.data, out);
    ASSERT_TRUE(d) << d.error().what;
    ASSERT_TRUE(*d);
    EXPECT_EQ(readFrameCounter(out), 500u);
    // Garbage to a fresh decoder.
    auto fresh = VideoDecoder::create(GetParam());
    ASSERT_TRUE(fresh);
    for (int i = 0; i < 50; ++i) {
        std::vector<std::uint8_t> junk(std::size_t(rng() % 2000));
        for (auto& b : junk)
            b = std::uint8_t(rng());
        if (i % 2 == 0 && junk.size() > 4) junk[0] = junk[1] = junk[2] = 0, junk[3] = 1;
        (void)(*fresh)->decode(junk, out);
    }
    EXPECT_FALSE((*fresh)->decode({}, out).value());
}

TEST_P(VideoCodecs, DecoderFollowsASizeChangeAtAKeyframe)
{
    // The sender restarts its encoder at another size (bandwidth adaptation); one decoder follows.
    auto dec = VideoDecoder::create(GetParam());
    ASSERT_TRUE(dec);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    std::uint32_t n = 0;
    for (const auto& [w, h] : {std::pair{640, 360}, {320, 180}, {1280, 720}}) {
        VideoEncoderSettings s;
        s.codec = GetParam();
        s.width = w;
        s.height = h;
        s.threads = 2;
        auto enc = VideoEncoder::create(s);
        ASSERT_TRUE(enc) << enc.error().what;
        TestPattern pattern(w, h);
        for (int i = 0; i < 5; ++i, ++n) {
            pattern.render(n, in);
            ASSERT_TRUE((*enc)->encode(in, false, encoded).value());
            auto d = (*dec)->decode(encoded.data, out);
            ASSERT_TRUE(d) << d.error().what;
            ASSERT_TRUE(*d);
            EXPECT_EQ(out.width, w);
            EXPECT_EQ(out.height, h);
            EXPECT_EQ(readFrameCounter(out), n);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Codecs, VideoCodecs, testing::Values(VideoCodecId::H264, VideoCodecId::Vp8),
                         codecName);

TEST(VideoEncoder, RejectsBadSettingsWithAReason)
{
    VideoEncoderSettings s;
    s.width = 641;
    auto e = VideoEncoder::create(s);
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().what.find("641x360"), std::string::npos) << e.error().what;
    s.width = 640;
    s.fps = 0;
    EXPECT_FALSE(VideoEncoder::create(s));
    s.fps = 30;
    s.bitrateKbps = 5;
    EXPECT_FALSE(VideoEncoder::create(s));
}

TEST(VideoEncoder, RejectsAnInvalidFrame)
{
    auto enc = VideoEncoder::create({});
    ASSERT_TRUE(enc);
    VideoFrame bad;
    bad.width = 640;
    bad.height = 360;
    bad.data.resize(100);
    EncodedVideoFrame out;
    EXPECT_FALSE((*enc)->encode(bad, false, out));
}

TEST(VideoEncoder, H264SlicesFitTheRequestedSize)
{
    VideoEncoderSettings s;
    s.bitrateKbps = 3000;
    s.h264MaxSliceBytes = 1000;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc) << enc.error().what;
    auto dec = VideoDecoder::create(VideoCodecId::H264);
    ASSERT_TRUE(dec);
    TestPattern pattern(640, 360);
    std::mt19937 rng(2);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    for (std::uint32_t n = 0; n < 10; ++n) {
        pattern.render(n, in);
        for (auto& b : in.data)
            b = std::uint8_t(std::clamp(int(b) + int(rng() % 21) - 10, 0, 255));
        ASSERT_TRUE((*enc)->encode(in, false, encoded).value());
        EXPECT_EQ(encoded.captured, in.captured);
        // Split at start codes; every NAL unit (with its header) fits.
        const auto& d = encoded.data;
        std::vector<std::size_t> starts;
        for (std::size_t i = 0; i + 3 <= d.size(); ++i) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) starts.push_back(i + 3);
        }
        ASSERT_FALSE(starts.empty());
        int slices = 0;
        for (std::size_t k = 0; k < starts.size(); ++k) {
            std::size_t end = k + 1 < starts.size() ? starts[k + 1] - 3 : d.size();
            if (end > starts[k] && k + 1 < starts.size() && d[end - 1] == 0) --end; // 4-byte start code
            EXPECT_LE(end - starts[k], 1000u) << "frame " << n;
            const int type = d[starts[k]] & 0x1F;
            slices += type == 1 || type == 5 ? 1 : 0;
        }
        if (n == 0) {
            EXPECT_GT(slices, 1);
        }
        ASSERT_TRUE((*dec)->decode(encoded.data, out).value());
        EXPECT_EQ(readFrameCounter(out), n);
    }
}

std::size_t threadsOfThisProcess()
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& t : std::filesystem::directory_iterator("/proc/self/task"))
        ++n;
    return n;
}

TEST(VideoEncoder, Vp8EncodesOnOneThreadWhateverIsAsked)
{
    // libvpx's VP8 row threads busy-wait for each other: VP8 keeps to the calling thread, also
    // across a rate change (a new libvpx encoder); H.264 (x264 sliced threads) gets what it asks.
    VideoEncoderSettings s;
    s.codec = VideoCodecId::Vp8;
    s.width = 1280;
    s.height = 720;
    s.bitrateKbps = 2000;
    s.threads = 2;
    const std::size_t before = threadsOfThisProcess();
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc) << enc.error().what;
    EXPECT_EQ((*enc)->settings().threads, 1);
    TestPattern pattern(1280, 720);
    VideoFrame in;
    EncodedVideoFrame encoded;
    for (std::uint32_t n = 0; n < 4; ++n) {
        if (n == 2) (*enc)->setBitrate(1000);
        pattern.render(n, in);
        ASSERT_TRUE((*enc)->encode(in, false, encoded).value());
        EXPECT_EQ(threadsOfThisProcess(), before) << "frame " << n;
    }
    EXPECT_EQ((*enc)->settings().threads, 1);
    s.codec = VideoCodecId::H264;
    auto h264 = VideoEncoder::create(s);
    ASSERT_TRUE(h264);
    EXPECT_EQ((*h264)->settings().threads, 2);
}

TEST(VideoCodecId, Names)
{
    EXPECT_EQ(toString(VideoCodecId::H264), "H264");
    EXPECT_EQ(toString(VideoCodecId::Vp8), "VP8");
}

TEST(VideoEncoder, H264IsConstrainedBaselineAnnexBWithParameterSetsOnKeyframes)
{
    VideoEncoderSettings s;
    s.width = 320;
    s.height = 180;
    auto enc = VideoEncoder::create(s);
    ASSERT_TRUE(enc);
    TestPattern pattern(320, 180);
    VideoFrame in;
    EncodedVideoFrame encoded;
    for (std::uint32_t n = 0; n < 5; ++n) {
        pattern.render(n, in);
        ASSERT_TRUE((*enc)->encode(in, n == 3, encoded).ok());
        ASSERT_GE(encoded.data.size(), 5u);
        // Annex B start code.
        EXPECT_TRUE(
            (encoded.data[0] == 0 && encoded.data[1] == 0 && encoded.data[2] == 1) ||
            (encoded.data[0] == 0 && encoded.data[1] == 0 && encoded.data[2] == 0 && encoded.data[3] == 1));
        bool sps = false, pps = false, idr = false;
        for (std::size_t i = 0; i + 4 < encoded.data.size(); ++i) {
            if (encoded.data[i] != 0 || encoded.data[i + 1] != 0 || encoded.data[i + 2] != 1) continue;
            const int type = encoded.data[i + 3] & 0x1F;
            if (type == 7) {
                sps = true;
                // profile_idc 66 (baseline) with constraint_set1 (constrained baseline).
                EXPECT_EQ(encoded.data[i + 4], 66);
                EXPECT_TRUE(encoded.data[i + 5] & 0x40);
            }
            pps |= type == 8;
            idr |= type == 5;
        }
        EXPECT_EQ(sps, encoded.keyframe) << "frame " << n;
        EXPECT_EQ(pps, encoded.keyframe) << "frame " << n;
        EXPECT_EQ(idr, encoded.keyframe) << "frame " << n;
    }
}

} // namespace
