// libsrtp2 session wrapper: suites, policies, in-place protect/unprotect, drop counters.
#include "srtp_session.h"

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <mutex>

namespace vphone::media {

static_assert(kSrtpMaxTrailer >= SRTP_MAX_TRAILER_LEN, "kSrtpMaxTrailer below libsrtp2's");

namespace {

// A replay window wider than the default 128 tolerates the reordering a jitter buffer handles.
constexpr unsigned long kReplayWindow = 1024;

void setPolicy(SrtpSuite suite, srtp_policy_t& p)
{
    switch (suite) {
    case SrtpSuite::AesCm128HmacSha1_80:
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
        break;
    case SrtpSuite::AesCm128HmacSha1_32:
        // RFC 4568 §6.2.2 / RFC 5764 §4.1.2: the 32-bit tag is for SRTP only; SRTCP keeps 80.
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
        break;
    case SrtpSuite::AeadAes128Gcm:
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
        break;
    case SrtpSuite::AeadAes256Gcm:
        srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
        srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtcp);
        break;
    case SrtpSuite::Invalid: break;
    }
}

SrtpStatus fromLibrary(srtp_err_status_t e)
{
    switch (e) {
    case srtp_err_status_ok: return SrtpStatus::Ok;
    case srtp_err_status_auth_fail: return SrtpStatus::AuthFail;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return SrtpStatus::ReplayFail;
    case srtp_err_status_bad_param: return SrtpStatus::BadPacket;
    default: return SrtpStatus::Failed;
    }
}

} // namespace

bool srtpLibraryReady()
{
    static std::once_flag once;
    static bool ready = false;
    std::call_once(once, [] { ready = srtp_init() == srtp_err_status_ok; });
    return ready;
}

std::string_view toString(SrtpSuite suite)
{
    switch (suite) {
    case SrtpSuite::AesCm128HmacSha1_80: return "AES_CM_128_HMAC_SHA1_80";
    case SrtpSuite::AesCm128HmacSha1_32: return "AES_CM_128_HMAC_SHA1_32";
    case SrtpSuite::AeadAes128Gcm: return "AEAD_AES_128_GCM";
    case SrtpSuite::AeadAes256Gcm: return "AEAD_AES_256_GCM";
    case SrtpSuite::Invalid: break;
    }
    return "invalid";
}

SrtpSuite srtpSuiteFromName(std::string_view name)
{
    for (auto s : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32, SrtpSuite::AeadAes128Gcm,
                   SrtpSuite::AeadAes256Gcm}) {
        if (toString(s) == name) return s;
    }
    return SrtpSuite::Invalid;
}

std::size_t srtpKeyLength(SrtpSuite suite)
{
    switch (suite) {
    case SrtpSuite::AesCm128HmacSha1_80:
    case SrtpSuite::AesCm128HmacSha1_32:
    case SrtpSuite::AeadAes128Gcm: return 16;
    case SrtpSuite::AeadAes256Gcm: return 32;
    case SrtpSuite::Invalid: break;
    }
    return 0;
}

std::size_t srtpSaltLength(SrtpSuite suite)
{
    switch (suite) {
    case SrtpSuite::AesCm128HmacSha1_80:
    case SrtpSuite::AesCm128HmacSha1_32: return 14; // RFC 3711 §8.2
    case SrtpSuite::AeadAes128Gcm:
    case SrtpSuite::AeadAes256Gcm: return 12; // RFC 7714 §12
    case SrtpSuite::Invalid: break;
    }
    return 0;
}

std::string_view toString(SrtpStatus status)
{
    switch (status) {
    case SrtpStatus::Ok: return "ok";
    case SrtpStatus::AuthFail: return "auth fail";
    case SrtpStatus::ReplayFail: return "replay fail";
    case SrtpStatus::BadPacket: return "bad packet";
    case SrtpStatus::Failed: return "failed";
    case SrtpStatus::Count: break;
    }
    return "unknown";
}

// --- SecretBytes

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_))
{
    other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other)
{
    if (this != &other) {
        wipe();
        bytes_ = other.bytes_;
    }
    return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        wipe();
        bytes_ = std::move(other.bytes_);
        other.bytes_.clear();
    }
    return *this;
}

SecretBytes::~SecretBytes()
{
    wipe();
}

void SecretBytes::wipe()
{
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_.clear();
}

bool SecretBytes::operator==(const SecretBytes& other) const
{
    return bytes_.size() == other.bytes_.size() &&
           (bytes_.empty() || CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0);
}

// --- SrtpSession

struct SrtpSession::Contexts {
    srtp_t tx = nullptr;
    srtp_t rx = nullptr;
    ~Contexts()
    {
        if (tx) srtp_dealloc(tx);
        if (rx) srtp_dealloc(rx);
    }
};

SrtpSession::SrtpSession(SrtpSuite suite, std::unique_ptr<Contexts> contexts)
    : suite_(suite), contexts_(std::move(contexts))
{}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept = default;
SrtpSession::~SrtpSession() = default;

