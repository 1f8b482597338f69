#include "info/library_versions.h"
#include "dsp/ffmpeg_runtime.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <opus/opus.h>
#include <srtp2/srtp.h>
}
#include <openssl/crypto.h>

namespace vphone::media {
namespace {
std::string ffVersion(unsigned v)
{
    return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}
} // namespace

std::vector<std::pair<std::string, std::string>> libraryVersions()
{
    // FFmpeg is opened at run time (dsp/ffmpeg_runtime.h): asking for its versions opens it.
    std::vector<std::pair<std::string, std::string>> versions;
    if (auto lib = ffmpeg::load()) {
        const auto& ff = ffmpeg::api();
        versions = {{"libavcodec", ffVersion(ff.avcodec_version())},
                    {"libavutil", ffVersion(ff.avutil_version())},
                    {"libswscale", ffVersion(ff.swscale_version())},
                    {"libswresample", ffVersion(ff.swresample_version())}};
    } else {
        versions = {{"FFmpeg", "not loaded: " + lib.error().what}};
    }
    versions.insert(versions.end(), {{"opus", opus_get_version_string()},
                                     {"libsrtp2", srtp_get_version_string()},
                                     {"openssl", OpenSSL_version(OPENSSL_VERSION)}});
    return versions;
}

} // namespace vphone::media
