// Command-line options of vphone-cli's phone mode, spelled as issue #4 defines them.
#pragma once

#include "engine/engine_config.h"
#include "net/sip_transport.h"
#include "net/tls_config.h"
#include "rtp/symmetric_rtp_latch.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vphone::cli {

/// One account: an address of record, its password and how to reach its registrar.
struct AccountOptions {
    QString name;                    ///< the config file's [account NAME] (empty from the command line)
    QString uri;                     ///< --account sip:alice@example.test
    std::optional<QString> password; ///< from --password-file (trailing newline dropped) or --password-env
    QString proxy;                   ///< outbound proxy of this account; empty: PhoneOptions::proxy
    bool noRegister = false;         ///< use the identity without REGISTER
    /// The config file's per-account srtp / keying: override --srtp / --keying for this account's calls.
    std::optional<sdp::SrtpPolicy> srtp;
    std::optional<sdp::Keying> keying;
};

struct PhoneOptions {
    /// --account (repeatable; the i-th --password-file/--password-env belongs to the i-th
    /// --account) and the config file's [account] sections. The first one places --call and
    /// --message.
    QList<AccountOptions> accounts;
    QString proxy;                    ///< --proxy URI (;transport= honoured), for every account
    QList<net::ListenSpec> listen;    ///< --listen (repeatable)
    QString call;                     ///< --call URI
    std::optional<double> autoAnswer; ///< --auto-answer[=DELAY] (seconds)
    QString messageTo;                ///< --message URI TEXT
    QString messageText;
    std::optional<double> duration;      ///< --duration S
    std::optional<double> hangupAfter;   ///< --hangup-after S (from the answer)
    std::optional<double> rateLimit;     ///< --rate-limit N: new requests/s per source address (0 = off)
    std::optional<double> reinviteAfter; ///< --reinvite-after S: re-INVITE, same SDP, S s after the answer
    QString trace;                       ///< --trace FILE
    bool events = false;                 ///< --events: one JSON object per line on stdout
    QString dnsServer;                   ///< --dns-server IP: name server for SRV/A/AAAA lookups
    bool noRegister = false;             ///< --no-register: use the account's identity without REGISTER
    net::TlsConfig tls;                  ///< --tls-cert/--tls-key, --ca-file, --trust-cert (files loaded)
    std::chrono::milliseconds keepAlive{30000}; ///< --keepalive S: CRLF on TCP/TLS, STUN on UDP flows
    QString stunServer; ///< --stun-server HOST[:PORT]: public address for SIP over UDP and for RTP/RTCP

    // Media (issue #5): --rtp-ports, --codecs, --srtp, --keying, --audio-source, --audio-sink,
    // --ptime, --dtls-dir fill this; SRTP is offered by default (optional policy, SDES keys).
    media::MediaConfig media = defaultMediaConfig();
    std::string dtmf;                        ///< --dtmf DIGITS, sent --dtmf-after S after the answer
    double dtmfAfter = 1.0;                  ///< --dtmf-after S
    std::optional<double> holdAfter;         ///< --hold-after S: hold S s after the answer
    std::optional<double> muteAfter;         ///< --mute-after S: mute the microphone S s after the answer
    std::optional<double> unmuteAfter;       ///< --unmute-after S: unmute S s after muting
    std::optional<double> resumeAfter;       ///< --resume-after S: resume S s after the hold
    std::vector<std::string> reinviteCodecs; ///< --reinvite-codecs LIST: --reinvite-after changes codecs
    int repeat = 1;                          ///< --repeat N: place --call N times, one after the other
    double repeatPause = 0;                  ///< --repeat-pause S: wait S seconds between the repeated calls
    QString statsJson;                       ///< --stats-json FILE: per-call stream figures at hang-up
    // Video (issue 6): --video-source, --video-sink, --video-codecs, --max-resolution and
    // --video-bitrate fill `media`; these add and remove the stream by re-INVITE.
    std::optional<double> videoAfter;    ///< --video-after S: add video S s after the answer
    std::optional<double> videoOffAfter; ///< --video-off-after S: remove it S s after adding (or the answer)
    // Presence (issue 7): watched addresses, our own status, message waiting, busy lamps.
    QStringList watchPresence;   ///< --watch-presence URI (repeatable)
    QString presence;            ///< --presence STATUS: available|away|busy|on-the-phone|offline
    QString presenceNote;        ///< ... :NOTE
    bool watchMwi = false;       ///< --watch-mwi: message-summary of the first account
    QStringList watchDialog;     ///< --watch-dialog URI (repeatable)
    QStringList watchConference; ///< --watch-conference URI (repeatable): RFC 4575 without a call
    QStringList pickUp;          ///< --pick-up URI: watch its dialogs, pick up the first ringing call
    // Forwarding and do not disturb (issue 8): incoming calls get a 302 or a 486/603 instead.
    QString forward;          ///< --forward URI: 302 every incoming call there
    QString forwardBusy;      ///< --forward-busy URI: 302 there while another call is up
    QString forwardNoAnswer;  ///< --forward-no-answer URI: 302 there after --forward-after S of ringing
    double forwardAfter = 20; ///< --forward-after S
    bool dnd = false;         ///< --dnd: refuse every incoming call
    int dndCode = 486;        ///< --dnd-code 486|603 (Busy Here or Decline)
    // Call transfer (issue 8, RFC 3515/3891; cli_transfer.cpp).
    QString transferTo;            ///< --transfer-to URI: REFER the answered call there
    double transferAfter = 1;      ///< --transfer-after S: seconds after the answer
    bool attendedTransfer = false; ///< --attended-transfer: hold, call URI, REFER with Replaces
    // Conferences (issue 8, RFC 4579/4575; phone_conference.cpp).
    bool conference = false;          ///< --conference: host; every incoming call joins one conference
    QStringList invite;               ///< --invite URI (repeatable): the host calls each into it
    bool conferenceSubscribe = false; ///< --conference-subscribe: watch the roster of every call
    bool conferenceReferAny = false;  ///< --conference-refer-any: out-of-dialog REFERs from anyone
    /// --conference-add URI (repeatable): once our call to a focus is answered, ask the focus to
    /// invite URI into the conference: an in-dialog REFER (RFC 4579 §5.5), one after another.
    QStringList conferenceAdd;

    // Multicast paging and intercom (issue 8, RFC 8866 §5.7): no SIP, see multicast_page.h.
    std::optional<media::MediaAddress> page;        ///< --page GROUP:PORT: send the audio source there
    std::optional<media::MediaAddress> listenGroup; ///< --listen-group GROUP:PORT: play the group's RTP
    unsigned multicastTtl = 1;                      ///< --multicast-ttl N (0-255): hops a page may cross
    std::string multicastInterface = "0.0.0.0";     ///< --multicast-interface IP: send and join there

    static media::MediaConfig defaultMediaConfig();
};

/// Parses the phone options; on a bad flag returns nullopt and sets *error to a clear message.
std::optional<PhoneOptions> parsePhoneOptions(const QStringList& args, QString* error);

/// The usage text of the phone mode.
QString phoneUsage();

} // namespace vphone::cli
