// Trust on first use over real loopback TLS (issue 7): a refused server certificate is reported
// with what the server presented (chain, host, Qt's errors) before the send fails; certificates
// trusted later are accepted exactly, and forgetting one closes the connection it carried; the
// account-level view (ua::CertificateProblem) tells a changed certificate from a first meeting.
// Through the ua::Phone facade, the problem lands on the account whose REGISTER met it, and a pin
// set before start() is in force for the first REGISTER. The PKI is generated at start-up with
// OpenSSL (test_pki.h).
#include "net/sip_transport.h"
#include "net/tls_config.h"
#include "net_test_support.h"
#include "test_pki.h"
#include "ua/certificate_problem.h"
#include "ua/phone.h"

#include <QCoreApplication>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

using namespace vphone;

namespace {

using test::boundPort;
using test::Received;
using test::spec;
using test::tlsPeer;
using test::waitFor;

std::unique_ptr<test::TestPki> gPki;

QSslCertificate certificateIn(const QString& file)
{
    QString error;
    const auto certificates = net::loadCertificates(file, &error);
    EXPECT_TRUE(certificates) << error.toStdString();
    return certificates ? certificates->first() : QSslCertificate();
}

/// The SHA-256 fingerprint computed by OpenSSL itself (X509_digest), as `openssl x509
/// -fingerprint -sha256` prints it: upper-case hex pairs joined by ':'.
std::string opensslFingerprint(const QString& pemFile)
{
    FILE* f = std::fopen(pemFile.toLocal8Bit().constData(), "r");
    if (!f) return {};
    X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!x) return {};
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(x, EVP_sha256(), md, &n);
    X509_free(x);
    std::string out;
    char hex[4];
    for (unsigned int i = 0; i < n; ++i) {
        std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
        out += hex;
    }
    return out;
}

/// A TLS server on 127.0.0.1 with the self-signed certificate for pinned.test.
void startSelfSigned(net::SipTransport& server)
{
    net::TlsConfig tls;
    QString error;
    ASSERT_TRUE(tls.loadIdentity(gPki->selfSignedCert, gPki->selfSignedKey, &error)) << error.toStdString();
    server.setTlsConfig(tls);
    ASSERT_TRUE(server.listen(spec("tls:127.0.0.1:0"), &error)) << error.toStdString();
}

/// certificateRejected reports, in order with sendFailed.
struct Rejections {
    std::vector<std::pair<sip::TransactionId, net::CertificateFailure>> list;
    std::vector<std::string> order; ///< "cert:ID" / "fail:ID"
    void attach(net::SipTransport& t)
    {
        QObject::connect(&t, &net::SipTransport::certificateRejected,
                         [this](sip::TransactionId id, const net::CertificateFailure& f) {
                             list.emplace_back(id, f);
                             order.push_back("cert:" + std::to_string(id));
                         });
        QObject::connect(&t, &net::SipTransport::sendFailed,
                         [this](sip::TransactionId id, const sip::Peer&, const QString&) {
                             order.push_back("fail:" + std::to_string(id));
                         });
    }
};

} // namespace

TEST(TlsTrustOnFirstUse, FingerprintIsOpensslsSha256InColonHex)
{
    const QString ours = net::sha256Fingerprint(certificateIn(gPki->selfSignedCert));
    EXPECT_EQ(ours.toStdString(), opensslFingerprint(gPki->selfSignedCert));
    EXPECT_EQ(ours.size(), 32 * 3 - 1);
    EXPECT_TRUE(net::sha256Fingerprint(QSslCertificate()).isEmpty());
}

TEST(TlsTrustOnFirstUse, ARefusedCertificateIsReportedWithWhatTheServerPresented)
{
    net::SipTransport server;
    startSelfSigned(server);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    Rejections rejected;
    rejected.attach(client);
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("first")), 42,
                QStringLiteral("sip.example.test"));
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("second")), 43,
                QStringLiteral("sip.example.test"));
    ASSERT_TRUE(waitFor([&] { return rejected.order.size() >= 4; }));
    // One report per request that waited, each just before its send failure.
    EXPECT_EQ(rejected.order, (std::vector<std::string>{"cert:42", "fail:42", "cert:43", "fail:43"}));
    const net::CertificateFailure& f = rejected.list[0].second;
    EXPECT_EQ(f.host, QStringLiteral("sip.example.test"));
    ASSERT_FALSE(f.chain.isEmpty());
    EXPECT_EQ(f.leaf(), certificateIn(gPki->selfSignedCert));
    EXPECT_FALSE(f.errors.isEmpty());
    EXPECT_TRUE(f.reason.startsWith(QStringLiteral("certificate not trusted"))) << f.reason.toStdString();
    EXPECT_FALSE(f.leaf().toPem().contains("PRIVATE KEY"));
    EXPECT_TRUE(atServer.messages.empty());
}

