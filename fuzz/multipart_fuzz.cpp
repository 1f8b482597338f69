// libFuzzer target: parseMultipart and serializeMultipart.
//
// Input: the boundary, a line feed, then the body (seeds are "7a9cbec02ceef655\n" followed by
// a multipart body). Without a line feed the whole input is the body and the boundary is "b".
// Invariants checked (a violation aborts, so libFuzzer keeps the input):
// - parts that parsed serialise to text that parses back into the same parts;
// - serialising those parts again gives the same text;
// - an error's offset lies within the body.
#include "sip/multipart.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace vphone::sip;

namespace {

volatile std::size_t gSink = 0;

[[noreturn]] void fail(const char* what, std::string_view text)
{
    std::fprintf(stderr, "invariant broken: %s\n--- text (%zu bytes) ---\n%.*s\n---\n", what, text.size(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
}

bool sameParts(const std::vector<BodyPart>& a, const std::vector<BodyPart>& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].headers != b[i].headers || a[i].body != b[i].body) return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view boundary = "b";
    std::string_view body = input;
    if (const auto lf = input.find('\n'); lf != std::string_view::npos) {
        boundary = input.substr(0, lf);
        body = input.substr(lf + 1);
    }

    const auto parts = parseMultipart(body, boundary);
    if (!parts.ok()) {
        if (parts.error().offset > body.size()) fail("error offset past the end of the body", body);
        return 0;
    }
    for (const auto& part : *parts) {
        gSink = gSink + part.header("Content-Type").size() + part.body.size();
    }

    const std::string text = serializeMultipart(*parts, boundary);
    const auto again = parseMultipart(text, boundary);
    if (!again.ok()) {
        std::fprintf(stderr, "re-parse error at %zu: %s\n", again.error().offset, again.error().what.c_str());
        fail("serializeMultipart() output does not parse", text);
    }
    if (!sameParts(*parts, *again)) fail("parse(serialize(parts)) differs from parts", text);
    if (serializeMultipart(*again, boundary) != text) fail("serializeMultipart() is not idempotent", text);
    return 0;
}
