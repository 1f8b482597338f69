// Parsing and checking of the media configuration, the SDP codec table, and the profile's
// stored DTLS certificate.
#include "engine_config.h"

#include "device/device_spec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace vphone::media {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

std::optional<unsigned> number(std::string_view s)
{
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

constexpr std::string_view kKnownCodecs[] = {"opus", "pcmu", "pcma", "g722", "telephone-event"};

bool isIpLiteral(const std::string& a)
{
    return sdp::isIpv4Address(a) || sdp::isIpv6Address(a);
}

} // namespace

EngineResult<PortRange> parsePortRange(std::string_view text)
{
    const auto dash = text.find('-');
    const auto bad = [&](std::string why) {
        return EngineError{500, "--rtp-ports '" + std::string(text) + "': " + why};
    };
    if (dash == std::string_view::npos) return bad("expected MIN-MAX, e.g. 16384-32767");
    const auto lo = number(text.substr(0, dash));
    const auto hi = number(text.substr(dash + 1));
    if (!lo || !hi) return bad("MIN and MAX must be port numbers");
    if (*lo < 1024 || *hi > 65535) return bad("ports must lie in 1024..65535");
    if (*lo > *hi) return bad("MIN is above MAX");
    // One even RTP port and the odd RTCP port above it must fit.
    const unsigned firstEven = *lo + (*lo % 2);
    if (firstEven + 1 > *hi) return bad("the range holds no even/odd port pair");
    return PortRange{static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi)};
}

EngineResult<std::vector<std::string>> parseCodecList(std::string_view text)
{
    std::vector<std::string> names;
    std::size_t at = 0;
    while (at <= text.size()) {
        const auto comma = std::min(text.find(',', at), text.size());
        const auto name = lower(trim(text.substr(at, comma - at)));
        if (name.empty()) return EngineError{500, "--codecs '" + std::string(text) + "': empty codec name"};
        if (std::find(std::begin(kKnownCodecs), std::end(kKnownCodecs), name) == std::end(kKnownCodecs)) {
            return EngineError{500, "--codecs: unknown codec '" + name +
                                        "' (known: opus, pcmu, pcma, g722, telephone-event)"};
        }
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        at = comma + 1;
    }
    const bool audio =
        std::any_of(names.begin(), names.end(), [](auto& n) { return n != "telephone-event"; });
    if (!audio) return EngineError{500, "--codecs '" + std::string(text) + "': no audio codec"};
    return names;
}

EngineResult<sdp::SrtpPolicy> parseSrtpPolicy(std::string_view text)
{
    const auto t = lower(text);
    if (t == "off") return sdp::SrtpPolicy::Off;
    if (t == "optional") return sdp::SrtpPolicy::Optional;
    if (t == "mandatory") return sdp::SrtpPolicy::Mandatory;
    return EngineError{500, "--srtp '" + std::string(text) + "': expected off, optional or mandatory"};
}

EngineResult<sdp::Keying> parseKeying(std::string_view text)
{
    const auto t = lower(text);
    if (t == "sdes") return sdp::Keying::Sdes;
    if (t == "dtls") return sdp::Keying::Dtls;
    return EngineError{500, "--keying '" + std::string(text) + "': expected sdes or dtls"};
}

