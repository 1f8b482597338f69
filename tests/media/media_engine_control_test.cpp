// MediaSession control: hold and resume by re-offer, DTMF, codec change by re-offer, SRTP
// policy errors, hostile datagrams at the media port, and resource release.
#include "media_engine_test_util.h"

#include "srtp/sdes_crypto.h"

using namespace vphone::media;
using namespace vphone::media::test;
namespace sdp = vphone::sdp;
using namespace std::chrono_literals;

namespace {

std::vector<MediaEvent> drain(MediaSession& s)
{
    std::vector<MediaEvent> out;
    while (auto e = s.pollEvent())
        out.push_back(std::move(*e));
    return out;
}

std::optional<HoldState> lastHold(const std::vector<MediaEvent>& events)
{
    std::optional<HoldState> h;
    for (const auto& e : events) {
        if (auto* c = std::get_if<HoldChanged>(&e)) h = c->state;
    }
    return h;
}

} // namespace

TEST(MediaEngineControl, HoldStopsWhatTheHeldSideSendsAndResumeRestartsIt)
{
    auto a = session(config("tone:440", "null"));
    auto b = session(config("tone:1000", "null"));
    ASSERT_TRUE(negotiate(*a, *b));
    ASSERT_TRUE(
        waitFor([&] { return audioStats(*a).packetsReceived > 10 && audioStats(*b).packetsReceived > 10; }));

    // A holds B: A's re-offer is sendonly, B answers recvonly and stops sending.
    auto reoffer = a->setHold(true);
    ASSERT_TRUE(reoffer) << reoffer.error().what;
    EXPECT_NE(reoffer->find("a=sendonly"), std::string::npos);
    auto answer = b->answer(*reoffer);
    ASSERT_TRUE(answer) << answer.error().what;
    EXPECT_NE(answer->find("a=recvonly"), std::string::npos);
    ASSERT_TRUE(a->applyAnswer(*answer));
    EXPECT_EQ(a->holdState(), HoldState::Local);
    EXPECT_EQ(b->holdState(), HoldState::Remote);
    EXPECT_EQ(lastHold(drain(*a)), HoldState::Local);
    EXPECT_EQ(lastHold(drain(*b)), HoldState::Remote);
    std::this_thread::sleep_for(200ms); // packets in flight land
    const auto heldA = audioStats(*a).packetsReceived;
    const auto sentB = audioStats(*b).packetsSent;
    const auto recvB = audioStats(*b).packetsReceived;
    std::this_thread::sleep_for(600ms);
    EXPECT_EQ(audioStats(*a).packetsReceived, heldA) << "B kept sending while held";
    EXPECT_EQ(audioStats(*b).packetsSent, sentB);
    EXPECT_GT(audioStats(*b).packetsReceived, recvB + 10) << "A stopped sending to B on hold";
    EXPECT_EQ(audioStats(*a).direction, "sendonly");
    EXPECT_EQ(audioStats(*b).direction, "recvonly");

    // Resume.
    reoffer = a->setHold(false);
    ASSERT_TRUE(reoffer);
    answer = b->answer(*reoffer);
    ASSERT_TRUE(answer);
    ASSERT_TRUE(a->applyAnswer(*answer));
    EXPECT_EQ(a->holdState(), HoldState::None);
    EXPECT_EQ(b->holdState(), HoldState::None);
    EXPECT_TRUE(waitFor([&] { return audioStats(*a).packetsReceived > heldA + 10; }));
    a->stop();
    b->stop();
}

TEST(MediaEngineControl, BothSidesHoldingIsReportedAsBoth)
{
    auto a = session(config("silence", "null"));
    auto b = session(config("silence", "null"));
    ASSERT_TRUE(negotiate(*a, *b));
    auto offer = a->setHold(true);
    ASSERT_TRUE(offer);
    ASSERT_TRUE(a->applyAnswer(*b->answer(*offer)));
    offer = b->setHold(true);
    ASSERT_TRUE(offer);
    EXPECT_NE(offer->find("a=inactive"), std::string::npos) << *offer; // RFC 6337 §5.3: held, then holding
    auto answer = a->answer(*offer);
    ASSERT_TRUE(answer);
    ASSERT_TRUE(b->applyAnswer(*answer));
    EXPECT_EQ(a->holdState(), HoldState::Both);
    EXPECT_EQ(b->holdState(), HoldState::Both);
}

