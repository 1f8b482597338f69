#include "device/basic_devices.h"

#include <cmath>
#include <numbers>
#include <sstream>

namespace vphone::media {

MediaResult<AudioFormat> checkAudioFormat(AudioFormat f)
{
    if (f.sampleRate < 8000 || f.sampleRate > 192000) {
        return mediaError("audio format: sample rate " + std::to_string(f.sampleRate) +
                          " Hz is outside 8000..192000");
    }
    if (f.channels < 1 || f.channels > 2) {
        return mediaError("audio format: " + std::to_string(f.channels) + " channels (only 1 or 2)");
    }
    const auto minFrame = std::size_t(f.sampleRate / 1000);
    const auto maxFrame = std::size_t(f.sampleRate / 1000 * 120);
    if (f.frameSamples < minFrame || f.frameSamples > maxFrame) {
        return mediaError("audio format: frame of " + std::to_string(f.frameSamples) +
                          " samples is not between 1 and 120 ms");
    }
    return f;
}

std::chrono::nanoseconds SteadyAudioClock::now() const
{
    return std::chrono::steady_clock::now().time_since_epoch();
}

bool FramePacer::due() const
{
    const auto now = clock_->now();
    if (!started_) {
        // Anchored half a frame back: frame k is due half a frame before start + k frames, so
        // a reader ticking once per frame (the media thread) takes each frame on its own tick
        // even when that tick wakes a little earlier than the first one did. Anchored at `now`,
        // timer noise of a fraction of a millisecond made every other frame wait a whole tick,
        // and the 20 ms of send jitter that made cost the far jitter buffer a frame of delay.
        started_ = true;
        start_ = now - std::chrono::nanoseconds(std::int64_t(format_.frameSamples) * 500000000 /
                                                std::max(1, format_.sampleRate));
    }
    // Samples elapsed since the start, split so that the product cannot overflow.
    const auto elapsed = now - start_;
    if (elapsed.count() < 0) return delivered_ == 0;
    const std::uint64_t seconds = std::uint64_t(elapsed.count() / 1000000000);
    const std::uint64_t nanos = std::uint64_t(elapsed.count() % 1000000000);
    const std::uint64_t rate = std::uint64_t(format_.sampleRate);
    const std::uint64_t elapsedSamples = seconds * rate + nanos * rate / 1000000000;
    return delivered_ * format_.frameSamples <= elapsedSamples;
}

MediaResult<std::unique_ptr<ToneSource>> ToneSource::create(double hz, AudioFormat format,
                                                            const AudioClock& clock, double amplitude)
{
    auto checked = checkAudioFormat(format);
    if (!checked) return checked.error();
    if (!(hz > 0) || hz >= format.sampleRate / 2.0) {
        std::ostringstream s;
        s << "tone: " << hz << " Hz is not between 0 and " << format.sampleRate / 2
          << " Hz (half the sample rate)";
        return mediaError(s.str());
    }
    if (!(amplitude >= 0) || amplitude > 32767) return mediaError("tone: amplitude must be 0..32767");
    return std::unique_ptr<ToneSource>(new ToneSource(hz, format, clock, amplitude));
}

ToneSource::ToneSource(double hz, AudioFormat format, const AudioClock& clock, double amplitude)
    : hz_(hz), format_(format), pacer_(clock, format), amplitude_(amplitude)
{}

FrameStatus ToneSource::read(std::span<int16_t> frame)
{
    if (frame.size() != format_.frameLength()) return FrameStatus::Failed;
    if (!pacer_.due()) return FrameStatus::NotYet;
    const double step = 2 * std::numbers::pi * hz_ / format_.sampleRate;
    const auto ch = std::size_t(format_.channels);
    for (std::size_t i = 0; i < format_.frameSamples; ++i) {
        const auto v = static_cast<int16_t>(std::lround(amplitude_ * std::sin(phase_)));
        for (std::size_t c = 0; c < ch; ++c)
            frame[i * ch + c] = v;
        phase_ += step;
        if (phase_ >= 2 * std::numbers::pi) phase_ -= 2 * std::numbers::pi;
    }
    pacer_.next();
    return FrameStatus::Ready;
}

std::string ToneSource::describe() const
{
    std::ostringstream s;
    s << "tone:" << hz_;
    return s.str();
}

FrameStatus SilenceSource::read(std::span<int16_t> frame)
{
    if (frame.size() != format_.frameLength()) return FrameStatus::Failed;
    if (!pacer_.due()) return FrameStatus::NotYet;
    std::fill(frame.begin(), frame.end(), int16_t{0});
    pacer_.next();
    return FrameStatus::Ready;
}

MediaResult<std::unique_ptr<FileSource>> FileSource::open(const std::string& path, AudioFormat format,
                                                          const AudioClock& clock, FileLoop loop)
{
    auto checked = checkAudioFormat(format);
    if (!checked) return checked.error();
    auto reader = WavReader::open(path);
    if (!reader) return reader.error();
    if (reader->info().frames() == 0 && loop == FileLoop::Forever) {
        return mediaError("WAV file " + path + ": no samples to loop");
    }
    const PcmFormat in{reader->info().sampleRate, reader->info().channels};
    // One chunk of input per output frame (rounded up), so each read() needs one or two pushes.
    const std::size_t chunkFrames =
        (format.frameSamples * std::size_t(in.sampleRate) + std::size_t(format.sampleRate) - 1) /
        std::size_t(format.sampleRate);
    auto resampler = Resampler::create(in, {format.sampleRate, format.channels}, chunkFrames);
    if (!resampler) return mediaError("WAV file " + path + ": " + resampler.error().what);
    return std::unique_ptr<FileSource>(
        new FileSource(std::move(*reader), std::move(*resampler), format, clock, loop));
}

FileSource::FileSource(WavReader reader, Resampler resampler, AudioFormat format, const AudioClock& clock,
                       FileLoop loop)
    : reader_(std::move(reader)), resampler_(std::move(resampler)), format_(format), pacer_(clock, format),
      loop_(loop)
{
    const std::size_t chunkFrames =
        (format.frameSamples * std::size_t(reader_.info().sampleRate) + std::size_t(format.sampleRate) - 1) /
        std::size_t(format.sampleRate);
    chunk_.resize(chunkFrames * std::size_t(reader_.info().channels));
}

FrameStatus FileSource::read(std::span<int16_t> frame)
{
    if (frame.size() != format_.frameLength()) return FrameStatus::Failed;
    if (ended_) return FrameStatus::Ended;
    if (!pacer_.due()) return FrameStatus::NotYet;
    const auto inCh = std::size_t(reader_.info().channels);
    while (resampler_.availableFrames() < format_.frameSamples && !fileDone_) {
        std::size_t got = reader_.readFrames(chunk_);
        if (got == 0 && loop_ == FileLoop::Forever) {
            reader_.rewind();
            got = reader_.readFrames(chunk_);
        }
        if (got == 0) {
            fileDone_ = true;
            break;
        }
        resampler_.push(std::span<const int16_t>(chunk_).first(got * inCh));
    }
    const std::size_t have = resampler_.availableFrames();
    if (have == 0 && fileDone_) {
        ended_ = true;
        return FrameStatus::Ended;
    }
    if (have >= format_.frameSamples) {
        resampler_.pop(frame);
    } else { // the file's last, partial frame
        const std::size_t n = have * std::size_t(format_.channels);
        resampler_.pop(frame.first(n));
        std::fill(frame.begin() + std::ptrdiff_t(n), frame.end(), int16_t{0});
    }
    pacer_.next();
    return FrameStatus::Ready;
}

MediaResult<std::unique_ptr<FileSink>> FileSink::create(const std::string& path, AudioFormat format)
{
    auto checked = checkAudioFormat(format);
    if (!checked) return checked.error();
    auto writer = WavWriter::create(path, format.sampleRate, format.channels);
    if (!writer) return writer.error();
    return std::unique_ptr<FileSink>(new FileSink(std::move(*writer), format));
}

FrameStatus FileSink::write(std::span<const int16_t> frame)
{
    if (frame.size() != format_.frameLength()) {
        error_ = "file sink: frame of " + std::to_string(frame.size()) + " samples, expected " +
                 std::to_string(format_.frameLength());
        return FrameStatus::Failed;
    }
    auto r = writer_.write(frame);
    if (!r) {
        error_ = r.error().what;
        return FrameStatus::Failed;
    }
    return FrameStatus::Ready;
}

FrameStatus NullSink::write(std::span<const int16_t> frame)
{
    if (frame.size() != format_.frameLength()) return FrameStatus::Failed;
    ++frames_;
    return FrameStatus::Ready;
}

} // namespace vphone::media
