// Joining a conference hosted elsewhere through the Phone facade (core/ua/phone_conference_watch.cpp,
// RFC 4579 as a participant, RFC 4575 roster): every party a Phone on 127.0.0.1, SIP 6280-6299.
// The host is a Phone whose Conference answers calls by itself; the participants' Calls say
// conference(), show the roster live (joins, a leaver disconnected), ask the focus to add a third
// party (REFER, §5.5) and stay up; a plain call merged later learns the focus from the re-INVITE;
// a NOTIFY with broken XML (the host's driver made to serve it) is a problem() and changes
// nothing, and so does a stale version.
#include "facade_test_util.h"
#include "ua/conference.h"
#include "ua/conference_info.h"
#include "ua/phone.h"
#include "ua/ua_driver.h"

#include <QVariantMap>

#include <gtest/gtest.h>

using namespace vphone;
using ua::Call;
using ua::Conference;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

/// "uri status" per roster row, in order.
QStringList rows(const Call* c)
{
    QStringList out;
    for (const QVariant& v : c->roster()) {
        const QVariantMap m = v.toMap();
        out << m.value(QStringLiteral("uri")).toString() + QLatin1Char(' ') +
                   m.value(QStringLiteral("status")).toString();
    }
    return out;
}

/// Counts a call's conferenceChanged / rosterChanged and records conferenceAddProgress.
struct CallLog {
    int conferenceChanged = 0;
    int rosterChanged = 0;
    QList<int> addCodes;

    explicit CallLog(Call* c)
    {
        QObject::connect(c, &Call::conferenceChanged, [this] { ++conferenceChanged; });
        QObject::connect(c, &Call::rosterChanged, [this] { ++rosterChanged; });
        QObject::connect(c, &Call::conferenceAddProgress,
                         [this](int code, const QString&) { addCodes << code; });
    }
};

/// `p` calls the host's conference; true once its call is Active.
Call* join(TestPhone& p, quint16 hostPort)
{
    Call* c = p.phone.call(QStringLiteral("sip:conference@127.0.0.1:%1").arg(hostPort));
    EXPECT_NE(c, nullptr);
    if (!c) return nullptr;
    EXPECT_TRUE(waitFor([&] { return c->state() == Call::State::Active; }));
    return c;
}

QString connected(const QString& uri)
{
    return uri + QStringLiteral(" connected");
}

} // namespace

