// Helpers shared by the offer and the answer side of offer_answer (not installed API).
#pragma once

#include "offer_answer.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sdp::detail {

/// "IP6" when the address has a ':', else "IP4".
std::string addrTypeOf(std::string_view address);
/// True for 0.0.0.0 and :: (RFC 2543 hold / no address).
bool isNullAddress(std::string_view address);
/// RTP profiles we can run: RTP/AVP(F), RTP/SAVP(F), UDP/TLS/RTP/SAVP(F).
bool supportedProto(std::string_view proto);
bool isSecureProto(std::string_view proto);
bool isDtlsProto(std::string_view proto);
bool isTelephoneEvent(std::string_view name);

/// Checks what the caller gave us; `forOffer` adds the keying needed to make an offer.
std::optional<Error> checkLocal(const LocalSession& local, bool forOffer);
const LocalStream* findStream(const LocalSession& local, std::string_view id);

/// The session part every SDP of ours has (o=, s=, c=, t=0 0).
SessionDescription baseSdp(const LocalSession& local, const std::string& sessionId);
/// m= formats plus a=rtpmap / a=fmtp for these codecs.
void writeCodecs(MediaDescription& m, const std::vector<NegotiatedCodec>& codecs);
/// a=ptime, a=maxptime, a=rtcp, b=AS and the extra attributes of a local stream.
void writeStreamExtras(MediaDescription& m, const LocalStream& s);
/// Remote address, ports, RTCP, ptime and bandwidth of a negotiated stream.
void fillRemote(NegotiatedStream& n, const SessionDescription& remote, const MediaDescription& m);
/// Our local codec for a remote one, or nullptr.
const Codec* localCodecFor(const LocalStream& s, const NegotiatedCodec& remote);
/// Payload type bindings after an exchange: the new ones, plus older ones whose number and
/// codec are both still free (RFC 3264 §8.3.2: a number stays bound to its codec).
std::vector<NegotiatedCodec> mergeBindings(std::vector<NegotiatedCodec> newer,
                                           const std::vector<NegotiatedCodec>& older);
/// A disabled m-line (port 0) keeping the media type, proto and formats.
MediaDescription disabledMedia(const std::string& media, const std::string& proto,
                               const std::vector<std::string>& formats);

} // namespace vphone::sdp::detail
