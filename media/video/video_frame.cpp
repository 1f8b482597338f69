#include "video/video_frame.h"

namespace vphone::media {

std::size_t VideoFrame::byteSize(int w, int h)
{
    if (w <= 0 || h <= 0) return 0;
    const std::size_t cw = std::size_t(w + 1) / 2;
    const std::size_t ch = std::size_t(h + 1) / 2;
    return std::size_t(w) * std::size_t(h) + 2 * cw * ch;
}

void VideoFrame::resize(int w, int h)
{
    width = w > 0 && h > 0 ? w : 0;
    height = w > 0 && h > 0 ? h : 0;
    data.resize(byteSize(width, height));
}

bool VideoFrame::valid() const
{
    return width > 0 && height > 0 && data.size() == byteSize(width, height);
}

} // namespace vphone::media
