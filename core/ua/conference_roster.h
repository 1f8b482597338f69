// ConferenceRoster: the roster of a conference we host (RFC 4575 conference-info, focus side),
// shared by ua::Conference (the GUI's facade) and vphone-cli. QtCore only (library
// vphone_presence, beside conference_info.h which writes the XML).
//
// Theory of operation: the roster keeps the conference's entity and subject, the host (always
// the first user, one endpoint "connected") and the members in the order they first joined,
// each keyed by a number the owner chooses (a call handle, a Call pointer). A member that
// leaves stays as "disconnected" (RFC 4575's view of a departed user); one that rejoins under
// the same key is updated in place. document() writes the next version's full document
// (version + 1, the first being 1): the owner serves it to the subscribers after each change.
// clear() starts a new conference, its versions from 1 again.
#pragma once

#include "ua/conference_info.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace vphone::ua {

class ConferenceRoster {
public:
    struct Member {
        QString uri;
        QString displayName;
        bool connected = true;
        bool video = false;
    };

    /// The conference URI (conference-info entity=).
    void setEntity(const QString& conferenceUri);
    void setSubject(const QString& subject);
    /// The host, listed first: one endpoint, connected, audio (and video) sendrecv.
    void setHost(const QString& uri, const QString& displayName, bool video);
    /// Adds the member `key` (joined) or updates it (rejoined, changed media).
    void upsert(quint64 key, const Member& member);
    /// Marks `key` connected or disconnected (left: it stays listed). No-op for an unknown key.
    void setConnected(quint64 key, bool connected);
    /// Forgets everything: a new conference; the next document is version 1.
    void clear();
    /// The next version's full document (increments version()).
    QByteArray document();
    /// The version of the last document() (0 before the first).
    int version() const { return version_; }

    /// The conference-info the next document() would write, at the current version (for tests
    /// and logs; document() is what subscribers get).
    ConferenceInfo info() const;
    QString entity() const { return entity_; }
    QString subject() const { return subject_; }
    /// Members (not the host) in joining order, and their keys in the same order.
    QList<Member> members() const;
    QList<quint64> keys() const;
    /// The member `key`, nullptr when unknown.
    const Member* member(quint64 key) const;
    /// Members connected now.
    int connectedCount() const;

private:
    struct Entry {
        quint64 key = 0;
        Member member;
    };
    QString entity_;
    QString subject_;
    bool hasHost_ = false;
    Member host_;
    QList<Entry> entries_;
    int version_ = 0;
};

} // namespace vphone::ua
