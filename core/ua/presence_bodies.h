// The bodies of the presence-related event packages, read and written: PIDF (RFC 3863) with the
// RPID activities that servers and phones send (RFC 4480), message-summary (RFC 3842) and
// dialog-info (RFC 4235). QtCore only (library vphone_presence), so the fuzz targets need nothing
// else.
//
// Theory of operation: the XML bodies are read with QXmlStreamReader, matching elements by local
// name (documents in the wild use every prefix) under a root element in the right namespace.
// Unknown elements are skipped. A body that is not well-formed, has the wrong root or a bad value
// gives std::nullopt and an error naming what and where (line:column for XML, line for
// message-summary); nothing throws. The PIDF summary is one PresenceStatus: closed (or no tuple)
// is Offline, an RPID activity picks OnThePhone, Busy or Away, otherwise open is Available.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vphone::ua {

/// What a watched address is doing, as far as its presence document says.
enum class PresenceStatus { Unknown, Available, Away, Busy, OnThePhone, Offline };

/// "available", "away", "busy", "on-the-phone", "offline", "unknown" (the vphone-cli words).
QString presenceStatusName(PresenceStatus status);
/// The inverse of presenceStatusName() for the five settable ones (not "unknown").
std::optional<PresenceStatus> presenceStatusFromName(const QString& name);

/// A PIDF document, summarised.
struct PresenceDocument {
    QString entity;
    std::optional<bool> open; ///< basic status: any tuple open (nullopt: no basic status at all)
    PresenceStatus status = PresenceStatus::Unknown;
    QString note;           ///< the person's note, else a tuple's, else the document's
    QStringList activities; ///< RPID activity element names (on-the-phone, busy, away...)
};

/// Reads an application/pidf+xml body. `error` (when given) says what is wrong on failure.
std::optional<PresenceDocument> parsePidf(const QByteArray& body, QString* error = nullptr);
/// Writes our own presence as PIDF with an RPID activity for Away/Busy/OnThePhone; Offline is
/// basic closed.
QByteArray writePidf(const QString& entity, PresenceStatus status, const QString& note);

/// An application/simple-message-summary body (RFC 3842 §5.2), voice messages only.
struct MessageSummary {
    bool waiting = false;
    QString account; ///< Message-Account, when present
    int newMessages = 0;
    int oldMessages = 0;
    int newUrgent = 0;
    int oldUrgent = 0;
};

std::optional<MessageSummary> parseMessageSummary(const QByteArray& body, QString* error = nullptr);

/// One <dialog> of a dialog-info document (RFC 4235 §4.1).
struct DialogEntry {
    enum class State { Unknown, Trying, Proceeding, Early, Confirmed, Terminated };
    enum class Direction { Unknown, Initiator, Recipient };
    QString id;
    QString callId;
    QString localTag;
    QString remoteTag;
    Direction direction = Direction::Unknown;
    State state = State::Unknown;
    QString localIdentity;  ///< the watched party (the entity)
    QString remoteIdentity; ///< the other party
    QString localTarget;
    QString remoteTarget;
};

/// An application/dialog-info+xml document.
struct DialogInfo {
    QString entity;
    unsigned version = 0;
    bool full = true; ///< state="full" (false: partial, to merge by dialog id)
    QList<DialogEntry> dialogs;
};

std::optional<DialogInfo> parseDialogInfo(const QByteArray& body, QString* error = nullptr);

/// The dialogs of a watched address by id, kept from full and partial documents (terminated
/// ones dropped), and the busy lamp they make: Ringing while one is early with the watched party
/// as recipient (it wins: a call to pick up), InCall while one is confirmed or early outgoing.
struct DialogSet {
    enum class Lamp { Idle, Ringing, InCall };
    QHash<QString, DialogEntry> dialogs;
    void apply(const DialogInfo& info);
    /// The lamp; `ringing` (when given) gets the ringing dialog (or an empty entry).
    Lamp lamp(DialogEntry* ringing = nullptr) const;
};

} // namespace vphone::ua
