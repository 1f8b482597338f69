// DTLS-SRTP (RFC 5764) between two in-memory sessions: handshake, fingerprint checks, key
// export and split, then SRTP both ways for every suite.
#include "srtp/dtls_srtp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <numeric>

using namespace vphone::media;

namespace {

std::shared_ptr<const DtlsCertificate> certificate()
{
    auto c = DtlsCertificate::generate("test");
    EXPECT_TRUE(c);
    return std::make_shared<const DtlsCertificate>(std::move(*c));
}

// Moves datagrams between the two until neither has anything to send.
void shuttle(DtlsSrtpSession& a, DtlsSrtpSession& b)
{
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (auto d = a.pollTransmit()) {
            b.receive(*d);
            moved = true;
        }
        while (auto d = b.pollTransmit()) {
            a.receive(*d);
            moved = true;
        }
        if (!moved) return;
    }
}

struct Call {
    std::shared_ptr<const DtlsCertificate> clientCert = certificate();
    std::shared_ptr<const DtlsCertificate> serverCert = certificate();
    DtlsSrtpSession client;
    DtlsSrtpSession server;

    Call(std::vector<SrtpSuite> clientSuites, std::vector<SrtpSuite> serverSuites,
         bool badFingerprint = false)
        : client({DtlsRole::Client, clientCert, "sha-256 " + serverCert->fingerprint(), clientSuites}),
          server({DtlsRole::Server, serverCert,
                  "sha-256 " + (badFingerprint ? serverCert->fingerprint() : clientCert->fingerprint()),
                  serverSuites})
    {
        client.start();
        server.start();
        shuttle(client, server);
    }
};

} // namespace

TEST(DtlsSrtp, HandshakesAndProtectsMediaBothWaysForEverySuite)
{
    for (SrtpSuite suite : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32,
                            SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm}) {
        SCOPED_TRACE(std::string(toString(suite)));
        Call call({suite}, {suite});
        ASSERT_EQ(call.client.state(), DtlsState::Connected) << call.client.error();
        ASSERT_EQ(call.server.state(), DtlsState::Connected) << call.server.error();
        EXPECT_EQ(call.client.suite(), suite);
        EXPECT_EQ(call.server.suite(), suite);
        const auto ck = call.client.srtpKeys();
        const auto sk = call.server.srtpKeys();
        ASSERT_TRUE(ck && sk);
        EXPECT_TRUE(ck->send == sk->receive);
        EXPECT_TRUE(ck->receive == sk->send);
        EXPECT_FALSE(ck->send == ck->receive);
        EXPECT_EQ(ck->send.size(), srtpKeyMaterialLength(suite));

        auto client = SrtpSession::create(*ck);
        auto server = SrtpSession::create(*sk);
        ASSERT_TRUE(client && server);
        for (auto [from, to] : {std::pair{&*client, &*server}, std::pair{&*server, &*client}}) {
            // A 12-byte header and 160 bytes of payload (built in place: GCC 12 at -O2 warns
            // falsely about resize() after a list initialisation).
            std::vector<std::uint8_t> rtp(172, 0x55);
            const std::uint8_t header[] = {0x80, 111, 0, 5, 0, 0, 3, 0xc0, 1, 2, 3, 4};
            std::copy(std::begin(header), std::end(header), rtp.begin());
            const auto plain = rtp;
            ASSERT_EQ(from->protectRtp(rtp), SrtpStatus::Ok);
            ASSERT_EQ(to->unprotectRtp(rtp), SrtpStatus::Ok);
            EXPECT_EQ(rtp, plain);
            std::vector<std::uint8_t> rtcp = {0x80, 201, 0, 1, 1, 2, 3, 4};
            const auto rtcpPlain = rtcp;
            ASSERT_EQ(from->protectRtcp(rtcp), SrtpStatus::Ok);
            ASSERT_EQ(to->unprotectRtcp(rtcp), SrtpStatus::Ok);
            EXPECT_EQ(rtcp, rtcpPlain);
        }
    }
}

TEST(DtlsSrtp, AgreesOnACommonProfileFromLongerLists)
{
    Call call({SrtpSuite::AeadAes256Gcm, SrtpSuite::AesCm128HmacSha1_80},
              {SrtpSuite::AesCm128HmacSha1_32, SrtpSuite::AesCm128HmacSha1_80});
    ASSERT_EQ(call.client.state(), DtlsState::Connected) << call.client.error();
    EXPECT_EQ(call.client.suite(), SrtpSuite::AesCm128HmacSha1_80);
    EXPECT_EQ(call.server.suite(), SrtpSuite::AesCm128HmacSha1_80);
}

