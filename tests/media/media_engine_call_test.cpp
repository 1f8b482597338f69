// Two MediaSessions in one process: offer/answer in memory, audio over real loopback UDP.
// A plays tone:440 and B tone:1000 into file: sinks; each side's recording must be dominated by
// the other's tone. These tests run in real time (about 2 s of media each) and assert on
// what arrived, never on how long anything took.
#include "media_engine_test_util.h"

using namespace vphone::media;
using namespace vphone::media::test;
namespace sdp = vphone::sdp;
using namespace std::chrono_literals;

namespace {

struct ToneCall {
    std::string dir;
    std::unique_ptr<MediaSession> a;
    std::unique_ptr<MediaSession> b;

    ToneCall(const std::string& name, const std::function<void(MediaConfig&)>& tweak) : dir(tempDir(name))
    {
        auto ca = config("tone:440", "file:" + dir + "/a.wav");
        auto cb = config("tone:1000", "file:" + dir + "/b.wav");
        tweak(ca);
        tweak(cb);
        a = session(std::move(ca));
        b = session(std::move(cb));
    }
    ~ToneCall()
    {
        if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir); // kept for a look otherwise
    }
    std::string wavA() const { return dir + "/a.wav"; }
    std::string wavB() const { return dir + "/b.wav"; }
    void stop()
    {
        a->stop();
        b->stop();
    }
};

// Runs the call for `length`, then checks both recordings and the packet counts.
void expectTonesBothWays(ToneCall& call, std::chrono::milliseconds length = 2000ms)
{
    ASSERT_TRUE(negotiate(*call.a, *call.b));
    std::this_thread::sleep_for(length);
    const auto sa = audioStats(*call.a);
    const auto sb = audioStats(*call.b);
    call.stop();
    EXPECT_GT(sa.packetsSent, 40u);
    EXPECT_GT(sa.packetsReceived, 40u);
    EXPECT_GT(sb.packetsSent, 40u);
    EXPECT_GT(sb.packetsReceived, 40u);
    EXPECT_GT(sa.bytesReceived, 0u);
    const auto atA = analyseReceived(call.wavA(), 1000);
    const auto atB = analyseReceived(call.wavB(), 440);
    EXPECT_GE(atA.seconds, 1.0) << "A heard too little";
    EXPECT_GE(atB.seconds, 1.0) << "B heard too little";
    EXPECT_GE(atA.report.fraction(), 0.9) << atA.report.dominated << "/" << atA.report.windows << " at A";
    EXPECT_GE(atB.report.fraction(), 0.9) << atB.report.dominated << "/" << atB.report.windows << " at B";
    // The other direction's tone is not what either side hears.
    EXPECT_LT(analyseReceived(call.wavA(), 440).report.fraction(), 0.1);
}

} // namespace

TEST(MediaEngineCall, OpusCarriesEachSidesToneToTheOther)
{
    ToneCall call("opus", [](MediaConfig& c) { c.codecs = {"opus", "telephone-event"}; });
    expectTonesBothWays(call);
    for (auto* side : {call.a.get(), call.b.get()}) {
        int started = 0;
        while (auto e = side->pollEvent()) {
            if (auto* m = std::get_if<MediaStarted>(&*e)) {
                ++started;
                EXPECT_EQ(m->codec, "opus");
                EXPECT_EQ(m->remote.rfind("127.0.0.1:53", 0), 0u) << m->remote;
            }
        }
        EXPECT_EQ(started, 1);
    }
    const auto s = audioStats(*call.a);
    EXPECT_EQ(s.codec, "opus");
    EXPECT_FALSE(s.srtpSuite);
    const auto json = toJson(s);
    EXPECT_NE(json.find("\"srtp\":null"), std::string::npos) << json;
    EXPECT_NE(json.find("\"codec\":\"opus\""), std::string::npos) << json;
}

