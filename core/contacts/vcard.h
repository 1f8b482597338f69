// vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) import and export for the address book.
//
// Only QtCore: the fuzz target (fuzz/fuzz_vcard.cpp) links this without QtSql.
//
// Reading is tolerant of real exports (Apple's `item1.TEL` + `item1.X-ABLabel` groups, Google's
// `TYPE=` lists, folded base64 photos, 4.0 `tel:` and `data:` URIs) and strict per card: a card
// that cannot be read is dropped with the 1-based line number and the reason, and the other
// cards of the file still come out. Hostile input is bounded by the k* limits below; every step
// is linear in the input size.
#pragma once

#include "contacts/contact.h"
#include "contacts/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace vphone::contacts {

/// Largest file parseVCards() reads; larger input is refused whole.
inline constexpr qsizetype kVCardMaxFileBytes = 64 * 1024 * 1024;
/// Largest single card (BEGIN to END, unfolded); larger cards are skipped with an error.
inline constexpr qsizetype kVCardMaxCardBytes = 8 * 1024 * 1024;
/// Most properties (logical lines) in one card; more is an error for that card.
inline constexpr int kVCardMaxProperties = 5000;
/// Most SIP addresses and most phone numbers kept per card; the rest are ignored.
inline constexpr int kVCardMaxAddresses = 100;
/// Most errors reported for one file; later bad cards are still skipped, silently.
inline constexpr int kVCardMaxErrors = 1000;

/// Why one card (or part of the file) was rejected.
struct VCardError {
    int line = 0;   ///< 1-based physical line where the problem is (the BEGIN line for card-wide problems)
    QString reason; ///< "BEGIN:VCARD without END:VCARD", "property without ':'"...

    /// "line 7: BEGIN:VCARD without END:VCARD" (just the reason when line is 0).
    QString message() const;
    /// Field-by-field equality.
    bool operator==(const VCardError&) const = default;
};

/// What a file held: the good cards as contacts (id 0) and one error per rejected card.
struct VCardImport {
    QList<Contact> contacts;  ///< in file order
    QList<VCardError> errors; ///< in file order
};

/// The vCard version to write.
enum class VCardVersion {
    V3, ///< RFC 2426 (what most address books import)
    V4, ///< RFC 6350
};

/// Reads every card of `data` (UTF-8, CRLF or LF line ends, optional BOM).
VCardImport parseVCards(QByteArrayView data);

/// Reads a .vcf file; an Error only when the file cannot be read or is too large.
Result<VCardImport> readVCardFile(const QString& path);

/// One card for `contact` (id not written): CRLF line ends, lines folded at 75 octets without
/// splitting a UTF-8 sequence, text escaped, photo inline.
QByteArray writeVCard(const Contact& contact, VCardVersion version);

/// The cards of all `contacts`, one after the other.
QByteArray writeVCards(const QList<Contact>& contacts, VCardVersion version);

} // namespace vphone::contacts
