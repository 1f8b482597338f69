// Internal helpers shared by the FFmpeg-based files of vphone_video (not installed, not public).
#pragma once

#include "dsp/ffmpeg_runtime.h"

#include <string>

namespace vphone::media::detail {

/// FFmpeg's text for an AVERROR code, e.g. "Invalid data found when processing input".
inline std::string avErrorText(int err)
{
    return ffmpeg::errorText(err);
}

} // namespace vphone::media::detail
