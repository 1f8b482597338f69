#include "video/video_convert.h"
#include "dsp/ffmpeg_runtime.h"

extern "C" {
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

#include <string>

namespace vphone::media {

VideoScaler::~VideoScaler()
{
    if (sws_) ffmpeg::api().sws_freeContext(sws_); // a context exists only after load()
}

SwsContext* VideoScaler::context(int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat)
{
    if (sws_ && srcW == srcW_ && srcH == srcH_ && srcFormat == srcFormat_ && dstW == dstW_ && dstH == dstH_ &&
        dstFormat == dstFormat_) {
        return sws_;
    }
    ffmpeg::api().sws_freeContext(sws_);
    sws_ = ffmpeg::api().sws_getContext(srcW, srcH, AVPixelFormat(srcFormat), dstW, dstH,
                                        AVPixelFormat(dstFormat), SWS_BILINEAR, nullptr, nullptr, nullptr);
    srcW_ = srcW;
    srcH_ = srcH;
    srcFormat_ = srcFormat;
    dstW_ = dstW;
    dstH_ = dstH;
    dstFormat_ = dstFormat;
    return sws_;
}

namespace {

std::string sizeText(int w, int h)
{
    return std::to_string(w) + "x" + std::to_string(h);
}

int packedFormat(PixelOrder order)
{
    return order == PixelOrder::Bgra ? AV_PIX_FMT_BGRA : AV_PIX_FMT_RGBA;
}

bool sizeOk(int w, int h)
{
    return w > 0 && h > 0 && w <= 8192 && h <= 8192;
}

} // namespace

MediaResult<bool> VideoScaler::scale(const VideoFrame& in, int w, int h, VideoFrame& out)
{
    if (auto lib = ffmpeg::load(); !lib) return mediaError("video scaler: " + lib.error().what);
    if (!in.valid()) return mediaError("video scaler: invalid input frame " + sizeText(in.width, in.height));
    if (!sizeOk(w, h)) return mediaError("video scaler: cannot scale to " + sizeText(w, h));
    if (&in == &out) return mediaError("video scaler: input and output must differ");
    if (in.width == w && in.height == h) {
        out.width = w;
        out.height = h;
        out.data = in.data;
        out.captured = in.captured;
        return true;
    }
    SwsContext* sws = context(in.width, in.height, AV_PIX_FMT_YUV420P, w, h, AV_PIX_FMT_YUV420P);
    if (!sws)
        return mediaError("video scaler: swscale cannot scale " + sizeText(in.width, in.height) + " to " +
                          sizeText(w, h));
    out.resize(w, h);
    const std::uint8_t* src[4] = {in.y(), in.u(), in.v(), nullptr};
    const int srcStride[4] = {in.width, in.chromaWidth(), in.chromaWidth(), 0};
    std::uint8_t* dst[4] = {out.y(), out.u(), out.v(), nullptr};
    const int dstStride[4] = {out.width, out.chromaWidth(), out.chromaWidth(), 0};
    ffmpeg::api().sws_scale(sws, src, srcStride, 0, in.height, dst, dstStride);
    out.captured = in.captured;
    return true;
}

MediaResult<bool> VideoScaler::rgbaToI420(std::span<const std::uint8_t> rgba, int w, int h, int stride,
                                          VideoFrame& out, PixelOrder order)
{
    if (auto lib = ffmpeg::load(); !lib) return mediaError("rgba to I420: " + lib.error().what);
    if (!sizeOk(w, h)) return mediaError("rgba to I420: bad size " + sizeText(w, h));
    if (stride < w * 4)
        return mediaError("rgba to I420: stride " + std::to_string(stride) + " is below width*4");
    if (rgba.size() < std::size_t(stride) * std::size_t(h - 1) + std::size_t(w) * 4) {
        return mediaError("rgba to I420: " + std::to_string(rgba.size()) + " bytes are too few for " +
                          sizeText(w, h));
    }
    SwsContext* sws = context(w, h, packedFormat(order), w, h, AV_PIX_FMT_YUV420P);
    if (!sws) return mediaError("rgba to I420: swscale cannot convert " + sizeText(w, h));
    out.resize(w, h);
    const std::uint8_t* src[4] = {rgba.data(), nullptr, nullptr, nullptr};
    const int srcStride[4] = {stride, 0, 0, 0};
    std::uint8_t* dst[4] = {out.y(), out.u(), out.v(), nullptr};
    const int dstStride[4] = {out.width, out.chromaWidth(), out.chromaWidth(), 0};
    ffmpeg::api().sws_scale(sws, src, srcStride, 0, h, dst, dstStride);
    return true;
}

MediaResult<bool> VideoScaler::i420ToRgba(const VideoFrame& in, std::vector<std::uint8_t>& rgba,
                                          PixelOrder order)
{
    if (auto lib = ffmpeg::load(); !lib) return mediaError("I420 to rgba: " + lib.error().what);
    if (!in.valid()) return mediaError("I420 to rgba: invalid input frame " + sizeText(in.width, in.height));
    SwsContext* sws =
        context(in.width, in.height, AV_PIX_FMT_YUV420P, in.width, in.height, packedFormat(order));
    if (!sws) return mediaError("I420 to rgba: swscale cannot convert " + sizeText(in.width, in.height));
    rgba.resize(std::size_t(in.width) * std::size_t(in.height) * 4);
    const std::uint8_t* src[4] = {in.y(), in.u(), in.v(), nullptr};
    const int srcStride[4] = {in.width, in.chromaWidth(), in.chromaWidth(), 0};
    std::uint8_t* dst[4] = {rgba.data(), nullptr, nullptr, nullptr};
    const int dstStride[4] = {in.width * 4, 0, 0, 0};
    ffmpeg::api().sws_scale(sws, src, srcStride, 0, in.height, dst, dstStride);
    return true;
}

} // namespace vphone::media
