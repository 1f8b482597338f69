// Audio sources and sinks on a clock the test controls: spec strings, tone/silence pacing, WAV
// file source (resampled) and sink, device preferences and hot-plug decisions, the factories,
// and vphone-tone-check on a recording.
#include "device/basic_devices.h"
#include "device/device_preferences.h"
#include "device/device_spec.h"
#include "device/qt_audio_device.h"
#include "dsp/goertzel.h"

#include "audio_test_signals.h"

#include <QCoreApplication>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

using namespace vphone::media;
using namespace std::chrono_literals;

namespace {

std::string tempPath(const std::string& name)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("vphone-device-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

AudioFormat format(int rate, int channels, std::size_t frameSamples)
{
    AudioFormat f;
    f.sampleRate = rate;
    f.channels = channels;
    f.frameSamples = frameSamples;
    return f;
}

} // namespace

TEST(AudioSpec, ParsesSourceSpecs)
{
    auto tone = parseSourceSpec("tone:440");
    ASSERT_TRUE(tone);
    EXPECT_EQ(tone->kind, SourceKind::Tone);
    EXPECT_EQ(tone->toneHz, 440);
    auto file = parseSourceSpec("file:/tmp/a:b.wav");
    ASSERT_TRUE(file);
    EXPECT_EQ(file->kind, SourceKind::File);
    EXPECT_EQ(file->path, "/tmp/a:b.wav");
    EXPECT_EQ(parseSourceSpec("silence")->kind, SourceKind::Silence);
    auto dev = parseSourceSpec("device");
    ASSERT_TRUE(dev);
    EXPECT_EQ(dev->kind, SourceKind::Device);
    EXPECT_EQ(dev->device, "");
    EXPECT_EQ(parseSourceSpec("device:USB Headset")->device, "USB Headset");
    EXPECT_EQ(parseSourceSpec("tone:1000.5")->toneHz, 1000.5);
}

TEST(AudioSpec, BadSpecsSayWhatWasExpected)
{
    EXPECT_EQ(parseSourceSpec("tone:abc").error().what,
              "audio source 'tone:abc': 'abc' is not a frequency in Hz");
    EXPECT_EQ(parseSourceSpec("tone:").error().what, "audio source 'tone:': '' is not a frequency in Hz");
    EXPECT_EQ(parseSourceSpec("tone:0").error().what,
              "audio source 'tone:0': frequency must be above 0 and at most 96000 Hz");
    EXPECT_EQ(parseSourceSpec("file:").error().what, "audio source 'file:': file: needs a path");
    EXPECT_EQ(parseSourceSpec("mic").error().what,
              "unknown audio source 'mic' (expected tone:HZ, file:PATH, silence or device[:NAME])");
    EXPECT_EQ(parseSinkSpec("speaker").error().what,
              "unknown audio sink 'speaker' (expected file:PATH, null or device[:NAME])");
    EXPECT_FALSE(parseSinkSpec("silence"));
    EXPECT_EQ(parseSinkSpec("null")->kind, SinkKind::Null);
    EXPECT_EQ(parseSinkSpec("file:out.wav")->path, "out.wav");
    EXPECT_EQ(parseSinkSpec("device:x")->device, "x");
}

TEST(ToneSource, DeliversFramesOnlyWhenTheClockSaysTheyAreDue)
{
    ManualClock clock;
    auto made = ToneSource::create(1000, format(8000, 1, 160), clock);
    ASSERT_TRUE(made) << made.error().what;
    auto& tone = **made;
    std::vector<int16_t> frame(160);
    std::vector<int16_t> all;
    EXPECT_EQ(tone.read(frame), FrameStatus::Ready); // the first frame is due at once
    all.insert(all.end(), frame.begin(), frame.end());
    EXPECT_EQ(tone.read(frame), FrameStatus::NotYet);
    // The next one is due half a frame early (10 ms after the first read, not 20), so a reader
    // ticking every 20 ms takes one per tick even when its timer wakes a little early.
    clock.advance(9ms);
    EXPECT_EQ(tone.read(frame), FrameStatus::NotYet);
    clock.advance(1ms);
    EXPECT_EQ(tone.read(frame), FrameStatus::Ready);
    EXPECT_EQ(tone.read(frame), FrameStatus::NotYet);
    clock.advance(10ms); // where the old anchoring made it due: nothing more yet
    EXPECT_EQ(tone.read(frame), FrameStatus::NotYet);
    all.insert(all.end(), frame.begin(), frame.end());
    clock.advance(100ms); // late: the five frames due since are all available at once
    int burst = 0;
    while (tone.read(frame) == FrameStatus::Ready) {
        ++burst;
        all.insert(all.end(), frame.begin(), frame.end());
    }
    EXPECT_EQ(burst, 5);
    const auto report = analyseTone(all, 8000, 1000);
    EXPECT_EQ(report.dominated, report.windows);
    EXPECT_EQ(report.windows, 7u);
    std::vector<int16_t> wrong(100);
    EXPECT_EQ(tone.read(wrong), FrameStatus::Failed);
    EXPECT_EQ(tone.describe(), "tone:1000");
}

TEST(ToneSource, RefusesToneAboveNyquistAndBadFormats)
{
    ManualClock clock;
    auto high = ToneSource::create(5000, format(8000, 1, 160), clock);
    ASSERT_FALSE(high);
    EXPECT_EQ(high.error().what, "tone: 5000 Hz is not between 0 and 4000 Hz (half the sample rate)");
    EXPECT_FALSE(ToneSource::create(440, format(8000, 3, 160), clock));
    EXPECT_FALSE(ToneSource::create(440, format(8000, 1, 2), clock));
}

TEST(SilenceSource, IsPacedAndSilent)
{
    ManualClock clock;
    SilenceSource silence(format(16000, 2, 320), clock);
    std::vector<int16_t> frame(640, 7);
    EXPECT_EQ(silence.read(frame), FrameStatus::Ready);
    EXPECT_EQ(frame, std::vector<int16_t>(640, 0));
    EXPECT_EQ(silence.read(frame), FrameStatus::NotYet);
    clock.advance(20ms);
    EXPECT_EQ(silence.read(frame), FrameStatus::Ready);
}

TEST(FileSource, PlaysAStereo44kFileAsMono48kFramesThenEnds)
{
    const auto path = tempPath("voice-44k-stereo.wav");
    {
        auto w = WavWriter::create(path, 44100, 2);
        ASSERT_TRUE(w);
        ASSERT_TRUE(w->write(test::sine(800, 44100, 44100, 9000, 2))); // 1 s
    }
    ManualClock clock;
    auto made = FileSource::open(path, format(48000, 1, 960), clock);
    ASSERT_TRUE(made) << made.error().what;
    auto& source = **made;
    std::vector<int16_t> frame(960);
    std::vector<int16_t> all;
    int frames = 0;
    for (;;) {
        const auto status = source.read(frame);
        if (status == FrameStatus::NotYet) {
            clock.advance(20ms);
            continue;
        }
        if (status == FrameStatus::Ended) break;
        ASSERT_EQ(status, FrameStatus::Ready);
        ++frames;
        all.insert(all.end(), frame.begin(), frame.end());
        ASSERT_LT(frames, 100);
    }
    EXPECT_GE(frames, 49);
    EXPECT_LE(frames, 51);
    EXPECT_EQ(source.read(frame), FrameStatus::Ended);
    const auto report = analyseTone(std::span(all).first(960 * 48), 48000, 800);
    EXPECT_EQ(report.dominated, report.windows);
}

TEST(FileSource, LoopsWhenAsked)
{
    const auto path = tempPath("short.wav");
    {
        auto w = WavWriter::create(path, 8000, 1);
        ASSERT_TRUE(w);
        ASSERT_TRUE(w->write(test::sine(500, 8000, 800))); // 100 ms
    }
    ManualClock clock;
    auto made = FileSource::open(path, format(8000, 1, 160), clock, FileLoop::Forever);
    ASSERT_TRUE(made);
    std::vector<int16_t> frame(160);
    for (int i = 0; i < 30; ++i) { // 600 ms from a 100 ms file
        ASSERT_EQ((*made)->read(frame), FrameStatus::Ready) << i;
        clock.advance(20ms);
    }
}

TEST(FileSource, BadFileErrorsNameTheFile)
{
    ManualClock clock;
    const auto path = tempPath("not-a-wav.wav");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("hello, this is text and not audio", f);
    std::fclose(f);
    auto r = FileSource::open(path, format(8000, 1, 160), clock);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().what, "WAV file " + path + ": offset 0: not a RIFF file (starts with 'hell')");
}

