// Keys the store computes in C++ and keeps in indexed columns, because SQLite's LIKE and
// NOCASE fold ASCII only: "jose" must find "José" and "muller" "Müller".
#pragma once

#include "contacts/contact.h"

#include <QString>

namespace vphone::contacts {

/// Text folded for matching and sorting: NFKD, combining marks dropped, case folded, and the
/// few Latin letters without a decomposition mapped by hand (ø, ł, đ, æ, œ, ß, þ):
/// "José Müller" -> "jose muller".
QString foldForSearch(const QString& text);

/// The digits of a phone number: "+49 (30) 123-45" -> "493012345".
QString numberDigits(const QString& number);

/// What a SIP address is matched on: scheme (sip/sips alike), display name, angle brackets,
/// port, parameters and headers dropped, folded:
/// `"Alice" <sip:Alice@Example.COM:5060;transport=tcp>` -> "alice@example.com".
QString sipMatchKey(const QString& uri);

/// The user part of a SIP URI when it is a telephone number (RFC 3261 19.1.1 `user=phone`,
/// or just digits): "sip:+49 30 123@gw;user=phone" -> "+49 30 123"; empty otherwise.
QString sipTelephoneUser(const QString& uri);

/// The contact's contacts.search_key: folded names, organisation and addresses, plus the digits
/// of every number, one per line so a query never matches across two fields.
QString contactSearchKey(const Contact& contact);

} // namespace vphone::contacts
