// Video sources and sinks from spec strings (see video_device.h).
#include "video_device.h"

#include "screen/screen_source.h"
#include "video/test_pattern.h"
#include "video/y4m.h"

#include <charconv>

namespace vphone::media {

namespace {

std::string quoted(std::string_view s)
{
    return "'" + std::string(s) + "'";
}

bool toInt(std::string_view s, int& out)
{
    if (s.empty()) return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}

/// The test pattern, one frame per tick; the frame number is the tick count since the start,
/// so a receiver sees gaps as missing numbers.
class TestPatternSource final : public VideoSource {
public:
    TestPatternSource(int width, int height, int fps) : pattern_(width, height), fps_(fps) {}
    int width() const override { return pattern_.width(); }
    int height() const override { return pattern_.height(); }
    int fps() const override { return fps_; }
    bool capture(std::chrono::steady_clock::time_point frameTime, VideoFrame& out) override
    {
        pattern_.render(next_++, out);
        out.captured = frameTime;
        return true;
    }
    std::string describe() const override
    {
        return "testsrc " + std::to_string(width()) + "x" + std::to_string(height()) + "@" +
               std::to_string(fps_);
    }

private:
    TestPattern pattern_;
    int fps_;
    std::uint32_t next_ = 0;
};

class NullVideoSink final : public VideoSink {
public:
    void write(const VideoFrame&, std::chrono::steady_clock::time_point) override {}
};

/// Opens the file at the first frame (its size fixes the header's).
class Y4mVideoSink final : public VideoSink {
public:
    Y4mVideoSink(std::string path, int fps) : path_(std::move(path)), fps_(fps) {}
    void write(const VideoFrame& frame, std::chrono::steady_clock::time_point) override
    {
        if (failed_) return;
        if (!writer_) {
            auto opened = Y4mWriter::open(path_, fps_);
            if (!opened) return fail(opened.error().what);
            writer_ = std::move(*opened);
        }
        if (auto ok = writer_->write(frame); !ok) fail(ok.error().what);
    }
    void close() override
    {
        if (!writer_) return;
        if (auto ok = writer_->close(); !ok) fail(ok.error().what);
        writer_.reset();
    }
    std::string lastError() const override { return error_; }

private:
    void fail(std::string what)
    {
        failed_ = true;
        error_ = std::move(what);
        writer_.reset();
    }
    std::string path_;
    int fps_;
    std::unique_ptr<Y4mWriter> writer_;
    bool failed_ = false;
    std::string error_;
};

} // namespace

MediaResult<std::pair<int, int>> parseVideoSize(std::string_view text)
{
    const auto x = text.find('x');
    int w = 0;
    int h = 0;
    if (x == std::string_view::npos || !toInt(text.substr(0, x), w) || !toInt(text.substr(x + 1), h))
        return mediaError("video size " + quoted(text) + " is not WxH (e.g. 1280x720)");
    if (w < 16 || h < 16 || w > 4096 || h > 4096 || w % 2 != 0 || h % 2 != 0)
        return mediaError("video size " + quoted(text) + ": width and height must be even, 16 to 4096");
    return std::pair{w, h};
}

MediaResult<VideoSourceSpec> parseVideoSourceSpec(std::string_view text)
{
    VideoSourceSpec spec;
    if (text == "off" || text.empty()) return spec;
    if (text == "device" || text.starts_with("device:")) {
        spec.kind = VideoSourceSpec::Kind::Device;
        if (text.size() > 7) spec.device = std::string(text.substr(7));
        return spec;
    }
    if (text == "screen" || text.starts_with("screen:") || text.starts_with("screen@") ||
        text.starts_with("window:")) {
        const bool window = text.starts_with("window:");
        spec.kind = window ? VideoSourceSpec::Kind::Window : VideoSourceSpec::Kind::Screen;
        // After "window:" or "screen:" (so "screen::99" is display ":99"); "screen@10" has no display.
        std::string_view rest = text.substr(window || (text.size() > 6 && text[6] == ':') ? 7 : 6);
        spec.fps = 15; // screen content: sharp text matters more than motion
        if (const auto at = rest.find('@'); at != std::string_view::npos) {
            if (!toInt(rest.substr(at + 1), spec.fps) || spec.fps < 1 || spec.fps > 60)
                return mediaError("video source " + quoted(text) + ": frame rate must be 1 to 60");
            rest = rest.substr(0, at);
        }
        if (window) {
            const bool hex = rest.starts_with("0x") || rest.starts_with("0X");
            const auto digits = hex ? rest.substr(2) : rest;
            const auto [p, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), spec.window, hex ? 16 : 10);
            if (digits.empty() || ec != std::errc{} || p != digits.data() + digits.size() || spec.window == 0)
                return mediaError("video source " + quoted(text) + ": the window id is not a number");
        } else {
            spec.device = std::string(rest); // the X display, e.g. ":99"; empty: $DISPLAY
            if (!spec.device.empty() && spec.device.find(':') == std::string::npos)
                spec.device.insert(0, ":"); // "screen:99" means display ":99" too
        }
        spec.width = 0; // the screen's or window's own size
        spec.height = 0;
        return spec;
    }
    if (text == "testsrc" || text.starts_with("testsrc:")) {
        spec.kind = VideoSourceSpec::Kind::TestPattern;
        if (text.size() <= 8) return spec;
        std::string_view rest = text.substr(8);
        if (const auto at = rest.find('@'); at != std::string_view::npos) {
            if (!toInt(rest.substr(at + 1), spec.fps) || spec.fps < 1 || spec.fps > 60)
                return mediaError("video source " + quoted(text) + ": frame rate must be 1 to 60");
            rest = rest.substr(0, at);
        }
        auto size = parseVideoSize(rest);
        if (!size) return mediaError("video source " + quoted(text) + ": " + size.error().what);
        spec.width = size->first;
        spec.height = size->second;
        return spec;
    }
    return mediaError(
        "video source " + quoted(text) +
        " is not testsrc[:WxH[@FPS]], device[:NAME], screen[:DISPLAY][@FPS], window:ID[@FPS] or off");
}

