// MediaSessionProvider: real audio for the facade's calls — the media engine behind
// ua::SessionDescriptionProvider, as vphone-cli drives it (ui/cli/phone.cpp).
//
// Theory of operation: one media::MediaSession per Call, made from the MediaConfig given here
// when the call first needs a description (our offer for an outgoing call or an offerless
// INVITE, our answer to an incoming one). Offers: Initial and Refresh are createOffer(), Hold
// and Resume are setHold(true/false), and the Refresh that setVideo() asks the Phone for (its
// camera button) is setVideo(on); answers (the INVITE's offer, or a peer's re-INVITE/UPDATE
// offer) are MediaSession::answer(), whose 488/491 become the Phone's refusal. negotiated()
// applies the answer to our offer while one is pending (the 183's or 200's answer, the ACK's
// for an offerless INVITE, a re-INVITE's) and finds an unusable answer fatal; otherwise our
// answer was already in force. offerRefused() withdraws our pending offer, ended() stops the
// session (RTCP BYE, ports closed, thread joined, sink file finished).
//
// The sessions push events from their media threads; the notifier posts one queued drain to
// this object, which lives on the Phone's thread, and the drain turns the events into signals
// (all of them as JSON too, for logs). Events are collected first and signalled after, so a slot
// may hang up or remove the call. A DTLS-SRTP failure hangs the call up, as vphone-cli does.
#pragma once

#include "engine/media_session.h"
#include "ua/call.h"
#include "ua/session_description_provider.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace vphone::ui {

/// Audio for every call of a Phone, one MediaSession each (install with
/// Phone::setSessionDescriptionProvider(); must outlive the Phone).
class MediaSessionProvider : public QObject, public ua::SessionDescriptionProvider {
    Q_OBJECT
public:
    /// `config` serves every call (ports, codecs, SRTP, devices); create() checks it per call.
    explicit MediaSessionProvider(media::MediaConfig config, QObject* parent = nullptr);
    /// Stops the sessions still running.
    ~MediaSessionProvider() override;

    ua::SdpResult offer(const ua::Call& call, Purpose purpose) override;
    ua::SdpResult answer(const ua::Call& call, const std::string& remoteOffer) override;
    void offerRefused(const ua::Call& call) override;
    std::optional<std::string> negotiated(const ua::Call& call, const std::string& local,
                                          const std::string& remote) override;
    void ended(const ua::Call& call) override;

    /// The configuration of the next calls (sessions already made keep theirs).
    void setConfig(media::MediaConfig config) { config_ = std::move(config); }
    const media::MediaConfig& config() const { return config_; }

    /// The call's session (nullptr before its first description and after it ended).
    media::MediaSession* session(const ua::Call* call) const;
    /// Per-stream statistics of a call as vphone-cli --stats-json prints them
    /// ([{"type":"audio","codec":"pcmu","packets_received":N,...}]); empty without a session.
    QJsonArray stats(const ua::Call* call) const;
    /// Who holds whom in the call: "none", "local", "remote", "both" (empty without a session).
    QString holdState(const ua::Call* call) const;
    /// Sends DTMF digits (0-9 * # A-D) as RFC 4733 events; false (and mediaError()) when not.
    bool sendDtmf(ua::Call* call, const QString& digits);
    /// Mutes or unmutes the call's microphone (silence is sent; false when it has no media).
    bool setMuted(ua::Call* call, bool muted);
    /// Adds (true) or removes (false) the call's video, as a camera button does: a re-INVITE
    /// through the Phone carrying MediaSession::setVideo()'s offer. False (and mediaError()) when
    /// the call has no media, the engine has no video to offer, or no re-INVITE could be sent.
    bool setVideo(ua::Call* call, bool on);
    /// True when the call's offers carry video (false without a session).
    bool videoWanted(const ua::Call* call) const;
    /// Adjusts the copy of config() one call's session is made from, just before it is made
    /// (the app's per-call video views and whether the call starts with video). Runs on this
    /// object's thread, inside Phone::call() for an outgoing call and Call::answer() for an
    /// incoming one.
    using CallConfigHook = std::function<void(const ua::Call& call, media::MediaConfig& config)>;
    void setCallConfigHook(CallConfigHook hook) { callConfigHook_ = std::move(hook); }
    /// Calls with a session now.
    int sessionCount() const { return static_cast<int>(sessions_.size()); }

signals:
    /// The call's audio flows (again, after a codec or address change): codec and "host:port".
    void mediaStarted(vphone::ua::Call* call, const QString& codec, const QString& remote);
    /// The hold state changed after an offer/answer: "none", "local", "remote" or "both".
    void holdChanged(vphone::ua::Call* call, const QString& state);
    /// The peer pressed a key (RFC 4733).
    void dtmfReceived(vphone::ua::Call* call, QChar digit);
    /// DTLS-SRTP keyed the stream ("AES_CM_128_HMAC_SHA1_80"...).
    void secured(vphone::ua::Call* call, const QString& suite);
    /// Something about the call's media the user should know (a DTLS failure ends the call).
    void mediaError(vphone::ua::Call* call, const QString& what);
    /// Every event, as one JSON object ({"event":"media","kind":...}), for logs.
    void mediaEvent(vphone::ua::Call* call, const QString& json);

private:
    struct Entry {
        QPointer<ua::Call> call;
        std::unique_ptr<media::MediaSession> session;
        /// setVideo() is asking the Phone for a re-INVITE: its Refresh offer is this change.
        std::optional<bool> videoChange;
        bool videoOffered = false;
    };
    /// The call's session, made on first use; nullptr with *why set when it cannot be.
    media::MediaSession* sessionFor(const ua::Call& call, std::string* why);
    void drain();

    media::MediaConfig config_;
    CallConfigHook callConfigHook_;
    std::map<const ua::Call*, Entry> sessions_;
    std::atomic<bool> drainPosted_{false};
};

} // namespace vphone::ui
