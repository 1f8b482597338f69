// The settings page's live device test (ui/models/device_tester.h) under an offscreen
// QGuiApplication, with the engine's own devices: the microphone level follows a tone source and
// falls with silence, the test tone writes one second of 440 Hz into a file sink (Goertzel), the
// camera preview shows the test pattern in a QVideoSink (also when a camera is asked for and none
// exists), and devices that cannot be opened say so in words.
//
// With VPHONE_PULSE_PIPE set (tests/app/device_tester_pulse.sh starts a private PulseAudio with
// a module-pipe-source at that path and a null sink named vphone_sink), the Pulse test runs too:
// the level of the real default microphone rises when a 440 Hz tone is written into the pipe,
// and the test tone played on the default speaker is recorded from the null sink's monitor with
// parec and checked for 440 Hz.
#include "device/wav_file.h"
#include "dsp/goertzel.h"
#include "models/device_tester.h"

#include <QAudioDevice>
#include <QFile>
#include <QGuiApplication>
#include <QMediaDevices>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVideoFrame>
#include <QVideoSink>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fcntl.h>
#include <numbers>
#include <thread>
#include <unistd.h>
#include <vector>

using vphone::ui::DeviceTester;
namespace media = vphone::media;

namespace {

bool waitFor(const std::function<bool()>& done, int ms = 5000)
{
    return QTest::qWaitFor(done, ms);
}

} // namespace

TEST(DeviceTester, MicLevelFollowsTheSourceAndStops)
{
    DeviceTester t;
    t.startMicTest(QStringLiteral("tone:440"));
    EXPECT_TRUE(t.micTesting());
    // 8000 of 32767 RMS/sqrt(2): about -15 dBFS, 0.75 of the -60..0 dB bar.
    ASSERT_TRUE(waitFor([&] { return t.micLevel() > 0.6; })) << t.micLevel();
    EXPECT_LT(t.micLevel(), 0.9);
    QSignalSpy updates(&t, &DeviceTester::micLevelChanged);
    QTest::qWait(1000);
    EXPECT_GE(updates.count(), 6) << "about ten updates a second";
    EXPECT_LE(updates.count(), 14);
    t.startMicTest(QStringLiteral("silence"));
    EXPECT_TRUE(waitFor([&] { return t.micLevel() == 0.0; })) << t.micLevel();
    t.stopMicTest();
    EXPECT_FALSE(t.micTesting());
    EXPECT_TRUE(t.message().isEmpty()) << t.message().toStdString();
}

TEST(DeviceTester, TestToneIsOneSecondOf440Hz)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("tone.wav"));
    DeviceTester t;
    QSignalSpy finished(&t, &DeviceTester::toneFinished);
    t.playTestTone(QStringLiteral("file:") + file);
    EXPECT_TRUE(t.tonePlaying());
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 5000));
    EXPECT_FALSE(t.tonePlaying());
    EXPECT_TRUE(t.message().isEmpty()) << t.message().toStdString();
    auto wav = media::readWavMono(file.toStdString());
    ASSERT_TRUE(wav) << wav.error().what;
    EXPECT_EQ(wav->samples.size(), std::size_t{48000});
    EXPECT_GT(media::analyseTone(wav->samples, wav->sampleRate, 440).fraction(), 0.95);
    EXPECT_LT(media::analyseTone(wav->samples, wav->sampleRate, 1000).fraction(), 0.01);
}

TEST(DeviceTester, CameraPreviewShowsTheTestPattern)
{
    DeviceTester t;
    QVideoSink view;
    t.setPreviewView(&view);
    t.startCameraPreview(QStringLiteral("testsrc:320x180@15"));
    EXPECT_TRUE(t.previewing());
    ASSERT_TRUE(waitFor([&] { return t.previewFrames() >= 5; })) << t.previewFrames();
    EXPECT_EQ(view.videoFrame().size(), QSize(320, 180));
    t.stopCameraPreview();
    EXPECT_FALSE(t.previewing());
    QTest::qWait(200);
    const auto stopped = t.previewFrames();
    QTest::qWait(300);
    EXPECT_EQ(t.previewFrames(), stopped) << "frames after the preview stopped";

    // No camera on this machine: a device spec shows the pattern and says why.
    t.startCameraPreview(QStringLiteral("device"));
    EXPECT_EQ(t.message(), QStringLiteral("No camera found: showing the test pattern"));
    EXPECT_TRUE(waitFor([&] { return t.previewFrames() >= stopped + 5; }));
    t.startCameraPreview(QStringLiteral("off"));
    EXPECT_FALSE(t.previewing());
    EXPECT_EQ(t.message(), QStringLiteral("The camera is off"));
    t.startCameraPreview(QStringLiteral("bogus"));
    EXPECT_TRUE(t.message().contains(QLatin1String("bogus"))) << t.message().toStdString();
}

