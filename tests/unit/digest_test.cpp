// Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760).
//
// Expected values not taken from an RFC were computed once in a shell, independently of this code:
//   h() { printf '%s' "$2" | openssl dgst -$1 -r | cut -d' ' -f1; }
//   HA1=$(h md5 "user:realm:password"); HA2=$(h md5 "METHOD:uri"); h md5 "$HA1:nonce:nc:cnonce:qop:$HA2"
// (md5sum gives the same MD5 values). Each test notes the exact inputs it used.
#include "sip/digest.h"

#include "sip/headers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace vphone::sip;

namespace {

constexpr const char* kNonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr const char* kCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
constexpr const char* kOpaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
const DigestCredentials kMufasa{"Mufasa", "Circle of Life"};

AuthParams auth(std::string_view value)
{
    auto parsed = parseAuth(value, "WWW-Authenticate");
    EXPECT_TRUE(parsed.ok()) << value;
    return parsed.ok() ? *parsed : AuthParams{};
}

DigestChallenge challenge(std::string_view value)
{
    auto parsed = parseDigestChallenge(auth(value));
    EXPECT_TRUE(parsed.ok()) << value << ": " << (parsed.ok() ? "" : parsed.error().what);
    return parsed.ok() ? *parsed : DigestChallenge{};
}

/// The RFC 7616 §3.9.1 challenge with the given algorithm parameter text.
std::string rfc7616Challenge(std::string_view algorithm)
{
    return std::string("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=") +
           std::string(algorithm) + ", nonce=\"" + kNonce + "\", opaque=\"" + kOpaque + "\"";
}

DigestRequest getIndex(std::string_view body = {})
{
    return DigestRequest{"GET", "/dir/index.html", body, kCnonce, 1};
}

std::string param(const std::string& headerValue, std::string_view name)
{
    const auto a = auth(headerValue);
    const auto v = a.param(name);
    return v ? std::string(*v) : std::string("<absent>");
}

} // namespace

TEST(Digest, AnswersTheRfc7616Md5Example)
{
    const auto c = challenge(rfc7616Challenge("MD5"));
    const auto value = digestAuthorization(c, kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value, std::string("Digest username=\"Mufasa\", realm=\"http-auth@example.org\", nonce=\"") +
                          kNonce +
                          "\", uri=\"/dir/index.html\", response=\"8ca523f5e9506fed4657c9700eebdbec\", "
                          "algorithm=MD5, cnonce=\"" +
                          kCnonce + "\", opaque=\"" + kOpaque + "\", qop=auth, nc=00000001");
}

TEST(Digest, AnswersTheRfc7616Sha256Example)
{
    const auto c = challenge(rfc7616Challenge("SHA-256"));
    EXPECT_EQ(c.algorithm, DigestAlgorithm::SHA256);
    const auto value = digestAuthorization(c, kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "response"), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    EXPECT_EQ(param(*value, "algorithm"), "SHA-256");
    EXPECT_EQ(param(*value, "qop"), "auth");
}

TEST(Digest, ReadsAnAlgorithmNameCaseInsensitively)
{
    const auto c = challenge(rfc7616Challenge("sha-256"));
    EXPECT_EQ(c.algorithm, DigestAlgorithm::SHA256);
    const auto value = digestAuthorization(c, kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "response"), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    EXPECT_EQ(digestAlgorithmFromName("md5-SESS"), DigestAlgorithm::MD5Sess);
    EXPECT_EQ(digestAlgorithmFromName("SHA-1"), DigestAlgorithm::Invalid);
}

TEST(Digest, AnswersAnRfc2069StyleMd5ChallengeWithoutQop)
{
    // HA1=md5("alice:atlanta.com:secret"), HA2=md5("REGISTER:sip:atlanta.com"),
    // response=md5("$HA1:84a4cc6f3082121f32b42a2187831a9e:$HA2"), via md5sum.
    const auto c = challenge("Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\"");
    EXPECT_FALSE(c.algorithmGiven);
    EXPECT_TRUE(c.qop.empty());
    const auto value = digestAuthorization(c, DigestCredentials{"alice", "secret"},
                                           DigestRequest{"REGISTER", "sip:atlanta.com"});
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value,
              "Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", "
              "uri=\"sip:atlanta.com\", response=\"0534730df9b76ff85088704104e68f4d\"");
}

