#include "test_pki.h"

#include <QFile>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace vphone::test {

namespace {

template <class T, void (*Free)(T*)> struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

PkeyPtr newKey()
{
    return PkeyPtr(EVP_EC_gen("P-256"));
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/// A certificate for `key` named `commonName`, signed by issuerKey (self-signed when issuer is null).
X509Ptr makeCertificate(EVP_PKEY* key, const char* commonName, X509* issuer, EVP_PKEY* issuerKey, long serial,
                        bool isCa, const char* subjectAltName)
{
    X509Ptr cert(X509_new());
    if (!cert) return nullptr;
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("vphone tests"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName),
                               -1, -1, 0);
    X509* signer = issuer ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    bool ok = addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (isCa) {
        ok = ok && addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        ok = ok && addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        ok = ok && addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        ok = ok &&
             addExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
        ok = ok && addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
        if (issuer) ok = ok && addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    }
    if (subjectAltName) ok = ok && addExtension(cert.get(), signer, NID_subject_alt_name, subjectAltName);
    if (!ok || X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) == 0) return nullptr;
    return cert;
}

QByteArray pem(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(n));
}

QByteArray pem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(n));
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

std::unique_ptr<TestPki> TestPki::create(std::string* error)
{
    auto pki = std::unique_ptr<TestPki>(new TestPki);
    const auto fail = [&](const char* why) -> std::unique_ptr<TestPki> {
        *error = why;
        return nullptr;
    };
    if (!pki->dir_.isValid()) return fail("no temporary directory");
    PkeyPtr caKey = newKey();
    PkeyPtr serverKey = newKey();
    PkeyPtr selfKey = newKey();
    if (!caKey || !serverKey || !selfKey) return fail("EC key generation failed");
    X509Ptr ca = makeCertificate(caKey.get(), "vphone test CA", nullptr, nullptr, 1, true, nullptr);
    if (!ca) return fail("CA certificate failed");
    X509Ptr server = makeCertificate(serverKey.get(), "localhost", ca.get(), caKey.get(), 2, false,
                                     "DNS:localhost,IP:127.0.0.1");
    X509Ptr self =
        makeCertificate(selfKey.get(), "pinned.test", nullptr, nullptr, 3, false, "DNS:pinned.test");
    if (!server || !self) return fail("leaf certificate failed");

    const auto path = [&](const char* name) { return pki->dir_.filePath(QString::fromLatin1(name)); };
    pki->caCert = path("ca.pem");
    pki->serverCert = path("server.pem");
    pki->serverKey = path("server.key");
    pki->selfSignedCert = path("self.pem");
    pki->selfSignedKey = path("self.key");
    pki->garbage = path("garbage.pem");
    const bool ok =
        writeFile(pki->caCert, pem(ca.get())) && writeFile(pki->serverCert, pem(server.get())) &&
        writeFile(pki->serverKey, pem(serverKey.get())) && writeFile(pki->selfSignedCert, pem(self.get())) &&
        writeFile(pki->selfSignedKey, pem(selfKey.get())) && writeFile(pki->garbage, "this is not PEM\n");
    if (!ok) return fail("cannot write PEM files");
    return pki;
}

} // namespace vphone::test
