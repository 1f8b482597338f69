// SRTP in offer/answer: SDES (RFC 4568) and DTLS-SRTP (RFC 5763/5764) under the mandatory,
// optional (best effort, RTP/AVP + a=crypto as baresip's mediaenc=srtp) and off policies.
#include "sdp_test_helpers.h"

#include <fstream>
#include <sstream>

using namespace vphone::sdp;
using namespace vphone::sdp::test;

namespace {

const char* kKeyA80 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";
const char* kKeyA32 = "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0";
const char* kKeyB80 = "ZmVkY2JhOTg3NjU0MzIxMFpZWFdWVVRTUlFQT05N";
const char* kKeyB32 = "a2ppaGdmZWRjYmE5ODc2NTQzMjEwWllYV1ZVVFNS";

LocalSession sdesPhone(std::string address, std::uint16_t port, SrtpPolicy policy,
                       std::vector<Crypto> cryptos)
{
    auto l = phone(std::move(address), {audio(port)});
    l.srtp = policy;
    l.keying = Keying::Sdes;
    l.streams[0].cryptos = std::move(cryptos);
    return l;
}

LocalSession dtlsPhone(std::string address, std::uint16_t port, SrtpPolicy policy, std::string fingerprintHex)
{
    auto l = phone(std::move(address), {audio(port)});
    l.srtp = policy;
    l.keying = Keying::Dtls;
    l.fingerprint = Fingerprint{"sha-256", std::move(fingerprintHex)};
    return l;
}

const std::string kFpA =
    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
const std::string kFpB =
    "11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF:11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF";

std::string readCorpus(const std::string& name)
{
    std::ifstream in(std::string(VPHONE_TEST_DATA "/sdp/") + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST(SdpSrtp, MandatorySdesOffersSavpAndBothSidesGetEachOthersKeys)
{
    OfferAnswerSession alice("1"), bob("2");
    auto a = sdesPhone(
        "127.0.0.1", 4000, SrtpPolicy::Mandatory,
        {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyA80), crypto(2, "AES_CM_128_HMAC_SHA1_32", kKeyA32)});
    auto b =
        sdesPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyB80)});
    auto x = exchange(alice, a, bob, b);
    ASSERT_TRUE(x.ok) << x.error;
    EXPECT_EQ(x.offer.media[0].proto, "RTP/SAVP");
    EXPECT_EQ(x.offer.media[0].cryptos().size(), 2u);
    EXPECT_EQ(x.answer.media[0].proto, "RTP/SAVP");
    ASSERT_EQ(x.answer.media[0].cryptos().size(), 1u);
    EXPECT_EQ(x.answer.media[0].cryptos()[0].tag, 1u);

    const auto& as = x.offerer.streams[0];
    const auto& bs = x.answerer.streams[0];
    EXPECT_EQ(as.srtp, SrtpMode::Sdes);
    EXPECT_EQ(bs.srtp, SrtpMode::Sdes);
    EXPECT_EQ(as.localCrypto->keys[0].keySalt, kKeyA80);
    EXPECT_EQ(as.remoteCrypto->keys[0].keySalt, kKeyB80);
    EXPECT_EQ(bs.localCrypto->keys[0].keySalt, kKeyB80);
    EXPECT_EQ(bs.remoteCrypto->keys[0].keySalt, kKeyA80);
}

TEST(SdpSrtp, TheAnswererTakesTheFirstOfferedSuiteItSupportsUnderTheOfferedTag)
{
    OfferAnswerSession alice("1"), bob("2");
    auto a = sdesPhone(
        "127.0.0.1", 4000, SrtpPolicy::Mandatory,
        {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyA80), crypto(2, "AES_CM_128_HMAC_SHA1_32", kKeyA32)});
    auto b =
        sdesPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, {crypto(9, "AES_CM_128_HMAC_SHA1_32", kKeyB32)});
    auto x = exchange(alice, a, bob, b);
    ASSERT_TRUE(x.ok) << x.error;
    EXPECT_EQ(x.answer.media[0].cryptos().at(0).tag, 2u);
    EXPECT_EQ(x.offerer.streams[0].localCrypto->suite, "AES_CM_128_HMAC_SHA1_32");
    EXPECT_EQ(x.offerer.streams[0].localCrypto->keys[0].keySalt, kKeyA32);

    auto none = sdesPhone("127.0.0.3", 5000, SrtpPolicy::Mandatory, {crypto(1, "AEAD_AES_256_GCM", kKeyB80)});
    OfferAnswerSession carol("3"), dave("4");
    auto y = exchange(carol, a, dave, none);
    EXPECT_FALSE(y.ok);
    EXPECT_EQ(
        y.error,
        "answer: no media stream can be accepted: m-line 0 (audio): no a=crypto suite we support in the "
        "offer");
}

