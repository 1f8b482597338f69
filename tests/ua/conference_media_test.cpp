// ConferenceMedia (ui/common) with real media: a host ua::Phone with a MediaSessionProvider and
// a ConferenceMedia (host tone 440 Hz, host speaker to a WAV file) calls two vphone-cli
// --auto-answer peers (660 Hz over Opus, 880 Hz over PCMU, each recording what it hears, each
// hanging up 7 s after answering) and add()s both calls to its ua::Conference. Each peer's
// recording must hold the host's and the other peer's tone and not its own, the host's speaker
// both peers' and not its own; participants() lists the host first and both peers with figures,
// and once the peers hung up the conference ends and the rows stay, marked not connected.
// SIP 6180-6184, RTP 16400-16479 (loopback); the peers are started here and stopped by PID.
#include "common/conference_media.h"
#include "common/media_session_provider.h"
#include "device/wav_file.h"
#include "dsp/goertzel.h"
#include "engine/conference_host.h"
#include "facade_test_util.h"
#include "ua/call.h"
#include "ua/conference.h"
#include "ua/phone.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUdpSocket>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace vphone;
using namespace std::chrono_literals;
using ua::Call;
using ua::Phone;
using ui::ConferenceMedia;
using ui::MediaSessionProvider;
using vphone::test::waitFor;

namespace {

/// A vphone-cli far end answering on `port`: sends `hz`, records to `wav`, hangs up 7 s after
/// answering. Stopped (SIGTERM, then SIGKILL) by its own PID when the test ends.
struct Peer {
    QProcess process;
    Peer(quint16 port, int hz, const QString& wav, const QString& rtp, const QString& codecs)
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(VPHONE_CLI_PATH),
                      {QStringLiteral("--listen"), QStringLiteral("udp:127.0.0.1:%1").arg(port),
                       QStringLiteral("--auto-answer"), QStringLiteral("--hangup-after"), QStringLiteral("7"),
                       QStringLiteral("--duration"), QStringLiteral("40"), QStringLiteral("--audio-source"),
                       QStringLiteral("tone:%1").arg(hz), QStringLiteral("--audio-sink"),
                       QStringLiteral("file:") + wav, QStringLiteral("--rtp-ports"), rtp,
                       QStringLiteral("--codecs"), codecs});
    }
    ~Peer()
    {
        if (process.state() == QProcess::NotRunning) return;
        process.terminate();
        if (!process.waitForFinished(5000)) process.kill();
        process.waitForFinished(2000);
    }
    /// True once something holds the UDP port (the peer's SIP socket): binding it fails.
    static bool listening(quint16 port)
    {
        QUdpSocket probe;
        return !probe.bind(QHostAddress(QStringLiteral("127.0.0.1")), port);
    }
};

/// Share of 20 ms windows, from 0.5 s after the first sound to 0.5 s before the end, in which
/// each tone of `present` holds at least 8 % of the energy and `absent` less than 1 %.
double mixFraction(const QString& path, const std::vector<double>& present, double absent,
                   std::size_t* windowsOut)
{
    auto wav = media::readWavMono(path.toStdString());
    if (!wav) return 0;
    const auto& s = wav->samples;
    const std::size_t window = static_cast<std::size_t>(wav->sampleRate / 50);
    std::size_t first = s.size();
    for (std::size_t at = 0; at + window <= s.size(); at += window) {
        if (media::rmsDbfs(std::span<const std::int16_t>(s).subspan(at, window)) > -50) {
            first = at;
            break;
        }
    }
    first += static_cast<std::size_t>(wav->sampleRate / 2);
    const std::size_t tail = static_cast<std::size_t>(wav->sampleRate / 2);
    const std::size_t end = s.size() > tail ? s.size() - tail : 0;
    std::size_t windows = 0, good = 0;
    for (std::size_t at = first; at + window <= end; at += window) {
        const auto block = std::span<const std::int16_t>(s).subspan(at, window);
        ++windows;
        bool ok = media::rmsDbfs(block) > -40;
        for (double hz : present)
            ok = ok && media::toneEnergyRatio(block, hz, wav->sampleRate) > 0.08;
        ok = ok && media::toneEnergyRatio(block, absent, wav->sampleRate) < 0.01;
        good += ok ? 1 : 0;
    }
    if (windowsOut) *windowsOut = windows;
    return windows < 100 ? 0.0 : double(good) / double(windows);
}

QJsonObject rowOf(const QJsonArray& rows, const QString& uri)
{
    for (const auto& r : rows) {
        if (r.toObject().value(QLatin1String("uri")).toString() == uri) return r.toObject();
    }
    return {};
}

} // namespace

