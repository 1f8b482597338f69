// The audio source and sink spec strings vphone-cli takes (--audio-source, --audio-sink):
//   source: tone:HZ | file:PATH | silence | device[:NAME]
//   sink:   file:PATH | null | device[:NAME]
// NAME is a device id or description as Qt Multimedia lists it; without it the role's ranked
// preferences (then the system default) choose. PATH is everything after "file:", colons included.
#pragma once

#include "dsp/media_result.h"

#include <string>
#include <string_view>

namespace vphone::media {

enum class SourceKind { Invalid, Tone, File, Silence, Device };
enum class SinkKind { Invalid, File, Null, Device };

/// A parsed source spec.
struct SourceSpec {
    SourceKind kind = SourceKind::Invalid;
    double toneHz = 0;  ///< Tone
    std::string path;   ///< File
    std::string device; ///< Device: empty for the preferred/default one
};

/// A parsed sink spec.
struct SinkSpec {
    SinkKind kind = SinkKind::Invalid;
    std::string path;
    std::string device;
};

/// Errors quote the spec and say what was expected.
MediaResult<SourceSpec> parseSourceSpec(std::string_view spec);
MediaResult<SinkSpec> parseSinkSpec(std::string_view spec);

} // namespace vphone::media