TEST(DeviceTester, DevicesThatCannotBeOpenedSaySo)
{
    if (!qEnvironmentVariableIsEmpty("VPHONE_PULSE_PIPE") || !QMediaDevices::audioInputs().isEmpty() ||
        !QMediaDevices::audioOutputs().isEmpty())
        GTEST_SKIP() << "a sound server runs";
    DeviceTester t;
    // No sound server here: Qt lists no devices.
    t.startMicTest(QStringLiteral("device"));
    EXPECT_EQ(t.message(), QStringLiteral("No microphone found"));
    EXPECT_FALSE(t.micTesting());
    QSignalSpy finished(&t, &DeviceTester::toneFinished);
    t.playTestTone(QStringLiteral("device"));
    EXPECT_EQ(t.message(), QStringLiteral("No speaker found"));
    EXPECT_EQ(finished.count(), 1);

    t.startMicTest(QStringLiteral("file:/nonexistent/vphone-mic.wav"));
    ASSERT_TRUE(waitFor([&] { return !t.micTesting(); }));
    EXPECT_TRUE(t.message().startsWith(QLatin1String("Microphone: "))) << t.message().toStdString();
    EXPECT_TRUE(t.message().contains(QLatin1String("/nonexistent/vphone-mic.wav")))
        << t.message().toStdString();
    t.playTestTone(QStringLiteral("file:/nonexistent/dir/tone.wav"));
    ASSERT_TRUE(waitFor([&] { return finished.count() == 2; }));
    EXPECT_TRUE(t.message().startsWith(QLatin1String("Speaker: "))) << t.message().toStdString();
    EXPECT_FALSE(t.tonePlaying());
    t.startMicTest(QStringLiteral("nonsense"));
    ASSERT_TRUE(waitFor([&] { return !t.micTesting(); }));
    EXPECT_TRUE(t.message().contains(QLatin1String("nonsense"))) << t.message().toStdString();
}

TEST(DeviceTester, StopAllEndsEveryTest)
{
    DeviceTester t;
    QVideoSink view;
    t.setPreviewView(&view);
    t.startMicTest(QStringLiteral("tone:1000"));
    t.startCameraPreview(QStringLiteral("testsrc:160x90@10"));
    ASSERT_TRUE(waitFor([&] { return t.micLevel() > 0.5 && t.previewFrames() > 2; }));
    t.stopAll();
    EXPECT_FALSE(t.micTesting());
    EXPECT_FALSE(t.previewing());
    EXPECT_EQ(t.micLevel(), 0.0);
    QTest::qWait(300);
    EXPECT_EQ(t.micLevel(), 0.0) << "a level arrived after stopAll()";
}

// The real sound path through a private PulseAudio (the script's): see the file comment.
TEST(DeviceTester, PulseMicLevelRisesWithAToneAndTheTestToneReachesTheSink)
{
    const QByteArray pipe = qgetenv("VPHONE_PULSE_PIPE");
    if (pipe.isEmpty()) GTEST_SKIP() << "run by tests/app/device_tester_pulse.sh";
    const int fd = ::open(pipe.constData(), O_RDWR | O_NONBLOCK);
    ASSERT_GE(fd, 0) << "cannot open " << pipe.constData();
    // A writer thread feeds the pipe in real time: silence, then a 440 Hz tone.
    std::atomic<bool> tone{false};
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        std::vector<std::int16_t> frame(480); // 10 ms at 48 kHz mono
        double phase = 0;
        auto next = std::chrono::steady_clock::now();
        while (!stop) {
            for (auto& s : frame) {
                s = tone ? static_cast<std::int16_t>(8000 * std::sin(phase)) : 0;
                phase = std::fmod(phase + 2 * std::numbers::pi * 440 / 48000, 2 * std::numbers::pi);
            }
            [[maybe_unused]] auto n = ::write(fd, frame.data(), frame.size() * 2);
            next += std::chrono::milliseconds{10};
            std::this_thread::sleep_until(next);
        }
    });
    DeviceTester t;
    t.startMicTest(QStringLiteral("device"));
    EXPECT_TRUE(t.micTesting()) << t.message().toStdString();
    QTest::qWait(1000);
    EXPECT_LT(t.micLevel(), 0.2) << "silence in the pipe";
    tone = true;
    EXPECT_TRUE(waitFor([&] { return t.micLevel() > 0.6; }, 5000))
        << t.micLevel() << " " << t.message().toStdString();
    t.stopMicTest();
    stop = true;
    writer.join();
    ::close(fd);

    // The test tone on the default speaker (the null sink), recorded from its monitor.
    QTemporaryDir dir;
    const QString raw = dir.filePath(QStringLiteral("monitor.raw"));
    QProcess parec;
    parec.setStandardOutputFile(raw);
    parec.start(QStringLiteral("parec"),
                {QStringLiteral("--device=vphone_sink.monitor"), QStringLiteral("--format=s16le"),
                 QStringLiteral("--rate=48000"), QStringLiteral("--channels=1"), QStringLiteral("--raw")});
    ASSERT_TRUE(parec.waitForStarted(5000));
    QTest::qWait(300);
    QSignalSpy finished(&t, &DeviceTester::toneFinished);
    t.playTestTone(QStringLiteral("device"));
    ASSERT_TRUE(waitFor([&] { return finished.count() == 1; }, 5000));
    EXPECT_TRUE(t.message().isEmpty()) << t.message().toStdString();
    QTest::qWait(500);
    parec.terminate();
    parec.waitForFinished(3000);
    QFile f(raw);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    std::vector<std::int16_t> samples(std::size_t(bytes.size()) / 2);
    std::memcpy(samples.data(), bytes.constData(), samples.size() * 2);
    // Only the audible part counts: PulseAudio's null sink may stall playback early (machine.md).
    std::vector<std::int16_t> audible;
    for (std::size_t at = 0; at + 960 <= samples.size(); at += 960) {
        const auto block = std::span<const std::int16_t>(samples).subspan(at, 960);
        if (media::rmsDbfs(block) > -40) audible.insert(audible.end(), block.begin(), block.end());
    }
    EXPECT_GE(audible.size(), std::size_t{4800}) << "less than 100 ms of the tone reached the sink";
    // Pulse's playback glitches (underruns, the stall) cut a few windows: most, not all, are clean.
    EXPECT_GT(media::analyseTone(audible, 48000, 440).fraction(), 0.7);
    EXPECT_LT(media::analyseTone(audible, 48000, 1000).fraction(), 0.05);
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
