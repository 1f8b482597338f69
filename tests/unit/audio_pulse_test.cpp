// Smoke test of Qt Multimedia capture through a private PulseAudio server with a null source.
// Skipped when the pulseaudio program is not installed or its server does not come up
// (machine.md: Qt 6.4 audio exists only through PulseAudio; playback into a null sink stalls,
// so only capture is exercised). The server is ours: started with its own socket and stopped by PID.
#include "device/qt_audio_device.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace vphone::media;

namespace {

std::string findProgram(const char* name)
{
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        const auto path = std::filesystem::path(dir) / name;
        if (::access(path.c_str(), X_OK) == 0) return path.string();
    }
    return {};
}

class PulseServer {
public:
    bool start()
    {
        const auto program = findProgram("pulseaudio");
        if (program.empty()) return false;
        dir_ = std::filesystem::temp_directory_path() / ("vphone-pulse-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        socket_ = (dir_ / "native").string();
        const auto config = (dir_ / "server.pa").string();
        std::ofstream(config) << "load-module module-native-protocol-unix socket=" << socket_
                              << " auth-anonymous=1\n"
                              << "load-module module-null-source source_name=vphone_null_source\n"
                              << "set-default-source vphone_null_source\n";
        const std::string runtime = "PULSE_RUNTIME_PATH=" + dir_.string();
        const std::string home = "HOME=" + dir_.string();
        std::vector<std::string> args = {program,
                                         "-n",
                                         "-F",
                                         config,
                                         "--daemonize=no",
                                         "--exit-idle-time=-1",
                                         "--use-pid-file=no",
                                         "--disallow-exit",
                                         "--log-target=stderr"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> envStore = {runtime, home, "PATH=/usr/bin:/bin"};
        std::vector<char*> envp;
        for (auto& e : envStore)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        const auto log = (dir_ / "pulse.log").string();
        posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) return false;
        // Wait (bounded) for the socket: an external server's start-up, not a timing assumption.
        for (int i = 0; i < 100 && !std::filesystem::exists(socket_); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return std::filesystem::exists(socket_);
    }
    ~PulseServer()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    const std::string& socket() const { return socket_; }

private:
    pid_t pid_ = -1;
    std::filesystem::path dir_;
    std::string socket_;
};

} // namespace

TEST(PulseAudioCapture, QtSourceDeliversFramesFromANullSource)
{
    PulseServer server;
    if (!server.start()) GTEST_SKIP() << "no pulseaudio server could be started here";
    ::setenv("PULSE_SERVER", ("unix:" + server.socket()).c_str(), 1);
    int argc = 1;
    char name[] = "vphone_audio_tests";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    ASSERT_FALSE(listAudioInputs().empty()) << "Qt lists the null source";

    AudioFormat format;
    format.sampleRate = 48000;
    format.channels = 1;
    format.frameSamples = 960;
    ManualClock unused;
    auto source = makeAudioSource(*parseSourceSpec("device"), format, unused);
    ASSERT_TRUE(source) << source.error().what;
    std::vector<int16_t> frame(960);
    int frames = 0;
    QElapsedTimer timer;
    timer.start();
    while (frames < 10 && timer.elapsed() < 5000) {
        app.processEvents(QEventLoop::AllEvents, 20);
        while ((*source)->read(frame) == FrameStatus::Ready)
            ++frames;
    }
    EXPECT_GE(frames, 10) << "20 ms frames captured within 5 s";
    source->reset();
}
