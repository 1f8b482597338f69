// Sound cards through Qt Multimedia (QMediaDevices, QAudioSource, QAudioSink; on Debian 12 that
// means PulseAudio), behind the AudioSource/AudioSink interface.
//
// Theory of operation: the QAudioSource/QAudioSink objects live on a Qt thread with an event
// loop (the one that calls start()); Qt moves audio through a QIODevice of ours: it writes
// captured bytes into CaptureIo (push mode) and pulls playback bytes from PlaybackIo (pull
// mode). Those two callbacks are the real-time side: they only copy samples into or out of an
// SpscRing — no locks, no allocation, no logging — and count overruns and underruns in atomics.
// The media thread calls read()/write(), which touch only the other end of the ring. A device
// switch (the user's choice, or hot-plug) stops the Qt object and starts a new one on the new
// device with the same ring, so the media thread never notices. AudioDeviceWatcher follows
// QMediaDevices' audioInputsChanged/audioOutputsChanged for one role and, through
// onDevicesChanged(), tells the stream which device to use next; a remembered device that has
// gone is skipped, not an error. Qt's audio format here is always Int16 at the stream's rate and
// channel count; a device that cannot take it is reported by name.
#pragma once

#include "device/audio_device.h"
#include "device/device_preferences.h"
#include "device/device_spec.h"
#include "device/spsc_ring.h"

#include <QAudioDevice>
#include <QIODevice>
#include <QMediaDevices>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

class QAudioSource;
class QAudioSink;

namespace vphone::media {

/// Devices Qt lists now, as AudioDeviceInfo.
std::vector<AudioDeviceInfo> listAudioInputs();
std::vector<AudioDeviceInfo> listAudioOutputs();

/// Capture from a sound card.
class QtAudioSource final : public QObject, public AudioSource {
    Q_OBJECT
public:
    /// ringFrames: how many frames the ring holds (latency bound before overruns).
    QtAudioSource(AudioFormat format, std::size_t ringFrames = 8, QObject* parent = nullptr);
    ~QtAudioSource() override;

    /// Qt thread: (re)starts capture on device (a null device stops). Errors name the device.
    MediaResult<bool> useDevice(const QAudioDevice& device);
    void stop();
    QAudioDevice device() const { return device_; }

    // Media thread.
    AudioFormat format() const override { return format_; }
    FrameStatus read(std::span<int16_t> frame) override;
    std::string describe() const override;
    std::uint64_t overruns() const { return overruns_.load(std::memory_order_relaxed); }

private:
    class CaptureIo;
    AudioFormat format_;
    SpscRing<int16_t> ring_;
    std::atomic<std::uint64_t> overruns_{0};
    std::unique_ptr<CaptureIo> io_;
    std::unique_ptr<QAudioSource> source_;
    QAudioDevice device_;
};

/// Playback to a sound card.
class QtAudioSink final : public QObject, public AudioSink {
    Q_OBJECT
public:
    QtAudioSink(AudioFormat format, std::size_t ringFrames = 8, QObject* parent = nullptr);
    ~QtAudioSink() override;

    /// Qt thread: (re)starts playback on device (a null device stops).
    MediaResult<bool> useDevice(const QAudioDevice& device);
    void stop();
    QAudioDevice device() const { return device_; }

    // Media thread.
    AudioFormat format() const override { return format_; }
    FrameStatus write(std::span<const int16_t> frame) override;
    std::string describe() const override;
    std::uint64_t overruns() const { return overruns_.load(std::memory_order_relaxed); }
    std::uint64_t underruns() const { return underruns_.load(std::memory_order_relaxed); }

private:
    class PlaybackIo;
    AudioFormat format_;
    SpscRing<int16_t> ring_;
    std::atomic<std::uint64_t> overruns_{0};
    std::atomic<std::uint64_t> underruns_{0};
    std::unique_ptr<PlaybackIo> io_;
    std::unique_ptr<QAudioSink> sink_;
    QAudioDevice device_;
};

/// Follows the device list for one role and says which device to use.
class AudioDeviceWatcher final : public QObject {
    Q_OBJECT
public:
    /// role Microphone watches inputs; Speaker and Ringer watch outputs.
    AudioDeviceWatcher(AudioRole role, std::vector<std::string> ranked, QObject* parent = nullptr);
    /// The device chosen now (none when the list is empty).
    std::optional<AudioDeviceInfo> current() const { return current_; }
    /// Re-evaluates (also called on every QMediaDevices change).
    void refresh();
    void setRanked(std::vector<std::string> ranked);

signals:
    /// Use this device from now on (a null QAudioDevice: none is left).
    void deviceChanged(const QAudioDevice& device);

private:
    AudioRole role_;
    std::vector<std::string> ranked_;
    std::optional<AudioDeviceInfo> current_;
    QMediaDevices devices_;
};

/// The QAudioDevice for an id from listAudioInputs()/listAudioOutputs() (null if gone).
QAudioDevice findAudioDevice(AudioRole role, const std::string& id);

/// Makes the source a spec names. Device sources start capturing at once on the calling
/// thread, which must run a Qt event loop; NAME must match a present device, while without
/// NAME `ranked` and then the system default choose. Errors say what and, for devices, which exist.
MediaResult<std::unique_ptr<AudioSource>> makeAudioSource(const SourceSpec& spec, AudioFormat format,
                                                          const AudioClock& clock,
                                                          const std::vector<std::string>& ranked = {});
/// Makes the sink a spec names (see makeAudioSource for devices).
MediaResult<std::unique_ptr<AudioSink>> makeAudioSink(const SinkSpec& spec, AudioFormat format,
                                                      const std::vector<std::string>& ranked = {});

} // namespace vphone::media
