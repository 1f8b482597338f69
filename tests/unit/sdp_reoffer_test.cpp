// Re-offers within one session (RFC 3264 §8): hold and resume, new address/port, codec
// change, adding and removing streams with the m-line order rules, o= versions, glare.
#include "sdp_test_helpers.h"

using namespace vphone::sdp;
using namespace vphone::sdp::test;

namespace {

struct Call {
    OfferAnswerSession alice{"1111"};
    OfferAnswerSession bob{"2222"};
    LocalSession aLocal = phone("127.0.0.1", {audio(4000)});
    LocalSession bLocal = phone("127.0.0.2", {audio(5000), video(5002)});

    Exchange aliceOffers() { return exchange(alice, aLocal, bob, bLocal); }
    Exchange bobOffers() { return exchange(bob, bLocal, alice, aLocal); }
};

} // namespace

TEST(SdpReoffer, HoldAndResumeFlipDirectionsAndBumpTheVersion)
{
    Call c;
    auto first = c.aliceOffers();
    ASSERT_TRUE(first.ok) << first.error;
    EXPECT_EQ(first.offer.origin.sessionVersion, 1u);

    c.aLocal.streams[0].direction = Direction::SendOnly; // hold
    auto hold = c.aliceOffers();
    ASSERT_TRUE(hold.ok) << hold.error;
    EXPECT_EQ(hold.offer.origin.sessionId, "1111");
    EXPECT_EQ(hold.offer.origin.sessionVersion, 2u);
    EXPECT_EQ(hold.offer.media[0].direction(), Direction::SendOnly);
    EXPECT_EQ(hold.answer.media[0].direction(), Direction::RecvOnly);
    EXPECT_EQ(hold.offerer.streams[0].direction, Direction::SendOnly);
    EXPECT_EQ(hold.answerer.streams[0].direction, Direction::RecvOnly);
    // Bob's own description changed (recvonly), so his version went up too.
    EXPECT_EQ(hold.answer.origin.sessionVersion, first.answer.origin.sessionVersion + 1);

    c.aLocal.streams[0].direction = Direction::Inactive;
    auto inactive = c.aliceOffers();
    ASSERT_TRUE(inactive.ok) << inactive.error;
    EXPECT_EQ(inactive.answerer.streams[0].direction, Direction::Inactive);

    c.aLocal.streams[0].direction = Direction::SendRecv; // resume
    auto resume = c.aliceOffers();
    ASSERT_TRUE(resume.ok) << resume.error;
    EXPECT_EQ(resume.offer.origin.sessionVersion, 4u);
    EXPECT_EQ(resume.offerer.streams[0].direction, Direction::SendRecv);
    EXPECT_EQ(resume.answerer.streams[0].direction, Direction::SendRecv);
}

TEST(SdpReoffer, TheSameOfferAgainKeepsTheVersion)
{
    Call c;
    auto first = c.aliceOffers();
    ASSERT_TRUE(first.ok) << first.error;
    auto again = c.aliceOffers();
    ASSERT_TRUE(again.ok) << again.error;
    EXPECT_EQ(again.offer.origin.sessionVersion, first.offer.origin.sessionVersion);
    EXPECT_EQ(again.answer.origin.sessionVersion, first.answer.origin.sessionVersion);
    EXPECT_EQ(serialize(again.offer), serialize(first.offer));
}

TEST(SdpReoffer, NewAddressAndPortReachTheOtherSide)
{
    Call c;
    ASSERT_TRUE(c.aliceOffers().ok);
    c.aLocal.address = "127.0.0.9";
    c.aLocal.streams[0].port = 4100;
    auto moved = c.aliceOffers();
    ASSERT_TRUE(moved.ok) << moved.error;
    EXPECT_EQ(moved.answerer.streams[0].remoteAddress, "127.0.0.9");
    EXPECT_EQ(moved.answerer.streams[0].remotePort, 4100);
    EXPECT_EQ(c.bob.negotiated()->streams[0].remotePort, 4100);
}

TEST(SdpReoffer, CodecChangeKeepsPayloadNumbersBoundToTheirCodec)
{
    Call c;
    c.aLocal.streams[0].codecs = {opus(), pcmu(), dtmf()};
    c.bLocal.streams[0].codecs = {Codec{"opus", 48000, 2, 109, ""}, pcmu(), pcma(), dtmf()};
    auto first = c.aliceOffers();
    ASSERT_TRUE(first.ok) << first.error;
    EXPECT_EQ(first.answerer.streams[0].sendCodec()->name, "opus");
    EXPECT_EQ(first.answerer.streams[0].sendCodec()->payloadType, 111); // the offerer's number

    c.aLocal.streams[0].codecs = {pcma(), dtmf()};
    auto change = c.aliceOffers();
    ASSERT_TRUE(change.ok) << change.error;
    EXPECT_EQ(change.offerer.streams[0].sendCodec()->name, "PCMA");
    EXPECT_EQ(change.answerer.streams[0].sendCodec()->name, "PCMA");

    // Bob re-offers: he must keep opus at 111 in this m-line, not his preferred 109 (§8.3.2).
    auto bobs = exchange(c.bob, phone("127.0.0.2", {audio(5000, {Codec{"opus", 48000, 2, 109, ""}, pcmu()})}),
                         c.alice, phone("127.0.0.1", {audio(4000, {opus(), pcmu()})}));
    ASSERT_TRUE(bobs.ok) << bobs.error;
    EXPECT_EQ(bobs.offer.media[0].formats, (std::vector<std::string>{"111", "0"}));
}