TEST(MediaEngineControl, DtmfDigitsArriveExactlyAndInOrder)
{
    auto a = session(config("tone:440", "null"));
    auto b = session(config("tone:1000", "null"));
    ASSERT_TRUE(negotiate(*a, *b));
    ASSERT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > 5; }));
    ASSERT_TRUE(a->sendDtmf("123#*0A"));
    std::string digits;
    EXPECT_TRUE(waitFor([&] {
        for (const auto& e : drain(*b)) {
            if (auto* d = std::get_if<DtmfReceived>(&e)) digits += d->digit;
        }
        return digits.size() >= 7;
    }));
    std::this_thread::sleep_for(300ms); // a duplicate would show up now
    for (const auto& e : drain(*b)) {
        if (auto* d = std::get_if<DtmfReceived>(&e)) digits += d->digit;
    }
    EXPECT_EQ(digits, "123#*0A");
    EXPECT_EQ(audioStats(*a).dtmfSent, 7u);
    EXPECT_EQ(audioStats(*b).dtmfReceived, 7u);
    EXPECT_EQ(audioStats(*b).lost, 0); // event packets are not holes in the audio
    EXPECT_FALSE(a->sendDtmf("12x"));
    a->stop();
    b->stop();
}

TEST(MediaEngineControl, DtmfNeedsAnAgreedTelephoneEvent)
{
    auto a = session(config("silence", "null", {"pcmu", "telephone-event"}));
    auto b = session(config("silence", "null", {"pcmu"}));
    ASSERT_TRUE(negotiate(*a, *b));
    const auto sent = a->sendDtmf("1");
    ASSERT_FALSE(sent);
    EXPECT_NE(sent.error().what.find("telephone-event"), std::string::npos);
}

TEST(MediaEngineControl, CodecChangeByReofferKeepsAudioFlowing)
{
    const auto dir = tempDir("codec-change");
    auto a = session(config("tone:440", "file:" + dir + "/a.wav", {"opus", "pcmu", "telephone-event"}));
    auto b = session(config("tone:1000", "file:" + dir + "/b.wav", {"opus", "pcmu", "telephone-event"}));
    ASSERT_TRUE(negotiate(*a, *b));
    std::this_thread::sleep_for(1000ms);
    EXPECT_EQ(audioStats(*a).codec, "opus");
    ASSERT_TRUE(a->setCodecs({"pcmu", "telephone-event"}));
    ASSERT_TRUE(negotiate(*a, *b));
    EXPECT_TRUE(waitFor([&] { return audioStats(*a).codec == "pcmu" && audioStats(*b).codec == "pcmu"; }));
    const auto before = audioStats(*a).packetsReceived;
    std::this_thread::sleep_for(1200ms);
    EXPECT_GT(audioStats(*a).packetsReceived, before + 40);
    a->stop();
    b->stop();
    const auto atA = analyseReceived(dir + "/a.wav", 1000);
    const auto atB = analyseReceived(dir + "/b.wav", 440);
    EXPECT_GE(atA.seconds, 1.8);
    EXPECT_GE(atA.report.fraction(), 0.9) << atA.report.dominated << "/" << atA.report.windows;
    EXPECT_GE(atB.report.fraction(), 0.9) << atB.report.dominated << "/" << atB.report.windows;
}

TEST(MediaEngineControl, MandatorySrtpRefusesAPlainOfferWith488)
{
    auto plain = session(config("silence", "null"));
    auto strict = config("silence", "null");
    strict.srtp = sdp::SrtpPolicy::Mandatory;
    auto secure = session(strict);
    auto offer = plain->createOffer();
    ASSERT_TRUE(offer);
    auto answer = secure->answer(*offer);
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().status, 488);
    EXPECT_NE(answer.error().what.find("SRTP is mandatory"), std::string::npos) << answer.error().what;
}