EngineResult<bool> checkMediaConfig(const MediaConfig& c)
{
    if (c.localAddresses.empty()) return EngineError{500, "media: no local address"};
    if (!c.stunHost.empty() && (!isIpLiteral(c.stunHost) || c.stunPort == 0))
        return EngineError{500, "media: STUN server '" + c.stunHost + "' is not an IP address and port"};
    for (const auto& a : c.localAddresses) {
        if (!isIpLiteral(a)) return EngineError{500, "media: local address '" + a + "' is not an IP address"};
    }
    if (c.rtpPorts.min < 1024 || c.rtpPorts.min > c.rtpPorts.max ||
        unsigned(c.rtpPorts.min + (c.rtpPorts.min % 2) + 1) > c.rtpPorts.max) {
        return EngineError{500, "media: RTP port range " + std::to_string(c.rtpPorts.min) + "-" +
                                    std::to_string(c.rtpPorts.max) + " holds no even/odd pair"};
    }
    std::string list;
    for (const auto& n : c.codecs)
        list += (list.empty() ? "" : ",") + n;
    if (auto codecs = parseCodecList(list); !codecs) return codecs.error();
    if (c.ptime.count() < 10 || c.ptime.count() > 60 || c.ptime.count() % 10 != 0) {
        return EngineError{500, "media: ptime " + std::to_string(c.ptime.count()) +
                                    " ms (10, 20, 30, 40, 50 or 60)"};
    }
    if (c.rtcpMinimumInterval.count() < 100) {
        return EngineError{500, "media: RTCP interval " + std::to_string(c.rtcpMinimumInterval.count()) +
                                    " ms is below 100 ms"};
    }
    if (c.srtp == sdp::SrtpPolicy::Invalid || c.keying == sdp::Keying::Invalid) {
        return EngineError{500, "media: SRTP policy or keying not set"};
    }
    if (c.srtp != sdp::SrtpPolicy::Off && c.keying == sdp::Keying::Sdes) {
        if (c.sdesSuites.empty()) return EngineError{500, "media: SDES needs at least one SRTP suite"};
        for (auto s : c.sdesSuites) {
            if (s == SrtpSuite::Invalid) return EngineError{500, "media: invalid SRTP suite"};
        }
    }
    if (c.srtp != sdp::SrtpPolicy::Off && c.keying == sdp::Keying::Dtls && !c.dtlsCertificate &&
        c.dtlsCertificateDir.empty()) {
        return EngineError{500, "media: DTLS keying needs a certificate directory"};
    }
    if (auto s = parseSourceSpec(c.audioSource); !s) return EngineError{500, s.error().what};
    if (auto s = parseSinkSpec(c.audioSink); !s) return EngineError{500, s.error().what};
    if (auto s = parseVideoSourceSpec(c.videoSource); !s) return EngineError{500, s.error().what};
    if (auto s = parseVideoSinkSpec(c.videoSink); !s) return EngineError{500, s.error().what};
    std::string videoList;
    for (const auto& n : c.videoCodecs)
        videoList += (videoList.empty() ? "" : ",") + n;
    if (auto v = parseVideoCodecList(videoList); !v) return v.error();
    if (c.maxVideoWidth < 16 || c.maxVideoHeight < 16 || c.maxVideoWidth > 4096 || c.maxVideoHeight > 4096)
        return EngineError{500, "media: maximum video resolution " + std::to_string(c.maxVideoWidth) + "x" +
                                    std::to_string(c.maxVideoHeight) + " is outside 16x16 to 4096x4096"};
    if ((c.videoStartKbps != 0 && c.videoStartKbps < 30) || c.videoMaxKbps < c.videoStartKbps ||
        c.videoMaxKbps < 30 || c.videoMaxKbps > 20000)
        return EngineError{500, "media: video bitrates must satisfy 30 <= start <= max <= 20000 kbit/s"};
    return true;
}

EngineResult<std::vector<std::string>> parseVideoCodecList(std::string_view text)
{
    std::vector<std::string> names;
    std::size_t at = 0;
    while (at <= text.size()) {
        const auto comma = std::min(text.find(',', at), text.size());
        const auto name = lower(trim(text.substr(at, comma - at)));
        if (name != "h264" && name != "vp8") {
            return EngineError{500, "--video-codecs '" + std::string(text) + "': unknown codec '" + name +
                                        "' (known: h264, vp8)"};
        }
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        at = comma + 1;
    }
    return names;
}

