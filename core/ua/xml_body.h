// Small helpers shared by the XML event bodies (presence_bodies.cpp: PIDF, dialog-info;
// conference_info.cpp: conference-info): errors that say what and where, an element's text.
#pragma once

#include <QString>
#include <QXmlStreamReader>

#include <optional>

namespace vphone::ua::xml {

/// Sets *error (when asked for) and returns nullopt.
template <class T> std::optional<T> failed(QString* error, const QString& what)
{
    if (error) *error = what;
    return std::nullopt;
}

/// "line L column C" of the reader's position.
inline QString where(const QXmlStreamReader& xml)
{
    return QStringLiteral("line %1 column %2").arg(xml.lineNumber()).arg(xml.columnNumber());
}

/// "KIND body is not well-formed XML at line L column C: WHAT".
inline QString notWellFormed(const char* kind, const QXmlStreamReader& xml)
{
    return QStringLiteral("%1 body is not well-formed XML at %2: %3")
        .arg(QLatin1String(kind), where(xml), xml.errorString());
}

/// Empty when the reader stands on <NAME> in namespace `ns`, else what is there instead (the
/// name and namespace shortened, so a hostile body cannot make the message huge).
inline QString wrongRoot(const char* kind, const char* name, const char* ns, const QXmlStreamReader& xml)
{
    if (xml.name() == QLatin1String(name) && xml.namespaceUri() == QLatin1String(ns)) return {};
    return QStringLiteral("%1 root element is <%2> in namespace '%3', not <%4> in %5 (%6)")
        .arg(QLatin1String(kind), xml.name().left(40), xml.namespaceUri().left(80), QLatin1String(name),
             QLatin1String(ns), where(xml));
}

/// Text of the current element, child elements skipped, trimmed.
inline QString text(QXmlStreamReader& xml)
{
    return xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
}

} // namespace vphone::ua::xml
