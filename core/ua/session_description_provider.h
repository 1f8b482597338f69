// SessionDescriptionProvider: where a Call gets its SDP, the hook the media engine attaches to.
//
// Theory of operation: the facade (Phone, Call) never builds media descriptions itself. When a
// call needs an offer (a new outgoing call, a re-INVITE for hold, resume or a refresh) or an
// answer (an incoming call being answered, a peer's re-INVITE or UPDATE offer) it asks the
// provider, which gives the SDP or refuses with a SIP status and a reason (RFC 3264 §6: 488
// Not Acceptable Here; 491 Request Pending; 500 for local trouble). The Phone turns a refusal
// into the call's fate: an incoming call is rejected with that status, an outgoing one ends
// before any INVITE goes out, a peer's re-offer is refused (the session stays as it was) and a
// re-INVITE of ours is not sent. Once a session is agreed (an answer to our offer came in, or
// our answer went out) the Phone tells the provider with negotiated(), which may still find the
// answer unusable and so end the call; offerRefused() says our re-offer failed (a non-2xx, or
// it could not be sent) and the old session stays in force; ended() releases the call's media.
// Until the application installs a real provider, PlaceholderSession offers audio PCMU on a port
// nobody sends to, so peers accept the call. All calls run on the Phone's thread; a provider
// that hands work to a media thread queues it.
#pragma once

#include <QString>

#include <optional>
#include <string>

namespace vphone::ua {

class Call;

/// An SDP offer or answer, or why there is none.
struct SdpResult {
    int status = 200;   ///< 200, or the SIP status that refuses (488, 491, 500...)
    std::string sdp;    ///< the description (status 200)
    std::string reason; ///< why not (status other than 200): a Warning, the Call's reason
    bool ok() const { return status == 200; }
    /// A description.
    static SdpResult description(std::string sdp) { return {200, std::move(sdp), {}}; }
    /// A refusal with a 3xx-6xx status.
    static SdpResult refuse(int status, std::string reason) { return {status, {}, std::move(reason)}; }
};

/// Supplies SDP offers and answers for calls and learns the agreed sessions (RFC 3264).
class SessionDescriptionProvider {
public:
    /// Why an offer is wanted.
    enum class Purpose { Invalid, Initial, Hold, Resume, Refresh };

    virtual ~SessionDescriptionProvider() = default;
    /// Our offer: a new outgoing call or the 200 to an offerless INVITE (Initial), a re-INVITE
    /// putting the peer on hold (Hold, RFC 3264 §8.4 a=sendonly), taking it off (Resume) or
    /// repeating the session (Refresh). A refusal ends a new call or skips the re-INVITE.
    virtual SdpResult offer(const Call& call, Purpose purpose) = 0;
    /// Our answer to the peer's offer in an incoming INVITE; a refusal rejects the call with
    /// its status.
    virtual SdpResult answer(const Call& call, const std::string& remoteOffer) = 0;
    /// Our answer to the peer's offer in a re-INVITE or UPDATE during the call (hold, a new
    /// address, codecs); a refusal goes back with its status and a Warning, and the session
    /// stays as it was. By default the same as answer().
    virtual SdpResult remoteOffer(const Call& call, const std::string& offer) { return answer(call, offer); }
    /// Our last offer of a re-INVITE got no usable answer (a non-2xx, an answer without a
    /// description, or the re-INVITE could not be sent): the previous session stays in force.
    virtual void offerRefused(const Call& call) { (void)call; }
    /// A session is agreed: `local` and `remote` are the two descriptions now in force (start
    /// or update the media streams). Also told for a 183's early answer, and again when the
    /// same answer arrives in the 200. `remote` is empty when the peer sent none where it had
    /// to (a 200 or an ACK without the answer). Returns why the session cannot be used (the
    /// Phone then hangs the call up with that reason), or nullopt.
    virtual std::optional<std::string> negotiated(const Call& call, const std::string& local,
                                                  const std::string& remote)
    {
        (void)call;
        (void)local;
        (void)remote;
        return std::nullopt;
    }
    /// The call ended: release its media.
    virtual void ended(const Call& call) { (void)call; }
};

/// Audio PCMU and telephone-event on a fixed port, no media actually sent or read; a=sendonly
/// for a hold offer. What calls carry until the application installs a real provider.
class PlaceholderSession : public SessionDescriptionProvider {
public:
    /// `host` goes into o= and c= (an IPv6 literal makes them IN IP6).
    explicit PlaceholderSession(QString host) : host_(std::move(host)) {}
    SdpResult offer(const Call& call, Purpose purpose) override;
    SdpResult answer(const Call& call, const std::string& remoteOffer) override;

private:
    std::string describe(const char* direction);
    QString host_;
    int version_ = 0; ///< o= session version, incremented for each new description (RFC 3264 §8)
};

} // namespace vphone::ua
