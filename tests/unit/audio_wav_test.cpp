// WAV reading and writing: round trips, unfinished recordings, and clear errors for bad files.
#include "device/wav_file.h"

#include "audio_test_signals.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace vphone::media;

namespace {

std::string tempPath(const std::string& name)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("vphone-audio-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

void put32(std::vector<uint8_t>& b, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b.push_back(uint8_t(v >> (8 * i)));
}
void put16(std::vector<uint8_t>& b, uint16_t v)
{
    b.push_back(uint8_t(v));
    b.push_back(uint8_t(v >> 8));
}
void tag(std::vector<uint8_t>& b, const char* t)
{
    b.insert(b.end(), t, t + 4);
}

/// A WAV image: fmt with the given fields, optional extra chunk, data of `frames` frames.
std::vector<uint8_t> wav(uint16_t format, uint16_t channels, uint32_t rate, uint16_t bits, uint32_t frames,
                         bool listFirst = false, int64_t dataSize = -1)
{
    std::vector<uint8_t> b;
    tag(b, "RIFF");
    put32(b, 0);
    tag(b, "WAVE");
    if (listFirst) {
        tag(b, "LIST");
        put32(b, 5); // odd: one pad byte follows
        b.insert(b.end(), {'I', 'N', 'F', 'O', 'x', 0});
    }
    tag(b, "fmt ");
    put32(b, 16);
    put16(b, format);
    put16(b, channels);
    put32(b, rate);
    put32(b, rate * channels * bits / 8);
    put16(b, uint16_t(channels * bits / 8));
    put16(b, bits);
    tag(b, "data");
    const uint32_t bytes = frames * channels * bits / 8;
    put32(b, dataSize >= 0 ? uint32_t(dataSize) : bytes);
    for (uint32_t i = 0; i < bytes; ++i)
        b.push_back(uint8_t(i));
    return b;
}

std::string parseError(const std::vector<uint8_t>& bytes)
{
    MemoryByteReader reader(bytes);
    auto r = parseWav(reader);
    return r ? "ok" : r.error().what;
}

} // namespace

TEST(Wav, WriteThenReadGivesTheSamplesBack)
{
    for (int channels : {1, 2}) {
        const auto path = tempPath("round-trip-" + std::to_string(channels) + ".wav");
        const auto samples = test::sine(440, 44100, 44100 / 2, 12000, channels);
        {
            auto w = WavWriter::create(path, 44100, channels);
            ASSERT_TRUE(w) << w.error().what;
            for (std::size_t at = 0; at < samples.size(); at += 882 * std::size_t(channels)) {
                const auto n = std::min<std::size_t>(882 * std::size_t(channels), samples.size() - at);
                ASSERT_TRUE(w->write(std::span(samples).subspan(at, n)));
            }
            ASSERT_TRUE(w->close());
            ASSERT_TRUE(w->close()) << "idempotent";
        }
        auto r = WavReader::open(path);
        ASSERT_TRUE(r) << r.error().what;
        EXPECT_EQ(r->info().sampleRate, 44100);
        EXPECT_EQ(r->info().channels, channels);
        EXPECT_EQ(r->info().dataOffset, 44u);
        EXPECT_FALSE(r->info().sizeRepaired);
        std::vector<int16_t> back(samples.size() + 100);
        const auto frames = r->readFrames(back);
        EXPECT_EQ(frames * std::size_t(channels), samples.size());
        back.resize(frames * std::size_t(channels));
        EXPECT_EQ(back, samples);
        EXPECT_EQ(r->readFrames(back), 0u);
        EXPECT_EQ(std::filesystem::file_size(path), 44 + samples.size() * 2);
    }
}

TEST(Wav, ARecordingThatWasNeverClosedIsStillReadable)
{
    const auto path = tempPath("unfinished.wav");
    auto w = WavWriter::create(path, 8000, 1);
    ASSERT_TRUE(w);
    const auto samples = test::sine(1000, 8000, 8000 * 5 / 2); // 2.5 s
    ASSERT_TRUE(w->write(samples));
    // Still open (as if the process were killed now): the header was updated after each second.
    auto r = WavReader::open(path);
    ASSERT_TRUE(r) << r.error().what;
    EXPECT_GE(r->info().frames(), 16000u);
    // A header whose sizes were never written (killed in the first second) reads to the end.
    auto image = wav(1, 1, 8000, 16, 800, false, 0);
    MemoryByteReader reader(image);
    auto info = parseWav(reader);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->sizeRepaired);
    EXPECT_EQ(info->frames(), 800u);
    auto past = wav(1, 2, 8000, 16, 800, false, 0x7FFFFFF0);
    MemoryByteReader pastReader(past);
    auto pastInfo = parseWav(pastReader);
    ASSERT_TRUE(pastInfo);
    EXPECT_EQ(pastInfo->frames(), 800u);
}

TEST(Wav, SkipsChunksBeforeTheData)
{
    auto image = wav(1, 2, 16000, 16, 10, true);
    MemoryByteReader reader(image);
    auto info = parseWav(reader);
    ASSERT_TRUE(info) << info.error().what;
    EXPECT_EQ(info->dataOffset, 12u + 14 + 24 + 8);
    EXPECT_EQ(info->frames(), 10u);
}

TEST(Wav, BadFilesGetErrorsNamingWhatAndWhere)
{
    EXPECT_EQ(parseError({'R', 'I', 'F'}), "offset 0: file of 3 bytes is too short for a RIFF header");
    auto notRiff = wav(1, 1, 8000, 16, 1);
    notRiff[0] = 'X';
    EXPECT_EQ(parseError(notRiff), "offset 0: not a RIFF file (starts with 'XIFF')");
    auto avi = wav(1, 1, 8000, 16, 1);
    std::copy_n("AVI ", 4, avi.begin() + 8);
    EXPECT_EQ(parseError(avi), "offset 8: RIFF form 'AVI ' is not WAVE");
    EXPECT_EQ(parseError(wav(3, 1, 8000, 32, 1)),
              "offset 20: format 3 (IEEE float) is not supported; only 16-bit PCM (format 1)");
    EXPECT_EQ(parseError(wav(1, 1, 8000, 24, 1)), "offset 34: 24-bit samples; only 16-bit PCM");
    EXPECT_EQ(parseError(wav(1, 6, 48000, 16, 1)), "offset 22: 6 channels; only mono and stereo");
    EXPECT_EQ(parseError(wav(1, 1, 100, 16, 1)), "offset 24: sample rate 100 Hz is outside 1000..384000");
    auto noData = wav(1, 1, 8000, 16, 0);
    noData.resize(36);
    EXPECT_EQ(parseError(noData), "offset 36: no data chunk");
    auto dataFirst = wav(1, 1, 8000, 16, 2);
    std::copy_n("junk", 4, dataFirst.begin() + 12);
    EXPECT_EQ(parseError(dataFirst), "offset 36: data chunk before any fmt chunk");

    auto missing = WavReader::open(tempPath("does-not-exist.wav"));
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().what.find("does-not-exist.wav: cannot open: No such file"), std::string::npos)
        << missing.error().what;
    const auto path = tempPath("float.wav");
    const auto bytes = wav(3, 1, 8000, 32, 4);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    auto floatFile = WavReader::open(path);
    ASSERT_FALSE(floatFile);
    EXPECT_EQ(floatFile.error().what,
              "WAV file " + path +
                  ": offset 20: format 3 (IEEE float) is not supported; only 16-bit PCM (format 1)");
}
