// Media engine configuration: option parsing, config checks, the SDP codec table, the stored
// DTLS certificate, the JSON shapes of stats and events, and the UDP socket wrapper (loopback).
#include "engine/engine_config.h"
#include "engine/media_events.h"
#include "engine/media_session.h"
#include "engine/udp_socket.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace vphone::media;

TEST(MediaEngineConfig, ParsesAPortRangeAndRefusesBadOnes)
{
    auto r = parsePortRange("16384-32767");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->min, 16384);
    EXPECT_EQ(r->max, 32767);
    for (const char* bad : {"", "5000", "a-b", "6000-5000", "80-9000", "5000-70000", "5001-5002", "-"}) {
        auto e = parsePortRange(bad);
        ASSERT_FALSE(e) << bad;
        EXPECT_NE(e.error().what.find("--rtp-ports"), std::string::npos) << e.error().what;
    }
    EXPECT_TRUE(parsePortRange("5000-5001"));
}

TEST(MediaEngineConfig, ParsesACodecListInOrderAndNamesAnUnknownCodec)
{
    auto l = parseCodecList("PCMU, opus,telephone-event,pcmu");
    ASSERT_TRUE(l);
    EXPECT_EQ(*l, (std::vector<std::string>{"pcmu", "opus", "telephone-event"}));
    auto bad = parseCodecList("opus,speex");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().what.find("'speex'"), std::string::npos);
    EXPECT_FALSE(parseCodecList("telephone-event"));
    EXPECT_FALSE(parseCodecList("opus,,pcmu"));
}

TEST(MediaEngineConfig, ParsesPolicyAndKeying)
{
    EXPECT_EQ(*parseSrtpPolicy("mandatory"), vphone::sdp::SrtpPolicy::Mandatory);
    EXPECT_EQ(*parseSrtpPolicy("Optional"), vphone::sdp::SrtpPolicy::Optional);
    EXPECT_EQ(*parseSrtpPolicy("off"), vphone::sdp::SrtpPolicy::Off);
    EXPECT_FALSE(parseSrtpPolicy("yes"));
    EXPECT_EQ(*parseKeying("dtls"), vphone::sdp::Keying::Dtls);
    EXPECT_EQ(*parseKeying("SDES"), vphone::sdp::Keying::Sdes);
    EXPECT_FALSE(parseKeying("zrtp"));
}

TEST(MediaEngineConfig, ChecksTheWholeConfigAndNamesTheBadField)
{
    MediaConfig c;
    EXPECT_TRUE(checkMediaConfig(c));
    const auto expectError = [](MediaConfig bad, const std::string& word) {
        auto r = checkMediaConfig(bad);
        ASSERT_FALSE(r) << word;
        EXPECT_NE(r.error().what.find(word), std::string::npos) << r.error().what;
        auto s = MediaSession::create(bad);
        EXPECT_FALSE(s);
    };
    auto bad = c;
    bad.localAddresses = {"example.test"};
    expectError(bad, "example.test");
    bad = c;
    bad.audioSource = "microphone";
    expectError(bad, "microphone");
    bad = c;
    bad.audioSink = "tone:440";
    expectError(bad, "tone:440");
    bad = c;
    bad.ptime = std::chrono::milliseconds{25};
    expectError(bad, "ptime");
    bad = c;
    bad.srtp = vphone::sdp::SrtpPolicy::Mandatory;
    bad.keying = vphone::sdp::Keying::Dtls;
    expectError(bad, "certificate");
    bad = c;
    bad.codecs = {"opus", "amr"};
    expectError(bad, "amr");
}

TEST(MediaEngineConfig, OffersTelephoneEventAtEachCodecClock)
{
    const auto codecs = sdpCodecsFor({"opus", "pcmu", "telephone-event"}, true, false);
    ASSERT_EQ(codecs.size(), 4u);
    EXPECT_EQ(codecs[0].name, "opus");
    EXPECT_EQ(codecs[0].clockRate, 48000u);
    EXPECT_EQ(codecs[0].channels, 2u);
    EXPECT_NE(codecs[0].fmtp.find("useinbandfec=1"), std::string::npos);
    EXPECT_EQ(codecs[1].payloadType, 0);
    EXPECT_EQ(codecs[2].name, "telephone-event");
    EXPECT_EQ(codecs[2].clockRate, 48000u);
    EXPECT_EQ(codecs[3].clockRate, 8000u);
    EXPECT_EQ(sdpCodecsFor({"pcma"}, true, false).size(), 1u);
}

