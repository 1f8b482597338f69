#include "info/library_versions.h"

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
    return {
        {"libavcodec", ffVersion(avcodec_version())},  {"libavutil", ffVersion(avutil_version())},
        {"libswscale", ffVersion(swscale_version())},  {"libswresample", ffVersion(swresample_version())},
        {"opus", opus_get_version_string()},           {"libsrtp2", srtp_get_version_string()},
        {"openssl", OpenSSL_version(OPENSSL_VERSION)},
    };
}

} // namespace vphone::media