TEST(MediaEngineControl, MandatorySrtpRefusesAnAnswerWithoutCrypto)
{
    auto strict = config("silence", "null");
    strict.srtp = sdp::SrtpPolicy::Optional; // the offer is RTP/AVP with a=crypto
    auto a = session(strict);
    auto offer = a->createOffer();
    ASSERT_TRUE(offer);
    ASSERT_NE(offer->find("a=crypto:"), std::string::npos);
    // An answer that drops the crypto is fine for Optional...
    auto plain = session(config("silence", "null"));
    auto answer = plain->answer(*offer);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->find("a=crypto"), std::string::npos);
    ASSERT_TRUE(a->applyAnswer(*answer));
    // ...but a Mandatory session's offer answered without crypto is an error with a reason.
    strict.srtp = sdp::SrtpPolicy::Mandatory;
    auto m = session(strict);
    auto mOffer = m->createOffer();
    ASSERT_TRUE(mOffer);
    // The answer takes PCMU and no crypto at all.
    const std::string noCrypto = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                 "m=audio 5398 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    const auto applied = m->applyAnswer(noCrypto);
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().what.find("SRTP is mandatory but the answer has no a=crypto"),
              std::string::npos)
        << applied.error().what;
    bool reported = false;
    while (auto e = m->pollEvent())
        reported = reported || std::holds_alternative<MediaErrorEvent>(*e);
    EXPECT_TRUE(reported);
}

TEST(MediaEngineControl, GarbageAndReplayedPacketsAreCountedAndDropped)
{
    const auto dir = tempDir("hostile");
    auto ca = config("tone:440", "null");
    auto cb = config("tone:1000", "file:" + dir + "/b.wav");
    for (auto* c : {&ca, &cb}) {
        c->srtp = sdp::SrtpPolicy::Mandatory;
        c->sdesSuites = {SrtpSuite::AesCm128HmacSha1_80};
    }
    auto a = session(ca);
    auto b = session(cb);
    std::string offer;
    ASSERT_TRUE(negotiate(*a, *b, &offer));
    ASSERT_TRUE(waitFor([&] { return audioStats(*b).packetsReceived > 10; }));

    // The attacker knows A's key (as a leaked SDP would give it) and B's port.
    const auto line = offer.find("a=crypto:");
    ASSERT_NE(line, std::string::npos);
    const auto value = line + std::string("a=crypto:").size();
    auto aKey = parseSdesCrypto(offer.substr(value, offer.find("\r\n", value) - value));
    ASSERT_TRUE(aKey);
    auto attacker = SrtpSession::create({aKey->suite, aKey->keySalt, aKey->keySalt});
    ASSERT_TRUE(attacker);
    auto sock = UdpSocket::bind("127.0.0.1", 0);
    ASSERT_TRUE(sock);
    const MediaAddress target{"127.0.0.1", b->audioPort()};
    // One authentic packet from another SSRC, sent three times: the copies are replays.
    std::vector<std::uint8_t> rtp = {0x80, 0, 0x12, 0x34, 0, 0, 0, 160, 0xde, 0xad, 0xbe, 0xef};
    rtp.resize(12 + 160, 0xff);
    ASSERT_EQ(attacker->protectRtp(rtp), SrtpStatus::Ok);
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(sock->sendTo(rtp, target));
    // Garbage of every shape: empty-ish, RTP-looking with bad auth, DTLS/STUN-looking, random.
    // Sent in bursts of 50 so that the socket's receive buffer never overflows.
    std::mt19937 random(7);
    for (int i = 0; i < 500; ++i) {
        std::vector<std::uint8_t> junk(1 + random() % 300);
        for (auto& byte : junk)
            byte = static_cast<std::uint8_t>(random());
        if (i % 3 == 0) junk[0] = 0x80;
        ASSERT_TRUE(sock->sendTo(junk, target));
        if (i % 50 == 49) std::this_thread::sleep_for(20ms);
    }
    std::this_thread::sleep_for(500ms);
    const auto st = audioStats(*b);
    a->stop();
    b->stop();
    EXPECT_EQ(st.srtpReplays, 2u);
    EXPECT_GT(st.srtpAuthFailures, 50u);
    EXPECT_GT(st.malformed + st.unexpected, 50u);
    // Every datagram is accounted for: 500 junk, the authentic packet and its two replays. The
    // authentic packet comes from a foreign SSRC and is refused as such while A's source is live;
    // should A's thread stall for a second on a loaded machine, the foreign source takes over
    // instead and A's next packets are the refused ones. Either way the junk and the replays
    // make exactly 502 and at least one packet is refused as foreign.
    EXPECT_GE(st.foreignSsrc, 1u);
    EXPECT_EQ(st.srtpAuthFailures + st.srtpReplays + st.malformed + st.unexpected - st.foreignSsrc, 502u)
        << "auth failures " << st.srtpAuthFailures << ", replays " << st.srtpReplays << ", malformed "
        << st.malformed << ", unexpected " << st.unexpected << ", foreign " << st.foreignSsrc << ", received "
        << st.packetsReceived << ", rtcp received " << st.rtcpReceived;
    // The call went on undisturbed.
    const auto heard = analyseReceived(dir + "/b.wav", 440);
    EXPECT_GE(heard.report.fraction(), 0.9) << heard.report.dominated << "/" << heard.report.windows;
}

