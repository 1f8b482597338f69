// ConferenceRoster (conference_roster.h): the focus's RFC 4575 roster, written with
// writeConferenceInfo().
#include "ua/conference_roster.h"

#include <algorithm>

namespace vphone::ua {

namespace {

ConferenceUser userOf(const ConferenceRoster::Member& m)
{
    ConferenceUser u;
    u.entity = m.uri;
    u.displayText = m.displayName;
    ConferenceEndpoint ep;
    ep.entity = m.uri;
    ep.status = m.connected ? QStringLiteral("connected") : QStringLiteral("disconnected");
    if (m.connected) {
        ep.media.append({QStringLiteral("1"), QStringLiteral("audio"), QStringLiteral("sendrecv")});
        if (m.video)
            ep.media.append({QStringLiteral("2"), QStringLiteral("video"), QStringLiteral("sendrecv")});
    }
    u.endpoints.append(ep);
    return u;
}

} // namespace

void ConferenceRoster::setEntity(const QString& conferenceUri)
{
    entity_ = conferenceUri;
}

void ConferenceRoster::setSubject(const QString& subject)
{
    subject_ = subject;
}

void ConferenceRoster::setHost(const QString& uri, const QString& displayName, bool video)
{
    hasHost_ = true;
    host_ = Member{uri, displayName, true, video};
}

void ConferenceRoster::upsert(quint64 key, const Member& member)
{
    for (auto& e : entries_) {
        if (e.key == key) {
            e.member = member;
            return;
        }
    }
    entries_.append(Entry{key, member});
}

void ConferenceRoster::setConnected(quint64 key, bool connected)
{
    for (auto& e : entries_) {
        if (e.key == key) e.member.connected = connected;
    }
}

void ConferenceRoster::clear()
{
    entity_.clear();
    subject_.clear();
    hasHost_ = false;
    host_ = {};
    entries_.clear();
    version_ = 0;
}

ConferenceInfo ConferenceRoster::info() const
{
    ConferenceInfo info;
    info.entity = entity_;
    info.version = static_cast<unsigned>(std::max(version_, 0));
    info.subject = subject_;
    if (hasHost_) info.users.append(userOf(host_));
    for (const auto& e : entries_)
        info.users.append(userOf(e.member));
    return info;
}

QByteArray ConferenceRoster::document()
{
    ++version_;
    return writeConferenceInfo(info());
}

QList<ConferenceRoster::Member> ConferenceRoster::members() const
{
    QList<Member> out;
    for (const auto& e : entries_)
        out.append(e.member);
    return out;
}

QList<quint64> ConferenceRoster::keys() const
{
    QList<quint64> out;
    for (const auto& e : entries_)
        out.append(e.key);
    return out;
}

const ConferenceRoster::Member* ConferenceRoster::member(quint64 key) const
{
    for (const auto& e : entries_) {
        if (e.key == key) return &e.member;
    }
    return nullptr;
}

int ConferenceRoster::connectedCount() const
{
    return static_cast<int>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.member.connected; }));
}

} // namespace vphone::ua
