// The Phone's conference (core/ua/conference.cpp) taking a REFER sent outside any dialog
// (RFC 4579 §5.5/§5.6, RFC 3515), on 127.0.0.1 (SIP 6510-6514): a scripted UDP socket sends the
// REFERs with a member's address as From; method=BYE removes the other member, a plain one
// invites its target into the conference; the socket gets the 202 and answers the NOTIFYs of
// the REFER's own dialog; a stranger's REFER gets 403, unless the host takes REFERs from anyone
// (Phone::setConferenceReferFromAnyone; SIP 6602-6606). Part of vphone_facade_tests.
#include "facade_test_util.h"
#include "scripted_sip.h"
#include "sip/parser.h"
#include "ua/conference.h"
#include "ua/phone.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

#include <gtest/gtest.h>

using namespace vphone;
using ua::Call;
using ua::Conference;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

/// A bare UDP endpoint on 127.0.0.1:`port` that sends requests to the host on `host` and
/// answers every NOTIFY 200.
struct Scripted {
    QUdpSocket socket;
    QList<sip::Message> responses;
    QList<sip::Message> notifies;
    int sent = 0;
    quint16 port, host;

    explicit Scripted(quint16 own = 6514, quint16 hostPort = 6510) : port(own), host(hostPort)
    {
        EXPECT_TRUE(socket.bind(QHostAddress(QStringLiteral("127.0.0.1")), port));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] { read(); });
    }
    void read()
    {
        while (socket.hasPendingDatagrams()) {
            const QByteArray d = socket.receiveDatagram().data();
            auto m = sip::parseMessage(std::string_view(d.constData(), static_cast<std::size_t>(d.size())));
            if (!m) continue;
            if (!m->isRequest()) {
                responses.append(*m);
                continue;
            }
            if (m->method() == sip::Method::Notify) notifies.append(*m);
            const std::string ok = vphone::test::responseTo(*m, "200 OK");
            socket.writeDatagram(QByteArray::fromStdString(ok), QHostAddress(QStringLiteral("127.0.0.1")),
                                 host);
        }
    }
    /// A REFER to the host outside any dialog, From `from`, Refer-To `referTo`.
    void refer(const QString& from, const QString& referTo)
    {
        const QString n = QString::number(++sent);
        const QString r = QStringLiteral("REFER sip:conference@127.0.0.1:%5 SIP/2.0\r\n"
                                         "Via: SIP/2.0/UDP 127.0.0.1:%4;branch=z9hG4bKscripted%1\r\n"
                                         "From: <%2>;tag=s%1\r\n"
                                         "To: <sip:conference@127.0.0.1:%5>\r\n"
                                         "Call-ID: scripted%1.%4@127.0.0.1\r\n"
                                         "CSeq: 1 REFER\r\n"
                                         "Contact: <sip:scripted@127.0.0.1:%4>\r\n"
                                         "Max-Forwards: 70\r\n"
                                         "Refer-To: <%3>\r\n"
                                         "Content-Length: 0\r\n\r\n")
                              .arg(n, from, referTo, QString::number(port), QString::number(host));
        socket.writeDatagram(r.toUtf8(), QHostAddress(QStringLiteral("127.0.0.1")), host);
    }
    /// The sipfrag of the last NOTIFY with Subscription-State terminated (0: none yet).
    int finalSipfrag() const
    {
        for (const auto& n : notifies) {
            const auto state = n.get(sip::HeaderId::SubscriptionState);
            if (state && state->starts_with("terminated") && n.body().size() >= 11)
                return std::stoi(std::string(n.body().substr(8, 3)));
        }
        return 0;
    }
};

} // namespace

TEST(FacadeConferenceOutOfDialog, AMembersReferRemovesAndAddsAStrangersIs403)
{
    TestPhone host, p1, p2, p3;
    ASSERT_TRUE(host.start(6510));
    ASSERT_TRUE(p1.start(6511));
    ASSERT_TRUE(p2.start(6512));
    ASSERT_TRUE(p3.start(6513));
    Scripted script;
    Conference* conf = host.phone.conference();
    QList<Call*> left;
    QObject::connect(conf, &Conference::memberLeft, [&](Call* c) { left.append(c); });
    int addRequested = 0;
    QObject::connect(conf, &Conference::addRequested, [&](Call*, Call*, const QString&) { ++addRequested; });
    conf->setAutoAnswer(true);
    Call* out1 = p1.phone.call(QStringLiteral("sip:conf@127.0.0.1:6510"));
    Call* out2 = p2.phone.call(QStringLiteral("sip:conf@127.0.0.1:6510"));
    ASSERT_TRUE(out1 && out2);
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 2; }));
    Call *member1 = nullptr, *member2 = nullptr;
    for (Call* m : conf->members()) {
        if (m->remoteUri().endsWith(QStringLiteral(":6511"))) member1 = m;
        if (m->remoteUri().endsWith(QStringLiteral(":6512"))) member2 = m;
    }
    ASSERT_TRUE(member1 && member2);

    // A stranger: 403, nothing happens.
    script.refer(QStringLiteral("sip:mallory@127.0.0.1:6514"),
                 member2->remoteUri() + QStringLiteral(";method=BYE"));
    ASSERT_TRUE(waitFor([&] { return !script.responses.isEmpty(); }));
    EXPECT_EQ(script.responses.back().status(), 403);
    EXPECT_EQ(conf->members().size(), 2);

    // p1's address, Refer-To p2;method=BYE: 202, p2 gets its BYE, the NOTIFYs end with 200.
    script.refer(member1->remoteUri(), member2->remoteUri() + QStringLiteral(";method=BYE"));
    ASSERT_TRUE(waitFor([&] { return out2->isEnded() && script.finalSipfrag() != 0; }));
    EXPECT_EQ(script.responses.back().status(), 202);
    EXPECT_EQ(script.finalSipfrag(), 200);
    EXPECT_EQ(left, QList<Call*>{member2});
    EXPECT_EQ(out1->state(), Call::State::Active);

    // p1's address, Refer-To p3: the focus invites p3 (addRequested); p1's call stays.
    script.notifies.clear();
    QObject::connect(&p3.phone, &ua::Phone::incomingCall, [&](Call* c) { c->answer(); });
    script.refer(member1->remoteUri(), QStringLiteral("sip:p3@127.0.0.1:6513"));
    ASSERT_TRUE(waitFor([&] { return script.finalSipfrag() != 0 && conf->members().size() == 2; }));
    EXPECT_EQ(script.finalSipfrag(), 200);
    EXPECT_EQ(addRequested, 1);
    EXPECT_EQ(out1->state(), Call::State::Active);
    conf->end();
}

