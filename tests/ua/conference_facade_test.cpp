// The Phone's conference (core/ua/conference.cpp, RFC 4579 §5 focus, RFC 4575 roster) with every
// party a Phone on 127.0.0.1 (ports 6140-6159): calls merged by add() (one of them held), a
// focus INVITE from invite(), a member leaving, a member's REFER adding a third party, remove(),
// end(), auto-answer, and the commands refused. The peers' side is read from their UaDriver
// (the isfocus Contact, the REFER's NOTIFYs) and a fifth phone watches the roster through the
// conference event package. Part of vphone_facade_tests (facade_test.cpp has main()).
#include "facade_test_util.h"
#include "ua/conference.h"
#include "ua/conference_info.h"
#include "ua/phone.h"
#include "ua/ua_driver.h"

#include <gtest/gtest.h>

using namespace vphone;
using ua::Call;
using ua::Conference;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

/// What a peer's driver reports: its calls' handles and whether the focus's Contact said isfocus.
struct PeerView {
    QList<sip::CallHandle> confirmed;
    QHash<sip::CallHandle, bool> focusOnConfirm;
    QHash<sip::CallHandle, bool> focusOnReinvite;
    QList<sip::ReferProgress> refer;

    explicit PeerView(TestPhone& p)
    {
        auto& d = p.phone.driver();
        QObject::connect(&d, &ua::UaDriver::callStateChanged,
                         [this](ua::AccountId, const sip::CallStateChanged& e) {
                             if (e.state != sip::CallState::Confirmed) return;
                             confirmed.append(e.call);
                             focusOnConfirm.insert(e.call, e.remoteFocus);
                         });
        QObject::connect(&d, &ua::UaDriver::callModified, [this](ua::AccountId, const sip::CallModified& e) {
            if (e.origin == sip::ModifyOrigin::Remote && e.code / 100 == 2)
                focusOnReinvite.insert(e.call, e.remoteFocus);
        });
        QObject::connect(&d, &ua::UaDriver::referProgress,
                         [this](ua::AccountId, const sip::ReferProgress& e) { refer.append(e); });
    }
};

/// A watcher of the conference package (the driver's subscribe(): the Phone has no API for it).
struct RosterWatch {
    QList<ua::ConferenceInfo> notified;
    QStringList states;
    bool ended = false;
    sip::SubscriptionHandle handle = 0;

    RosterWatch(TestPhone& p, const QString& uri)
    {
        auto& d = p.phone.driver();
        QObject::connect(&d, &ua::UaDriver::subscriptionNotified,
                         [this](ua::AccountId, const sip::SubscriptionNotified& e) {
                             if (e.subscription != handle) return;
                             states << QString::number(static_cast<int>(e.state));
                             if (e.body.empty()) return;
                             auto info = ua::parseConferenceInfo(QByteArray::fromStdString(e.body));
                             EXPECT_TRUE(info);
                             if (info) notified.append(*info);
                         });
        QObject::connect(&d, &ua::UaDriver::subscriptionEnded,
                         [this](ua::AccountId, const sip::SubscriptionEnded& e) {
                             if (e.subscription == handle) ended = true;
                         });
        handle = d.subscribe(*sip::parseUri(uri.toStdString()), "conference",
                             "application/conference-info+xml", 600);
    }
    /// The last roster's user statuses in order ("connected", "disconnected").
    QStringList statuses() const
    {
        QStringList out;
        if (notified.isEmpty()) return out;
        for (const auto& r : ua::rosterOf(notified.back()))
            out << r.status;
        return out;
    }
};