MediaResult<VideoSinkSpec> parseVideoSinkSpec(std::string_view text)
{
    VideoSinkSpec spec;
    if (text == "null" || text.empty()) return spec;
    if (text.starts_with("file:") && text.size() > 5) {
        spec.kind = VideoSinkSpec::Kind::File;
        spec.path = std::string(text.substr(5));
        return spec;
    }
    return mediaError("video sink " + quoted(text) + " is not null or file:PATH.y4m");
}

MediaResult<std::unique_ptr<VideoSource>> makeVideoSource(const VideoSourceSpec& spec)
{
    switch (spec.kind) {
    case VideoSourceSpec::Kind::TestPattern:
        return std::unique_ptr<VideoSource>(
            std::make_unique<TestPatternSource>(spec.width, spec.height, spec.fps));
    case VideoSourceSpec::Kind::Device:
        return mediaError("video source device" + (spec.device.empty() ? "" : ":" + spec.device) +
                          ": no camera support in this program (cameras come through the desktop app)");
    case VideoSourceSpec::Kind::Screen: return makeScreenSource(spec.device, 0, spec.fps);
    case VideoSourceSpec::Kind::Window: return makeScreenSource(spec.device, spec.window, spec.fps);
    case VideoSourceSpec::Kind::Off: break;
    }
    return mediaError("video source is off");
}

MediaResult<std::unique_ptr<VideoSink>> makeVideoSink(const VideoSinkSpec& spec, int fps)
{
    if (spec.kind == VideoSinkSpec::Kind::File)
        return std::unique_ptr<VideoSink>(std::make_unique<Y4mVideoSink>(spec.path, fps));
    return std::unique_ptr<VideoSink>(std::make_unique<NullVideoSink>());
}

} // namespace vphone::media