TEST(ConferenceParticipant, CallsSeeTheRosterLiveAndAskTheFocusToAddSomeone)
{
    TestPhone host, p1, p2, p3;
    ASSERT_TRUE(host.start(6280));
    ASSERT_TRUE(p1.start(6281));
    ASSERT_TRUE(p2.start(6282));
    ASSERT_TRUE(p3.start(6283));
    Conference* conf = host.phone.conference();
    conf->setAutoAnswer(true);
    const QString hostUser = QStringLiteral("sip:vphone@127.0.0.1:6280");

    Call* c1 = join(p1, 6280);
    ASSERT_NE(c1, nullptr);
    CallLog log1(c1);
    EXPECT_TRUE(c1->isConference()); // the 200's Contact said isfocus
    EXPECT_TRUE(c1->property("conference").toBool());
    ASSERT_TRUE(waitFor([&] { return c1->roster().size() == 2; }));
    ASSERT_EQ(conf->members().size(), 1);
    const QString u1 = conf->members()[0]->remoteUri();
    EXPECT_EQ(rows(c1), (QStringList{connected(hostUser), connected(u1)}));
    const QVariantMap first = c1->roster()[0].toMap();
    EXPECT_EQ(first.value(QStringLiteral("media")).toString(), QStringLiteral("audio"));
    EXPECT_TRUE(first.contains(QStringLiteral("name")));

    // The second joins: both rosters show the host and both participants, connected.
    Call* c2 = join(p2, 6280);
    ASSERT_NE(c2, nullptr);
    EXPECT_TRUE(c2->isConference());
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 2; }));
    const QString u2 = conf->members()[1]->remoteUri();
    const QStringList three{connected(hostUser), connected(u1), connected(u2)};
    ASSERT_TRUE(waitFor([&] { return rows(c1) == three && rows(c2) == three; }))
        << rows(c1).join(u',').toStdString();
    EXPECT_GE(log1.rosterChanged, 1);

    // P1 asks the focus to add P3 (REFER in its dialog): the host invites it, P1 stays.
    EXPECT_TRUE(c1->addToConference(QStringLiteral("sip:carol@127.0.0.1:6283")));
    EXPECT_EQ(c1->conferenceAddState(), Call::TransferState::Trying);
    ASSERT_TRUE(waitFor([&] { return !p3.incoming.isEmpty(); }));
    Call* in3 = p3.incoming.front();
    EXPECT_TRUE(in3->remoteUri().contains(QStringLiteral("127.0.0.1:6280")))
        << in3->remoteUri().toStdString();
    EXPECT_FALSE(c1->addToConference(QStringLiteral("sip:dave@127.0.0.1:6284"))); // one at a time
    EXPECT_TRUE(p1.problems.join(u'\n').contains(QStringLiteral("under way")));
    p1.problems.clear();
    in3->answer();
    ASSERT_TRUE(waitFor([&] { return c1->conferenceAddState() == Call::TransferState::Done; }));
    EXPECT_EQ(log1.addCodes.value(0), 0);   // REFER sent
    EXPECT_EQ(log1.addCodes.value(1), 202); // accepted
    EXPECT_EQ(log1.addCodes.back(), 200);   // the focus's INVITE was answered
    EXPECT_TRUE(in3->isConference());       // the focus's INVITE said isfocus
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 3 && rows(c1).size() == 4; }));
    const QString u3 = conf->members()[2]->remoteUri();
    EXPECT_EQ(rows(c1), (QStringList{connected(hostUser), connected(u1), connected(u2), connected(u3)}));
    ASSERT_TRUE(waitFor([&] { return rows(in3) == rows(c1); }));
    EXPECT_EQ(c1->state(), Call::State::Active); // a conference add, not a transfer
    EXPECT_EQ(c1->transferState(), Call::TransferState::None);

    // P2 leaves: the others see it disconnected; P2's own roster stays as it was.
    const QStringList p2Last = rows(c2);
    c2->hangUp();
    ASSERT_TRUE(waitFor([&] { return c2->isEnded(); }));
    const QStringList afterLeave{connected(hostUser), connected(u1), u2 + QStringLiteral(" disconnected"),
                                 connected(u3)};
    ASSERT_TRUE(waitFor([&] { return rows(c1) == afterLeave && rows(in3) == afterLeave; }))
        << rows(c1).join(u',').toStdString();
    EXPECT_EQ(rows(c2), p2Last);
    EXPECT_TRUE(c2->isConference());                                              // as last known
    EXPECT_FALSE(c2->addToConference(QStringLiteral("sip:dave@127.0.0.1:6284"))); // ended
    EXPECT_EQ(log1.conferenceChanged, 0); // it was a conference from the start

    EXPECT_TRUE(p1.problems.isEmpty()) << p1.problems.join(u'\n').toStdString();
    EXPECT_EQ(p2.problems, QStringList{QStringLiteral("add to conference: the call is not up")});
    EXPECT_TRUE(p3.problems.isEmpty()) << p3.problems.join(u'\n').toStdString();
    conf->end();
    ASSERT_TRUE(waitFor([&] { return c1->isEnded() && in3->isEnded(); }));
}

