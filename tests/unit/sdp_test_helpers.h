// Builders shared by the SDP offer/answer tests: codecs, local sessions, and a two-phone
// exchange that goes through text (serialize + parse) like a real call.
#pragma once

#include "sdp/offer_answer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vphone::sdp::test {

inline Codec pcmu()
{
    return Codec{"PCMU", 8000, 1, 0, ""};
}
inline Codec pcma()
{
    return Codec{"PCMA", 8000, 1, 8, ""};
}
inline Codec g722()
{
    return Codec{"G722", 8000, 1, 9, ""};
}
inline Codec opus()
{
    return Codec{"opus", 48000, 2, 111, "useinbandfec=1"};
}
inline Codec dtmf()
{
    return Codec{"telephone-event", 8000, 1, 101, "0-16"};
}
inline Codec vp8()
{
    return Codec{"VP8", 90000, 1, 96, ""};
}
inline Codec h264()
{
    return Codec{"H264", 90000, 1, 97, "packetization-mode=1;profile-level-id=42e01f"};
}

inline LocalStream stream(std::string id, std::string media, std::uint16_t port, std::vector<Codec> codecs)
{
    LocalStream s;
    s.id = std::move(id);
    s.media = std::move(media);
    s.port = port;
    s.codecs = std::move(codecs);
    return s;
}

inline LocalStream audio(std::uint16_t port, std::vector<Codec> codecs = {pcmu(), pcma(), dtmf()})
{
    return stream("audio", "audio", port, std::move(codecs));
}

inline LocalStream video(std::uint16_t port, std::vector<Codec> codecs = {vp8()})
{
    return stream("video", "video", port, std::move(codecs));
}

inline LocalSession phone(std::string address, std::vector<LocalStream> streams)
{
    LocalSession l;
    l.address = std::move(address);
    l.streams = std::move(streams);
    return l;
}

/// A made-up SDES key line (the library never makes keys; tests pass fixed ones).
inline Crypto crypto(unsigned tag, std::string suite, std::string keySalt)
{
    Crypto c;
    c.tag = tag;
    c.suite = std::move(suite);
    c.keys.push_back(CryptoKey{std::move(keySalt), std::nullopt, std::nullopt, std::nullopt});
    return c;
}

inline SessionDescription reparse(const SessionDescription& sdp)
{
    auto r = parse(serialize(sdp));
    EXPECT_TRUE(r) << (r ? "" : r.error().message()) << "\n" << serialize(sdp);
    return r ? *r : SessionDescription{};
}

inline SessionDescription parsed(const std::string& text)
{
    auto r = parse(text);
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    return r ? *r : SessionDescription{};
}

/// Both sides' results of one offer/answer exchange.
struct Exchange {
    bool ok = false;
    std::string error;
    SessionDescription offer;
    SessionDescription answer;
    Negotiated offerer;
    Negotiated answerer;
};

inline Exchange exchange(OfferAnswerSession& a, const LocalSession& aLocal, OfferAnswerSession& b,
                         const LocalSession& bLocal)
{
    Exchange x;
    auto offer = a.createOffer(aLocal);
    if (!offer) {
        x.error = "offer: " + offer.error().message();
        return x;
    }
    x.offer = reparse(*offer);
    auto answer = b.receiveOffer(x.offer, bLocal);
    if (!answer) {
        a.cancelOffer();
        x.error = "answer: " + answer.error().message();
        return x;
    }
    x.answerer = answer->negotiated;
    x.answer = reparse(answer->sdp);
    auto result = a.receiveAnswer(x.answer);
    if (!result) {
        x.error = "apply: " + result.error().message();
        return x;
    }
    x.offerer = *result;
    x.ok = true;
    return x;
}

} // namespace vphone::sdp::test
