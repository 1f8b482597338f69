// The contact record shared by the SQLite store (database.h) and the vCard reader/writer
// (vcard.h). Plain values with Qt types so a QAbstractListModel can hand them to QML as-is.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace vphone::contacts {

/// A SIP address of a contact, e.g. {"sip:alice@example.com", "work"}.
struct SipAddress {
    QString uri;   ///< "sip:" or "sips:" URI as the user typed or imported it
    QString label; ///< "home", "work", a free label ("Büro"), or empty

    /// Field-by-field equality.
    bool operator==(const SipAddress&) const = default;
};

/// A phone number of a contact, e.g. {"+49 30 1234567", "cell"}.
struct PhoneNumber {
    QString number; ///< as typed or imported (spaces, dashes kept for display)
    QString label;  ///< "cell", "home", "work", "fax", a free label, or empty

    /// Field-by-field equality.
    bool operator==(const PhoneNumber&) const = default;
};

/// One entry of the address book.
struct Contact {
    qint64 id = 0;                   ///< database row id; 0 until stored (vCard import gives 0)
    QString displayName;             ///< what the UI shows (vCard FN)
    QString givenName;               ///< vCard N, second component
    QString familyName;              ///< vCard N, first component
    QString organisation;            ///< vCard ORG (components joined with ", ")
    QString note;                    ///< vCard NOTE
    QByteArray photo;                ///< image bytes (JPEG, PNG...), empty for none
    QString photoMimeType;           ///< "image/jpeg", "image/png"... or empty when unknown
    bool favourite = false;          ///< shown first / on the speed-dial page
    bool blf = false;                ///< watch this contact's line state (RFC 4235 dialog event package)
    QList<SipAddress> sipAddresses;  ///< in the user's order; the first is the default
    QList<PhoneNumber> phoneNumbers; ///< in the user's order; the first is the default

    /// Field-by-field equality (id included).
    bool operator==(const Contact&) const = default;
};

} // namespace vphone::contacts