TEST(Digest, UsesAuthIntWhenItIsTheOnlyQopOffered)
{
    // Body "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"; HA2=md5("INVITE:sip:bob@biloxi.com:" md5(body)),
    // Mufasa's HA1, nonce/cnonce of RFC 7616 §3.9.1, nc 00000001, qop auth-int.
    auto c = challenge(rfc7616Challenge("MD5"));
    c.qop = {DigestQop::AuthInt};
    const std::string body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n";
    const auto value =
        digestAuthorization(c, kMufasa, DigestRequest{"INVITE", "sip:bob@biloxi.com", body, kCnonce, 1});
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "qop"), "auth-int");
    EXPECT_EQ(param(*value, "response"), "80268da2c80f76dbc6985e815984a7b7");
}

TEST(Digest, PrefersAuthOverAuthIntWhateverTheOrder)
{
    const auto c = challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int,auth\"");
    const auto value = digestAuthorization(c, kMufasa, DigestRequest{"OPTIONS", "sip:r", {}, "c", 1});
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "qop"), "auth");
}

TEST(Digest, ComputesMd5SessWithTheSessionKey)
{
    // A1 = md5("Mufasa:http-auth@example.org:Circle of Life") ":" nonce ":" cnonce (RFC 7616 §3.4.2).
    const auto value = digestAuthorization(challenge(rfc7616Challenge("MD5-sess")), kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "algorithm"), "MD5-sess");
    EXPECT_EQ(param(*value, "response"), "e783283f46242139c486a698fec7211d");
}

TEST(Digest, ComputesSha256SessWithTheSessionKey)
{
    const auto value = digestAuthorization(challenge(rfc7616Challenge("SHA-256-sess")), kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "response"), "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7");
}

TEST(Digest, ComputesSha512_256WithTheGivenNonceCount)
{
    // openssl dgst -sha512-256 on the RFC 7616 §3.9.1 inputs with nc=00000002.
    auto request = getIndex();
    request.nonceCount = 2;
    const auto value = digestAuthorization(challenge(rfc7616Challenge("SHA-512-256")), kMufasa, request);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "nc"), "00000002");
    EXPECT_EQ(param(*value, "response"), "c70be613fc833a6fd44d48f13b0ae4431b234f5a5c232c4f817c08d99be9485e");
}

TEST(Digest, SendsAHashedUsernameWhenTheServerAllowsIt)
{
    // username = sha256("Mufasa:http-auth@example.org") (RFC 7616 §3.4.4); the response is unchanged.
    const auto c = challenge(rfc7616Challenge("SHA-256") + ", userhash=true");
    EXPECT_TRUE(c.userhash);
    const auto value = digestAuthorization(c, kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "username"), "a947aad205e80e429958a387394944c6b496301e79f89d35a4cc23b6ee12b5b6");
    EXPECT_EQ(param(*value, "userhash"), "true");
    EXPECT_EQ(param(*value, "response"), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    EXPECT_TRUE(verifyDigest(auth(*value), "Mufasa", "Circle of Life", "GET", {}));
    EXPECT_FALSE(verifyDigest(auth(*value), "Simba", "Circle of Life", "GET", {}));
    EXPECT_FALSE(verifyDigest(auth(*value), "Circle of Life", "GET", {}));
}

