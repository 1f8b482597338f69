// The answerer's side of RFC 3264 (§6, re-offers §8): receiveOffer. See offer_answer.h for
// the theory of operation and the documented policy choices.
#include "oa_internal.h"
#include "text_util.h"

#include <set>

namespace vphone::sdp {

using namespace detail;

namespace {

bool sameOrigin(const Origin& a, const Origin& b)
{
    return a.username == b.username && a.sessionId == b.sessionId && a.netType == b.netType &&
           a.addrType == b.addrType && a.address == b.address;
}

std::string codecList(const std::vector<NegotiatedCodec>& codecs)
{
    std::string out;
    for (const auto& c : codecs) {
        if (!out.empty()) out += ", ";
        out += c.name + "/" + std::to_string(c.clockRate);
    }
    return out.empty() ? "none" : out;
}

/// One accepted codec: the offer's entry and our matching capability.
struct Match {
    NegotiatedCodec offered;
    const Codec* local;
};

std::vector<Match> matchCodecs(const LocalStream& s, const std::vector<NegotiatedCodec>& offered,
                               CodecOrder order)
{
    std::vector<Match> out;
    const auto taken = [&](int pt) {
        for (const auto& m : out) {
            if (m.offered.payloadType == pt) return true;
        }
        return false;
    };
    if (order == CodecOrder::Local) {
        for (const auto& lc : s.codecs) {
            if (isTelephoneEvent(lc.name)) continue;
            for (const auto& oc : offered) {
                if (sameCodec(lc, oc) && !taken(oc.payloadType)) {
                    out.push_back(Match{oc, &lc});
                    break;
                }
            }
        }
    } else {
        for (const auto& oc : offered) {
            if (isTelephoneEvent(oc.name)) continue;
            if (const auto* lc = localCodecFor(s, oc); lc && !taken(oc.payloadType))
                out.push_back(Match{oc, lc});
        }
    }
    if (out.empty()) return out;
    // RFC 4733 telephone-event goes last, for each clock rate we both have.
    for (const auto& oc : offered) {
        if (!isTelephoneEvent(oc.name)) continue;
        if (const auto* lc = localCodecFor(s, oc); lc && !taken(oc.payloadType)) out.push_back(Match{oc, lc});
    }
    return out;
}

/// How one offered stream is keyed, or why it is refused.
struct KeyingChoice {
    SrtpMode mode = SrtpMode::None;
    std::optional<Crypto> theirs;
    std::optional<Crypto> ours;
    std::optional<Fingerprint> fingerprint;
    std::string refusal;
};

KeyingChoice chooseKeying(const LocalSession& local, const LocalStream& s, const SessionDescription& offer,
                          const MediaDescription& o)
{
    KeyingChoice k;
    const bool secure = isSecureProto(o.proto);
    if (local.srtp == SrtpPolicy::Off) {
        if (secure) k.refusal = "SRTP offered (" + o.proto + ") but SRTP is off";
        return k;
    }
    // RFC 4568 §7.1.2: the first offered suite we support, in the offerer's order.
    for (const auto& oc : o.cryptos()) {
        for (const auto& lc : s.cryptos) {
            if (!k.theirs && equalsNoCase(lc.suite, oc.suite)) {
                k.theirs = oc;
                k.ours = lc;
                k.ours->tag = oc.tag;
            }
        }
    }
    k.fingerprint = offer.fingerprintFor(o);
    const bool sdesOk = k.theirs.has_value();
    const bool dtlsOk = k.fingerprint && local.fingerprint;
    if (isDtlsProto(o.proto)) {
        if (dtlsOk) {
            k.mode = SrtpMode::Dtls;
        } else {
            k.refusal = k.fingerprint ? "DTLS-SRTP offered but we have no certificate fingerprint"
                                      : "DTLS-SRTP offered without a=fingerprint";
        }
        return k;
    }
    const bool preferDtls = local.keying == Keying::Dtls;
    if (dtlsOk && (preferDtls || !sdesOk)) {
        k.mode = SrtpMode::Dtls;
    } else if (sdesOk) {
        k.mode = SrtpMode::Sdes;
    } else if (secure) {
        k.refusal = o.cryptos().empty() ? o.proto + " offered without a=crypto"
                                        : "no a=crypto suite we support in the offer";
    } else if (local.srtp == SrtpPolicy::Mandatory) {
        k.refusal = "SRTP is mandatory and the offer has no usable a=crypto or a=fingerprint";
    }
    return k;
}

} // namespace

Result<Answer> OfferAnswerSession::receiveOffer(const SessionDescription& offer, const LocalSession& local)
{
    if (pending_) return Error{0, "an offer of ours is pending (glare: answer 491)"};
    if (auto e = checkLocal(local, false)) return *e;
    if (offer.media.empty()) return Error{0, "the offer has no media stream"};
    if (remoteOrigin_ && sameOrigin(*remoteOrigin_, offer.origin) &&
        offer.origin.sessionVersion < remoteOrigin_->sessionVersion) {
        return Error{0, "o=: sess-version went back from " + std::to_string(remoteOrigin_->sessionVersion) +
                            " to " + std::to_string(offer.origin.sessionVersion)};
    }
    // RFC 3264 §8: m-lines are never removed or reordered, and a live one keeps its type.
    if (offer.media.size() < slots_.size()) {
        return Error{0, "the offer has " + std::to_string(offer.media.size()) + " m-lines, the session has " +
                            std::to_string(slots_.size()) + " (RFC 3264 §8: m-lines are never removed)"};
    }
    std::set<std::string> usedIds;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (slots_[i].id.empty()) continue;
        if (!equalsNoCase(offer.media[i].media, slots_[i].media)) {
            return Error{0, "m-line " + std::to_string(i) + " changed from " + slots_[i].media + " to " +
                                offer.media[i].media + " (RFC 3264 §8)"};
        }
        usedIds.insert(slots_[i].id);
    }

