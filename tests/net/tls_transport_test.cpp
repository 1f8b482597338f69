// SIP over TLS and CRLF keep-alives over real loopback sockets, with a PKI generated at start-up.
#include "net/sip_transport.h"
#include "net/tls_config.h"
#include "net_test_support.h"
#include "test_pki.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

using test::boundPort;
using test::Received;
using test::spec;
using test::tlsPeer;
using test::waitFor;

std::unique_ptr<test::TestPki> gPki;

/// A TLS server on 127.0.0.1 presenting the CA-issued certificate (or the self-signed one).
enum class Identity { Invalid, IssuedByTestCa, SelfSigned };

void startServer(net::SipTransport& server, Identity identity)
{
    net::TlsConfig tls;
    QString error;
    const bool issued = identity == Identity::IssuedByTestCa;
    ASSERT_TRUE(tls.loadIdentity(issued ? gPki->serverCert : gPki->selfSignedCert,
                                 issued ? gPki->serverKey : gPki->selfSignedKey, &error))
        << error.toStdString();
    server.setTlsConfig(tls);
    ASSERT_TRUE(server.listen(spec("tls:127.0.0.1:0"), &error)) << error.toStdString();
}

net::TlsConfig trustingTestCa()
{
    net::TlsConfig tls;
    QString error;
    EXPECT_TRUE(tls.addCaFile(gPki->caCert, &error)) << error.toStdString();
    return tls;
}

} // namespace

TEST(TlsConfig, LoadsAMatchingCertificateAndKey)
{
    net::TlsConfig tls;
    QString error;
    ASSERT_TRUE(tls.loadIdentity(gPki->serverCert, gPki->serverKey, &error)) << error.toStdString();
    EXPECT_TRUE(tls.hasIdentity());
    EXPECT_TRUE(tls.chain.isEmpty());
}

TEST(TlsConfig, SaysWhichFileIsMissingOrWrong)
{
    net::TlsConfig tls;
    QString error;
    EXPECT_FALSE(tls.loadIdentity(QStringLiteral("/nonexistent/cert.pem"), gPki->serverKey, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("cannot read /nonexistent/cert.pem"))) << error.toStdString();

    EXPECT_FALSE(tls.addCaFile(gPki->serverKey, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("not a PEM certificate"))) << error.toStdString();
    EXPECT_FALSE(tls.loadPinnedCertificate(gPki->garbage, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("not a PEM certificate"))) << error.toStdString();

    EXPECT_FALSE(tls.loadIdentity(gPki->serverCert, gPki->garbage, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("not a PEM private key"))) << error.toStdString();

    EXPECT_FALSE(tls.loadIdentity(gPki->serverCert, gPki->selfSignedKey, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("does not match"))) << error.toStdString();
    EXPECT_FALSE(tls.hasIdentity());
}

TEST(SipTransportTls, ListeningNeedsACertificateAndKey)
{
    net::SipTransport server;
    QString error;
    EXPECT_FALSE(server.listen(spec("tls:127.0.0.1:0"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("certificate"))) << error.toStdString();
}

TEST(SipTransportTls, DeliversBothWaysWhenTheServerIsVerifiedByName)
{
    net::SipTransport server;
    startServer(server, Identity::IssuedByTestCa);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    client.setTlsConfig(trustingTestCa());
    Received atClient;
    atClient.attach(client);

    // The driver resolved "localhost" to 127.0.0.1: the certificate is checked against the name.
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("tls-1")), 1,
                QStringLiteral("localhost"));
    ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty() || !atClient.failures.empty(); }));
    ASSERT_TRUE(atClient.failures.empty()) << atClient.failures[0].second;
    EXPECT_EQ(atServer.messages[0].callId(), "tls-1");
    EXPECT_EQ(atServer.from[0].transport, sip::Transport::Tls);

    // The response goes back over the connection the request came on (RFC 3261 §18.2.2).
    server.send(atServer.from[0],
                QByteArray("SIP/2.0 200 OK\r\nCall-ID: tls-1\r\nContent-Length: 0\r\n\r\n"));
    ASSERT_TRUE(waitFor([&] { return !atClient.messages.empty(); }));
    EXPECT_EQ(atClient.messages[0].callId(), "tls-1");
    EXPECT_EQ(atClient.from[0], tlsPeer(server));
    EXPECT_EQ(client.connectionCount(), 1);
    EXPECT_EQ(server.connectionCount(), 1);
}

