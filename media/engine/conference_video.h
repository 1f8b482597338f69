// ConferenceVideo: the video half of a conference bridge (issue 8).
//
// Theory of operation. A VideoCompositor (video/video_compositor.h) holds each participant's
// latest decoded frame, fed by a VideoSink tap the participant's video stream writes to on its
// own thread. One "vphone-compose" thread ticks at the bridge's frame rate: it captures the
// host's camera (if any) into the compositor, tells it the active speaker (Speaker layout),
// composes one picture and publishes it (a double buffer swapped under a mutex; the copy out
// is 345 kB at 640x360, well under a millisecond). Every participant's VideoSource is an
// EncodedVideoSource (shared_video_encoder.h): its video stream asks it for the composite
// already encoded with the codec, layer, frame rate and slicing it negotiated, and the
// participants asking for the same encoding share one encoder (a group): the composite is
// encoded once per group per picture, by whichever member's media thread asks first, and every
// member packetizes the same frames with its own SSRC, sequence numbers, payload type,
// timestamps and SRTP context. A keyframe request from any member makes the group's next frame
// a keyframe; a joining member starts at a keyframe; the group encodes at its members' lowest
// target bitrate, and a member whose estimate drops far enough for a smaller layer moves to
// a group of its own. capture() still hands out the raw composite once (a stream that cannot
// use the encoded path). encoderStats() counts groups, encoders and frames encoded. The host
// GUI gets the same composite through setHostSink(). Sources and taps share the state with
// the bridge, so a session may keep them after the bridge is gone (they then give nothing /
// are ignored).
#pragma once

#include "dsp/media_result.h"
#include "shared_video_encoder.h"
#include "video/video_compositor.h"
#include "video/video_io.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace vphone::media {

class ConferenceVideo {
public:
    /// width x height at fps (checked by the bridge).
    ConferenceVideo(int width, int height, int fps, VideoCompositor::Layout layout,
                    std::function<std::optional<int>()> activeSpeaker);
    ~ConferenceVideo();
    ConferenceVideo(const ConferenceVideo&) = delete;
    ConferenceVideo& operator=(const ConferenceVideo&) = delete;

    /// Starts the compositing thread; false with `error` set when refused.
    bool start(std::string* error = nullptr);
    void stop();

    /// A participant's cell (dark until its first frame).
    void add(int id);
    void remove(int id);
    /// What participant `id` sends: the composite.
    std::unique_ptr<VideoSource> sourceFor(int id);
    /// Where participant `id`'s decoded frames go.
    std::unique_ptr<VideoSink> sinkFor(int id);
    /// The host's camera as participant `id` (captured on the compositing thread).
    void setHostSource(int id, std::unique_ptr<VideoSource> source);
    /// The host GUI's picture; null stops it.
    void setHostSink(std::shared_ptr<VideoSink> sink);

    /// One composition by hand (tests, benchmarks): what the thread does each tick.
    MediaResult<bool> composeOnce();
    /// The shared encoders: groups, encoders alive and made, frames encoded.
    SharedVideoEncoders::Stats encoderStats() const;
    /// Composites published so far.
    std::uint64_t composed() const;
    /// The newest composite (a copy; empty before the first).
    VideoFrame latest() const;

    struct Shared;

private:
    void run();

    int fps_;
    std::shared_ptr<Shared> shared_;
    std::function<std::optional<int>()> activeSpeaker_;
    std::mutex hostMutex_; ///< host*_
    int hostId_ = 0;
    std::unique_ptr<VideoSource> hostSource_;
    VideoFrame hostFrame_;
    std::shared_ptr<VideoSink> hostSink_;
    VideoFrame back_; ///< compose target, swapped with the published one
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

} // namespace vphone::media
