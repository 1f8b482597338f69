// The conference event package body (core/ua/conference_info.h, RFC 4575): the RFC's own
// example read, our document written and read back, partial notifications merged by user,
// stale versions ignored, and the errors broken bodies give.
#include "ua/conference_info.h"

#include <gtest/gtest.h>

using namespace vphone::ua;

namespace {

// RFC 4575 §6.1, trimmed to what matters (the RFC's example with a prefix-free namespace).
const QByteArray kRfcExample = R"(<?xml version="1.0" encoding="UTF-8"?>
<conference-info xmlns="urn:ietf:params:xml:ns:conference-info"
   entity="sips:conf233@example.com" state="full" version="1">
  <conference-description>
    <subject>Agenda: This month's goals</subject>
  </conference-description>
  <conference-state><user-count>33</user-count></conference-state>
  <users>
    <user entity="sip:bob@example.com" state="full">
      <display-text>Bob Hoskins</display-text>
      <endpoint entity="sip:bob@pc33.example.com">
        <display-text>Bob's Laptop</display-text>
        <status>disconnecting</status>
        <disconnection-method>departed</disconnection-method>
        <media id="1"><display-text>main audio</display-text><type>audio</type>
          <label>34567</label><src-id>432424</src-id><status>sendrecv</status></media>
      </endpoint>
    </user>
    <user entity="sip:alice@example.com" state="full">
      <display-text>Alice</display-text>
      <endpoint entity="sip:4kfk4j392jsu@example.com;grid=433kj4j3u">
        <status>connected</status>
        <media id="1"><type>video</type><status>sendrecv</status></media>
        <media id="2"><type>audio</type><status>sendrecv</status></media>
      </endpoint>
    </user>
  </users>
</conference-info>)";

} // namespace

TEST(ConferenceInfo, Rfc4575ExampleReadsUsersEndpointsAndMedia)
{
    QString error;
    auto info = parseConferenceInfo(kRfcExample, &error);
    ASSERT_TRUE(info) << error.toStdString();
    EXPECT_TRUE(error.isEmpty());
    EXPECT_EQ(info->entity, "sips:conf233@example.com");
    EXPECT_EQ(info->version, 1u);
    EXPECT_EQ(info->subject, "Agenda: This month's goals");
    EXPECT_EQ(info->userCount, 33u);
    ASSERT_EQ(info->users.size(), 2);
    EXPECT_EQ(info->users[0].displayText, "Bob Hoskins");
    ASSERT_EQ(info->users[0].endpoints.size(), 1);
    EXPECT_EQ(info->users[0].endpoints[0].status, "disconnecting");
    ASSERT_EQ(info->users[1].endpoints[0].media.size(), 2);
    EXPECT_EQ(info->users[1].endpoints[0].media[0].type, "video");
    const auto roster = rosterOf(*info);
    ASSERT_EQ(roster.size(), 2);
    EXPECT_EQ(roster[1].uri, "sip:alice@example.com");
    EXPECT_EQ(roster[1].displayName, "Alice");
    EXPECT_EQ(roster[1].status, "connected");
    EXPECT_EQ(roster[1].media, "video,audio");
}

TEST(ConferenceInfo, OurDocumentReadsBackWithEveryField)
{
    ConferenceInfo info;
    info.entity = "sip:vphone@127.0.0.1:6080";
    info.version = 7;
    info.subject = "Weekly <sync> & more";
    ConferenceUser u;
    u.entity = "sip:bob@127.0.0.1";
    u.displayText = "Bob \"B\" Ö";
    ConferenceEndpoint e;
    e.entity = "sip:bob@127.0.0.1:5070";
    e.status = "connected";
    e.media.append({"1", "audio", "sendrecv"});
    u.endpoints.append(e);
    info.users.append(u);
    ConferenceUser gone = u;
    gone.entity = "sip:carol@127.0.0.1";
    gone.displayText.clear();
    gone.endpoints[0].status = "disconnected";
    gone.endpoints[0].media.clear();
    info.users.append(gone);

    const QByteArray body = writeConferenceInfo(info);
    QString error;
    auto back = parseConferenceInfo(body, &error);
    ASSERT_TRUE(back) << error.toStdString() << "\n" << body.toStdString();
    EXPECT_EQ(back->entity, info.entity);
    EXPECT_EQ(back->version, 7u);
    EXPECT_EQ(back->subject, info.subject);
    EXPECT_EQ(back->userCount, 2u);
    ASSERT_EQ(back->users.size(), 2);
    EXPECT_EQ(back->users[0].displayText, u.displayText);
    EXPECT_EQ(back->users[0].endpoints[0].media[0].status, "sendrecv");
    EXPECT_EQ(rosterOf(*back)[1].status, "disconnected");
    EXPECT_EQ(rosterOf(*back)[1].media, "");
}

TEST(ConferenceInfo, PartialNotificationsMergeByUserAndStaleOnesAreIgnored)
{
    ConferenceInfo held;
    ASSERT_TRUE(mergeConferenceInfo(held, *parseConferenceInfo(kRfcExample)));
    ASSERT_EQ(held.users.size(), 2);
    const QByteArray partial = R"(<conference-info xmlns="urn:ietf:params:xml:ns:conference-info"
        entity="sips:conf233@example.com" state="partial" version="2"><users>
      <user entity="sip:bob@example.com" state="deleted"/>
      <user entity="sip:carol@example.com" state="full"><endpoint entity="sip:carol@h">
        <status>connected</status></endpoint></user></users></conference-info>)";
    auto p = parseConferenceInfo(partial);
    ASSERT_TRUE(p);
    EXPECT_TRUE(mergeConferenceInfo(held, *p));
    ASSERT_EQ(held.users.size(), 2);
    EXPECT_EQ(held.users[0].entity, "sip:alice@example.com");
    EXPECT_EQ(held.users[1].entity, "sip:carol@example.com");
    EXPECT_EQ(held.version, 2u);
    EXPECT_FALSE(mergeConferenceInfo(held, *p)); // the same version again: nothing changes
    ASSERT_EQ(held.users.size(), 2);
}

TEST(ConferenceInfo, BrokenBodiesSayWhatIsWrong)
{
    const struct {
        const char* body;
        const char* says;
    } cases[] = {
        {"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"><users><user entity=\"a\">",
         "not well-formed"},
        {"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"><users></user>",
         "not well-formed"},
        {"", "is empty"},
        {"<?xml version=\"1.0\"?>", "not well-formed"},
        {"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>", "root element is <presence>"},
        {"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" version=\"x1\"/>",
         "not a number"},
        {"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" state=\"half\"/>",
         "state 'half'"},
        {"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\"><users><user/></users>"
         "</conference-info>",
         "without entity"},
    };
    for (const auto& c : cases) {
        QString error;
        EXPECT_FALSE(parseConferenceInfo(QByteArray(c.body), &error)) << c.body;
        EXPECT_TRUE(error.contains(QLatin1String(c.says))) << c.body << " -> " << error.toStdString();
    }
}
