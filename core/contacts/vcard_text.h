// Text helpers shared by the vCard reader and writer (internal to vphone_vcard): the labels
// the writer may put in TYPE=, value escaping and the clean-up the reader applies, kept in one
// place so that export followed by import gives back the same contact.
#pragma once

#include <QString>
#include <QStringList>

namespace vphone::contacts::vcard_detail {

/// TYPE values written as-is (RFC 2426 3.3.1 tel-type, RFC 6350 6.4.1 TEL and 5.6 TYPE); any
/// other label travels as an Apple-style `itemN.X-ABLabel` property so it survives unchanged.
bool isTypeLabel(const QString& label);

/// TYPE values that say something other than "which number" (preference, voice, e-mail kind):
/// never taken as a label.
bool isIgnoredType(const QString& type);

/// Removes C0 controls but TAB and LF (the only ones a text value can carry, LF as "\n")
/// and surrounding white space.
QString cleanText(const QString& text);

/// cleanText, then Apple's `_$!<Mobile>!$_` wrapper removed (repeatedly).
QString cleanLabel(const QString& label);

/// RFC 6350 3.4 / RFC 2426 5.8.4 text escaping: backslash, newline, comma, semicolon.
QString escapeText(const QString& text);

} // namespace vphone::contacts::vcard_detail