TEST(MediaEngineControl, StartingAndStoppingFiftySessionsLeaksNoDescriptorsOrThreads)
{
    // Warm up once (libraries open what they keep for the process).
    {
        auto a = session(config("tone:440", "null"));
        auto b = session(config("tone:1000", "null"));
        ASSERT_TRUE(negotiate(*a, *b));
        a->stop();
        b->stop();
    }
    const auto fds = openFds();
    const auto threads = threadCount();
    for (int i = 0; i < 25; ++i) {
        auto a = session(config("tone:440", "null"));
        auto b = session(config("tone:1000", "null"));
        ASSERT_TRUE(negotiate(*a, *b));
        EXPECT_NE(a->audioPort(), 0u);
        std::this_thread::sleep_for(20ms);
        a->stop();
        b->stop();
    }
    EXPECT_EQ(openFds(), fds);
    EXPECT_EQ(threadCount(), threads);
}

TEST(MediaEngineControl, DtlsCallSurvivesHoldAndResumeFromEitherSide)
{
    const auto certs = tempDir("dtls-hold");
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
    ASSERT_TRUE(negotiate(*a, *b));
    ASSERT_TRUE(
        waitFor([&] { return audioStats(*a).packetsReceived > 10 && audioStats(*b).packetsReceived > 10; }));
    // B (the DTLS client so far) holds and resumes with its own re-offers, then A does.
    for (auto [holder, other] : {std::pair{b.get(), a.get()}, std::pair{a.get(), b.get()}}) {
        for (bool hold : {true, false}) {
            auto offer = holder->setHold(hold);
            ASSERT_TRUE(offer) << offer.error().what;
            auto answer = other->answer(*offer);
            ASSERT_TRUE(answer) << answer.error().what;
            ASSERT_TRUE(holder->applyAnswer(*answer));
        }
        const auto before = audioStats(*holder).packetsReceived;
        EXPECT_TRUE(waitFor([&] { return audioStats(*holder).packetsReceived > before + 10; }));
    }
    EXPECT_EQ(a->holdState(), HoldState::None);
    for (auto* s : {a.get(), b.get()}) {
        for (const auto& e : drain(*s))
            EXPECT_FALSE(std::holds_alternative<DtlsFailed>(e)) << toJson(e);
        EXPECT_EQ(audioStats(*s).srtpAuthFailures, 0u);
    }
    a->stop();
    b->stop();
    std::filesystem::remove_all(certs);
}

TEST(MediaEngineControl, TheSameAnswerTwiceIsAcceptedButAStrayAnswerIsNot)
{
    auto a = session(config("silence", "null"));
    auto b = session(config("silence", "null"));
    auto offer = a->createOffer();
    ASSERT_TRUE(offer);
    EXPECT_TRUE(a->offerPending());
    auto answer = b->answer(*offer);
    ASSERT_TRUE(answer);
    EXPECT_FALSE(b->offerPending());
    ASSERT_TRUE(a->applyAnswer(*answer)); // 183 with SDP
    EXPECT_FALSE(a->offerPending());
    EXPECT_TRUE(a->applyAnswer(*answer)); // the 200 repeats it
    // Another answer with no offer pending is refused with a reason.
    auto c = session(config("silence", "null"));
    auto other = c->answer(*offer);
    ASSERT_TRUE(other);
    const auto stray = a->applyAnswer(*other);
    ASSERT_FALSE(stray);
    EXPECT_FALSE(stray.error().what.empty());
    EXPECT_FALSE(a->applyAnswer("v=0\r\nnot sdp"));
}
