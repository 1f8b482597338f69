// application/conference-info+xml (RFC 4575). Theory of operation: conference_info.h.
#include "conference_info.h"

#include "xml_body.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <algorithm>

namespace vphone::ua {

namespace {

using xml::failed;
using xml::text;
using xml::where;

constexpr auto kConferenceInfoNs = "urn:ietf:params:xml:ns:conference-info";

bool validState(QStringView s)
{
    return s == QLatin1String("full") || s == QLatin1String("partial") || s == QLatin1String("deleted");
}

/// Reads the children of <media>.
ConferenceMedia readMedia(QXmlStreamReader& xml)
{
    ConferenceMedia m;
    m.id = xml.attributes().value(QLatin1String("id")).toString();
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("type")) {
            m.type = text(xml);
        } else if (xml.name() == QLatin1String("status")) {
            m.status = text(xml);
        } else {
            xml.skipCurrentElement();
        }
    }
    return m;
}

ConferenceEndpoint readEndpoint(QXmlStreamReader& xml)
{
    ConferenceEndpoint e;
    e.entity = xml.attributes().value(QLatin1String("entity")).toString();
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("status")) {
            e.status = text(xml);
        } else if (xml.name() == QLatin1String("display-text")) {
            e.displayText = text(xml);
        } else if (xml.name() == QLatin1String("media")) {
            e.media.append(readMedia(xml));
        } else {
            xml.skipCurrentElement();
        }
    }
    return e;
}

std::optional<ConferenceUser> readUser(QXmlStreamReader& xml, QString* error)
{
    ConferenceUser u;
    const auto a = xml.attributes();
    u.entity = a.value(QLatin1String("entity")).toString();
    const auto state = a.value(QLatin1String("state"));
    if (!state.isEmpty()) {
        if (!validState(state)) {
            return failed<ConferenceUser>(error, QStringLiteral("conference-info <user> state '%1' is not "
                                                                "full, partial or deleted (%2)")
                                                     .arg(state.left(20), where(xml)));
        }
        u.state = state.toString();
    }
    if (u.entity.isEmpty()) {
        return failed<ConferenceUser>(
            error, QStringLiteral("conference-info <user> without entity (%1)").arg(where(xml)));
    }
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("display-text")) {
            u.displayText = text(xml);
        } else if (xml.name() == QLatin1String("endpoint")) {
            u.endpoints.append(readEndpoint(xml));
        } else {
            xml.skipCurrentElement();
        }
    }
    return u;
}

} // namespace

std::optional<ConferenceInfo> parseConferenceInfo(const QByteArray& body, QString* error)
{
    if (body.trimmed().isEmpty())
        return failed<ConferenceInfo>(error, QStringLiteral("conference-info body is empty"));
    QXmlStreamReader xml(body);
    if (!xml.readNextStartElement()) {
        if (xml.hasError()) return failed<ConferenceInfo>(error, xml::notWellFormed("conference-info", xml));
        return failed<ConferenceInfo>(error, QStringLiteral("conference-info body has no root element"));
    }
    if (QString wrong = xml::wrongRoot("conference-info", "conference-info", kConferenceInfoNs, xml);
        !wrong.isEmpty())
        return failed<ConferenceInfo>(error, wrong);
    ConferenceInfo info;
    const auto attrs = xml.attributes();
    info.entity = attrs.value(QLatin1String("entity")).toString();
    if (attrs.hasAttribute(QLatin1String("version"))) {
        bool ok = false;
        info.version = attrs.value(QLatin1String("version")).toUInt(&ok);
        if (!ok) {
            return failed<ConferenceInfo>(
                error, QStringLiteral("conference-info version '%1' is not a number (%2)")
                           .arg(attrs.value(QLatin1String("version")).left(20), where(xml)));
        }
    }
    const auto state = attrs.value(QLatin1String("state"));
    if (!state.isEmpty()) {
        if (!validState(state)) {
            return failed<ConferenceInfo>(error,
                                          QStringLiteral("conference-info state '%1' is not full, partial "
                                                         "or deleted (%2)")
                                              .arg(state.left(20), where(xml)));
        }
        info.state = state.toString();
    }
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("conference-description")) {
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("subject") ||
                    (xml.name() == QLatin1String("display-text") && info.subject.isEmpty())) {
                    info.subject = text(xml);
                } else {
                    xml.skipCurrentElement();
                }
            }
        } else if (xml.name() == QLatin1String("conference-state")) {
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("user-count")) {
                    bool ok = false;
                    const unsigned n = text(xml).toUInt(&ok);
                    if (ok) info.userCount = n;
                } else {
                    xml.skipCurrentElement();
                }
            }
        } else if (xml.name() == QLatin1String("users")) {
            while (xml.readNextStartElement()) {
                if (xml.name() != QLatin1String("user")) {
                    xml.skipCurrentElement();
                    continue;
                }
                auto user = readUser(xml, error);
                if (!user) return std::nullopt;
                info.users.append(*user);
            }
        } else {
            xml.skipCurrentElement();
        }
    }
    if (xml.hasError()) return failed<ConferenceInfo>(error, xml::notWellFormed("conference-info", xml));
    if (error) error->clear();
    return info;
}