    std::vector<Slot> slots = slots_;
    slots.resize(offer.media.size());
    SessionDescription sdp = baseSdp(local, sessionId_);
    Negotiated result;
    std::string reasons;
    const std::string ourFamily = addrTypeOf(local.address);
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        const auto& o = offer.media[i];
        Slot& slot = slots[i];
        NegotiatedStream n;
        n.index = i;
        n.media = o.media;
        n.proto = o.proto;
        const LocalStream* s = nullptr;
        bool fresh = false; // s was free before this m-line took it
        if (!slot.id.empty()) {
            s = findStream(local, slot.id);
        } else {
            for (const auto& ls : local.streams) {
                if (ls.port != 0 && equalsNoCase(ls.media, o.media) && !usedIds.count(ls.id)) {
                    s = &ls;
                    fresh = true;
                    usedIds.insert(ls.id);
                    break;
                }
            }
        }
        const auto* conn = offer.connectionFor(o);
        std::vector<Match> matches;
        KeyingChoice keying;
        if (o.port == 0) {
            n.reason = "disabled by the offerer";
        } else if (!s || s->port == 0) {
            n.reason = "we have no " + o.media + " stream";
        } else if (!supportedProto(o.proto)) {
            n.reason = "transport '" + o.proto + "' is not supported";
        } else if (conn && !equalsNoCase(conn->addrType, ourFamily)) {
            n.reason = "the offer's address is " + conn->addrType + ", ours is " + ourFamily;
        } else {
            std::vector<NegotiatedCodec> offered;
            for (int pt : o.payloadTypes()) {
                if (auto c = codecOf(o, pt)) offered.push_back(std::move(*c));
            }
            matches = matchCodecs(*s, offered, local.answerOrder);
            keying = chooseKeying(local, *s, offer, o);
            if (matches.empty()) {
                n.reason = "no codec in common (offered: " + codecList(offered) + ")";
            } else if (!keying.refusal.empty()) {
                n.reason = keying.refusal;
            }
        }
        if (!n.reason.empty()) {
            if (fresh) usedIds.erase(s->id); // a later m-line of this type may still use it
            // RFC 3264 §6: a refused stream is answered with port 0 and the offered formats.
            sdp.media.push_back(disabledMedia(o.media, o.proto, o.formats));
            slot = Slot{{}, o.media, o.proto, o.formats, {}};
            reasons += (reasons.empty() ? "" : "; ") +
                       ("m-line " + std::to_string(i) + " (" + o.media + "): " + n.reason);
            result.streams.push_back(std::move(n));
            continue;
        }

