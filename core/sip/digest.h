// HTTP Digest authentication for SIP (RFC 3261 §22, RFC 7616, RFC 8760): reading challenges,
// choosing one, answering it, and checking an answer on the server side.
//
// Theory of operation: a 401/407 carries one or more WWW-Authenticate / Proxy-Authenticate
// values. The caller parses each with parseAuth() then parseDigestChallenge(); a value that fails
// (unknown algorithm, not Digest, missing nonce...) is simply skipped. chooseChallenges() keeps
// the strongest supported challenge per realm. A DigestSession per realm then answers it for
// each request, counting nc per nonce. Everything here is pure: the cnonce comes from the
// caller (fresh random bytes, base64 or hex encoded), nothing is logged, nothing reads a clock.
#pragma once

#include "headers.h"
#include "result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vphone::sip {

/// Digest algorithms (RFC 7616 §3.3, RFC 8760 §2.2). Ordered weakest to strongest per family.
enum class DigestAlgorithm { Invalid, MD5, MD5Sess, SHA256, SHA256Sess, SHA512_256, SHA512_256Sess };

/// The algorithm token for a name such as "SHA-256" or "md5-sess" (case-insensitive), or Invalid.
DigestAlgorithm digestAlgorithmFromName(std::string_view name);
/// The canonical token: "MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256"...
std::string_view digestAlgorithmName(DigestAlgorithm algorithm);

/// Quality of protection (RFC 7616 §3.3): integrity of the request line only, or also the body.
enum class DigestQop { Invalid, Auth, AuthInt };

/// One Digest challenge from a WWW-Authenticate or Proxy-Authenticate value (RFC 7616 §3.3).
struct DigestChallenge {
    std::string realm;                 ///< protection space, shown to the user and part of A1
    std::string nonce;                 ///< server nonce, answered until a stale=true challenge replaces it
    std::optional<std::string> opaque; ///< echoed unchanged when present, even if empty
    DigestAlgorithm algorithm = DigestAlgorithm::MD5; ///< RFC 3261 §22.4: MD5 when absent
    bool algorithmGiven = false;     ///< the challenge named an algorithm (echoed in the answer)
    std::vector<DigestQop> qop;      ///< offered options; empty: RFC 2069 mode, no qop
    bool stale = false;              ///< the nonce expired, the credentials were right
    bool userhash = false;           ///< RFC 7616 §3.4.4: the server accepts a hashed username
    std::vector<std::string> domain; ///< protection space URIs (space-separated in the header)
};

/// Reads a Digest challenge. Any error means this challenge cannot be answered and should be
/// skipped (another header may carry a usable one): a scheme other than Digest, a missing realm
/// or nonce, an unknown algorithm ("WWW-Authenticate: unsupported algorithm SHA-1"), or a qop
/// list with no option we implement. headerName only labels the error text.
Result<DigestChallenge> parseDigestChallenge(const AuthParams& challenge,
                                             std::string_view headerName = "WWW-Authenticate");

/// Keeps, for each realm in order of first appearance, the strongest challenge: SHA-512-256 over
/// SHA-256 over MD5, ties going to the topmost header. RFC 7616 §3.7 and RFC 8760 §2.4 say to use
/// the topmost supported challenge "unless a local policy dictates otherwise"; preferring the
/// strongest hash is that local policy. Challenges with algorithm Invalid are ignored.
std::vector<DigestChallenge> chooseChallenges(const std::vector<DigestChallenge>& challenges);
/// The strongest challenge for the realm of the first valid challenge, or nullopt if none is
/// valid. A 407 relayed through several proxies needs chooseChallenges() instead (RFC 3261 §22.3
/// asks the UAC to answer every realm).
std::optional<DigestChallenge> chooseChallenge(const std::vector<DigestChallenge>& challenges);

/// A user's secret. Never log it, print it or put it in an event: it deliberately has no
/// operator<< and no toString(). The library wipes its own copies of password-derived data.
struct DigestCredentials {
    std::string username; ///< the digest username (often the AOR user part)
    std::string password; ///< secret: never logged
};