TEST(Digest, ChoosesTheStrongestAlgorithmPerRealm)
{
    const std::vector<DigestChallenge> offered = {
        challenge("Digest realm=\"a.example\", nonce=\"1\", algorithm=MD5"),
        challenge("Digest realm=\"proxy.example\", nonce=\"2\""),
        challenge("Digest realm=\"a.example\", nonce=\"3\", algorithm=SHA-512-256"),
        challenge("Digest realm=\"a.example\", nonce=\"4\", algorithm=SHA-256"),
        challenge("Digest realm=\"proxy.example\", nonce=\"5\", algorithm=SHA-256"),
        challenge("Digest realm=\"proxy.example\", nonce=\"6\", algorithm=SHA-256-sess"),
    };
    const auto chosen = chooseChallenges(offered);
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(chosen[0].realm, "a.example");
    EXPECT_EQ(chosen[0].nonce, "3");
    EXPECT_EQ(chosen[1].realm, "proxy.example");
    EXPECT_EQ(chosen[1].nonce, "5"); // equal strength: the topmost wins
    const auto one = chooseChallenge(offered);
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->algorithm, DigestAlgorithm::SHA512_256);
    EXPECT_FALSE(chooseChallenge({}).has_value());
}

TEST(Digest, SkipsAChallengeWithAnUnknownAlgorithm)
{
    const auto bad = parseDigestChallenge(auth("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().what, "WWW-Authenticate: unsupported algorithm SHA-1");
    const auto conf = parseDigestChallenge(auth("Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\""));
    EXPECT_FALSE(conf.ok());
    const auto basic = parseDigestChallenge(auth("Basic realm=\"r\""));
    EXPECT_FALSE(basic.ok());
}

TEST(Digest, RejectsAChallengeWithoutRealmOrNonce)
{
    const auto noNonce = parseDigestChallenge(auth("Digest realm=\"r\", algorithm=MD5"));
    ASSERT_FALSE(noNonce.ok());
    EXPECT_EQ(noNonce.error().what, "WWW-Authenticate: missing nonce");
    const auto noRealm = parseDigestChallenge(auth("Digest nonce=\"n\""), "Proxy-Authenticate");
    ASSERT_FALSE(noRealm.ok());
    EXPECT_EQ(noRealm.error().what, "Proxy-Authenticate: missing realm");
}

TEST(Digest, ReadsStaleOpaqueAndDomain)
{
    const auto c = challenge("Digest realm=\"r\", nonce=\"n\", opaque=\"\", stale=TRUE, "
                             "domain=\"sip:a.example sip:b.example\"");
    EXPECT_TRUE(c.stale);
    ASSERT_TRUE(c.opaque.has_value());
    EXPECT_EQ(*c.opaque, "");
    EXPECT_EQ(c.domain, (std::vector<std::string>{"sip:a.example", "sip:b.example"}));
    const auto value = digestAuthorization(c, kMufasa, DigestRequest{"REGISTER", "sip:r"});
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(param(*value, "opaque"), "");
}

TEST(Digest, EscapesQuotesAndBackslashesInTheUsername)
{
    const DigestCredentials odd{"a\"b\\c", "pw"};
    const auto c = challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256");
    const auto value = digestAuthorization(c, odd, DigestRequest{"REGISTER", "sip:r", {}, "x\"y", 1});
    ASSERT_TRUE(value.ok());
    EXPECT_NE(value->find("username=\"a\\\"b\\\\c\""), std::string::npos) << *value;
    EXPECT_NE(value->find("cnonce=\"x\\\"y\""), std::string::npos) << *value;
    // The header parses back to the original strings and verifies.
    EXPECT_EQ(param(*value, "username"), "a\"b\\c");
    EXPECT_TRUE(verifyDigest(auth(*value), "pw", "REGISTER", {}));
}

TEST(Digest, VerifiesTheRightPasswordAndRejectsAWrongOne)
{
    const auto value = digestAuthorization(challenge(rfc7616Challenge("SHA-256")), kMufasa, getIndex());
    ASSERT_TRUE(value.ok());
    EXPECT_TRUE(verifyDigest(auth(*value), "Circle of Life", "GET", {}));
    EXPECT_FALSE(verifyDigest(auth(*value), "Circle of Lies", "GET", {}));
    EXPECT_FALSE(verifyDigest(auth(*value), "Circle of Life", "POST", {}));
    EXPECT_TRUE(verifyDigest(auth(*value), "Mufasa", "Circle of Life", "GET", {}));
    EXPECT_FALSE(verifyDigest(auth(*value), "Simba", "Circle of Life", "GET", {}));
}

TEST(Digest, VerifiesAuthIntAgainstTheBody)
{
    auto c = challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\", algorithm=SHA-512-256-sess");
    const auto value = digestAuthorization(c, kMufasa, DigestRequest{"MESSAGE", "sip:r", "hello", "c", 7});
    ASSERT_TRUE(value.ok());
    EXPECT_TRUE(verifyDigest(auth(*value), "Circle of Life", "MESSAGE", "hello"));
    EXPECT_FALSE(verifyDigest(auth(*value), "Circle of Life", "MESSAGE", "hellO"));
}

TEST(Digest, VerifiesAnRfc2069Answer)
{
    const auto c = challenge("Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\"");
    const auto value = digestAuthorization(c, DigestCredentials{"alice", "secret"},
                                           DigestRequest{"REGISTER", "sip:atlanta.com"});
    ASSERT_TRUE(value.ok());
    EXPECT_TRUE(verifyDigest(auth(*value), "secret", "REGISTER", {}));
    EXPECT_FALSE(verifyDigest(auth(*value), "Secret", "REGISTER", {}));
}

TEST(Digest, RequiresACnonceWhenAQopIsUsed)
{
    const auto value =
        digestAuthorization(challenge(rfc7616Challenge("MD5")), kMufasa, DigestRequest{"GET", "/"});
    EXPECT_FALSE(value.ok());
}

TEST(DigestSession, CountsRequestsPerNonce)
{
    DigestSession session(challenge(rfc7616Challenge("SHA-256")));
    EXPECT_EQ(session.nonceCount(), 0u);
    auto first = session.authorize(kMufasa, "GET", "/dir/index.html", {}, kCnonce);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(param(*first, "nc"), "00000001");
    EXPECT_EQ(param(*first, "response"), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    auto second = session.authorize(kMufasa, "GET", "/dir/index.html", {}, "other");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(param(*second, "nc"), "00000002");
    EXPECT_EQ(session.nonceCount(), 2u);
    // The same nonce challenged again keeps counting (RFC 7616 §3.4).
    session.update(challenge(rfc7616Challenge("SHA-256")));
    EXPECT_EQ(session.nonceCount(), 2u);
}

TEST(DigestSession, RetriesAStaleNonceFromOneWithoutNewCredentials)
{
    DigestSession session(challenge("Digest realm=\"r\", nonce=\"old\", qop=\"auth\""));
    EXPECT_FALSE(session.isStale());
    ASSERT_TRUE(session.authorize(kMufasa, "REGISTER", "sip:r", {}, "c1").ok());
    ASSERT_TRUE(session.authorize(kMufasa, "REGISTER", "sip:r", {}, "c2").ok());
    session.update(challenge("Digest realm=\"r\", nonce=\"new\", qop=\"auth\", stale=true"));
    EXPECT_TRUE(session.isStale());
    EXPECT_EQ(session.nonceCount(), 0u);
    const auto retry = session.authorize(kMufasa, "REGISTER", "sip:r", {}, "c3");
    ASSERT_TRUE(retry.ok());
    EXPECT_EQ(param(*retry, "nonce"), "new");
    EXPECT_EQ(param(*retry, "nc"), "00000001");
    EXPECT_TRUE(verifyDigest(auth(*retry), "Circle of Life", "REGISTER", {}));
}

TEST(DigestSession, RefusesToAnswerWithoutAChallenge)
{
    DigestSession session;
    EXPECT_FALSE(session.hasChallenge());
    EXPECT_FALSE(session.authorize(kMufasa, "REGISTER", "sip:r", {}, "c").ok());
}
