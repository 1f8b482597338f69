// Multicast paging and intercom (RFC 8866 §5.7) for vphone-cli, without SIP.
//
// Theory of operation. A page has no offer/answer partner: everybody who joins the group hears
// it. So both roles drive an ordinary MediaSession with the SDP the group would have published:
// we make our offer (binding our unicast RTP/RTCP ports) and apply, as the "answer", a session
// description whose c= line is the group with its TTL ("c=IN IP4 239.255.0.1/1") and whose
// m=audio port is the group port. The pager's answer says a=recvonly (the group only listens,
// we only send); a listener's says a=sendonly (we only receive). The RTP transport then sends
// to the group with IP_MULTICAST_TTL/LOOP, or joins it on the group port with SO_REUSEPORT so
// several listeners on one host hear the same page; there is no symmetric-RTP latching.
//
// The codec is PCMU (payload type 0): a static payload type (RFC 3551) that a listener knows
// without any signalling, the one every desk phone's multicast paging speaks, and cheap; a
// dynamic one like Opus would need the listeners to be told its number out of band.
//
// --stats-json writes the stream's figures in the same shape as a call's ("calls": [...]),
// with the group as the peer, when the page or the listening ends.
#include "multicast_page.h"

#include "engine/media_session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <variant>

namespace vphone::cli {

namespace {

volatile std::sig_atomic_t gMulticastStop = 0;

void onMulticastSignal(int)
{
    gMulticastStop = 1;
}

std::string groupSdp(const media::MediaAddress& group, unsigned ttl, bool paging)
{
    const std::string port = std::to_string(group.port);
    return "v=0\r\no=- 1 1 IN IP4 " + group.host + "\r\ns=" + (paging ? "Page" : "Intercom") +
           "\r\nc=IN IP4 " + group.host + "/" + std::to_string(ttl) + "\r\nt=0 0\r\nm=audio " + port +
           " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp:" + std::to_string(group.port + 1) +
           "\r\na=ptime:20\r\n" + (paging ? "a=recvonly\r\n" : "a=sendonly\r\n");
}

bool writeStats(const QString& path, const media::MediaAddress& group, bool paging, double seconds,
                const std::vector<media::StreamStats>& streams)
{
    QJsonArray list;
    for (const auto& s : streams)
        list.append(QJsonDocument::fromJson(QByteArray::fromStdString(media::toJson(s))).object());
    const QJsonObject call{
        {QStringLiteral("peer"), QString::fromStdString(media::toString(group))},
        {QStringLiteral("call"), 0},
        {QStringLiteral("multicast"), paging ? QStringLiteral("page") : QStringLiteral("listen")},
        {QStringLiteral("direction"), paging ? QStringLiteral("out") : QStringLiteral("in")},
        {QStringLiteral("duration_s"), seconds},
        {QStringLiteral("streams"), list}};
    QSaveFile f(path);
    const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("calls"), QJsonArray{call}}}).toJson();
    if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size() || !f.commit()) {
        std::fprintf(stderr, "vphone-cli: --stats-json %s: %s\n", qPrintable(path),
                     qPrintable(f.errorString()));
        return false;
    }
    return true;
}

} // namespace

int runMulticast(const PhoneOptions& o)
{
    const bool paging = o.page.has_value();
    const media::MediaAddress group = paging ? *o.page : *o.listenGroup;
    media::MediaConfig config = o.media;
    config.srtp = sdp::SrtpPolicy::Off; // no signalling to carry keys to the listeners
    config.codecs = {"pcmu"};
    config.localAddresses = {o.multicastInterface};
    config.videoAtStart = false;
    auto made = media::MediaSession::create(std::move(config));
    if (!made) {
        std::fprintf(stderr, "vphone-cli: media: %s\n", made.error().what.c_str());
        return 1;
    }
    media::MediaSession& session = **made;
    bool failed = false;
    const auto drain = [&] {
        while (auto e = session.pollEvent()) {
            if (const auto* err = std::get_if<media::MediaErrorEvent>(&*e)) {
                std::fprintf(stderr, "vphone-cli: media: %s\n", err->what.c_str());
                failed = true;
            }
            if (o.events) std::printf("%s\n", media::toJson(*e).c_str());
        }
        std::fflush(stdout);
    };
    auto offer = session.createOffer();
    if (!offer) {
        std::fprintf(stderr, "vphone-cli: media: %s\n", offer.error().what.c_str());
        return 1;
    }
    const std::string groupDescription = groupSdp(group, o.multicastTtl, paging);
    if (auto applied = session.applyAnswer(groupDescription); !applied) {
        std::fprintf(stderr, "vphone-cli: multicast %s: %s\n", media::toString(group).c_str(),
                     applied.error().what.c_str());
        return 1;
    }
    std::fprintf(stderr, "vphone-cli: %s %s (PCMU, TTL %u)\n", paging ? "paging" : "listening to",
                 media::toString(group).c_str(), o.multicastTtl);

    std::signal(SIGINT, onMulticastSignal);
    std::signal(SIGTERM, onMulticastSignal);
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        drain();
        const double elapsed = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - started) / 1000.0;
        if (!gMulticastStop && (!o.duration || elapsed < *o.duration)) return;
        poll.stop();
        const auto streams = session.stats();
        session.stop();
        drain();
        if (!o.statsJson.isEmpty() && !writeStats(o.statsJson, group, paging, elapsed, streams))
            failed = true;
        QCoreApplication::exit(failed ? 1 : 0);
    });
    poll.start(50);
    return QCoreApplication::exec();
}

} // namespace vphone::cli
