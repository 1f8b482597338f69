// SharedVideoEncoders: one picture stream (a conference composite) encoded once per distinct
// codec/size/frame rate/slicing and handed as the same encoded frames to every video stream that
// asked for that encoding (issue 8).
//
// Theory of operation. A VideoStream whose source is an EncodedVideoSource does not encode: each
// tick it describes the encoding it wants (an EncodeRequest: codec, the layer its bandwidth
// estimate and the peer's max-fs/max-fr allow, its own target bitrate, H.264 slicing, and
// whether it wants a keyframe) and gets back the encoded frames it has not sent yet, which it
// packetizes with its own SSRC, sequence numbers, payload type, timestamps and SRTP context.
// Behind the source, a Member joins the Group whose key (codec, width, height, fps, slice
// size) equals its request; a changed request (renegotiation, a new layer) moves it to another
// group, creating one if none matches and dropping a group when its last member leaves, so
// the others never notice. The first member to ask after a new picture was published encodes
// it, under the group's mutex, on its own media thread; the rest find the frame done. Frames
// are numbered per group and the last kKeep are kept, so a member whose tick came late gets
// every frame since its last one, in order (a gap would break the reference chain). A member
// starts (joining, or after falling further behind than kKeep) at a keyframe among the newest three
// and until one exists the group's next frame is forced to a keyframe; a keyframe request from
// any member (PLI, FIR, the stream's first frame or its periodic fallback) forces the group's
// next frame to one, which every member then sends; such keyframes are at least 300 ms of
// pictures apart per group (a request inside that gap waits for its end, it is not dropped),
// so peers that all report the same loss cost one keyframe, not one each. The group encodes at the lowest
// target bitrate of its members that asked within the last second (one on hold holds no one back), with the
// same hysteresis a stream's own encoder uses. A member far below the others gets a smaller layer (or frame
// rate) from its bandwidth estimator, hence another key, hence its own encoder: the split needs no extra
// rule, and the members left are not dragged down (within a group the lowest target is at least the layer's
// floor, 0.05 bit per pixel per frame, e.g. 345 kbit/s at 640x360 30 fps). A group at the pictures' rate
// encodes every picture; one below it (a peer's max-fr, a low estimate) only when its period (1/fps, less a
// quarter for jitter) has passed since the last picture it encoded.
#pragma once

#include "dsp/media_result.h"
#include "video/video_codec.h"
#include "video/video_io.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace vphone::media {

/// What a stream asks of an encoded source on a tick.
struct EncodeRequest {
    /// codec, width/height/fps of the layer, this member's target bitrate, h264MaxSliceBytes.
    VideoEncoderSettings settings;
    bool keyframe = false; ///< this member wants the next frame to be a keyframe
};

using SharedEncodedFrame = std::shared_ptr<const EncodedVideoFrame>;

/// A video source that also hands out its pictures already encoded (see the theory above).
class EncodedVideoSource : public VideoSource {
public:
    /// Media thread: appends the frames of `request`'s encoding this caller has not had yet,
    /// oldest first (none is normal: no new picture). An error when the encoder cannot be made.
    virtual MediaResult<bool> encoded(std::chrono::steady_clock::time_point frameTime,
                                      const EncodeRequest& request, std::vector<SharedEncodedFrame>& out) = 0;
};

class SharedVideoEncoders {
public:
    /// `newest(seen, seq, out)`: when the newest picture's sequence number differs from
    /// `seen`, sets `seq`, copies the picture into `out` and returns true.
    using Newest = std::function<bool(std::uint64_t seen, std::uint64_t& seq, VideoFrame& out)>;
    /// `sourceFps`: the pictures' rate; a group at that rate or above takes every picture.
    SharedVideoEncoders(Newest newest, int sourceFps);
    ~SharedVideoEncoders();
    SharedVideoEncoders(const SharedVideoEncoders&) = delete;
    SharedVideoEncoders& operator=(const SharedVideoEncoders&) = delete;

    struct Group;

    /// One stream's place in a group; leaves it when destroyed. Use from one thread.
    class Member {
    public:
        explicit Member(std::shared_ptr<SharedVideoEncoders> owner);
        ~Member();
        Member(const Member&) = delete;
        Member& operator=(const Member&) = delete;
        /// See EncodedVideoSource::encoded().
        MediaResult<bool> encoded(const EncodeRequest& request, std::vector<SharedEncodedFrame>& out);

    private:
        void leave();
        std::shared_ptr<SharedVideoEncoders> owner_;
        std::shared_ptr<Group> group_;
        std::uint64_t next_ = 0; ///< number of the next frame to hand out
        bool synced_ = false;    ///< has started at a keyframe
    };

    /// One group as it stands.
    struct GroupStats {
        VideoCodecId codec = VideoCodecId::H264;
        int width = 0, height = 0, fps = 0;
        std::size_t members = 0;
        int bitrateKbps = 0; ///< its encoder's (0 before the first frame)
    };
    struct Stats {
        std::vector<GroupStats> each;      ///< oldest group first
        std::size_t groups = 0;            ///< groups with members now
        std::size_t encoders = 0;          ///< encoders alive now
        std::uint64_t encodersCreated = 0; ///< ever
        std::uint64_t framesEncoded = 0;   ///< encode calls that produced a frame, all groups
        std::uint64_t keyframes = 0;
        std::uint64_t keyframesDeferred = 0; ///< requests held back by the gap (per encode)
    };
    Stats stats() const;

private:
    std::shared_ptr<Group> join(const VideoEncoderSettings& key);

    Newest newest_;
    int sourceFps_;
    mutable std::mutex mutex_; ///< groups_
    std::vector<std::weak_ptr<Group>> groups_;
    std::atomic<std::uint64_t> created_{0};
    std::atomic<std::uint64_t> encoded_{0};
    std::atomic<std::uint64_t> keyframes_{0};
    std::atomic<std::uint64_t> deferred_{0};
    friend class Member;
};

} // namespace vphone::media
