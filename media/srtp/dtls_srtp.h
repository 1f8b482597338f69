// DTLS-SRTP (RFC 5764) key agreement, sans-I/O: datagrams in, datagrams out.
//
// Theory of operation. A DtlsSrtpSession wraps one OpenSSL DTLS 1.2 connection whose transport
// is a pair of in-memory datagram queues (a custom BIO keeps datagram boundaries, which a plain
// memory BIO would merge). start() makes the client's first flight; receive() feeds each
// datagram the peer sent; pollTransmit() drains what to send. The peer's certificate is
// self-signed and accepted only if its hash matches the fingerprint signalled in SDP (RFC 5763
// §5, RFC 8122). After the handshake the use_srtp extension (RFC 5764 §4.1) has picked one of
// the offered profiles and srtpKeys() exports the keying material ("EXTRACTOR-dtls_srtp") and
// splits it into client/server write keys (§4.2). Retransmission uses OpenSSL's own DTLS timer
// (which reads the system clock): timeout() says when, onTimeout() resends the last flight.
#pragma once

#include "dtls_certificate.h"
#include "srtp_session.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace vphone::media {

/// DTLS role (RFC 5763 §5: a=setup:active is the client, passive the server).
enum class DtlsRole { Invalid, Client, Server };

/// Where a DtlsSrtpSession stands.
enum class DtlsState { Invalid, New, Connecting, Connected, Failed, Closed };

/// OpenSSL's use_srtp profile name for a suite ("SRTP_AES128_CM_SHA1_80"), empty for Invalid.
std::string_view dtlsSrtpProfileName(SrtpSuite suite);
/// The suite of an RFC 5764 / RFC 7714 profile id (1, 2, 7, 8), Invalid otherwise.
SrtpSuite suiteFromDtlsSrtpProfile(unsigned long id);

/// RFC 5764 §4.2: splits exported keying material (client key, server key, client salt, server
/// salt) into our send/receive keys. nullopt if `material` has the wrong length for `suite`.
std::optional<SrtpKeys> srtpKeysFromDtls(std::span<const std::uint8_t> material, SrtpSuite suite,
                                         DtlsRole role);

/// Settings of a DtlsSrtpSession.
struct DtlsSrtpConfig {
    DtlsRole role = DtlsRole::Invalid;
    std::shared_ptr<const DtlsCertificate> certificate;
    std::string remoteFingerprint; ///< a=fingerprint value: "sha-256 AB:CD:..."
    std::vector<SrtpSuite> suites = {SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm,
                                     SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32};
    std::uint16_t mtu = 1200; ///< DTLS record size limit (fits any path with ICE/TURN overhead)
};

/// One DTLS-SRTP handshake.
class DtlsSrtpSession {
public:
    explicit DtlsSrtpSession(DtlsSrtpConfig config);
    ~DtlsSrtpSession();
    DtlsSrtpSession(const DtlsSrtpSession&) = delete;
    DtlsSrtpSession& operator=(const DtlsSrtpSession&) = delete;

    /// Begins the handshake (the client sends its ClientHello; the server waits).
    void start();
    /// Feeds one datagram from the peer.
    void receive(std::span<const std::uint8_t> datagram);
    /// Next datagram to send.
    std::optional<std::vector<std::uint8_t>> pollTransmit();
    /// Time until onTimeout() is due, while a flight awaits an answer.
    std::optional<std::chrono::milliseconds> timeout() const;
    /// Retransmits if OpenSSL's timer expired.
    void onTimeout();
    /// Sends close_notify.
    void close();

    DtlsState state() const { return state_; }
    /// Why the session failed (no secrets).
    const std::string& error() const { return error_; }
    /// The negotiated suite, once Connected.
    SrtpSuite suite() const { return suite_; }
    /// SRTP keys for our role, once Connected.
    std::optional<SrtpKeys> srtpKeys() const;
    /// Called from OpenSSL's verify callback: does the peer certificate match the fingerprint?
    bool verifyPeer(X509* certificate);

private:
    void drive();
    void fail(std::string why);

    DtlsSrtpConfig config_;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
    std::deque<std::vector<std::uint8_t>> incoming_;
    std::deque<std::vector<std::uint8_t>> outgoing_;
    DtlsState state_ = DtlsState::New;
    std::string error_;
    SrtpSuite suite_ = SrtpSuite::Invalid;
    bool peerVerified_ = false;
    SecretBytes material_;

    friend struct DtlsBio;
};

} // namespace vphone::media