TEST(FileSink, RecordsFramesThatReadBack)
{
    const auto path = tempPath("recorded.wav");
    auto sink = FileSink::create(path, format(16000, 1, 320));
    ASSERT_TRUE(sink) << sink.error().what;
    const auto tone = test::sine(1500, 16000, 320 * 10);
    for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_EQ((*sink)->write(std::span(tone).subspan(i * 320, 320)), FrameStatus::Ready);
    }
    EXPECT_EQ((*sink)->write(std::vector<int16_t>(5)), FrameStatus::Failed);
    EXPECT_NE((*sink)->lastError().find("expected 320"), std::string::npos);
    ASSERT_TRUE((*sink)->close());
    EXPECT_EQ((*sink)->write(std::span(tone).first(320)), FrameStatus::Failed) << "closed";
    auto r = WavReader::open(path);
    ASSERT_TRUE(r);
    std::vector<int16_t> back(tone.size());
    EXPECT_EQ(r->readFrames(back), tone.size());
    EXPECT_EQ(back, tone);
}

TEST(DevicePreferences, RankedChoiceFallsBackToTheDefault)
{
    const std::vector<AudioDeviceInfo> present = {
        {"alsa_input.pci.analog", "Built-in Audio Analog Stereo", true},
        {"alsa_input.usb-headset", "USB Headset Mono", false},
    };
    EXPECT_EQ(chooseDevice({}, present)->id, "alsa_input.pci.analog");
    EXPECT_EQ(chooseDevice({"alsa_input.usb-headset"}, present)->id, "alsa_input.usb-headset");
    EXPECT_EQ(chooseDevice({"usb headset mono"}, present)->id, "alsa_input.usb-headset") << "by description";
    EXPECT_EQ(chooseDevice({"bluetooth.gone", "alsa_input.usb-headset"}, present)->id,
              "alsa_input.usb-headset");
    EXPECT_EQ(chooseDevice({"bluetooth.gone"}, present)->id, "alsa_input.pci.analog")
        << "gone is not an error";
    EXPECT_EQ(chooseDevice({}, {{"a", "A", false}, {"b", "B", false}})->id, "a") << "no default: the first";
    EXPECT_FALSE(chooseDevice({"x"}, {}));

    DevicePreferences prefs;
    prefs.prefer(AudioRole::Speaker, "speakers");
    prefs.prefer(AudioRole::Speaker, "headset");
    prefs.prefer(AudioRole::Speaker, "speakers");
    EXPECT_EQ(prefs.ranked(AudioRole::Speaker), (std::vector<std::string>{"speakers", "headset"}));
    EXPECT_TRUE(prefs.ranked(AudioRole::Ringer).empty());
    prefs.setRanked(AudioRole::Ringer, {"speakers"});
    EXPECT_EQ(prefs.ranked(AudioRole::Ringer).size(), 1u);
}

