// Screen sharing (media/screen): x11grab under a private Xvfb this test starts (display :91..:99,
// no TCP) and stops by its PID. The root window is painted red and a blue window is mapped, so
// captured frames have known colours; bad displays and windows give errors naming them.
#include "engine/video_device.h"
#include "screen/screen_source.h"

#include <gtest/gtest.h>
// After gtest: Xlib defines None, Bool and Status as macros.
#include <X11/Xlib.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

pid_t g_xvfb = 0;
std::string g_display;
Display* g_dpy = nullptr;
Window g_blue = 0;

bool exists(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

class XvfbEnvironment : public ::testing::Environment {
public:
    void SetUp() override
    {
        for (int n = 91; n <= 99 && g_dpy == nullptr; ++n) {
            if (exists("/tmp/.X" + std::to_string(n) + "-lock") ||
                exists("/tmp/.X11-unix/X" + std::to_string(n)))
                continue;
            const std::string display = ":" + std::to_string(n);
            const pid_t pid = ::fork();
            if (pid == 0) {
                ::execlp("Xvfb", "Xvfb", display.c_str(), "-screen", "0", "640x480x24", "-nolisten", "tcp",
                         "-noreset", static_cast<char*>(nullptr));
                ::_exit(127);
            }
            for (int i = 0; i < 100 && g_dpy == nullptr; ++i) {
                std::this_thread::sleep_for(50ms);
                int status = 0;
                if (::waitpid(pid, &status, WNOHANG) == pid) break; // lost the race for :n
                g_dpy = XOpenDisplay(display.c_str());
            }
            if (g_dpy == nullptr) {
                ::kill(pid, SIGTERM);
                ::waitpid(pid, nullptr, 0);
                continue;
            }
            g_xvfb = pid;
            g_display = display;
        }
        if (g_dpy == nullptr) return;
        const Window root = DefaultRootWindow(g_dpy);
        XSetWindowBackground(g_dpy, root, 0xff0000); // 24-bit TrueColor: the pixel is RGB
        XClearWindow(g_dpy, root);
        g_blue = XCreateSimpleWindow(g_dpy, root, 20, 20, 160, 120, 0, 0, 0x0000ff);
        XMapWindow(g_dpy, g_blue);
        XSync(g_dpy, False);
    }
    void TearDown() override
    {
        if (g_dpy != nullptr) XCloseDisplay(g_dpy);
        if (g_xvfb > 0) {
            ::kill(g_xvfb, SIGTERM);
            ::waitpid(g_xvfb, nullptr, 0);
        }
    }
};

const auto* const g_env = ::testing::AddGlobalTestEnvironment(new XvfbEnvironment);

/// Mean of a plane.
double mean(const std::uint8_t* p, std::size_t n)
{
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += p[i];
    return n ? sum / double(n) : 0;
}

/// Waits up to 3 s for a frame (capture() never blocks; the reader fills the mailbox).
bool nextFrame(VideoSource& source, VideoFrame& frame)
{
    for (int i = 0; i < 300; ++i) {
        if (source.capture(std::chrono::steady_clock::now(), frame)) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

void expectColour(const VideoFrame& f, double y, double u, double v)
{
    const std::size_t c = std::size_t(f.chromaWidth()) * f.chromaHeight();
    // The mouse pointer may sit on the picture: a few pixels off the mean.
    EXPECT_NEAR(mean(f.y(), std::size_t(f.width) * f.height), y, 3);
    EXPECT_NEAR(mean(f.u(), c), u, 3);
    EXPECT_NEAR(mean(f.v(), c), v, 3);
}

#define NEED_XVFB()                                                                                          \
    if (g_dpy == nullptr) GTEST_SKIP() << "no Xvfb could be started on :91..:99"

} // namespace

TEST(ScreenSource, CapturesTheWholeRedScreen)
{
    NEED_XVFB();
    XUnmapWindow(g_dpy, g_blue);
    XSync(g_dpy, False);
    auto source = makeScreenSource(g_display, 0, 10);
    ASSERT_TRUE(source) << source.error().what;
    EXPECT_EQ((*source)->width(), 640);
    EXPECT_EQ((*source)->height(), 480);
    EXPECT_EQ((*source)->fps(), 10);
    EXPECT_NE((*source)->describe().find(g_display), std::string::npos) << (*source)->describe();
    VideoFrame frame;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(nextFrame(**source, frame)) << "frame " << i;
        ASSERT_TRUE(frame.valid());
        EXPECT_EQ(frame.width, 640);
        EXPECT_EQ(frame.height, 480);
        // Red (255, 0, 0) in BT.601 limited range.
        expectColour(frame, 82, 90, 240);
    }
    XMapWindow(g_dpy, g_blue);
    XSync(g_dpy, False);
}

TEST(ScreenSource, CaptureNeverWaitsAndTakesEachFrameOnce)
{
    NEED_XVFB();
    auto source = makeScreenSource(g_display, 0, 5);
    ASSERT_TRUE(source) << source.error().what;
    VideoFrame frame;
    ASSERT_TRUE(nextFrame(**source, frame));
    const auto t0 = std::chrono::steady_clock::now();
    const bool again = (*source)->capture(t0, frame); // 5 fps: the next one is 200 ms away
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 20ms);
    EXPECT_FALSE(again);
}

