// fuzz_vcard: parseVCards (core/contacts/vcard.h) on arbitrary bytes. Invariants:
//   - every error names a line inside the input (or 0 for file-wide errors);
//   - every contact read is written as vCard 3.0 and 4.0 with CRLF lines of at most 75 octets,
//     and reading that back gives exactly one card, no error, and the same contact.
#include "contacts/vcard.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace vphone::contacts;

namespace {

[[noreturn]] void fail(const char* what, const QByteArray& text)
{
    std::fprintf(stderr, "fuzz_vcard: %s\n%.*s\n", what, static_cast<int>(text.size()), text.constData());
    std::abort();
}

void checkLines(const QByteArray& card)
{
    if (!card.endsWith("\r\n")) fail("card does not end in CRLF", card);
    qsizetype start = 0;
    while (start < card.size()) {
        const qsizetype lf = card.indexOf('\n', start);
        if (lf < 1 || card[lf - 1] != '\r') fail("bare LF", card);
        if (lf - 1 - start > 75) fail("line longer than 75 octets", card);
        start = lf + 1;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const VCardImport read = parseVCards(input);
    const qsizetype lines = input.count('\n') + 1;
    for (const VCardError& error : read.errors)
        if (error.line < 0 || error.line > lines || error.reason.isEmpty())
            fail("error line out of range", error.message().toUtf8());
    for (const Contact& contact : read.contacts) {
        if (contact.displayName.isEmpty()) fail("contact without a name", QByteArray());
        for (VCardVersion version : {VCardVersion::V3, VCardVersion::V4}) {
            const QByteArray card = writeVCard(contact, version);
            checkLines(card);
            const VCardImport back = parseVCards(card);
            if (!back.errors.isEmpty()) fail(qPrintable(back.errors.first().message()), card);
            if (back.contacts.size() != 1) fail("written card does not read back as one card", card);
            if (!(back.contacts.first() == contact)) fail("round trip changed the contact", card);
        }
    }
    return 0;
}
