#include "contacts/search_key.h"

namespace vphone::contacts {

QString foldForSearch(const QString& text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (QChar c : decomposed) {
        switch (c.category()) {
        case QChar::Mark_NonSpacing:
        case QChar::Mark_SpacingCombining:
        case QChar::Mark_Enclosing: continue;
        default: break;
        }
        switch (c.unicode()) {
        case u'ø':
        case u'Ø': out.append(u'o'); break;
        case u'ł':
        case u'Ł': out.append(u'l'); break;
        case u'đ':
        case u'Đ': out.append(u'd'); break;
        case u'æ':
        case u'Æ': out.append(u"ae"); break;
        case u'œ':
        case u'Œ': out.append(u"oe"); break;
        case u'ß': out.append(u"ss"); break;
        case u'þ':
        case u'Þ': out.append(u"th"); break;
        default: out.append(c);
        }
    }
    return out.toCaseFolded();
}

QString numberDigits(const QString& number)
{
    QString out;
    out.reserve(number.size());
    for (QChar c : number)
        if (c >= u'0' && c <= u'9') out.append(c);
    return out;
}

namespace {

/// The URI inside `"Name" <uri>` or the text itself, trimmed.
QString bareUri(const QString& uri)
{
    const qsizetype open = uri.indexOf(u'<');
    if (open >= 0) {
        const qsizetype close = uri.indexOf(u'>', open + 1);
        return uri.mid(open + 1, close < 0 ? -1 : close - open - 1).trimmed();
    }
    return uri.trimmed();
}

QString withoutScheme(const QString& uri)
{
    if (uri.startsWith(u"sips:", Qt::CaseInsensitive)) return uri.mid(5);
    if (uri.startsWith(u"sip:", Qt::CaseInsensitive)) return uri.mid(4);
    return uri;
}

} // namespace

QString sipMatchKey(const QString& uri)
{
    QString rest = withoutScheme(bareUri(uri));
    // RFC 3261 19.1.1: headers follow '?', parameters ';' (the user part may hold ';' only in
    // escaped form in practice, so cutting at the first one is safe enough for a lookup).
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) rest.truncate(q);
    if (const qsizetype semi = rest.indexOf(u';'); semi >= 0) rest.truncate(semi);
    const qsizetype at = rest.lastIndexOf(u'@');
    const qsizetype colon = rest.indexOf(u':', at + 1);
    // A port after the host (not inside an IPv6 reference "[...]").
    if (colon >= 0 && !rest.mid(at + 1).startsWith(u'['))
        rest.truncate(colon);
    else if (const qsizetype close = rest.indexOf(u"]:", at + 1); close >= 0)
        rest.truncate(close + 1);
    return foldForSearch(rest.trimmed());
}

QString sipTelephoneUser(const QString& uri)
{
    const QString bare = bareUri(uri);
    const QString rest = withoutScheme(bare);
    const qsizetype at = rest.indexOf(u'@');
    if (at <= 0 || rest.size() == bare.size()) return {};
    QString user = rest.left(at);
    if (const qsizetype semi = user.indexOf(u';'); semi >= 0) user.truncate(semi);
    const bool userPhone = rest.mid(at).contains(u";user=phone", Qt::CaseInsensitive);
    // Without user=phone, accept a user part made of dialling characters only ("+49301234",
    // "0301234"): what PBXs and trunks send in From.
    for (QChar c : user)
        if (!(c.isDigit() || c == u'+' || c == u'-' || c == u'.' || c == u' ' || c == u'(' || c == u')' ||
              (userPhone && (c == u'*' || c == u'#'))))
            return {};
    return numberDigits(user).isEmpty() ? QString() : user;
}

QString contactSearchKey(const Contact& contact)
{
    QStringList parts{contact.displayName, contact.givenName, contact.familyName, contact.organisation};
    for (const SipAddress& address : contact.sipAddresses)
        parts.append(withoutScheme(address.uri));
    for (const PhoneNumber& number : contact.phoneNumbers)
        parts.append(number.number);
    QString key = foldForSearch(parts.join(u'\n'));
    for (const PhoneNumber& number : contact.phoneNumbers)
        key += u'\n' + numberDigits(number.number);
    return key;
}

} // namespace vphone::contacts
