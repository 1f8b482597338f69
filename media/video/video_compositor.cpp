// VideoCompositor: see video_compositor.h for the theory of operation.
#include "video/video_compositor.h"

#include "dsp/ffmpeg_runtime.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vphone::media {

namespace {

constexpr std::uint8_t kBlackY = 16;
constexpr std::uint8_t kNeutralChroma = 128;

int even(int v)
{
    return v & ~1;
}

int gridColumns(int n)
{
    if (n <= 1) return 1;
    if (n <= 4) return 2;
    if (n <= 9) return 3;
    return static_cast<int>(std::ceil(std::sqrt(double(n))));
}

} // namespace

VideoCompositor::Slot::~Slot()
{
    if (sws) ffmpeg::api().sws_freeContext(sws);
}

VideoCompositor::VideoCompositor(int width, int height, Layout layout)
    : width_(even(width)), height_(even(height)), layout_(layout)
{}

void VideoCompositor::add(int id)
{
    std::lock_guard lock(mutex_);
    if (std::any_of(slots_.begin(), slots_.end(), [id](const auto& s) { return s->id == id; })) return;
    slots_.push_back(std::make_shared<Slot>(id));
}

void VideoCompositor::remove(int id)
{
    std::lock_guard lock(mutex_);
    std::erase_if(slots_, [id](const auto& s) { return s->id == id; });
    if (speaker_ == id) speaker_.reset();
}

void VideoCompositor::setLayout(Layout layout)
{
    std::lock_guard lock(mutex_);
    layout_ = layout;
}

void VideoCompositor::setSpeaker(std::optional<int> id)
{
    std::lock_guard lock(mutex_);
    speaker_ = id;
}

std::vector<int> VideoCompositor::order() const
{
    std::lock_guard lock(mutex_);
    std::vector<int> ids;
    for (const auto& s : slots_)
        ids.push_back(s->id);
    if (layout_ == Layout::Speaker && speaker_) {
        auto it = std::find(ids.begin(), ids.end(), *speaker_);
        if (it != ids.end()) std::rotate(ids.begin(), it, it + 1);
    }
    return ids;
}

void VideoCompositor::submit(int id, const VideoFrame& frame)
{
    if (!frame.valid()) return;
    std::shared_ptr<Slot> slot;
    {
        std::lock_guard lock(mutex_);
        for (const auto& s : slots_)
            if (s->id == id) slot = s;
    }
    if (!slot) return;
    std::lock_guard lock(slot->mutex);
    slot->frame.width = frame.width;
    slot->frame.height = frame.height;
    slot->frame.data.assign(frame.data.begin(), frame.data.end()); // same size: no allocation
    slot->frame.captured = frame.captured;
    slot->has = true;
}

std::vector<VideoRect> VideoCompositor::cells(Layout layout, int n, int width, int height)
{
    std::vector<VideoRect> out;
    if (n <= 0) return out;
    if (layout == Layout::Speaker && n > 1) {
        const int bigH = even(height * 3 / 4);
        out.push_back({0, 0, width, bigH});
        const int smallW = even(width / (n - 1));
        for (int i = 0; i < n - 1; ++i)
            out.push_back({i * smallW, bigH, smallW, height - bigH});
        return out;
    }
    const int cols = gridColumns(n);
    const int rows = (n + cols - 1) / cols;
    const int cw = even(width / cols);
    const int ch = even(height / rows);
    for (int i = 0; i < n; ++i)
        out.push_back({(i % cols) * cw, (i / cols) * ch, cw, ch});
    return out;
}

void VideoCompositor::fill(VideoFrame& out, const VideoRect& r, std::uint8_t y, std::uint8_t u,
                           std::uint8_t v)
{
    for (int row = r.y; row < r.y + r.height; ++row)
        std::memset(out.y() + std::size_t(row) * out.width + r.x, y, std::size_t(r.width));
    const int cw = out.chromaWidth();
    for (int row = r.y / 2; row < (r.y + r.height) / 2; ++row) {
        std::memset(out.u() + std::size_t(row) * cw + r.x / 2, u, std::size_t(r.width / 2));
        std::memset(out.v() + std::size_t(row) * cw + r.x / 2, v, std::size_t(r.width / 2));
    }
}

MediaResult<bool> VideoCompositor::draw(Slot& slot, const VideoRect& cell, VideoFrame& out)
{
    std::lock_guard lock(slot.mutex);
    if (!slot.has) {
        fill(out, cell, kNoPictureLuma, kNeutralChroma, kNeutralChroma);
        return true;
    }
    const VideoFrame& in = slot.frame;
    // Letterbox: the largest even size of the picture's aspect that fits the cell, centred.
    const double fit = std::min(double(cell.width) / in.width, double(cell.height) / in.height);
    const int w = std::clamp(even(static_cast<int>(std::lround(in.width * fit))), 2, cell.width);
    const int h = std::clamp(even(static_cast<int>(std::lround(in.height * fit))), 2, cell.height);
    const int x = cell.x + even((cell.width - w) / 2);
    const int y = cell.y + even((cell.height - h) / 2);
    const auto& api = ffmpeg::api();
    slot.sws = api.sws_getCachedContext(slot.sws, in.width, in.height, AV_PIX_FMT_YUV420P, w, h,
                                        AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
    if (!slot.sws)
        return mediaError("video compositor: swscale cannot scale to " + std::to_string(w) + "x" +
                          std::to_string(h));
    const std::uint8_t* src[4] = {in.y(), in.u(), in.v(), nullptr};
    const int srcStride[4] = {in.width, in.chromaWidth(), in.chromaWidth(), 0};
    const int cw = out.chromaWidth();
    std::uint8_t* dst[4] = {out.y() + std::size_t(y) * out.width + x,
                            out.u() + std::size_t(y / 2) * cw + x / 2,
                            out.v() + std::size_t(y / 2) * cw + x / 2, nullptr};
    const int dstStride[4] = {out.width, cw, cw, 0};
    api.sws_scale(slot.sws, src, srcStride, 0, in.height, dst, dstStride);
    return true;
}

MediaResult<bool> VideoCompositor::compose(VideoFrame& out)
{
    if (auto lib = ffmpeg::load(); !lib) return mediaError("video compositor: " + lib.error().what);
    Layout layout;
    {
        std::lock_guard lock(mutex_);
        drawing_.assign(slots_.begin(), slots_.end());
        layout = layout_;
        if (layout_ == Layout::Speaker && speaker_) {
            auto it = std::find_if(drawing_.begin(), drawing_.end(),
                                   [&](const auto& s) { return s->id == *speaker_; });
            if (it != drawing_.end()) std::rotate(drawing_.begin(), it, it + 1);
        }
    }
    if (out.width != width_ || out.height != height_ || !out.valid()) out.resize(width_, height_);
    fill(out, {0, 0, width_, height_}, kBlackY, kNeutralChroma, kNeutralChroma);
    const auto rects = cells(layout, int(drawing_.size()), width_, height_);
    std::optional<MediaError> failed;
    for (std::size_t i = 0; i < drawing_.size(); ++i) {
        if (auto ok = draw(*drawing_[i], rects[i], out); !ok && !failed) failed = ok.error();
    }
    drawing_.clear();
    if (failed) return *failed;
    return true;
}

} // namespace vphone::media
