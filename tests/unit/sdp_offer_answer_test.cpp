// RFC 3264 offer/answer for a first exchange: codec choice and payload numbers, refused
// streams, direction, rtcp-mux and RTCP ports, IPv6, and answers to real-world offers.
#include "sdp_test_helpers.h"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace vphone::sdp;
using namespace vphone::sdp::test;

namespace {

std::string readCorpus(const std::string& name)
{
    std::ifstream in(std::string(VPHONE_TEST_DATA "/sdp/") + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::string kHead = "v=0\r\no=remote 77 1 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 192.0.2.7\r\nt=0 0\r\n";

} // namespace

TEST(SdpOfferAnswer, BasicAudioCallAgreesOnTheFirstCommonCodecBothWays)
{
    OfferAnswerSession alice("1000"), bob("2000");
    auto aLocal = phone("127.0.0.1", {audio(4000, {opus(), pcmu(), dtmf()})});
    aLocal.streams[0].rtcpMux = false;
    auto bLocal = phone("127.0.0.2", {audio(5000, {pcma(), pcmu(), dtmf()})});
    auto x = exchange(alice, aLocal, bob, bLocal);
    ASSERT_TRUE(x.ok) << x.error;

    EXPECT_EQ(x.offer.media[0].formats, (std::vector<std::string>{"111", "0", "101"}));
    EXPECT_EQ(x.offer.origin.sessionId, "1000");
    EXPECT_EQ(x.offer.origin.sessionVersion, 1u);
    EXPECT_EQ(x.answer.media[0].formats, (std::vector<std::string>{"0", "101"}));

    const auto& b = x.answerer.streams.at(0);
    EXPECT_TRUE(b.enabled);
    EXPECT_EQ(b.id, "audio");
    EXPECT_EQ(b.remoteAddress, "127.0.0.1");
    EXPECT_EQ(b.remotePort, 4000);
    EXPECT_EQ(b.remoteRtcpPort, 4001);
    EXPECT_FALSE(b.rtcpMux);
    ASSERT_TRUE(b.sendCodec());
    EXPECT_EQ(b.sendCodec()->name, "PCMU");
    EXPECT_EQ(b.sendCodec()->payloadType, 0);
    ASSERT_TRUE(b.sendTelephoneEvent());
    EXPECT_EQ(b.sendTelephoneEvent()->payloadType, 101);
    EXPECT_EQ(b.direction, Direction::SendRecv);

    const auto& a = x.offerer.streams.at(0);
    EXPECT_TRUE(a.enabled);
    EXPECT_EQ(a.remoteAddress, "127.0.0.2");
    EXPECT_EQ(a.remotePort, 5000);
    EXPECT_EQ(a.sendCodec()->name, "PCMU");
    EXPECT_EQ(a.recvCodecs.at(0).payloadType, 0);
    EXPECT_EQ(a.direction, Direction::SendRecv);
    EXPECT_EQ(a.srtp, SrtpMode::None);
    EXPECT_EQ(alice.negotiated()->streams.size(), 1u);
}

TEST(SdpOfferAnswer, AnswerKeepsTheOfferersPayloadNumbersAndOrdersByPolicy)
{
    const auto offer = parsed(kHead + "m=audio 6000 RTP/AVP 109 0 120\r\na=rtpmap:109 opus/48000/2\r\n"
                                      "a=rtpmap:120 telephone-event/8000\r\na=fmtp:120 0-15\r\n");
    auto local = phone("127.0.0.1", {audio(4000, {pcmu(), opus(), dtmf()})});
    OfferAnswerSession ours("1");
    auto answer = ours.receiveOffer(offer, local);
    ASSERT_TRUE(answer) << answer.error().message();
    // Our order (PCMU first), their numbers (opus 109, telephone-event 120), DTMF last.
    EXPECT_EQ(answer->sdp.media[0].formats, (std::vector<std::string>{"0", "109", "120"}));
    EXPECT_EQ(answer->sdp.media[0].rtpmap(109)->channels, 2u);
    EXPECT_EQ(answer->sdp.media[0].fmtp(109)->parameters, "useinbandfec=1");
    EXPECT_EQ(answer->negotiated.streams[0].sendCodecs.at(2).fmtp, "0-15");

    local.answerOrder = CodecOrder::Remote;
    OfferAnswerSession theirsFirst("1");
    auto remoteOrder = theirsFirst.receiveOffer(offer, local);
    ASSERT_TRUE(remoteOrder);
    EXPECT_EQ(remoteOrder->sdp.media[0].formats, (std::vector<std::string>{"109", "0", "120"}));
    EXPECT_EQ(remoteOrder->negotiated.streams[0].sendCodec()->name, "opus");
}

TEST(SdpOfferAnswer, RefusesWithPortZeroAStreamWithNoCommonCodec)
{
    const auto offer = parsed(kHead + "m=audio 6000 RTP/AVP 18\r\nm=video 6002 RTP/AVP 96\r\n"
                                      "a=rtpmap:96 VP8/90000\r\n");
    OfferAnswerSession ours("1");
    auto answer = ours.receiveOffer(offer, phone("127.0.0.1", {audio(4000), video(4002)}));
    ASSERT_TRUE(answer) << answer.error().message();
    ASSERT_EQ(answer->sdp.media.size(), 2u);
    EXPECT_EQ(answer->sdp.media[0].port, 0);
    EXPECT_EQ(answer->sdp.media[0].formats, (std::vector<std::string>{"18"}));
    EXPECT_FALSE(answer->negotiated.streams[0].enabled);
    EXPECT_EQ(answer->negotiated.streams[0].reason, "no codec in common (offered: G729/8000)");
    EXPECT_EQ(answer->sdp.media[1].port, 4002);
    EXPECT_TRUE(answer->negotiated.streams[1].enabled);
    EXPECT_EQ(answer->negotiated.find("video")->sendCodec()->name, "VP8");
}

TEST(SdpOfferAnswer, AnOfferWithPortZeroOnEveryStreamIsRefused)
{
    const auto offer = parsed(kHead + "m=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n");
    OfferAnswerSession ours("1");
    auto answer = ours.receiveOffer(offer, phone("127.0.0.1", {audio(4000), video(4002)}));
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().message(), "no media stream can be accepted: m-line 0 (audio): disabled by the "
                                        "offerer; m-line 1 (video): disabled by the offerer");
    EXPECT_FALSE(ours.negotiated());
}

TEST(SdpOfferAnswer, RefusesUnknownTransportsAndMediaWeDoNotHave)
{
    const auto offer = parsed(kHead + "m=audio 6000 RTP/XYZ 0\r\nm=audio 6002 RTP/AVP 0\r\n"
                                      "m=application 6004 TCP/MSRP *\r\n");
    OfferAnswerSession ours("1");
    auto answer = ours.receiveOffer(offer, phone("127.0.0.1", {audio(4000)}));
    ASSERT_TRUE(answer) << answer.error().message();
    EXPECT_EQ(answer->negotiated.streams[0].reason, "transport 'RTP/XYZ' is not supported");
    EXPECT_EQ(answer->sdp.media[0].port, 0);
    EXPECT_EQ(answer->sdp.media[0].proto, "RTP/XYZ");
    EXPECT_TRUE(answer->negotiated.streams[1].enabled);
    EXPECT_EQ(answer->negotiated.streams[2].reason, "we have no application stream");
    EXPECT_EQ(answer->sdp.media[2].formats, (std::vector<std::string>{"*"}));
    EXPECT_TRUE(parse(serialize(answer->sdp)));

    const auto onlyUnknown = parsed(kHead + "m=audio 6000 RTP/XYZ 0\r\n");
    OfferAnswerSession other("1");
    auto refused = other.receiveOffer(onlyUnknown, phone("127.0.0.1", {audio(4000)}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message(),
              "no media stream can be accepted: m-line 0 (audio): transport 'RTP/XYZ' is not supported");
}

TEST(SdpOfferAnswer, MirrorsTheOfferedDirection)
{
    struct Case {
        const char* offered;
        Direction local;
        Direction expected;
    };
    const Case cases[] = {
        {"sendrecv", Direction::SendRecv, Direction::SendRecv},
        {"sendonly", Direction::SendRecv, Direction::RecvOnly},
        {"recvonly", Direction::SendRecv, Direction::SendOnly},
        {"inactive", Direction::SendRecv, Direction::Inactive},
        {"sendonly", Direction::SendOnly, Direction::Inactive},
        {"sendrecv", Direction::SendOnly, Direction::SendOnly},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.offered) + " vs " + std::string(toString(c.local)));
        const auto offer = parsed(kHead + "m=audio 6000 RTP/AVP 0\r\na=" + c.offered + "\r\n");
        auto local = phone("127.0.0.1", {audio(4000)});
        local.streams[0].direction = c.local;
        OfferAnswerSession ours("1");
        auto answer = ours.receiveOffer(offer, local);
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->negotiated.streams[0].direction, c.expected);
        EXPECT_EQ(answer->sdp.media[0].direction(), c.expected);
    }
    // RFC 2543 hold: c=0.0.0.0 means "do not send to me".
    const auto oldHold = parsed("v=0\r\no=- 1 2 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                                "m=audio 6000 RTP/AVP 0\r\n");
    OfferAnswerSession ours("1");
    auto answer = ours.receiveOffer(oldHold, phone("127.0.0.1", {audio(4000)}));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->negotiated.streams[0].direction, Direction::RecvOnly);
}