std::vector<sdp::Codec> videoSdpCodecsFor(const std::vector<std::string>& names, int maxWidth, int maxHeight)
{
    // RFC 6184 §8.1 / RFC 7741 §6.1: max-fs in 16x16 macroblocks, max-fr in frames per second.
    const int mbs = ((maxWidth + 15) / 16) * ((maxHeight + 15) / 16);
    const std::string limits = "max-fs=" + std::to_string(std::max(mbs, 3600)) + ";max-fr=30";
    std::vector<sdp::Codec> out;
    for (const auto& n : names) {
        if (n == "h264") {
            // Constrained baseline, level 3.1 (720p30); level-asymmetry lets the peer send more.
            out.push_back({"H264", 90000, 1, -1,
                           "profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1"});
            // Mode 0 (single NAL units, slices cut to fit a packet) for peers that offer only it
            // (baresip's first H.264 format).
            out.push_back({"H264", 90000, 1, -1,
                           "profile-level-id=42e01f;packetization-mode=0;level-asymmetry-allowed=1"});
        } else if (n == "vp8") {
            out.push_back({"VP8", 90000, 1, -1, limits});
        }
    }
    return out;
}

std::vector<sdp::Codec> sdpCodecsFor(const std::vector<std::string>& names, bool opusFec, bool opusDtx)
{
    std::vector<sdp::Codec> out;
    bool wide = false;
    bool narrow = false;
    bool events = false;
    for (const auto& n : names) {
        if (n == "opus") {
            std::string fmtp = "minptime=10";
            if (opusFec) fmtp += ";useinbandfec=1";
            if (opusDtx) fmtp += ";usedtx=1";
            out.push_back({"opus", 48000, 2, -1, fmtp});
            wide = true;
        } else if (n == "pcmu") {
            out.push_back({"PCMU", 8000, 1, 0, {}});
            narrow = true;
        } else if (n == "pcma") {
            out.push_back({"PCMA", 8000, 1, 8, {}});
            narrow = true;
        } else if (n == "g722") {
            out.push_back({"G722", 8000, 1, 9, {}});
            narrow = true;
        } else if (n == "telephone-event") {
            events = true;
        }
    }
    // RFC 4733 §2.1: the event clock should match the audio codec's, so offer one per rate.
    if (events && wide) out.push_back({"telephone-event", 48000, 1, -1, "0-16"});
    if (events && narrow) out.push_back({"telephone-event", 8000, 1, -1, "0-16"});
    return out;
}

EngineResult<std::shared_ptr<const DtlsCertificate>> loadOrCreateDtlsCertificate(const std::string& directory)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir(directory);
    const auto certPath = dir / "dtls-certificate.pem";
    const auto keyPath = dir / "dtls-key.pem";
    const auto readAll = [](const fs::path& p) -> std::optional<std::string> {
        std::ifstream in(p, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    };
    if (fs::exists(certPath, ec) && fs::exists(keyPath, ec)) {
        const auto cert = readAll(certPath);
        const auto key = readAll(keyPath);
        if (!cert || !key) return EngineError{500, "DTLS certificate in " + directory + " is unreadable"};
        auto loaded = DtlsCertificate::fromPem(*cert, *key);
        if (!loaded) {
            return EngineError{500, "DTLS certificate in " + directory +
                                        " is damaged (delete both files to renew)"};
        }
        return std::shared_ptr<const DtlsCertificate>(std::make_shared<DtlsCertificate>(std::move(*loaded)));
    }
    fs::create_directories(dir, ec);
    if (ec) return EngineError{500, "cannot create " + directory + ": " + ec.message()};
    auto made = DtlsCertificate::generate("vphone");
    if (!made) return EngineError{500, "cannot generate a DTLS certificate"};
    // The key first, created private (mode 0600, whatever the umask), then the certificate.
    {
        const auto tmp = keyPath.string() + ".tmp";
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) return EngineError{500, "cannot write " + tmp};
        const auto pem = made->privateKeyPem();
        const bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
        ::close(fd);
        if (!written) return EngineError{500, "cannot write " + tmp};
        fs::rename(tmp, keyPath, ec);
        if (ec) return EngineError{500, "cannot write " + keyPath.string() + ": " + ec.message()};
    }
    {
        std::ofstream out(certPath, std::ios::binary | std::ios::trunc);
        out << made->certificatePem();
        out.close();
        if (!out) return EngineError{500, "cannot write " + certPath.string()};
    }
    return std::shared_ptr<const DtlsCertificate>(std::make_shared<DtlsCertificate>(std::move(*made)));
}

} // namespace vphone::media