std::optional<SrtpSession> SrtpSession::create(const SrtpKeys& keys, std::string* error)
{
    auto fail = [&](std::string what) -> std::optional<SrtpSession> {
        if (error) *error = std::move(what);
        return std::nullopt;
    };
    if (!srtpLibraryReady()) return fail("libsrtp2 failed to initialise");
    if (keys.suite == SrtpSuite::Invalid) return fail("no SRTP crypto suite");
    const std::size_t need = srtpKeyMaterialLength(keys.suite);
    if (keys.send.size() != need || keys.receive.size() != need) {
        return fail(std::string(toString(keys.suite)) + " needs " + std::to_string(need) +
                    " bytes of key||salt");
    }
    auto contexts = std::make_unique<Contexts>();
    for (int dir = 0; dir < 2; ++dir) {
        srtp_policy_t p{};
        setPolicy(keys.suite, p);
        p.ssrc.type = dir == 0 ? ssrc_any_outbound : ssrc_any_inbound;
        // libsrtp2 copies the key during srtp_create; the policy only borrows it.
        const auto& key = dir == 0 ? keys.send : keys.receive;
        p.key = const_cast<unsigned char*>(key.bytes().data());
        p.window_size = kReplayWindow;
        p.allow_repeat_tx = 0;
        p.next = nullptr;
        const srtp_err_status_t e = srtp_create(dir == 0 ? &contexts->tx : &contexts->rx, &p);
        if (e != srtp_err_status_ok)
            return fail("libsrtp2 refused the policy (error " + std::to_string(e) + ")");
    }
    return SrtpSession(keys.suite, std::move(contexts));
}

SrtpStatus SrtpSession::run(Op op, std::span<std::uint8_t> buffer, std::size_t& length)
{
    const bool protect = op == Op::ProtectRtp || op == Op::ProtectRtcp;
    const std::size_t minimum = (op == Op::ProtectRtp || op == Op::UnprotectRtp) ? 12 : 8;
    SrtpStatus status = SrtpStatus::BadPacket;
    if (contexts_ && length >= minimum && length <= buffer.size() && length < (1u << 16) &&
        (!protect || buffer.size() - length >= kSrtpMaxTrailer)) {
        int len = static_cast<int>(length);
        srtp_err_status_t e = srtp_err_status_fail;
        switch (op) {
        case Op::ProtectRtp: e = srtp_protect(contexts_->tx, buffer.data(), &len); break;
        case Op::UnprotectRtp: e = srtp_unprotect(contexts_->rx, buffer.data(), &len); break;
        case Op::ProtectRtcp: e = srtp_protect_rtcp(contexts_->tx, buffer.data(), &len); break;
        case Op::UnprotectRtcp: e = srtp_unprotect_rtcp(contexts_->rx, buffer.data(), &len); break;
        }
        status = fromLibrary(e);
        if (status == SrtpStatus::Ok) length = static_cast<std::size_t>(len);
    }
    if (protect) {
        if (status == SrtpStatus::Ok) ++protected_;
    } else if (status == SrtpStatus::Ok) {
        ++unprotected_;
    } else {
        ++drops_[static_cast<std::size_t>(status)];
    }
    return status;
}

SrtpStatus SrtpSession::runVector(Op op, std::vector<std::uint8_t>& packet)
{
    std::size_t length = packet.size();
    const bool protect = op == Op::ProtectRtp || op == Op::ProtectRtcp;
    if (protect) packet.resize(length + kSrtpMaxTrailer);
    const SrtpStatus s = run(op, packet, length);
    packet.resize(s == SrtpStatus::Ok ? length : (protect ? packet.size() - kSrtpMaxTrailer : packet.size()));
    return s;
}

SrtpStatus SrtpSession::protectRtp(std::span<std::uint8_t> buffer, std::size_t& length)
{
    return run(Op::ProtectRtp, buffer, length);
}
SrtpStatus SrtpSession::unprotectRtp(std::span<std::uint8_t> buffer, std::size_t& length)
{
    return run(Op::UnprotectRtp, buffer, length);
}
SrtpStatus SrtpSession::protectRtcp(std::span<std::uint8_t> buffer, std::size_t& length)
{
    return run(Op::ProtectRtcp, buffer, length);
}
SrtpStatus SrtpSession::unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t& length)
{
    return run(Op::UnprotectRtcp, buffer, length);
}
SrtpStatus SrtpSession::protectRtp(std::vector<std::uint8_t>& packet)
{
    return runVector(Op::ProtectRtp, packet);
}
SrtpStatus SrtpSession::unprotectRtp(std::vector<std::uint8_t>& packet)
{
    return runVector(Op::UnprotectRtp, packet);
}
SrtpStatus SrtpSession::protectRtcp(std::vector<std::uint8_t>& packet)
{
    return runVector(Op::ProtectRtcp, packet);
}
SrtpStatus SrtpSession::unprotectRtcp(std::vector<std::uint8_t>& packet)
{
    return runVector(Op::UnprotectRtcp, packet);
}

} // namespace vphone::media