QByteArray writeConferenceInfo(const ConferenceInfo& info)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.writeStartDocument();
    xml.writeDefaultNamespace(QLatin1String(kConferenceInfoNs));
    xml.writeStartElement(QLatin1String(kConferenceInfoNs), QStringLiteral("conference-info"));
    xml.writeAttribute(QStringLiteral("entity"), info.entity);
    xml.writeAttribute(QStringLiteral("state"), QStringLiteral("full"));
    xml.writeAttribute(QStringLiteral("version"), QString::number(info.version));
    if (!info.subject.isEmpty()) {
        xml.writeStartElement(QStringLiteral("conference-description"));
        xml.writeTextElement(QStringLiteral("subject"), info.subject);
        xml.writeEndElement();
    }
    xml.writeStartElement(QStringLiteral("conference-state"));
    xml.writeTextElement(QStringLiteral("user-count"),
                         QString::number(info.userCount.value_or(static_cast<unsigned>(info.users.size()))));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("users"));
    for (const auto& u : info.users) {
        xml.writeStartElement(QStringLiteral("user"));
        xml.writeAttribute(QStringLiteral("entity"), u.entity);
        xml.writeAttribute(QStringLiteral("state"), QStringLiteral("full"));
        if (!u.displayText.isEmpty()) xml.writeTextElement(QStringLiteral("display-text"), u.displayText);
        for (const auto& e : u.endpoints) {
            xml.writeStartElement(QStringLiteral("endpoint"));
            xml.writeAttribute(QStringLiteral("entity"), e.entity);
            if (!e.displayText.isEmpty()) xml.writeTextElement(QStringLiteral("display-text"), e.displayText);
            if (!e.status.isEmpty()) xml.writeTextElement(QStringLiteral("status"), e.status);
            for (const auto& m : e.media) {
                xml.writeStartElement(QStringLiteral("media"));
                xml.writeAttribute(QStringLiteral("id"), m.id);
                if (!m.type.isEmpty()) xml.writeTextElement(QStringLiteral("type"), m.type);
                if (!m.status.isEmpty()) xml.writeTextElement(QStringLiteral("status"), m.status);
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement(); // users
    xml.writeEndElement(); // conference-info
    xml.writeEndDocument();
    return out;
}

bool mergeConferenceInfo(ConferenceInfo& current, const ConferenceInfo& update)
{
    const bool first = current.entity.isEmpty() && current.version == 0 && current.users.isEmpty();
    if (!first && update.version <= current.version) return false; // §4.6: stale or repeated
    if (update.state == QLatin1String("deleted")) return false;
    if (update.state == QLatin1String("full") || first) {
        current = update;
        current.state = QStringLiteral("full");
        return true;
    }
    current.version = update.version;
    if (!update.subject.isEmpty()) current.subject = update.subject;
    if (update.userCount) current.userCount = update.userCount;
    for (const auto& u : update.users) {
        auto it = std::find_if(current.users.begin(), current.users.end(),
                               [&](const ConferenceUser& held) { return held.entity == u.entity; });
        if (u.state == QLatin1String("deleted")) {
            if (it != current.users.end()) current.users.erase(it);
        } else if (it != current.users.end()) {
            *it = u;
        } else {
            current.users.append(u);
        }
    }
    return true;
}

QList<RosterEntry> rosterOf(const ConferenceInfo& info)
{
    QList<RosterEntry> out;
    for (const auto& u : info.users) {
        RosterEntry r;
        r.uri = u.entity;
        r.displayName = u.displayText;
        QStringList types;
        for (const auto& e : u.endpoints) {
            if (r.status.isEmpty()) r.status = e.status;
            for (const auto& m : e.media) {
                if (!m.type.isEmpty() && !types.contains(m.type)) types.append(m.type);
            }
        }
        r.media = types.join(QLatin1Char(','));
        out.append(r);
    }
    return out;
}

} // namespace vphone::ua
