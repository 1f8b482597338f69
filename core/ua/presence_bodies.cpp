// PIDF, message-summary and dialog-info bodies. Theory of operation: presence_bodies.h.
#include "presence_bodies.h"

#include "xml_body.h"
#include <QRegularExpression>

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace vphone::ua {

namespace {

using xml::failed;
using xml::text;
using xml::where;

constexpr auto kPidfNs = "urn:ietf:params:xml:ns:pidf";
constexpr auto kDialogInfoNs = "urn:ietf:params:xml:ns:dialog-info";

const QStringList kBusy = {QStringLiteral("busy"), QStringLiteral("meeting"), QStringLiteral("performance"),
                           QStringLiteral("presentation"), QStringLiteral("worship")};
const QStringList kAway = {
    QStringLiteral("away"),     QStringLiteral("vacation"),   QStringLiteral("sleeping"),
    QStringLiteral("holiday"),  QStringLiteral("travel"),     QStringLiteral("in-transit"),
    QStringLiteral("steering"), QStringLiteral("lunch"),      QStringLiteral("breakfast"),
    QStringLiteral("dinner"),   QStringLiteral("appointment")};

} // namespace

QString presenceStatusName(PresenceStatus status)
{
    switch (status) {
    case PresenceStatus::Available: return QStringLiteral("available");
    case PresenceStatus::Away: return QStringLiteral("away");
    case PresenceStatus::Busy: return QStringLiteral("busy");
    case PresenceStatus::OnThePhone: return QStringLiteral("on-the-phone");
    case PresenceStatus::Offline: return QStringLiteral("offline");
    default: return QStringLiteral("unknown");
    }
}

std::optional<PresenceStatus> presenceStatusFromName(const QString& name)
{
    for (auto s : {PresenceStatus::Available, PresenceStatus::Away, PresenceStatus::Busy,
                   PresenceStatus::OnThePhone, PresenceStatus::Offline}) {
        if (name.compare(presenceStatusName(s), Qt::CaseInsensitive) == 0) return s;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------- PIDF

std::optional<PresenceDocument> parsePidf(const QByteArray& body, QString* error)
{
    QXmlStreamReader xml(body);
    if (!xml.readNextStartElement()) {
        if (xml.hasError()) return failed<PresenceDocument>(error, xml::notWellFormed("PIDF", xml));
        return failed<PresenceDocument>(error, QStringLiteral("PIDF body has no root element"));
    }
    if (QString wrong = xml::wrongRoot("PIDF", "presence", kPidfNs, xml); !wrong.isEmpty())
        return failed<PresenceDocument>(error, wrong);
    PresenceDocument doc;
    doc.entity = xml.attributes().value(QLatin1String("entity")).toString();
    QString personNote, tupleNote, docNote;
    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == QLatin1String("tuple")) {
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("status")) {
                    while (xml.readNextStartElement()) {
                        if (xml.name() != QLatin1String("basic")) {
                            xml.skipCurrentElement();
                            continue;
                        }
                        const QString basic = text(xml);
                        if (basic == QLatin1String("open")) {
                            doc.open = true;
                        } else if (basic == QLatin1String("closed")) {
                            if (!doc.open) doc.open = false;
                        } else if (!xml.hasError()) {
                            return failed<PresenceDocument>(
                                error, QStringLiteral("PIDF <basic> is '%1', not open or closed (%2)")
                                           .arg(basic.left(40), where(xml)));
                        }
                    }
                } else if (xml.name() == QLatin1String("note")) {
                    const QString n = text(xml);
                    if (tupleNote.isEmpty()) tupleNote = n;
                } else {
                    xml.skipCurrentElement();
                }
            }
        } else if (name == QLatin1String("person")) {
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("activities")) {
                    while (xml.readNextStartElement()) {
                        doc.activities.append(xml.name().toString());
                        xml.skipCurrentElement();
                    }
                } else if (xml.name() == QLatin1String("note")) {
                    const QString n = text(xml);
                    if (personNote.isEmpty()) personNote = n;
                } else {
                    xml.skipCurrentElement();
                }
            }
        } else if (name == QLatin1String("note")) {
            const QString n = text(xml);
            if (docNote.isEmpty()) docNote = n;
        } else {
            xml.skipCurrentElement();
        }
    }
    while (!xml.atEnd() && !xml.hasError()) {
        xml.readNext();
    }
    if (xml.hasError()) return failed<PresenceDocument>(error, xml::notWellFormed("PIDF", xml));
    doc.note = !personNote.isEmpty() ? personNote : !tupleNote.isEmpty() ? tupleNote : docNote;

    auto hasAny = [&](const QStringList& names) {
        for (const auto& a : doc.activities) {
            if (names.contains(a)) return true;
        }
        return false;
    };
    if (doc.open == false) {
        doc.status = PresenceStatus::Offline;
    } else if (doc.activities.contains(QLatin1String("on-the-phone"))) {
        doc.status = PresenceStatus::OnThePhone;
    } else if (hasAny(kBusy)) {
        doc.status = PresenceStatus::Busy;
    } else if (hasAny(kAway)) {
        doc.status = PresenceStatus::Away;
    } else if (doc.open == true) {
        doc.status = PresenceStatus::Available;
    }
    return doc;
}

