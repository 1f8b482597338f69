// Video encoders and decoders over FFmpeg's libavcodec: H.264 (libx264 to encode, FFmpeg's own
// decoder) and VP8 (libvpx to encode, FFmpeg's own decoder), tuned for real-time calls: no
// lookahead, no B-frames, keyframes only on request (or every N frames), CBR-like rate control.
//
// Both classes are used from one thread (the media thread) and never throw: set-up failures and
// bad input come back as a MediaError saying what and where. Frames are I420 (video_frame.h);
// encoded frames are what the RTP payload formats take (an H.264 Annex B access unit, a bare VP8
// frame), see media/payload/video_payload.h.
#pragma once

#include "dsp/media_result.h"
#include "video/video_frame.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace vphone::media {

/// FFmpeg logs every encoder's settings and every decoding error to stderr; this keeps only its
/// fatal messages, process-wide (tests, command-line tools). Errors still come back as MediaError.
void silenceFfmpegLogs();

/// The video codecs vphone speaks.
enum class VideoCodecId { H264, Vp8 };

/// "H264" or "VP8".
std::string_view toString(VideoCodecId codec);

/// How to set up an encoder.
struct VideoEncoderSettings {
    VideoCodecId codec = VideoCodecId::H264;
    int width = 640;
    int height = 360;
    int fps = 30;
    int bitrateKbps = 800;
    /// 0: no periodic keyframes (only the first frame and those requested); the stream forces them.
    int keyframeIntervalFrames = 0;
    /// Encoder threads (1 or 2 here; x264 uses sliced threads so latency stays one frame). VP8
    /// always encodes on one thread (settings() then says 1): libvpx's row threads busy-wait.
    int threads = 1;
    /// H.264 only: when positive, x264 cuts slices of at most this many bytes (e.g. 1200), so each
    /// NAL unit fits one RTP packet (RFC 6184 single NAL unit mode, no FU-A). 0: one slice a frame.
    int h264MaxSliceBytes = 0;
};

/// One encoded frame: an H.264 Annex B access unit (SPS/PPS repeated before every IDR) or a VP8 frame.
struct EncodedVideoFrame {
    std::vector<std::uint8_t> data;
    bool keyframe = false;
    int width = 0;
    int height = 0;
    /// The input frame's capture time (the encoders have no lookahead, so output matches input).
    std::chrono::steady_clock::time_point captured{};
};

/// A real-time video encoder. Not thread-safe; use from one thread.
class VideoEncoder {
public:
    /// H.264: libx264 via libavcodec: preset ultrafast, tune zerolatency, profile baseline
    /// (constrained baseline, profile-level-id 42c0xx / 42e0xx-compatible; level chosen by x264 from
    /// the size), no B-frames, SPS/PPS repeated on every keyframe, Annex B output, CBR-like rate
    /// control (bit_rate = rc_max_rate, VBV buffer of two frames).
    /// VP8: libvpx via libavcodec: deadline realtime, cpu-used 16 from 720p up (8 below), static
    /// threshold 1 (unchanged macroblocks skipped), error resilient, lag 0, CBR, one thread.
    /// Errors name the setting at fault (size, fps, bitrate) or the missing FFmpeg encoder.
    static MediaResult<std::unique_ptr<VideoEncoder>> create(const VideoEncoderSettings& settings);
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    /// Encodes one frame of settings().width x height (other sizes are scaled with swscale first);
    /// `forceKeyframe` asks for an IDR/keyframe. Returns false when the encoder produced nothing for
    /// this frame (`out` then unchanged), true when `out` holds an encoded frame.
    MediaResult<bool> encode(const VideoFrame& frame, bool forceKeyframe, EncodedVideoFrame& out);

    /// Changes the target bitrate (clamped to 30..20000 kbit/s). H.264 reconfigures x264 in place;
    /// VP8 recreates the encoder (cheap) and makes the next frame a keyframe. If recreating fails,
    /// the old encoder and rate stay.
    void setBitrate(int kbps);

    /// The settings in force (bitrateKbps follows setBitrate()).
    const VideoEncoderSettings& settings() const;

    /// Frames encoded so far (calls that returned true).
    std::uint64_t framesEncoded() const;

    struct Impl;

private:
    explicit VideoEncoder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// A video decoder (FFmpeg's native h264 / vp8 decoders, one thread, low delay). Not thread-safe.
class VideoDecoder {
public:
    /// Errors when FFmpeg lacks the decoder.
    static MediaResult<std::unique_ptr<VideoDecoder>> create(VideoCodecId codec);
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    /// Decodes one whole frame (H.264 Annex B access unit / VP8 frame). Returns true and fills `out`
    /// (I420, converted with swscale if the decoder outputs another format) when a picture came out;
    /// false when not (no error: an empty frame, SPS/PPS alone, a hidden VP8 frame). A corrupt frame,
    /// or a delta frame with no keyframe before it (a late joiner, a lost keyframe), returns an error
    /// (the caller asks for a keyframe); the decoder stays usable and the next keyframe decodes.
    MediaResult<bool> decode(std::span<const std::uint8_t> frame, VideoFrame& out);

    /// Pictures decode() has returned.
    std::uint64_t framesDecoded() const;

    /// The codec this decoder decodes.
    VideoCodecId codec() const;

    struct Impl;

private:
    explicit VideoDecoder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace vphone::media
