// TLS settings of the SIP transport (RFC 3261 §26.3.1, RFC 5922 certificate checks) and their
// loading from PEM files.
//
// Verification is always on for outgoing connections: the peer's chain must lead to a CA in the
// system store or in caCertificates, and its name must match the host we meant to reach. The one
// exception is explicit and per account: a pinned certificate (--trust-cert) is accepted when the
// peer's leaf certificate is exactly it, whatever its issuer or names. There is no switch that
// turns verification off.
//
// Trust on first use (issue 7): when verification fails, the transport keeps what the server
// presented as a CertificateFailure (its chain, the name it was checked against, Qt's reasons),
// which reaches the account; a user who trusts it pins the leaf (SipTransport::
// setTrustedCertificates), after which exactly that certificate is accepted. Certificates are
// public: nothing here touches key material.
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <optional>

namespace vphone::net {

/// Certificates and keys for SIP over TLS.
struct TlsConfig {
    /// Our certificate, presented by tls: listeners (the leaf; its chain follows in chain).
    QSslCertificate certificate;
    /// Intermediate certificates sent after `certificate`, leaf first as in the PEM file.
    QList<QSslCertificate> chain;
    /// The private key of `certificate`.
    QSslKey privateKey;
    /// Trust anchors added to the system CA store for outgoing connections (--ca-file).
    QList<QSslCertificate> caCertificates;
    /// A certificate trusted as is (--trust-cert): a peer whose leaf equals it is accepted even when
    /// self-signed or issued for another name. Other peers are still verified normally.
    std::optional<QSslCertificate> pinnedCertificate;

    /// True when a certificate and its key are loaded (needed to listen on tls:).
    bool hasIdentity() const { return !certificate.isNull() && !privateKey.isNull(); }

    /// Loads our certificate (with any chain after it) and its unencrypted private key, and checks
    /// that the key belongs to the certificate. False with *error saying which file and why.
    bool loadIdentity(const QString& certificateFile, const QString& keyFile, QString* error);
    /// Adds every certificate of a PEM file to caCertificates.
    bool addCaFile(const QString& file, QString* error);
    /// Pins the first certificate of a PEM file (the leaf, if the file holds a chain).
    bool loadPinnedCertificate(const QString& file, QString* error);
};

/// What a server presented when its certificate failed verification (trust on first use).
struct CertificateFailure {
    QString host;                 ///< the name it was verified against (RFC 5922 §7.2)
    QList<QSslCertificate> chain; ///< the server's chain as sent, leaf first
    QStringList errors;           ///< Qt's reasons, one per error ("The certificate is self-signed...")
    QString reason;               ///< the reason in one line ("certificate not trusted: ...")

    /// The server's own certificate (null when it sent none).
    QSslCertificate leaf() const { return chain.isEmpty() ? QSslCertificate() : chain.first(); }
};

/// The SHA-256 fingerprint of a certificate's DER encoding as colon hex ("AB:CD:..."), the form
/// `openssl x509 -fingerprint -sha256` prints. Empty for a null certificate.
QString sha256Fingerprint(const QSslCertificate& certificate);

/// Reads all certificates of a PEM file; nullopt with *error when the file cannot be read or holds
/// no certificate.
std::optional<QList<QSslCertificate>> loadCertificates(const QString& file, QString* error);

/// Reads an unencrypted PEM private key (RSA, EC or DSA; PKCS#1, SEC1 or PKCS#8).
std::optional<QSslKey> loadPrivateKey(const QString& file, QString* error);

/// True when `key` is the private key of `certificate`.
bool keyMatchesCertificate(const QSslKey& key, const QSslCertificate& certificate);

} // namespace vphone::net
