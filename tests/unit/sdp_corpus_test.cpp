// Real-world session descriptions (tests/data/sdp: baresip, linphone, Asterisk, Chrome and
// Firefox WebRTC, RFC examples) parse, and serialise back to the same text.
#include "sdp/session_description.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace vphone::sdp;

namespace {

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string withCrlf(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

std::vector<std::filesystem::path> corpus()
{
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(VPHONE_TEST_DATA "/sdp")) {
        if (e.path().extension() == ".sdp") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST(SdpCorpus, EveryFileParsesAndRoundTripsByteForByte)
{
    const auto files = corpus();
    ASSERT_GE(files.size(), 10u);
    for (const auto& path : files) {
        SCOPED_TRACE(path.filename().string());
        const std::string text = withCrlf(readFile(path));
        auto sdp = parse(text);
        ASSERT_TRUE(sdp) << sdp.error().message();
        EXPECT_EQ(serialize(*sdp), text);
        auto again = parse(serialize(*sdp));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *sdp);
    }
}

TEST(SdpCorpus, ChromeOfferHasDtlsMuxMidsAndKeepsIceAttributes)
{
    auto sdp = parse(readFile(VPHONE_TEST_DATA "/sdp/chrome-webrtc-offer.sdp"));
    ASSERT_TRUE(sdp) << sdp.error().message();
    ASSERT_EQ(sdp->media.size(), 2u);
    const auto& audio = sdp->media[0];
    EXPECT_EQ(audio.proto, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(audio.rtcpMux());
    EXPECT_EQ(audio.mid(), "0");
    EXPECT_EQ(sdp->setupFor(audio), Setup::ActPass);
    EXPECT_EQ(sdp->fingerprintFor(audio)->hashFunction, "sha-256");
    EXPECT_EQ(audio.extmaps().size(), 4u);
    EXPECT_EQ(audio.ssrcs().size(), 2u);
    EXPECT_EQ(audio.rtcp()->port, 9);
    EXPECT_EQ(audio.find("ice-ufrag")->value, "EsAw");
    EXPECT_EQ(sdp->find("msid-semantic")->value, " WMS 3a5d9b27-0a0e-4c8e-b7e6-5c3f0c1a9d21");
    const auto& video = sdp->media[1];
    EXPECT_EQ(video.fmtp(102)->parameter("packetization-mode"), "1");
    EXPECT_EQ(video.rtcpFbs().size(), 10u);
}

TEST(SdpCorpus, Rfc4568ExampleHasTwoKeysWithMkis)
{
    auto sdp = parse(readFile(VPHONE_TEST_DATA "/sdp/rfc4568-sdes-mki.sdp"));
    ASSERT_TRUE(sdp) << sdp.error().message();
    const auto cryptos = sdp->media[0].cryptos();
    ASSERT_EQ(cryptos.size(), 2u);
    EXPECT_EQ(cryptos[1].suite, "F8_128_HMAC_SHA1_80");
    EXPECT_EQ(cryptos[1].keys.size(), 2u);
    EXPECT_EQ(sdp->information, "A discussion of Secure RTP");
    EXPECT_EQ(sdp->timings.at(0).start, 2873397496u);
}

TEST(SdpCorpus, Ipv6ExampleHasRtcpAddressAndDisabledMsrp)
{
    auto sdp = parse(readFile(VPHONE_TEST_DATA "/sdp/rfc3264-ipv6-rtcp.sdp"));
    ASSERT_TRUE(sdp) << sdp.error().message();
    EXPECT_EQ(sdp->connection->addrType, "IP6");
    EXPECT_EQ(sdp->media[0].rtcp()->address, "2001:db8::11");
    EXPECT_EQ(sdp->media[0].bandwidth("TIAS"), 64000u);
    EXPECT_EQ(sdp->directionFor(sdp->media[1]), Direction::RecvOnly);
    EXPECT_EQ(sdp->media[2].port, 0);
}

TEST(SdpCorpus, LinphoneAnswerWithABareSsrcIsAccepted)
{
    // liblinphone 5.1 (linphonec answering vphone-cli's conference INVITE) ends its answer with
    // "a=ssrc:<id>" and no source attribute, against RFC 5576's grammar: read, not refused.
    auto sdp = parse(readFile(VPHONE_TEST_DATA "/sdp/linphonec-5.1-answer.sdp"));
    ASSERT_TRUE(sdp) << sdp.error().message();
    const auto ssrcs = sdp->media.at(0).ssrcs();
    ASSERT_EQ(ssrcs.size(), 1u);
    EXPECT_EQ(ssrcs[0].id, 1705478878u);
    EXPECT_TRUE(ssrcs[0].attribute.empty());
    EXPECT_FALSE(ssrcs[0].value);
}