/// The request being authorised, plus the caller-chosen cnonce and nonce count.
struct DigestRequest {
    std::string_view method = {};    ///< as written on the request line ("REGISTER", "INVITE"...)
    std::string_view digestUri = {}; ///< the Request-URI text (RFC 3261 §22.4: uri = Request-URI)
    std::string_view body = {};      ///< message body, hashed for qop=auth-int
    std::string_view cnonce = {};    ///< caller's fresh random string; required unless no qop
    std::uint32_t nonceCount = 1;    ///< nc, sent as 8 hex digits; starts at 1 for each nonce
};

/// Builds an Authorization / Proxy-Authorization value answering the challenge (RFC 7616 §3.4),
/// e.g. `Digest username="bob", realm="r", nonce="n", uri="sip:r", response="…",
/// algorithm=SHA-256, cnonce="c", opaque="o", qop=auth, nc=00000001`. qop=auth is chosen when
/// offered, auth-int when only it is, and no qop (RFC 2069) when none is. algorithm is written
/// when the challenge named one; userhash=true is added when the challenge allows it.
Result<std::string> digestAuthorization(const DigestChallenge& challenge,
                                        const DigestCredentials& credentials, const DigestRequest& request);

/// The request-digest (lower-case hex "response" value) for the given parameters; exposed for
/// tests and for servers. qop is Invalid for the RFC 2069 form. Fails only if the hash is
/// unavailable (e.g. MD5 in a FIPS-only OpenSSL).
Result<std::string> digestResponse(DigestAlgorithm algorithm, DigestQop qop,
                                   const DigestCredentials& credentials, std::string_view realm,
                                   std::string_view nonce, const DigestRequest& request);

/// Server side: checks an Authorization value against the password, using the username, realm,
/// nonce, uri, algorithm, qop, nc and cnonce it carries. The comparison is constant-time. It does
/// NOT check that the nonce was issued by us and is fresh, that nc increased, or that uri matches
/// the Request-URI: the caller must. Returns false for userhash=true (use the overload below).
bool verifyDigest(const AuthParams& authorization, const std::string& password, std::string_view method,
                  std::string_view body);
/// As above, for a known user: also checks that the username (or, with userhash=true, its hash
/// H(username ":" realm)) matches.
bool verifyDigest(const AuthParams& authorization, std::string_view username, const std::string& password,
                  std::string_view method, std::string_view body);

/// Client state for one realm: the current challenge and its nonce count (RFC 7616 §3.4: nc
/// counts the requests sent with one nonce, starting at 00000001).
///
/// Use: on a 401/407, parse and choose a challenge, then call update(). If isStale() is true the
/// server only refreshed its nonce (RFC 7616 §3.3 "stale"): resend at once with the stored
/// credentials, without asking the user. If a non-stale challenge answers a request that carried
/// credentials, the password is wrong: ask the user. Later requests to the same realm may call
/// authorize() pre-emptively; each call uses the next nc.
class DigestSession {
public:
    DigestSession() = default;
    /// Starts from a challenge.
    explicit DigestSession(DigestChallenge challenge) { update(std::move(challenge)); }

    /// Takes a new challenge. The nonce count restarts at 1 when the nonce changes.
    void update(DigestChallenge challenge);
    /// True once a challenge has been given.
    bool hasChallenge() const { return challenge_.has_value(); }
    /// The current challenge; only valid when hasChallenge().
    const DigestChallenge& challenge() const { return *challenge_; }
    /// The last challenge said stale=true: retry with the new nonce, same credentials.
    bool isStale() const { return challenge_ && challenge_->stale; }
    /// The nc used by the last authorize() (0 before any with this nonce).
    std::uint32_t nonceCount() const { return nonceCount_; }

    /// The header value for the next request (method, Request-URI text, body) with the caller's
    /// fresh cnonce; increments nc. Fails without a challenge or when nc would wrap.
    Result<std::string> authorize(const DigestCredentials& credentials, std::string_view method,
                                  std::string_view digestUri, std::string_view body, std::string_view cnonce);

private:
    std::optional<DigestChallenge> challenge_;
    std::uint32_t nonceCount_ = 0;
};

} // namespace vphone::sip
