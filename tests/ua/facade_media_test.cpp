// The facade carrying real audio: two Phones on 127.0.0.1 (SIP 5420-5429, RTP 11500-11599), each
// with a MediaSessionProvider (ui/common). One side sends a 440 Hz tone, the other records to a
// WAV file that must hold it; hold and resume show up on the far side; DTMF crosses; an SRTP-
// mandatory callee refuses a plain offer with 488. Waits are bounded (10 s), never timed. The
// call-waiting tone (ui/common/call_waiting.h) uses SIP 6260-6262, RTP 17000-17029.
#include "common/call_waiting.h"
#include "common/media_session_provider.h"
#include "device/wav_file.h"
#include "dsp/goertzel.h"
#include "facade_test_util.h"
#include "ua/phone.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <vector>

using namespace vphone;
using namespace std::chrono_literals;
using ua::Call;
using ua::Phone;
using ui::MediaSessionProvider;

using vphone::test::waitFor;

namespace {

/// PCMU and telephone-event on loopback, RTCP often; the ports are the test's own.
media::MediaConfig config(std::uint16_t rtpMin, const std::string& source, const std::string& sink)
{
    media::MediaConfig c;
    c.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 9)};
    c.localAddresses = {"127.0.0.1"};
    c.codecs = {"pcmu", "telephone-event"};
    c.audioSource = source;
    c.audioSink = sink;
    c.rtcpMinimumInterval = 500ms;
    return c;
}

/// A Phone with short timers and audio; the provider is declared first so it outlives the phone.
struct MediaPhone {
    MediaSessionProvider media;
    Phone phone;
    QStringList problems;
    QStringList mediaErrors;
    QList<QPointer<Call>> incoming;

    explicit MediaPhone(media::MediaConfig config) : media(std::move(config))
    {
        phone.setTransactionTimers(50ms, 400ms, 500ms);
        phone.setSessionDescriptionProvider(&media);
        QObject::connect(&phone, &Phone::problem, [this](const QString& what) { problems.append(what); });
        QObject::connect(&phone, &Phone::incomingCall, [this](Call* c) { incoming.append(c); });
        QObject::connect(&media, &MediaSessionProvider::mediaError,
                         [this](Call*, const QString& what) { mediaErrors.append(what); });
    }
    bool start(quint16 port) { return phone.start({QStringLiteral("udp:127.0.0.1:%1").arg(port)}); }
    /// A figure of the call's audio stream (0 without one).
    qint64 stat(const Call* call, const char* name) const
    {
        const QJsonArray streams = media.stats(call);
        return streams.isEmpty() ? 0 : streams.first().toObject().value(QLatin1String(name)).toInteger();
    }
};

QString target(const char* user, quint16 port)
{
    return QStringLiteral("sip:%1@127.0.0.1:%2").arg(QLatin1String(user)).arg(port);
}

/// The recording as mono samples, and its rate.

} // namespace

TEST(FacadeMedia, AToneSentByOnePhoneIsRecordedByTheOther)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::string wav = dir.filePath(QStringLiteral("bob.wav")).toStdString();
    MediaPhone a(config(11500, "tone:440", "null"));
    MediaPhone b(config(11520, "silence", "file:" + wav));
    ASSERT_TRUE(a.start(5420)) << a.problems.join(u'\n').toStdString();
    ASSERT_TRUE(b.start(5421)) << b.problems.join(u'\n').toStdString();
    QSignalSpy aStarted(&a.media, &MediaSessionProvider::mediaStarted);
    QSignalSpy bStarted(&b.media, &MediaSessionProvider::mediaStarted);

    Call* out = a.phone.call(target("bob", 5421));
    ASSERT_NE(out, nullptr);
    EXPECT_NE(out->localSdp().find("m=audio 115"), std::string::npos) << out->localSdp();
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    QPointer<Call> in = b.incoming.front();
    in->answer();
    ASSERT_TRUE(
        waitFor([&] { return out->state() == Call::State::Active && in->state() == Call::State::Active; }));
    ASSERT_TRUE(waitFor([&] { return aStarted.count() >= 1 && bStarted.count() >= 1; }));
    EXPECT_EQ(aStarted.at(0).at(0).value<Call*>(), out);
    EXPECT_EQ(aStarted.at(0).at(1).toString(), QStringLiteral("pcmu"));
    EXPECT_EQ(bStarted.at(0).at(0).value<Call*>(), in.data());
    EXPECT_EQ(a.media.sessionCount(), 1);
    EXPECT_EQ(b.media.sessionCount(), 1);

    // About 1.5 s of audio, then the caller hangs up.
    ASSERT_TRUE(waitFor([&] { return b.stat(in, "packets_received") >= 75; }))
        << b.stat(in, "packets_received");
    EXPECT_GT(a.stat(out, "packets_sent"), 0);
    EXPECT_GT(a.stat(out, "packets_received"), 0); // B's silence
    EXPECT_EQ(b.media.stats(in).first().toObject().value(QLatin1String("codec")).toString(),
              QStringLiteral("pcmu"));
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return in->state() == Call::State::Ended; }));
    EXPECT_EQ(a.media.sessionCount(), 0); // stopped on ended(): the WAV is finished
    EXPECT_EQ(b.media.sessionCount(), 0);
    EXPECT_TRUE(b.media.stats(in).isEmpty());

    auto recording = media::readWavMono(wav);
    ASSERT_TRUE(recording) << recording.error().what;
    const media::ToneReport report = media::analyseTone(recording->samples, recording->sampleRate, 440);
    EXPECT_GE(report.windows, 50u);
    EXPECT_GE(report.fraction(), 0.8) << report.dominated << " of " << report.windows << " windows";
    EXPECT_TRUE(a.problems.isEmpty()) << a.problems.join(u'\n').toStdString();
    EXPECT_TRUE(b.problems.isEmpty()) << b.problems.join(u'\n').toStdString();
    EXPECT_TRUE(a.mediaErrors.isEmpty()) << a.mediaErrors.join(u'\n').toStdString();
    EXPECT_TRUE(b.mediaErrors.isEmpty()) << b.mediaErrors.join(u'\n').toStdString();
}

