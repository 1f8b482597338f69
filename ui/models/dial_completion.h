// Dial bar completion: what the user types, matched against the address book (names, SIP
// addresses, numbers; accent- and case-insensitive through Database::searchContacts) and the
// call history (peers' addresses and names), as suggestions "label — target" to pick from.
#pragma once

#include "contacts/database.h"

#include <QList>
#include <QString>

namespace vphone::ui {

struct DialSuggestion {
    QString label;  ///< what the list shows: "Bob Builder", or the history peer's name
    QString detail; ///< the address or number it calls, shown under the label
    QString target; ///< what goes to PhoneController::dial()
    bool operator==(const DialSuggestion&) const = default;
};

/// Up to `limit` suggestions for `typed` (at least 2 characters): contacts first (each address
/// and number of a matching contact), then history peers not already listed, most recent first.
QList<DialSuggestion> dialSuggestions(const contacts::Database& db, const QString& typed, int limit = 8);

} // namespace vphone::ui
