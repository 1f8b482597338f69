// VideoEncoder over libavcodec (libx264, libvpx). See video_codec.h for the settings chosen.
#include "dsp/ffmpeg_runtime.h"
#include "video/ffmpeg_util.h"
#include "video/video_codec.h"
#include "video/video_convert.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <string>

namespace vphone::media {

using detail::avErrorText;

void silenceFfmpegLogs()
{
    if (ffmpeg::load()) ffmpeg::api().av_log_set_level(AV_LOG_FATAL); // else no FFmpeg: nothing logs
}

std::string_view toString(VideoCodecId codec)
{
    switch (codec) {
    case VideoCodecId::H264: return "H264";
    case VideoCodecId::Vp8: return "VP8";
    }
    return "?";
}

namespace {

constexpr int kMinKbps = 30;
constexpr int kMaxKbps = 20000;

struct CodecContextDeleter {
    void operator()(AVCodecContext* c) const { ffmpeg::api().avcodec_free_context(&c); }
};
struct FrameDeleter {
    void operator()(AVFrame* f) const { ffmpeg::api().av_frame_free(&f); }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const { ffmpeg::api().av_packet_free(&p); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

void applyRate(AVCodecContext* ctx, VideoCodecId codec, int kbps, int fps)
{
    const std::int64_t bps = std::int64_t(kbps) * 1000;
    ctx->bit_rate = bps;
    ctx->rc_max_rate = bps;
    // A VBV of two frames: a keyframe may burst to about two frames' worth of bits and no more, so
    // it never queues behind itself on a link running at the target rate (the first keyframe is
    // coarse and the next frames refine it; the test-pattern barcode stays readable at 300 kbit/s).
    ctx->rc_buffer_size = int(std::min<std::int64_t>(bps * 2 / std::max(1, fps), 1 << 30));
    // libvpxenc picks VPX_CBR when min == max == bit_rate.
    if (codec == VideoCodecId::Vp8) ctx->rc_min_rate = bps;
}

MediaResult<CodecContextPtr> openEncoder(const VideoEncoderSettings& s)
{
    const char* name = s.codec == VideoCodecId::H264 ? "libx264" : "libvpx";
    const AVCodec* codec = ffmpeg::api().avcodec_find_encoder_by_name(name);
    if (!codec) {
        return mediaError(std::string("video encoder: FFmpeg has no ") + name +
                          " encoder (install libavcodec with " + name + ")");
    }
    CodecContextPtr ctx(ffmpeg::api().avcodec_alloc_context3(codec));
    if (!ctx) return mediaError("video encoder: out of memory");
    AVCodecContext* c = ctx.get();
    c->width = s.width;
    c->height = s.height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = AVRational{1, s.fps};
    c->framerate = AVRational{s.fps, 1};
    c->max_b_frames = 0;
    c->thread_count = std::clamp(s.threads, 1, 16);
    // 0 means "only on request": a GOP longer than any call.
    c->gop_size = s.keyframeIntervalFrames > 0 ? s.keyframeIntervalFrames : (1 << 30);
    c->flags &= ~AV_CODEC_FLAG_GLOBAL_HEADER; // SPS/PPS in-band, before every IDR
    applyRate(c, s.codec, s.bitrateKbps, s.fps);

    AVDictionary* opts = nullptr;
    if (s.codec == VideoCodecId::H264) {
        ffmpeg::api().av_dict_set(&opts, "preset", "ultrafast", 0);
        ffmpeg::api().av_dict_set(&opts, "tune", "zerolatency", 0);
        ffmpeg::api().av_dict_set(&opts, "profile", "baseline", 0);
        ffmpeg::api().av_dict_set(&opts, "forced-idr", "1", 0);
        std::string params = "repeat-headers=1:annexb=1:scenecut=0:min-keyint=1";
        if (s.h264MaxSliceBytes > 0) params += ":slice-max-size=" + std::to_string(s.h264MaxSliceBytes);
        ffmpeg::api().av_dict_set(&opts, "x264-params", params.c_str(), 0);
        c->thread_type = FF_THREAD_SLICE;
    } else {
        ffmpeg::api().av_dict_set(&opts, "deadline", "realtime", 0);
        // libvpx's fastest real-time speed (16) from 720p up: it nearly doubles the frame rate a
        // core encodes there (92 -> 153 fps measured, noisy pattern), where a 2-core machine needs
        // it for a two-way call; below, 8 keeps the rate control on target at low bitrates (16
        // overshoots ~3x at 250 kbit/s on noisy 640x360).
        ffmpeg::api().av_dict_set(&opts, "cpu-used", s.width * s.height >= 1280 * 720 ? "16" : "8", 0);
        // Macroblocks that differ from their prediction by (almost) nothing are coded as skipped
        // without a mode and residual search (VP8E_SET_STATIC_THRESHOLD 1, WebRTC's value for
        // camera video): still parts of the picture then cost almost nothing. 720p test pattern,
        // 60 frames, one thread: 2.86 -> 1.46 G instructions (callgrind).
        ffmpeg::api().av_dict_set(&opts, "static-thresh", "1", 0);
        ffmpeg::api().av_dict_set(&opts, "lag-in-frames", "0", 0);
        ffmpeg::api().av_dict_set(&opts, "error-resilient", "default", 0);
        ffmpeg::api().av_dict_set(&opts, "auto-alt-ref", "0", 0);
        c->qmin = 4;
        c->qmax = 56;
    }
    const int rc = ffmpeg::api().avcodec_open2(c, codec, &opts);
    ffmpeg::api().av_dict_free(&opts);
    if (rc < 0) {
        return mediaError("video encoder: cannot open " + std::string(name) + " for " +
                          std::to_string(s.width) + "x" + std::to_string(s.height) + " at " +
                          std::to_string(s.fps) + " fps, " + std::to_string(s.bitrateKbps) +
                          " kbit/s: " + avErrorText(rc));
    }
    return ctx;
}

} // namespace

struct VideoEncoder::Impl {
    VideoEncoderSettings settings;
    CodecContextPtr ctx;
    std::unique_ptr<AVFrame, FrameDeleter> frame{ffmpeg::api().av_frame_alloc()};
    std::unique_ptr<AVPacket, PacketDeleter> packet{ffmpeg::api().av_packet_alloc()};
    VideoScaler scaler;
    VideoFrame scaled;
    std::int64_t pts = 0;
    std::uint64_t encoded = 0;
    bool keyframeNext = false;
};

VideoEncoder::VideoEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoEncoder::~VideoEncoder() = default;

MediaResult<std::unique_ptr<VideoEncoder>> VideoEncoder::create(const VideoEncoderSettings& settings)
{
    if (auto lib = ffmpeg::load(); !lib) return mediaError("video encoder: " + lib.error().what);
    VideoEncoderSettings s = settings;
    // libvpx's VP8 encoder threads split a frame by macroblock rows, each waiting for the row
    // above in a busy loop. With a call's other threads on a 2-core machine those loops burn more
    // than they save: 300 frames of the 720p test pattern took 16-20 s of CPU on two threads and
    // 0.8 s on one (machine loaded), and a two-way 720p call fell to 17-25 fps. WebRTC too gives
    // VP8 one thread at this size below 3 cores. So VP8 encodes on the calling thread.
    if (s.codec == VideoCodecId::Vp8) s.threads = 1;
    if (s.width < 16 || s.height < 16 || s.width > 4096 || s.height > 4096 || s.width % 2 || s.height % 2) {
        return mediaError("video encoder: size " + std::to_string(s.width) + "x" + std::to_string(s.height) +
                          " is not supported (even sizes from 16x16 to 4096x4096)");
    }
    if (s.fps < 1 || s.fps > 120) {
        return mediaError("video encoder: " + std::to_string(s.fps) + " fps is outside 1..120");
    }
    if (s.bitrateKbps < kMinKbps || s.bitrateKbps > kMaxKbps) {
        return mediaError("video encoder: " + std::to_string(s.bitrateKbps) + " kbit/s is outside " +
                          std::to_string(kMinKbps) + ".." + std::to_string(kMaxKbps));
    }
    if (s.keyframeIntervalFrames < 0)
        return mediaError("video encoder: keyframe interval must not be negative");
    auto ctx = openEncoder(s);
    if (!ctx) return ctx.error();
    auto impl = std::make_unique<Impl>();
    if (!impl->frame || !impl->packet) return mediaError("video encoder: out of memory");
    impl->settings = s;
    impl->ctx = std::move(*ctx);
    return std::unique_ptr<VideoEncoder>(new VideoEncoder(std::move(impl)));
}

MediaResult<bool> VideoEncoder::encode(const VideoFrame& frame, bool forceKeyframe, EncodedVideoFrame& out)
{
    Impl& d = *impl_;
    if (!frame.valid()) {
        return mediaError("video encoder: invalid input frame (" + std::to_string(frame.width) + "x" +
                          std::to_string(frame.height) + ", " + std::to_string(frame.data.size()) +
                          " bytes)");
    }
    const VideoFrame* in = &frame;
    if (frame.width != d.settings.width || frame.height != d.settings.height) {
        auto scaled = d.scaler.scale(frame, d.settings.width, d.settings.height, d.scaled);
        if (!scaled) return scaled.error();
        in = &d.scaled;
    }
    AVFrame* f = d.frame.get();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = in->width;
    f->height = in->height;
    // The encoder only reads the planes during ffmpeg::api().avcodec_send_frame(libx264/libvpx copy them).
    f->data[0] = const_cast<std::uint8_t*>(in->y());
    f->data[1] = const_cast<std::uint8_t*>(in->u());
    f->data[2] = const_cast<std::uint8_t*>(in->v());
    f->linesize[0] = in->width;
    f->linesize[1] = in->chromaWidth();
    f->linesize[2] = in->chromaWidth();
    f->pts = d.pts++;
    const bool key = forceKeyframe || d.keyframeNext;
    f->pict_type = key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    f->key_frame = key ? 1 : 0;

    int rc = ffmpeg::api().avcodec_send_frame(d.ctx.get(), f);
    f->data[0] = f->data[1] = f->data[2] = nullptr;
    if (rc < 0 && rc != AVERROR(EAGAIN)) {
        return mediaError(std::string("video encoder (") + std::string(toString(d.settings.codec)) +
                          "): " + avErrorText(rc));
    }
    d.keyframeNext = false;
    AVPacket* p = d.packet.get();
    rc = ffmpeg::api().avcodec_receive_packet(d.ctx.get(), p);
    if (rc == AVERROR(EAGAIN)) return false;
    if (rc < 0) {
        return mediaError(std::string("video encoder (") + std::string(toString(d.settings.codec)) +
                          "): " + avErrorText(rc));
    }
    out.data.assign(p->data, p->data + p->size);
    out.keyframe = (p->flags & AV_PKT_FLAG_KEY) != 0;
    out.width = d.settings.width;
    out.height = d.settings.height;
    out.captured = frame.captured;
    ffmpeg::api().av_packet_unref(p);
    ++d.encoded;
    return true;
}

void VideoEncoder::setBitrate(int kbps)
{
    Impl& d = *impl_;
    kbps = std::clamp(kbps, kMinKbps, kMaxKbps);
    if (kbps == d.settings.bitrateKbps) return;
    if (d.settings.codec == VideoCodecId::H264) {
        // FFmpeg's libx264 wrapper compares bit_rate/rc_max_rate/rc_buffer_size with x264's
        // parameters before every frame and calls x264_encoder_reconfig() when they differ.
        applyRate(d.ctx.get(), d.settings.codec, kbps, d.settings.fps);
        d.settings.bitrateKbps = kbps;
        return;
    }
    // FFmpeg 5.1's libvpx wrapper has no run-time rate change: open a new encoder at the new rate.
    VideoEncoderSettings next = d.settings;
    next.bitrateKbps = kbps;
    auto ctx = openEncoder(next);
    if (!ctx) return;
    d.ctx = std::move(*ctx);
    d.settings = next;
    d.keyframeNext = true;
}

const VideoEncoderSettings& VideoEncoder::settings() const
{
    return impl_->settings;
}

std::uint64_t VideoEncoder::framesEncoded() const
{
    return impl_->encoded;
}

} // namespace vphone::media