TEST(SipTransportTls, VerifiesAnIpAddressAgainstTheCertificatesIpEntries)
{
    net::SipTransport server;
    startServer(server, Identity::IssuedByTestCa);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    client.setTlsConfig(trustingTestCa());
    Received atClient;
    atClient.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("tls-ip")), 1);
    ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty() || !atClient.failures.empty(); }));
    ASSERT_TRUE(atClient.failures.empty()) << atClient.failures[0].second;
}

TEST(SipTransportTls, RefusesAServerWhoseIssuerIsNotTrusted)
{
    net::SipTransport server;
    startServer(server, Identity::IssuedByTestCa);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client; // system CA store only: verification is on by default
    Received atClient;
    atClient.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("untrusted")), 42,
                QStringLiteral("localhost"));
    ASSERT_TRUE(waitFor([&] { return !atClient.failures.empty(); }));
    EXPECT_EQ(atClient.failures[0].first, 42u);
    EXPECT_NE(atClient.failures[0].second.find("certificate not trusted"), std::string::npos)
        << atClient.failures[0].second;
    EXPECT_TRUE(atServer.messages.empty());
    EXPECT_EQ(client.connectionCount(), 0);
}

TEST(SipTransportTls, RefusesAServerCertifiedForAnotherName)
{
    net::SipTransport server;
    startServer(server, Identity::IssuedByTestCa);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    client.setTlsConfig(trustingTestCa());
    Received atClient;
    atClient.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("wrong-name")), 7,
                QStringLiteral("sip.example.com"));
    ASSERT_TRUE(waitFor([&] { return !atClient.failures.empty(); }));
    EXPECT_EQ(atClient.failures[0].first, 7u);
    EXPECT_NE(atClient.failures[0].second.find("host name mismatch"), std::string::npos)
        << atClient.failures[0].second;
    EXPECT_TRUE(atServer.messages.empty());
    EXPECT_EQ(client.connectionCount(), 0);
}

TEST(SipTransportTls, AcceptsThePinnedSelfSignedCertificateDespiteItsName)
{
    net::SipTransport server;
    startServer(server, Identity::SelfSigned);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    net::TlsConfig tls;
    QString error;
    ASSERT_TRUE(tls.loadPinnedCertificate(gPki->selfSignedCert, &error)) << error.toStdString();
    client.setTlsConfig(tls);
    Received atClient;
    atClient.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("pinned")), 1,
                QStringLiteral("localhost"));
    ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty() || !atClient.failures.empty(); }));
    ASSERT_TRUE(atClient.failures.empty()) << atClient.failures[0].second;
    EXPECT_EQ(atServer.messages[0].callId(), "pinned");
}

TEST(SipTransportTls, APinDoesNotTrustOtherCertificates)
{
    net::SipTransport server;
    startServer(server, Identity::SelfSigned);
    net::SipTransport client;
    net::TlsConfig tls;
    QString error;
    ASSERT_TRUE(tls.loadPinnedCertificate(gPki->serverCert, &error)) << error.toStdString();
    client.setTlsConfig(tls);
    Received atClient;
    atClient.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("other-pin")), 3,
                QStringLiteral("pinned.test"));
    ASSERT_TRUE(waitFor([&] { return !atClient.failures.empty(); }));
    EXPECT_NE(atClient.failures[0].second.find("certificate not trusted"), std::string::npos)
        << atClient.failures[0].second;
}

