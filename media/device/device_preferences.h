// Which sound device each role uses: a ranked preference list per role (microphone, speaker,
// ringer), matched against the devices present now, falling back to the system default.
//
// Theory of operation: the user's choices are remembered as ranked lists of device ids (Qt's
// QAudioDevice::id(), stable across runs for PulseAudio) or descriptions. Whenever the device
// list changes (start-up, hot-plug) chooseDevice() picks the first preferred device present —
// by exact id, else by case-insensitive description — else the system default, else the first
// device, else none. A remembered device that is gone is simply skipped: not an error. Pure
// logic with no Qt, so the tests cover every case; qt_audio_device.h applies it to QMediaDevices.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::media {

/// What a device is used for.
enum class AudioRole { Invalid, Microphone, Speaker, Ringer };

/// A device as the platform lists it.
struct AudioDeviceInfo {
    std::string id;
    std::string description;
    bool isDefault = false;
    friend bool operator==(const AudioDeviceInfo&, const AudioDeviceInfo&) = default;
};

/// True if the device's id is `name`, or its description is `name` ignoring case.
bool matchesDevice(const AudioDeviceInfo& device, std::string_view name);

/// The device to use from `available` for a ranked list of ids or descriptions.
std::optional<AudioDeviceInfo> chooseDevice(const std::vector<std::string>& ranked,
                                            const std::vector<AudioDeviceInfo>& available);

/// What to do when the device list changes while a stream runs on `current`.
struct DeviceDecision {
    bool switchDevice = false;         ///< stop the stream on current, start it on `to`
    std::optional<AudioDeviceInfo> to; ///< none: no device left (stop and wait)
};
DeviceDecision onDevicesChanged(const std::optional<AudioDeviceInfo>& current,
                                const std::vector<std::string>& ranked,
                                const std::vector<AudioDeviceInfo>& available);

/// Ranked preferences for the three roles.
class DevicePreferences {
public:
    /// The ranked ids/descriptions for a role, best first.
    const std::vector<std::string>& ranked(AudioRole role) const;
    /// The user picked this device: it goes to the top of the role's list (kept once).
    void prefer(AudioRole role, std::string_view idOrDescription);
    /// Replaces a role's list (from saved settings).
    void setRanked(AudioRole role, std::vector<std::string> ranked);

private:
    std::vector<std::string> microphone_;
    std::vector<std::string> speaker_;
    std::vector<std::string> ringer_;
    std::vector<std::string> none_;
    std::vector<std::string>* list(AudioRole role);
};

} // namespace vphone::media
