// URI equivalence (RFC 3261 §19.1.4, RFC 3966 §4, RFC 5118 §4.5): components compare by their
// decoded characters, escapes decoded on the fly, case folded where the RFC says so; parameters
// and headers compare as sets. Parsing and printing are in uri.cpp.
#include "charset.h"
#include "uri.h"
#include "uri_internal.h"

#include <algorithm>
#include <array>

namespace vphone::sip {
namespace {

using detail::compareEscaped;
using detail::isVisualSeparator;
using detail::parseIPv6;

/// Compares telephone digits ignoring visual separators and hex-digit case (RFC 3966 §4).
bool sameDigits(std::string_view a, std::string_view b)
{
    std::size_t i = 0, j = 0;
    for (;;) {
        while (i < a.size() && isVisualSeparator(a[i]))
            ++i;
        while (j < b.size() && isVisualSeparator(b[j]))
            ++j;
        if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
        if (charset::toLower(a[i]) != charset::toLower(b[j])) return false;
        ++i;
        ++j;
    }
}

/// A parameter's value as the text to compare; a flag parameter has none.
bool sameParamValue(const Param& a, const Param& b, UriScheme scheme)
{
    if (a.value.has_value() != b.value.has_value()) return false;
    if (!a.value) return true;
    if (scheme == UriScheme::Tel) {
        // RFC 3966 §4: a global-number phone-context compares without visual separators.
        const bool numeric =
            compareEscaped(a.name, "ext", true) == 0 ||
            (compareEscaped(a.name, "phone-context", true) == 0 && !a.value->empty() && (*a.value)[0] == '+');
        if (numeric) return sameDigits(*a.value, *b.value);
    }
    return compareEscaped(*a.value, *b.value, true) == 0;
}

/// RFC 3261 §19.1.4: these must match when present in either URI; tel requires all to match.
bool mustMatch(const Param& p, UriScheme scheme)
{
    if (scheme == UriScheme::Tel) return true;
    for (std::string_view name : {"user", "ttl", "method", "maddr", "transport"}) {
        if (compareEscaped(p.name, name, true) == 0) return true;
    }
    return false;
}

std::vector<const Param*> pointers(const std::vector<Param>& params)
{
    std::vector<const Param*> out;
    out.reserve(params.size());
    for (const Param& p : params)
        out.push_back(&p);
    return out;
}

/// The first parameter of each name, sorted by decoded case-folded name.
std::vector<const Param*> sortedFirsts(const std::vector<Param>& params)
{
    auto out = pointers(params);
    std::stable_sort(out.begin(), out.end(), [](const Param* a, const Param* b) {
        return compareEscaped(a->name, b->name, true) < 0;
    });
    out.erase(std::unique(
                  out.begin(), out.end(),
                  [](const Param* a, const Param* b) { return compareEscaped(a->name, b->name, true) == 0; }),
              out.end());
    return out;
}

/// Parameter-set equivalence; a repeated name counts by its first occurrence.
bool sameParams(const std::vector<Param>& a, const std::vector<Param>& b, UriScheme scheme)
{
    if (a.size() + b.size() <= 16) {
        // Short lists (the usual case): no allocation, quadratic is cheaper than sorting.
        for (const Param& p : a) {
            if (findParam(a, p.name) != &p) continue;
            const Param* q = findParam(b, p.name);
            if (q == nullptr ? mustMatch(p, scheme) : !sameParamValue(p, *q, scheme)) return false;
        }
        for (const Param& q : b) {
            if (findParam(b, q.name) == &q && mustMatch(q, scheme) && findParam(a, q.name) == nullptr) {
                return false;
            }
        }
        return true;
    }
    const auto x = sortedFirsts(a);
    const auto y = sortedFirsts(b);
    std::size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
        const int order = i == x.size()   ? 1
                          : j == y.size() ? -1
                                          : compareEscaped(x[i]->name, y[j]->name, true);
        if (order < 0) {
            if (mustMatch(*x[i++], scheme)) return false;
        } else if (order > 0) {
            if (mustMatch(*y[j++], scheme)) return false;
        } else if (!sameParamValue(*x[i++], *y[j++], scheme)) {
            return false;
        }
    }
    return true;
}

/// RFC 3261 §19.1.4: every header component must be present in both with equal values. Names
/// fold case, values compare exactly after unescaping; order does not matter.
bool sameHeaders(const std::vector<Param>& a, const std::vector<Param>& b)
{
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    const auto less = [](const Param* p, const Param* q) {
        if (const int c = compareEscaped(p->name, q->name, true); c != 0) return c < 0;
        if (p->value.has_value() != q->value.has_value()) return !p->value.has_value();
        return p->value && compareEscaped(*p->value, *q->value, false) < 0;
    };
    auto x = pointers(a);
    auto y = pointers(b);
    std::sort(x.begin(), x.end(), less);
    std::sort(y.begin(), y.end(), less);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (less(x[i], y[i]) || less(y[i], x[i])) return false;
    }
    return true;
}

bool sameHost(const Uri& a, const Uri& b)
{
    if (a.hostType != b.hostType) return false;
    if (a.hostType == HostType::IPv6) {
        // RFC 5118 §4.5 and RFC 4291 §2.2: "2001:db8::9:1" and "2001:db8::9:01" are one address.
        std::array<std::uint8_t, 16> x{}, y{};
        if (parseIPv6(a.host, x) && parseIPv6(b.host, y)) return x == y;
    }
    return charset::iequals(a.host, b.host);
}

bool sameSip(const Uri& a, const Uri& b)
{
    // RFC 3261 §19.1.4: userinfo is case-sensitive, everything else folds case; escapes decode.
    if (compareEscaped(a.user, b.user, false) != 0) return false;
    if (a.password.has_value() != b.password.has_value() ||
        (a.password && compareEscaped(*a.password, *b.password, false) != 0)) {
        return false;
    }
    if (!sameHost(a, b) || a.port != b.port) return false;
    return sameParams(a.params, b.params, a.scheme) && sameHeaders(a.headers, b.headers);
}

} // namespace

bool Uri::equivalent(const Uri& other) const
{
    if (scheme != other.scheme) return false; // RFC 3261 §19.1.4: sip never equals sips
    switch (scheme) {
    case UriScheme::Invalid: return false;
    case UriScheme::Sip:
    case UriScheme::Sips: return sameSip(*this, other);
    case UriScheme::Tel:
        // RFC 3966 §4: both global or both local, same digits, same parameter set.
        return user.starts_with('+') == other.user.starts_with('+') && sameDigits(user, other.user) &&
               sameParams(params, other.params, scheme);
    case UriScheme::Other: return charset::iequals(schemeText, other.schemeText) && opaque == other.opaque;
    }
    return false;
}

} // namespace vphone::sip
