#include "net/stun.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace vphone::net::stun {

namespace {

constexpr std::uint16_t kMappedAddress = 0x0001;
constexpr std::uint16_t kErrorCode = 0x0009;
constexpr std::uint16_t kXorMappedAddress = 0x0020;
constexpr std::uint16_t kFingerprint = 0x8028;
constexpr std::uint32_t kFingerprintXor = 0x5354554e;
constexpr std::size_t kHeader = 20;

std::uint16_t get16(std::string_view b, std::size_t at)
{
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(b[at]) << 8) |
                                      static_cast<std::uint8_t>(b[at + 1]));
}

std::uint32_t get32(std::string_view b, std::size_t at)
{
    return (std::uint32_t{get16(b, at)} << 16) | get16(b, at + 2);
}

void put16(std::string& out, std::uint16_t v)
{
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& out, std::uint32_t v)
{
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

std::string header(std::uint16_t type, const TransactionId& id)
{
    std::string out;
    put16(out, type);
    put16(out, 0); // length, patched
    put32(out, kMagicCookie);
    out.append(reinterpret_cast<const char*>(id.data()), id.size());
    return out;
}

void setLength(std::string& msg, std::size_t attributesLength)
{
    msg[2] = static_cast<char>((attributesLength >> 8) & 0xff);
    msg[3] = static_cast<char>(attributesLength & 0xff);
}

/// Appends FINGERPRINT: the CRC covers the message up to it, with the length already counting it.
void addFingerprint(std::string& msg)
{
    setLength(msg, msg.size() - kHeader + 8);
    const std::uint32_t crc = crc32(msg) ^ kFingerprintXor;
    put16(msg, kFingerprint);
    put16(msg, 4);
    put32(msg, crc);
}

/// (XOR-)MAPPED-ADDRESS value; `xorWith` is cookie + transaction id for the XOR form.
std::optional<MappedAddress> decodeAddress(std::string_view v, const std::uint8_t* xorWith)
{
    if (v.size() < 4) return std::nullopt;
    const auto family = static_cast<std::uint8_t>(v[1]);
    std::uint16_t port = get16(v, 2);
    std::size_t len = 0;
    if (family == 0x01) {
        len = 4;
    } else if (family == 0x02) {
        len = 16;
    } else {
        return std::nullopt;
    }
    if (v.size() != 4 + len) return std::nullopt;
    std::array<std::uint8_t, 16> addr{};
    for (std::size_t i = 0; i < len; ++i)
        addr[i] = static_cast<std::uint8_t>(v[4 + i]) ^ (xorWith ? xorWith[i] : 0);
    if (xorWith) port ^= static_cast<std::uint16_t>(kMagicCookie >> 16);
    char text[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(len == 4 ? AF_INET : AF_INET6, addr.data(), text, sizeof text)) return std::nullopt;
    return MappedAddress{text, port};
}

} // namespace

std::uint32_t crc32(std::string_view bytes)
{
    std::uint32_t crc = 0xffffffffu;
    for (const char ch : bytes) {
        crc ^= static_cast<std::uint8_t>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

bool looksLikeStun(std::string_view d)
{
    if (d.size() < kHeader || (static_cast<std::uint8_t>(d[0]) & 0xc0) != 0) return false;
    if (get32(d, 4) != kMagicCookie) return false;
    const std::size_t length = get16(d, 2);
    return length % 4 == 0 && length + kHeader == d.size();
}

std::optional<Message> decode(std::string_view d)
{
    if (!looksLikeStun(d)) return std::nullopt;
    Message m;
    m.type = get16(d, 0);
    std::memcpy(m.id.data(), d.data() + 8, m.id.size());
    std::array<std::uint8_t, 16> xorKey{};
    for (int i = 0; i < 4; ++i)
        xorKey[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(kMagicCookie >> (24 - 8 * i));
    std::memcpy(xorKey.data() + 4, m.id.data(), m.id.size());
    std::optional<MappedAddress> plain;
    std::size_t at = kHeader;
    while (at < d.size()) {
        if (d.size() - at < 4) return std::nullopt;
        const std::uint16_t type = get16(d, at);
        const std::size_t len = get16(d, at + 2);
        const std::size_t padded = (len + 3) / 4 * 4;
        if (d.size() - at - 4 < padded) return std::nullopt;
        const std::string_view value = d.substr(at + 4, len);
        if (m.fingerprinted) return std::nullopt; // RFC 5389 §15.5: FINGERPRINT comes last
        switch (type) {
        case kXorMappedAddress:
            m.mapped = decodeAddress(value, xorKey.data());
            if (!m.mapped) return std::nullopt;
            break;
        case kMappedAddress:
            plain = decodeAddress(value, nullptr);
            if (!plain) return std::nullopt;
            break;
        case kErrorCode:
            if (len < 4) return std::nullopt;
            m.errorCode = (static_cast<std::uint8_t>(value[2]) & 0x07) * 100 +
                          static_cast<std::uint8_t>(value[3]) % 100;
            break;
        case kFingerprint: {
            if (len != 4) return std::nullopt;
            const std::uint32_t expected = crc32(d.substr(0, at)) ^ kFingerprintXor;
            if (get32(value, 0) != expected) return std::nullopt;
            m.fingerprinted = true;
            break;
        }
        default: break; // other attributes (SOFTWARE, MESSAGE-INTEGRITY...) are not used here
        }
        at += 4 + padded;
    }
    if (!m.mapped) m.mapped = plain;
    return m;
}

std::string bindingRequest(const TransactionId& id)
{
    std::string msg = header(kBindingRequest, id);
    addFingerprint(msg);
    return msg;
}

std::string bindingSuccess(const TransactionId& id, const MappedAddress& mapped)
{
    std::array<std::uint8_t, 16> addr{};
    std::uint8_t family = 0;
    std::size_t len = 0;
    if (inet_pton(AF_INET, mapped.host.c_str(), addr.data()) == 1) {
        family = 0x01;
        len = 4;
    } else if (inet_pton(AF_INET6, mapped.host.c_str(), addr.data()) == 1) {
        family = 0x02;
        len = 16;
    } else {
        return {};
    }
    std::string msg = header(kBindingSuccess, id);
    std::array<std::uint8_t, 16> key{};
    for (int i = 0; i < 4; ++i)
        key[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(kMagicCookie >> (24 - 8 * i));
    std::memcpy(key.data() + 4, id.data(), id.size());
    put16(msg, kXorMappedAddress);
    put16(msg, static_cast<std::uint16_t>(4 + len));
    msg.push_back(0);
    msg.push_back(static_cast<char>(family));
    put16(msg, static_cast<std::uint16_t>(mapped.port ^ (kMagicCookie >> 16)));
    for (std::size_t i = 0; i < len; ++i)
        msg.push_back(static_cast<char>(addr[i] ^ key[i]));
    addFingerprint(msg);
    return msg;
}

std::string bindingError(const TransactionId& id, int code, std::string_view reason)
{
    std::string msg = header(kBindingError, id);
    const std::size_t len = 4 + reason.size();
    put16(msg, kErrorCode);
    put16(msg, static_cast<std::uint16_t>(len));
    put16(msg, 0);
    msg.push_back(static_cast<char>((code / 100) & 0x07));
    msg.push_back(static_cast<char>(code % 100));
    msg.append(reason);
    msg.append((4 - len % 4) % 4, '\0');
    addFingerprint(msg);
    return msg;
}

} // namespace vphone::net::stun
