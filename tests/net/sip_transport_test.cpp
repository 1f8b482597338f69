// SipTransport over real loopback sockets: what goes in one side comes out the other.
#include "net/sip_transport.h"
#include "net/stun.h"
#include "net_test_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUdpSocket>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

using test::boundPort;
using test::Received;
using test::spec;
using test::waitFor;

std::string options(const std::string& callId,
                    const std::string& via = "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1")
{
    return "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: " + via + "\r\nCall-ID: " + callId +
           "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
}

} // namespace

TEST(ListenSpec, ParsesTransportHostAndPort)
{
    EXPECT_EQ(spec("udp:127.0.0.1:5060").port, 5060);
    EXPECT_EQ(spec("TCP:[::1]:5070").address, QHostAddress(QStringLiteral("::1")));
    EXPECT_EQ(spec("tls:127.0.0.1:5061").transport, sip::Transport::Tls);
    QString error;
    EXPECT_FALSE(net::ListenSpec::parse(QStringLiteral("sctp:127.0.0.1:1"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("unknown transport")));
    EXPECT_FALSE(net::ListenSpec::parse(QStringLiteral("udp:example.com:5060"), &error));
    EXPECT_FALSE(net::ListenSpec::parse(QStringLiteral("udp:127.0.0.1:70000"), &error));
    EXPECT_FALSE(net::ListenSpec::parse(QStringLiteral("udp:127.0.0.1"), &error));
}

TEST(SipTransportUdp, DeliversADatagramWithItsRealSource)
{
    net::SipTransport a;
    net::SipTransport b;
    QString error;
    ASSERT_TRUE(a.listen(spec("udp:127.0.0.1:0"), &error)) << error.toStdString();
    ASSERT_TRUE(b.listen(spec("udp:127.0.0.1:0"), &error)) << error.toStdString();
    Received got;
    got.attach(b);
    const std::string text = options("udp-1");
    a.send(sip::Peer{sip::Transport::Udp, "127.0.0.1", boundPort(b, sip::Transport::Udp)},
           QByteArray::fromStdString(text));
    ASSERT_TRUE(waitFor([&] { return !got.messages.empty(); }));
    EXPECT_EQ(got.messages[0].callId(), "udp-1");
    EXPECT_EQ(got.from[0].host, "127.0.0.1");
    EXPECT_EQ(got.from[0].port, boundPort(a, sip::Transport::Udp));
    EXPECT_EQ(got.from[0].transport, sip::Transport::Udp);
}

TEST(SipTransportUdp, ReportsGarbageAndIgnoresKeepAlives)
{
    net::SipTransport b;
    QString error;
    ASSERT_TRUE(b.listen(spec("udp:127.0.0.1:0"), &error));
    Received got;
    got.attach(b);
    QUdpSocket raw;
    const quint16 port = boundPort(b, sip::Transport::Udp);
    raw.writeDatagram("\r\n\r\n", QHostAddress::LocalHost, port);
    raw.writeDatagram("INVITE sip:x SIP/2.0\r\nContent-Length: 99\r\n\r\nshort", QHostAddress::LocalHost,
                      port);
    raw.writeDatagram(QByteArray::fromStdString(options("after-garbage")), QHostAddress::LocalHost, port);
    ASSERT_TRUE(waitFor([&] { return !got.messages.empty(); }));
    ASSERT_EQ(got.errors.size(), 1u);
    EXPECT_NE(got.errors[0].find("Content-Length"), std::string::npos);
    EXPECT_EQ(got.messages[0].callId(), "after-garbage");
}

TEST(SipTransportTcp, FramesSplitAndBatchedMessagesAndAnswersOnTheSameConnection)
{
    net::SipTransport server;
    QString error;
    ASSERT_TRUE(server.listen(spec("tcp:127.0.0.1:0"), &error)) << error.toStdString();
    Received got;
    got.attach(server);
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, boundPort(server, sip::Transport::Tcp));
    ASSERT_TRUE(client.waitForConnected(5000));
    const std::string one = options("tcp-1");
    const std::string two = options("tcp-2") + options("tcp-3");
    client.write(QByteArray::fromStdString(one.substr(0, 20)));
    client.flush();
    ASSERT_TRUE(waitFor([&] { return server.connectionCount() == 1; }));
    client.write(QByteArray::fromStdString(one.substr(20) + "\r\n\r\n" + two));
    ASSERT_TRUE(waitFor([&] { return got.messages.size() == 3; }));
    EXPECT_EQ(got.messages[2].callId(), "tcp-3");
    EXPECT_EQ(got.from[0].transport, sip::Transport::Tcp);
    EXPECT_EQ(got.from[0].port, client.localPort());

    // The response to a request goes back over the connection it came on (RFC 3261 §18.2.2).
    server.send(got.from[0], QByteArray("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    QByteArray reply;
    ASSERT_TRUE(waitFor([&] {
        client.waitForReadyRead(10);
        reply += client.readAll();
        return reply.contains("Content-Length: 0\r\n\r\n");
    }));
    // The keep-alive ping between the messages was answered with a pong (RFC 5626 §3.5.1).
    EXPECT_EQ(reply, QByteArray("\r\nSIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    EXPECT_EQ(server.connectionCount(), 1);
}

TEST(SipTransportTcp, AFramingErrorClosesTheConnection)
{
    net::SipTransport server;
    QString error;
    ASSERT_TRUE(server.listen(spec("tcp:127.0.0.1:0"), &error));
    Received got;
    got.attach(server);
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, boundPort(server, sip::Transport::Tcp));
    ASSERT_TRUE(client.waitForConnected(5000));
    client.write("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: no-length\r\n\r\n");
    ASSERT_TRUE(waitFor([&] { return !got.errors.empty(); }));
    EXPECT_NE(got.errors[0].find("Content-Length"), std::string::npos);
    EXPECT_TRUE(waitFor([&] { return server.connectionCount() == 0; }));
}

TEST(SipTransportTcp, OpensAndReusesAnOutgoingConnection)
{
    net::SipTransport a;
    net::SipTransport b;
    QString error;
    ASSERT_TRUE(a.listen(spec("tcp:127.0.0.1:0"), &error));
    ASSERT_TRUE(b.listen(spec("tcp:127.0.0.1:0"), &error));
    Received got;
    got.attach(b);
    const sip::Peer to{sip::Transport::Tcp, "127.0.0.1", boundPort(b, sip::Transport::Tcp)};
    a.send(to, QByteArray::fromStdString(options("out-1")), 7);
    a.send(to, QByteArray::fromStdString(options("out-2")), 8);
    ASSERT_TRUE(waitFor([&] { return got.messages.size() == 2; }));
    EXPECT_EQ(a.connectionCount(), 1);
    EXPECT_EQ(got.from[0], got.from[1]);
}

TEST(SipTransportTcp, ReportsAConnectionRefusedPerTransaction)
{
    net::SipTransport a;
    Received got;
    got.attach(a);
    QTcpServer closed; // bind a port, then close it so nobody listens there
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    a.send(sip::Peer{sip::Transport::Tcp, "127.0.0.1", port}, QByteArray::fromStdString(options("refused")),
           42);
    ASSERT_TRUE(waitFor([&] { return !got.failures.empty(); }));
    EXPECT_EQ(a.connectionCount(), 0);
}

TEST(SipTransportUdp, StunOnTheSipSocketComesOutAsStunNotAsAMalformedMessage)
{
    net::SipTransport a;
    net::SipTransport b;
    QString error;
    ASSERT_TRUE(a.listen(spec("udp:127.0.0.1:0"), &error)) << error.toStdString();
    ASSERT_TRUE(b.listen(spec("udp:127.0.0.1:0"), &error)) << error.toStdString();
    Received got;
    got.attach(b);
    std::vector<QByteArray> stunSeen;
    QObject::connect(&b, &net::SipTransport::stunReceived,
                     [&](const QByteArray& bytes, const sip::Peer&) { stunSeen.push_back(bytes); });
    const net::stun::TransactionId id{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const sip::Peer to{sip::Transport::Udp, "127.0.0.1", boundPort(b, sip::Transport::Udp)};
    a.send(to, QByteArray::fromStdString(net::stun::bindingRequest(id)));
    a.send(to, QByteArray::fromStdString(options("after-stun")));
    ASSERT_TRUE(waitFor([&] { return !got.messages.empty(); }));
    ASSERT_EQ(stunSeen.size(), 1u);
    EXPECT_EQ(net::stun::decode(stunSeen[0].toStdString())->id, id);
    EXPECT_TRUE(got.errors.empty());
    EXPECT_EQ(got.messages[0].callId(), "after-stun");
}

TEST(SipTransportUdp, TheTopViaOfARequestGetsReceivedAndRportFromTheRealSource)
{
    for (const char* family : {"127.0.0.1", "[::1]"}) {
        net::SipTransport a;
        net::SipTransport b;
        QString error;
        const std::string listen = std::string("udp:") + family + ":0";
        ASSERT_TRUE(a.listen(spec(listen.c_str()), &error)) << error.toStdString();
        ASSERT_TRUE(b.listen(spec(listen.c_str()), &error)) << error.toStdString();
        Received got;
        got.attach(b);
        const std::string host = family[0] == '[' ? "::1" : family;
        const sip::Peer to{sip::Transport::Udp, host, boundPort(b, sip::Transport::Udp)};
        // RFC 3581: rport asked for; the second Via (a proxy's) stays as it is.
        a.send(to, QByteArray::fromStdString(options(
                       "stamp", "SIP/2.0/UDP 192.0.2.9:5062;branch=z9hG4bKa;rport\r\nVia: SIP/2.0/UDP "
                                "192.0.2.8;branch=z9hG4bKb;received=192.0.2.7")));
        // §18.2.1: no rport and the sent-by is the source: untouched.
        a.send(to, QByteArray::fromStdString(options(
                       "plain", "SIP/2.0/UDP " + std::string(family) + ":" +
                                    std::to_string(boundPort(a, sip::Transport::Udp)) + ";branch=z9hG4bKc")));
        ASSERT_TRUE(waitFor([&] { return got.messages.size() == 2; })) << family;
        const auto vias = got.messages[0].vias();
        ASSERT_TRUE(vias);
        ASSERT_EQ(vias->size(), 2u);
        EXPECT_EQ((*vias)[0].rport(), boundPort(a, sip::Transport::Udp)) << family;
        EXPECT_EQ((*vias)[0].received(), host) << family;
        EXPECT_EQ((*vias)[0].branch(), "z9hG4bKa");
        EXPECT_EQ((*vias)[1].received(), "192.0.2.7");
        EXPECT_FALSE(got.messages[1].topVia()->received()) << family;
    }
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