TEST(SdpSrtp, OptionalSdesOffersAvpWithCryptoAndFallsBackToPlainRtp)
{
    auto a =
        sdesPhone("127.0.0.1", 4000, SrtpPolicy::Optional, {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyA80)});
    {
        OfferAnswerSession alice("1"), bob("2");
        auto x = exchange(alice, a, bob, phone("127.0.0.2", {audio(5000)}));
        ASSERT_TRUE(x.ok) << x.error;
        EXPECT_EQ(x.offer.media[0].proto, "RTP/AVP");
        EXPECT_EQ(x.offer.media[0].cryptos().size(), 1u);
        EXPECT_TRUE(x.answer.media[0].cryptos().empty());
        EXPECT_EQ(x.offerer.streams[0].srtp, SrtpMode::None);
        EXPECT_EQ(x.answerer.streams[0].srtp, SrtpMode::None);
    }
    {
        OfferAnswerSession alice("1"), bob("2");
        auto b = sdesPhone("127.0.0.2", 5000, SrtpPolicy::Optional,
                           {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyB80)});
        auto x = exchange(alice, a, bob, b);
        ASSERT_TRUE(x.ok) << x.error;
        EXPECT_EQ(x.answer.media[0].proto, "RTP/AVP");
        EXPECT_EQ(x.offerer.streams[0].srtp, SrtpMode::Sdes);
        EXPECT_EQ(x.answerer.streams[0].srtp, SrtpMode::Sdes);
    }
    {
        // A mandatory answerer takes the best-effort offer with SRTP.
        OfferAnswerSession alice("1"), bob("2");
        auto b = sdesPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory,
                           {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyB80)});
        auto x = exchange(alice, a, bob, b);
        ASSERT_TRUE(x.ok) << x.error;
        EXPECT_EQ(x.answerer.streams[0].srtp, SrtpMode::Sdes);
    }
}

TEST(SdpSrtp, MandatoryRefusesPlainOffersAndAnswers)
{
    OfferAnswerSession alice("1"), bob("2");
    auto b =
        sdesPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyB80)});
    auto x = exchange(alice, phone("127.0.0.1", {audio(4000)}), bob, b);
    EXPECT_FALSE(x.ok);
    EXPECT_EQ(
        x.error,
        "answer: no media stream can be accepted: m-line 0 (audio): SRTP is mandatory and the offer has "
        "no usable a=crypto or a=fingerprint");

    // A plain answer to our mandatory offer.
    OfferAnswerSession carol("3");
    auto offer = carol.createOffer(
        sdesPhone("127.0.0.1", 4000, SrtpPolicy::Mandatory, {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyA80)}));
    ASSERT_TRUE(offer) << offer.error().message();
    auto r =
        carol.receiveAnswer(parsed("v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
                                   "m=audio 5000 RTP/AVP 0\r\n"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(), "m-line 0 (audio): SRTP is mandatory but the answer has no a=crypto");
}

TEST(SdpSrtp, AnAnswerWithATagWeNeverOfferedIsAnError)
{
    OfferAnswerSession alice("1");
    auto offer = alice.createOffer(
        sdesPhone("127.0.0.1", 4000, SrtpPolicy::Mandatory, {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyA80)}));
    ASSERT_TRUE(offer);
    auto r = alice.receiveAnswer(
        parsed(std::string("v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\n"
                           "t=0 0\r\nm=audio 5000 RTP/SAVP 0\r\n"
                           "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:") +
               kKeyB80 + "\r\n"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(),
              "m-line 0 (audio): the answer's a=crypto (tag 5, AES_CM_128_HMAC_SHA1_80) was not "
              "offered");
    EXPECT_EQ(r.error().message().find(kKeyB80), std::string::npos);
}

