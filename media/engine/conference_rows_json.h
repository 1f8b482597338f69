// The --stats-json "participants" objects of a hosted conference, from media::ConferenceHost's
// rows: what vphone-cli prints and ui::ConferenceMedia::participants() gives the app (one shape,
// one place). Qt Core only, header-only.
#pragma once

#include "conference_host.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace vphone::media {

/// The object of participant `id` in `rows`: label, uri, codec, level_dbfs, speaking,
/// active_speaker, frames_in/out, underruns, overruns once measured (else just `fallback`), and
/// connected. `uri` is the member's address (the host's label for the host).
inline QJsonObject conferenceRowJson(const std::vector<ConferenceHost::Row>& rows, int id, const QString& uri,
                                     bool connected, QJsonObject fallback = {})
{
    QJsonObject o = std::move(fallback);
    for (const auto& r : rows) {
        if (r.id != id || id < 0 || !r.measured) continue;
        o = QJsonObject{{QStringLiteral("label"), QString::fromStdString(r.label)},
                        {QStringLiteral("uri"), uri},
                        {QStringLiteral("codec"), QString::fromStdString(r.codec)},
                        {QStringLiteral("level_dbfs"), r.levelDbfs},
                        {QStringLiteral("speaking"), r.speaking},
                        {QStringLiteral("active_speaker"), r.activeSpeaker},
                        {QStringLiteral("frames_in"), static_cast<qint64>(r.framesIn)},
                        {QStringLiteral("frames_out"), static_cast<qint64>(r.framesOut)},
                        {QStringLiteral("underruns"), static_cast<qint64>(r.underruns)},
                        {QStringLiteral("overruns"), static_cast<qint64>(r.overruns)}};
    }
    o.insert(QStringLiteral("connected"), connected);
    return o;
}

} // namespace vphone::media
