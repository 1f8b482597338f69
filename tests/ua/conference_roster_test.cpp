// ConferenceRoster (core/ua/conference_roster.h): the focus's roster document read back with
// parseConferenceInfo(): the host first, members in joining order with their status and media,
// versions counting up, a rejoin updating in place and clear() restarting at version 1.
#include "ua/conference_roster.h"

#include <gtest/gtest.h>

using namespace vphone::ua;

namespace {

ConferenceInfo parsed(const QByteArray& body)
{
    QString error;
    auto info = parseConferenceInfo(body, &error);
    EXPECT_TRUE(info) << error.toStdString();
    return info.value_or(ConferenceInfo{});
}

QStringList mediaTypes(const ConferenceEndpoint& ep)
{
    QStringList out;
    for (const auto& m : ep.media) {
        EXPECT_EQ(m.status, "sendrecv");
        out << m.type;
    }
    return out;
}

} // namespace

TEST(ConferenceRoster, HostFirstThenMembersInJoiningOrder)
{
    ConferenceRoster r;
    r.setEntity("sip:conference@127.0.0.1:6140");
    r.setSubject("weekly");
    r.setHost("sip:host@127.0.0.1", "Host", false);
    r.upsert(7, {"sip:bob@127.0.0.1", "Bob", true, false});
    r.upsert(3, {"sip:carol@127.0.0.1", "", true, true});
    EXPECT_EQ(r.version(), 0);
    const auto info = parsed(r.document());
    EXPECT_EQ(r.version(), 1);
    EXPECT_EQ(info.version, 1u);
    EXPECT_EQ(info.entity, "sip:conference@127.0.0.1:6140");
    EXPECT_EQ(info.subject, "weekly");
    EXPECT_EQ(info.userCount, 3u);
    ASSERT_EQ(info.users.size(), 3);
    EXPECT_EQ(info.users[0].entity, "sip:host@127.0.0.1");
    EXPECT_EQ(info.users[0].displayText, "Host");
    ASSERT_EQ(info.users[0].endpoints.size(), 1);
    EXPECT_EQ(info.users[0].endpoints[0].status, "connected");
    EXPECT_EQ(mediaTypes(info.users[0].endpoints[0]), QStringList{"audio"});
    EXPECT_EQ(info.users[1].entity, "sip:bob@127.0.0.1");
    EXPECT_EQ(info.users[1].displayText, "Bob");
    EXPECT_EQ(info.users[1].endpoints[0].status, "connected");
    EXPECT_EQ(mediaTypes(info.users[1].endpoints[0]), QStringList{"audio"});
    EXPECT_EQ(info.users[2].entity, "sip:carol@127.0.0.1");
    EXPECT_EQ(mediaTypes(info.users[2].endpoints[0]), (QStringList{"audio", "video"}));
    EXPECT_EQ(r.keys(), (QList<quint64>{7, 3}));
}

TEST(ConferenceRoster, LeftMembersStayDisconnectedAndRejoinInPlace)
{
    ConferenceRoster r;
    r.setEntity("sip:conference@example.com");
    r.setHost("sip:host@example.com", "Host", true);
    r.upsert(1, {"sip:a@example.com", "A", true, false});
    r.upsert(2, {"sip:b@example.com", "B", true, false});
    r.document();
    r.setConnected(1, false);
    r.setConnected(99, false); // unknown: nothing happens
    auto info = parsed(r.document());
    EXPECT_EQ(info.version, 2u);
    ASSERT_EQ(info.users.size(), 3);
    EXPECT_EQ(mediaTypes(info.users[0].endpoints[0]), (QStringList{"audio", "video"}));
    EXPECT_EQ(info.users[1].endpoints[0].status, "disconnected");
    EXPECT_TRUE(info.users[1].endpoints[0].media.isEmpty());
    EXPECT_EQ(info.users[2].endpoints[0].status, "connected");
    EXPECT_EQ(r.connectedCount(), 1);
    const auto roster = rosterOf(info);
    EXPECT_EQ(roster[1].status, "disconnected");

    r.upsert(1, {"sip:a@example.com", "A again", true, true}); // rejoined: same place
    info = parsed(r.document());
    EXPECT_EQ(info.version, 3u);
    ASSERT_EQ(info.users.size(), 3);
    EXPECT_EQ(info.users[1].displayText, "A again");
    EXPECT_EQ(info.users[1].endpoints[0].status, "connected");
    EXPECT_EQ(mediaTypes(info.users[1].endpoints[0]), (QStringList{"audio", "video"}));
    ASSERT_NE(r.member(1), nullptr);
    EXPECT_TRUE(r.member(1)->video);
    EXPECT_EQ(r.member(5), nullptr);
}

TEST(ConferenceRoster, ClearStartsANewConferenceAtVersionOne)
{
    ConferenceRoster r;
    r.setEntity("sip:conference@example.com");
    r.setHost("sip:host@example.com", "", false);
    r.upsert(1, {"sip:a@example.com", "", true, false});
    r.document();
    r.document();
    EXPECT_EQ(r.version(), 2);
    r.clear();
    EXPECT_EQ(r.version(), 0);
    EXPECT_TRUE(r.members().isEmpty());
    r.setEntity("sip:conference@example.org");
    const auto info = parsed(r.document());
    EXPECT_EQ(info.version, 1u);
    EXPECT_EQ(info.entity, "sip:conference@example.org");
    EXPECT_TRUE(info.users.isEmpty());
    EXPECT_EQ(info.userCount, 0u);
}
