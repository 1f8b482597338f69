// Self-signed EC P-256 DTLS certificates and their fingerprints.
#include "dtls_certificate.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cctype>

namespace vphone::media {

namespace {

std::shared_ptr<X509> ownX509(X509* x)
{
    return std::shared_ptr<X509>(x, X509_free);
}

std::shared_ptr<EVP_PKEY> ownKey(EVP_PKEY* k)
{
    return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free);
}

std::string bioToString(BIO* bio)
{
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n > 0 ? n : 0));
    return out;
}

} // namespace

std::string certificateFingerprint(X509* certificate, std::string_view algorithm)
{
    std::string name;
    for (char c : algorithm)
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const EVP_MD* md = name == "sha-256"   ? EVP_sha256()
                       : name == "sha-1"   ? EVP_sha1()
                       : name == "sha-384" ? EVP_sha384()
                       : name == "sha-512" ? EVP_sha512()
                                           : nullptr;
    if (!md || !certificate) return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (X509_digest(certificate, md, digest, &len) != 1) return {};
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        if (i) out += ':';
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

DtlsCertificate::DtlsCertificate(std::shared_ptr<X509> certificate, std::shared_ptr<EVP_PKEY> key)
    : certificate_(std::move(certificate)), key_(std::move(key)),
      fingerprint_(certificateFingerprint(certificate_.get(), "sha-256"))
{}

std::optional<DtlsCertificate> DtlsCertificate::generate(std::string_view commonName,
                                                         std::chrono::hours validity)
{
    auto key = ownKey(EVP_EC_gen("P-256"));
    auto cert = ownX509(X509_new());
    if (!key || !cert) return std::nullopt;
    // RFC 5280 §4.1.2.2: a positive serial number of up to 20 octets; 8 random ones.
    unsigned char serial[8];
    if (RAND_bytes(serial, sizeof serial) != 1) return std::nullopt;
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialOk = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_NAME* name = X509_get_subject_name(cert.get());
    const std::string cn(commonName.empty() ? "vphone" : commonName);
    const bool ok =
        serialOk && X509_set_version(cert.get(), 2) == 1 &&
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600) &&
        X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                        std::chrono::duration_cast<std::chrono::seconds>(validity).count()) &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0) == 1 &&
        X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1 &&
        X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
    if (!ok) return std::nullopt;
    return DtlsCertificate(cert, key);
}

std::optional<DtlsCertificate> DtlsCertificate::fromPem(std::string_view certificatePem,
                                                        std::string_view privateKeyPem)
{
    BIO* cb = BIO_new_mem_buf(certificatePem.data(), static_cast<int>(certificatePem.size()));
    BIO* kb = BIO_new_mem_buf(privateKeyPem.data(), static_cast<int>(privateKeyPem.size()));
    auto cert = ownX509(cb ? PEM_read_bio_X509(cb, nullptr, nullptr, nullptr) : nullptr);
    auto key = ownKey(kb ? PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr) : nullptr);
    BIO_free(cb);
    BIO_free(kb);
    if (!cert || !key || X509_check_private_key(cert.get(), key.get()) != 1) return std::nullopt;
    return DtlsCertificate(cert, key);
}

std::string DtlsCertificate::certificatePem() const
{
    BIO* bio = BIO_new(BIO_s_mem());
    std::string out;
    if (bio && PEM_write_bio_X509(bio, certificate_.get()) == 1) out = bioToString(bio);
    BIO_free(bio);
    return out;
}

std::string DtlsCertificate::privateKeyPem() const
{
    BIO* bio = BIO_new(BIO_s_mem());
    std::string out;
    if (bio && PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
        out = bioToString(bio);
    }
    BIO_free(bio); // a memory BIO's buffer is cleared on free
    return out;
}

} // namespace vphone::media