/// The host calls `peer` and it answers: the host's call and the peer's, both Active.
std::pair<Call*, Call*> connect(TestPhone& host, TestPhone& peer, quint16 port, const char* user)
{
    Call* out = host.phone.call(QStringLiteral("sip:%1@127.0.0.1:%2").arg(QLatin1String(user)).arg(port));
    EXPECT_NE(out, nullptr);
    if (!out) return {nullptr, nullptr};
    const auto before = peer.incoming.size();
    EXPECT_TRUE(waitFor([&] { return peer.incoming.size() > before; }));
    if (peer.incoming.size() <= before) return {out, nullptr};
    Call* in = peer.incoming.back();
    in->answer();
    EXPECT_TRUE(
        waitFor([&] { return out->state() == Call::State::Active && in->state() == Call::State::Active; }));
    return {out, in};
}

struct ConferenceLog {
    QList<Call*> joined, left;
    QList<std::tuple<Call*, Call*, QString>> addRequested;
    int ended = 0;

    explicit ConferenceLog(Conference* c)
    {
        QObject::connect(c, &Conference::memberJoined, [this](Call* call) { joined.append(call); });
        QObject::connect(c, &Conference::memberLeft, [this](Call* call) { left.append(call); });
        QObject::connect(c, &Conference::addRequested,
                         [this](Call* referrer, Call* placed, const QString& uri) {
                             addRequested.append({referrer, placed, uri});
                         });
        QObject::connect(c, &Conference::ended, [this] { ++ended; });
    }
};

} // namespace