TEST(TlsTrustOnFirstUse, ATrustedCertificateIsAcceptedAndForgettingItClosesItsConnection)
{
    net::SipTransport server;
    startSelfSigned(server);
    Received atServer;
    atServer.attach(server);
    net::SipTransport client;
    Received atClient;
    atClient.attach(client);
    Rejections rejected;
    rejected.attach(client);
    // Trusted on first use: self-signed and issued for another name, accepted as it is.
    client.setTrustedCertificates({certificateIn(gPki->selfSignedCert)});
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("trusted")), 1,
                QStringLiteral("sip.example.test"));
    ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty() || !atClient.failures.empty(); }));
    ASSERT_TRUE(atClient.failures.empty()) << atClient.failures[0].second;
    EXPECT_EQ(atServer.messages[0].callId(), "trusted");
    EXPECT_EQ(client.connectionCount(), 1);
    // Another certificate trusted instead: the connection that rested on the old pin closes...
    client.setTrustedCertificates({certificateIn(gPki->serverCert)});
    EXPECT_EQ(client.connectionCount(), 0);
    // ...and the next connection is refused, with the certificate reported.
    client.send(tlsPeer(server), QByteArray::fromStdString(test::tlsOptions("forgotten")), 2,
                QStringLiteral("sip.example.test"));
    ASSERT_TRUE(waitFor([&] { return !atClient.failures.empty(); }));
    EXPECT_EQ(atClient.failures[0].first, 2u);
    ASSERT_EQ(rejected.list.size(), 1u);
    EXPECT_EQ(rejected.list[0].second.leaf(), certificateIn(gPki->selfSignedCert));
    EXPECT_EQ(atServer.messages.size(), 1u);
}

TEST(TlsTrustOnFirstUse, TheAccountsViewTellsAChangedCertificateFromAFirstMeeting)
{
    net::CertificateFailure f;
    f.host = QStringLiteral("sip.example.test");
    f.chain = {certificateIn(gPki->selfSignedCert)};
    f.errors = {QStringLiteral("The certificate is self-signed, and untrusted")};
    f.reason = QStringLiteral("certificate not trusted: The certificate is self-signed, and untrusted");
    const ua::CertificateProblem first{f, QSslCertificate()};
    EXPECT_FALSE(first.changed());
    const QVariantMap m = first.toMap();
    EXPECT_EQ(m.value(QStringLiteral("host")).toString(), QStringLiteral("sip.example.test"));
    EXPECT_EQ(m.value(QStringLiteral("subject")).toString(), QStringLiteral("pinned.test"));
    EXPECT_EQ(m.value(QStringLiteral("issuer")).toString(), QStringLiteral("pinned.test"));
    EXPECT_EQ(m.value(QStringLiteral("sha256")).toString().toStdString(),
              opensslFingerprint(gPki->selfSignedCert));
    EXPECT_FALSE(m.value(QStringLiteral("validFrom")).toString().isEmpty());
    EXPECT_LT(m.value(QStringLiteral("validFrom")).toString(), m.value(QStringLiteral("validTo")).toString());
    EXPECT_EQ(m.value(QStringLiteral("errors")).toStringList(), f.errors);
    EXPECT_FALSE(m.value(QStringLiteral("changed")).toBool());
    EXPECT_TRUE(m.value(QStringLiteral("trustedSha256")).toString().isEmpty());

    const ua::CertificateProblem same{f, certificateIn(gPki->selfSignedCert)};
    EXPECT_FALSE(same.changed());
    const ua::CertificateProblem changed{f, certificateIn(gPki->serverCert)};
    EXPECT_TRUE(changed.changed());
    const QVariantMap c = changed.toMap();
    EXPECT_TRUE(c.value(QStringLiteral("changed")).toBool());
    EXPECT_EQ(c.value(QStringLiteral("trustedSha256")).toString().toStdString(),
              opensslFingerprint(gPki->serverCert));
    EXPECT_NE(c.value(QStringLiteral("trustedSha256")), c.value(QStringLiteral("sha256")));
}

