#include "device/qt_audio_device.h"

#include "device/basic_devices.h"

#include <QAudioFormat>
#include <QAudioSink>
#include <QAudioSource>

#include <algorithm>
#include <cstring>

namespace vphone::media {

namespace {

AudioDeviceInfo toInfo(const QAudioDevice& d)
{
    return {d.id().toStdString(), d.description().toStdString(), d.isDefault()};
}

QAudioFormat qtFormat(const AudioFormat& f)
{
    QAudioFormat q;
    q.setSampleRate(f.sampleRate);
    q.setChannelCount(f.channels);
    q.setSampleFormat(QAudioFormat::Int16);
    return q;
}

std::string formatText(const AudioFormat& f)
{
    return std::to_string(f.sampleRate) + " Hz, " + std::to_string(f.channels) + " ch, 16-bit";
}

std::string names(const std::vector<AudioDeviceInfo>& devices)
{
    if (devices.empty()) return "none (is a PulseAudio server running?)";
    std::string s;
    for (const auto& d : devices)
        s += (s.empty() ? "" : ", ") + ("'" + d.description + "' [" + d.id + "]");
    return s;
}

bool isInputRole(AudioRole role)
{
    return role == AudioRole::Microphone;
}

} // namespace

std::vector<AudioDeviceInfo> listAudioInputs()
{
    std::vector<AudioDeviceInfo> out;
    for (const auto& d : QMediaDevices::audioInputs())
        out.push_back(toInfo(d));
    return out;
}

std::vector<AudioDeviceInfo> listAudioOutputs()
{
    std::vector<AudioDeviceInfo> out;
    for (const auto& d : QMediaDevices::audioOutputs())
        out.push_back(toInfo(d));
    return out;
}

QAudioDevice findAudioDevice(AudioRole role, const std::string& id)
{
    const auto list = isInputRole(role) ? QMediaDevices::audioInputs() : QMediaDevices::audioOutputs();
    for (const auto& d : list) {
        if (d.id().toStdString() == id) return d;
    }
    return {};
}

// --- capture ---------------------------------------------------------------------------------

// Qt writes captured bytes here (push mode). Device-callback side: ring only.
class QtAudioSource::CaptureIo final : public QIODevice {
public:
    CaptureIo(SpscRing<int16_t>& ring, std::atomic<std::uint64_t>& overruns)
        : ring_(ring), overruns_(overruns)
    {}

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override
    {
        // Whole samples only; Qt delivers whole frames in practice.
        const std::size_t samples = std::size_t(len) / sizeof(int16_t);
        int16_t chunk[512];
        for (std::size_t done = 0; done < samples;) {
            const std::size_t n = std::min(samples - done, std::size(chunk));
            std::memcpy(chunk, data + done * sizeof(int16_t), n * sizeof(int16_t));
            if (!ring_.tryWrite(std::span<const int16_t>(chunk, n))) {
                overruns_.fetch_add(1, std::memory_order_relaxed);
            }
            done += n;
        }
        return len;
    }

private:
    SpscRing<int16_t>& ring_;
    std::atomic<std::uint64_t>& overruns_;
};

QtAudioSource::QtAudioSource(AudioFormat format, std::size_t ringFrames, QObject* parent)
    : QObject(parent), format_(format), ring_(format.frameLength() * std::max<std::size_t>(ringFrames, 2)),
      io_(std::make_unique<CaptureIo>(ring_, overruns_))
{}

QtAudioSource::~QtAudioSource()
{
    stop();
}

void QtAudioSource::stop()
{
    if (source_) source_->stop();
    source_.reset();
    io_->close();
}

MediaResult<bool> QtAudioSource::useDevice(const QAudioDevice& device)
{
    stop();
    device_ = device;
    if (device.isNull()) return true;
    const QAudioFormat f = qtFormat(format_);
    if (!device.isFormatSupported(f)) {
        return mediaError("capture device '" + device.description().toStdString() + "' cannot record " +
                          formatText(format_));
    }
    source_ = std::make_unique<QAudioSource>(device, f);
    // About two frames of device buffering: low latency without starving the ring.
    source_->setBufferSize(qsizetype(format_.frameLength() * sizeof(int16_t) * 2));
    io_->open(QIODevice::WriteOnly);
    source_->start(io_.get());
    if (source_->error() != QAudio::NoError) {
        const auto err = source_->error();
        stop();
        return mediaError("capture device '" + device.description().toStdString() +
                          "' failed to start (Qt error " + std::to_string(int(err)) + ")");
    }
    return true;
}

FrameStatus QtAudioSource::read(std::span<int16_t> frame)
{
    if (frame.size() != format_.frameLength()) return FrameStatus::Failed;
    return ring_.tryRead(frame) ? FrameStatus::Ready : FrameStatus::NotYet;
}

std::string QtAudioSource::describe() const
{
    return "device:" + device_.description().toStdString();
}

// --- playback --------------------------------------------------------------------------------

// Qt pulls playback bytes from here (pull mode). Device-callback side: ring only.
class QtAudioSink::PlaybackIo final : public QIODevice {
public:
    PlaybackIo(SpscRing<int16_t>& ring, std::size_t frameLength, std::atomic<std::uint64_t>& underruns)
        : ring_(ring), frameLength_(frameLength), underruns_(underruns)
    {}
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return qint64(frameLength_ * sizeof(int16_t)) + QIODevice::bytesAvailable();
    }

protected:
    qint64 writeData(const char*, qint64) override { return -1; }
    qint64 readData(char* data, qint64 maxlen) override
    {
        auto* out = reinterpret_cast<int16_t*>(data);
        const std::size_t want = std::size_t(maxlen) / sizeof(int16_t);
        const std::size_t have = std::min(want, ring_.available());
        if (have > 0) ring_.tryRead(std::span<int16_t>(out, have));
        if (have < want) {
            // Keep the device running on silence rather than letting it stop on an empty read.
            std::memset(out + have, 0, (want - have) * sizeof(int16_t));
            underruns_.fetch_add(1, std::memory_order_relaxed);
        }
        return qint64(want * sizeof(int16_t));
    }

private:
    SpscRing<int16_t>& ring_;
    std::size_t frameLength_;
    std::atomic<std::uint64_t>& underruns_;
};

