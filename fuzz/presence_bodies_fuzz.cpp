// fuzz_pidf / fuzz_message_summary / fuzz_dialog_info: the presence body readers
// (core/ua/presence_bodies.h) on arbitrary bytes; one source, the reader chosen by
// VPHONE_FUZZ_BODY. Invariants:
//   - a failure always says why (non-empty error), a success never leaves one;
//   - PIDF: a document read is written back with writePidf() and reads back with the same status
//     (when it has one) and the same note;
//   - message-summary: counts are never negative;
//   - dialog-info: every dialog read has its id.
#include "ua/presence_bodies.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace vphone::ua;

namespace {

[[noreturn]] void fail(const char* what, const QByteArray& input)
{
    std::fprintf(stderr, "presence body fuzz: %s\n%.*s\n", what, static_cast<int>(input.size()),
                 input.constData());
    std::abort();
}

[[maybe_unused]] bool plainText(const QString& s)
{
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.isSurrogate() || c.unicode() >= 0xfffe) return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    QString error;
#if VPHONE_FUZZ_BODY == 1
    auto doc = parsePidf(input, &error);
    if (!doc) {
        if (error.isEmpty()) fail("PIDF failure without an error", input);
        return 0;
    }
    if (!error.isEmpty()) fail("PIDF success with an error", input);
    if (doc->status != PresenceStatus::Unknown && plainText(doc->note) && plainText(doc->entity)) {
        const QByteArray written = writePidf(doc->entity, doc->status, doc->note);
        auto again = parsePidf(written, &error);
        if (!again) fail("our own PIDF does not read back", written);
        if (again->status != doc->status) fail("status changed on the round trip", written);
        if (again->note != doc->note) fail("note changed on the round trip", written);
    }
#elif VPHONE_FUZZ_BODY == 2
    auto summary = parseMessageSummary(input, &error);
    if (!summary) {
        if (error.isEmpty()) fail("message-summary failure without an error", input);
        return 0;
    }
    if (summary->newMessages < 0 || summary->oldMessages < 0 || summary->newUrgent < 0 ||
        summary->oldUrgent < 0)
        fail("negative message count", input);
#else
    auto info = parseDialogInfo(input, &error);
    if (!info) {
        if (error.isEmpty()) fail("dialog-info failure without an error", input);
        return 0;
    }
    for (const auto& d : info->dialogs) {
        if (d.id.isEmpty()) fail("dialog without id accepted", input);
    }
#endif
    return 0;
}
