// libFuzzer target for parseUri: no crash on any input, and printing is a fixed point.
//
// Invariants checked for every URI that parses:
//  - toString() parses again, to the same fields (only the scheme's case may differ);
//  - printing that again gives the same text;
//  - equivalent() is reflexive and holds between the original and the reparsed URI.
#include "sip/uri.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using vphone::sip::Uri;

bool sameFields(const Uri& a, const Uri& b)
{
    return a.scheme == b.scheme && a.user == b.user && a.password == b.password && a.host == b.host &&
           a.hostType == b.hostType && a.port == b.port && a.params == b.params && a.headers == b.headers &&
           a.opaque == b.opaque;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto uri = vphone::sip::parseUri(text);
    if (!uri.ok()) {
        if (uri.error().offset > size || uri.error().what.empty()) std::abort();
        return 0;
    }
    (void)uri->hostPort();
    (void)uri->param("transport");
    (void)vphone::sip::unescape(uri->user);

    const std::string printed = uri->toString();
    const auto again = vphone::sip::parseUri(printed);
    if (!again.ok()) std::abort();
    if (!sameFields(*uri, *again)) std::abort();
    if (again->toString() != printed) std::abort();
    if (!uri->equivalent(*uri) || !uri->equivalent(*again) || !again->equivalent(*uri)) std::abort();
    return 0;
}
