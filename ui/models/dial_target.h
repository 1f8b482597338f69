// What a user types in the dial bar, or a URI another program hands over (a sip:/tel:/callto:
// link), turned into the SIP request URI to call. Pure: no I/O, no settings read here.
//
//   sip:bob@example.test, sips:...   kept as typed (checked by the SIP URI parser)
//   callto:bob@host, callto:+123     the same as typing what follows "callto:"
//   tel:+1-555-1234, +1 (555) 1234   a number through the account's dial plan:
//                                    sip:+15551234@DOMAIN;user=phone (RFC 3261 §19.1.6)
//   bob@host, host:port, 192.0.2.1   sip:bob@host, sip:host:port, sip:192.0.2.1
//   [::1]:5070, ::1                  sip:[::1]:5070, sip:[::1]
//   bob                              sip:bob@DOMAIN (an error without an account)
#pragma once

#include <QString>

namespace vphone::ui {

/// How numbers are dialled from one account.
struct DialPlan {
    QString domain;              ///< host numbers and bare names go to (the account's domain)
    QString stripPrefix;         ///< removed from the start of a national number ("0")
    QString addPrefix;           ///< then put in front of it ("0049")
    QString internationalPrefix; ///< replaces a leading '+' ("00"); empty: '+' is kept
    bool userPhone = true;       ///< add ";user=phone" to numbers
};

/// A request URI, or why there is none (a sentence for the user).
struct DialTarget {
    QString uri;
    QString error;
    bool ok() const { return error.isEmpty() && !uri.isEmpty(); }
};

/// `input` (trimmed) as the URI to call from an account dialling with `plan`.
DialTarget normaliseDialTarget(const QString& input, const DialPlan& plan = {});

} // namespace vphone::ui
