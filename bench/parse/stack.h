// Common interface of the SIP parse benchmark: each stack (vphone and the peers) parses one
// message and reads the same fields into Fields, so every stack does the same work.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vphone::bench {

/// What every stack reads out of each message. The strings are reused across iterations, so
/// after the first pass assigning to them does not allocate; the cost of the copies is the same
/// for every stack and keeps the reads from being optimised away.
struct Fields {
    std::string branch;            ///< top Via branch parameter
    std::string fromTag;           ///< From tag ("" when absent)
    std::string toTag;             ///< To tag ("" when absent)
    std::string callId;            ///< Call-ID value
    std::uint32_t cseq = 0;        ///< CSeq number
    std::string cseqMethod;        ///< CSeq method text
    bool hasContact = false;       ///< first Contact present
    std::string contactUser;       ///< first Contact URI user part
    std::string contactHost;       ///< first Contact URI host
    std::uint32_t contactPort = 0; ///< first Contact URI port, 0 when absent

    void clear()
    {
        branch.clear();
        fromTag.clear();
        toTag.clear();
        callId.clear();
        cseq = 0;
        cseqMethod.clear();
        hasContact = false;
        contactUser.clear();
        contactHost.clear();
        contactPort = 0;
    }
    bool operator==(const Fields&) const = default;
    /// Folds the fields into a number that the timing loop accumulates (a data dependency).
    std::uint64_t checksum() const
    {
        return branch.size() + fromTag.size() * 3 + toTag.size() * 5 + callId.size() * 7 + cseq +
               cseqMethod.size() * 11 + contactUser.size() * 13 + contactHost.size() * 17 + contactPort;
    }
};

/// One SIP stack under test.
struct Stack {
    const char* name;
    /// Version / notes shown in the table header; may be empty.
    const char* detail;
    /// Called once before anything else; false means the stack cannot run here.
    bool (*init)();
    /// Parses `msg` (msg.data()[msg.size()] is guaranteed to be '\0') and fills `out`.
    /// Returns false when the stack rejects the message or a field is missing.
    bool (*parseAndRead)(std::string_view msg, Fields& out);
    /// Called once at the end.
    void (*shutdown)();
};

/// Parses a port written as decimal text ("" / nullptr -> 0).
inline std::uint32_t portFromText(const char* s, std::size_t n)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; ++i)
        v = v * 10 + std::uint32_t(s[i] - '0');
    return v;
}

// Adapters, each in its own file, compiled only when its library is found.
const Stack& vphoneStack();
const Stack& osipStack();
const Stack& sofiaStack();
const Stack& belleStack();
const Stack& libreStack();

} // namespace vphone::bench
