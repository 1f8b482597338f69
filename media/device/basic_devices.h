// Audio sources and sinks that need no sound card: tone:HZ, silence and file:PATH sources,
// file:PATH and null sinks. vphone-cli and the tests use them; the app may too (a WAV as the
// microphone, recording a call).
//
// Theory of operation: the synthetic sources deliver a frame whenever their FramePacer says one
// is due by the AudioClock. FileSource reads its WAV in its own rate and channel count and
// converts each chunk with a Resampler (keeping state across frames) into the requested format;
// at the end of the file it pads the last frame with zeros and then reports Ended, or starts over
// when looping. FileSink appends to a WavWriter (header fixed up every second and on close()).
#pragma once

#include "device/audio_device.h"
#include "device/wav_file.h"
#include "dsp/resampler.h"

#include <memory>
#include <optional>
#include <vector>

namespace vphone::media {

/// A sine at a fixed frequency on every channel.
class ToneSource final : public AudioSource {
public:
    /// hz must be positive and below half the sample rate; amplitude in int16 units.
    static MediaResult<std::unique_ptr<ToneSource>> create(double hz, AudioFormat format,
                                                           const AudioClock& clock, double amplitude = 8000);
    AudioFormat format() const override { return format_; }
    FrameStatus read(std::span<int16_t> frame) override;
    std::string describe() const override;

private:
    ToneSource(double hz, AudioFormat format, const AudioClock& clock, double amplitude);
    double hz_;
    AudioFormat format_;
    FramePacer pacer_;
    double amplitude_;
    double phase_ = 0; // radians, kept in [0, 2*pi)
};

/// Zeros, paced like a microphone.
class SilenceSource final : public AudioSource {
public:
    SilenceSource(AudioFormat format, const AudioClock& clock) : format_(format), pacer_(clock, format) {}
    AudioFormat format() const override { return format_; }
    FrameStatus read(std::span<int16_t> frame) override;
    std::string describe() const override { return "silence"; }

private:
    AudioFormat format_;
    FramePacer pacer_;
};

/// Whether FileSource starts over at the end of the file.
enum class FileLoop { Invalid, Once, Forever };

/// A WAV file (16-bit PCM, any rate, mono or stereo) resampled to the requested format.
class FileSource final : public AudioSource {
public:
    /// Errors name the file and what is wrong with it.
    static MediaResult<std::unique_ptr<FileSource>> open(const std::string& path, AudioFormat format,
                                                         const AudioClock& clock,
                                                         FileLoop loop = FileLoop::Once);
    AudioFormat format() const override { return format_; }
    FrameStatus read(std::span<int16_t> frame) override;
    std::string describe() const override { return "file:" + reader_.path(); }
    const WavInfo& fileInfo() const { return reader_.info(); }

private:
    FileSource(WavReader reader, Resampler resampler, AudioFormat format, const AudioClock& clock,
               FileLoop loop);
    WavReader reader_;
    Resampler resampler_;
    AudioFormat format_;
    FramePacer pacer_;
    FileLoop loop_;
    std::vector<int16_t> chunk_; // file-rate input, one chunk
    bool fileDone_ = false;
    bool ended_ = false;
};

/// Records to a WAV file in the sink's format.
class FileSink final : public AudioSink {
public:
    static MediaResult<std::unique_ptr<FileSink>> create(const std::string& path, AudioFormat format);
    AudioFormat format() const override { return format_; }
    FrameStatus write(std::span<const int16_t> frame) override;
    MediaResult<bool> close() override { return writer_.close(); }
    std::string describe() const override { return "file:" + writer_.path(); }
    std::string lastError() const override { return error_; }
    std::uint64_t framesWritten() const { return writer_.framesWritten(); }

private:
    FileSink(WavWriter writer, AudioFormat format) : writer_(std::move(writer)), format_(format) {}
    WavWriter writer_;
    AudioFormat format_;
    std::string error_;
};

/// Discards everything (counting frames).
class NullSink final : public AudioSink {
public:
    explicit NullSink(AudioFormat format) : format_(format) {}
    AudioFormat format() const override { return format_; }
    FrameStatus write(std::span<const int16_t> frame) override;
    std::string describe() const override { return "null"; }
    std::uint64_t framesWritten() const { return frames_; }

private:
    AudioFormat format_;
    std::uint64_t frames_ = 0;
};

} // namespace vphone::media
