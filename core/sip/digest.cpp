// HTTP Digest for SIP: RFC 3261 §22.4, RFC 7616 §3.3-§3.4, RFC 8760 (SHA-256, SHA-512/256).
#include "digest.h"

#include "charset.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <memory>

namespace vphone::sip {
namespace {

struct AlgorithmInfo {
    DigestAlgorithm algorithm;
    std::string_view name;
};

constexpr std::array<AlgorithmInfo, 6> kAlgorithms{{
    {DigestAlgorithm::MD5, "MD5"},
    {DigestAlgorithm::MD5Sess, "MD5-sess"},
    {DigestAlgorithm::SHA256, "SHA-256"},
    {DigestAlgorithm::SHA256Sess, "SHA-256-sess"},
    {DigestAlgorithm::SHA512_256, "SHA-512-256"},
    {DigestAlgorithm::SHA512_256Sess, "SHA-512-256-sess"},
}};

bool isSess(DigestAlgorithm a)
{
    return a == DigestAlgorithm::MD5Sess || a == DigestAlgorithm::SHA256Sess ||
           a == DigestAlgorithm::SHA512_256Sess;
}

/// Strength rank for chooseChallenges(): the hash matters, -sess does not.
int strength(DigestAlgorithm a)
{
    switch (a) {
    case DigestAlgorithm::MD5:
    case DigestAlgorithm::MD5Sess: return 1;
    case DigestAlgorithm::SHA256:
    case DigestAlgorithm::SHA256Sess: return 2;
    case DigestAlgorithm::SHA512_256:
    case DigestAlgorithm::SHA512_256Sess: return 3;
    case DigestAlgorithm::Invalid: break;
    }
    return 0;
}

const EVP_MD* evpFor(DigestAlgorithm a)
{
    switch (a) {
    case DigestAlgorithm::MD5:
    case DigestAlgorithm::MD5Sess: return EVP_md5();
    case DigestAlgorithm::SHA256:
    case DigestAlgorithm::SHA256Sess: return EVP_sha256();
    case DigestAlgorithm::SHA512_256:
    case DigestAlgorithm::SHA512_256Sess: return EVP_sha512_256();
    case DigestAlgorithm::Invalid: break;
    }
    return nullptr;
}

/// Overwrites a string holding password-derived data before it is freed.
struct Wiped {
    std::string s;
    Wiped() = default;
    explicit Wiped(std::string v) : s(std::move(v)) {}
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;
    ~Wiped() { OPENSSL_cleanse(s.data(), s.size()); }
};

/// H(p1 ":" p2 ":" ...) as lower-case hex (RFC 7616 §3.4.2). Parts are fed to the hash one by
/// one so the password is never copied into a temporary A1 string.
std::optional<std::string> hashHex(DigestAlgorithm a, std::initializer_list<std::string_view> parts)
{
    const EVP_MD* md = evpFor(a);
    if (md == nullptr) return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return std::nullopt;
    bool first = true;
    for (std::string_view p : parts) {
        if (!first && EVP_DigestUpdate(ctx.get(), ":", 1) != 1) return std::nullopt;
        if (!p.empty() && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1) return std::nullopt;
        first = false;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) return std::nullopt;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        hex += kHex[out[i] >> 4];
        hex += kHex[out[i] & 0x0f];
    }
    OPENSSL_cleanse(out.data(), out.size());
    return hex;
}

std::string_view qopName(DigestQop q)
{
    return q == DigestQop::AuthInt ? "auth-int" : "auth";
}

std::string formatNc(std::uint32_t nc)
{
    std::array<char, 9> buf{};
    std::snprintf(buf.data(), buf.size(), "%08x", static_cast<unsigned>(nc));
    return std::string(buf.data(), 8);
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Splits s at any of the separator characters, dropping empty pieces.
std::vector<std::string_view> splitOn(std::string_view s, std::string_view separators)
{
    std::vector<std::string_view> out;
    while (!s.empty()) {
        const auto end = s.find_first_of(separators);
        const auto piece = trim(s.substr(0, end));
        if (!piece.empty()) out.push_back(piece);
        if (end == std::string_view::npos) break;
        s.remove_prefix(end + 1);
    }
    return out;
}

ParseError authError(std::string_view header, std::string_view what)
{
    return parseError(400, 0, std::string(header) + ": " + std::string(what));
}

/// Lower-cases hex for a constant-time comparison against our lower-case output.
bool equalsConstantTime(std::string_view expected, std::string_view given)
{
    if (expected.size() != given.size()) return false;
    std::string lowered(given);
    for (char& c : lowered)
        c = charset::toLower(c);
    return CRYPTO_memcmp(expected.data(), lowered.data(), expected.size()) == 0;
}

} // namespace

DigestAlgorithm digestAlgorithmFromName(std::string_view name)
{
    for (const auto& info : kAlgorithms) {
        if (charset::iequals(info.name, name)) return info.algorithm;
    }
    return DigestAlgorithm::Invalid;
}

std::string_view digestAlgorithmName(DigestAlgorithm algorithm)
{
    for (const auto& info : kAlgorithms) {
        if (info.algorithm == algorithm) return info.name;
    }
    return {};
}

Result<DigestChallenge> parseDigestChallenge(const AuthParams& challenge, std::string_view headerName)
{
    if (!charset::iequals(challenge.scheme, "Digest")) return authError(headerName, "not a Digest challenge");
    DigestChallenge c;
    // RFC 7616 §3.3: realm and nonce are required; everything else is optional.
    const auto realm = challenge.param("realm");
    if (!realm) return authError(headerName, "missing realm");
    c.realm.assign(*realm);
    const auto nonce = challenge.param("nonce");
    if (!nonce || nonce->empty()) return authError(headerName, "missing nonce");
    c.nonce.assign(*nonce);
    if (const auto opaque = challenge.param("opaque")) c.opaque.emplace(*opaque);
    if (const auto algorithm = challenge.param("algorithm")) {
        c.algorithm = digestAlgorithmFromName(trim(*algorithm));
        c.algorithmGiven = true;
        if (c.algorithm == DigestAlgorithm::Invalid) {
            return authError(headerName, "unsupported algorithm " + std::string(*algorithm));
        }
    }
    if (const auto qop = challenge.param("qop")) {
        // RFC 7616 §3.3: a quoted, comma-separated list; unknown options are ignored.
        for (const auto option : splitOn(*qop, ",")) {
            if (charset::iequals(option, "auth")) c.qop.push_back(DigestQop::Auth);
            if (charset::iequals(option, "auth-int")) c.qop.push_back(DigestQop::AuthInt);
        }
        if (c.qop.empty()) return authError(headerName, "no supported qop in \"" + std::string(*qop) + "\"");
    }
    if (const auto stale = challenge.param("stale")) c.stale = charset::iequals(trim(*stale), "true");
    if (const auto userhash = challenge.param("userhash")) {
        c.userhash = charset::iequals(trim(*userhash), "true");
    }
    if (const auto domain = challenge.param("domain")) {
        for (const auto uri : splitOn(*domain, " \t"))
            c.domain.emplace_back(uri);
    }
    return c;
}

std::vector<DigestChallenge> chooseChallenges(const std::vector<DigestChallenge>& challenges)
{
    std::vector<DigestChallenge> chosen;
    for (const auto& c : challenges) {
        if (c.algorithm == DigestAlgorithm::Invalid) continue;
        bool seen = false;
        for (auto& best : chosen) {
            if (best.realm != c.realm) continue;
            seen = true;
            // Strictly stronger only: among equals the topmost wins (RFC 7616 §3.7).
            if (strength(c.algorithm) > strength(best.algorithm)) best = c;
        }
        if (!seen) chosen.push_back(c);
    }
    return chosen;
}

std::optional<DigestChallenge> chooseChallenge(const std::vector<DigestChallenge>& challenges)
{
    auto chosen = chooseChallenges(challenges);
    if (chosen.empty()) return std::nullopt;
    return std::move(chosen.front());
}

Result<std::string> digestResponse(DigestAlgorithm algorithm, DigestQop qop,
                                   const DigestCredentials& credentials, std::string_view realm,
                                   std::string_view nonce, const DigestRequest& request)
{
    const auto unavailable = [&] {
        return parseError(500, 0,
                          "Digest: hash " + std::string(digestAlgorithmName(algorithm)) + " unavailable");
    };
    // RFC 7616 §3.4.2: A1 = username:realm:password; for -sess,
    // A1 = H(username:realm:password):nonce:cnonce.
    auto ha1 = hashHex(algorithm, {credentials.username, realm, credentials.password});
    if (!ha1) return unavailable();
    Wiped secret(std::move(*ha1));
    if (isSess(algorithm)) {
        auto sess = hashHex(algorithm, {secret.s, nonce, request.cnonce});
        if (!sess) return unavailable();
        Wiped sessKey(std::move(*sess));
        std::swap(secret.s, sessKey.s);
    }
    // RFC 7616 §3.4.3: A2 = method:uri, plus :H(entity-body) for auth-int (RFC 3261 §22.4 uses
    // the Request-URI as digest-uri).
    std::optional<std::string> ha2;
    if (qop == DigestQop::AuthInt) {
        const auto hbody = hashHex(algorithm, {request.body});
        if (!hbody) return unavailable();
        ha2 = hashHex(algorithm, {request.method, request.digestUri, *hbody});
    } else {
        ha2 = hashHex(algorithm, {request.method, request.digestUri});
    }
    if (!ha2) return unavailable();
    // RFC 7616 §3.4.1: KD(H(A1), nonce:nc:cnonce:qop:H(A2)); RFC 2069 form without qop:
    // KD(H(A1), nonce:H(A2)).
    std::optional<std::string> response;
    if (qop == DigestQop::Invalid) {
        response = hashHex(algorithm, {secret.s, nonce, *ha2});
    } else {
        const auto nc = formatNc(request.nonceCount);
        response = hashHex(algorithm, {secret.s, nonce, nc, request.cnonce, qopName(qop), *ha2});
    }
    if (!response) return unavailable();
    return std::move(*response);
}

Result<std::string> digestAuthorization(const DigestChallenge& challenge,
                                        const DigestCredentials& credentials, const DigestRequest& request)
{
    if (challenge.algorithm == DigestAlgorithm::Invalid) {
        return parseError(400, 0, "Digest: unsupported algorithm");
    }
    // Prefer auth over auth-int: auth-int breaks whenever a proxy touches the body.
    DigestQop qop = DigestQop::Invalid;
    for (const auto q : challenge.qop) {
        if (q == DigestQop::Auth || qop == DigestQop::Invalid) qop = q;
    }
    const bool sendCnonce = qop != DigestQop::Invalid || isSess(challenge.algorithm);
    if (sendCnonce && request.cnonce.empty()) return parseError(400, 0, "Digest: cnonce required");
    if (qop != DigestQop::Invalid && request.nonceCount == 0)
        return parseError(400, 0, "Digest: nc must be >= 1");

    auto response =
        digestResponse(challenge.algorithm, qop, credentials, challenge.realm, challenge.nonce, request);
    if (!response) return response.error();

    std::string username = credentials.username;
    if (challenge.userhash) {
        // RFC 7616 §3.4.4: username = H(unq(username) ":" unq(realm)).
        auto hashed = hashHex(challenge.algorithm, {credentials.username, challenge.realm});
        if (!hashed) return parseError(500, 0, "Digest: hash unavailable");
        username = std::move(*hashed);
    }
    std::string out = "Digest username=" + quote(username);
    out += ", realm=" + quote(challenge.realm);
    out += ", nonce=" + quote(challenge.nonce);
    out += ", uri=" + quote(request.digestUri);
    out += ", response=\"" + *response + '"';
    if (challenge.algorithmGiven) {
        out += ", algorithm=";
        out += digestAlgorithmName(challenge.algorithm);
    }
    if (sendCnonce) out += ", cnonce=" + quote(request.cnonce);
    if (challenge.opaque) out += ", opaque=" + quote(*challenge.opaque);
    if (qop != DigestQop::Invalid) {
        out += ", qop=";
        out += qopName(qop);
        out += ", nc=" + formatNc(request.nonceCount);
    }
    if (challenge.userhash) out += ", userhash=true";
    return out;
}

namespace {

bool verify(const AuthParams& a, std::optional<std::string_view> knownUser, const std::string& password,
            std::string_view method, std::string_view body)
{
    if (!charset::iequals(a.scheme, "Digest")) return false;
    const auto username = a.param("username");
    const auto realm = a.param("realm");
    const auto nonce = a.param("nonce");
    const auto uri = a.param("uri");
    const auto response = a.param("response");
    if (!username || !realm || !nonce || !uri || !response) return false;
    DigestAlgorithm algorithm = DigestAlgorithm::MD5;
    if (const auto name = a.param("algorithm")) algorithm = digestAlgorithmFromName(*name);
    if (algorithm == DigestAlgorithm::Invalid) return false;

    const auto userhash = a.param("userhash");
    const bool hashedUser = userhash && charset::iequals(*userhash, "true");
    std::string_view plainUser = *username;
    if (hashedUser) {
        if (!knownUser) return false;
        const auto expected = hashHex(algorithm, {*knownUser, *realm});
        if (!expected || !equalsConstantTime(*expected, *username)) return false;
        plainUser = *knownUser;
    } else if (knownUser && *knownUser != *username) {
        return false;
    }

    DigestQop qop = DigestQop::Invalid;
    DigestRequest request{method, *uri, body, {}, 0};
    if (const auto q = a.param("qop")) {
        if (charset::iequals(*q, "auth"))
            qop = DigestQop::Auth;
        else if (charset::iequals(*q, "auth-int"))
            qop = DigestQop::AuthInt;
        else
            return false;
        const auto nc = a.param("nc");
        const auto cnonce = a.param("cnonce");
        if (!nc || !cnonce || nc->size() != 8 || !charset::all(*nc, charset::kHex)) return false;
        for (const char c : *nc) {
            request.nonceCount = (request.nonceCount << 4) | static_cast<std::uint32_t>(charset::hexValue(c));
        }
        request.cnonce = *cnonce;
    } else if (isSess(algorithm)) {
        const auto cnonce = a.param("cnonce");
        if (!cnonce) return false;
        request.cnonce = *cnonce;
    }
    DigestCredentials credentials{std::string(plainUser), password};
    const auto expected = digestResponse(algorithm, qop, credentials, *realm, *nonce, request);
    OPENSSL_cleanse(credentials.password.data(), credentials.password.size());
    return expected && equalsConstantTime(*expected, *response);
}

} // namespace

bool verifyDigest(const AuthParams& authorization, const std::string& password, std::string_view method,
                  std::string_view body)
{
    return verify(authorization, std::nullopt, password, method, body);
}

bool verifyDigest(const AuthParams& authorization, std::string_view username, const std::string& password,
                  std::string_view method, std::string_view body)
{
    return verify(authorization, username, password, method, body);
}

void DigestSession::update(DigestChallenge challenge)
{
    // RFC 7616 §3.4: nc counts requests per nonce, so a new nonce starts again at 1.
    if (!challenge_ || challenge_->nonce != challenge.nonce || challenge_->realm != challenge.realm) {
        nonceCount_ = 0;
    }
    challenge_ = std::move(challenge);
}

Result<std::string> DigestSession::authorize(const DigestCredentials& credentials, std::string_view method,
                                             std::string_view digestUri, std::string_view body,
                                             std::string_view cnonce)
{
    if (!challenge_) return parseError(400, 0, "Digest: no challenge to answer");
    if (nonceCount_ == std::numeric_limits<std::uint32_t>::max())
        return parseError(400, 0, "Digest: nonce count exhausted");
    DigestRequest request{method, digestUri, body, cnonce, nonceCount_ + 1};
    auto value = digestAuthorization(*challenge_, credentials, request);
    if (value) ++nonceCount_;
    return value;
}

} // namespace vphone::sip
