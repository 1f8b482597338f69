#include "header_id.h"

#include "charset.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace vphone::sip {
namespace {

struct Entry {
    std::string_view name;
    char compact; // RFC 3261 §7.3.3 and extensions; 0 when none
    HeaderShape shape;
};

using S = HeaderShape;

// Indexed by HeaderId.
constexpr std::array<Entry, static_cast<std::size_t>(HeaderId::Count_)> kEntries{{
    {"", 0, S::Invalid},                   // Invalid
    {"", 0, S::Free},                      // Other
    {"Accept", 0, S::List},                //
    {"Accept-Encoding", 0, S::List},       //
    {"Accept-Language", 0, S::List},       //
    {"Alert-Info", 0, S::List},            //
    {"Allow", 0, S::List},                 //
    {"Allow-Events", 'u', S::List},        // RFC 6665
    {"Authentication-Info", 0, S::Free},   //
    {"Authorization", 0, S::Free},         //
    {"Call-ID", 'i', S::Single},           //
    {"Call-Info", 0, S::List},             //
    {"Contact", 'm', S::List},             //
    {"Content-Disposition", 0, S::Single}, //
    {"Content-Encoding", 'e', S::List},    //
    {"Content-Language", 0, S::List},      //
    {"Content-Length", 'l', S::Single},    //
    {"Content-Type", 'c', S::Single},      //
    {"CSeq", 0, S::Single},                //
    {"Date", 0, S::Single},                //
    {"Error-Info", 0, S::List},            //
    {"Event", 'o', S::Single},             // RFC 6665
    {"Expires", 0, S::Single},             //
    {"From", 'f', S::Single},              //
    {"In-Reply-To", 0, S::List},           //
    {"Max-Forwards", 0, S::Single},        //
    {"MIME-Version", 0, S::Single},        //
    {"Min-Expires", 0, S::Single},         //
    {"Min-SE", 0, S::Single},              // RFC 4028
    {"Organization", 0, S::Single},        //
    {"P-Asserted-Identity", 0, S::List},   // RFC 3325
    {"P-Preferred-Identity", 0, S::List},  // RFC 3325
    {"Priority", 0, S::Single},            //
    {"Proxy-Authenticate", 0, S::Free},    //
    {"Proxy-Authorization", 0, S::Free},   //
    {"Proxy-Require", 0, S::List},         //
    {"RAck", 0, S::Single},                // RFC 3262
    {"Reason", 0, S::List},                // RFC 3326
    {"Record-Route", 0, S::List},          //
    {"Refer-To", 'r', S::Single},          // RFC 3515
    {"Referred-By", 'b', S::Single},       // RFC 3892
    {"Replaces", 0, S::Single},            // RFC 3891
    {"Reply-To", 0, S::Single},            //
    {"Require", 0, S::List},               //
    {"Retry-After", 0, S::Single},         //
    {"Route", 0, S::List},                 //
    {"RSeq", 0, S::Single},                // RFC 3262
    {"Server", 0, S::Single},              //
    {"Session-Expires", 'x', S::Single},   // RFC 4028
    {"SIP-ETag", 0, S::Single},            // RFC 3903
    {"SIP-If-Match", 0, S::Single},        // RFC 3903
    {"Subject", 's', S::Single},           //
    {"Subscription-State", 0, S::Single},  // RFC 6665
    {"Supported", 'k', S::List},           //
    {"Timestamp", 0, S::Single},           //
    {"To", 't', S::Single},                //
    {"Unsupported", 0, S::List},           //
    {"User-Agent", 0, S::Single},          //
    {"Via", 'v', S::List},                 //
    {"Warning", 0, S::List},               //
    {"WWW-Authenticate", 0, S::Free},      //
}};

constexpr std::array<HeaderId, 26> makeCompactTable()
{
    std::array<HeaderId, 26> t{};
    for (auto& e : t)
        e = HeaderId::Invalid;
    for (std::size_t i = 0; i < kEntries.size(); ++i) {
        if (kEntries[i].compact) t[kEntries[i].compact - 'a'] = static_cast<HeaderId>(i);
    }
    // RFC 3841 Request-Disposition (d), RFC 3841 Accept-Contact (a), Reject-Contact (j) and
    // RFC 4474 Identity (y) have compact forms too, but no typed access here: they stay Other.
    return t;
}
constexpr auto kCompact = makeCompactTable();

// Buckets by length and first letter keep the lookup to one or two comparisons.
constexpr std::size_t kMaxNameLength = 20;
constexpr std::size_t kBucketSlots = 3;
using Bucket = std::array<HeaderId, kBucketSlots>;

constexpr std::array<std::array<Bucket, 26>, kMaxNameLength + 1> makeBuckets()
{
    std::array<std::array<Bucket, 26>, kMaxNameLength + 1> t{};
    for (auto& row : t)
        for (auto& b : row)
            for (auto& slot : b)
                slot = HeaderId::Invalid;
    for (std::size_t i = 2; i < kEntries.size(); ++i) {
        const auto& name = kEntries[i].name;
        auto& bucket = t[name.size()][charset::toLower(name[0]) - 'a'];
        std::size_t s = 0;
        while (bucket[s] != HeaderId::Invalid)
            ++s; // overflow fails constant evaluation
        bucket[s] = static_cast<HeaderId>(i);
    }
    return t;
}
constexpr auto kBuckets = makeBuckets();

// Lower-case copies of the names, padded with zeros, for an 8-bytes-at-a-time comparison.
using LowerName = std::array<char, 24>;
constexpr std::array<LowerName, kEntries.size()> makeLowerNames()
{
    std::array<LowerName, kEntries.size()> t{};
    for (std::size_t i = 0; i < kEntries.size(); ++i) {
        for (std::size_t k = 0; k < kEntries[i].name.size(); ++k)
            t[i][k] = charset::toLower(kEntries[i].name[k]);
    }
    return t;
}
constexpr auto kLowerNames = makeLowerNames();

inline std::uint64_t load8(const char* p)
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// Case-insensitive equality of a token against a lower-case name made of letters and '-'.
/// OR-ing 0x20 lower-cases letters and leaves '-' alone; the only other byte it could map onto
/// '-' is CR, which a token never holds.
bool equalsLower(std::string_view in, const LowerName& lower)
{
    constexpr std::uint64_t kCase = 0x2020202020202020ULL;
    std::size_t i = 0;
    for (; i + 8 <= in.size(); i += 8) {
        if ((load8(in.data() + i) | kCase) != load8(lower.data() + i)) return false;
    }
    for (; i < in.size(); ++i) {
        if ((in[i] | 0x20) != lower[i]) return false;
    }
    return true;
}

} // namespace

HeaderId headerIdFromName(std::string_view name)
{
    if (name.empty()) return HeaderId::Invalid;
    if (name.size() == 1) {
        const char c = charset::toLower(name[0]);
        if (c >= 'a' && c <= 'z' && kCompact[c - 'a'] != HeaderId::Invalid) return kCompact[c - 'a'];
        return HeaderId::Other;
    }
    if (name.size() > kMaxNameLength) return HeaderId::Other;
    const char first = charset::toLower(name[0]);
    if (first < 'a' || first > 'z') return HeaderId::Other;
    for (HeaderId id : kBuckets[name.size()][first - 'a']) {
        if (id == HeaderId::Invalid) break;
        if (equalsLower(name, kLowerNames[static_cast<std::size_t>(id)])) return id;
    }
    return HeaderId::Other;
}

std::string_view headerName(HeaderId id)
{
    const auto i = static_cast<std::size_t>(id);
    return i < kEntries.size() ? kEntries[i].name : std::string_view{};
}

HeaderShape headerShape(HeaderId id)
{
    const auto i = static_cast<std::size_t>(id);
    return i < kEntries.size() ? kEntries[i].shape : HeaderShape::Invalid;
}

} // namespace vphone::sip