QByteArray writePidf(const QString& entity, PresenceStatus status, const QString& note)
{
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.writeStartDocument();
    w.writeDefaultNamespace(QLatin1String(kPidfNs));
    w.writeNamespace(QStringLiteral("urn:ietf:params:xml:ns:pidf:data-model"), QStringLiteral("dm"));
    w.writeNamespace(QStringLiteral("urn:ietf:params:xml:ns:pidf:rpid"), QStringLiteral("rpid"));
    w.writeStartElement(QLatin1String(kPidfNs), QStringLiteral("presence"));
    w.writeAttribute(QStringLiteral("entity"), entity);
    w.writeStartElement(QLatin1String(kPidfNs), QStringLiteral("tuple"));
    w.writeAttribute(QStringLiteral("id"), QStringLiteral("vphone"));
    w.writeStartElement(QLatin1String(kPidfNs), QStringLiteral("status"));
    w.writeTextElement(QLatin1String(kPidfNs), QStringLiteral("basic"),
                       status == PresenceStatus::Offline ? QStringLiteral("closed") : QStringLiteral("open"));
    w.writeEndElement(); // status
    if (!note.isEmpty()) w.writeTextElement(QLatin1String(kPidfNs), QStringLiteral("note"), note);
    w.writeEndElement(); // tuple
    const QString rpid = QStringLiteral("urn:ietf:params:xml:ns:pidf:rpid");
    const QString dm = QStringLiteral("urn:ietf:params:xml:ns:pidf:data-model");
    w.writeStartElement(dm, QStringLiteral("person"));
    w.writeAttribute(QStringLiteral("id"), QStringLiteral("p1"));
    QString activity;
    if (status == PresenceStatus::Away) activity = QStringLiteral("away");
    if (status == PresenceStatus::Busy) activity = QStringLiteral("busy");
    if (status == PresenceStatus::OnThePhone) activity = QStringLiteral("on-the-phone");
    if (!activity.isEmpty()) {
        w.writeStartElement(rpid, QStringLiteral("activities"));
        w.writeEmptyElement(rpid, activity);
        w.writeEndElement();
    }
    if (!note.isEmpty()) w.writeTextElement(dm, QStringLiteral("note"), note);
    w.writeEndElement(); // person
    w.writeEndElement(); // presence
    w.writeEndDocument();
    return out;
}

// ---------------------------------------------------------------- message-summary

std::optional<MessageSummary> parseMessageSummary(const QByteArray& body, QString* error)
{
    static const QRegularExpression counts(
        QStringLiteral(R"(^\s*(\d{1,9})\s*/\s*(\d{1,9})\s*(?:\(\s*(\d{1,9})\s*/\s*(\d{1,9})\s*\))?\s*$)"));
    MessageSummary out;
    bool sawStatus = false;
    const QList<QByteArray> lines = body.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines[i]).trimmed();
        if (line.isEmpty()) {
            if (sawStatus) break; // §5.2: message headers may follow a blank line
            continue;
        }
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            return failed<MessageSummary>(error,
                                          QStringLiteral("message-summary line %1: no 'Name: value' in '%2'")
                                              .arg(i + 1)
                                              .arg(line.left(40)));
        }
        const QString name = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (name.compare(QLatin1String("Messages-Waiting"), Qt::CaseInsensitive) == 0) {
            if (value.compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0) {
                out.waiting = true;
            } else if (value.compare(QLatin1String("no"), Qt::CaseInsensitive) != 0) {
                return failed<MessageSummary>(error,
                                              QStringLiteral("message-summary line %1: Messages-Waiting is "
                                                             "'%2', not yes or no")
                                                  .arg(i + 1)
                                                  .arg(value.left(40)));
            }
            sawStatus = true;
        } else if (name.compare(QLatin1String("Message-Account"), Qt::CaseInsensitive) == 0) {
            out.account = value;
        } else if (name.compare(QLatin1String("Voice-Message"), Qt::CaseInsensitive) == 0) {
            const auto m = counts.match(value);
            if (!m.hasMatch()) {
                return failed<MessageSummary>(error,
                                              QStringLiteral("message-summary line %1: Voice-Message '%2' is "
                                                             "not new/old (urgent-new/urgent-old)")
                                                  .arg(i + 1)
                                                  .arg(value.left(40)));
            }
            out.newMessages = m.captured(1).toInt();
            out.oldMessages = m.captured(2).toInt();
            out.newUrgent = m.captured(3).isEmpty() ? 0 : m.captured(3).toInt();
            out.oldUrgent = m.captured(4).isEmpty() ? 0 : m.captured(4).toInt();
        }
    }
    if (!sawStatus)
        return failed<MessageSummary>(error, QStringLiteral("message-summary has no Messages-Waiting line"));
    return out;
}

// ---------------------------------------------------------------- dialog-info