TEST(ConferenceMedia, EachPeerHearsTheHostAndTheOtherPeerAndNotItself)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString p1Wav = dir.filePath(QStringLiteral("p1.wav"));
    const QString p2Wav = dir.filePath(QStringLiteral("p2.wav"));
    const QString hostWav = dir.filePath(QStringLiteral("host.wav"));

    media::MediaConfig config;
    config.rtpPorts = {16400, 16439};
    config.localAddresses = {"127.0.0.1"};
    config.codecs = {"opus", "pcmu", "telephone-event"};
    config.audioSource = "silence"; // the calls' own devices: the bridge replaces them
    config.audioSink = "null";
    MediaSessionProvider provider(config);
    Phone phone;
    phone.setTransactionTimers(50ms, 400ms, 500ms);
    phone.setSessionDescriptionProvider(&provider);
    QStringList problems;
    QObject::connect(&phone, &Phone::problem, [&](const QString& what) { problems.append(what); });
    ASSERT_TRUE(phone.start({QStringLiteral("udp:127.0.0.1:6180")}));
    ua::Conference* conference = phone.conference();
    ASSERT_NE(conference, nullptr);

    ConferenceMedia::Options options;
    options.audioSource = "tone:440";
    options.audioSink = "file:" + hostWav.toStdString();
    options.hostLabel = "sip:host@127.0.0.1:6180";
    ConferenceMedia media(*conference, provider, options);
    QStringList mediaProblems;
    QObject::connect(&media, &ConferenceMedia::problem,
                     [&](const QString& what) { mediaProblems.append(what); });
    QSignalSpy runningChanged(&media, &ConferenceMedia::runningChanged);
    EXPECT_FALSE(media.running());
    EXPECT_TRUE(media.participants().isEmpty());

    Peer p1(6182, 660, p1Wav, QStringLiteral("16440-16459"), QStringLiteral("opus"));
    Peer p2(6184, 880, p2Wav, QStringLiteral("16460-16479"), QStringLiteral("pcmu"));
    ASSERT_TRUE(waitFor([] { return Peer::listening(6182) && Peer::listening(6184); }))
        << p1.process.readAll().toStdString() << p2.process.readAll().toStdString();

    const QString uri1 = QStringLiteral("sip:p1@127.0.0.1:6182");
    const QString uri2 = QStringLiteral("sip:p2@127.0.0.1:6184");
    QPointer<Call> c1 = phone.call(uri1);
    QPointer<Call> c2 = phone.call(uri2);
    ASSERT_TRUE(c1 && c2);
    ASSERT_TRUE(waitFor([&] {
        return c1->state() == Call::State::Active && c2->state() == Call::State::Active;
    })) << problems.join(u'\n').toStdString();
    ASSERT_TRUE(conference->add(c1));
    ASSERT_TRUE(conference->add(c2));
    ASSERT_TRUE(waitFor([&] { return conference->members().size() == 2; }))
        << problems.join(u'\n').toStdString();
    EXPECT_TRUE(media.running());
    ASSERT_NE(media.host(), nullptr);

    // Everyone's sound reaches the bridge: about 3 s of it in every row.
    const auto allFlowing = [&] {
        const QJsonArray rows = media.participants();
        return rows.size() == 3 && std::all_of(rows.begin(), rows.end(), [](const QJsonValue& v) {
                   const QJsonObject r = v.toObject();
                   return r.value(QLatin1String("frames_in")).toInteger() > 150 &&
                          r.value(QLatin1String("speaking")).toBool();
               });
    };
    ASSERT_TRUE(waitFor(allFlowing)) << QJsonDocument(media.participants()).toJson().toStdString();
    const QJsonArray live = media.participants();
    const QJsonObject host = live.at(0).toObject();
    EXPECT_TRUE(host.value(QLatin1String("host")).toBool());
    EXPECT_EQ(host.value(QLatin1String("label")).toString(), QStringLiteral("sip:host@127.0.0.1:6180"));
    EXPECT_EQ(host.value(QLatin1String("codec")).toString(), QStringLiteral("pcm"));
    EXPECT_EQ(rowOf(live, uri1).value(QLatin1String("codec")).toString(), QStringLiteral("opus"));
    EXPECT_EQ(rowOf(live, uri2).value(QLatin1String("codec")).toString(), QStringLiteral("pcmu"));
    for (const auto& v : live) {
        EXPECT_TRUE(v.toObject().value(QLatin1String("connected")).toBool());
        EXPECT_GT(v.toObject().value(QLatin1String("level_dbfs")).toDouble(), -30);
    }
    EXPECT_TRUE(media.hostSpeaking());

    // The peers hang up by themselves: both leave, the conference ends, the bridge stops.
    QSignalSpy ended(conference, &ua::Conference::ended);
    ASSERT_TRUE(waitFor([&] { return !c1 || c1->state() == Call::State::Ended; }));
    ASSERT_TRUE(waitFor([&] { return !c2 || c2->state() == Call::State::Ended; }));
    ASSERT_TRUE(waitFor([&] { return !media.running(); }));
    EXPECT_GE(ended.count(), 1);
    EXPECT_GE(runningChanged.count(), 2); // up, then down
    const QJsonArray final = media.participants();
    ASSERT_EQ(final.size(), 3);
    EXPECT_FALSE(rowOf(final, uri1).value(QLatin1String("connected")).toBool());
    EXPECT_FALSE(rowOf(final, uri2).value(QLatin1String("connected")).toBool());
    EXPECT_GT(rowOf(final, uri1).value(QLatin1String("frames_in")).toInteger(), 250) << "figures kept";
    EXPECT_EQ(media.activeSpeaker(), nullptr);
    EXPECT_TRUE(mediaProblems.isEmpty()) << mediaProblems.join(u'\n').toStdString();

    // The peers' WAV files are complete once their calls ended; stop them (by PID) and listen.
    p1.process.terminate();
    p2.process.terminate();
    ASSERT_TRUE(p1.process.waitForFinished(10000));
    ASSERT_TRUE(p2.process.waitForFinished(10000));
    struct Check {
        QString wav;
        std::vector<double> present;
        double absent;
        const char* what;
    };
    for (const Check& c : {Check{p1Wav, {440, 880}, 660, "P1 hears the host and P2, not itself"},
                           Check{p2Wav, {440, 660}, 880, "P2 hears the host and P1, not itself"},
                           Check{hostWav, {660, 880}, 440, "the host hears both peers, not itself"}}) {
        std::size_t windows = 0;
        const double fraction = mixFraction(c.wav, c.present, c.absent, &windows);
        std::printf("%s: %.1f %% of %zu windows\n", c.what, fraction * 100, windows);
        EXPECT_GE(windows, 100u) << c.what;
        EXPECT_GT(fraction, 0.8) << c.what;
    }
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
