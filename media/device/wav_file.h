// WAV files (RIFF/WAVE, 16-bit PCM, mono or stereo): reading voice files to play as a
// microphone and recording what a call received.
//
// Theory of operation: parseWav() walks the RIFF chunks through a ByteReader (a file, or memory
// for the fuzzer), requires a fmt chunk (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM
// sub-format) of 16-bit samples and 1 or 2 channels before the data chunk, skips every other
// chunk (LIST, fact, ...; odd sizes are padded, RIFF §"chunks"), and names the offset and the
// reason when it refuses a file. A data chunk whose size is 0 or runs past the end of the file is
// what a recorder leaves when it is killed before fixing its header; it is read to the end of
// the file instead. WavWriter writes a 44-byte header with sizes of zero, then samples, rewrites
// the sizes after every second of audio (so a killed process leaves a readable file missing at
// most that second) and on close().
#pragma once

#include "dsp/media_result.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace vphone::media {

/// Random access to the bytes of a file or buffer.
class ByteReader {
public:
    virtual ~ByteReader() = default;
    /// Copies up to out.size() bytes from offset; returns how many (fewer at the end).
    virtual std::size_t readAt(std::uint64_t offset, std::span<uint8_t> out) = 0;
    virtual std::uint64_t size() const = 0;
};

/// A ByteReader over memory.
class MemoryByteReader final : public ByteReader {
public:
    explicit MemoryByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    std::size_t readAt(std::uint64_t offset, std::span<uint8_t> out) override;
    std::uint64_t size() const override { return bytes_.size(); }

private:
    std::span<const uint8_t> bytes_;
};

/// What parseWav() found.
struct WavInfo {
    int sampleRate = 0;
    int channels = 0;
    std::uint64_t dataOffset = 0; ///< first sample byte
    std::uint64_t dataBytes = 0;  ///< whole frames only
    bool sizeRepaired = false;    ///< the data size was 0 or past the end (unfinished recording)
    std::uint64_t frames() const { return channels ? dataBytes / (2 * std::uint64_t(channels)) : 0; }
};

/// Reads the header of a WAV file. Errors say "offset N: ..." (the caller adds the file name).
MediaResult<WavInfo> parseWav(ByteReader& bytes);

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

class WavReader {
public:
    /// Opens and checks a WAV file; errors name the file, the offset and the reason.
    static MediaResult<WavReader> open(const std::string& path);

    const WavInfo& info() const { return info_; }
    const std::string& path() const { return path_; }
    /// Reads up to out.size() / channels frames (interleaved); returns frames read, 0 at the end.
    std::size_t readFrames(std::span<int16_t> out);
    /// Back to the first sample.
    void rewind() { position_ = 0; }

private:
    WavReader(std::string path, std::unique_ptr<std::FILE, FileCloser> file, WavInfo info);
    std::string path_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    WavInfo info_;
    std::uint64_t position_ = 0; // frames read
};

/// A whole WAV file as mono samples (stereo and more are averaged) and its sample rate, for
/// analysing a recording (vphone-tone-check, tests). Errors as WavReader::open().
struct MonoRecording {
    std::vector<int16_t> samples;
    int sampleRate = 0;
};
MediaResult<MonoRecording> readWavMono(const std::string& path);

class WavWriter {
public:
    /// Creates (truncates) path; errors name the file and the system's reason.
    static MediaResult<WavWriter> create(const std::string& path, int sampleRate, int channels);
    WavWriter(WavWriter&&) noexcept;
    WavWriter& operator=(WavWriter&&) noexcept;
    ~WavWriter(); ///< closes (fixing the header) if close() was not called

    /// Appends interleaved frames.
    MediaResult<bool> write(std::span<const int16_t> samples);
    /// Fixes the header and closes the file. Idempotent.
    MediaResult<bool> close();
    std::uint64_t framesWritten() const { return frames_; }
    const std::string& path() const { return path_; }

private:
    WavWriter(std::string path, std::unique_ptr<std::FILE, FileCloser> file, int sampleRate, int channels);
    bool writeSizes();

    std::string path_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    int sampleRate_;
    int channels_;
    std::uint64_t frames_ = 0;
    std::uint64_t framesAtLastSizes_ = 0;
};

} // namespace vphone::media