TEST(SdpReoffer, AddingAndRemovingStreamsKeepsTheMLineOrder)
{
    Call c;
    ASSERT_TRUE(c.aliceOffers().ok);
    c.aLocal.streams.push_back(video(4002));
    auto added = c.aliceOffers();
    ASSERT_TRUE(added.ok) << added.error;
    ASSERT_EQ(added.offer.media.size(), 2u);
    EXPECT_EQ(added.offer.media[1].media, "video");
    EXPECT_TRUE(added.answerer.streams[1].enabled);
    EXPECT_EQ(added.answerer.streams[1].id, "video");
    EXPECT_EQ(added.offerer.find("video")->remotePort, 5002);

    c.aLocal.streams[1].port = 0; // remove video: port 0, the m-line stays (§8.2)
    auto removed = c.aliceOffers();
    ASSERT_TRUE(removed.ok) << removed.error;
    ASSERT_EQ(removed.offer.media.size(), 2u);
    EXPECT_EQ(removed.offer.media[1].port, 0);
    EXPECT_EQ(removed.answer.media[1].port, 0);
    EXPECT_FALSE(removed.answerer.streams[1].enabled);
    EXPECT_EQ(removed.answerer.streams[1].reason, "disabled by the offerer");
    EXPECT_TRUE(removed.offerer.streams[0].enabled);

    // A new stream takes the disabled m-line instead of growing the description (§8.1).
    c.aLocal.streams[1] = stream("screen", "video", 4010, {vp8()});
    auto reused = c.aliceOffers();
    ASSERT_TRUE(reused.ok) << reused.error;
    ASSERT_EQ(reused.offer.media.size(), 2u);
    EXPECT_EQ(reused.offer.media[1].port, 4010);
    EXPECT_EQ(reused.offerer.streams[1].id, "screen");
    EXPECT_TRUE(reused.answerer.streams[1].enabled);

    // A third stream goes at the end.
    c.aLocal.streams.push_back(stream("audio2", "audio", 4020, {pcmu()}));
    c.bLocal.streams.push_back(stream("audio2", "audio", 5020, {pcmu()}));
    auto third = c.aliceOffers();
    ASSERT_TRUE(third.ok) << third.error;
    ASSERT_EQ(third.offer.media.size(), 3u);
    EXPECT_EQ(third.offer.media[2].port, 4020);
    EXPECT_EQ(third.answerer.streams[2].remotePort, 4020);
    EXPECT_EQ(third.answer.media[2].port, 5020);
}

TEST(SdpReoffer, TheAnswererKeepsStreamsWhereTheyWereAndRefusesBrokenReoffers)
{
    Call c;
    c.aLocal.streams.push_back(video(4002));
    auto first = c.aliceOffers();
    ASSERT_TRUE(first.ok) << first.error;

    OfferAnswerSession& bob = c.bob;
    auto shrunk = first.offer;
    shrunk.origin.sessionVersion += 1;
    shrunk.media.pop_back();
    EXPECT_EQ(bob.receiveOffer(shrunk, c.bLocal).error().message(),
              "the offer has 1 m-lines, the session has 2 (RFC 3264 §8: m-lines are never removed)");

    auto swapped = first.offer;
    swapped.origin.sessionVersion += 1;
    std::swap(swapped.media[0], swapped.media[1]);
    EXPECT_EQ(bob.receiveOffer(swapped, c.bLocal).error().message(),
              "m-line 0 changed from audio to video (RFC 3264 §8)");

    auto older = first.offer;
    older.origin.sessionVersion = 0;
    EXPECT_EQ(bob.receiveOffer(older, c.bLocal).error().message(), "o=: sess-version went back from 1 to 0");

    // The failed attempts left the session as it was.
    EXPECT_EQ(bob.negotiated()->streams.size(), 2u);
    EXPECT_TRUE(c.aliceOffers().ok);
}

TEST(SdpReoffer, GlareAndRejectedOffersLeaveTheSessionAsItWas)
{
    Call c;
    ASSERT_TRUE(c.aliceOffers().ok);
    ASSERT_TRUE(c.alice.createOffer(c.aLocal));
    EXPECT_EQ(c.alice.createOffer(c.aLocal).error().message(), "an offer is already pending");
    auto bobOffer = c.bob.createOffer(c.bLocal);
    ASSERT_TRUE(bobOffer);
    EXPECT_EQ(c.alice.receiveOffer(*bobOffer, c.aLocal).error().message(),
              "an offer of ours is pending (glare: answer 491)");
    c.alice.cancelOffer();
    c.bob.cancelOffer();
    EXPECT_FALSE(c.alice.offerPending());

    // Bob's re-offer adds video, which Alice does not have: it is refused with port 0, audio stays.
    auto x = c.bobOffers();
    ASSERT_TRUE(x.ok) << x.error;
    ASSERT_EQ(x.answer.media.size(), 2u);
    EXPECT_EQ(x.answer.media[1].port, 0);
    EXPECT_EQ(x.offerer.streams[1].reason, "refused by the answerer");
    EXPECT_TRUE(x.offerer.streams[0].enabled);
}

TEST(SdpReoffer, RemoteHoldIsSeenByTheAnswerer)
{
    Call c;
    ASSERT_TRUE(c.aliceOffers().ok);
    c.bLocal.streams[0].direction = Direction::SendOnly;
    auto hold = c.bobOffers();
    ASSERT_TRUE(hold.ok) << hold.error;
    EXPECT_EQ(hold.answerer.streams[0].direction, Direction::RecvOnly); // alice only listens
    EXPECT_EQ(c.alice.negotiated()->streams[0].direction, Direction::RecvOnly);
    c.bLocal.streams[0].direction = Direction::SendRecv;
    auto resume = c.bobOffers();
    ASSERT_TRUE(resume.ok) << resume.error;
    EXPECT_EQ(resume.answerer.streams[0].direction, Direction::SendRecv);
}