TEST(DtlsSrtp, FailsWithoutACommonProfile)
{
    Call call({SrtpSuite::AeadAes256Gcm}, {SrtpSuite::AesCm128HmacSha1_32});
    EXPECT_NE(call.client.state(), DtlsState::Connected);
    EXPECT_FALSE(call.client.srtpKeys());
}

TEST(DtlsSrtp, RefusesAPeerWhoseCertificateDoesNotMatchTheFingerprint)
{
    Call call({SrtpSuite::AeadAes128Gcm}, {SrtpSuite::AeadAes128Gcm}, true);
    EXPECT_EQ(call.server.state(), DtlsState::Failed);
    EXPECT_EQ(call.server.error(), "peer certificate does not match the signalled fingerprint");
    EXPECT_NE(call.client.state(), DtlsState::Connected);
    EXPECT_FALSE(call.server.srtpKeys());
}

TEST(DtlsSrtp, ReportsMissingSettingsAsErrors)
{
    DtlsSrtpSession noPrint({DtlsRole::Client, certificate(), "", {SrtpSuite::AeadAes128Gcm}});
    EXPECT_EQ(noPrint.state(), DtlsState::Failed);
    EXPECT_EQ(noPrint.error(), "no remote fingerprint");
    DtlsSrtpSession noRole({DtlsRole::Invalid, certificate(), "sha-256 00", {}});
    EXPECT_EQ(noRole.error(), "no DTLS role");
    noRole.receive(std::vector<std::uint8_t>{22, 254, 253});
    EXPECT_FALSE(noRole.pollTransmit());
}

TEST(DtlsSrtp, SurvivesGarbageDatagramsDuringTheHandshake)
{
    auto cc = certificate();
    auto sc = certificate();
    DtlsSrtpSession server({DtlsRole::Server, sc, "sha-256 " + cc->fingerprint()});
    std::vector<std::uint8_t> junk(300);
    std::iota(junk.begin(), junk.end(), 0);
    junk[0] = 22;
    server.receive(junk);
    EXPECT_NE(server.state(), DtlsState::Connected);
}

TEST(DtlsSrtp, ClientWaitsForAnAnswerOnOpenSslsTimer)
{
    auto cc = certificate();
    auto sc = certificate();
    DtlsSrtpSession client({DtlsRole::Client, cc, "sha-256 " + sc->fingerprint()});
    client.start();
    EXPECT_TRUE(client.pollTransmit()); // ClientHello
    const auto t = client.timeout();
    ASSERT_TRUE(t);
    EXPECT_LE(*t, std::chrono::milliseconds{1000});
}

TEST(DtlsSrtpKeys, SplitsExportedMaterialPerRfc5764)
{
    std::vector<std::uint8_t> m(60);
    std::iota(m.begin(), m.end(), 0);
    const auto client = srtpKeysFromDtls(m, SrtpSuite::AesCm128HmacSha1_80, DtlsRole::Client);
    const auto server = srtpKeysFromDtls(m, SrtpSuite::AesCm128HmacSha1_80, DtlsRole::Server);
    ASSERT_TRUE(client && server);
    // client key 0..15, server key 16..31, client salt 32..45, server salt 46..59
    std::vector<std::uint8_t> clientWrite(m.begin(), m.begin() + 16);
    clientWrite.insert(clientWrite.end(), m.begin() + 32, m.begin() + 46);
    std::vector<std::uint8_t> serverWrite(m.begin() + 16, m.begin() + 32);
    serverWrite.insert(serverWrite.end(), m.begin() + 46, m.end());
    EXPECT_TRUE(client->send == SecretBytes(clientWrite));
    EXPECT_TRUE(client->receive == SecretBytes(serverWrite));
    EXPECT_TRUE(server->send == SecretBytes(serverWrite));
    EXPECT_FALSE(srtpKeysFromDtls(std::span(m).first(59), SrtpSuite::AesCm128HmacSha1_80, DtlsRole::Client));
}

TEST(DtlsCertificate, HasASha256FingerprintAndSurvivesPem)
{
    const auto c = DtlsCertificate::generate();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->fingerprint().size(), 32u * 3 - 1);
    const auto again = DtlsCertificate::fromPem(c->certificatePem(), c->privateKeyPem());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->fingerprint(), c->fingerprint());
    const auto other = DtlsCertificate::generate();
    EXPECT_NE(other->fingerprint(), c->fingerprint());
    EXPECT_FALSE(DtlsCertificate::fromPem(c->certificatePem(), other->privateKeyPem())); // key mismatch
    EXPECT_FALSE(DtlsCertificate::fromPem("not pem", "nor this"));
    EXPECT_EQ(certificateFingerprint(c->x509(), "md5"), "");
    EXPECT_EQ(certificateFingerprint(c->x509(), "SHA-256"), c->fingerprint());
}
