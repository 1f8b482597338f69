// X11 screen capture through FFmpeg's x11grab (see screen_source.h).
#include "screen_source.h"
#include "dsp/ffmpeg_runtime.h"

#include "video/video_convert.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/pixdesc.h>
}

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <span>
#include <thread>

namespace vphone::media {

namespace {

// libavformat and libavdevice (with libavfilter and their hundred dependencies) are opened only
// when a screen share starts, like the rest of FFmpeg (dsp/ffmpeg_runtime.h).
#define VPHONE_FFMPEG_DEVICE(X)                                                                              \
    X(avformat, avformat_open_input)                                                                         \
    X(avformat, avformat_close_input)                                                                        \
    X(avformat, av_find_input_format)                                                                        \
    X(avformat, av_read_frame)                                                                               \
    X(avdevice, avdevice_register_all)

struct DeviceApi {
    VPHONE_FFMPEG_DEVICE(VPHONE_FFMPEG_POINTER)
};

DeviceApi deviceApi;

/// Loads FFmpeg, then libavformat and libavdevice, once; the error names what is missing.
MediaResult<const DeviceApi*> loadDevice()
{
    static std::once_flag once;
    static std::string error;
    std::call_once(once, [] {
        if (auto lib = ffmpeg::load(); !lib) {
            error = lib.error().what;
            return;
        }
        auto avformat = ffmpeg::openLibrary("avformat", LIBAVFORMAT_VERSION_MAJOR);
        auto avdevice = avformat ? ffmpeg::openLibrary("avdevice", LIBAVDEVICE_VERSION_MAJOR) : avformat;
        if (!avdevice) {
            error = avdevice.error().what;
            return;
        }
        void* handles[] = {*avformat, *avdevice};
        auto handleOf = [&](std::string_view lib) { return lib == "avformat" ? handles[0] : handles[1]; };
        DeviceApi api;
#define VPHONE_FFMPEG_RESOLVE(lib, name)                                                                     \
    if (error.empty()) {                                                                                     \
        auto fn = ffmpeg::symbol(handleOf(#lib), #lib, #name);                                               \
        if (fn)                                                                                              \
            api.name = reinterpret_cast<decltype(api.name)>(*fn);                                            \
        else                                                                                                 \
            error = fn.error().what;                                                                         \
    }
        VPHONE_FFMPEG_DEVICE(VPHONE_FFMPEG_RESOLVE)
#undef VPHONE_FFMPEG_RESOLVE
        if (error.empty()) {
            api.avdevice_register_all();
            deviceApi = api;
        }
    });
    if (!error.empty()) return mediaError(error);
    return &deviceApi;
}

std::string avText(int err)
{
    return ffmpeg::errorText(err);
}

std::string hexId(unsigned long id)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%lx", id);
    return buf;
}

struct InputCloser {
    void operator()(AVFormatContext* c) const { deviceApi.avformat_close_input(&c); }
};
struct CodecCloser {
    void operator()(AVCodecContext* c) const { ffmpeg::api().avcodec_free_context(&c); }
};
struct PacketFree {
    void operator()(AVPacket* p) const { ffmpeg::api().av_packet_free(&p); }
};
struct FrameFree {
    void operator()(AVFrame* f) const { ffmpeg::api().av_frame_free(&f); }
};
using InputPtr = std::unique_ptr<AVFormatContext, InputCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecCloser>;

/// x11grab on a reader thread; the newest converted frame waits in a one-frame mailbox.
class ScreenSource final : public VideoSource {
public:
    ScreenSource(InputPtr input, CodecPtr decoder, std::string what, int fps)
        : input_(std::move(input)), decoder_(std::move(decoder)), what_(std::move(what)), fps_(fps),
          width_(decoder_->width), height_(decoder_->height)
    {
        reader_ = std::thread([this] { run(); });
    }
    ~ScreenSource() override
    {
        // x11grab sleeps at most one frame interval inside av_read_frame, so the reader sees
        // the flag within 1/fps seconds.
        stop_.store(true);
        if (reader_.joinable()) reader_.join();
    }
    int width() const override { return width_; }
    int height() const override { return height_; }
    int fps() const override { return fps_; }
    bool capture(std::chrono::steady_clock::time_point, VideoFrame& out) override
    {
        std::lock_guard lock(mutex_);
        if (!fresh_) return false;
        std::swap(out, mailbox_);
        fresh_ = false;
        return true;
    }
    std::string describe() const override
    {
        return what_ + " " + std::to_string(width_) + "x" + std::to_string(height_) + "@" +
               std::to_string(fps_);
    }

private:
    void run()
    {
        std::unique_ptr<AVPacket, PacketFree> packet(ffmpeg::api().av_packet_alloc());
        std::unique_ptr<AVFrame, FrameFree> picture(ffmpeg::api().av_frame_alloc());
        VideoScaler scaler;
        VideoFrame scratch;
        while (!stop_.load() && packet && picture) {
            if (deviceApi.av_read_frame(input_.get(), packet.get()) < 0) break; // the window went away
            const auto when = std::chrono::steady_clock::now();
            int err = ffmpeg::api().avcodec_send_packet(decoder_.get(), packet.get());
            ffmpeg::api().av_packet_unref(packet.get());
            if (err < 0) break;
            while (ffmpeg::api().avcodec_receive_frame(decoder_.get(), picture.get()) == 0) {
                if (convert(*picture, scaler, scratch)) {
                    scratch.captured = when;
                    std::lock_guard lock(mutex_);
                    std::swap(scratch, mailbox_);
                    fresh_ = true;
                }
                ffmpeg::api().av_frame_unref(picture.get());
            }
        }
    }

    static bool convert(const AVFrame& in, VideoScaler& scaler, VideoFrame& out)
    {
        const auto format = static_cast<AVPixelFormat>(in.format);
        // BGR0 (depth 24) and BGRA (depth 32) share the byte order B, G, R, X.
        if (format != AV_PIX_FMT_BGR0 && format != AV_PIX_FMT_BGRA) return false;
        if (in.linesize[0] <= 0) return false;
        const std::size_t bytes = std::size_t(in.linesize[0]) * std::size_t(in.height);
        return scaler
            .rgbaToI420(std::span<const std::uint8_t>(in.data[0], bytes), in.width, in.height, in.linesize[0],
                        out, PixelOrder::Bgra)
            .ok();
    }

    InputPtr input_;
    CodecPtr decoder_;
    std::string what_;
    int fps_;
    int width_;
    int height_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    VideoFrame mailbox_; // guarded by mutex_
    bool fresh_ = false; // guarded by mutex_
    std::thread reader_;
};

} // namespace

MediaResult<std::unique_ptr<VideoSource>> makeScreenSource(std::string display, unsigned long windowId,
                                                           int fps)
{
    if (display.empty()) {
        const char* env = std::getenv("DISPLAY");
        if (env == nullptr || *env == '\0')
            return mediaError(std::string(windowId ? "window " + hexId(windowId) : "screen") +
                              ": no X display (DISPLAY is not set; name one, e.g. screen::0)");
        display = env;
    }
    const std::string what =
        windowId ? "window " + hexId(windowId) + " on display " + display : "screen of display " + display;
    if (fps < 1 || fps > 60)
        return mediaError(what + ": frame rate " + std::to_string(fps) + " is not 1 to 60");

    if (auto lib = loadDevice(); !lib) return mediaError(what + ": " + lib.error().what);
    const AVInputFormat* grab = deviceApi.av_find_input_format("x11grab");
    if (grab == nullptr) return mediaError(what + ": this FFmpeg has no x11grab input device");

    AVDictionary* options = nullptr;
    ffmpeg::api().av_dict_set(&options, "framerate", std::to_string(fps).c_str(), 0);
    ffmpeg::api().av_dict_set(&options, "draw_mouse", "1", 0);
    if (windowId != 0) ffmpeg::api().av_dict_set(&options, "window_id", std::to_string(windowId).c_str(), 0);
    AVFormatContext* raw = nullptr;
    const int err = deviceApi.avformat_open_input(&raw, display.c_str(), grab, &options);
    ffmpeg::api().av_dict_free(&options);
    if (err < 0) {
        // x11grab: EIO when the display cannot be opened, AVERROR_EXTERNAL when the window's
        // geometry cannot be read (no such window).
        if (err == AVERROR(EIO)) return mediaError(what + ": cannot open X display " + display);
        if (windowId != 0 && err == AVERROR_EXTERNAL)
            return mediaError(what + ": no such window " + hexId(windowId) + " on display " + display);
        return mediaError(what + ": x11grab failed: " + avText(err));
    }
    InputPtr input(raw);
    if (input->nb_streams < 1) return mediaError(what + ": x11grab gave no video stream");
    const AVCodecParameters* par = input->streams[0]->codecpar;
    const AVCodec* codec = ffmpeg::api().avcodec_find_decoder(par->codec_id);
    if (codec == nullptr) return mediaError(what + ": no decoder for x11grab's packets");
    CodecPtr decoder(ffmpeg::api().avcodec_alloc_context3(codec));
    if (!decoder || ffmpeg::api().avcodec_parameters_to_context(decoder.get(), par) < 0 ||
        ffmpeg::api().avcodec_open2(decoder.get(), codec, nullptr) < 0)
        return mediaError(what + ": cannot open the raw video decoder");
    const auto format = static_cast<AVPixelFormat>(par->format);
    if (format != AV_PIX_FMT_BGR0 && format != AV_PIX_FMT_BGRA) {
        const char* name = ffmpeg::api().av_get_pix_fmt_name(format);
        return mediaError(what + ": pixel format " + (name ? name : "unknown") +
                          " is not supported (needs a 24- or 32-bit deep display)");
    }
    if (par->width < 2 || par->height < 2) return mediaError(what + ": the capture area is empty");
    return std::unique_ptr<VideoSource>(
        std::make_unique<ScreenSource>(std::move(input), std::move(decoder), what, fps));
}

} // namespace vphone::media
