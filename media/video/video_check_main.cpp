// vphone-video-check FILE.y4m [--expect-size WxH] [--min-frames N]
// vphone-video-check --write-pattern FILE.y4m WxH@FPS SECONDS
//
// Reads a .y4m recording of the test pattern (test_pattern.h), reads the frame-number barcode of
// every frame and prints one JSON line:
//   {"file":"rx.y4m","width":640,"height":360,"frames":300,"counters_read":298,"first_counter":12,
//    "last_counter":311,"unique_counters":297,"missing":3,"max_gap":2,"out_of_order":0}
// counters_read: frames whose barcode checked; unique_counters: distinct numbers among them;
// missing: numbers between first and last never seen; max_gap: the longest run of consecutive
// missing numbers between two successive reads (0 when none); out_of_order: reads smaller than
// the read before them (repeats of the same number are not counted).
// Exit status: 0 when it ran and every check passed; 1 when --expect-size or --min-frames failed
// (the JSON line is still printed, the reason on stderr); 2 for bad usage or an unreadable file.
//
// --write-pattern writes SECONDS of the test pattern (frames numbered from 0) as a Y4M file, the
// source another program (baresip's avformat module, ffmpeg) plays so vphone can count its frames.
#include "video/test_pattern.h"
#include "video/y4m.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace {

int usage()
{
    std::fprintf(stderr, "usage: vphone-video-check FILE.y4m [--expect-size WxH] [--min-frames N]\n"
                         "       vphone-video-check --write-pattern FILE.y4m WxH@FPS SECONDS\n");
    return 2;
}

bool parseInt(std::string_view text, long long& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size() && out >= 0;
}

std::string jsonString(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

int writePattern(const char* path, std::string_view format, std::string_view secondsText)
{
    using namespace vphone::media;
    long long w = 0, h = 0, fps = 0, seconds = 0;
    const auto x = format.find('x');
    const auto at = format.find('@');
    if (x == std::string_view::npos || at == std::string_view::npos || at < x ||
        !parseInt(format.substr(0, x), w) || !parseInt(format.substr(x + 1, at - x - 1), h) ||
        !parseInt(format.substr(at + 1), fps) || w < 40 || h < 20 || w > 4096 || h > 4096 || fps < 1 ||
        fps > 60 || !parseInt(secondsText, seconds) || seconds < 1 || seconds > 600) {
        std::fprintf(stderr,
                     "vphone-video-check: --write-pattern wants WxH@FPS (40x20 to 4096x4096, 1-60 fps) "
                     "and 1 to 600 seconds\n");
        return 2;
    }
    auto writer = Y4mWriter::open(path, static_cast<int>(fps));
    if (!writer) {
        std::fprintf(stderr, "vphone-video-check: %s\n", writer.error().what.c_str());
        return 2;
    }
    TestPattern pattern(static_cast<int>(w), static_cast<int>(h));
    VideoFrame frame;
    for (long long n = 0; n < fps * seconds; ++n) {
        pattern.render(static_cast<std::uint32_t>(n), frame);
        if (auto ok = (*writer)->write(frame); !ok) {
            std::fprintf(stderr, "vphone-video-check: %s\n", ok.error().what.c_str());
            return 2;
        }
    }
    if (auto ok = (*writer)->close(); !ok) {
        std::fprintf(stderr, "vphone-video-check: %s\n", ok.error().what.c_str());
        return 2;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace vphone::media;
    if (argc < 2) return usage();
    if (std::string_view(argv[1]) == "--write-pattern") {
        if (argc != 5) return usage();
        return writePattern(argv[2], argv[3], argv[4]);
    }
    const std::string path = argv[1];
    long long expectW = -1, expectH = -1, minFrames = -1;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) return usage();
        const std::string_view value = argv[++i];
        if (arg == "--expect-size") {
            const auto x = value.find('x');
            if (x == std::string_view::npos || !parseInt(value.substr(0, x), expectW) ||
                !parseInt(value.substr(x + 1), expectH)) {
                std::fprintf(stderr, "vphone-video-check: --expect-size wants WxH, e.g. 640x360, not '%s'\n",
                             argv[i]);
                return 2;
            }
        } else if (arg == "--min-frames") {
            if (!parseInt(value, minFrames)) {
                std::fprintf(stderr, "vphone-video-check: --min-frames wants a count, not '%s'\n", argv[i]);
                return 2;
            }
        } else {
            return usage();
        }
    }

    auto reader = Y4mReader::open(path);
    if (!reader) {
        std::fprintf(stderr, "vphone-video-check: %s\n", reader.error().what.c_str());
        return 2;
    }
    Y4mReader& in = **reader;
    VideoFrame frame;
    long long frames = 0, read = 0, outOfOrder = 0, maxGap = 0;
    std::optional<std::uint32_t> first, last, previous;
    std::set<std::uint32_t> unique;
    for (;;) {
        auto got = in.read(frame);
        if (!got) {
            std::fprintf(stderr, "vphone-video-check: %s\n", got.error().what.c_str());
            return 2;
        }
        if (!*got) break;
        ++frames;
        const auto counter = readFrameCounter(frame);
        if (!counter) continue;
        ++read;
        if (!first) first = counter;
        last = counter;
        unique.insert(*counter);
        if (previous) {
            if (*counter < *previous) {
                ++outOfOrder;
            } else if (*counter > *previous) {
                maxGap = std::max(maxGap, static_cast<long long>(*counter - *previous) - 1);
            }
        }
        previous = counter;
    }
    long long missing = 0;
    if (!unique.empty()) {
        const long long span =
            static_cast<long long>(*unique.rbegin()) - static_cast<long long>(*unique.begin()) + 1;
        missing = span - static_cast<long long>(unique.size());
    }
    const auto num = [](const std::optional<std::uint32_t>& v) {
        return v ? std::to_string(*v) : std::string("null");
    };
    std::printf(
        "{\"file\":%s,\"width\":%d,\"height\":%d,\"frames\":%lld,\"counters_read\":%lld,\"first_counter\":%s,"
        "\"last_counter\":%s,\"unique_counters\":%zu,\"missing\":%lld,\"max_gap\":%lld,\"out_of_order\":%lld}"
        "\n",
        jsonString(path).c_str(), in.width(), in.height(), frames, read, num(first).c_str(),
        num(last).c_str(), unique.size(), missing, maxGap, outOfOrder);
    std::fflush(stdout);

    int status = 0;
    if (expectW >= 0 && (expectW != in.width() || expectH != in.height())) {
        std::fprintf(stderr, "vphone-video-check: %s is %dx%d, expected %lldx%lld\n", path.c_str(),
                     in.width(), in.height(), expectW, expectH);
        status = 1;
    }
    if (minFrames >= 0 && frames < minFrames) {
        std::fprintf(stderr, "vphone-video-check: %s has %lld frames, expected at least %lld\n", path.c_str(),
                     frames, minFrames);
        status = 1;
    }
    return status;
}
