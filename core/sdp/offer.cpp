// The offerer's side of RFC 3264: createOffer (§5, re-offers §8) and receiveAnswer (§6 read
// back). See offer_answer.h for the theory of operation.
#include "oa_internal.h"
#include "text_util.h"

#include <algorithm>
#include <set>

namespace vphone::sdp {

using namespace detail;

OfferAnswerSession::OfferAnswerSession(std::string sessionId, std::uint64_t firstVersion)
    : sessionId_(parseUnsigned(sessionId) ? std::move(sessionId) : "0"), version_(firstVersion)
{}

void OfferAnswerSession::stamp(SessionDescription& sdp)
{
    // RFC 3264 §8: the version goes up by one each time the description changes, and stays
    // when the same description is sent again.
    sdp.origin.sessionVersion = version_;
    if (lastSent_ && !(*lastSent_ == sdp)) sdp.origin.sessionVersion = ++version_;
    lastSent_ = sdp;
}

namespace {

std::string offerProto(const LocalSession& local, const LocalStream& s)
{
    std::string p = "RTP/AVP";
    if (local.srtp == SrtpPolicy::Mandatory)
        p = local.keying == Keying::Dtls ? "UDP/TLS/RTP/SAVP" : "RTP/SAVP";
    if (s.feedback) p += "F";
    return p;
}

bool bindingMatches(const NegotiatedCodec& binding, const Codec& c)
{
    return sameCodec(c, NegotiatedCodec{binding.payloadType, binding.name, binding.clockRate,
                                        binding.channels, binding.fmtp});
}

/// Payload type numbers for our codecs: earlier bindings of this m-line first (RFC 3264
/// §8.3.2), then the caller's preferred number, the static number, or a free dynamic one.
Result<std::vector<NegotiatedCodec>> assignPayloadTypes(const LocalStream& s,
                                                        const std::vector<NegotiatedCodec>& previous)
{
    std::vector<NegotiatedCodec> out(s.codecs.size());
    std::vector<bool> done(s.codecs.size(), false);
    std::set<int> used;
    for (const auto& b : previous)
        used.insert(b.payloadType); // bound numbers stay reserved
    std::set<int> taken;
    for (std::size_t i = 0; i < s.codecs.size(); ++i) {
        for (const auto& b : previous) {
            if (bindingMatches(b, s.codecs[i]) && !taken.count(b.payloadType)) {
                out[i] = NegotiatedCodec{b.payloadType, s.codecs[i].name, s.codecs[i].clockRate,
                                         s.codecs[i].channels, s.codecs[i].fmtp};
                taken.insert(b.payloadType);
                done[i] = true;
                break;
            }
        }
    }
    for (std::size_t i = 0; i < s.codecs.size(); ++i) {
        if (done[i]) continue;
        const auto& c = s.codecs[i];
        int pt = -1;
        if (c.payloadType >= 0 && !used.count(c.payloadType) && !taken.count(c.payloadType)) {
            if (auto st = staticPayloadType(c.payloadType); st && !sameCodec(c, *st)) {
                return Error{0, "stream '" + s.id + "': payload type " + std::to_string(c.payloadType) +
                                    " is " + st->name + "/" + std::to_string(st->clockRate) + ", not " +
                                    c.name};
            }
            pt = c.payloadType;
        }
        for (int candidate = 0; pt < 0 && candidate < 96; ++candidate) {
            auto st = staticPayloadType(candidate);
            if (st && sameCodec(c, *st) && !taken.count(candidate)) pt = candidate;
        }
        for (int candidate = 96; pt < 0 && candidate <= 127; ++candidate) {
            if (!used.count(candidate) && !taken.count(candidate)) pt = candidate;
        }
        if (pt < 0) return Error{0, "stream '" + s.id + "': no free dynamic payload type"};
        taken.insert(pt);
        out[i] = NegotiatedCodec{pt, c.name, c.clockRate, c.channels, c.fmtp};
    }
    return out;
}

void addOfferKeying(MediaDescription& m, const LocalSession& local, const LocalStream& s)
{
    if (local.srtp == SrtpPolicy::Off) return;
    if (local.keying == Keying::Sdes) {
        for (const auto& c : s.cryptos)
            m.add("crypto", toString(c));
        return;
    }
    // RFC 5763 §5: the offerer says actpass and lets the answerer pick the DTLS role.
    m.add("setup", std::string(toString(Setup::ActPass)));
    m.add("fingerprint", toString(*local.fingerprint));
}

} // namespace

Result<SessionDescription> OfferAnswerSession::createOffer(const LocalSession& local)
{
    if (pending_) return Error{0, "an offer is already pending"};
    if (auto e = checkLocal(local, true)) return *e;

    std::vector<Slot> slots = slots_;
    for (auto& slot : slots) {
        const auto* s = slot.id.empty() ? nullptr : findStream(local, slot.id);
        // RFC 3264 §8.2: a stream is removed by setting its port to zero; its m-line stays.
        if (!s || s->port == 0 || s->media != slot.media) {
            slot.id.clear();
            slot.codecs.clear();
        }
    }
    std::vector<bool> reused(slots.size(), false);
    for (const auto& s : local.streams) {
        if (s.port == 0) continue;
        bool placed = false;
        for (const auto& slot : slots)
            placed = placed || slot.id == s.id;
        // RFC 3264 §8.1: a new stream may take an m-line disabled in an earlier exchange.
        for (std::size_t i = 0; !placed && i < slots_.size(); ++i) {
            if (slots_[i].id.empty() && slots[i].id.empty() && !reused[i]) {
                slots[i] = Slot{s.id, s.media, {}, {}, {}};
                reused[i] = placed = true;
            }
        }
        if (!placed) slots.push_back(Slot{s.id, s.media, {}, {}, {}});
    }

    SessionDescription sdp = baseSdp(local, sessionId_);
    for (auto& slot : slots) {
        if (slot.id.empty()) {
            sdp.media.push_back(
                disabledMedia(slot.media, slot.proto.empty() ? "RTP/AVP" : slot.proto, slot.formats));
            continue;
        }
        const LocalStream& s = *findStream(local, slot.id);
        auto codecs = assignPayloadTypes(s, slot.codecs);
        if (!codecs) return codecs.error();
        MediaDescription m;
        m.media = s.media;
        m.port = s.port;
        m.proto = offerProto(local, s);
        writeCodecs(m, *codecs);
        writeStreamExtras(m, s);
        // RFC 5761 §5.1.3: with rtcp-mux offered, a=rtcp still names the RTCP port to fall back
        // to when the answer declines mux (a STUN-mapped one is rarely RTP + 1).
        if (s.rtcpPort) m.add("rtcp", std::to_string(*s.rtcpPort));
        if (s.rtcpMux) m.add("rtcp-mux");
        addOfferKeying(m, local, s);
        m.add(std::string(toString(s.direction)));
        slot.proto = m.proto;
        slot.formats = m.formats;
        slot.codecs = mergeBindings(std::move(*codecs), slot.codecs);
        sdp.media.push_back(std::move(m));
    }
    if (sdp.media.empty()) return Error{0, "nothing to offer: no stream with a port"};
    stamp(sdp);
    pending_ = Pending{sdp, local, std::move(slots)};
    return sdp;
}

void OfferAnswerSession::cancelOffer()
{
    pending_.reset();
}

namespace {

/// SRTP of one stream from the answer to our offer.
std::optional<Error> answerKeying(NegotiatedStream& n, const LocalSession& local, const LocalStream& s,
                                  const SessionDescription& answer, const MediaDescription& a)
{
    const std::string where = "m-line " + std::to_string(n.index) + " (" + n.media + "): ";
    if (local.srtp == SrtpPolicy::Off) {
        if (isSecureProto(a.proto))
            return Error{0, where + "the answer uses " + a.proto + " but we offered plain RTP"};
        return std::nullopt;
    }
    const bool mandatory = local.srtp == SrtpPolicy::Mandatory;
    if (local.keying == Keying::Sdes) {
        const auto theirs = a.cryptos();
        if (!theirs.empty()) {
            // RFC 4568 §7.1.3: the answer names one of our offered tags with the same suite.
            for (const auto& ours : s.cryptos) {
                if (ours.tag == theirs.front().tag && equalsNoCase(ours.suite, theirs.front().suite)) {
                    n.srtp = SrtpMode::Sdes;
                    n.localCrypto = ours;
                    n.remoteCrypto = theirs.front();
                    return std::nullopt;
                }
            }
            return Error{0, where + "the answer's a=crypto (tag " + std::to_string(theirs.front().tag) +
                                ", " + theirs.front().suite + ") was not offered"};
        }
        if (mandatory) return Error{0, where + "SRTP is mandatory but the answer has no a=crypto"};
    } else {
        if (auto fp = answer.fingerprintFor(a)) {
            n.srtp = SrtpMode::Dtls;
            n.remoteFingerprint = fp;
            // RFC 4145 §4: no a=setup means active; RFC 5763 §5: the answer is never actpass
            // (an actpass answer is taken as passive).
            const auto setup = answer.setupFor(a).value_or(Setup::Active);
            n.localSetup = setup == Setup::Active     ? Setup::Passive
                           : setup == Setup::HoldConn ? Setup::HoldConn
                                                      : Setup::Active;
            return std::nullopt;
        }
        if (mandatory) return Error{0, where + "DTLS-SRTP is mandatory but the answer has no a=fingerprint"};
    }
    if (isSecureProto(a.proto)) return Error{0, where + "the answer uses " + a.proto + " without keying"};
    return std::nullopt;
}

} // namespace

Result<Negotiated> OfferAnswerSession::receiveAnswer(const SessionDescription& answer)
{
    if (!pending_) return Error{0, "no offer of ours is pending"};
    Pending p = std::move(*pending_);
    pending_.reset();
    const auto& offer = p.offer;
    if (answer.media.size() != offer.media.size()) {
        return Error{0, "the answer has " + std::to_string(answer.media.size()) + " m-lines, our offer had " +
                            std::to_string(offer.media.size()) + " (RFC 3264 §6)"};
    }
    Negotiated result;
    bool any = false;
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        const auto& o = offer.media[i];
        const auto& a = answer.media[i];
        const Slot& slot = p.mlines[i];
        NegotiatedStream n;
        n.index = i;
        n.id = slot.id;
        n.media = o.media;
        n.proto = a.proto;
        const std::string where = "m-line " + std::to_string(i) + " (" + o.media + "): ";
        if (!equalsNoCase(a.media, o.media))
            return Error{0, where + "the answer has media '" + a.media + "'"};
        if (o.port == 0 || slot.id.empty()) {
            n.reason = "removed by us";
        } else if (a.port == 0) {
            n.reason = "refused by the answerer";
        }
        if (!n.reason.empty()) {
            result.streams.push_back(std::move(n));
            continue;
        }
        const LocalStream& s = *findStream(p.local, slot.id);
        const auto offered = o.payloadTypes();
        for (int pt : a.payloadTypes()) {
            const auto rc = codecOf(a, pt);
            if (!rc) continue;
            for (const auto& b : slot.codecs) {
                if (std::find(offered.begin(), offered.end(), b.payloadType) == offered.end()) continue;
                if (bindingMatches(*rc, Codec{b.name, b.clockRate, b.channels, -1, b.fmtp})) {
                    n.sendCodecs.push_back(*rc);
                    n.recvCodecs.push_back(b);
                    break;
                }
            }
        }
        if (!n.sendCodec()) return Error{0, where + "the answer has no codec we offered"};
        n.rtcpMux = s.rtcpMux && a.rtcpMux();
        fillRemote(n, answer, a);
        n.direction = intersect(mirror(answer.directionFor(a)), s.direction);
        const bool ice = a.has("ice-ufrag") || answer.has("ice-ufrag");
        if (isNullAddress(n.remoteAddress) && !ice) n.direction = intersect(n.direction, Direction::RecvOnly);
        if (auto e = answerKeying(n, p.local, s, answer, a)) return *e;
        n.enabled = true;
        any = true;
        result.streams.push_back(std::move(n));
    }
    if (!any) return Error{0, "the answer accepts no media stream"};
    slots_ = std::move(p.mlines);
    negotiated_ = result;
    remoteOrigin_ = answer.origin;
    return result;
}

} // namespace vphone::sdp