QtAudioSink::QtAudioSink(AudioFormat format, std::size_t ringFrames, QObject* parent)
    : QObject(parent), format_(format), ring_(format.frameLength() * std::max<std::size_t>(ringFrames, 2)),
      io_(std::make_unique<PlaybackIo>(ring_, format.frameLength(), underruns_))
{}

QtAudioSink::~QtAudioSink()
{
    stop();
}

void QtAudioSink::stop()
{
    if (sink_) sink_->stop();
    sink_.reset();
    io_->close();
}

MediaResult<bool> QtAudioSink::useDevice(const QAudioDevice& device)
{
    stop();
    device_ = device;
    if (device.isNull()) return true;
    const QAudioFormat f = qtFormat(format_);
    if (!device.isFormatSupported(f)) {
        return mediaError("playback device '" + device.description().toStdString() + "' cannot play " +
                          formatText(format_));
    }
    sink_ = std::make_unique<QAudioSink>(device, f);
    sink_->setBufferSize(qsizetype(format_.frameLength() * sizeof(int16_t) * 3));
    io_->open(QIODevice::ReadOnly);
    sink_->start(io_.get());
    if (sink_->error() != QAudio::NoError) {
        const auto err = sink_->error();
        stop();
        return mediaError("playback device '" + device.description().toStdString() +
                          "' failed to start (Qt error " + std::to_string(int(err)) + ")");
    }
    return true;
}

FrameStatus QtAudioSink::write(std::span<const int16_t> frame)
{
    if (frame.size() != format_.frameLength()) return FrameStatus::Failed;
    if (ring_.tryWrite(frame)) return FrameStatus::Ready;
    overruns_.fetch_add(1, std::memory_order_relaxed);
    return FrameStatus::NotYet;
}

std::string QtAudioSink::describe() const
{
    return "device:" + device_.description().toStdString();
}

// --- hot-plug --------------------------------------------------------------------------------

AudioDeviceWatcher::AudioDeviceWatcher(AudioRole role, std::vector<std::string> ranked, QObject* parent)
    : QObject(parent), role_(role), ranked_(std::move(ranked))
{
    current_ = chooseDevice(ranked_, isInputRole(role_) ? listAudioInputs() : listAudioOutputs());
    if (isInputRole(role_)) {
        connect(&devices_, &QMediaDevices::audioInputsChanged, this, &AudioDeviceWatcher::refresh);
    } else {
        connect(&devices_, &QMediaDevices::audioOutputsChanged, this, &AudioDeviceWatcher::refresh);
    }
}