TEST(FacadeConference, MergeInviteLeaveReferRemoveAndEnd)
{
    TestPhone host, p1, p2, p3, p4, watcher;
    ASSERT_TRUE(host.start(6140));
    ASSERT_TRUE(p1.start(6141));
    ASSERT_TRUE(p2.start(6142));
    ASSERT_TRUE(p3.start(6143));
    ASSERT_TRUE(p4.start(6144));
    ASSERT_TRUE(watcher.start(6145));
    PeerView v1(p1), v2(p2), v3(p3), v4(p4);
    Conference* conf = host.phone.conference();
    ASSERT_NE(conf, nullptr);
    EXPECT_EQ(host.phone.property("conference").value<Conference*>(), conf);
    EXPECT_FALSE(conf->active());
    EXPECT_EQ(conf->uri(), QStringLiteral("sip:conference@127.0.0.1:6140"));
    ConferenceLog log(conf);

    auto [h1, c1] = connect(host, p1, 6141, "alice");
    auto [h2, c2] = connect(host, p2, 6142, "bob");
    ASSERT_TRUE(h1 && c1 && h2 && c2);
    ASSERT_EQ(v1.confirmed.size(), 1);
    EXPECT_FALSE(v1.focusOnConfirm.value(v1.confirmed[0])); // a plain call so far
    h2->hold();
    ASSERT_TRUE(waitFor([&] { return h2->state() == Call::State::Held; }));

    // add(): one Active (a refresh re-INVITE), one Held (resumed by the same re-INVITE).
    ASSERT_TRUE(conf->add(h1));
    ASSERT_TRUE(conf->add(h2));
    EXPECT_TRUE(conf->active());
    EXPECT_EQ(conf->pending().size(), 2);
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 2; }));
    EXPECT_EQ(conf->members(), (QList<Call*>{h1, h2}));
    EXPECT_TRUE(conf->pending().isEmpty());
    EXPECT_EQ(h2->state(), Call::State::Active);
    EXPECT_EQ(log.joined, (QList<Call*>{h1, h2}));
    // The peers learnt the focus from the re-INVITE's Contact (RFC 4579 §5.3).
    EXPECT_TRUE(v1.focusOnReinvite.value(v1.confirmed[0]));
    ASSERT_EQ(v2.confirmed.size(), 1);
    EXPECT_TRUE(v2.focusOnReinvite.value(v2.confirmed[0]));
    EXPECT_FALSE(conf->add(h1)); // already in
    ASSERT_EQ(host.problems.size(), 1);
    EXPECT_TRUE(host.problems[0].contains(QStringLiteral("already"))) << host.problems[0].toStdString();
    host.problems.clear();

    // A subscriber to the conference package gets the roster: host + 2.
    RosterWatch watch(watcher, conf->uri());
    ASSERT_TRUE(waitFor([&] { return !watch.notified.isEmpty(); }));
    EXPECT_EQ(watch.notified.back().entity, conf->uri());
    EXPECT_EQ(watch.notified.back().version, static_cast<unsigned>(conf->version()));
    ASSERT_EQ(watch.notified.back().users.size(), 3);
    EXPECT_EQ(watch.notified.back().users[0].entity, QStringLiteral("sip:vphone@127.0.0.1:6140"));
    EXPECT_EQ(watch.notified.back().users[1].entity, QStringLiteral("sip:alice@127.0.0.1:6141"));
    EXPECT_EQ(watch.notified.back().users[2].entity, QStringLiteral("sip:bob@127.0.0.1:6142"));
    EXPECT_EQ(watch.statuses(), (QStringList{"connected", "connected", "connected"}));

    // invite(): the INVITE itself carries isfocus; a member once answered.
    Call* h3 = conf->invite(QStringLiteral("sip:carol@127.0.0.1:6143"));
    ASSERT_NE(h3, nullptr);
    EXPECT_EQ(conf->pending(), QList<Call*>{h3});
    ASSERT_TRUE(waitFor([&] { return !p3.incoming.isEmpty(); }));
    p3.incoming.front()->answer();
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 3; }));
    ASSERT_EQ(v3.confirmed.size(), 1);
    EXPECT_TRUE(v3.focusOnConfirm.value(v3.confirmed[0]));
    ASSERT_TRUE(waitFor([&] { return watch.notified.back().users.size() == 4; }));

    // P2 hangs up: it leaves and stays in the roster, disconnected.
    c2->hangUp();
    ASSERT_TRUE(waitFor([&] { return log.left.size() == 1; }));
    EXPECT_EQ(log.left[0], h2);
    EXPECT_EQ(conf->members(), (QList<Call*>{h1, h3}));
    EXPECT_TRUE(conf->active());
    ASSERT_TRUE(waitFor([&] { return watch.statuses().value(2) == QStringLiteral("disconnected"); }));
    EXPECT_EQ(watch.statuses(), (QStringList{"connected", "connected", "disconnected", "connected"}));

    // P1 asks the focus (REFER in its call) to add P4: the host invites it, P1's call stays.
    p1.phone.driver().refer(v1.confirmed[0], *sip::parseUri("sip:dave@127.0.0.1:6144"), {});
    ASSERT_TRUE(waitFor([&] { return !p4.incoming.isEmpty(); }));
    ASSERT_EQ(log.addRequested.size(), 1);
    EXPECT_EQ(std::get<0>(log.addRequested[0]), h1);
    Call* h4 = std::get<1>(log.addRequested[0]);
    EXPECT_EQ(std::get<2>(log.addRequested[0]), QStringLiteral("sip:dave@127.0.0.1:6144"));
    EXPECT_TRUE(conf->pending().contains(h4));
    EXPECT_TRUE(p4.incoming.front()->remoteUri().contains(QStringLiteral("6140")));
    p4.incoming.front()->answer();
    ASSERT_TRUE(
        waitFor([&] { return conf->members().size() == 3 && !v1.refer.isEmpty() && v1.refer.back().final; }));
    EXPECT_EQ(conf->members(), (QList<Call*>{h1, h3, h4}));
    EXPECT_EQ(v1.refer.back().sipfragCode, 200); // NOTIFYed like a transferee's call
    ASSERT_EQ(v4.confirmed.size(), 1);
    EXPECT_TRUE(v4.focusOnConfirm.value(v4.confirmed[0]));
    EXPECT_EQ(h1->state(), Call::State::Active); // no transfer: the referrer stays
    EXPECT_EQ(c1->state(), Call::State::Active);
    EXPECT_TRUE(host.problems.isEmpty()) << host.problems.join(QLatin1Char('\n')).toStdString();

    // remove(): BYE to P1, out at once.
    EXPECT_TRUE(conf->remove(h1));
    EXPECT_EQ(log.left.size(), 2);
    EXPECT_EQ(log.left.back(), h1);
    ASSERT_TRUE(waitFor([&] { return c1->state() == Call::State::Ended; }));
    EXPECT_FALSE(conf->remove(h1)); // not a member any more
    ASSERT_TRUE(waitFor([&] { return watch.statuses().value(1) == QStringLiteral("disconnected"); }));
    EXPECT_EQ(watch.statuses(),
              (QStringList{"connected", "disconnected", "disconnected", "connected", "connected"}));

    // end(): everyone hung up, inactive, ended() once, the watcher's subscription over.
    conf->end();
    EXPECT_FALSE(conf->active());
    EXPECT_EQ(log.ended, 1);
    EXPECT_TRUE(conf->members().isEmpty());
    EXPECT_EQ(log.left.size(), 4);
    ASSERT_TRUE(waitFor([&] {
        return h3->isEnded() && h4->isEnded() && p3.incoming.front()->isEnded() &&
               p4.incoming.front()->isEnded() && watch.ended;
    }));
    // Versions only grew; the last document served had everyone out.
    for (qsizetype i = 1; i < watch.notified.size(); ++i)
        EXPECT_GT(watch.notified[i].version, watch.notified[i - 1].version);
    EXPECT_EQ(conf->roster().connectedCount(), 0);
    EXPECT_EQ(log.ended, 1);
}

