#include "dsp/ffmpeg_runtime.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace vphone::media::ffmpeg {
namespace {

struct State {
    std::once_flag once;
    Api api;
    std::atomic<bool> ok{false}; ///< set once, after api is complete
    std::string error;
};

State& state()
{
    static State s;
    return s;
}

int majorOf(const char* library)
{
    const std::string lib = library;
    if (lib == "avutil") return LIBAVUTIL_VERSION_MAJOR;
    if (lib == "avcodec") return LIBAVCODEC_VERSION_MAJOR;
    if (lib == "swscale") return LIBSWSCALE_VERSION_MAJOR;
    if (lib == "swresample") return LIBSWRESAMPLE_VERSION_MAJOR;
    return -1;
}

void loadOnce(State& s)
{
    // Dependencies first: libavcodec needs libavutil, and dlopen would find it anyway, but opening
    // each explicitly makes the error name the one that is missing.
    struct Lib {
        const char* name;
        void* handle = nullptr;
    };
    Lib libs[] = {{"avutil"}, {"swresample"}, {"avcodec"}, {"swscale"}};
    for (auto& lib : libs) {
        auto handle = openLibrary(lib.name, majorOf(lib.name));
        if (!handle) {
            s.error = handle.error().what;
            return;
        }
        lib.handle = *handle;
    }
    auto handleOf = [&](const char* name) -> void* {
        for (const auto& lib : libs)
            if (std::string_view(lib.name) == name) return lib.handle;
        return nullptr;
    };
    Api api;
#define VPHONE_FFMPEG_RESOLVE(lib, name)                                                                     \
    {                                                                                                        \
        auto fn = symbol(handleOf(#lib), #lib, #name);                                                       \
        if (!fn) {                                                                                           \
            s.error = fn.error().what;                                                                       \
            return;                                                                                          \
        }                                                                                                    \
        api.name = reinterpret_cast<decltype(api.name)>(*fn);                                                \
    }
    VPHONE_FFMPEG_AVUTIL(VPHONE_FFMPEG_RESOLVE)
    VPHONE_FFMPEG_AVCODEC(VPHONE_FFMPEG_RESOLVE)
    VPHONE_FFMPEG_SWSCALE(VPHONE_FFMPEG_RESOLVE)
    VPHONE_FFMPEG_SWRESAMPLE(VPHONE_FFMPEG_RESOLVE)
#undef VPHONE_FFMPEG_RESOLVE
    s.api = api;
    s.ok.store(true, std::memory_order_release);
}

} // namespace

MediaResult<void*> openLibrary(const char* library, int major)
{
    const std::string file = "lib" + std::string(library) + ".so." + std::to_string(major);
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        return mediaError("FFmpeg " + file + " could not be loaded: " + (why ? why : "unknown error") +
                          " (install the FFmpeg " + library + " library of this major version)");
    }
    return handle;
}

MediaResult<void*> symbol(void* handle, const char* library, const char* name)
{
    ::dlerror();
    void* fn = ::dlsym(handle, name);
    if (!fn)
        return mediaError(std::string("FFmpeg lib") + library + " has no " + name + " (a different build?)");
    return fn;
}

MediaResult<const Api*> load()
{
    auto& s = state();
    std::call_once(s.once, [&s] { loadOnce(s); });
    if (!s.ok.load(std::memory_order_acquire)) return mediaError(s.error);
    return &s.api;
}

bool loaded()
{
    return state().ok.load(std::memory_order_acquire);
}

const Api& api()
{
    auto& s = state();
    if (!s.ok.load(std::memory_order_acquire))
        std::abort(); // a caller skipped load(): a bug, never user input
    return s.api;
}

std::string errorText(int err)
{
    if (!loaded()) return "error " + std::to_string(err);
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    state().api.av_strerror(err, buf, sizeof buf);
    return buf;
}

} // namespace vphone::media::ffmpeg