TEST(SdpOfferAnswer, AcceptsRtcpMuxWhenOfferedAndReadsTheRtcpAttribute)
{
    OfferAnswerSession alice("1"), bob("2");
    auto x = exchange(alice, phone("127.0.0.1", {audio(4000)}), bob, phone("127.0.0.2", {audio(5000)}));
    ASSERT_TRUE(x.ok) << x.error;
    EXPECT_TRUE(x.offer.media[0].rtcpMux());
    EXPECT_TRUE(x.answer.media[0].rtcpMux());
    EXPECT_TRUE(x.answerer.streams[0].rtcpMux);
    EXPECT_EQ(x.answerer.streams[0].remoteRtcpPort, 4000);
    EXPECT_TRUE(x.offerer.streams[0].rtcpMux);
    EXPECT_EQ(x.offerer.streams[0].remoteRtcpPort, 5000);

    // The answerer does not do rtcp-mux and names its RTCP port (RFC 3605).
    OfferAnswerSession carol("3"), dave("4");
    auto daveLocal = phone("127.0.0.4", {audio(5000)});
    daveLocal.streams[0].rtcpMux = false;
    daveLocal.streams[0].rtcpPort = 5009;
    auto y = exchange(carol, phone("127.0.0.3", {audio(4000)}), dave, daveLocal);
    ASSERT_TRUE(y.ok) << y.error;
    EXPECT_FALSE(y.answer.media[0].rtcpMux());
    EXPECT_FALSE(y.offerer.streams[0].rtcpMux);
    EXPECT_EQ(y.offerer.streams[0].remoteRtcpPort, 5009);
    EXPECT_FALSE(y.answerer.streams[0].rtcpMux);
    EXPECT_EQ(y.answerer.streams[0].remoteRtcpPort, 4001);
}