TEST(ConferenceParticipant, APlainCallMergedLaterLearnsTheFocusFromTheReinvite)
{
    TestPhone host, p1;
    ASSERT_TRUE(host.start(6285));
    ASSERT_TRUE(p1.start(6286));
    Call* out = host.phone.call(QStringLiteral("sip:alice@127.0.0.1:6286"));
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return !p1.incoming.isEmpty(); }));
    Call* in = p1.incoming.front();
    CallLog log(in);
    in->answer();
    ASSERT_TRUE(
        waitFor([&] { return out->state() == Call::State::Active && in->state() == Call::State::Active; }));
    EXPECT_FALSE(in->isConference());
    EXPECT_TRUE(in->roster().isEmpty());
    // Not a focus: no REFER goes (it would be a transfer).
    EXPECT_FALSE(in->addToConference(QStringLiteral("sip:bob@127.0.0.1:6287")));
    ASSERT_EQ(p1.problems.size(), 1);
    EXPECT_TRUE(p1.problems[0].contains(QStringLiteral("not a conference focus")))
        << p1.problems[0].toStdString();
    p1.problems.clear();
    EXPECT_EQ(in->conferenceAddState(), Call::TransferState::None);

    ASSERT_TRUE(host.phone.conference()->add(out)); // RFC 4579 §5.3: a re-INVITE with isfocus
    ASSERT_TRUE(waitFor([&] { return in->isConference() && in->roster().size() == 2; }));
    EXPECT_EQ(log.conferenceChanged, 1);
    EXPECT_EQ(rows(in), (QStringList{connected(QStringLiteral("sip:vphone@127.0.0.1:6285")),
                                     connected(out->remoteUri())}));
    EXPECT_FALSE(in->addToConference(QStringLiteral("not a uri")));
    EXPECT_EQ(p1.problems.size(), 1);
    EXPECT_EQ(in->conferenceAddState(), Call::TransferState::None);
    in->hangUp();
    ASSERT_TRUE(waitFor([&] { return out->isEnded(); }));
}

TEST(ConferenceParticipant, ABrokenOrStaleNotifyIsNotApplied)
{
    TestPhone host, p1;
    ASSERT_TRUE(host.start(6290));
    ASSERT_TRUE(p1.start(6291));
    Conference* conf = host.phone.conference();
    conf->setAutoAnswer(true);
    Call* c = join(p1, 6290);
    ASSERT_NE(c, nullptr);
    ASSERT_TRUE(waitFor([&] { return c->roster().size() == 2; }));
    CallLog log(c);
    const QStringList before = rows(c);
    ua::ConferenceInfo info = conf->roster().info(); // as served now
    ASSERT_EQ(info.users.size(), 2);
    ASSERT_FALSE(info.users[0].endpoints.isEmpty());

    // The focus serves a body that is not well-formed XML (as tests/interop/conference/
    // focus_notify.xml does from SIPp): reported, not applied.
    host.phone.driver().setConferenceDocument(
        "application/conference-info+xml",
        "<?xml version=\"1.0\"?><conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
        "entity=\"sip:conference@127.0.0.1:6290\" state=\"full\" version=\"50\"><users><user "
        "entity=\"sip:x@y\">");
    ASSERT_TRUE(waitFor([&] { return !p1.problems.isEmpty(); }));
    EXPECT_TRUE(p1.problems[0].contains(QStringLiteral("not applied"))) << p1.problems[0].toStdString();
    EXPECT_EQ(rows(c), before);

    // A well-formed document no newer than the roster held: ignored, silently.
    info.users[0].endpoints[0].status = QStringLiteral("disconnected");
    host.phone.driver().setConferenceDocument("application/conference-info+xml",
                                              ua::writeConferenceInfo(info).toStdString());
    // A newer one after it is applied: so the stale one had come first and been dropped.
    info.users[0].endpoints[0].status = QStringLiteral("on-hold");
    info.version = 60;
    host.phone.driver().setConferenceDocument("application/conference-info+xml",
                                              ua::writeConferenceInfo(info).toStdString());
    ASSERT_TRUE(waitFor([&] { return log.rosterChanged == 1; }));
    EXPECT_EQ(rows(c).size(), 2);
    EXPECT_TRUE(rows(c)[0].endsWith(QStringLiteral(" on-hold"))) << rows(c).join(u',').toStdString();
    EXPECT_EQ(p1.problems.size(), 1) << p1.problems.join(u'\n').toStdString();
    c->hangUp();
    ASSERT_TRUE(waitFor([&] { return !conf->active(); }));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
