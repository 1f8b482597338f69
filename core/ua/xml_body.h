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

/// Text of the current element, child elements skipped, trimmed.
inline QString text(QXmlStreamReader& xml)
{
    return xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
}

} // namespace vphone::ua::xml
