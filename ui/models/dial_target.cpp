#include "models/dial_target.h"

#include "sip/uri.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace vphone::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("DialTarget", text);
}

DialTarget failure(QString why)
{
    return DialTarget{{}, std::move(why)};
}

/// Checks a sip:/sips: URI with the SIP parser (a request URI needs a host).
DialTarget checkedSip(const QString& uri, const QString& shown)
{
    const auto parsed = sip::parseUri(uri.toStdString());
    if (!parsed || (parsed->scheme != sip::UriScheme::Sip && parsed->scheme != sip::UriScheme::Sips) ||
        parsed->host.empty())
        return failure(tr("'%1' is not a valid SIP address").arg(shown));
    return DialTarget{uri, {}};
}

/// A telephone number with its visual separators (RFC 3966 §5.1.1) removed; empty when `text`
/// is not one.
QString phoneNumber(const QString& text)
{
    static const QRegularExpression number(QStringLiteral("^\\+?[0-9*#()\\-. ]+$"));
    static const QRegularExpression digit(QStringLiteral("[0-9]"));
    if (!number.match(text).hasMatch() || !digit.match(text).hasMatch()) return {};
    QString out;
    for (const QChar c : text) {
        if (c.isDigit() || c == QLatin1Char('+') || c == QLatin1Char('*') || c == QLatin1Char('#')) out += c;
    }
    if (out.lastIndexOf(QLatin1Char('+')) > 0) return {};
    return out;
}

DialTarget number(QString digits, const DialPlan& plan, const QString& shown)
{
    if (plan.domain.isEmpty())
        return failure(tr("Calling the number %1 needs an account: add one, or type a SIP "
                          "address such as bob@example.com")
                           .arg(shown));
    if (digits.startsWith(QLatin1Char('+'))) {
        if (!plan.internationalPrefix.isEmpty()) digits = plan.internationalPrefix + digits.mid(1);
    } else {
        if (!plan.stripPrefix.isEmpty() && digits.startsWith(plan.stripPrefix))
            digits = digits.mid(plan.stripPrefix.size());
        digits = plan.addPrefix + digits;
    }
    digits.replace(QLatin1Char('#'), QLatin1String("%23")); // '#' is not allowed unescaped in a user part
    QString uri = QStringLiteral("sip:%1@%2").arg(digits, plan.domain);
    if (plan.userPhone) uri += QLatin1String(";user=phone");
    return checkedSip(uri, shown);
}

/// Anything without a scheme: a number, user@host, host[:port], an IP literal or a bare name.
DialTarget schemeless(const QString& text, const DialPlan& plan, const QString& shown)
{
    if (text.isEmpty()) return failure(tr("Type a number or a SIP address"));
    if (sip::isIPv4(text.toStdString())) return checkedSip(QStringLiteral("sip:") + text, shown);
    if (const QString digits = phoneNumber(text); !digits.isEmpty()) return number(digits, plan, shown);
    if (text.contains(QLatin1Char(' ')) || text.contains(QLatin1Char('<')) || text.contains(QLatin1Char('>')))
        return failure(tr("'%1' is not a number or a SIP address").arg(shown));
    if (text.contains(QLatin1Char('@'))) return checkedSip(QStringLiteral("sip:") + text, shown);
    // A bare IPv6 address ("::1", "fe80::1"): brackets make it a SIP host.
    if (!text.startsWith(QLatin1Char('[')) && text.count(QLatin1Char(':')) >= 2) {
        if (!sip::isIPv6(text.toStdString()))
            return failure(tr("'%1' is not a valid IPv6 address").arg(shown));
        return checkedSip(QStringLiteral("sip:[%1]").arg(text), shown);
    }
    const QString host = text.section(QLatin1Char(':'), 0, 0);
    const bool looksLikeHost = text.startsWith(QLatin1Char('[')) || host.contains(QLatin1Char('.')) ||
                               text.contains(QLatin1Char(':')) ||
                               host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0;
    if (looksLikeHost) return checkedSip(QStringLiteral("sip:") + text, shown);
    // A bare name ("bob"): a user at the account's domain.
    if (plan.domain.isEmpty())
        return failure(tr("'%1' has no host: type it as %1@host, or add an account").arg(shown));
    return checkedSip(QStringLiteral("sip:%1@%2").arg(text, plan.domain), shown);
}

} // namespace

DialTarget normaliseDialTarget(const QString& input, const DialPlan& plan)
{
    const QString text = input.trimmed();
    const QString shown = text.size() > 80 ? text.left(77) + QLatin1String("...") : text;
    const int colon = text.indexOf(QLatin1Char(':'));
    const QString scheme = colon > 0 ? text.left(colon).toLower() : QString();
    const QString rest = colon > 0 ? text.mid(colon + 1) : QString();
    if (scheme == QLatin1String("sip") || scheme == QLatin1String("sips")) {
        if (rest.isEmpty()) return failure(tr("'%1' has nothing after '%2:'").arg(shown, scheme));
        return checkedSip(scheme + QLatin1Char(':') + rest, shown);
    }
    if (scheme == QLatin1String("tel")) {
        // RFC 3966: the number, then ;parameters (phone-context, ext) we do not route on.
        const QString digits = phoneNumber(rest.section(QLatin1Char(';'), 0, 0).trimmed());
        if (digits.isEmpty()) return failure(tr("'%1' is not a valid telephone number").arg(shown));
        return number(digits, plan, shown);
    }
    if (scheme == QLatin1String("callto")) {
        QString target = rest;
        if (target.startsWith(QLatin1String("//"))) target = target.mid(2);
        while (target.endsWith(QLatin1Char('/')))
            target.chop(1);
        if (target.isEmpty()) return failure(tr("'%1' has nothing after 'callto:'").arg(shown));
        return schemeless(target.trimmed(), plan, shown);
    }
    // "host:port" has a colon too: only letters before it and no digits after make a scheme.
    static const QRegularExpression otherScheme(QStringLiteral("^[a-z][a-z0-9+.\\-]*:[^0-9]"));
    if (colon > 0 && !scheme.contains(QLatin1Char('.')) && otherScheme.match(text.toLower()).hasMatch() &&
        scheme != QLatin1String("localhost"))
        return failure(tr("'%1:' addresses cannot be called; use sip:, sips:, tel: or callto:").arg(scheme));
    return schemeless(text, plan, shown);
}

} // namespace vphone::ui
