// VideoCompositor: the picture of a video conference (issue 8): the latest decoded frame of each
// participant, scaled with libswscale into a cell of one I420 canvas.
//
// Theory of operation. Participants are added and removed by id (the bridge's participant ids)
// from the control thread; each participant's media thread submit()s its decoded frames, which
// are copied into that participant's slot (only the newest is kept: a composite shows the
// present, and a fast sender cannot queue up work). compose() runs on the bridge's compositing
// thread once per output frame: it takes the participant list as it is now, so a join or leave
// shows at the very next frame, lays out the cells, and scales each slot's frame into its
// cell, letterboxed (aspect kept, black bars, even offsets for the 4:2:0 chroma). A participant
// that has sent no picture yet (audio only, or its first keyframe not decoded) is a dark grey
// cell. Layouts: Grid is 1, 2x1, 2x2, 3x3, then 4x4 cells; Speaker gives the active speaker the
// top three quarters and the others small cells in a row underneath.
//
// Every participant gets the same composite, themselves included (a self view in the grid, as
// most MCUs do): one composition per frame for everyone, rather than one per participant.
// Scaling uses one cached SwsContext per participant (sws_getCachedContext), straight into the canvas, so a
// steady layout pays set-up once; the canvas is reused, nothing allocates per frame once sizes settle.
#pragma once

#include "dsp/media_result.h"
#include "video/video_frame.h"

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

struct SwsContext;

namespace vphone::media {

/// A cell of the canvas, in pixels.
struct VideoRect {
    int x = 0, y = 0, width = 0, height = 0;
    friend bool operator==(const VideoRect&, const VideoRect&) = default;
};

class VideoCompositor {
public:
    enum class Layout { Invalid, Grid, Speaker };
    /// Luma of a cell whose participant has no picture (dark grey; the bars are black, 16).
    static constexpr std::uint8_t kNoPictureLuma = 40;

    /// A canvas of width x height (even; checked by the caller).
    VideoCompositor(int width, int height, Layout layout);

    /// Control thread.
    void add(int id);
    void remove(int id);
    void setLayout(Layout layout);
    /// The participant shown large in the Speaker layout (none: the first to join).
    void setSpeaker(std::optional<int> id);
    /// Ids in the order they are laid out now.
    std::vector<int> order() const;

    /// A participant's decoded frame (its media thread); unknown ids and invalid frames are ignored.
    void submit(int id, const VideoFrame& frame);
    /// Draws the composite into `out` (canvas size). One thread at a time. Errors: swscale failed.
    MediaResult<bool> compose(VideoFrame& out);

    /// The cells for n participants (speaker first in the Speaker layout).
    static std::vector<VideoRect> cells(Layout layout, int n, int width, int height);

private:
    struct Slot {
        explicit Slot(int i) : id(i) {}
        ~Slot();
        int id;
        std::mutex mutex; ///< frame, has
        VideoFrame frame;
        bool has = false;
        SwsContext* sws = nullptr; ///< compose() only: scales frame into its cell of the canvas
    };
    void fill(VideoFrame& out, const VideoRect& r, std::uint8_t y, std::uint8_t u, std::uint8_t v);
    MediaResult<bool> draw(Slot& slot, const VideoRect& cell, VideoFrame& out);

    int width_;
    int height_;
    mutable std::mutex mutex_; ///< slots_, layout_, speaker_
    std::vector<std::shared_ptr<Slot>> slots_;
    Layout layout_;
    std::optional<int> speaker_;
    std::vector<std::shared_ptr<Slot>> drawing_; ///< compose(): this frame's slots, reused
};

} // namespace vphone::media