TEST(SdpSrtp, OffRefusesSavpButIgnoresCryptoInAvp)
{
    OfferAnswerSession bob("2");
    auto refused = bob.receiveOffer(parsed(readCorpus("baresip-srtp-mand-offer.sdp")),
                                    phone("127.0.0.2", {audio(5000)}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message(),
              "no media stream can be accepted: m-line 0 (audio): SRTP offered (RTP/SAVP) but SRTP is off");

    OfferAnswerSession carol("3");
    auto plain = carol.receiveOffer(parsed(readCorpus("baresip-srtp-optional-offer.sdp")),
                                    phone("127.0.0.2", {audio(5000)}));
    ASSERT_TRUE(plain) << plain.error().message();
    EXPECT_EQ(plain->sdp.media[0].proto, "RTP/AVP");
    EXPECT_TRUE(plain->sdp.media[0].cryptos().empty());
    EXPECT_EQ(plain->negotiated.streams[0].srtp, SrtpMode::None);
}

TEST(SdpSrtp, AnswersBaresipSrtpOffers)
{
    OfferAnswerSession bob("2");
    auto b =
        sdesPhone("127.0.0.2", 5000, SrtpPolicy::Optional, {crypto(1, "AES_CM_128_HMAC_SHA1_32", kKeyB32)});
    auto answer = bob.receiveOffer(parsed(readCorpus("baresip-srtp-mand-offer.sdp")), b);
    ASSERT_TRUE(answer) << answer.error().message();
    EXPECT_EQ(answer->sdp.media[0].proto, "RTP/SAVP");
    EXPECT_EQ(answer->sdp.media[0].cryptos().at(0).tag, 2u); // baresip's second line is the _32 suite
    EXPECT_EQ(answer->negotiated.streams[0].remoteCrypto->suite, "AES_CM_128_HMAC_SHA1_32");

    OfferAnswerSession carol("3");
    auto c =
        sdesPhone("127.0.0.2", 5000, SrtpPolicy::Optional, {crypto(1, "AES_CM_128_HMAC_SHA1_80", kKeyB80)});
    auto best = carol.receiveOffer(parsed(readCorpus("baresip-srtp-optional-offer.sdp")), c);
    ASSERT_TRUE(best) << best.error().message();
    EXPECT_EQ(best->sdp.media[0].proto, "RTP/AVP");
    EXPECT_EQ(best->negotiated.streams[0].srtp, SrtpMode::Sdes);
}

TEST(SdpSrtp, DtlsMandatoryNegotiatesRolesAndFingerprints)
{
    OfferAnswerSession alice("1"), bob("2");
    auto x = exchange(alice, dtlsPhone("127.0.0.1", 4000, SrtpPolicy::Mandatory, kFpA), bob,
                      dtlsPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, kFpB));
    ASSERT_TRUE(x.ok) << x.error;
    EXPECT_EQ(x.offer.media[0].proto, "UDP/TLS/RTP/SAVP");
    EXPECT_EQ(x.offer.setupFor(x.offer.media[0]), Setup::ActPass);
    EXPECT_EQ(x.answer.setupFor(x.answer.media[0]), Setup::Active);
    EXPECT_EQ(x.answerer.streams[0].srtp, SrtpMode::Dtls);
    EXPECT_EQ(x.answerer.streams[0].localSetup, Setup::Active);
    EXPECT_EQ(x.answerer.streams[0].remoteFingerprint->value, kFpA);
    EXPECT_EQ(x.offerer.streams[0].srtp, SrtpMode::Dtls);
    EXPECT_EQ(x.offerer.streams[0].localSetup, Setup::Passive);
    EXPECT_EQ(x.offerer.streams[0].remoteFingerprint->value, kFpB);

    // No fingerprint of our own: a DTLS offer cannot be taken.
    OfferAnswerSession carol("3");
    auto r = carol.receiveOffer(x.offer, phone("127.0.0.3", {audio(5000)}));
    ASSERT_FALSE(r);
    EXPECT_EQ(
        r.error().message(),
        "no media stream can be accepted: m-line 0 (audio): SRTP offered (UDP/TLS/RTP/SAVP) but SRTP is off");
    auto on = phone("127.0.0.3", {audio(5000)});
    on.srtp = SrtpPolicy::Optional;
    OfferAnswerSession dave("4");
    EXPECT_EQ(
        dave.receiveOffer(x.offer, on).error().message(),
        "no media stream can be accepted: m-line 0 (audio): DTLS-SRTP offered but we have no certificate "
        "fingerprint");
}

