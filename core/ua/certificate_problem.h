// CertificateProblem: why an account's TLS connection was refused, as data a user can inspect
// before trusting the certificate on first use (issue 7).
//
// Theory of operation: SipTransport keeps what a server presented when its certificate failed
// verification (net::CertificateFailure) and reports it for each request that waited on the
// connection; UaDriver adds the certificate the account had trusted, if any, and hands the result
// to the Account. A different certificate than the trusted one is a changed certificate: the user
// is told so in plain words and the connection stays refused. Everything here is public data
// (certificates, names, fingerprints); no key material is involved.
#pragma once

#include "net/tls_config.h"

#include <QSslCertificate>
#include <QString>
#include <QVariantMap>

namespace vphone::ua {

/// A refused server certificate and, if the account had trusted one, that one.
struct CertificateProblem {
    net::CertificateFailure failure;
    QSslCertificate trusted; ///< the account's pinned certificate (null: none)

    /// The account had trusted a certificate and the server now presents another one.
    bool changed() const { return !trusted.isNull() && failure.leaf() != trusted; }
    /// The fields a certificate dialog shows: host, subject (CN), organization (O), issuer,
    /// validFrom / validTo (ISO 8601, UTC), sha256 (colon hex), selfSigned, errors (Qt's
    /// strings), reason, changed, trustedSha256 (the pinned one's fingerprint, when changed).
    QVariantMap toMap() const;
};

} // namespace vphone::ua