TEST(MediaEngineCall, PcmuCarriesEachSidesToneToTheOther)
{
    ToneCall call("pcmu", [](MediaConfig& c) { c.codecs = {"pcmu"}; });
    expectTonesBothWays(call);
    EXPECT_EQ(audioStats(*call.a).codec, "pcmu");
    EXPECT_EQ(audioStats(*call.b).codec, "pcmu");
}

TEST(MediaEngineCall, G722AndPcmaCarryTonesToo)
{
    for (std::string codec : {"g722", "pcma"}) {
        SCOPED_TRACE(codec);
        ToneCall call("narrow-" + codec, [&](MediaConfig& c) { c.codecs = {codec}; });
        expectTonesBothWays(call, 1500ms);
        EXPECT_EQ(audioStats(*call.a).codec, codec);
    }
}

TEST(MediaEngineCall, SdesSrtpCarriesTonesWithEverySuite)
{
    for (SrtpSuite suite : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32,
                            SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm}) {
        SCOPED_TRACE(std::string(toString(suite)));
        ToneCall call("sdes", [&](MediaConfig& c) {
            c.srtp = sdp::SrtpPolicy::Mandatory;
            c.keying = sdp::Keying::Sdes;
            c.sdesSuites = {suite};
        });
        expectTonesBothWays(call, 1500ms);
        for (auto* s : {call.a.get(), call.b.get()}) {
            const auto st = audioStats(*s);
            ASSERT_TRUE(st.srtpSuite);
            EXPECT_EQ(*st.srtpSuite, suite);
            EXPECT_EQ(st.keying, "sdes");
            EXPECT_EQ(st.srtpAuthFailures, 0u);
            const auto json = toJson(st);
            EXPECT_NE(json.find("\"srtp\":{\"suite\":\"" + std::string(toString(suite)) +
                                "\",\"keying\":\"sdes\"}"),
                      std::string::npos)
                << json;
        }
    }
}

TEST(MediaEngineCall, DtlsSrtpHandshakesAndCarriesTones)
{
    const auto certs = tempDir("dtls-certs");
    int n = 0;
    ToneCall call("dtls", [&](MediaConfig& c) {
        c.srtp = sdp::SrtpPolicy::Mandatory;
        c.keying = sdp::Keying::Dtls;
        c.dtlsCertificateDir = certs + "/" + std::to_string(n++);
    });
    expectTonesBothWays(call);
    for (auto* s : {call.a.get(), call.b.get()}) {
        const auto st = audioStats(*s);
        ASSERT_TRUE(st.srtpSuite);
        EXPECT_EQ(st.keying, "dtls");
        bool connected = false;
        while (auto e = s->pollEvent()) {
            if (auto* d = std::get_if<DtlsConnected>(&*e)) {
                connected = true;
                EXPECT_EQ(d->suite, *st.srtpSuite);
            }
            EXPECT_FALSE(std::holds_alternative<DtlsFailed>(*e));
        }
        EXPECT_TRUE(connected);
    }
}

TEST(MediaEngineCall, DtlsWithAForgedFingerprintFailsWithAReason)
{
    const auto certs = tempDir("dtls-forged");
    auto ca = config("tone:440", "null");
    auto cb = config("tone:1000", "null");
    for (auto* c : {&ca, &cb}) {
        c->srtp = sdp::SrtpPolicy::Mandatory;
        c->keying = sdp::Keying::Dtls;
    }
    ca.dtlsCertificateDir = certs + "/a";
    cb.dtlsCertificateDir = certs + "/b";
    auto a = session(ca);
    auto b = session(cb);
    auto offer = a->createOffer();
    ASSERT_TRUE(offer);
    // A man in the middle swaps the fingerprint: B must refuse A's certificate.
    std::string forged = *offer;
    const auto at = forged.find("a=fingerprint:sha-256 ");
    ASSERT_NE(at, std::string::npos);
    const auto hex = at + std::string("a=fingerprint:sha-256 ").size();
    forged.replace(hex, 2, forged.compare(hex, 2, "00") == 0 ? "11" : "00");
    auto answer = b->answer(forged);
    ASSERT_TRUE(answer) << answer.error().what;
    ASSERT_TRUE(a->applyAnswer(*answer));
    std::string reason;
    EXPECT_TRUE(waitFor([&] {
        while (auto e = b->pollEvent()) {
            if (auto* f = std::get_if<DtlsFailed>(&*e)) reason = f->reason;
        }
        return !reason.empty();
    }));
    EXPECT_NE(reason.find("fingerprint"), std::string::npos) << reason;
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(audioStats(*a).packetsReceived, 0u); // nothing flows unkeyed
    EXPECT_EQ(audioStats(*b).packetsSent, 0u);
}

