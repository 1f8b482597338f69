#include "contacts/vcard_text.h"

#include <array>

namespace vphone::contacts::vcard_detail {

bool isTypeLabel(const QString& label)
{
    static const std::array<QString, 10> kTypes = {
        QStringLiteral("home"),  QStringLiteral("work"),  QStringLiteral("cell"), QStringLiteral("fax"),
        QStringLiteral("pager"), QStringLiteral("video"), QStringLiteral("text"), QStringLiteral("main"),
        QStringLiteral("other"), QStringLiteral("iphone")};
    for (const QString& type : kTypes)
        if (label == type) return true;
    return false;
}

bool isIgnoredType(const QString& type)
{
    return type.isEmpty() || type == u"pref" || type == u"voice" || type == u"internet" || type == u"x-sip";
}

QString cleanText(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text)
        if (c.unicode() >= 0x20 || c == u'\t' || c == u'\n') out.append(c);
    return out.trimmed();
}

QString cleanLabel(const QString& label)
{
    // Apple writes its built-in labels as `_$!<Mobile>!$_`; peel every layer so that what we
    // return never looks wrapped (the writer puts it back verbatim, the reader would peel again).
    QString out = cleanText(label);
    while (out.size() >= 8 && out.startsWith(u"_$!<") && out.endsWith(u">!$_"))
        out = cleanText(out.mid(4, out.size() - 8));
    return out;
}

QString escapeText(const QString& text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (QChar c : text) {
        switch (c.unicode()) {
        case u'\\': out.append(u"\\\\"); break;
        case u'\n': out.append(u"\\n"); break;
        case u',': out.append(u"\\,"); break;
        case u';': out.append(u"\\;"); break;
        default: out.append(c);
        }
    }
    return out;
}

} // namespace vphone::contacts::vcard_detail
