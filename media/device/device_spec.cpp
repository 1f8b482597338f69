#include "device/device_spec.h"

#include <charconv>
#include <cmath>

namespace vphone::media {

namespace {

constexpr const char* kSourceForms = "tone:HZ, file:PATH, silence or device[:NAME]";
constexpr const char* kSinkForms = "file:PATH, null or device[:NAME]";

std::string quoted(std::string_view s)
{
    return "'" + std::string(s) + "'";
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

} // namespace

MediaResult<SourceSpec> parseSourceSpec(std::string_view spec)
{
    SourceSpec out;
    const std::string what = "audio source " + quoted(spec);
    if (spec == "silence") {
        out.kind = SourceKind::Silence;
        return out;
    }
    if (startsWith(spec, "tone:")) {
        const std::string_view hz = spec.substr(5);
        double value = 0;
        const auto [end, ec] = std::from_chars(hz.data(), hz.data() + hz.size(), value);
        if (hz.empty() || ec != std::errc{} || end != hz.data() + hz.size() || !std::isfinite(value)) {
            return mediaError(what + ": " + quoted(hz) + " is not a frequency in Hz");
        }
        if (value <= 0 || value > 96000)
            return mediaError(what + ": frequency must be above 0 and at most 96000 Hz");
        out.kind = SourceKind::Tone;
        out.toneHz = value;
        return out;
    }
    if (startsWith(spec, "file:")) {
        if (spec.size() == 5) return mediaError(what + ": file: needs a path");
        out.kind = SourceKind::File;
        out.path = std::string(spec.substr(5));
        return out;
    }
    if (spec == "device" || startsWith(spec, "device:")) {
        out.kind = SourceKind::Device;
        if (spec.size() > 7) out.device = std::string(spec.substr(7));
        return out;
    }
    return mediaError("unknown " + what + " (expected " + kSourceForms + ")");
}

MediaResult<SinkSpec> parseSinkSpec(std::string_view spec)
{
    SinkSpec out;
    const std::string what = "audio sink " + quoted(spec);
    if (spec == "null") {
        out.kind = SinkKind::Null;
        return out;
    }
    if (startsWith(spec, "file:")) {
        if (spec.size() == 5) return mediaError(what + ": file: needs a path");
        out.kind = SinkKind::File;
        out.path = std::string(spec.substr(5));
        return out;
    }
    if (spec == "device" || startsWith(spec, "device:")) {
        out.kind = SinkKind::Device;
        if (spec.size() > 7) out.device = std::string(spec.substr(7));
        return out;
    }
    return mediaError("unknown " + what + " (expected " + kSinkForms + ")");
}

} // namespace vphone::media