TEST(FacadeMedia, HoldAndResumeShowOnTheFarSideAndDtmfCrosses)
{
    MediaPhone a(config(11540, "tone:440", "null"));
    MediaPhone b(config(11560, "silence", "null"));
    ASSERT_TRUE(a.start(5422));
    ASSERT_TRUE(b.start(5423));
    QSignalSpy aHold(&a.media, &MediaSessionProvider::holdChanged);
    QSignalSpy bHold(&b.media, &MediaSessionProvider::holdChanged);
    QSignalSpy bDtmf(&b.media, &MediaSessionProvider::dtmfReceived);

    Call* out = a.phone.call(target("bob", 5423));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    Call* in = b.incoming.front();
    in->answer();
    ASSERT_TRUE(
        waitFor([&] { return out->state() == Call::State::Active && in->state() == Call::State::Active; }));
    EXPECT_EQ(b.media.holdState(in), QStringLiteral("none"));

    out->hold();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Held; }));
    ASSERT_TRUE(waitFor([&] { return !bHold.isEmpty() && !aHold.isEmpty(); }));
    EXPECT_EQ(bHold.last().at(0).value<Call*>(), in);
    EXPECT_EQ(bHold.last().at(1).toString(), QStringLiteral("remote"));
    EXPECT_EQ(aHold.last().at(1).toString(), QStringLiteral("local"));
    EXPECT_EQ(b.media.holdState(in), QStringLiteral("remote"));
    EXPECT_EQ(a.media.holdState(out), QStringLiteral("local"));
    EXPECT_NE(in->remoteSdp().find("a=sendonly"), std::string::npos);
    EXPECT_NE(in->localSdp().find("a=recvonly"), std::string::npos); // B's engine answered

    out->resume();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active; }));
    ASSERT_TRUE(waitFor([&] { return bHold.last().at(1).toString() == QStringLiteral("none"); }));
    EXPECT_EQ(b.media.holdState(in), QStringLiteral("none"));
    EXPECT_EQ(a.media.holdState(out), QStringLiteral("none"));

    ASSERT_TRUE(a.media.sendDtmf(out, QStringLiteral("5")));
    ASSERT_TRUE(waitFor([&] { return !bDtmf.isEmpty(); }));
    EXPECT_EQ(bDtmf.at(0).at(0).value<Call*>(), in);
    EXPECT_EQ(bDtmf.at(0).at(1).value<QChar>(), QLatin1Char('5'));

    // Mute: the stream says so once the media thread has applied it; RTP keeps flowing.
    const auto muted = [&](const Call* c) {
        return a.media.stats(c).first().toObject().value(QLatin1String("muted")).toBool();
    };
    ASSERT_TRUE(a.media.setMuted(out, true));
    ASSERT_TRUE(waitFor([&] { return muted(out); }));
    const qint64 before = b.stat(in, "packets_received");
    ASSERT_TRUE(waitFor([&] { return b.stat(in, "packets_received") > before + 10; }));
    ASSERT_TRUE(a.media.setMuted(out, false));
    ASSERT_TRUE(waitFor([&] { return !muted(out); }));
    EXPECT_FALSE(a.media.setMuted(nullptr, true)); // no such call: no media

    in->hangUp();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
    EXPECT_TRUE(a.problems.isEmpty()) << a.problems.join(u'\n').toStdString();
    EXPECT_TRUE(b.problems.isEmpty()) << b.problems.join(u'\n').toStdString();
}

TEST(FacadeMedia, ACalleeWithSrtpMandatoryRefusesAPlainOfferWith488)
{
    auto strict = config(11580, "silence", "null");
    strict.srtp = sdp::SrtpPolicy::Mandatory;
    MediaPhone a(config(11590, "tone:440", "null"));
    MediaPhone b(strict);
    ASSERT_TRUE(a.start(5424));
    ASSERT_TRUE(b.start(5425));
    Call* out = a.phone.call(target("bob", 5425));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    Call* in = b.incoming.front();
    in->answer();
    EXPECT_EQ(in->state(), Call::State::Ended);
    EXPECT_EQ(in->code(), 488);
    EXPECT_FALSE(in->reason().isEmpty());
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
    EXPECT_EQ(out->code(), 488);
    EXPECT_FALSE(out->connectedAt().isValid());
    EXPECT_EQ(a.media.sessionCount(), 0);
    EXPECT_EQ(b.media.sessionCount(), 0);
}

