// What a REFER to the focus of a conference we host asks (conference_refer.h).
#include "ua/conference_refer.h"

#include <algorithm>

namespace vphone::ua {

ConferenceReferral conferenceReferral(const sip::Uri& referTo)
{
    ConferenceReferral r;
    r.target = referTo;
    const auto isMethod = [](const sip::Param& p) {
        return QString::fromStdString(p.name).compare(QLatin1String("method"), Qt::CaseInsensitive) == 0;
    };
    const auto method = referTo.param("method");
    r.remove = method && QString::fromUtf8(method->data(), static_cast<qsizetype>(method->size()))
                                 .compare(QLatin1String("BYE"), Qt::CaseInsensitive) == 0;
    std::erase_if(r.target.params, isMethod);
    return r;
}

qsizetype conferenceMemberIndex(const QStringList& memberUris, const sip::Uri& who)
{
    for (qsizetype i = 0; i < memberUris.size(); ++i) {
        const auto uri = sip::parseUri(memberUris[i].toStdString());
        if (uri && uri->equivalent(who)) return i;
    }
    return -1;
}

ReferOutcome removalOutcome(bool removed)
{
    return removed ? ReferOutcome{200, "OK"} : ReferOutcome{404, "Not a participant"};
}

} // namespace vphone::ua
