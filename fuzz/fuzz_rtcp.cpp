// libFuzzer target for parseRtcp and RtpSession::receiveRtcp: no crash on any datagram, and for
// every compound that parses, serialising the packets and parsing again gives the same packets.
#include "rtp/rtcp_packet.h"
#include "rtp/rtp_session.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace vphone::media;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> d(data, size);
    const RtcpParse r = parseRtcp(d);
    if (r.ok()) {
        if (r.packets.size() + r.skipped > kMaxRtcpPackets) std::abort();
        const auto bytes = serializeRtcp(r.packets);
        if (bytes.size() % 4 != 0) std::abort();
        if (!r.packets.empty()) { // a compound of only skipped packets serialises to nothing
            const RtcpParse again = parseRtcp(bytes);
            if (!again.ok() || again.packets != r.packets || again.skipped != 0) std::abort();
        }
    } else if (r.error == RtcpError::None) {
        std::abort();
    }
    RtpSessionConfig config;
    config.ssrc = 1;
    RtpSession session(config, TimePoint{});
    session.receiveRtcp(d, TimePoint{} + std::chrono::seconds(1));
    while (session.pollEvent()) {}
    return 0;
}
