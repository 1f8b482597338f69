// The presence-related bodies (core/ua/presence_bodies.h): PIDF with RPID as Kamailio, phones and
// RFC 3863/4480 write it, our own PIDF read back, message-summary (RFC 3842) and dialog-info
// (RFC 4235), and the errors bad bodies give.
#include "ua/presence_bodies.h"

#include <QCoreApplication>
#include <gtest/gtest.h>

using namespace vphone::ua;

TEST(Pidf, Rfc3863ExampleIsOpenAndAvailableWithItsNote)
{
    const QByteArray body = R"(<?xml version="1.0" encoding="UTF-8"?>
<impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf" entity="pres:someone@example.com">
  <impp:tuple id="sg89ae">
    <impp:status><impp:basic>open</impp:basic></impp:status>
    <impp:contact priority="0.8">tel:+09012345678</impp:contact>
  </impp:tuple>
  <impp:note xml:lang="en">Don't Disturb Me!</impp:note>
</impp:presence>)";
    QString error;
    auto doc = parsePidf(body, &error);
    ASSERT_TRUE(doc) << error.toStdString();
    EXPECT_EQ(doc->entity, "pres:someone@example.com");
    EXPECT_EQ(doc->open, true);
    EXPECT_EQ(doc->status, PresenceStatus::Available);
    EXPECT_EQ(doc->note, "Don't Disturb Me!");
}

TEST(Pidf, RpidActivitiesPickTheStatusAndThePersonNoteWins)
{
    const QByteArray body = R"(<?xml version='1.0' encoding='UTF-8'?>
<presence xmlns='urn:ietf:params:xml:ns:pidf' xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model'
 xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid' entity='sip:alice@127.0.0.1'>
 <tuple id='t1'><status><basic>open</basic></status><note>tuple note</note></tuple>
 <dm:person id='p1'><rpid:activities><rpid:on-the-phone/></rpid:activities><dm:note>on a call</dm:note></dm:person>
</presence>)";
    auto doc = parsePidf(body);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->status, PresenceStatus::OnThePhone);
    EXPECT_EQ(doc->note, "on a call");
    EXPECT_EQ(doc->activities, QStringList{"on-the-phone"});

    QByteArray away = body;
    away.replace("<rpid:on-the-phone/>", "<rpid:vacation/>");
    EXPECT_EQ(parsePidf(away)->status, PresenceStatus::Away);
    QByteArray meeting = body;
    meeting.replace("<rpid:on-the-phone/>", "<rpid:meeting/>");
    EXPECT_EQ(parsePidf(meeting)->status, PresenceStatus::Busy);
    QByteArray closed = body;
    closed.replace("<basic>open</basic>", "<basic>closed</basic>");
    EXPECT_EQ(parsePidf(closed)->status, PresenceStatus::Offline);
}

TEST(Pidf, OurOwnDocumentReadsBackForEveryStatus)
{
    for (auto s : {PresenceStatus::Available, PresenceStatus::Away, PresenceStatus::Busy,
                   PresenceStatus::OnThePhone, PresenceStatus::Offline}) {
        const QByteArray body =
            writePidf("sip:alice@example.test", s, QString::fromUtf8("in a meeting <&> é"));
        auto doc = parsePidf(body);
        ASSERT_TRUE(doc) << body.constData();
        EXPECT_EQ(doc->status, s) << body.constData();
        EXPECT_EQ(doc->note, QString::fromUtf8("in a meeting <&> é"));
        EXPECT_EQ(doc->entity, "sip:alice@example.test");
        EXPECT_EQ(presenceStatusFromName(presenceStatusName(s)), s);
    }
    EXPECT_FALSE(presenceStatusFromName("sleepy"));
}

TEST(Pidf, BadBodiesSayWhatAndWhere)
{
    QString error;
    EXPECT_FALSE(parsePidf("", &error));
    EXPECT_TRUE(error.contains("PIDF")) << error.toStdString();
    EXPECT_FALSE(parsePidf("<presence xmlns='urn:ietf:params:xml:ns:pidf'><tuple>", &error));
    EXPECT_TRUE(error.contains("line 1")) << error.toStdString();
    EXPECT_FALSE(parsePidf("<dialog-info xmlns='urn:ietf:params:xml:ns:dialog-info'/>", &error));
    EXPECT_TRUE(error.contains("<dialog-info>")) << error.toStdString();
    EXPECT_FALSE(
        parsePidf("<presence xmlns='urn:ietf:params:xml:ns:pidf'>\n<tuple id='a'><status><basic>maybe"
                  "</basic></status></tuple></presence>",
                  &error));
    EXPECT_TRUE(error.contains("maybe") && error.contains("line 2")) << error.toStdString();
}

