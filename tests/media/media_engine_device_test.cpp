// A MediaSession whose microphone is a sound card: Qt Multimedia capture from a private
// PulseAudio server's null source (the only capture this machine has; machine.md). It covers
// what file and tone sources cannot: the device is made on the Qt thread that runs the event
// loop, the media thread reads it through its SPSC ring, and the echo canceller sits in the
// capture path. Skipped when no pulseaudio server can be started. The server helper follows
// tests/unit/audio_pulse_test.cpp: our own socket, stopped by PID.
#include "media_engine_test_util.h"

#include <QCoreApplication>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

namespace {

class PulseServer {
public:
    bool start()
    {
        const std::string program = "/usr/bin/pulseaudio";
        if (::access(program.c_str(), X_OK) != 0) return false;
        dir_ = std::filesystem::temp_directory_path() / ("vphone-engine-pulse-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        socket_ = (dir_ / "native").string();
        const auto config = (dir_ / "server.pa").string();
        std::ofstream(config) << "load-module module-native-protocol-unix socket=" << socket_
                              << " auth-anonymous=1\n"
                              << "load-module module-null-source source_name=vphone_null_source\n"
                              << "set-default-source vphone_null_source\n";
        std::vector<std::string> args = {program,
                                         "-n",
                                         "-F",
                                         config,
                                         "--daemonize=no",
                                         "--exit-idle-time=-1",
                                         "--use-pid-file=no",
                                         "--disallow-exit"};
        std::vector<std::string> env = {"PULSE_RUNTIME_PATH=" + dir_.string(), "HOME=" + dir_.string(),
                                        "PATH=/usr/bin:/bin"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<char*> envp;
        for (auto& e : env)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        const auto log = (dir_ / "pulse.log").string();
        posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) return false;
        // Bounded wait for the server's socket (its start-up, not a timing assumption).
        for (int i = 0; i < 100 && !std::filesystem::exists(socket_); ++i)
            std::this_thread::sleep_for(50ms);
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

TEST(MediaEngineDevice, ASoundCardMicrophoneFeedsTheCallThroughTheEchoCanceller)
{
    PulseServer server;
    if (!server.start()) GTEST_SKIP() << "no pulseaudio server could be started here";
    ::setenv("PULSE_SERVER", ("unix:" + server.socket()).c_str(), 1);
    int argc = 1;
    char name[] = "vphone_media_engine_tests";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);

    const auto dir = tempDir("device");
    auto a = session(config("device", "file:" + dir + "/a.wav", {"pcmu"}));
    auto b = session(config("tone:1000", "null", {"pcmu"}));
    ASSERT_TRUE(negotiate(*a, *b));
    // The Qt device lives on this thread: keep its event loop turning while the call runs.
    const auto end = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < end)
        app.processEvents(QEventLoop::AllEvents, 20);
    const auto sa = audioStats(*a);
    const auto sb = audioStats(*b);
    a->stop();
    b->stop();
    // A's microphone (the null source: silence) reached B as packets; B's tone reached A's file.
    EXPECT_TRUE(sa.echoCanceller);
    EXPECT_FALSE(sb.echoCanceller); // a tone needs none
    EXPECT_GT(sa.packetsSent, 40u);
    EXPECT_GT(sb.packetsReceived, 40u);
    const auto atA = analyseReceived(dir + "/a.wav", 1000);
    EXPECT_GE(atA.seconds, 1.0);
    EXPECT_GE(atA.report.fraction(), 0.9) << atA.report.dominated << "/" << atA.report.windows;
    a.reset(); // the Qt device goes with its session, on this thread, before the application
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}