TEST(DevicePreferences, HotPlugSwitchesToThePreferredDeviceAndBack)
{
    const AudioDeviceInfo builtIn{"builtin", "Built-in", true};
    const AudioDeviceInfo headset{"headset", "Headset", false};
    const std::vector<std::string> ranked{"headset"};
    // Running on the built-in device; the headset is plugged in: switch to it.
    auto d = onDevicesChanged(builtIn, ranked, {builtIn, headset});
    EXPECT_TRUE(d.switchDevice);
    EXPECT_EQ(d.to->id, "headset");
    // Another device appears: stay.
    d = onDevicesChanged(headset, ranked, {builtIn, headset, {"hdmi", "HDMI", false}});
    EXPECT_FALSE(d.switchDevice);
    // The headset is unplugged mid-call: back to the default.
    d = onDevicesChanged(headset, ranked, {builtIn});
    EXPECT_TRUE(d.switchDevice);
    EXPECT_EQ(d.to->id, "builtin");
    // Everything is gone: stop, no device.
    d = onDevicesChanged(builtIn, ranked, {});
    EXPECT_TRUE(d.switchDevice);
    EXPECT_FALSE(d.to);
    // Nothing before, nothing now: nothing to do.
    EXPECT_FALSE(onDevicesChanged(std::nullopt, ranked, {}).switchDevice);
}

