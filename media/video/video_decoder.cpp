// VideoDecoder over FFmpeg's native h264 and vp8 decoders.
#include "dsp/ffmpeg_runtime.h"
#include "video/ffmpeg_util.h"
#include "video/video_codec.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <cstring>
#include <string>

namespace vphone::media {

using detail::avErrorText;

struct VideoDecoder::Impl {
    VideoCodecId codec = VideoCodecId::H264;
    AVCodecContext* ctx = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* sws = nullptr; // only when the decoder outputs something other than 4:2:0 8-bit
    std::uint64_t decoded = 0;

    ~Impl()
    {
        ffmpeg::api().sws_freeContext(sws);
        ffmpeg::api().av_packet_free(&packet);
        ffmpeg::api().av_frame_free(&frame);
        ffmpeg::api().avcodec_free_context(&ctx);
    }

    std::string prefix() const { return "video decoder (" + std::string(toString(codec)) + "): "; }
};

VideoDecoder::VideoDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoDecoder::~VideoDecoder() = default;

MediaResult<std::unique_ptr<VideoDecoder>> VideoDecoder::create(VideoCodecId codec)
{
    if (auto lib = ffmpeg::load(); !lib) return mediaError("video decoder: " + lib.error().what);
    const AVCodecID id = codec == VideoCodecId::H264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_VP8;
    const AVCodec* dec = ffmpeg::api().avcodec_find_decoder(id);
    if (!dec) return mediaError("video decoder: FFmpeg has no " + std::string(toString(codec)) + " decoder");
    auto impl = std::make_unique<Impl>();
    impl->codec = codec;
    impl->ctx = ffmpeg::api().avcodec_alloc_context3(dec);
    impl->frame = ffmpeg::api().av_frame_alloc();
    impl->packet = ffmpeg::api().av_packet_alloc();
    if (!impl->ctx || !impl->frame || !impl->packet) return mediaError("video decoder: out of memory");
    // One thread, no frame threading: frame threads would hold pictures back (latency).
    impl->ctx->thread_count = 1;
    impl->ctx->flags |= AV_CODEC_FLAG_LOW_DELAY;
    const int rc = ffmpeg::api().avcodec_open2(impl->ctx, dec, nullptr);
    if (rc < 0) return mediaError(impl->prefix() + "cannot open: " + avErrorText(rc));
    return std::unique_ptr<VideoDecoder>(new VideoDecoder(std::move(impl)));
}

namespace {

void copyPlane(std::uint8_t* dst, int dstStride, const std::uint8_t* src, int srcStride, int w, int h)
{
    for (int row = 0; row < h; ++row) {
        std::memcpy(dst + std::size_t(row) * dstStride, src + std::ptrdiff_t(row) * srcStride,
                    std::size_t(w));
    }
}

} // namespace

MediaResult<bool> VideoDecoder::decode(std::span<const std::uint8_t> frame, VideoFrame& out)
{
    Impl& d = *impl_;
    if (frame.empty()) return false;
    if (frame.size() > (1u << 26))
        return mediaError(d.prefix() + "frame of " + std::to_string(frame.size()) + " bytes is too large");
    AVPacket* p = d.packet;
    // av_new_packet adds the zeroed padding the bitstream readers may over-read into.
    int rc = ffmpeg::api().av_new_packet(p, int(frame.size()));
    if (rc < 0) return mediaError(d.prefix() + "out of memory");
    std::memcpy(p->data, frame.data(), frame.size());
    rc = ffmpeg::api().avcodec_send_packet(d.ctx, p);
    ffmpeg::api().av_packet_unref(p);
    if (rc < 0 && rc != AVERROR(EAGAIN)) {
        return mediaError(d.prefix() + "cannot decode a frame of " + std::to_string(frame.size()) +
                          " bytes (" + avErrorText(rc) + "); a keyframe is needed");
    }
    AVFrame* f = d.frame;
    rc = ffmpeg::api().avcodec_receive_frame(d.ctx, f);
    if (rc == AVERROR(EAGAIN)) return false;
    if (rc < 0) return mediaError(d.prefix() + avErrorText(rc));
    struct Unref {
        AVFrame* f;
        ~Unref() { ffmpeg::api().av_frame_unref(f); }
    } unref{f};

    if (f->decode_error_flags != 0 || (f->flags & AV_FRAME_FLAG_CORRUPT)) {
        return mediaError(d.prefix() +
                          "damaged picture (the decoder concealed errors); a keyframe is needed");
    }
    if (f->width <= 0 || f->height <= 0 || f->width > 8192 || f->height > 8192) {
        return mediaError(d.prefix() + "picture size " + std::to_string(f->width) + "x" +
                          std::to_string(f->height) + " is not supported");
    }
    out.resize(f->width, f->height);
    const auto format = AVPixelFormat(f->format);
    if (format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P) {
        copyPlane(out.y(), out.width, f->data[0], f->linesize[0], out.width, out.height);
        copyPlane(out.u(), out.chromaWidth(), f->data[1], f->linesize[1], out.chromaWidth(),
                  out.chromaHeight());
        copyPlane(out.v(), out.chromaWidth(), f->data[2], f->linesize[2], out.chromaWidth(),
                  out.chromaHeight());
    } else {
        d.sws =
            ffmpeg::api().sws_getCachedContext(d.sws, f->width, f->height, format, f->width, f->height,
                                               AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (!d.sws) {
            return mediaError(d.prefix() + "cannot convert pixel format " + std::to_string(f->format) +
                              " to I420");
        }
        std::uint8_t* dst[4] = {out.y(), out.u(), out.v(), nullptr};
        int dstStride[4] = {out.width, out.chromaWidth(), out.chromaWidth(), 0};
        ffmpeg::api().sws_scale(d.sws, f->data, f->linesize, 0, f->height, dst, dstStride);
    }
    out.captured = {};
    ++d.decoded;
    return true;
}

std::uint64_t VideoDecoder::framesDecoded() const
{
    return impl_->decoded;
}

VideoCodecId VideoDecoder::codec() const
{
    return impl_->codec;
}

} // namespace vphone::media