TEST(MediaEngineConfig, KeepsOneDtlsCertificatePerProfileDirectory)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("vphone-engine-cert-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto first = loadOrCreateDtlsCertificate((dir / "profile").string());
    ASSERT_TRUE(first) << first.error().what;
    struct stat st {};
    ASSERT_EQ(::stat((dir / "profile" / "dtls-key.pem").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const auto again = loadOrCreateDtlsCertificate((dir / "profile").string());
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->fingerprint(), (*first)->fingerprint());
    // A damaged file is an error naming the directory, not a silent new identity.
    {
        std::FILE* f = std::fopen((dir / "profile" / "dtls-key.pem").c_str(), "w");
        std::fputs("not a key", f);
        std::fclose(f);
    }
    const auto broken = loadOrCreateDtlsCertificate((dir / "profile").string());
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().what.find("damaged"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(MediaEngineConfig, StatsJsonHasTheAgreedShape)
{
    StreamStats s;
    s.codec = "opus";
    s.packetsSent = 10;
    s.packetsReceived = 9;
    s.bytesSent = 1000;
    s.bytesReceived = 900;
    s.lost = 1;
    s.late = 2;
    s.concealedMs = 40;
    s.jitterMs = 1.25;
    s.jitterBufferMs = 60;
    const auto plain = toJson(s);
    EXPECT_EQ(plain.rfind("{\"type\":\"audio\"", 0), 0u) << plain;
    for (const char* key :
         {"\"codec\":\"opus\"", "\"srtp\":null", "\"packets_sent\":10", "\"packets_received\":9",
          "\"bytes_sent\":1000", "\"bytes_received\":900", "\"lost\":1", "\"late\":2", "\"concealed_ms\":40",
          "\"jitter_ms\":1.2", "\"rtt_ms\":null", "\"jitter_buffer_ms\":60.0"}) {
        EXPECT_NE(plain.find(key), std::string::npos) << key << " in " << plain;
    }
    s.srtpSuite = SrtpSuite::AeadAes128Gcm;
    s.keying = "dtls";
    s.rttMs = 0.5;
    const auto secure = toJson(s);
    EXPECT_NE(secure.find("\"srtp\":{\"suite\":\"AEAD_AES_128_GCM\",\"keying\":\"dtls\"}"), std::string::npos)
        << secure;
    EXPECT_NE(secure.find("\"rtt_ms\":0.5"), std::string::npos) << secure;
}

TEST(MediaEngineConfig, EventsReadAsJsonLines)
{
    EXPECT_EQ(toJson(MediaEvent{DtmfReceived{"audio", '#'}}),
              "{\"event\":\"media\",\"kind\":\"dtmf\",\"stream\":\"audio\",\"digit\":\"#\"}");
    EXPECT_EQ(toJson(MediaEvent{HoldChanged{HoldState::Remote}}),
              "{\"event\":\"media\",\"kind\":\"hold\",\"state\":\"remote\"}");
    EXPECT_NE(toJson(MediaEvent{DtlsFailed{"audio", "bad \"fingerprint\""}}).find("bad \\\"fingerprint\\\""),
              std::string::npos);
}

TEST(MediaEngineConfig, SocketsNeverSendToAnUnspecifiedAddress)
{
    auto s = UdpSocket::bind("127.0.0.1", 0);
    ASSERT_TRUE(s) << s.error().what;
    const std::vector<std::uint8_t> bytes(12, 0x80);
    EXPECT_FALSE(s->sendTo(bytes, {"0.0.0.0", 5300}));
    EXPECT_FALSE(s->sendTo(bytes, {"127.0.0.1", 0}));
    EXPECT_FALSE(s->sendTo(bytes, {"::1", 5300}));          // another family
    EXPECT_FALSE(s->sendTo(bytes, {"example.test", 5300})); // not a literal
    EXPECT_TRUE(s->sendTo(bytes, {"127.0.0.1", s->port()}));
    MediaAddress from;
    std::vector<std::uint8_t> in(64);
    std::optional<std::size_t> n;
    for (int i = 0; i < 100 && !n; ++i) {
        n = s->receive(in, from);
        if (!n) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 12u);
    EXPECT_EQ(from, (MediaAddress{"127.0.0.1", s->port()}));
    EXPECT_FALSE(UdpSocket::bind("127.0.0.1", s->port())) << "the port is taken";
    auto bad = UdpSocket::bind("192.0.2.300", 0);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().what.find("192.0.2.300"), std::string::npos);
}