TEST(TlsTrustOnFirstUse, TheRefusedCertificateReachesTheAccountThatMetItAndTrustingItRegisters)
{
    net::SipTransport server;
    startSelfSigned(server);
    Received atServer;
    atServer.attach(server);
    const QString proxy = QStringLiteral("sip:127.0.0.1:%1;transport=tls").arg(tlsPeer(server).port);
    ua::Phone phone;
    ua::AccountSettings quiet;
    quiet.uri = QStringLiteral("sip:carol@127.0.0.1");
    quiet.registerOnStart = false;
    ua::AccountSettings tls;
    tls.uri = QStringLiteral("sip:alice@127.0.0.1");
    tls.outboundProxy = proxy;
    ua::Account* a0 = phone.addAccount(quiet);
    ua::Account* a1 = phone.addAccount(tls);
    ASSERT_TRUE(a0 && a1);
    ASSERT_TRUE(phone.start({QStringLiteral("udp:127.0.0.1:0")}));
    ASSERT_TRUE(waitFor([&] { return a1->certificateProblem().has_value(); }));
    EXPECT_FALSE(a0->certificateProblem().has_value());
    EXPECT_EQ(a1->certificateProblem()->failure.host, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(a1->certificateProblem()->failure.leaf(), certificateIn(gPki->selfSignedCert));
    EXPECT_FALSE(a1->certificateProblem()->changed());
    EXPECT_EQ(a1->certificateProblemMap().value(QStringLiteral("sha256")).toString().toStdString(),
              opensslFingerprint(gPki->selfSignedCert));
    ASSERT_TRUE(waitFor([&] { return a1->registrationState() == ua::Account::RegistrationState::Failed; }));
    EXPECT_TRUE(atServer.messages.empty());

    // Trusted: the problem goes, and the next REGISTER reaches the server over TLS.
    EXPECT_TRUE(a1->trustCertificate());
    EXPECT_FALSE(a1->certificateProblem().has_value());
    EXPECT_EQ(a1->trustedCertificate(), certificateIn(gPki->selfSignedCert));
    EXPECT_TRUE(a0->trustedCertificate().isNull());
    a1->registerAccount();
    ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty(); }));
    EXPECT_EQ(atServer.messages[0].method(), sip::Method::Register);
    EXPECT_FALSE(a1->certificateProblem().has_value());
}

TEST(TlsTrustOnFirstUse, APinSetBeforeStartServesTheFirstRegisterAndAnotherCertificateIsAChange)
{
    net::SipTransport server;
    startSelfSigned(server);
    Received atServer;
    atServer.attach(server);
    const QString proxy = QStringLiteral("sip:127.0.0.1:%1;transport=tls").arg(tlsPeer(server).port);
    {
        ua::Phone phone;
        ua::AccountSettings tls;
        tls.uri = QStringLiteral("sip:alice@127.0.0.1");
        tls.outboundProxy = proxy;
        ua::Account* a = phone.addAccount(tls);
        ASSERT_NE(a, nullptr);
        a->setTrustedCertificate(certificateIn(gPki->selfSignedCert));
        ASSERT_TRUE(phone.start({QStringLiteral("udp:127.0.0.1:0")}));
        ASSERT_TRUE(waitFor([&] { return !atServer.messages.empty() || a->certificateProblem(); }));
        EXPECT_FALSE(a->certificateProblem().has_value());
        EXPECT_EQ(atServer.messages[0].method(), sip::Method::Register);
    }
    {
        ua::Phone phone;
        ua::AccountSettings tls;
        tls.uri = QStringLiteral("sip:bob@127.0.0.1");
        tls.outboundProxy = proxy;
        ua::Account* a = phone.addAccount(tls);
        ASSERT_NE(a, nullptr);
        a->setTrustedCertificate(certificateIn(gPki->serverCert)); // not what the server has
        ASSERT_TRUE(phone.start({QStringLiteral("udp:127.0.0.1:0")}));
        ASSERT_TRUE(waitFor([&] { return a->certificateProblem().has_value(); }));
        EXPECT_TRUE(a->certificateProblem()->changed());
        EXPECT_TRUE(a->certificateProblemMap().value(QStringLiteral("changed")).toBool());
        EXPECT_EQ(a->certificateProblemMap().value(QStringLiteral("trustedSha256")).toString().toStdString(),
                  opensslFingerprint(gPki->serverCert));
    }
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
