// The SDP model (RFC 8866): a session part (v=, o=, s=, i=, u=, e=, p=, c=, b=, t=/r=, z=, k=,
// a=) and media sections (m=, i=, c=, b=, k=, a=). Every field is kept as parsed, unknown
// attributes included, so parse(serialize(x)) == x; the typed accessors read the attributes the
// offer/answer code needs (see attributes.h). Attribute names compare case-insensitively.
#pragma once

#include "attributes.h"
#include "error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vphone::sdp {

/// c=<nettype> <addrtype> <connection-address>
struct Connection {
    std::string netType = "IN";
    std::string addrType = "IP4"; ///< "IP4" or "IP6" (others are kept, not interpreted)
    std::string address;          ///< unicast address, multicast group or FQDN, no "/ttl"
    std::string multicastSuffix;  ///< "/127" or "/127/3" as written, usually empty
    bool operator==(const Connection&) const = default;
};

/// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
    std::string username = "-";
    std::string sessionId = "0"; ///< digits, kept as text (it may exceed 64 bits)
    std::uint64_t sessionVersion = 0;
    std::string netType = "IN";
    std::string addrType = "IP4";
    std::string address = "0.0.0.0";
    bool operator==(const Origin&) const = default;
};

/// b=<bwtype>:<bandwidth> (kbit/s for AS and CT, bit/s for TIAS).
struct Bandwidth {
    std::string type;
    std::uint64_t value = 0;
    bool operator==(const Bandwidth&) const = default;
};

/// t=<start-time> <stop-time> and the r= lines after it (kept as written).
struct Timing {
    std::uint64_t start = 0;
    std::uint64_t stop = 0;
    std::vector<std::string> repeats;
    bool operator==(const Timing&) const = default;
};

/// a=<name> or a=<name>:<value>
struct Attribute {
    std::string name;
    std::optional<std::string> value;
    bool operator==(const Attribute&) const = default;
};

/// Attribute lists shared by the session and the media sections.
struct AttributeList {
    std::vector<Attribute> attributes;

    /// The first attribute with this name, or nullptr.
    const Attribute* find(std::string_view name) const;
    /// Every attribute with this name, in order.
    std::vector<const Attribute*> findAll(std::string_view name) const;
    bool has(std::string_view name) const { return find(name) != nullptr; }
    /// Appends a=name or a=name:value.
    void add(std::string name, std::optional<std::string> value = std::nullopt);
    /// Removes every attribute with this name.
    void remove(std::string_view name);
    /// The direction attribute given here, if any.
    std::optional<Direction> direction() const;
    std::optional<Fingerprint> fingerprint() const;
    std::optional<Setup> setup() const;
    bool operator==(const AttributeList&) const = default;
};

/// One media section, from its m= line to the next.
struct MediaDescription : AttributeList {
    std::string media = "audio"; ///< "audio", "video", "application", ...
    std::uint16_t port = 0;      ///< 0: the stream is disabled / refused
    std::optional<std::uint32_t> portCount;
    std::string proto = "RTP/AVP";    ///< transport protocol as written
    std::vector<std::string> formats; ///< RTP payload types, or the proto's formats
    std::optional<std::string> information;
    std::vector<Connection> connections;
    std::vector<Bandwidth> bandwidths;
    std::optional<std::string> key;

    /// True for the RTP profiles (RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVP, ...).
    bool isRtp() const;
    /// The formats as payload types (RTP only; formats that are not numbers are skipped).
    std::vector<int> payloadTypes() const;
    /// a=rtpmap for this payload type, if present and valid.
    std::optional<Rtpmap> rtpmap(int payloadType) const;
    /// a=fmtp for this payload type, if present.
    std::optional<Fmtp> fmtp(int payloadType) const;
    std::optional<std::chrono::milliseconds> ptime() const;
    std::optional<std::chrono::milliseconds> maxptime() const;
    bool rtcpMux() const { return has("rtcp-mux"); }
    std::optional<RtcpAttribute> rtcp() const;
    std::vector<Crypto> cryptos() const;
    std::optional<std::string> mid() const;
    std::vector<Ssrc> ssrcs() const;
    std::vector<RtcpFb> rtcpFbs() const;
    std::vector<Extmap> extmaps() const;
    /// b=<type> value, if present.
    std::optional<std::uint64_t> bandwidth(std::string_view type) const;
    bool operator==(const MediaDescription&) const = default;
};

/// A whole session description.
struct SessionDescription : AttributeList {
    int version = 0;
    Origin origin;
    std::string sessionName = "-";
    std::optional<std::string> information;
    std::optional<std::string> uri;
    std::vector<std::string> emails;
    std::vector<std::string> phones;
    std::optional<Connection> connection;
    std::vector<Bandwidth> bandwidths;
    std::vector<Timing> timings{Timing{}};
    std::optional<std::string> zone;
    std::optional<std::string> key;
    std::vector<MediaDescription> media;

    /// The connection that applies to a media section: its own first c=, else the session's.
    const Connection* connectionFor(const MediaDescription& m) const;
    /// The direction of a media section: its own attribute, else the session's, else SendRecv.
    Direction directionFor(const MediaDescription& m) const;
    /// a=fingerprint / a=setup of the media section, else of the session (RFC 8122 §5).
    std::optional<Fingerprint> fingerprintFor(const MediaDescription& m) const;
    std::optional<Setup> setupFor(const MediaDescription& m) const;
    bool operator==(const SessionDescription&) const = default;
};

/// Bounds that keep a hostile peer from making us allocate or loop without limit.
struct Limits {
    std::size_t maxSize = 65536;       ///< whole description in bytes
    std::size_t maxLineLength = 4096;  ///< one line, type letter included
    std::size_t maxMediaSections = 32; ///< m= lines
    std::size_t maxAttributes = 512;   ///< a= lines in all sections together
    std::size_t maxFormats = 128;      ///< formats on one m= line
    std::size_t maxOtherLines = 64;    ///< e=, p=, b=, t=, r=, c= lines per section
};

/// Parses SDP text. Lines may end in CRLF or LF, trailing blanks and empty lines are ignored;
/// everything else follows RFC 8866 (v=0 first, then o=, s=, t=; known type letters only;
/// every active media section has a connection address). Known attributes are checked
/// (see checkAttribute). Errors name the line and the field.
Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});

/// SDP text with CRLF line ends, in the order RFC 8866 §5 prescribes.
std::string serialize(const SessionDescription& sdp);

/// True when `address` is a dotted-quad IPv4 address / an IPv6 address (RFC 4291 text form).
bool isIpv4Address(std::string_view address);
bool isIpv6Address(std::string_view address);
/// True for a dotted-quad IPv4 address in 224.0.0.0/4 (RFC 5771).
bool isIpv4Multicast(std::string_view address);
/// The TTL of an IPv4 multicast connection (RFC 8866 §5.7: "239.1.2.3/127" gives 127); nullopt
/// for a unicast or IPv6 address.
std::optional<unsigned> multicastTtl(const Connection& c);

} // namespace vphone::sdp
