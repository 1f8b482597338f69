#include "device/device_preferences.h"

#include <algorithm>
#include <cctype>

namespace vphone::media {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

} // namespace

bool matchesDevice(const AudioDeviceInfo& device, std::string_view name)
{
    return device.id == name || equalsIgnoreCase(device.description, name);
}

std::optional<AudioDeviceInfo> chooseDevice(const std::vector<std::string>& ranked,
                                            const std::vector<AudioDeviceInfo>& available)
{
    for (const auto& want : ranked) {
        for (const auto& d : available) {
            if (d.id == want) return d;
        }
        for (const auto& d : available) {
            if (equalsIgnoreCase(d.description, want)) return d;
        }
    }
    for (const auto& d : available) {
        if (d.isDefault) return d;
    }
    if (!available.empty()) return available.front();
    return std::nullopt;
}

DeviceDecision onDevicesChanged(const std::optional<AudioDeviceInfo>& current,
                                const std::vector<std::string>& ranked,
                                const std::vector<AudioDeviceInfo>& available)
{
    DeviceDecision d;
    d.to = chooseDevice(ranked, available);
    const bool same = current && d.to && current->id == d.to->id;
    d.switchDevice = !same && (current.has_value() || d.to.has_value());
    return d;
}

std::vector<std::string>* DevicePreferences::list(AudioRole role)
{
    switch (role) {
    case AudioRole::Microphone: return &microphone_;
    case AudioRole::Speaker: return &speaker_;
    case AudioRole::Ringer: return &ringer_;
    case AudioRole::Invalid: break;
    }
    return nullptr;
}

const std::vector<std::string>& DevicePreferences::ranked(AudioRole role) const
{
    auto* self = const_cast<DevicePreferences*>(this);
    auto* l = self->list(role);
    return l ? *l : none_;
}

void DevicePreferences::prefer(AudioRole role, std::string_view idOrDescription)
{
    auto* l = list(role);
    if (!l || idOrDescription.empty()) return;
    std::erase(*l, std::string(idOrDescription));
    l->insert(l->begin(), std::string(idOrDescription));
}

void DevicePreferences::setRanked(AudioRole role, std::vector<std::string> ranked)
{
    if (auto* l = list(role)) *l = std::move(ranked);
}

} // namespace vphone::media