TEST(SdpSrtp, DtlsReOfferFromTheOtherSideKeepsTheRolesOfTheAssociation)
{
    OfferAnswerSession alice("1"), bob("2");
    const auto a = dtlsPhone("127.0.0.1", 4000, SrtpPolicy::Mandatory, kFpA);
    const auto b = dtlsPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, kFpB);
    auto first = exchange(alice, a, bob, b);
    ASSERT_TRUE(first.ok) << first.error;
    ASSERT_EQ(first.offerer.streams[0].localSetup, Setup::Passive); // alice: DTLS server

    // Bob (the client) re-offers actpass, e.g. to hold: alice answers passive again, so the
    // association and its keys stay (RFC 8842 §5.3), and bob stays active.
    auto hold = b;
    hold.streams[0].direction = Direction::SendOnly;
    auto again = exchange(bob, hold, alice, a);
    ASSERT_TRUE(again.ok) << again.error;
    EXPECT_EQ(again.offer.setupFor(again.offer.media[0]), Setup::ActPass);
    EXPECT_EQ(again.answer.setupFor(again.answer.media[0]), Setup::Passive);
    EXPECT_EQ(again.answerer.streams[0].localSetup, Setup::Passive);
    EXPECT_EQ(again.offerer.streams[0].localSetup, Setup::Active);

    // A new certificate on bob's side is a new association: alice takes the usual active role.
    auto rekeyed = dtlsPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, kFpA);
    auto fresh = exchange(bob, rekeyed, alice, a);
    ASSERT_TRUE(fresh.ok) << fresh.error;
    EXPECT_EQ(fresh.answerer.streams[0].localSetup, Setup::Active);
}

TEST(SdpSrtp, DtlsAnswererIsPassiveWhenTheOfferSaysActive)
{
    auto offer = parsed("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        "m=audio 4000 UDP/TLS/RTP/SAVP 0\r\na=setup:active\r\na=fingerprint:sha-256 " +
                        kFpA + "\r\n");
    OfferAnswerSession bob("2");
    auto answer = bob.receiveOffer(offer, dtlsPhone("127.0.0.2", 5000, SrtpPolicy::Optional, kFpB));
    ASSERT_TRUE(answer) << answer.error().message();
    EXPECT_EQ(answer->sdp.media[0].setup(), Setup::Passive);
    EXPECT_EQ(answer->negotiated.streams[0].localSetup, Setup::Passive);
    EXPECT_EQ(answer->sdp.media[0].fingerprint()->value, kFpB);
}

TEST(SdpSrtp, AnswersWebRtcOffersWithDtlsMuxAndMid)
{
    std::ifstream in(VPHONE_TEST_DATA "/sdp/chrome-webrtc-offer.sdp");
    std::stringstream ss;
    ss << in.rdbuf();
    auto local = dtlsPhone("127.0.0.2", 5000, SrtpPolicy::Mandatory, kFpB);
    local.streams[0].codecs = {opus(), pcmu(), Codec{"telephone-event", 48000, 1, 110, "0-16"}};
    local.streams.push_back(video(5002, {vp8()}));
    OfferAnswerSession bob("2");
    auto answer = bob.receiveOffer(parsed(ss.str()), local);
    ASSERT_TRUE(answer) << answer.error().message();
    const auto& m = answer->sdp.media[0];
    EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(m.mid(), "0");
    EXPECT_TRUE(m.rtcpMux());
    EXPECT_EQ(m.formats, (std::vector<std::string>{"111", "0", "110"}));
    EXPECT_EQ(answer->negotiated.streams[0].remoteRtcpPort, 9);
    EXPECT_EQ(answer->negotiated.streams[0].localSetup, Setup::Active);
    EXPECT_EQ(answer->negotiated.streams[0].direction, Direction::SendRecv); // 0.0.0.0 is ICE's, not hold
    EXPECT_EQ(answer->sdp.media[1].mid(), "1");
    EXPECT_EQ(answer->negotiated.streams[1].sendCodec()->payloadType, 96);
}

TEST(SdpSrtp, OffersNeedTheKeysFromTheCaller)
{
    OfferAnswerSession ours("1");
    EXPECT_EQ(ours.createOffer(sdesPhone("127.0.0.1", 4000, SrtpPolicy::Mandatory, {})).error().message(),
              "stream 'audio': SRTP with SDES needs a=crypto lines from the caller");
    auto dtls = phone("127.0.0.1", {audio(4000)});
    dtls.srtp = SrtpPolicy::Mandatory;
    dtls.keying = Keying::Dtls;
    EXPECT_EQ(ours.createOffer(dtls).error().message(),
              "DTLS-SRTP needs the certificate fingerprint from the caller");
}
