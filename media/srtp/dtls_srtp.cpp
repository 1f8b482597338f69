// DTLS-SRTP over an in-memory datagram BIO (RFC 5764, RFC 5763 fingerprints).
#include "dtls_srtp.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

namespace vphone::media {

namespace {

constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp"; // RFC 5764 §4.2

std::string lastSslError()
{
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "unknown error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

std::string upper(std::string_view s)
{
    std::string out;
    for (char c : s)
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

int verifyCallback(int, X509_STORE_CTX* store)
{
    // Self-signed certificates are expected: only the fingerprint decides (RFC 5763 §5).
    SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* session = ssl ? static_cast<DtlsSrtpSession*>(SSL_get_app_data(ssl)) : nullptr;
    if (!session) return 0;
    if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
    return session->verifyPeer(X509_STORE_CTX_get_current_cert(store)) ? 1 : 0;
}

} // namespace

// The datagram BIO: writes append one datagram each to `outgoing_`, reads take one datagram
// from `incoming_` (or ask to retry).
struct DtlsBio {
    static DtlsSrtpSession* owner(BIO* b) { return static_cast<DtlsSrtpSession*>(BIO_get_data(b)); }
    static int write(BIO* b, const char* data, int len)
    {
        if (len <= 0) return 0;
        auto* s = owner(b);
        const auto* p = reinterpret_cast<const std::uint8_t*>(data);
        s->outgoing_.emplace_back(p, p + len);
        return len;
    }
    static int read(BIO* b, char* out, int len)
    {
        auto* s = owner(b);
        BIO_clear_retry_flags(b);
        if (s->incoming_.empty()) {
            BIO_set_retry_read(b);
            return -1;
        }
        auto datagram = std::move(s->incoming_.front());
        s->incoming_.pop_front();
        const int n = std::min(len, static_cast<int>(datagram.size()));
        std::memcpy(out, datagram.data(), static_cast<std::size_t>(n));
        return n;
    }
    static long ctrl(BIO* b, int cmd, long, void*)
    {
        switch (cmd) {
        case BIO_CTRL_FLUSH: return 1;
        case BIO_CTRL_PENDING: {
            auto* s = owner(b);
            return s->incoming_.empty() ? 0 : static_cast<long>(s->incoming_.front().size());
        }
        case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: return 28; // IPv4 + UDP
        default: return 0;
        }
    }
    static int create(BIO* b)
    {
        BIO_set_init(b, 1);
        return 1;
    }
    static BIO_METHOD* method()
    {
        static BIO_METHOD* m = nullptr;
        static std::once_flag once;
        std::call_once(once, [] {
            m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "vphone dtls datagrams");
            BIO_meth_set_write(m, write);
            BIO_meth_set_read(m, read);
            BIO_meth_set_ctrl(m, ctrl);
            BIO_meth_set_create(m, create);
        });
        return m;
    }
};

std::string_view dtlsSrtpProfileName(SrtpSuite suite)
{
    switch (suite) {
    case SrtpSuite::AesCm128HmacSha1_80: return "SRTP_AES128_CM_SHA1_80";
    case SrtpSuite::AesCm128HmacSha1_32: return "SRTP_AES128_CM_SHA1_32";
    case SrtpSuite::AeadAes128Gcm: return "SRTP_AEAD_AES_128_GCM";
    case SrtpSuite::AeadAes256Gcm: return "SRTP_AEAD_AES_256_GCM";
    case SrtpSuite::Invalid: break;
    }
    return {};
}

SrtpSuite suiteFromDtlsSrtpProfile(unsigned long id)
{
    switch (id) {
    case 0x0001: return SrtpSuite::AesCm128HmacSha1_80;
    case 0x0002: return SrtpSuite::AesCm128HmacSha1_32;
    case 0x0007: return SrtpSuite::AeadAes128Gcm;
    case 0x0008: return SrtpSuite::AeadAes256Gcm;
    default: return SrtpSuite::Invalid;
    }
}

std::optional<SrtpKeys> srtpKeysFromDtls(std::span<const std::uint8_t> m, SrtpSuite suite, DtlsRole role)
{
    const std::size_t k = srtpKeyLength(suite);
    const std::size_t s = srtpSaltLength(suite);
    if (k == 0 || role == DtlsRole::Invalid || m.size() != 2 * (k + s)) return std::nullopt;
    // client_write_key | server_write_key | client_write_salt | server_write_salt
    std::vector<std::uint8_t> client(m.begin(), m.begin() + k);
    client.insert(client.end(), m.begin() + 2 * k, m.begin() + 2 * k + s);
    std::vector<std::uint8_t> server(m.begin() + k, m.begin() + 2 * k);
    server.insert(server.end(), m.begin() + 2 * k + s, m.end());
    SrtpKeys keys;
    keys.suite = suite;
    keys.send = SecretBytes(role == DtlsRole::Client ? client : server);
    keys.receive = SecretBytes(role == DtlsRole::Client ? server : client);
    OPENSSL_cleanse(client.data(), client.size());
    OPENSSL_cleanse(server.data(), server.size());
    return keys;
}

DtlsSrtpSession::DtlsSrtpSession(DtlsSrtpConfig config) : config_(std::move(config))
{
    if (config_.role == DtlsRole::Invalid) {
        fail("no DTLS role");
        return;
    }
    if (!config_.certificate) {
        fail("no certificate");
        return;
    }
    if (config_.remoteFingerprint.empty()) {
        fail("no remote fingerprint");
        return;
    }
    std::string profiles;
    for (SrtpSuite s : config_.suites) {
        if (dtlsSrtpProfileName(s).empty()) continue;
        if (!profiles.empty()) profiles += ':';
        profiles += dtlsSrtpProfileName(s);
    }
    if (profiles.empty()) {
        fail("no SRTP profile offered");
        return;
    }
    ctx_ = SSL_CTX_new(DTLS_method());
    if (!ctx_) {
        fail("SSL_CTX_new: " + lastSslError());
        return;
    }
    SSL_CTX_set_min_proto_version(ctx_, DTLS1_2_VERSION);
    // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
    if (SSL_CTX_use_certificate(ctx_, config_.certificate->x509()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx_, config_.certificate->privateKey()) != 1 ||
        SSL_CTX_check_private_key(ctx_) != 1 || SSL_CTX_set_tlsext_use_srtp(ctx_, profiles.c_str()) != 0) {
        fail("DTLS context: " + lastSslError());
        return;
    }
    ssl_ = SSL_new(ctx_);
    if (!ssl_) {
        fail("SSL_new: " + lastSslError());
        return;
    }
    SSL_set_app_data(ssl_, this);
    SSL_set_verify(ssl_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verifyCallback);
    BIO* bio = BIO_new(DtlsBio::method());
    if (!bio) {
        fail("BIO_new: " + lastSslError());
        return;
    }
    BIO_set_data(bio, this);
    SSL_set_bio(ssl_, bio, bio); // one BIO both ways: SSL takes its one reference
    SSL_set_options(ssl_, SSL_OP_NO_QUERY_MTU);
    SSL_set_mtu(ssl_, config_.mtu);
    DTLS_set_link_mtu(ssl_, config_.mtu);
    if (config_.role == DtlsRole::Client) {
        SSL_set_connect_state(ssl_);
    } else {
        SSL_set_accept_state(ssl_);
    }
}

DtlsSrtpSession::~DtlsSrtpSession()
{
    if (ssl_) SSL_free(ssl_);
    if (ctx_) SSL_CTX_free(ctx_);
}

void DtlsSrtpSession::fail(std::string why)
{
    state_ = DtlsState::Failed;
    error_ = std::move(why);
}

bool DtlsSrtpSession::verifyPeer(X509* certificate)
{
    const std::string& expected = config_.remoteFingerprint;
    const auto space = expected.find(' ');
    if (space == std::string::npos) return false;
    const std::string actual = certificateFingerprint(certificate, expected.substr(0, space));
    peerVerified_ = !actual.empty() && actual == upper(expected.substr(space + 1));
    return peerVerified_;
}

void DtlsSrtpSession::start()
{
    if (state_ != DtlsState::New) return;
    state_ = DtlsState::Connecting;
    drive();
}

void DtlsSrtpSession::receive(std::span<const std::uint8_t> datagram)
{
    if (state_ == DtlsState::Failed || state_ == DtlsState::Closed || !ssl_ || datagram.empty()) return;
    if (state_ == DtlsState::New) state_ = DtlsState::Connecting; // the server starts on ClientHello
    incoming_.emplace_back(datagram.begin(), datagram.end());
    drive();
}

void DtlsSrtpSession::drive()
{
    if (state_ == DtlsState::Connecting) {
        const int r = SSL_do_handshake(ssl_);
        if (r != 1) {
            const int e = SSL_get_error(ssl_, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return;
            return fail(peerVerified_ || SSL_get_verify_result(ssl_) == X509_V_OK
                            ? "DTLS handshake failed: " + lastSslError()
                            : "peer certificate does not match the signalled fingerprint");
        }
        if (!peerVerified_) return fail("peer certificate does not match the signalled fingerprint");
        const SRTP_PROTECTION_PROFILE* profile = SSL_get_selected_srtp_profile(ssl_);
        suite_ = profile ? suiteFromDtlsSrtpProfile(profile->id) : SrtpSuite::Invalid;
        if (suite_ == SrtpSuite::Invalid) return fail("no common SRTP profile (use_srtp)");
        std::vector<std::uint8_t> material(2 * srtpKeyMaterialLength(suite_));
        if (SSL_export_keying_material(ssl_, material.data(), material.size(), kExporterLabel,
                                       sizeof kExporterLabel - 1, nullptr, 0, 0) != 1) {
            return fail("keying material export failed");
        }
        material_ = SecretBytes(material);
        OPENSSL_cleanse(material.data(), material.size());
        state_ = DtlsState::Connected;
    }
    // Connected: drain records (alerts; DTLS-SRTP carries no application data here).
    while (state_ == DtlsState::Connected && !incoming_.empty()) {
        std::uint8_t buf[2048];
        const int n = SSL_read(ssl_, buf, sizeof buf);
        if (n > 0) continue;
        const int e = SSL_get_error(ssl_, n);
        if (e == SSL_ERROR_ZERO_RETURN) {
            state_ = DtlsState::Closed;
        } else if (e != SSL_ERROR_WANT_READ) {
            fail("DTLS: " + lastSslError());
        }
        break;
    }
}

std::optional<std::vector<std::uint8_t>> DtlsSrtpSession::pollTransmit()
{
    if (outgoing_.empty()) return std::nullopt;
    auto out = std::move(outgoing_.front());
    outgoing_.pop_front();
    return out;
}

std::optional<std::chrono::milliseconds> DtlsSrtpSession::timeout() const
{
    if (!ssl_ || state_ != DtlsState::Connecting) return std::nullopt;
    timeval tv{};
    if (DTLSv1_get_timeout(ssl_, &tv) != 1) return std::nullopt;
    return std::chrono::milliseconds{tv.tv_sec * 1000 + tv.tv_usec / 1000};
}

void DtlsSrtpSession::onTimeout()
{
    if (ssl_ && state_ == DtlsState::Connecting) DTLSv1_handle_timeout(ssl_);
}

void DtlsSrtpSession::close()
{
    if (ssl_ && state_ == DtlsState::Connected) SSL_shutdown(ssl_);
    if (state_ != DtlsState::Failed) state_ = DtlsState::Closed;
}

std::optional<SrtpKeys> DtlsSrtpSession::srtpKeys() const
{
    if (state_ != DtlsState::Connected) return std::nullopt;
    return srtpKeysFromDtls(material_.bytes(), suite_, config_.role);
}

} // namespace vphone::media
