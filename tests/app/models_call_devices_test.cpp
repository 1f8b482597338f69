// Switching a call's microphone and speaker from the call view's Devices menu (CallItem::
// setAudioInput / setAudioOutput) between two PhoneControllers on 127.0.0.1 (SIP 5941-5942, RTP
// 13620-13659), offscreen, audio only: Bob's speaker moves from one WAV file to another and
// Alice's microphone from 440 Hz to 1000 Hz mid-call, without a re-INVITE; the Goertzel detector
// finds 440 Hz in the first file and 1000 Hz at the end of the second. A device that cannot be
// opened is refused in words and the call keeps its device. Waits are bounded, never timed.
#include "device/wav_file.h"
#include "dsp/goertzel.h"
#include "models/phone_controller.h"
#include "models_test_util.h"

#include <QGuiApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace vphone;
using test::waitFor;
using ui::CallItem;
using ui::PhoneController;

namespace {

ui::ProfileConfig profile(int sipPort, std::uint16_t rtpMin, std::string source, std::string sink)
{
    ui::ProfileConfig c;
    c.listen = {QStringLiteral("udp:127.0.0.1:%1").arg(sipPort)};
    c.media.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 19)};
    c.media.codecs = {"pcmu", "telephone-event"};
    c.media.audioSource = std::move(source);
    c.media.audioSink = std::move(sink);
    c.media.videoSource = "off";
    return c;
}

double toneFraction(const std::vector<std::int16_t>& samples, int rate, double hz)
{
    return media::analyseTone(samples, rate, hz).fraction();
}

} // namespace

TEST(CallDevices, MicrophoneAndSpeakerSwitchMidCallForThatCallOnly)
{
    QTemporaryDir dir;
    const std::string first = dir.filePath(QStringLiteral("first.wav")).toStdString();
    const QString second = dir.filePath(QStringLiteral("second.wav"));
    PhoneController alice(profile(5941, 13620, "tone:440", "null"));
    PhoneController bob(profile(5942, 13640, "silence", "file:" + first));
    ASSERT_TRUE(alice.start()) << alice.lastProblem().toStdString();
    ASSERT_TRUE(bob.start()) << bob.lastProblem().toStdString();
    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5942"), false)) << alice.lastProblem().toStdString();
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    CallItem* in = bob.incomingCall();
    in->answer(false);
    ASSERT_TRUE(
        waitFor([&] { return alice.currentCall() && alice.currentCall()->active() && in->active(); }));
    CallItem* out = alice.currentCall();
    EXPECT_EQ(out->audioInput(), QStringLiteral("tone:440"));
    EXPECT_EQ(in->audioOutput(), QString::fromStdString("file:" + first));
    QTest::qWait(1000);

    // A file that is not there: refused in words, the call keeps its microphone.
    EXPECT_FALSE(out->setAudioInput(QStringLiteral("file:/nonexistent/vphone-mic.wav")));
    EXPECT_TRUE(alice.lastProblem().startsWith(QLatin1String("Could not switch the microphone")))
        << alice.lastProblem().toStdString();
    EXPECT_EQ(out->audioInput(), QStringLiteral("tone:440"));

    QSignalSpy devices(in, &CallItem::devicesChanged);
    ASSERT_TRUE(in->setAudioOutput(QStringLiteral("file:") + second)) << bob.lastProblem().toStdString();
    EXPECT_EQ(devices.count(), 1);
    EXPECT_EQ(in->audioOutput(), QStringLiteral("file:") + second);
    QTest::qWait(300);
    ASSERT_TRUE(out->setAudioInput(QStringLiteral("tone:1000"))) << alice.lastProblem().toStdString();
    EXPECT_EQ(out->audioInput(), QStringLiteral("tone:1000"));
    QTest::qWait(1500);
    EXPECT_EQ(out->state(), QStringLiteral("Active")); // no re-INVITE, no interruption
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return in->ended() && out->ended(); }));
    QTest::qWait(200); // the sessions stop (the sink files are finished) as the calls end

    auto one = media::readWavMono(first);
    ASSERT_TRUE(one) << one.error().what;
    // From the first audible frame on: 440 Hz only.
    std::vector<std::int16_t> heard;
    for (std::size_t at = 0; at + 960 <= one->samples.size(); at += 960) {
        const auto block = std::span<const std::int16_t>(one->samples).subspan(at, 960);
        if (media::rmsDbfs(block) > -40) heard.insert(heard.end(), block.begin(), block.end());
    }
    EXPECT_GT(heard.size(), std::size_t{24000});
    EXPECT_GT(toneFraction(heard, one->sampleRate, 440), 0.9);
    EXPECT_LT(toneFraction(heard, one->sampleRate, 1000), 0.05);
    auto two = media::readWavMono(second.toStdString());
    ASSERT_TRUE(two) << two.error().what;
    ASSERT_GT(two->samples.size(), std::size_t{48000});
    const std::vector<std::int16_t> tail(two->samples.end() - 38400, two->samples.end()); // last 0.8 s
    EXPECT_GT(toneFraction(tail, two->sampleRate, 1000), 0.8) << "Alice's new microphone was not heard";
    EXPECT_LT(toneFraction(tail, two->sampleRate, 440), 0.05);
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