void AudioDeviceWatcher::setRanked(std::vector<std::string> ranked)
{
    ranked_ = std::move(ranked);
    refresh();
}

void AudioDeviceWatcher::refresh()
{
    const auto decision =
        onDevicesChanged(current_, ranked_, isInputRole(role_) ? listAudioInputs() : listAudioOutputs());
    if (!decision.switchDevice) return;
    current_ = decision.to;
    emit deviceChanged(current_ ? findAudioDevice(role_, current_->id) : QAudioDevice{});
}

// --- factories -------------------------------------------------------------------------------

namespace {

MediaResult<std::vector<std::string>> rankedFor(AudioRole role, const std::string& name,
                                                const std::vector<std::string>& ranked)
{
    const auto available = isInputRole(role) ? listAudioInputs() : listAudioOutputs();
    const char* kind = isInputRole(role) ? "capture" : "playback";
    std::vector<std::string> order = ranked;
    if (!name.empty()) {
        const bool present = std::any_of(available.begin(), available.end(),
                                         [&](const auto& d) { return matchesDevice(d, name); });
        if (!present) {
            return mediaError(std::string("no ") + kind + " device named '" + name +
                              "' (have: " + names(available) + ")");
        }
        order.insert(order.begin(), name);
    }
    if (available.empty()) return mediaError(std::string("no ") + kind + " device: " + names(available));
    return order;
}

} // namespace

MediaResult<std::unique_ptr<AudioSource>> makeAudioSource(const SourceSpec& spec, AudioFormat format,
                                                          const AudioClock& clock,
                                                          const std::vector<std::string>& ranked)
{
    auto checked = checkAudioFormat(format);
    if (!checked) return checked.error();
    switch (spec.kind) {
    case SourceKind::Tone: {
        auto tone = ToneSource::create(spec.toneHz, format, clock);
        if (!tone) return tone.error();
        return std::unique_ptr<AudioSource>(std::move(*tone));
    }
    case SourceKind::Silence:
        return std::unique_ptr<AudioSource>(std::make_unique<SilenceSource>(format, clock));
    case SourceKind::File: {
        auto file = FileSource::open(spec.path, format, clock);
        if (!file) return file.error();
        return std::unique_ptr<AudioSource>(std::move(*file));
    }
    case SourceKind::Device: {
        auto order = rankedFor(AudioRole::Microphone, spec.device, ranked);
        if (!order) return order.error();
        auto source = std::make_unique<QtAudioSource>(format);
        auto* watcher = new AudioDeviceWatcher(AudioRole::Microphone, *order, source.get());
        QObject::connect(watcher, &AudioDeviceWatcher::deviceChanged, source.get(),
                         [s = source.get()](const QAudioDevice& d) { (void)s->useDevice(d); });
        auto started = source->useDevice(findAudioDevice(AudioRole::Microphone, watcher->current()->id));
        if (!started) return started.error();
        return std::unique_ptr<AudioSource>(std::move(source));
    }
    case SourceKind::Invalid: break;
    }
    return mediaError("audio source: no kind given");
}

MediaResult<std::unique_ptr<AudioSink>> makeAudioSink(const SinkSpec& spec, AudioFormat format,
                                                      const std::vector<std::string>& ranked)
{
    auto checked = checkAudioFormat(format);
    if (!checked) return checked.error();
    switch (spec.kind) {
    case SinkKind::Null: return std::unique_ptr<AudioSink>(std::make_unique<NullSink>(format));
    case SinkKind::File: {
        auto file = FileSink::create(spec.path, format);
        if (!file) return file.error();
        return std::unique_ptr<AudioSink>(std::move(*file));
    }
    case SinkKind::Device: {
        auto order = rankedFor(AudioRole::Speaker, spec.device, ranked);
        if (!order) return order.error();
        auto sink = std::make_unique<QtAudioSink>(format);
        auto* watcher = new AudioDeviceWatcher(AudioRole::Speaker, *order, sink.get());
        QObject::connect(watcher, &AudioDeviceWatcher::deviceChanged, sink.get(),
                         [s = sink.get()](const QAudioDevice& d) { (void)s->useDevice(d); });
        auto started = sink->useDevice(findAudioDevice(AudioRole::Speaker, watcher->current()->id));
        if (!started) return started.error();
        return std::unique_ptr<AudioSink>(std::move(sink));
    }
    case SinkKind::Invalid: break;
    }
    return mediaError("audio sink: no kind given");
}

} // namespace vphone::media
