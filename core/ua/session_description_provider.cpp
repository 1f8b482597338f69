#include "ua/session_description_provider.h"

#include <QDateTime>

#include <string_view>

namespace vphone::ua {

namespace {

/// The direction attribute of the first one found in `sdp`, or "sendrecv".
std::string_view directionOf(const std::string& sdp)
{
    for (const char* d : {"sendonly", "recvonly", "inactive"}) {
        if (sdp.find(std::string("a=") + d) != std::string::npos) return d;
    }
    return "sendrecv";
}

} // namespace

std::string PlaceholderSession::describe(const char* direction)
{
    const QString ip = host_.contains(QLatin1Char(':')) ? QStringLiteral("IP6") : QStringLiteral("IP4");
    static const qint64 sessionId = QDateTime::currentSecsSinceEpoch();
    return QStringLiteral("v=0\r\no=vphone %1 %2 IN %3 %4\r\ns=vphone\r\nc=IN %3 %4\r\nt=0 0\r\n"
                          "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                          "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=%5\r\n")
        .arg(sessionId)
        .arg(++version_)
        .arg(ip, host_, QLatin1String(direction))
        .toStdString();
}

SdpResult PlaceholderSession::offer(const Call&, Purpose purpose)
{
    return SdpResult::description(describe(purpose == Purpose::Hold ? "sendonly" : "sendrecv"));
}

SdpResult PlaceholderSession::answer(const Call&, const std::string& remoteOffer)
{
    // RFC 3264 §6.1: the answer's direction mirrors the offer's.
    const std::string_view offered = directionOf(remoteOffer);
    if (offered == "sendonly") return SdpResult::description(describe("recvonly"));
    if (offered == "recvonly") return SdpResult::description(describe("sendonly"));
    if (offered == "inactive") return SdpResult::description(describe("inactive"));
    return SdpResult::description(describe("sendrecv"));
}

} // namespace vphone::ua
