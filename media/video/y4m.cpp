#include "video/y4m.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

namespace vphone::media {

namespace {

std::string systemError()
{
    return std::strerror(errno);
}

bool parseInt(std::string_view text, int& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

constexpr std::string_view kMagic = "YUV4MPEG2";
constexpr std::string_view kFrame = "FRAME";
constexpr std::size_t kMaxHeaderLine = 4096;

} // namespace

// ---- Y4mWriter ----

Y4mWriter::Y4mWriter(std::FILE* file, std::string path, int fps)
    : file_(file), path_(std::move(path)), fps_(fps)
{}

Y4mWriter::~Y4mWriter()
{
    if (file_) std::fclose(file_);
}

MediaResult<std::unique_ptr<Y4mWriter>> Y4mWriter::open(const std::string& path, int fps)
{
    if (fps < 1 || fps > 1000)
        return mediaError("y4m " + path + ": frame rate " + std::to_string(fps) + " is outside 1..1000");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return mediaError("y4m " + path + ": cannot create: " + systemError());
    return std::unique_ptr<Y4mWriter>(new Y4mWriter(f, path, fps));
}

MediaResult<bool> Y4mWriter::write(const VideoFrame& frame)
{
    if (!file_) return mediaError("y4m " + path_ + ": write after close");
    if (!frame.valid()) {
        return mediaError("y4m " + path_ + ": frame " + std::to_string(frames_) +
                          " is not a valid I420 picture (" + std::to_string(frame.width) + "x" +
                          std::to_string(frame.height) + ")");
    }
    if (frames_ == 0) {
        width_ = frame.width;
        height_ = frame.height;
        const std::string header = std::string(kMagic) + " W" + std::to_string(width_) + " H" +
                                   std::to_string(height_) + " F" + std::to_string(fps_) +
                                   ":1 Ip A1:1 C420\n";
        if (std::fwrite(header.data(), 1, header.size(), file_) != header.size()) {
            return mediaError("y4m " + path_ + ": cannot write the header: " + systemError());
        }
    }
    const VideoFrame* in = &frame;
    if (frame.width != width_ || frame.height != height_) {
        auto scaled = scaler_.scale(frame, width_, height_, scaled_);
        if (!scaled) return mediaError("y4m " + path_ + ": " + scaled.error().what);
        in = &scaled_;
    }
    if (std::fwrite("FRAME\n", 1, 6, file_) != 6 ||
        std::fwrite(in->data.data(), 1, in->data.size(), file_) != in->data.size()) {
        return mediaError("y4m " + path_ + ": cannot write frame " + std::to_string(frames_) + ": " +
                          systemError());
    }
    ++frames_;
    return true;
}

MediaResult<bool> Y4mWriter::close()
{
    if (!file_) return true;
    const bool flushed = std::fflush(file_) == 0;
    const std::string reason = flushed ? std::string() : systemError();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!flushed || !closed)
        return mediaError("y4m " + path_ + ": cannot finish writing: " + (flushed ? systemError() : reason));
    return true;
}

// ---- Y4mReader ----

Y4mReader::Y4mReader(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}

Y4mReader::~Y4mReader()
{
    if (file_) std::fclose(file_);
}

int Y4mReader::fps() const
{
    if (fpsDen_ <= 0) return 30;
    return std::max(1, (fpsNum_ + fpsDen_ / 2) / fpsDen_);
}

MediaResult<std::unique_ptr<Y4mReader>> Y4mReader::open(const std::string& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return mediaError("y4m " + path + ": cannot open: " + systemError());
    std::unique_ptr<Y4mReader> reader(new Y4mReader(f, path));
    auto header = reader->parseHeader();
    if (!header) return header.error();
    // The file's size, for truncation checks (a pipe has none: reads then find the end themselves).
    if (std::fseek(f, 0, SEEK_END) == 0) {
        const long size = std::ftell(f);
        if (size >= 0) reader->fileSize_ = std::uint64_t(size);
        if (std::fseek(f, long(reader->offset_), SEEK_SET) != 0) {
            return mediaError("y4m " + path + ": cannot seek: " + systemError());
        }
    }
    return reader;
}

namespace {

/// Reads one '\n'-terminated line (without it). False at EOF before any byte, or when longer than
/// kMaxHeaderLine.
enum class LineRead { Ok, Eof, TooLong, Unterminated };

LineRead readLine(std::FILE* f, std::string& line)
{
    line.clear();
    for (;;) {
        const int c = std::fgetc(f);
        if (c == EOF) return line.empty() ? LineRead::Eof : LineRead::Unterminated;
        if (c == '\n') return LineRead::Ok;
        if (line.size() >= kMaxHeaderLine) return LineRead::TooLong;
        line.push_back(char(c));
    }
}

} // namespace

MediaResult<bool> Y4mReader::parseHeader()
{
    const std::string where = "y4m " + path_ + ": ";
    std::string line;
    const LineRead r = readLine(file_, line);
    if (r == LineRead::Eof) return mediaError(where + "empty file (no YUV4MPEG2 header)");
    if (r == LineRead::TooLong) return mediaError(where + "header line longer than 4096 bytes at offset 0");
    if (r == LineRead::Unterminated)
        return mediaError(where + "header at offset 0 has no end of line (truncated file?)");
    if (line.compare(0, kMagic.size(), kMagic) != 0 ||
        (line.size() > kMagic.size() && line[kMagic.size()] != ' ')) {
        return mediaError(where + "not a YUV4MPEG2 file (offset 0 does not start with \"YUV4MPEG2 \")");
    }
    std::size_t pos = kMagic.size();
    bool haveW = false, haveH = false;
    while (pos < line.size()) {
        while (pos < line.size() && line[pos] == ' ')
            ++pos;
        if (pos >= line.size()) break;
        std::size_t end = line.find(' ', pos);
        if (end == std::string::npos) end = line.size();
        const std::string_view tag(line.data() + pos, end - pos);
        const std::string at = " (header offset " + std::to_string(pos) + ")";
        const std::string_view value = tag.substr(1);
        switch (tag[0]) {
        case 'W':
            if (!parseInt(value, width_) || width_ <= 0 || width_ > 16384)
                return mediaError(where + "bad width \"" + std::string(tag) + "\"" + at);
            haveW = true;
            break;
        case 'H':
            if (!parseInt(value, height_) || height_ <= 0 || height_ > 16384)
                return mediaError(where + "bad height \"" + std::string(tag) + "\"" + at);
            haveH = true;
            break;
        case 'F': {
            const auto colon = value.find(':');
            if (colon == std::string_view::npos || !parseInt(value.substr(0, colon), fpsNum_) ||
                !parseInt(value.substr(colon + 1), fpsDen_) || fpsNum_ <= 0 || fpsDen_ <= 0) {
                return mediaError(where + "bad frame rate \"" + std::string(tag) + "\"" + at);
            }
            break;
        }
        case 'C':
            if (!value.starts_with("420") ||
                !(value == "420" || value == "420jpeg" || value == "420paldv" || value == "420mpeg2")) {
                return mediaError(where + "colour space \"" + std::string(tag) +
                                  "\" is not supported (only 4:2:0 8-bit)" + at);
            }
            break;
        case 'I':
            if (value != "p" && value != "?") {
                return mediaError(where + "interlaced video \"" + std::string(tag) + "\" is not supported" +
                                  at);
            }
            break;
        default: break; // A (aspect), X (extensions): ignored
        }
        pos = end;
    }
    if (!haveW || !haveH)
        return mediaError(where + "header has no " + std::string(haveW ? "H" : "W") + " tag");
    offset_ = line.size() + 1;
    return true;
}

MediaResult<bool> Y4mReader::read(VideoFrame& out)
{
    const std::string where = "y4m " + path_ + ": frame " + std::to_string(frames_) + " at offset " +
                              std::to_string(offset_) + ": ";
    std::string line;
    const LineRead r = readLine(file_, line);
    if (r == LineRead::Eof) return false;
    if (r != LineRead::Ok || line.compare(0, kFrame.size(), kFrame) != 0 ||
        (line.size() > kFrame.size() && line[kFrame.size()] != ' ')) {
        return mediaError(where + "expected a FRAME header");
    }
    // Check the size before allocating: a lying header must not make us allocate gigabytes.
    const std::uint64_t dataAt = offset_ + line.size() + 1;
    const std::uint64_t frameBytes = VideoFrame::byteSize(width_, height_);
    if (dataAt + frameBytes > fileSize_) {
        return mediaError(where +
                          "truncated: " + std::to_string(fileSize_ > dataAt ? fileSize_ - dataAt : 0) +
                          " of " + std::to_string(frameBytes) + " bytes");
    }
    out.resize(width_, height_);
    const std::size_t n = std::fread(out.data.data(), 1, out.data.size(), file_);
    if (n != out.data.size()) {
        return mediaError(where + "truncated: " + std::to_string(n) + " of " +
                          std::to_string(out.data.size()) + " bytes");
    }
    out.captured = {};
    offset_ += line.size() + 1 + n;
    ++frames_;
    return true;
}

} // namespace vphone::media
