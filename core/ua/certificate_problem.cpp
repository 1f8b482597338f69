#include "ua/certificate_problem.h"

#include <QDateTime>

namespace vphone::ua {

namespace {

QString joined(const QStringList& parts)
{
    return parts.join(QStringLiteral(", "));
}

} // namespace

QVariantMap CertificateProblem::toMap() const
{
    const QSslCertificate leaf = failure.leaf();
    QVariantMap m;
    m[QStringLiteral("host")] = failure.host;
    m[QStringLiteral("reason")] = failure.reason;
    m[QStringLiteral("errors")] = failure.errors;
    m[QStringLiteral("changed")] = changed();
    m[QStringLiteral("trustedSha256")] = changed() ? net::sha256Fingerprint(trusted) : QString();
    if (leaf.isNull()) return m;
    m[QStringLiteral("subject")] = joined(leaf.subjectInfo(QSslCertificate::CommonName));
    m[QStringLiteral("organization")] = joined(leaf.subjectInfo(QSslCertificate::Organization));
    m[QStringLiteral("issuer")] = leaf.issuerDisplayName();
    m[QStringLiteral("validFrom")] = leaf.effectiveDate().toUTC().toString(Qt::ISODate);
    m[QStringLiteral("validTo")] = leaf.expiryDate().toUTC().toString(Qt::ISODate);
    m[QStringLiteral("sha256")] = net::sha256Fingerprint(leaf);
    m[QStringLiteral("selfSigned")] = leaf.isSelfSigned();
    return m;
}

} // namespace vphone::ua
