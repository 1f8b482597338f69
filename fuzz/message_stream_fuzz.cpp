// libFuzzer target: a TCP/TLS byte stream through StreamFramer, read in fuzzer-chosen pieces.
//
// Input: the first byte picks the read size (1 to 256 bytes), the rest is the stream.
// Invariants checked (a violation aborts, so libFuzzer keeps the input):
// - how the stream is cut into reads does not matter: the same messages come out, in the same
//   order, as when it arrives in one read, and a stream that fails one way fails the other;
// - each message serialises to text that StreamFramer reads back as one equal message.
#include "sip/parser.h"

#include <algorithm>
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

void touch(std::string_view s)
{
    std::size_t h = s.size();
    for (char c : s)
        h = h * 31 + static_cast<unsigned char>(c);
    gSink = gSink + h;
}

[[noreturn]] void fail(const char* what, std::string_view text)
{
    std::fprintf(stderr, "invariant broken: %s\n--- text (%zu bytes) ---\n%.*s\n---\n", what, text.size(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
}

/// The typed accessors a UA reads on every message.
void exercise(const Message& m)
{
    if (m.isRequest()) {
        if (auto uri = m.requestUri(); uri.ok()) touch(uri->toString());
    }
    if (auto via = m.topVia(); via.ok()) touch(via->branch());
    if (auto vias = m.vias(); vias.ok()) gSink = gSink + vias->size();
    if (auto from = m.from(); from.ok()) touch(from->tag());
    if (auto to = m.to(); to.ok()) touch(to->toString());
    if (auto id = m.callId()) touch(*id);
    if (auto cseq = m.cseq(); cseq.ok()) gSink = gSink + cseq->sequence;
    if (auto mf = m.maxForwards(); mf.ok()) gSink = gSink + *mf;
    if (auto contacts = m.contacts(); contacts.ok()) {
        for (const auto& c : contacts->contacts)
            touch(c.toString());
    }
    if (auto routes = m.routes(HeaderId::RecordRoute); routes.ok()) gSink = gSink + routes->size();
    if (auto routes = m.routes(); routes.ok()) gSink = gSink + routes->size();
    if (auto ct = m.contentType(); ct.ok()) touch(ct->toString());
    if (auto ex = m.expires(); ex.ok()) gSink = gSink + *ex;
    for (HeaderId id :
         {HeaderId::Via, HeaderId::Contact, HeaderId::Supported, HeaderId::Require, HeaderId::Allow}) {
        for (auto v : m.values(id))
            touch(v);
    }
    touch(m.body());
}

/// What came out of one framer: each message serialised, and whether an error ended it.
struct Outcome {
    std::vector<std::string> messages;
    bool failed = false;
};

/// Takes every ready message out of the framer; false once the stream has failed.
bool drain(StreamFramer& framer, Outcome& out, bool exerciseMessages)
{
    while (auto next = framer.next()) {
        if (!next->ok()) {
            touch(next->error().what);
            out.failed = true;
            return false;
        }
        if (exerciseMessages) exercise(**next);
        out.messages.push_back((*next)->serialize());
    }
    return true;
}

Outcome frame(std::string_view stream, std::size_t readSize, bool exerciseMessages)
{
    StreamFramer framer;
    Outcome out;
    for (std::size_t at = 0; at < stream.size(); at += readSize) {
        if (!framer.feed(stream.substr(at, readSize))) {
            if (!framer.error()) fail("feed() failed without an error", stream);
            out.failed = true;
            return out;
        }
        if (!drain(framer, out, exerciseMessages)) return out;
        if (framer.buffered() > stream.size()) fail("buffered() exceeds what was fed", stream);
    }
    touch(framer.error() ? framer.error()->what : std::string());
    gSink = gSink + framer.keepAlivesSeen();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::size_t readSize = std::size_t{data[0]} + 1;
    const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

    const Outcome pieces = frame(stream, readSize, true);
    const Outcome whole = frame(stream, std::max<std::size_t>(stream.size(), 1), false);
    // When the stream fails, a framer may notice in feed() before it hands out the messages
    // ahead of the error, so then one list need only be a prefix of the other.
    const auto& shorter = pieces.messages.size() <= whole.messages.size() ? pieces.messages : whole.messages;
    const auto& longer = pieces.messages.size() <= whole.messages.size() ? whole.messages : pieces.messages;
    const bool samePrefix = std::equal(shorter.begin(), shorter.end(), longer.begin());
    const bool sameMessages = pieces.failed ? samePrefix : pieces.messages == whole.messages;
    if (!sameMessages || pieces.failed != whole.failed) {
        std::fprintf(stderr, "read size %zu: %zu messages%s; one read: %zu messages%s\n", readSize,
                     pieces.messages.size(), pieces.failed ? " then an error" : "", whole.messages.size(),
                     whole.failed ? " then an error" : "");
        fail("the messages depend on how the stream was cut into reads", stream);
    }

    // Serialised messages, back to back, frame into the same messages again.
    std::string again;
    for (const auto& m : pieces.messages)
        again += m;
    Limits roomy;
    roomy.maxMessageSize = again.size() + 1;
    roomy.maxLineLength = again.size() + 1;
    roomy.maxHeaderCount = again.size() + 1;
    StreamFramer framer(roomy);
    if (!framer.feed(again)) fail("serialised messages do not feed", again);
    Outcome reread;
    drain(framer, reread, false);
    if (reread.failed || reread.messages != pieces.messages || framer.buffered() != 0) {
        fail("serialised messages do not frame back into the same messages", again);
    }
    return 0;
}
