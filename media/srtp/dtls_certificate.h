// The DTLS identity of a user profile (RFC 5763 §5): a self-signed certificate on an EC P-256
// key, and its fingerprint for the SDP a=fingerprint attribute (RFC 8122 §5).
//
// The certificate is generated once per profile and can be stored (certificatePem() and the
// secret privateKeyPem()) and reloaded with fromPem(). Peers are checked by fingerprint only:
// the certificate is self-signed by design, what binds it to the call is the signalled hash.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace vphone::media {

/// A certificate and its private key.
class DtlsCertificate {
public:
    /// A new EC P-256 key and a self-signed SHA-256 certificate valid from a day ago for `validity`.
    static std::optional<DtlsCertificate> generate(std::string_view commonName = "vphone",
                                                   std::chrono::hours validity = std::chrono::hours{24 *
                                                                                                    365});
    /// Loads a stored certificate and key; nullopt if either is unreadable or they do not match.
    static std::optional<DtlsCertificate> fromPem(std::string_view certificatePem,
                                                  std::string_view privateKeyPem);

    /// "AB:CD:..." SHA-256 of the DER certificate, upper case (the a=fingerprint value after "sha-256 ").
    const std::string& fingerprint() const { return fingerprint_; }
    /// PEM of the certificate (public).
    std::string certificatePem() const;
    /// PEM of the private key: a secret, for the profile's key store only.
    std::string privateKeyPem() const;

    X509* x509() const { return certificate_.get(); }
    EVP_PKEY* privateKey() const { return key_.get(); }

private:
    DtlsCertificate(std::shared_ptr<X509> certificate, std::shared_ptr<EVP_PKEY> key);
    std::shared_ptr<X509> certificate_;
    std::shared_ptr<EVP_PKEY> key_;
    std::string fingerprint_;
};

/// The fingerprint of `certificate` with `algorithm` ("sha-256", "sha-1", "sha-384", "sha-512"),
/// as upper-case colon-separated hex; empty for an unknown algorithm.
std::string certificateFingerprint(X509* certificate, std::string_view algorithm);

} // namespace vphone::media
