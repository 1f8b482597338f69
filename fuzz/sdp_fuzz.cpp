// libFuzzer target for the SDP library: parse, serialise, and offer/answer on whatever parses.
//
// Invariants checked (a violation aborts, so libFuzzer keeps the input):
//  - an error names a line inside the input (or 0) and says something;
//  - a description that parsed serialises to text that parses back to the same model, and
//    serialising that again gives the same text;
//  - answering it as an offer (SDES and DTLS capable, audio + video) either fails with a
//    reason or gives an answer that parses, with as many m-lines as the offer;
//  - applying it as the answer to a fixed offer never crashes and fails with a reason.
#include "sdp/offer_answer.h"
#include "sdp/session_description.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace vphone::sdp;

namespace {

volatile std::size_t gSink = 0;

[[noreturn]] void fail(const char* what, std::string_view text)
{
    std::fprintf(stderr, "invariant broken: %s\n--- text (%zu bytes) ---\n%.*s\n---\n", what, text.size(),
                 static_cast<int>(text.size()), text.data());
    std::abort();
}

LocalSession localSession()
{
    LocalSession l;
    l.address = "127.0.0.1";
    l.srtp = SrtpPolicy::Optional;
    l.keying = Keying::Sdes;
    l.fingerprint = Fingerprint{"sha-256", "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"};
    LocalStream audio;
    audio.id = "audio";
    audio.media = "audio";
    audio.port = 4000;
    audio.codecs = {Codec{"opus", 48000, 2, 111, "useinbandfec=1"}, Codec{"PCMU", 8000, 1, 0, ""},
                    Codec{"telephone-event", 8000, 1, 101, "0-16"}};
    Crypto c;
    c.tag = 1;
    c.suite = "AES_CM_128_HMAC_SHA1_80";
    c.keys.push_back(
        CryptoKey{"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk", std::nullopt, std::nullopt, std::nullopt});
    audio.cryptos = {c};
    LocalStream video = audio;
    video.id = "video";
    video.media = "video";
    video.port = 4002;
    video.codecs = {Codec{"VP8", 90000, 1, 96, ""}, Codec{"H264", 90000, 1, 97, "packetization-mode=1"}};
    l.streams = {audio, video};
    return l;
}

void touch(const SessionDescription& sdp)
{
    std::size_t n = 0;
    for (const auto& m : sdp.media) {
        for (int pt : m.payloadTypes()) {
            if (auto c = codecOf(m, pt)) n += c->name.size();
            if (auto f = m.fmtp(pt)) n += f->pairs().size();
        }
        n += m.cryptos().size() + m.ssrcs().size() + m.rtcpFbs().size() + m.extmaps().size();
        n += m.rtcp().has_value() + m.ptime().has_value() + m.mid().has_value();
        n += sdp.fingerprintFor(m).has_value() + sdp.setupFor(m).has_value();
        n += static_cast<std::size_t>(sdp.directionFor(m));
    }
    gSink = gSink + n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto sdp = parse(text);
    if (!sdp.ok()) {
        const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
        if (sdp.error().what.empty()) fail("empty error message", text);
        if (sdp.error().line > lines) fail("error line past the end of the input", text);
        return 0;
    }
    touch(*sdp);

    const std::string printed = serialize(*sdp);
    const auto again = parse(printed);
    if (!again.ok()) {
        std::fprintf(stderr, "re-parse error: %s\n", again.error().message().c_str());
        fail("serialize() output does not parse", printed);
    }
    if (!(*again == *sdp)) fail("parse(serialize(sdp)) differs from sdp", printed);
    if (serialize(*again) != printed) fail("serialize() is not idempotent", printed);

    const LocalSession local = localSession();
    OfferAnswerSession answerer("42");
    const auto answer = answerer.receiveOffer(*sdp, local);
    if (answer.ok()) {
        const std::string answerText = serialize(answer->sdp);
        const auto reparsed = parse(answerText);
        if (!reparsed.ok()) {
            std::fprintf(stderr, "answer parse error: %s\n", reparsed.error().message().c_str());
            fail("our answer does not parse", answerText);
        }
        if (reparsed->media.size() != sdp->media.size())
            fail("answer m-line count differs from the offer", answerText);
    } else if (answer.error().what.empty()) {
        fail("offer refused without a reason", printed);
    }

    OfferAnswerSession offerer("43");
    if (!offerer.createOffer(local).ok()) fail("fixed offer failed", printed);
    const auto result = offerer.receiveAnswer(*sdp);
    if (!result.ok() && result.error().what.empty()) fail("answer refused without a reason", printed);
    return 0;
}