TEST(FacadeMedia, ASecondCallRingingPlaysTheCallWaitingToneOverTheFirstUntilItStops)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::string wav = dir.filePath(QStringLiteral("alice.wav")).toStdString();
    MediaPhone a(config(17000, "silence", "file:" + wav));
    MediaPhone b(config(17010, "tone:1000", "null"));
    MediaPhone c(config(17020, "silence", "null"));
    ui::CallWaitingTone waiting(a.phone, a.media);
    QSignalSpy sounding(&waiting, &ui::CallWaitingTone::soundingChanged);
    ASSERT_TRUE(a.start(6260));
    ASSERT_TRUE(b.start(6261));
    ASSERT_TRUE(c.start(6262));

    Call* first = a.phone.call(target("bob", 6261));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    b.incoming.front()->answer();
    ASSERT_TRUE(waitFor([&] { return first->state() == Call::State::Active; }));
    ASSERT_TRUE(waitFor([&] { return a.stat(first, "packets_received") >= 25; }));
    EXPECT_FALSE(waiting.sounding()); // one call: no tone
    auto others = a.media.config();   // later calls must not overwrite bob's recording
    others.audioSink = "null";
    a.media.setConfig(others);

    // carol calls while alice talks to bob: the tone plays over bob until carol gives up.
    Call* ring = c.phone.call(target("alice", 6260));
    ASSERT_TRUE(waitFor([&] { return !a.incoming.isEmpty(); }));
    EXPECT_EQ(a.incoming.front()->state(), Call::State::Incoming);
    EXPECT_TRUE(waiting.sounding());
    EXPECT_TRUE(a.media.session(first)->localTone());
    QElapsedTimer clock;
    clock.start();
    waitFor([&] { return clock.elapsed() >= 1200; });
    ring->hangUp();
    ASSERT_TRUE(waitFor([&] { return a.incoming.front()->state() == Call::State::Ended; }));
    EXPECT_FALSE(waiting.sounding());
    EXPECT_FALSE(a.media.session(first)->localTone());
    clock.restart();
    waitFor([&] { return clock.elapsed() >= 1000; });

    // Answering the waiting call stops the tone as well.
    Call* again = c.phone.call(target("alice", 6260));
    ASSERT_TRUE(waitFor([&] { return a.incoming.size() == 2; }));
    EXPECT_TRUE(waiting.sounding());
    clock.restart();
    waitFor([&] { return clock.elapsed() >= 400; }); // one whole beep, then hold and answer
    first->hold();
    ASSERT_TRUE(waitFor([&] { return first->state() == Call::State::Held; }));
    a.incoming.back()->answer();
    ASSERT_TRUE(waitFor([&] { return again->state() == Call::State::Active; }));
    EXPECT_FALSE(waiting.sounding());
    EXPECT_EQ(sounding.count(), 4); // on, off, on, off
    again->hangUp();
    first->hangUp();
    ASSERT_TRUE(waitFor([&] { return first->state() == Call::State::Ended; }));

    // alice's play-out: bob's 1000 Hz with two 300 ms beeps of 440 Hz while carol rang the first
    // time, a third while she rang again (400 ms before the hold), no more.
    auto recording = media::readWavMono(wav);
    ASSERT_TRUE(recording) << recording.error().what;
    const int rate = recording->sampleRate;
    const std::span<const std::int16_t> all(recording->samples);
    // A run is a beep; a window or two that a burst of the peer's audio masks does not split one
    // (beeps are 10 windows apart or more).
    int beepWindows = 0, runs = 0, sinceBeep = 100;
    std::string pattern; // one character per window, for the failure message
    for (std::size_t at = 0; at + rate / 50 <= all.size(); at += rate / 50) {
        const auto block = all.subspan(at, rate / 50);
        const bool beep = media::rmsDbfs(block) > -40 && media::toneEnergyRatio(block, 440, rate) > 0.3;
        pattern += beep ? '#' : '.';
        beepWindows += beep;
        if (beep && sinceBeep > 3) ++runs;
        sinceBeep = beep ? 0 : sinceBeep + 1;
    }
    EXPECT_GE(beepWindows, 38) << pattern;
    EXPECT_LE(beepWindows, 48) << pattern;
    EXPECT_EQ(runs, 3) << pattern;
    EXPECT_GE(media::analyseTone(all, rate, 1000).fraction(), 0.5); // silent while bob was held
    EXPECT_TRUE(a.problems.isEmpty()) << a.problems.join(u'\n').toStdString();
    EXPECT_TRUE(a.mediaErrors.isEmpty()) << a.mediaErrors.join(u'\n').toStdString();
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
