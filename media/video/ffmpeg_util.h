// Internal helpers shared by the FFmpeg-based files of vphone_video (not installed, not public).
#pragma once

extern "C" {
#include <libavutil/error.h>
}

#include <string>

namespace vphone::media::detail {

/// FFmpeg's text for an AVERROR code, e.g. "Invalid data found when processing input".
inline std::string avErrorText(int err)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(err, buf, sizeof buf);
    return buf;
}

} // namespace vphone::media::detail
