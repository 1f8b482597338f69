// A throwaway PKI made at test time with OpenSSL's C API: no key is ever checked in.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace vphone::test {

/// PEM files in a temporary directory that lives as long as this object.
struct TestPki {
    QString caCert;         ///< self-signed test CA
    QString serverCert;     ///< issued by the CA for DNS:localhost and IP:127.0.0.1
    QString serverKey;      ///< key of serverCert
    QString selfSignedCert; ///< self-signed, for DNS:pinned.test only
    QString selfSignedKey;  ///< key of selfSignedCert
    QString garbage;        ///< a file that holds no PEM at all

    /// Generates everything; nullptr (with the reason in *error) if OpenSSL refuses.
    static std::unique_ptr<TestPki> create(std::string* error);

private:
    QTemporaryDir dir_;
};

} // namespace vphone::test
