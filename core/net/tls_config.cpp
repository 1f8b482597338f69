#include "net/tls_config.h"

#include <QCryptographicHash>
#include <QFile>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace vphone::net {

namespace {

std::optional<QByteArray> readFile(const QString& file, QString* error)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = QStringLiteral("cannot read %1: %2").arg(file, f.errorString());
        return std::nullopt;
    }
    return f.readAll();
}

template <class T, void (*Free)(T*)> struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;

BioPtr memoryBio(const QByteArray& bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.constData(), static_cast<int>(bytes.size())));
}

} // namespace

QString sha256Fingerprint(const QSslCertificate& certificate)
{
    if (certificate.isNull()) return {};
    const QByteArray hex = certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
    return QString::fromLatin1(hex);
}

std::optional<QList<QSslCertificate>> loadCertificates(const QString& file, QString* error)
{
    const auto bytes = readFile(file, error);
    if (!bytes) return std::nullopt;
    QList<QSslCertificate> certificates = QSslCertificate::fromData(*bytes, QSsl::Pem);
    if (certificates.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1 is not a PEM certificate file (no certificate in it)").arg(file);
        return std::nullopt;
    }
    return certificates;
}

std::optional<QSslKey> loadPrivateKey(const QString& file, QString* error)
{
    const auto bytes = readFile(file, error);
    if (!bytes) return std::nullopt;
    if (bytes->contains("ENCRYPTED")) {
        if (error)
            *error = QStringLiteral("%1 holds an encrypted private key; a key without passphrase is needed")
                         .arg(file);
        return std::nullopt;
    }
    for (const auto algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(*bytes, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) return key;
    }
    if (error) *error = QStringLiteral("%1 is not a PEM private key (RSA, EC or DSA)").arg(file);
    return std::nullopt;
}

bool keyMatchesCertificate(const QSslKey& key, const QSslCertificate& certificate)
{
    if (key.isNull() || certificate.isNull()) return false;
    const QByteArray certPem = certificate.toPem();
    const QByteArray keyPem = key.toPem();
    X509Ptr x509(PEM_read_bio_X509(memoryBio(certPem).get(), nullptr, nullptr, nullptr));
    PkeyPtr pkey(PEM_read_bio_PrivateKey(memoryBio(keyPem).get(), nullptr, nullptr, nullptr));
    const bool match = x509 && pkey && X509_check_private_key(x509.get(), pkey.get()) == 1;
    ERR_clear_error(); // a mismatch leaves an error on this thread's OpenSSL queue
    return match;
}

bool TlsConfig::loadIdentity(const QString& certificateFile, const QString& keyFile, QString* error)
{
    auto certificates = loadCertificates(certificateFile, error);
    if (!certificates) return false;
    auto key = loadPrivateKey(keyFile, error);
    if (!key) return false;
    if (!keyMatchesCertificate(*key, certificates->first())) {
        if (error)
            *error = QStringLiteral("the private key in %1 does not match the certificate in %2")
                         .arg(keyFile, certificateFile);
        return false;
    }
    certificate = certificates->takeFirst();
    chain = *certificates;
    privateKey = *key;
    return true;
}

bool TlsConfig::addCaFile(const QString& file, QString* error)
{
    auto certificates = loadCertificates(file, error);
    if (!certificates) return false;
    caCertificates += *certificates;
    return true;
}

bool TlsConfig::loadPinnedCertificate(const QString& file, QString* error)
{
    auto certificates = loadCertificates(file, error);
    if (!certificates) return false;
    pinnedCertificate = certificates->first();
    return true;
}

} // namespace vphone::net