TEST(MediaEngineCall, Ipv6AnswerComesFromTheOffersAddressFamily)
{
    auto ca = config("silence", "null", {"pcmu"});
    ca.localAddresses = {"::1"};
    auto cb = config("silence", "null", {"pcmu"});
    cb.localAddresses = {"127.0.0.1", "::1"};
    auto a = session(ca);
    auto b = session(cb);
    std::string offer;
    std::string answer;
    ASSERT_TRUE(negotiate(*a, *b, &offer, &answer));
    EXPECT_NE(offer.find("c=IN IP6 ::1"), std::string::npos) << offer;
    EXPECT_NE(answer.find("c=IN IP6 ::1"), std::string::npos) << answer;
    a->stop();
    b->stop();

    ToneCall call("ipv6", [](MediaConfig& c) {
        c.codecs = {"pcmu"};
        c.localAddresses = {"::1"};
    });
    expectTonesBothWays(call, 1500ms);
}

TEST(MediaEngineCall, RtcpReportsGiveTheRoundTripTimeAndByeEndsTheStream)
{
    ToneCall call("rtcp", [](MediaConfig& c) {
        c.codecs = {"opus"};
        c.srtp = sdp::SrtpPolicy::Mandatory; // SRTCP both ways
        c.rtcpMinimumInterval = 500ms;
    });
    ASSERT_TRUE(negotiate(*call.a, *call.b));
    EXPECT_TRUE(waitFor([&] { return audioStats(*call.a).rttMs && audioStats(*call.b).rttMs; }, 8s));
    const auto sa = audioStats(*call.a);
    ASSERT_TRUE(sa.rttMs);
    EXPECT_GE(*sa.rttMs, 0.0);
    EXPECT_LT(*sa.rttMs, 1000.0); // loopback: anything sane
    EXPECT_GT(sa.rtcpSent, 0u);
    EXPECT_GT(sa.rtcpReceived, 0u);
    EXPECT_NE(toJson(sa).find("\"rtt_ms\":"), std::string::npos);
    EXPECT_EQ(audioStats(*call.b).byeReceived, 0u);
    call.a->stop();
    EXPECT_TRUE(waitFor([&] { return audioStats(*call.b).byeReceived == 1; }, 2s));
    call.b->stop();
}

TEST(MediaEngineCall, OpusDtxSendsLittleInSilenceAndTheGapsAreNotLoss)
{
    std::uint64_t withoutDtx = 0;
    for (bool dtx : {false, true}) {
        SCOPED_TRACE(dtx ? "dtx" : "no dtx");
        auto c = config("silence", "null", {"opus"});
        c.opusDtx = dtx;
        auto a = session(c);
        auto b = session(c);
        std::string offer;
        ASSERT_TRUE(negotiate(*a, *b, &offer));
        EXPECT_EQ(offer.find("usedtx=1") != std::string::npos, dtx);
        std::this_thread::sleep_for(1500ms);
        a->stop(); // its last counts stay readable
        const auto sa = audioStats(*a);
        std::this_thread::sleep_for(100ms); // what A sent last lands at B
        b->stop();
        const auto sb = audioStats(*b);
        if (!dtx) {
            withoutDtx = sa.packetsSent;
            EXPECT_GT(withoutDtx, 40u);
        } else {
            EXPECT_GT(sa.packetsSent, 0u);
            EXPECT_LT(sa.packetsSent * 4, withoutDtx); // DTX: a packet every 400 ms or so
        }
        EXPECT_EQ(sb.lost, 0);
        EXPECT_EQ(sb.packetsReceived, sa.packetsSent);
    }
}