TEST(FacadeConference, AutoAnswerTakesIncomingCallsInAndTheLastLeaverEndsIt)
{
    TestPhone host, p1;
    ASSERT_TRUE(host.start(6150));
    ASSERT_TRUE(p1.start(6151));
    PeerView v1(p1);
    Conference* conf = host.phone.conference();
    ConferenceLog log(conf);
    conf->setAutoAnswer(true);
    Call* out = p1.phone.call(QStringLiteral("sip:conf@127.0.0.1:6150"));
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active && conf->members().size() == 1; }));
    EXPECT_TRUE(conf->active());
    ASSERT_EQ(v1.confirmed.size(), 1);
    EXPECT_TRUE(v1.focusOnConfirm.value(v1.confirmed[0])); // the 200's Contact said isfocus
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return log.ended == 1; }));
    EXPECT_FALSE(conf->active());
    EXPECT_EQ(log.left.size(), 1);
}

TEST(FacadeConference, RefusesCallsThatAreNotUp)
{
    TestPhone host, p1;
    ASSERT_TRUE(host.start(6155));
    ASSERT_TRUE(p1.start(6156));
    Conference* conf = host.phone.conference();
    EXPECT_FALSE(conf->add(nullptr));
    Call* ringing = host.phone.call(QStringLiteral("sip:alice@127.0.0.1:6156"));
    ASSERT_NE(ringing, nullptr);
    ASSERT_TRUE(waitFor([&] { return ringing->state() == Call::State::Ringing; }));
    const auto problemsBefore = host.problems.size();
    EXPECT_FALSE(conf->add(ringing));
    EXPECT_GT(host.problems.size(), problemsBefore);
    EXPECT_FALSE(conf->active());
    ringing->hangUp();
    ASSERT_TRUE(waitFor([&] { return ringing->isEnded(); }));
    EXPECT_FALSE(conf->add(ringing));
    EXPECT_FALSE(conf->remove(ringing));
    EXPECT_EQ(conf->invite(QStringLiteral("not a uri")), nullptr);
    EXPECT_FALSE(conf->active());
    conf->end(); // nothing to end: no signal, no crash
    EXPECT_FALSE(conf->active());
}