TEST(FacadeConferenceOutOfDialog, FromAnyoneAStrangerAddsAndRemovesAndAnIdleHostStillSays403)
{
    TestPhone host, p1, p2, p3;
    host.phone.setConferenceReferFromAnyone(true); // before start(): kept for the agents it makes
    ASSERT_TRUE(host.start(6602));
    ASSERT_TRUE(p1.start(6603));
    ASSERT_TRUE(p2.start(6604));
    ASSERT_TRUE(p3.start(6605));
    Scripted script(6606, 6602);
    Conference* conf = host.phone.conference();

    // No conference yet: there is nothing to add anyone to.
    script.refer(QStringLiteral("sip:stranger@127.0.0.1:6606"), QStringLiteral("sip:p3@127.0.0.1:6605"));
    ASSERT_TRUE(waitFor([&] { return !script.responses.isEmpty(); }));
    EXPECT_EQ(script.responses.back().status(), 403);

    QList<Call*> left;
    QObject::connect(conf, &Conference::memberLeft, [&](Call* c) { left.append(c); });
    QList<Call*> referrers;
    QObject::connect(conf, &Conference::addRequested,
                     [&](Call* by, Call*, const QString&) { referrers.append(by); });
    conf->setAutoAnswer(true);
    Call* out1 = p1.phone.call(QStringLiteral("sip:conf@127.0.0.1:6602"));
    Call* out2 = p2.phone.call(QStringLiteral("sip:conf@127.0.0.1:6602"));
    ASSERT_TRUE(out1 && out2);
    ASSERT_TRUE(waitFor([&] { return conf->members().size() == 2; }));
    Call* member2 = nullptr;
    for (Call* m : conf->members()) {
        if (m->remoteUri().endsWith(QStringLiteral(":6604"))) member2 = m;
    }
    ASSERT_TRUE(member2);

    // A stranger (no call with the host) asks to add p3: 202, p3 is invited and joins.
    QObject::connect(&p3.phone, &ua::Phone::incomingCall, [&](Call* c) { c->answer(); });
    script.refer(QStringLiteral("sip:stranger@127.0.0.1:6606"), QStringLiteral("sip:p3@127.0.0.1:6605"));
    ASSERT_TRUE(waitFor([&] { return script.finalSipfrag() != 0 && conf->members().size() == 3; }));
    EXPECT_EQ(script.responses.back().status(), 202);
    EXPECT_EQ(script.finalSipfrag(), 200);
    EXPECT_EQ(referrers, QList<Call*>{nullptr}) << "asked by no call of ours";

    // And to remove p2 (method=BYE): p2 gets its BYE, the others stay.
    script.notifies.clear();
    script.refer(QStringLiteral("sip:stranger@127.0.0.1:6606"),
                 member2->remoteUri() + QStringLiteral(";method=BYE"));
    ASSERT_TRUE(waitFor([&] { return out2->isEnded() && script.finalSipfrag() != 0; }));
    EXPECT_EQ(script.responses.back().status(), 202);
    EXPECT_EQ(script.finalSipfrag(), 200);
    EXPECT_EQ(left, QList<Call*>{member2});
    EXPECT_EQ(out1->state(), Call::State::Active);
    EXPECT_EQ(conf->members().size(), 2);

    // Switched back off: a stranger gets 403 again.
    host.phone.setConferenceReferFromAnyone(false);
    const auto before = script.responses.size();
    script.refer(QStringLiteral("sip:stranger@127.0.0.1:6606"), QStringLiteral("sip:p2@127.0.0.1:6604"));
    ASSERT_TRUE(waitFor([&] { return script.responses.size() > before; }));
    EXPECT_EQ(script.responses.back().status(), 403);
    conf->end();
}
