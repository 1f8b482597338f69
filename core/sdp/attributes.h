// Typed values of the SDP attributes the offer/answer code reads (RFC 8866, 3264, 3605, 4568,
// 4585, 5761, 8122, 4145/5763, 5576, 8285). Each parse function reads the text after
// "a=name:" and fails with a message naming the attribute and the field; the parser runs them
// on every known attribute so that a session description that parsed has valid ones. The
// matching toString() gives back the attribute value. Key material (a=crypto inline keys) is
// never quoted in an error message.
#pragma once

#include "error.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vphone::sdp {

/// Media direction (RFC 3264 §5.1, RFC 8866 §6.7). Absent everywhere means SendRecv.
enum class Direction { Invalid, SendRecv, SendOnly, RecvOnly, Inactive };

/// "sendrecv", "sendonly", "recvonly", "inactive" (empty for Invalid).
std::string_view toString(Direction direction);
/// The direction named by an attribute name, or nullopt.
std::optional<Direction> directionFromName(std::string_view name);
/// What the other side does: SendOnly <-> RecvOnly; SendRecv and Inactive stay.
Direction mirror(Direction direction);
/// Both sides' wishes combined: sends only if both allow it, likewise for receiving.
Direction intersect(Direction a, Direction b);
/// True when the direction includes sending / receiving.
bool sends(Direction direction);
bool receives(Direction direction);

/// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
struct Rtpmap {
    int payloadType = 0;
    std::string encoding;                  ///< "opus", "PCMU", "telephone-event"
    std::uint32_t clockRate = 0;           ///< Hz
    std::optional<std::uint32_t> channels; ///< audio channels when given ("/2")
    bool operator==(const Rtpmap&) const = default;
};
Result<Rtpmap> parseRtpmap(std::string_view value);
std::string toString(const Rtpmap& rtpmap);

/// a=fmtp:<format> <format specific parameters>
struct Fmtp {
    std::string format;     ///< payload type as written
    std::string parameters; ///< "0-16", "minptime=10;useinbandfec=1"
    /// The ';'-separated `name=value` pairs (names lower-cased, blanks trimmed; a bare word
    /// gives an empty value).
    std::vector<std::pair<std::string, std::string>> pairs() const;
    /// The value of one parameter by case-insensitive name.
    std::optional<std::string> parameter(std::string_view name) const;
};
Result<Fmtp> parseFmtp(std::string_view value);

/// a=ptime / a=maxptime value in milliseconds; a fraction ("20.0") is accepted and truncated.
Result<std::chrono::milliseconds> parsePtime(std::string_view value);

/// a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605).
struct RtcpAttribute {
    std::uint16_t port = 0;
    std::string netType;  ///< empty when no address was given
    std::string addrType; ///< "IP4" / "IP6"
    std::string address;
};
Result<RtcpAttribute> parseRtcp(std::string_view value);
std::string toString(const RtcpAttribute& rtcp);

/// One key-param of a=crypto (RFC 4568 §9.1): inline:<key||salt>[|<lifetime>][|<MKI>:<length>].
struct CryptoKey {
    std::string keySalt;                 ///< base64 key||salt, secret: never log it
    std::optional<std::string> lifetime; ///< "2^31" or a decimal count, as written
    std::optional<std::uint64_t> mki;    ///< MKI value
    std::optional<unsigned> mkiLength;   ///< MKI length in bytes (1..128)
    bool operator==(const CryptoKey&) const = default;
};

/// a=crypto:<tag> <crypto-suite> <key-params> [<session-params>] (RFC 4568 §9.1).
struct Crypto {
    unsigned tag = 1;                       ///< 1..999999999
    std::string suite;                      ///< "AES_CM_128_HMAC_SHA1_80"
    std::vector<CryptoKey> keys;            ///< one or more "inline:" key-params
    std::vector<std::string> sessionParams; ///< kept as written: "UNENCRYPTED_SRTCP", "KDR=1"
    bool operator==(const Crypto&) const = default;
};
Result<Crypto> parseCrypto(std::string_view value);
std::string toString(const Crypto& crypto);

/// a=fingerprint:<hash-func> <fingerprint> (RFC 8122 §5): hex byte pairs joined by ':'.
struct Fingerprint {
    std::string hashFunction; ///< lower case: "sha-256"
    std::string value;        ///< upper-case hex pairs with ':'
    bool operator==(const Fingerprint&) const = default;
};
Result<Fingerprint> parseFingerprint(std::string_view value);
std::string toString(const Fingerprint& fingerprint);

/// a=setup (RFC 4145 §4, RFC 5763 §5).
enum class Setup { Invalid, Active, Passive, ActPass, HoldConn };
Result<Setup> parseSetup(std::string_view value);
std::string_view toString(Setup setup);

/// a=ssrc:<ssrc-id> <attribute>[:<value>] (RFC 5576 §4.1). The attribute is required by the
/// grammar, but real peers (liblinphone 5.1) send the id alone: accepted, attribute empty.
struct Ssrc {
    std::uint32_t id = 0;
    std::string attribute; ///< empty for a bare "a=ssrc:<id>"
    std::optional<std::string> value;
};
Result<Ssrc> parseSsrc(std::string_view value);

/// a=rtcp-fb:<payload type or *> <type> [<parameters>] (RFC 4585 §4.2).
struct RtcpFb {
    std::optional<int> payloadType; ///< nullopt for "*"
    std::string type;               ///< "nack", "ccm", "goog-remb", "transport-cc", "ack"
    std::string parameters;         ///< "pli", "fir", or empty
};
Result<RtcpFb> parseRtcpFb(std::string_view value);

/// a=extmap:<id>[/<direction>] <URI> [<extension attributes>] (RFC 8285 §8).
struct Extmap {
    int id = 0; ///< 1..14 one-byte, 1..255 two-byte headers
    std::optional<Direction> direction;
    std::string uri;
    std::string attributes;
};
Result<Extmap> parseExtmap(std::string_view value);

/// Checks the value of an attribute this library knows (rtpmap, fmtp, ptime, crypto, ...).
/// Unknown names and valid values give nullopt; a bad value gives the message, e.g.
/// "a=rtpmap: clock rate 'x' is not a number".
std::optional<std::string> checkAttribute(std::string_view name, std::optional<std::string_view> value);

} // namespace vphone::sdp