TEST(ScreenSource, CapturesOneWindow)
{
    NEED_XVFB();
    auto source = makeScreenSource(g_display, g_blue, 10);
    ASSERT_TRUE(source) << source.error().what;
    EXPECT_EQ((*source)->width(), 160);
    EXPECT_EQ((*source)->height(), 120);
    VideoFrame frame;
    ASSERT_TRUE(nextFrame(**source, frame));
    EXPECT_EQ(frame.width, 160);
    EXPECT_EQ(frame.height, 120);
    expectColour(frame, 41, 240, 110); // blue (0, 0, 255)
}

TEST(ScreenSource, SpecsBuildItThroughTheEngine)
{
    NEED_XVFB();
    auto spec = parseVideoSourceSpec("screen:" + g_display + "@10");
    ASSERT_TRUE(spec) << spec.error().what;
    auto source = makeVideoSource(*spec);
    ASSERT_TRUE(source) << source.error().what;
    EXPECT_EQ((*source)->width(), 640);
    VideoFrame frame;
    EXPECT_TRUE(nextFrame(**source, frame));

    ::setenv("DISPLAY", g_display.c_str(), 1); // window:ID uses $DISPLAY
    auto window = parseVideoSourceSpec("window:" + std::to_string(g_blue));
    ASSERT_TRUE(window) << window.error().what;
    auto windowSource = makeVideoSource(*window);
    ASSERT_TRUE(windowSource) << windowSource.error().what;
    EXPECT_EQ((*windowSource)->width(), 160);
}

TEST(ScreenSource, ABadDisplayIsNamed)
{
    auto source = makeScreenSource(":250", 0, 10);
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().what.find("cannot open X display :250"), std::string::npos)
        << source.error().what;
}

TEST(ScreenSource, ABadWindowIsNamed)
{
    NEED_XVFB();
    auto source = makeScreenSource(g_display, 0x1, 10);
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().what.find("no such window 0x1"), std::string::npos) << source.error().what;
    EXPECT_NE(source.error().what.find(g_display), std::string::npos) << source.error().what;

    ::setenv("DISPLAY", g_display.c_str(), 1);
    auto spec = parseVideoSourceSpec("window:0x1");
    ASSERT_TRUE(spec);
    auto viaEngine = makeVideoSource(*spec);
    ASSERT_FALSE(viaEngine);
    EXPECT_NE(viaEngine.error().what.find("0x1"), std::string::npos) << viaEngine.error().what;
}

TEST(ScreenSource, NoDisplayAtAll)
{
    const char* saved = std::getenv("DISPLAY");
    const std::string keep = saved ? saved : "";
    ::unsetenv("DISPLAY");
    auto source = makeScreenSource("", 0, 10);
    if (!keep.empty()) ::setenv("DISPLAY", keep.c_str(), 1);
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().what.find("DISPLAY is not set"), std::string::npos) << source.error().what;
}

TEST(ScreenSource, ABadFrameRate)
{
    auto source = makeScreenSource(":250", 0, 0);
    ASSERT_FALSE(source);
    EXPECT_NE(source.error().what.find("frame rate 0"), std::string::npos) << source.error().what;
}

TEST(ScreenSource, SpecsNameTheDisplay)
{
    auto a = parseVideoSourceSpec("screen::91@10");
    ASSERT_TRUE(a) << a.error().what;
    EXPECT_EQ(a->kind, VideoSourceSpec::Kind::Screen);
    EXPECT_EQ(a->device, ":91");
    EXPECT_EQ(a->fps, 10);
    auto b = parseVideoSourceSpec("screen:91");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->device, ":91");
    auto c = parseVideoSourceSpec("screen@5");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->device, "");
    EXPECT_EQ(c->fps, 5);
    auto d = parseVideoSourceSpec("screen:localhost:10.0");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->device, "localhost:10.0");
}

TEST(ScreenSource, AWindowThatGoesAwayStopsTheFramesNotTheProgram)
{
    NEED_XVFB();
    const Window w = XCreateSimpleWindow(g_dpy, DefaultRootWindow(g_dpy), 300, 200, 64, 48, 0, 0, 0x00ff00);
    XMapWindow(g_dpy, w);
    XSync(g_dpy, False);
    auto source = makeScreenSource(g_display, w, 20);
    ASSERT_TRUE(source) << source.error().what;
    VideoFrame frame;
    ASSERT_TRUE(nextFrame(**source, frame));
    EXPECT_EQ(frame.width, 64);
    XDestroyWindow(g_dpy, w);
    XSync(g_dpy, False);
    std::this_thread::sleep_for(300ms);
    (*source)->capture(std::chrono::steady_clock::now(), frame); // at most one frame from before
    EXPECT_FALSE(nextFrame(**source, frame)) << "frames after the window was destroyed";
    source->reset(); // the reader thread has ended; the destructor joins it at once
}