TEST(SdpOfferAnswer, WorksOverIpv6AndRefusesAnotherAddressFamily)
{
    OfferAnswerSession alice("1"), bob("2");
    auto x = exchange(alice, phone("2001:db8::1", {audio(4000)}), bob, phone("2001:db8::2", {audio(5000)}));
    ASSERT_TRUE(x.ok) << x.error;
    EXPECT_EQ(x.offer.connection->addrType, "IP6");
    EXPECT_EQ(x.offer.origin.addrType, "IP6");
    EXPECT_EQ(x.offerer.streams[0].remoteAddress, "2001:db8::2");
    EXPECT_EQ(x.answerer.streams[0].remoteAddress, "2001:db8::1");

    OfferAnswerSession carol("3"), dave("4");
    auto y = exchange(carol, phone("2001:db8::1", {audio(4000)}), dave, phone("127.0.0.1", {audio(5000)}));
    EXPECT_FALSE(y.ok);
    EXPECT_EQ(y.error,
              "answer: no media stream can be accepted: m-line 0 (audio): the offer's address is IP6, ours "
              "is IP4");
}

TEST(SdpOfferAnswer, ApplyingAnAnswerChecksItAgainstOurOffer)
{
    const auto local = phone("127.0.0.1", {audio(4000, {pcmu(), dtmf()})});
    {
        OfferAnswerSession ours("1");
        ASSERT_TRUE(ours.createOffer(local));
        auto r = ours.receiveAnswer(parsed(kHead + "m=audio 6000 RTP/AVP 18 101\r\n"
                                                   "a=rtpmap:101 telephone-event/8000\r\n"));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message(), "m-line 0 (audio): the answer has no codec we offered");
        EXPECT_FALSE(ours.offerPending());
        EXPECT_FALSE(ours.negotiated());
    }
    {
        OfferAnswerSession ours("1");
        ASSERT_TRUE(ours.createOffer(local));
        auto r = ours.receiveAnswer(parsed(kHead + "m=audio 6000 RTP/AVP 0\r\nm=video 6002 RTP/AVP 31\r\n"));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message(), "the answer has 2 m-lines, our offer had 1 (RFC 3264 §6)");
    }
    {
        OfferAnswerSession ours("1");
        ASSERT_TRUE(ours.createOffer(local));
        auto r = ours.receiveAnswer(parsed(kHead + "m=audio 0 RTP/AVP 0\r\n"));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message(), "the answer accepts no media stream");
    }
    {
        OfferAnswerSession ours("1");
        auto r = ours.receiveAnswer(parsed(kHead + "m=audio 6000 RTP/AVP 0\r\n"));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message(), "no offer of ours is pending");
    }
    {
        // The answer may renumber a dynamic codec: we send with its number, receive with ours.
        OfferAnswerSession ours("1");
        ASSERT_TRUE(ours.createOffer(phone("127.0.0.1", {audio(4000, {opus(), dtmf()})})));
        auto r =
            ours.receiveAnswer(parsed(kHead + "m=audio 6000 RTP/AVP 98 100\r\na=rtpmap:98 OPUS/48000/2\r\n"
                                              "a=rtpmap:100 telephone-event/8000\r\na=ptime:40\r\n"));
        ASSERT_TRUE(r) << r.error().message();
        EXPECT_EQ(r->streams[0].sendCodec()->payloadType, 98);
        EXPECT_EQ(r->streams[0].recvCodecs[0].payloadType, 111);
        EXPECT_EQ(r->streams[0].sendTelephoneEvent()->payloadType, 100);
        EXPECT_EQ(r->streams[0].recvTelephoneEvent()->payloadType, 101);
        EXPECT_EQ(r->streams[0].remotePtime, std::chrono::milliseconds(40));
    }
}