        MediaDescription m;
        m.media = o.media;
        m.port = s->port;
        m.proto = o.proto;
        std::vector<NegotiatedCodec> answered;
        for (const auto& match : matches) {
            // RFC 3264 §6.1: the offerer's payload type numbers, our format parameters.
            answered.push_back(NegotiatedCodec{match.offered.payloadType, match.offered.name,
                                               match.offered.clockRate, match.offered.channels,
                                               match.local->fmtp});
            n.sendCodecs.push_back(match.offered);
        }
        n.recvCodecs = answered;
        writeCodecs(m, answered);
        writeStreamExtras(m, *s);
        if (auto mid = o.mid()) m.add("mid", *mid); // RFC 5888 §9.1: the answer echoes a=mid
        n.rtcpMux = s->rtcpMux && o.rtcpMux();
        // RFC 3264 §6.2: a multicast stream is answered with the offer's group, TTL and port (we
        // send to and receive from the group; our unicast port and RTCP port mean nothing there).
        const bool multicast = conn && multicastTtl(*conn).has_value();
        if (multicast) {
            m.port = o.port;
            m.connections.push_back(*conn);
        }
        if (n.rtcpMux) {
            m.add("rtcp-mux"); // RFC 5761 §5.1.1
        } else if (s->rtcpPort && !multicast) {
            m.add("rtcp", std::to_string(*s->rtcpPort));
        }
        n.srtp = keying.mode;
        if (keying.mode == SrtpMode::Sdes) {
            m.add("crypto", toString(*keying.ours));
            n.localCrypto = keying.ours;
            n.remoteCrypto = keying.theirs;
        } else if (keying.mode == SrtpMode::Dtls) {
            // RFC 5763 §5 / RFC 4145 §4: no a=setup in the offer means active.
            const auto theirs = offer.setupFor(o).value_or(Setup::Active);
            n.localSetup = theirs == Setup::Active     ? Setup::Passive
                           : theirs == Setup::HoldConn ? Setup::HoldConn
                                                       : Setup::Active;
            // RFC 8842 §5.3 (and JSEP §5.3.1): a re-offer with actpass for the association in
            // place (same m-line, same peer certificate) is answered with the role we already
            // have, so hold or a codec change does not restart the DTLS handshake.
            if (theirs == Setup::ActPass && negotiated_) {
                for (const auto& previous : negotiated_->streams) {
                    if (previous.index == i && previous.enabled && previous.srtp == SrtpMode::Dtls &&
                        previous.remoteFingerprint == keying.fingerprint &&
                        (previous.localSetup == Setup::Active || previous.localSetup == Setup::Passive))
                        n.localSetup = previous.localSetup;
                }
            }
            n.remoteFingerprint = keying.fingerprint;
            m.add("setup", std::string(toString(n.localSetup)));
            m.add("fingerprint", toString(*local.fingerprint));
        }
        auto offered = offer.directionFor(o);
        // c=0.0.0.0 is RFC 2543 hold, unless ICE is in use (RFC 8839 §4.2.5: the placeholder
        // address of a trickle-ICE offer).
        const bool ice = o.has("ice-ufrag") || offer.has("ice-ufrag");
        if (conn && isNullAddress(conn->address) && !ice) offered = intersect(offered, Direction::SendOnly);
        n.direction = intersect(mirror(offered), s->direction);
        m.add(std::string(toString(n.direction)));
        fillRemote(n, offer, o);
        n.enabled = true;
        n.id = s->id;
        const bool sameStream = i < slots_.size() && slots_[i].id == s->id;
        slot = Slot{s->id, o.media, o.proto, m.formats,
                    mergeBindings(answered, sameStream ? slots_[i].codecs : std::vector<NegotiatedCodec>{})};
        sdp.media.push_back(std::move(m));
        result.streams.push_back(std::move(n));
    }
    bool any = false;
    for (const auto& n : result.streams)
        any = any || n.enabled;
    if (!any) return Error{0, "no media stream can be accepted: " + reasons};
    stamp(sdp);
    slots_ = std::move(slots);
    remoteOrigin_ = offer.origin;
    negotiated_ = result;
    return Answer{std::move(sdp), std::move(result)};
}

} // namespace vphone::sdp
