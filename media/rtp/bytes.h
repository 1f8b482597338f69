// Big-endian (network order) reads and writes on byte spans, shared by the RTP and RTCP codecs.
// Callers check bounds first; these helpers only assemble bytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vphone::media::bytes {

/// Reads a 16-bit network-order value at p.
inline std::uint16_t be16(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

/// Reads a 24-bit network-order value at p.
inline std::uint32_t be24(const std::uint8_t* p)
{
    return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}

/// Reads a 32-bit network-order value at p.
inline std::uint32_t be32(const std::uint8_t* p)
{
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

/// Writes a 16-bit value at p in network order.
inline void put16(std::uint8_t* p, std::uint16_t v)
{
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}

/// Writes the low 24 bits of v at p in network order.
inline void put24(std::uint8_t* p, std::uint32_t v)
{
    p[0] = static_cast<std::uint8_t>(v >> 16);
    p[1] = static_cast<std::uint8_t>(v >> 8);
    p[2] = static_cast<std::uint8_t>(v);
}

/// Writes a 32-bit value at p in network order.
inline void put32(std::uint8_t* p, std::uint32_t v)
{
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

} // namespace vphone::media::bytes