TEST(SdpOfferAnswer, OfferCarriesPtimeBandwidthAndExtraAttributes)
{
    auto local = phone("127.0.0.1", {audio(4000)});
    local.streams[0].ptime = std::chrono::milliseconds(20);
    local.streams[0].bandwidthAs = 80;
    local.streams[0].extraAttributes.push_back(Attribute{"label", "1"});
    OfferAnswerSession ours("1");
    auto offer = ours.createOffer(local);
    ASSERT_TRUE(offer) << offer.error().message();
    EXPECT_EQ(offer->media[0].ptime(), std::chrono::milliseconds(20));
    EXPECT_EQ(offer->media[0].bandwidth("AS"), 80u);
    EXPECT_EQ(offer->media[0].find("label")->value, "1");
    EXPECT_EQ(offer->media[0].rtpmap(0)->encoding, "PCMU");
    EXPECT_EQ(offer->media[0].direction(), Direction::SendRecv);
}

TEST(SdpOfferAnswer, RejectsBadLocalInput)
{
    OfferAnswerSession ours("1");
    EXPECT_EQ(ours.createOffer(phone("not-an-ip", {audio(4000)})).error().message(),
              "local address 'not-an-ip' is not an IPv4 or IPv6 address");
    EXPECT_EQ(ours.createOffer(phone("127.0.0.1", {audio(4000, {})})).error().message(),
              "stream 'audio': no codecs");
    EXPECT_EQ(ours.createOffer(phone("127.0.0.1", {audio(4000, {Codec{"opus", 48000, 2, 0, ""}})}))
                  .error()
                  .message(),
              "stream 'audio': payload type 0 is PCMU/8000, not opus");
    EXPECT_EQ(ours.createOffer(phone("127.0.0.1", {audio(4000), audio(4002)})).error().message(),
              "stream ids must be unique and not empty");
    auto injected = phone("127.0.0.1", {audio(4000, {Codec{"PCMU", 8000, 1, 0, "x\r\na=evil"}})});
    EXPECT_EQ(ours.createOffer(injected).error().message(), "stream 'audio': codec 'PCMU' is not valid");
}