TEST(SipTransportTls, CarriesManyMessagesOverOneConnection)
{
    net::SipTransport server;
    startServer(server, Identity::IssuedByTestCa);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    client.setTlsConfig(trustingTestCa());
    Received atClient;
    atClient.attach(client);
    constexpr int kCount = 200;
    for (int i = 0; i < kCount; ++i) {
        client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("many-" + std::to_string(i))),
                    static_cast<sip::TransactionId>(i + 1), QStringLiteral("localhost"));
    }
    ASSERT_TRUE(waitFor([&] { return atServer.messages.size() == kCount || !atClient.failures.empty(); }));
    ASSERT_EQ(atServer.messages.size(), std::size_t{kCount});
    for (int i = 0; i < kCount; ++i) {
        EXPECT_EQ(atServer.messages[i].callId(), "many-" + std::to_string(i));
        EXPECT_EQ(atServer.from[i], atServer.from[0]);
        server.send(atServer.from[i],
                    QByteArray::fromStdString("SIP/2.0 200 OK\r\nCall-ID: many-" + std::to_string(i) +
                                              "\r\nContent-Length: 0\r\n\r\n"));
    }
    ASSERT_TRUE(waitFor([&] { return atClient.messages.size() == kCount; }));
    EXPECT_EQ(atClient.messages.back().callId(), "many-" + std::to_string(kCount - 1));
    EXPECT_EQ(client.connectionCount(), 1);
    EXPECT_EQ(server.connectionCount(), 1);
}

TEST(KeepAlive, PingsAnIdleConnectionWeOpened)
{
    QTcpServer peer;
    ASSERT_TRUE(peer.listen(QHostAddress::LocalHost, 0));
    net::SipTransport client;
    client.setKeepAliveInterval(std::chrono::milliseconds(50));
    client.send(sip::Peer{sip::Transport::Tcp, "127.0.0.1", peer.serverPort()},
                QByteArray::fromStdString(test::tlsOptions("before-ping")));
    ASSERT_TRUE(waitFor([&] { return peer.hasPendingConnections(); }));
    std::unique_ptr<QTcpSocket> accepted(peer.nextPendingConnection());
    QByteArray seen;
    ASSERT_TRUE(waitFor([&] {
        seen += accepted->readAll();
        return seen.endsWith("\r\n\r\n\r\n\r\n");
    }));
    EXPECT_TRUE(seen.startsWith("OPTIONS sip:bob@localhost"));

    // Closing the connection stops its pings.
    accepted->abort();
    ASSERT_TRUE(waitFor([&] { return client.connectionCount() == 0; }));
}

TEST(KeepAlive, AnswersAPingWithAPongOnAnAcceptedConnection)
{
    net::SipTransport server;
    QString error;
    ASSERT_TRUE(server.listen(spec("tcp:127.0.0.1:0"), &error)) << error.toStdString();
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, boundPort(server, sip::Transport::Tcp));
    ASSERT_TRUE(raw.waitForConnected(5000));
    raw.write("\r\n\r\n");
    QByteArray seen;
    ASSERT_TRUE(waitFor([&] {
        seen += raw.readAll();
        return !seen.isEmpty();
    }));
    EXPECT_EQ(seen, QByteArray("\r\n"));
    EXPECT_EQ(server.connectionCount(), 1);
}

TEST(KeepAlive, PingsOverTlsToo)
{
    net::SipTransport server;
    startServer(server, Identity::IssuedByTestCa);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    client.setTlsConfig(trustingTestCa());
    client.setKeepAliveInterval(std::chrono::milliseconds(50));
    Received atClient;
    atClient.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("tls-ping")), 1,
                QStringLiteral("localhost"));
    ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty(); }));
    // Pings and pongs go back and forth without a message or an error on either side.
    QElapsedTimer idle;
    idle.start();
    waitFor([&] { return idle.elapsed() > 300; });
    EXPECT_EQ(atServer.messages.size(), 1u);
    EXPECT_TRUE(atClient.messages.empty());
    EXPECT_TRUE(atClient.failures.empty());
    EXPECT_EQ(client.connectionCount(), 1);
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    std::string error;
    gPki = test::TestPki::create(&error);
    if (!gPki) {
        std::fprintf(stderr, "cannot create the test PKI: %s\n", error.c_str());
        return 1;
    }
    const int result = RUN_ALL_TESTS();
    gPki.reset();
    return result;
}
