// SDP Security Descriptions for media streams (RFC 4568; RFC 7714 §14 for the GCM suites):
// the value of an a=crypto attribute, "TAG SUITE inline:BASE64(key||salt)[|LIFETIME]".
//
// parseSdesCrypto() accepts one inline key without MKI (what every deployed phone sends) and
// refuses anything that would weaken or change the keying: several keys, an MKI, a key of the
// wrong length, UNENCRYPTED_*/UNAUTHENTICATED_* or a non-zero KDR. Other session parameters are
// ignored. generateSdesCrypto() draws key||salt from OpenSSL's RAND_bytes. The formatted
// attribute carries the key: it belongs in SDP only, never in a log.
#pragma once

#include "srtp_session.h"

#include <optional>
#include <string>
#include <string_view>

namespace vphone::media {

/// One a=crypto line.
struct SdesCrypto {
    unsigned tag = 0; ///< 1..999999999 (RFC 4568 §9.1)
    SrtpSuite suite = SrtpSuite::Invalid;
    SecretBytes keySalt;  ///< master key || master salt
    std::string lifetime; ///< as written ("2^31", "1048576"), empty if absent
};

/// Parses the attribute value (after "a=crypto:"). On failure returns nullopt and, if `error`
/// is given, says what is wrong without quoting key bytes.
std::optional<SdesCrypto> parseSdesCrypto(std::string_view value, std::string* error = nullptr);

/// A fresh random key for `suite` (nullopt if the suite is Invalid or RAND_bytes fails).
std::optional<SdesCrypto> generateSdesCrypto(unsigned tag, SrtpSuite suite);

/// The attribute value: "TAG SUITE inline:KEY[|LIFETIME]".
std::string formatSdesCrypto(const SdesCrypto& crypto);

/// Session keys from our offer/answer line (what we send with) and the peer's (what it sends
/// with); nullopt when the suites differ.
std::optional<SrtpKeys> sdesKeys(const SdesCrypto& local, const SdesCrypto& remote);

} // namespace vphone::media