TEST(MessageSummaryBody, Rfc3842ExampleAndCountsWithoutUrgent)
{
    auto s = parseMessageSummary("Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\n"
                                 "Voice-Message: 4/8 (1/2)\r\n\r\nTo: <alice@atlanta.example.com>\r\n");
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->waiting);
    EXPECT_EQ(s->account, "sip:alice@vmail.example.com");
    EXPECT_EQ(s->newMessages, 4);
    EXPECT_EQ(s->oldMessages, 8);
    EXPECT_EQ(s->newUrgent, 1);
    EXPECT_EQ(s->oldUrgent, 2);
    auto t = parseMessageSummary("messages-waiting: no\nVoice-Message: 0/3\n");
    ASSERT_TRUE(t);
    EXPECT_FALSE(t->waiting);
    EXPECT_EQ(t->oldMessages, 3);
}

TEST(MessageSummaryBody, BadBodiesSayWhatAndWhere)
{
    QString error;
    EXPECT_FALSE(parseMessageSummary("Voice-Message: 1/2\r\n", &error));
    EXPECT_TRUE(error.contains("no Messages-Waiting")) << error.toStdString();
    EXPECT_FALSE(parseMessageSummary("Messages-Waiting: perhaps\r\n", &error));
    EXPECT_TRUE(error.contains("line 1")) << error.toStdString();
    EXPECT_FALSE(parseMessageSummary("Messages-Waiting: yes\r\nVoice-Message: 99999999999/1\r\n", &error));
    EXPECT_TRUE(error.contains("line 2")) << error.toStdString();
    EXPECT_FALSE(parseMessageSummary("Messages-Waiting: yes\r\ngarbage\r\n", &error));
}

TEST(DialogInfoBody, Rfc4235EarlyDialogWithTagsAndIdentities)
{
    const QByteArray body = R"(<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:bob@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" remote-tag="456887766" direction="recipient">
    <state>early</state>
    <local><identity display="Bob">sip:bob@example.com</identity><target uri="sip:bob@pc33.example.com"/></local>
    <remote><identity>sip:alice@example.com</identity><target uri="sip:alice@pc1.example.com"/></remote>
  </dialog>
</dialog-info>)";
    QString error;
    auto info = parseDialogInfo(body, &error);
    ASSERT_TRUE(info) << error.toStdString();
    EXPECT_EQ(info->entity, "sip:bob@example.com");
    EXPECT_EQ(info->version, 3u);
    EXPECT_TRUE(info->full);
    ASSERT_EQ(info->dialogs.size(), 1);
    const DialogEntry& d = info->dialogs[0];
    EXPECT_EQ(d.id, "as7d900as8");
    EXPECT_EQ(d.callId, "a84b4c76e66710");
    EXPECT_EQ(d.localTag, "1928301774");
    EXPECT_EQ(d.remoteTag, "456887766");
    EXPECT_EQ(d.direction, DialogEntry::Direction::Recipient);
    EXPECT_EQ(d.state, DialogEntry::State::Early);
    EXPECT_EQ(d.localIdentity, "sip:bob@example.com");
    EXPECT_EQ(d.remoteIdentity, "sip:alice@example.com");
    EXPECT_EQ(d.localTarget, "sip:bob@pc33.example.com");
    EXPECT_EQ(d.remoteTarget, "sip:alice@pc1.example.com");

    auto idle = parseDialogInfo(R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0"
        state="partial" entity="sip:bob@example.com"/>)");
    ASSERT_TRUE(idle);
    EXPECT_FALSE(idle->full);
    EXPECT_TRUE(idle->dialogs.isEmpty());
}

TEST(DialogInfoBody, BadBodiesSayWhatAndWhere)
{
    QString error;
    EXPECT_FALSE(
        parseDialogInfo(R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="x"/>)", &error));
    EXPECT_TRUE(error.contains("version")) << error.toStdString();
    EXPECT_FALSE(
        parseDialogInfo(R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" state="some"/>)", &error));
    EXPECT_TRUE(error.contains("state")) << error.toStdString();
    EXPECT_FALSE(parseDialogInfo(
        R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"><dialog/></dialog-info>)", &error));
    EXPECT_TRUE(error.contains("without id")) << error.toStdString();
    EXPECT_FALSE(parseDialogInfo(
        "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\">\n\n<dialog id='1'>", &error));
    EXPECT_TRUE(error.contains("line 3")) << error.toStdString();
    EXPECT_FALSE(parseDialogInfo("<presence xmlns='urn:ietf:params:xml:ns:pidf'/>", &error));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
