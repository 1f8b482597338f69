// What a REFER to the focus of a conference we host asks (RFC 4579 §5.5 add, §5.6 remove),
// shared by the Phone facade (phone_transfer.cpp) and vphone-cli (cli_transfer.cpp).
//
// Theory of operation: a Refer-To with the method=BYE parameter (RFC 3515 §2.4.2) names a
// member to remove; any other asks us to invite its address. The member is found among the
// conference's connected members by URI equivalence (RFC 3261 §19.1.4) of their address with
// the Refer-To less its method parameter; the referrer is NOTIFYed 200 once it got its BYE, or
// 404 when no member has that address.
#pragma once

#include "sip/uri.h"

#include <QString>
#include <QStringList>

#include <string>

namespace vphone::ua {

struct ConferenceReferral {
    bool remove = false; ///< method=BYE: remove the member at `target`; else invite `target`
    sip::Uri target;     ///< the Refer-To without its method parameter
};

ConferenceReferral conferenceReferral(const sip::Uri& referTo);

/// The index in `memberUris` (the addresses of the members that may be removed) of the one at
/// `who`, -1 when none.
qsizetype conferenceMemberIndex(const QStringList& memberUris, const sip::Uri& who);

/// The sipfrag status the referrer of a removal gets.
struct ReferOutcome {
    int code = 0;
    std::string reason;
};
ReferOutcome removalOutcome(bool removed);

} // namespace vphone::ua