TEST(SdpOfferAnswer, AssignsFreeDynamicPayloadTypesWhenPreferencesClash)
{
    auto local =
        phone("127.0.0.1", {audio(4000, {Codec{"opus", 48000, 2, 96, ""}, Codec{"speex", 16000, 1, 96, ""},
                                         Codec{"iLBC", 8000, 1, -1, ""}, pcmu()})});
    OfferAnswerSession ours("1");
    auto offer = ours.createOffer(local);
    ASSERT_TRUE(offer) << offer.error().message();
    EXPECT_EQ(offer->media[0].formats, (std::vector<std::string>{"96", "97", "98", "0"}));
    EXPECT_EQ(offer->media[0].rtpmap(97)->encoding, "speex");
}

TEST(SdpOfferAnswer, AnswersLinphonesAudioAndVideoOffer)
{
    const auto offer = parsed(readCorpus("linphone-offer.sdp"));
    OfferAnswerSession ours("1");
    auto answer = ours.receiveOffer(
        offer, phone("127.0.0.1", {audio(4000, {opus(), pcmu(), dtmf()}), video(4002, {h264(), vp8()})}));
    ASSERT_TRUE(answer) << answer.error().message();
    const auto& a = answer->negotiated.streams[0];
    EXPECT_EQ(a.sendCodec()->payloadType, 96);
    EXPECT_EQ(a.sendCodec()->name, "opus");
    EXPECT_EQ(a.sendTelephoneEvent()->payloadType, 100); // the 8000 Hz one
    EXPECT_EQ(answer->sdp.media[0].formats, (std::vector<std::string>{"96", "0", "100"}));
    // H264 with packetization-mode 0 (linphone's default) does not match ours (mode 1): VP8.
    const auto& v = answer->negotiated.streams[1];
    EXPECT_TRUE(v.enabled);
    EXPECT_EQ(v.sendCodec()->name, "VP8");
    EXPECT_EQ(answer->sdp.media[1].formats, (std::vector<std::string>{"96"}));
}

TEST(SdpOfferAnswer, AnswersAsteriskAndSippOffers)
{
    OfferAnswerSession ours("1");
    auto a = ours.receiveOffer(parsed(readCorpus("asterisk-pjsip-answer.sdp")),
                               phone("127.0.0.1", {audio(4000, {g722(), pcma(), dtmf()})}));
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_EQ(a->negotiated.streams[0].sendCodec()->name, "PCMA");
    EXPECT_EQ(a->negotiated.streams[0].remotePtime, std::chrono::milliseconds(20));

    OfferAnswerSession other("1");
    auto s = other.receiveOffer(parsed(readCorpus("sipp-pcmu.sdp")), phone("127.0.0.1", {audio(4000)}));
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(s->negotiated.streams[0].remotePort, 6000);
    EXPECT_EQ(s->negotiated.streams[0].remoteRtcpPort, 6001);
    EXPECT_EQ(serialize(s->sdp), "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                 "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n");
}
