// Y4M files: write/read round trip, scaling of other sizes, reader errors, vphone-video-check.
#include "video/test_pattern.h"
#include "video/video_codec.h"
#include "video/y4m.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace vphone::media;

namespace {

class Y4m : public testing::Test {
protected:
    void SetUp() override
    {
        dir_ = std::filesystem::temp_directory_path() /
               ("vphone-y4m-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    void writeRaw(const std::string& name, const std::string& bytes) const
    {
        std::ofstream(path(name), std::ios::binary) << bytes;
    }
    std::filesystem::path dir_;
};

TEST_F(Y4m, RoundTripKeepsEveryByte)
{
    TestPattern pattern(321, 181);
    auto w = Y4mWriter::open(path("a.y4m"), 25);
    ASSERT_TRUE(w) << w.error().what;
    std::vector<VideoFrame> written(5);
    for (std::uint32_t n = 0; n < 5; ++n) {
        pattern.render(n, written[n]);
        ASSERT_TRUE((*w)->write(written[n]));
    }
    ASSERT_TRUE((*w)->close());
    EXPECT_EQ((*w)->frames(), 5u);
    EXPECT_FALSE((*w)->write(written[0])); // after close

    std::ifstream raw(path("a.y4m"), std::ios::binary);
    std::string header;
    std::getline(raw, header);
    EXPECT_EQ(header, "YUV4MPEG2 W321 H181 F25:1 Ip A1:1 C420");

    auto r = Y4mReader::open(path("a.y4m"));
    ASSERT_TRUE(r) << r.error().what;
    EXPECT_EQ((*r)->width(), 321);
    EXPECT_EQ((*r)->height(), 181);
    EXPECT_EQ((*r)->fps(), 25);
    VideoFrame f;
    for (std::uint32_t n = 0; n < 5; ++n) {
        auto got = (*r)->read(f);
        ASSERT_TRUE(got) << got.error().what;
        ASSERT_TRUE(*got);
        EXPECT_EQ(f.data, written[n].data);
        EXPECT_EQ(readFrameCounter(f), n);
    }
    auto end = (*r)->read(f);
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

TEST_F(Y4m, OtherSizesAreScaledToTheFirst)
{
    auto w = Y4mWriter::open(path("b.y4m"), 30);
    ASSERT_TRUE(w);
    TestPattern small(320, 180), big(1280, 720);
    VideoFrame f;
    small.render(1, f);
    ASSERT_TRUE((*w)->write(f));
    big.render(2, f);
    ASSERT_TRUE((*w)->write(f));
    ASSERT_TRUE((*w)->close());
    auto r = Y4mReader::open(path("b.y4m"));
    ASSERT_TRUE(r);
    ASSERT_TRUE((*r)->read(f).value());
    ASSERT_TRUE((*r)->read(f).value());
    EXPECT_EQ(f.width, 320);
    EXPECT_EQ(f.height, 180);
    EXPECT_EQ(readFrameCounter(f), 2u);
}

TEST_F(Y4m, ReadsForeignHeaders)
{
    std::string frame(6, '\x80'); // 2x2: 4 luma + 1 + 1 chroma
    writeRaw("c.y4m", "YUV4MPEG2 W2 H2 F30000:1001 It A0:0 C420mpeg2 XYSCSS=420MPEG2\nFRAME Ixyz\n" + frame);
    auto r = Y4mReader::open(path("c.y4m"));
    ASSERT_FALSE(r); // interlaced
    writeRaw("c.y4m", "YUV4MPEG2 W2 H2 F30000:1001 Ip A0:0 C420mpeg2 XYSCSS=420MPEG2\nFRAME Ixyz\n" + frame);
    r = Y4mReader::open(path("c.y4m"));
    ASSERT_TRUE(r) << r.error().what;
    EXPECT_EQ((*r)->fps(), 30);
    VideoFrame f;
    ASSERT_TRUE((*r)->read(f).value());
    EXPECT_EQ(f.width, 2);
}

TEST_F(Y4m, ReaderErrorsSayWhatAndWhere)
{
    const auto errorOf = [&](const std::string& bytes) -> std::string {
        writeRaw("bad.y4m", bytes);
        auto r = Y4mReader::open(path("bad.y4m"));
        if (!r) return r.error().what;
        VideoFrame f;
        for (;;) {
            auto got = (*r)->read(f);
            if (!got) return got.error().what;
            if (!*got) return "";
        }
    };
    EXPECT_NE(errorOf("").find("empty"), std::string::npos);
    EXPECT_NE(errorOf("RIFF1234WAVE\n").find("not a YUV4MPEG2"), std::string::npos);
    EXPECT_NE(errorOf("YUV4MPEG2 W640 H360").find("no end of line"), std::string::npos);
    EXPECT_NE(errorOf("YUV4MPEG2 W640 H0\n").find("bad height"), std::string::npos);
    EXPECT_NE(errorOf("YUV4MPEG2 Wx H2\n").find("bad width"), std::string::npos);
    EXPECT_NE(errorOf("YUV4MPEG2 H2\n").find("no W"), std::string::npos);
    EXPECT_NE(errorOf("YUV4MPEG2 W2 H2 C444\n").find("C444"), std::string::npos);
    EXPECT_NE(errorOf("YUV4MPEG2 W2 H2 F30:0\n").find("frame rate"), std::string::npos);
    const std::string frame(6, 'x');
    const std::string header = "YUV4MPEG2 W2 H2 F30:1\n"; // 22 bytes
    EXPECT_EQ(errorOf(header + "FRAME\n" + frame), "");
    const std::string truncated = errorOf(header + "FRAME\n" + frame + "FRAME\n" + frame.substr(0, 3));
    EXPECT_NE(truncated.find("frame 1 at offset 34"), std::string::npos) << truncated;
    EXPECT_NE(truncated.find("truncated: 3 of 6 bytes"), std::string::npos) << truncated;
    const std::string garbage = errorOf(header + "FRAME\n" + frame + "GARBAGE\n");
    EXPECT_NE(garbage.find("frame 1 at offset 34: expected a FRAME header"), std::string::npos) << garbage;
    const std::string huge = errorOf("YUV4MPEG2 W16384 H16384\nFRAME\n" + frame);
    EXPECT_NE(huge.find("frame 0 at offset 24: truncated: 6 of 402653184 bytes"), std::string::npos) << huge;
    EXPECT_NE(Y4mReader::open(path("missing.y4m")).error().what.find("missing.y4m"), std::string::npos);
}

TEST_F(Y4m, WriterErrorsNameThePath)
{
    auto w = Y4mWriter::open(path("no/such/dir/x.y4m"), 30);
    ASSERT_FALSE(w);
    EXPECT_NE(w.error().what.find("no/such/dir/x.y4m"), std::string::npos);
    auto ok = Y4mWriter::open(path("y.y4m"), 30);
    ASSERT_TRUE(ok);
    VideoFrame invalid;
    EXPECT_FALSE((*ok)->write(invalid));
    ASSERT_TRUE((*ok)->close());
}

std::string run(const std::string& command, int& status)
{
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p))
        out += buf;
    const int rc = ::pclose(p);
    status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
}

TEST_F(Y4m, VideoCheckReportsCounters)
{
    TestPattern pattern(160, 90);
    auto w = Y4mWriter::open(path("rx.y4m"), 30);
    ASSERT_TRUE(w);
    VideoFrame f;
    // 10..19, then 23..25 (gap of 3), a repeat of 25, then 24 (out of order), and a blank frame.
    for (std::uint32_t n : {10u, 11u, 12u, 13u, 14u, 15u, 16u, 17u, 18u, 19u, 23u, 24u, 25u, 25u, 24u}) {
        pattern.render(n, f);
        ASSERT_TRUE((*w)->write(f));
    }
    std::fill(f.data.begin(), f.data.end(), std::uint8_t(128));
    ASSERT_TRUE((*w)->write(f));
    ASSERT_TRUE((*w)->close());
    int status = -1;
    const std::string out =
        run(std::string(VPHONE_VIDEO_CHECK) + " " + path("rx.y4m") + " --expect-size 160x90 --min-frames 16",
            status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(
        out.find(
            "\"width\":160,\"height\":90,\"frames\":16,\"counters_read\":15,\"first_counter\":10,"
            "\"last_counter\":24,\"unique_counters\":13,\"missing\":3,\"max_gap\":3,\"out_of_order\":1}"),
        std::string::npos)
        << out;
    run(std::string(VPHONE_VIDEO_CHECK) + " " + path("rx.y4m") + " --expect-size 640x360 2>/dev/null",
        status);
    EXPECT_EQ(status, 1);
    run(std::string(VPHONE_VIDEO_CHECK) + " " + path("rx.y4m") + " --min-frames 17 2>/dev/null", status);
    EXPECT_EQ(status, 1);
    run(std::string(VPHONE_VIDEO_CHECK) + " " + path("nothing.y4m") + " 2>/dev/null", status);
    EXPECT_EQ(status, 2);
    run(std::string(VPHONE_VIDEO_CHECK) + " 2>/dev/null", status);
    EXPECT_EQ(status, 2);
}

TEST_F(Y4m, VideoCheckWritesThePatternItReads)
{
    int status = -1;
    run(std::string(VPHONE_VIDEO_CHECK) + " --write-pattern " + path("src.y4m") + " 160x90@10 2", status);
    ASSERT_EQ(status, 0);
    const std::string report = run(std::string(VPHONE_VIDEO_CHECK) + " " + path("src.y4m"), status);
    EXPECT_EQ(status, 0) << report;
    EXPECT_NE(report.find("\"frames\":20,\"counters_read\":20,\"first_counter\":0,\"last_counter\":19,"
                          "\"unique_counters\":20,\"missing\":0,\"max_gap\":0,\"out_of_order\":0}"),
              std::string::npos)
        << report;
    run(std::string(VPHONE_VIDEO_CHECK) + " --write-pattern " + path("bad.y4m") + " 160x90 2 2>/dev/null",
        status);
    EXPECT_EQ(status, 2);
}

TEST_F(Y4m, VideoCheckReadsARecordedCall)
{
    // What a receiver records: VP8 at 300 kbit/s, decoded, frames 40..44 lost (not written).
    VideoEncoderSettings s;
    s.codec = VideoCodecId::Vp8;
    s.bitrateKbps = 300;
    auto enc = VideoEncoder::create(s);
    auto dec = VideoDecoder::create(VideoCodecId::Vp8);
    ASSERT_TRUE(enc && dec);
    auto w = Y4mWriter::open(path("call.y4m"), 30);
    ASSERT_TRUE(w);
    TestPattern pattern(640, 360);
    VideoFrame in, out;
    EncodedVideoFrame encoded;
    for (std::uint32_t n = 0; n < 60; ++n) {
        pattern.render(n + 7, in);
        ASSERT_TRUE((*enc)->encode(in, false, encoded).value());
        ASSERT_TRUE((*dec)->decode(encoded.data, out).value());
        if (n < 40 || n >= 45) {
            ASSERT_TRUE((*w)->write(out));
        }
    }
    ASSERT_TRUE((*w)->close());
    int status = -1;
    const std::string report = run(std::string(VPHONE_VIDEO_CHECK) + " " + path("call.y4m") +
                                       " --expect-size 640x360 --min-frames 55",
                                   status);
    EXPECT_EQ(status, 0) << report;
    EXPECT_NE(report.find("\"frames\":55,\"counters_read\":55,\"first_counter\":7,\"last_counter\":66,"
                          "\"unique_counters\":55,\"missing\":5,\"max_gap\":5,\"out_of_order\":0}"),
              std::string::npos)
        << report;
}

} // namespace