TEST(FacadeConference, ARefusedInviteLeavesNothingBehind)
{
    TestPhone host, p1;
    ASSERT_TRUE(host.start(6157));
    ASSERT_TRUE(p1.start(6158));
    Conference* conf = host.phone.conference();
    ConferenceLog log(conf);
    Call* out = conf->invite(QStringLiteral("sip:busy@127.0.0.1:6158"));
    ASSERT_NE(out, nullptr);
    EXPECT_TRUE(conf->active());
    EXPECT_EQ(conf->pending(), QList<Call*>{out});
    ASSERT_TRUE(waitFor([&] { return !p1.incoming.isEmpty(); }));
    p1.incoming.front()->reject(486);
    ASSERT_TRUE(waitFor([&] { return log.ended == 1; }));
    EXPECT_EQ(out->code(), 486);
    EXPECT_TRUE(conf->pending().isEmpty());
    EXPECT_TRUE(log.joined.isEmpty());
    EXPECT_TRUE(log.left.isEmpty()); // it never joined: no media to take out
    EXPECT_FALSE(conf->active());
    // A new conference starts afresh: the roster's versions from 1 again.
    Call* again = conf->invite(QStringLiteral("sip:busy@127.0.0.1:6158"));
    ASSERT_NE(again, nullptr);
    EXPECT_TRUE(conf->active());
    EXPECT_EQ(conf->version(), 1);
    conf->end();
    EXPECT_EQ(log.ended, 2);
    ASSERT_TRUE(waitFor([&] { return again->isEnded(); }));
}

// RFC 4579 §5.6: a member's REFER with Refer-To <member;method=BYE> makes the focus hang that
// member up (200 sipfrag); an address that is no member gets 404 and nobody leaves (SIP 6160-6162).
TEST(FacadeConference, AMembersReferWithMethodByeRemovesAnother)
{
    TestPhone host, p1, p2;
    ASSERT_TRUE(host.start(6160));
    ASSERT_TRUE(p1.start(6161));
    ASSERT_TRUE(p2.start(6162));
    PeerView v1(p1);
    Conference* conf = host.phone.conference();
    ConferenceLog log(conf);
    conf->setAutoAnswer(true);
    Call* out1 = p1.phone.call(QStringLiteral("sip:conf@127.0.0.1:6160"));
    Call* out2 = p2.phone.call(QStringLiteral("sip:conf@127.0.0.1:6160"));
    ASSERT_TRUE(out1 && out2);
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 2 && v1.confirmed.size() == 1; }));
    Call* member2 = nullptr;
    for (Call* m : conf->members()) {
        if (m->remoteUri().endsWith(QStringLiteral(":6162"))) member2 = m;
    }
    ASSERT_NE(member2, nullptr) << conf->members()[0]->remoteUri().toStdString();

    // Nobody at that address: 404, both stay.
    p1.phone.driver().refer(v1.confirmed[0], *sip::parseUri("sip:nobody@127.0.0.1:6199;method=BYE"), {});
    ASSERT_TRUE(waitFor([&] { return !v1.refer.isEmpty() && v1.refer.back().final; }));
    EXPECT_EQ(v1.refer.back().sipfragCode, 404);
    EXPECT_EQ(conf->members().size(), 2);

    // p2's address with method=BYE: the focus sends p2 its BYE and NOTIFYs p1 200; p1 stays.
    v1.refer.clear();
    p1.phone.driver().refer(
        v1.confirmed[0], *sip::parseUri((member2->remoteUri() + QStringLiteral(";method=BYE")).toStdString()),
        {});
    ASSERT_TRUE(waitFor([&] { return out2->isEnded() && !v1.refer.isEmpty() && v1.refer.back().final; }));
    EXPECT_EQ(v1.refer.back().sipfragCode, 200);
    EXPECT_EQ(log.left, QList<Call*>{member2});
    EXPECT_EQ(conf->members().size(), 1);
    EXPECT_TRUE(log.addRequested.isEmpty()); // no one was invited
    EXPECT_EQ(out1->state(), Call::State::Active);
    conf->end();
}
