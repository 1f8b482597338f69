// The conference event package's body (RFC 4575 §5): application/conference-info+xml, read
// (participant side: the roster a focus sends) and written (focus side: our own roster). QtCore
// only, in library vphone_presence beside the other event bodies, so its fuzz target needs
// nothing else.
//
// Theory of operation: the reader walks the document with QXmlStreamReader, matching elements
// by local name under a <conference-info> root in the RFC 4575 namespace, and keeps what a
// phone shows: the conference's entity, version and state (full/partial/deleted), its subject
// and user count, and per <user> its entity, display text and state, per <endpoint> its entity
// and <status>, per <media> its id, <type> and <status>. Unknown elements are skipped. A body
// that is not well-formed, has the wrong root, a version that is no number or a state that is
// not one of RFC 4575's gives std::nullopt and an error naming what and where; nothing throws.
// mergeConferenceInfo() applies a notification to the roster held (§4.6: a full one replaces
// it, a partial one replaces or deletes users by entity; older versions are ignored), and
// rosterOf() flattens it to one row per user for a view or a log line.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vphone::ua {

/// One <media> of an endpoint (RFC 4575 §5.7.1.5).
struct ConferenceMedia {
    QString id;
    QString type;   ///< audio, video, text, message...
    QString status; ///< sendrecv, sendonly, recvonly, inactive
};

/// One <endpoint> of a user (§5.7.1): a device and its session with the focus.
struct ConferenceEndpoint {
    QString entity;
    QString displayText;
    /// connected, disconnected, on-hold, muted-via-focus, pending, alerting, dialing-in,
    /// dialing-out, disconnecting.
    QString status;
    QList<ConferenceMedia> media;
};

/// One <user> (§5.6).
struct ConferenceUser {
    QString entity; ///< the user's URI
    QString displayText;
    QString state = QStringLiteral("full"); ///< full, partial or deleted (partial notifications)
    QList<ConferenceEndpoint> endpoints;
};

/// A conference-info document.
struct ConferenceInfo {
    QString entity; ///< the conference URI
    unsigned version = 0;
    QString state = QStringLiteral("full"); ///< full, partial, deleted
    QString subject;
    std::optional<unsigned> userCount;
    QList<ConferenceUser> users;
};

/// Reads an application/conference-info+xml body. `error` (when given) says what is wrong.
std::optional<ConferenceInfo> parseConferenceInfo(const QByteArray& body, QString* error = nullptr);
/// Writes a full conference-info document (state="full", the users as given).
QByteArray writeConferenceInfo(const ConferenceInfo& info);
/// Applies `update` to the roster held in `current`: a full document replaces it, a partial one
/// replaces users by entity (deleting those with state="deleted"). False when the update is
/// older than or as old as what is held (nothing changes), or for a deleted conference.
bool mergeConferenceInfo(ConferenceInfo& current, const ConferenceInfo& update);

/// A user of the roster as a view shows it.
struct RosterEntry {
    QString uri;
    QString displayName;
    QString status; ///< of the first endpoint ("connected"...), empty when none says
    QString media;  ///< the media types of its endpoints, comma-separated ("audio,video")
};
QList<RosterEntry> rosterOf(const ConferenceInfo& info);

} // namespace vphone::ua