TEST(MediaEngineCall, SourceAndSinkFactoriesReplaceTheSpecStrings)
{
    ToneCall call("factories", [](MediaConfig& c) { c.codecs = {"opus"}; });
    auto ca = config("silence", "null", {"opus"});
    ca.sourceFactory = [](AudioFormat f,
                          const AudioClock& clock) -> MediaResult<std::unique_ptr<AudioSource>> {
        auto tone = ToneSource::create(700, f, clock);
        if (!tone) return tone.error();
        return std::unique_ptr<AudioSource>(std::move(*tone));
    };
    auto cb = config("silence", "null", {"opus"});
    const auto wav = call.wavB();
    cb.sinkFactory = [wav](AudioFormat f) -> MediaResult<std::unique_ptr<AudioSink>> {
        auto sink = FileSink::create(wav, f);
        if (!sink) return sink.error();
        return std::unique_ptr<AudioSink>(std::move(*sink));
    };
    call.a = session(ca);
    call.b = session(cb);
    ASSERT_TRUE(negotiate(*call.a, *call.b));
    std::this_thread::sleep_for(1500ms);
    call.stop();
    const auto heard = analyseReceived(call.wavB(), 700);
    EXPECT_GE(heard.seconds, 1.0);
    EXPECT_GE(heard.report.fraction(), 0.9) << heard.report.dominated << "/" << heard.report.windows;
}

// Call recording: A records the call (started before the media flows, stopped and started again
// into a second file); each file holds both sides mixed — A's own 440 Hz and B's 1000 Hz in the
// same windows — and a file that cannot be created is an error that says which.
TEST(MediaEngineCall, RecordingMixesBothDirectionsIntoAWav)
{
    ToneCall call("record", [](MediaConfig& c) { c.codecs = {"opus"}; });
    const std::string first = call.dir + "/rec1.wav";
    const std::string second = call.dir + "/rec2.wav";
    auto bad = call.a->startRecording(call.dir + "/no/such/dir/rec.wav");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().what.find("no/such/dir"), std::string::npos) << bad.error().what;
    EXPECT_TRUE(call.a->recordingPath().empty());
    ASSERT_TRUE(call.a->startRecording(first));
    EXPECT_EQ(call.a->recordingPath(), first);
    ASSERT_TRUE(negotiate(*call.a, *call.b));
    std::this_thread::sleep_for(1500ms);
    ASSERT_TRUE(call.a->startRecording(second)); // the first one is closed
    std::this_thread::sleep_for(1500ms);
    call.a->stopRecording();
    EXPECT_TRUE(call.a->recordingPath().empty());
    std::this_thread::sleep_for(200ms);
    call.stop();
    for (const std::string& file : {first, second}) {
        int rate = 0;
        const auto samples = readWav(file, &rate);
        EXPECT_EQ(rate, 48000);
        ASSERT_GT(samples.size(), std::size_t(48000)) << file; // more than a second
        // Skip the first 300 ms (B's audio is still on its way), then each 20 ms window holds both tones.
        const auto span = std::span<const std::int16_t>(samples).subspan(14400);
        ToneAnalysis share;
        share.threshold = 0.2;
        const auto own = analyseTone(span, rate, 440, share);
        const auto far = analyseTone(span, rate, 1000, share);
        EXPECT_GE(own.fraction(), 0.8) << file << ": " << own.dominated << "/" << own.windows;
        EXPECT_GE(far.fraction(), 0.8) << file << ": " << far.dominated << "/" << far.windows;
    }
}