namespace {

DialogEntry::State dialogState(const QString& s)
{
    if (s == QLatin1String("trying")) return DialogEntry::State::Trying;
    if (s == QLatin1String("proceeding")) return DialogEntry::State::Proceeding;
    if (s == QLatin1String("early")) return DialogEntry::State::Early;
    if (s == QLatin1String("confirmed")) return DialogEntry::State::Confirmed;
    if (s == QLatin1String("terminated")) return DialogEntry::State::Terminated;
    return DialogEntry::State::Unknown;
}

/// <local> or <remote>: identity text and target uri.
void readParticipant(QXmlStreamReader& xml, QString& identity, QString& target)
{
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("identity")) {
            identity = text(xml);
        } else if (xml.name() == QLatin1String("target")) {
            target = xml.attributes().value(QLatin1String("uri")).toString();
            xml.skipCurrentElement();
        } else {
            xml.skipCurrentElement();
        }
    }
}

} // namespace

std::optional<DialogInfo> parseDialogInfo(const QByteArray& body, QString* error)
{
    QXmlStreamReader xml(body);
    if (!xml.readNextStartElement()) {
        if (xml.hasError()) return failed<DialogInfo>(error, xml::notWellFormed("dialog-info", xml));
        return failed<DialogInfo>(error, QStringLiteral("dialog-info body has no root element"));
    }
    if (QString wrong = xml::wrongRoot("dialog-info", "dialog-info", kDialogInfoNs, xml); !wrong.isEmpty())
        return failed<DialogInfo>(error, wrong);
    DialogInfo info;
    const auto attrs = xml.attributes();
    info.entity = attrs.value(QLatin1String("entity")).toString();
    if (attrs.hasAttribute(QLatin1String("version"))) {
        bool ok = false;
        info.version = attrs.value(QLatin1String("version")).toUInt(&ok);
        if (!ok) {
            return failed<DialogInfo>(error,
                                      QStringLiteral("dialog-info version '%1' is not a number (%2)")
                                          .arg(attrs.value(QLatin1String("version")).left(20), where(xml)));
        }
    }
    const auto state = attrs.value(QLatin1String("state"));
    if (state == QLatin1String("partial")) {
        info.full = false;
    } else if (!state.isEmpty() && state != QLatin1String("full")) {
        return failed<DialogInfo>(error, QStringLiteral("dialog-info state '%1' is not full or partial (%2)")
                                             .arg(state.left(20), where(xml)));
    }
    while (xml.readNextStartElement()) {
        if (xml.name() != QLatin1String("dialog")) {
            xml.skipCurrentElement();
            continue;
        }
        DialogEntry d;
        const auto a = xml.attributes();
        d.id = a.value(QLatin1String("id")).toString();
        d.callId = a.value(QLatin1String("call-id")).toString();
        d.localTag = a.value(QLatin1String("local-tag")).toString();
        d.remoteTag = a.value(QLatin1String("remote-tag")).toString();
        const auto dir = a.value(QLatin1String("direction"));
        if (dir == QLatin1String("initiator")) d.direction = DialogEntry::Direction::Initiator;
        if (dir == QLatin1String("recipient")) d.direction = DialogEntry::Direction::Recipient;
        if (d.id.isEmpty())
            return failed<DialogInfo>(error,
                                      QStringLiteral("dialog-info <dialog> without id (%1)").arg(where(xml)));
        while (xml.readNextStartElement()) {
            if (xml.name() == QLatin1String("state")) {
                d.state = dialogState(text(xml));
            } else if (xml.name() == QLatin1String("local")) {
                readParticipant(xml, d.localIdentity, d.localTarget);
            } else if (xml.name() == QLatin1String("remote")) {
                readParticipant(xml, d.remoteIdentity, d.remoteTarget);
            } else {
                xml.skipCurrentElement();
            }
        }
        info.dialogs.append(d);
    }
    while (!xml.atEnd() && !xml.hasError()) {
        xml.readNext();
    }
    if (xml.hasError()) return failed<DialogInfo>(error, xml::notWellFormed("dialog-info", xml));
    return info;
}

void DialogSet::apply(const DialogInfo& info)
{
    if (info.full) dialogs.clear();
    for (const DialogEntry& d : info.dialogs) {
        if (d.state == DialogEntry::State::Terminated) {
            dialogs.remove(d.id);
        } else {
            dialogs.insert(d.id, d);
        }
    }
}

DialogSet::Lamp DialogSet::lamp(DialogEntry* ringing) const
{
    Lamp out = Lamp::Idle;
    DialogEntry first;
    for (const DialogEntry& d : dialogs) {
        const bool early = d.state == DialogEntry::State::Early ||
                           d.state == DialogEntry::State::Proceeding || d.state == DialogEntry::State::Trying;
        if (early && d.direction == DialogEntry::Direction::Recipient) {
            out = Lamp::Ringing;
            if (first.id.isEmpty() || d.id < first.id) first = d;
        } else if ((d.state == DialogEntry::State::Confirmed || early) && out != Lamp::Ringing) {
            out = Lamp::InCall;
        }
    }
    if (ringing) *ringing = out == Lamp::Ringing ? first : DialogEntry{};
    return out;
}

} // namespace vphone::ua
