// FFmpeg loaded at run time, on first use, instead of linked: Debian's libavcodec alone pulls in
// about forty codec libraries (x265, aom, dav1d, rav1e, jxl, ...) and libavdevice another hundred
// (libavfilter, SDL, jack, gnutls, ...), which cost the desktop app about 0.2 s and 45 MB of resident
// memory at every start, before any call needs a codec. So, as Firefox and Chromium do, vphone
// dlopen()s the FFmpeg libraries whose major version it was compiled against (the SONAME, e.g.
// libavcodec.so.59) the first time a video codec, G.722, a resampler or screen capture is created,
// and calls them through a table of function pointers typed from FFmpeg's own headers (decltype,
// so a signature mismatch is a compile error).
//
// Theory of operation: load() (thread-safe, once) opens the libraries and resolves every symbol of
// the list below; the first failure becomes a MediaError naming the library or symbol, returned by
// every later load() too, and the create() functions of the FFmpeg users return it. api() is only
// valid after a successful load() (those users call it only from objects that load() let exist).
// The screen source loads libavformat and libavdevice the same way (loadDevice()), only when a
// screen share starts.
#pragma once

#include "dsp/media_result.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <string>

// X(library, symbol) for every FFmpeg function vphone calls, grouped by library.
#define VPHONE_FFMPEG_AVUTIL(X)                                                                              \
    X(avutil, avutil_version)                                                                                \
    X(avutil, av_strerror)                                                                                   \
    X(avutil, av_log_set_level)                                                                              \
    X(avutil, av_dict_set)                                                                                   \
    X(avutil, av_dict_free)                                                                                  \
    X(avutil, av_frame_alloc)                                                                                \
    X(avutil, av_frame_free)                                                                                 \
    X(avutil, av_frame_unref)                                                                                \
    X(avutil, av_frame_get_buffer)                                                                           \
    X(avutil, av_frame_make_writable)                                                                        \
    X(avutil, av_channel_layout_copy)                                                                        \
    X(avutil, av_channel_layout_default)                                                                     \
    X(avutil, av_get_pix_fmt_name)
#define VPHONE_FFMPEG_AVCODEC(X)                                                                             \
    X(avcodec, avcodec_version)                                                                              \
    X(avcodec, avcodec_find_encoder)                                                                         \
    X(avcodec, avcodec_find_encoder_by_name)                                                                 \
    X(avcodec, avcodec_find_decoder)                                                                         \
    X(avcodec, avcodec_alloc_context3)                                                                       \
    X(avcodec, avcodec_free_context)                                                                         \
    X(avcodec, avcodec_open2)                                                                                \
    X(avcodec, avcodec_parameters_to_context)                                                                \
    X(avcodec, avcodec_send_frame)                                                                           \
    X(avcodec, avcodec_receive_packet)                                                                       \
    X(avcodec, avcodec_send_packet)                                                                          \
    X(avcodec, avcodec_receive_frame)                                                                        \
    X(avcodec, av_packet_alloc)                                                                              \
    X(avcodec, av_packet_free)                                                                               \
    X(avcodec, av_packet_unref)                                                                              \
    X(avcodec, av_new_packet)
#define VPHONE_FFMPEG_SWSCALE(X)                                                                             \
    X(swscale, swscale_version)                                                                              \
    X(swscale, sws_getContext)                                                                               \
    X(swscale, sws_getCachedContext)                                                                         \
    X(swscale, sws_scale)                                                                                    \
    X(swscale, sws_freeContext)
#define VPHONE_FFMPEG_SWRESAMPLE(X)                                                                          \
    X(swresample, swresample_version)                                                                        \
    X(swresample, swr_alloc_set_opts2)                                                                       \
    X(swresample, swr_init)                                                                                  \
    X(swresample, swr_set_matrix)                                                                            \
    X(swresample, swr_convert)                                                                               \
    X(swresample, swr_free)

namespace vphone::media::ffmpeg {

#define VPHONE_FFMPEG_POINTER(lib, name) decltype(&::name) name = nullptr;

/// The FFmpeg functions vphone calls, once load() has resolved them.
struct Api {
    VPHONE_FFMPEG_AVUTIL(VPHONE_FFMPEG_POINTER)
    VPHONE_FFMPEG_AVCODEC(VPHONE_FFMPEG_POINTER)
    VPHONE_FFMPEG_SWSCALE(VPHONE_FFMPEG_POINTER)
    VPHONE_FFMPEG_SWRESAMPLE(VPHONE_FFMPEG_POINTER)
};

/// Opens libavutil, libavcodec, libswscale and libswresample (the majors compiled against) on
/// the first call and resolves Api. Thread-safe; later calls return the first outcome at once.
/// The error names the library or symbol, e.g. "FFmpeg libavcodec.so.59 could not be loaded: ...".
MediaResult<const Api*> load();

/// Whether load() has already succeeded (nothing is loaded by asking).
bool loaded();

/// The resolved functions. Only after load() succeeded; aborts otherwise (a programming error).
const Api& api();

/// Opens `library` ("avformat") at the major `major` with dlopen; the error text names it.
MediaResult<void*> openLibrary(const char* library, int major);

/// Resolves `name` in `handle` into `fn`; the error names the symbol and library.
MediaResult<void*> symbol(void* handle, const char* library, const char* name);

/// FFmpeg's text for an AVERROR code (needs load(); "error N" otherwise).
std::string errorText(int err);

} // namespace vphone::media::ffmpeg
