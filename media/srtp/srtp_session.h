// SRTP/SRTCP protection (RFC 3711, RFC 7714 AES-GCM) through libsrtp2.
//
// An SrtpSession holds two libsrtp2 contexts: one for what we send (any outbound SSRC) and one
// for what we receive (any inbound SSRC), each keyed with one master key||salt. Keys come from
// SDES (sdes_crypto.h) or DTLS-SRTP (dtls_srtp.h). Protection works in place in the caller's
// buffer, which needs kSrtpMaxTrailer spare bytes. Inbound packets that fail authentication or
// the replay check are dropped and counted by reason. libsrtp2 is initialised once per process
// (std::call_once). Key bytes live in SecretBytes, which wipes itself and is never printed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::media {

/// Spare bytes after a packet that protect() may need (libsrtp2's SRTP_MAX_TRAILER_LEN).
inline constexpr std::size_t kSrtpMaxTrailer = 16 + 128;

/// SRTP crypto suites (RFC 4568 §6.2 names; RFC 7714 §14 for GCM).
enum class SrtpSuite { Invalid, AesCm128HmacSha1_80, AesCm128HmacSha1_32, AeadAes128Gcm, AeadAes256Gcm };

/// The suite's SDP name, e.g. "AES_CM_128_HMAC_SHA1_80".
std::string_view toString(SrtpSuite suite);
/// The suite with that SDP name (exact, case-sensitive as in RFC 4568), or Invalid.
SrtpSuite srtpSuiteFromName(std::string_view name);
/// Master key and master salt lengths in bytes.
std::size_t srtpKeyLength(SrtpSuite suite);
std::size_t srtpSaltLength(SrtpSuite suite);
/// Key + salt.
inline std::size_t srtpKeyMaterialLength(SrtpSuite suite)
{
    return srtpKeyLength(suite) + srtpSaltLength(suite);
}

/// Bytes that must not leak: wiped (OPENSSL_cleanse) on destruction and reassignment.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::span<const std::uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
    SecretBytes(const SecretBytes& other) : bytes_(other.bytes_) {}
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    std::span<const std::uint8_t> bytes() const { return bytes_; }
    std::size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }
    bool operator==(const SecretBytes& other) const;

private:
    void wipe();
    std::vector<std::uint8_t> bytes_;
};

/// What one SRTP session needs: the suite and the master key||salt for each direction.
struct SrtpKeys {
    SrtpSuite suite = SrtpSuite::Invalid;
    SecretBytes send;    ///< key||salt protecting what we send
    SecretBytes receive; ///< key||salt of what the peer sends
};

/// Result of one protect or unprotect.
enum class SrtpStatus {
    Ok,
    AuthFail,   ///< srtp_err_status_auth_fail: wrong key or tampered packet
    ReplayFail, ///< srtp_err_status_replay_fail / replay_old: seen before or too old
    BadPacket,  ///< too short to be (S)RTP, or no room for the trailer
    Failed,     ///< any other libsrtp2 error
    Count
};

/// Short name of an SrtpStatus ("auth fail").
std::string_view toString(SrtpStatus status);

/// A keyed SRTP session.
class SrtpSession {
public:
    /// Creates the session, or returns nullopt and sets `error` (never containing key bytes)
    /// when the suite is Invalid, a key has the wrong length or libsrtp2 refuses.
    static std::optional<SrtpSession> create(const SrtpKeys& keys, std::string* error = nullptr);

    SrtpSession(SrtpSession&& other) noexcept;
    SrtpSession& operator=(SrtpSession&& other) noexcept;
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;
    ~SrtpSession();

    /// Protects the RTP packet buffer[0, length) in place; length grows by the auth tag.
    /// buffer.size() must be at least length + kSrtpMaxTrailer.
    SrtpStatus protectRtp(std::span<std::uint8_t> buffer, std::size_t& length);
    /// Unprotects in place; length shrinks. Failures are counted in drops().
    SrtpStatus unprotectRtp(std::span<std::uint8_t> buffer, std::size_t& length);
    /// Same for RTCP (SRTCP adds the E-flag/index word and tag).
    SrtpStatus protectRtcp(std::span<std::uint8_t> buffer, std::size_t& length);
    SrtpStatus unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t& length);

    /// Vector conveniences: grow/shrink the vector.
    SrtpStatus protectRtp(std::vector<std::uint8_t>& packet);
    SrtpStatus unprotectRtp(std::vector<std::uint8_t>& packet);
    SrtpStatus protectRtcp(std::vector<std::uint8_t>& packet);
    SrtpStatus unprotectRtcp(std::vector<std::uint8_t>& packet);

    SrtpSuite suite() const { return suite_; }
    /// Inbound packets dropped for `why` (RTP and RTCP together).
    std::uint64_t drops(SrtpStatus why) const { return drops_[static_cast<std::size_t>(why)]; }
    /// Packets protected / unprotected successfully.
    std::uint64_t protectedCount() const { return protected_; }
    std::uint64_t unprotectedCount() const { return unprotected_; }

private:
    struct Contexts;
    SrtpSession(SrtpSuite suite, std::unique_ptr<Contexts> contexts);
    enum class Op { ProtectRtp, UnprotectRtp, ProtectRtcp, UnprotectRtcp };
    SrtpStatus run(Op op, std::span<std::uint8_t> buffer, std::size_t& length);
    SrtpStatus runVector(Op op, std::vector<std::uint8_t>& packet);

    SrtpSuite suite_ = SrtpSuite::Invalid;
    std::unique_ptr<Contexts> contexts_;
    std::array<std::uint64_t, static_cast<std::size_t>(SrtpStatus::Count)> drops_{};
    std::uint64_t protected_ = 0;
    std::uint64_t unprotected_ = 0;
};

/// Initialises libsrtp2 once per process (thread-safe); false if srtp_init failed.
bool srtpLibraryReady();

} // namespace vphone::media
