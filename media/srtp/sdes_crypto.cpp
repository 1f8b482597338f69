// RFC 4568 a=crypto parsing and generation.
#include "sdes_crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <vector>

namespace vphone::media {

namespace {

std::optional<SdesCrypto> fail(std::string* error, std::string what)
{
    if (error) *error = std::move(what);
    return std::nullopt;
}

std::string_view nextToken(std::string_view& s)
{
    const auto start = s.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        s = {};
        return {};
    }
    s.remove_prefix(start);
    const auto end = s.find_first_of(" \t");
    const std::string_view token = s.substr(0, end);
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
    return token;
}

bool isDigits(std::string_view s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Strict base64 (RFC 4648 §4 with padding): returns false on any other character or length.
bool decodeBase64(std::string_view text, std::vector<std::uint8_t>& out)
{
    if (text.empty() || text.size() % 4 != 0 || text.size() > 1024) return false;
    out.resize(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return false;
    std::size_t pad = 0;
    if (text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    // '=' anywhere but the end is not base64 (EVP_DecodeBlock does not check).
    if (text.substr(0, text.size() - pad).find('=') != std::string_view::npos) return false;
    out.resize(static_cast<std::size_t>(n) - pad);
    return true;
}

} // namespace

std::optional<SdesCrypto> parseSdesCrypto(std::string_view value, std::string* error)
{
    SdesCrypto c;
    const std::string_view tag = nextToken(value);
    if (!isDigits(tag) || tag.size() > 9) return fail(error, "crypto: tag must be 1 to 9 digits");
    std::from_chars(tag.data(), tag.data() + tag.size(), c.tag);
    const std::string_view suite = nextToken(value);
    c.suite = srtpSuiteFromName(suite);
    if (c.suite == SrtpSuite::Invalid)
        return fail(error, "crypto: unsupported suite '" + std::string(suite) + "'");
    std::string_view keyParams = nextToken(value);
    if (keyParams.find(';') != std::string_view::npos)
        return fail(error, "crypto: several keys are not supported");
    constexpr std::string_view kInline = "inline:";
    if (keyParams.substr(0, kInline.size()) != kInline)
        return fail(error, "crypto: key method must be inline");
    keyParams.remove_prefix(kInline.size());
    const auto bar = keyParams.find('|');
    const std::string_view key = keyParams.substr(0, bar);
    if (bar != std::string_view::npos) {
        std::string_view rest = keyParams.substr(bar + 1);
        const auto bar2 = rest.find('|');
        std::string_view first = rest.substr(0, bar2);
        if (first.find(':') != std::string_view::npos) return fail(error, "crypto: MKI is not supported");
        if (bar2 != std::string_view::npos) return fail(error, "crypto: MKI is not supported");
        const bool power = first.substr(0, 2) == "2^" && isDigits(first.substr(2));
        if (!power && !isDigits(first)) return fail(error, "crypto: bad key lifetime");
        c.lifetime = std::string(first);
    }
    std::vector<std::uint8_t> bytes;
    if (!decodeBase64(key, bytes)) return fail(error, "crypto: key is not valid base64");
    if (bytes.size() != srtpKeyMaterialLength(c.suite)) {
        OPENSSL_cleanse(bytes.data(), bytes.size());
        return fail(error, "crypto: " + std::string(toString(c.suite)) + " needs a " +
                               std::to_string(srtpKeyMaterialLength(c.suite)) + "-byte key||salt");
    }
    c.keySalt = SecretBytes(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    // Session parameters (RFC 4568 §6.3): refuse what would weaken protection or that libsrtp2
    // cannot honour; ignore the rest (WSH, FEC_ORDER, FEC_KEY).
    for (std::string_view p = nextToken(value); !p.empty(); p = nextToken(value)) {
        if (p == "UNENCRYPTED_SRTP" || p == "UNENCRYPTED_SRTCP" || p == "UNAUTHENTICATED_SRTP") {
            return fail(error, "crypto: " + std::string(p) + " is refused");
        }
        if (p.substr(0, 4) == "KDR=" && p != "KDR=0")
            return fail(error, "crypto: key derivation rate not supported");
    }
    return c;
}

std::optional<SdesCrypto> generateSdesCrypto(unsigned tag, SrtpSuite suite)
{
    const std::size_t n = srtpKeyMaterialLength(suite);
    if (n == 0) return std::nullopt;
    std::vector<std::uint8_t> bytes(n);
    if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1) return std::nullopt;
    SdesCrypto c;
    c.tag = tag;
    c.suite = suite;
    c.keySalt = SecretBytes(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return c;
}

std::string formatSdesCrypto(const SdesCrypto& crypto)
{
    const auto key = crypto.keySalt.bytes();
    std::string b64(4 * ((key.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), key.data(),
                                  static_cast<int>(key.size()));
    b64.resize(static_cast<std::size_t>(n));
    std::string out =
        std::to_string(crypto.tag) + " " + std::string(toString(crypto.suite)) + " inline:" + b64;
    OPENSSL_cleanse(b64.data(), b64.size());
    if (!crypto.lifetime.empty()) out += "|" + crypto.lifetime;
    return out;
}

std::optional<SrtpKeys> sdesKeys(const SdesCrypto& local, const SdesCrypto& remote)
{
    if (local.suite != remote.suite || local.suite == SrtpSuite::Invalid) return std::nullopt;
    return SrtpKeys{local.suite, local.keySalt, remote.keySalt};
}

} // namespace vphone::media