TEST(AudioFactory, MakesEachKindFromItsSpec)
{
    ManualClock clock;
    const auto f = format(48000, 1, 960);
    auto tone = makeAudioSource(*parseSourceSpec("tone:440"), f, clock);
    ASSERT_TRUE(tone) << tone.error().what;
    EXPECT_EQ((*tone)->describe(), "tone:440");
    EXPECT_EQ((*makeAudioSource(*parseSourceSpec("silence"), f, clock))->describe(), "silence");
    EXPECT_FALSE(makeAudioSource(*parseSourceSpec("file:" + tempPath("missing.wav")), f, clock));
    auto null = makeAudioSink(*parseSinkSpec("null"), f);
    ASSERT_TRUE(null);
    EXPECT_EQ((*null)->write(std::vector<int16_t>(960)), FrameStatus::Ready);
    auto file = makeAudioSink(*parseSinkSpec("file:" + tempPath("factory.wav")), f);
    ASSERT_TRUE(file) << file.error().what;
    EXPECT_EQ((*file)->describe(), "file:" + tempPath("factory.wav"));
}

TEST(AudioFactory, ANamedDeviceThatIsNotThereIsAClearError)
{
    // Without a PulseAudio server Qt lists no devices; with one, this name is still absent.
    int argc = 1;
    char name[] = "vphone_audio_tests";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    ManualClock clock;
    auto r = makeAudioSource(*parseSourceSpec("device:No Such Microphone"), format(48000, 1, 960), clock);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().what.rfind("no capture device named 'No Such Microphone' (have: ", 0), 0u)
        << r.error().what;
    auto s = makeAudioSink(*parseSinkSpec("device:No Such Speaker"), format(48000, 1, 960));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().what.rfind("no playback device named 'No Such Speaker'", 0), 0u) << s.error().what;
}

TEST(ToneCheck, ReportsTheFractionOfWindowsTheToneDominates)
{
    const auto path = tempPath("received.wav");
    {
        auto w = WavWriter::create(path, 8000, 1);
        ASSERT_TRUE(w);
        auto signal = test::sine(1000, 8000, 8000);                  // 1 s: 50 windows
        std::fill(signal.begin(), signal.begin() + 800, int16_t{0}); // first 100 ms silent
        ASSERT_TRUE(w->write(signal));
    }
    const std::string cmd = std::string(VPHONE_TONE_CHECK) + " " + path + " 1000 --min 0.85";
    std::FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char line[200] = {};
    ASSERT_NE(std::fgets(line, sizeof line, p), nullptr);
    const int status = ::pclose(p);
    EXPECT_STREQ(line, "0.900 (45 of 50 windows at 1000 Hz)\n");
    EXPECT_EQ(WEXITSTATUS(status), 0);
    const std::string strict = std::string(VPHONE_TONE_CHECK) + " " + path + " 1000 --min 0.95 >/dev/null";
    EXPECT_EQ(WEXITSTATUS(std::system(strict.c_str())), 1);
    const std::string other = std::string(VPHONE_TONE_CHECK) + " " + path + " 440 >/dev/null";
    EXPECT_EQ(WEXITSTATUS(std::system(other.c_str())), 0);
    const std::string bad = std::string(VPHONE_TONE_CHECK) + " /nonexistent.wav 440 2>/dev/null";
    EXPECT_EQ(WEXITSTATUS(std::system(bad.c_str())), 2);
}
