// Switching a running call's audio devices (the call view's speaker/microphone menu): the source
// goes from one tone to another and the sink from one WAV file to another, without a re-offer;
// the Goertzel detector checks which tone each file holds. Also the errors: a bad spec or a
// device that cannot be made leaves the old one in place.
#include "media_engine_test_util.h"

using namespace vphone::media;
using namespace vphone::media::test;
using namespace std::chrono_literals;

TEST(MediaEngineSwitch, SourceAndSinkSwitchMidCallWithoutRenegotiation)
{
    const auto dir = tempDir("switch");
    const auto first = dir + "/first.wav";
    const auto second = dir + "/second.wav";
    auto a = session(config("tone:440", "null", {"pcmu"}));
    auto b = session(config("silence", "file:" + first, {"pcmu"}));
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(negotiate(*a, *b));
    ASSERT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > 50; })); // 1 s of 440 Hz

    // B's speaker goes to the second file, then A's microphone to 1000 Hz.
    ASSERT_TRUE(b->setAudioSink("file:" + second));
    EXPECT_EQ(b->audioSink(), "file:" + second);
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(a->setAudioSource("tone:1000"));
    EXPECT_EQ(a->audioSource(), "tone:1000");
    const auto before = audioStats(*b).packetsReceived;
    ASSERT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > before + 60; }));
    const auto sentBefore = audioStats(*a).packetsSent;
    a->stop();
    b->stop();

    // The first file was closed at the switch and holds only the first tone.
    const auto one = analyseReceived(first, 440);
    EXPECT_GT(one.seconds, 0.5);
    EXPECT_GT(one.report.fraction(), 0.9) << "the first file is not 440 Hz";
    EXPECT_LT(analyseReceived(first, 1000).report.fraction(), 0.05);
    // The second file: 440 Hz for the 300 ms before A's switch, then 1000 Hz to the end.
    const auto samples = readWav(second);
    ASSERT_GT(samples.size(), std::size_t{48000});
    const auto tail = std::span<const std::int16_t>(samples).last(48000 * 8 / 10);
    EXPECT_GT(analyseTone(tail, 48000, 1000).fraction(), 0.9) << "the new source was not heard";
    EXPECT_LT(analyseTone(tail, 48000, 440).fraction(), 0.05);
    const auto head = std::span<const std::int16_t>(samples).first(48000 / 10);
    EXPECT_GT(analyseTone(head, 48000, 440).fraction(), 0.5) << "the new sink missed the old tone";
    EXPECT_GT(sentBefore, 100u); // RTP kept flowing through the switch (no re-offer)
}

TEST(MediaEngineSwitch, BadSpecsAreRefusedAndTheOldDevicesStay)
{
    auto a = session(config("tone:440", "null", {"pcmu"}));
    auto b = session(config("silence", "null", {"pcmu"}));
    ASSERT_TRUE(a && b);
    // Before the media starts the spec is only checked and remembered.
    auto early = a->setAudioSource("bogus");
    ASSERT_FALSE(early);
    EXPECT_NE(early.error().what.find("bogus"), std::string::npos) << early.error().what;
    ASSERT_TRUE(negotiate(*a, *b));
    ASSERT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > 10; }));
    auto bad = a->setAudioSource("file:/nonexistent/vphone.wav");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().what.find("/nonexistent/vphone.wav"), std::string::npos) << bad.error().what;
    EXPECT_EQ(a->audioSource(), "tone:440");
    auto badSink = b->setAudioSink("file:/nonexistent/dir/out.wav");
    ASSERT_FALSE(badSink);
    EXPECT_EQ(b->audioSink(), "null");
    const auto got = audioStats(*b).packetsReceived;
    EXPECT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > got + 10; }));
    a->stop();
    b->stop();
    EXPECT_FALSE(a->setAudioSource("tone:500")); // stopped
}
