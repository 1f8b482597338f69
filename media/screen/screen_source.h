// Screen sharing: the whole X11 screen or one window as a VideoSource, through FFmpeg's x11grab
// input device (libavdevice). A background thread reads and converts frames (x11grab paces
// itself to the frame rate and blocks between frames); capture() on the media thread only takes
// the newest one from a one-frame mailbox, so it never waits for the X server.
#pragma once

#include "dsp/media_result.h"
#include "video/video_io.h"

#include <memory>
#include <string>

namespace vphone::media {

/// Opens X display `display` (":99"; empty: $DISPLAY) and captures the whole screen, or the
/// window `windowId` when it is not 0, at `fps` frames a second (1 to 60), mouse pointer drawn.
/// Frames are the screen's or window's size in I420. Errors name the display or window: no
/// DISPLAY set, the display cannot be opened, the window does not exist.
MediaResult<std::unique_ptr<VideoSource>> makeScreenSource(std::string display, unsigned long windowId,
                                                           int fps);

} // namespace vphone::media
