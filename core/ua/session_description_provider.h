// SessionDescriptionProvider: where a Call gets its SDP, the hook the media engine attaches to.
//
// Theory of operation: the facade (Phone, Call) never builds media descriptions itself. When a
// call needs an offer (a new outgoing call, a re-INVITE for hold, resume or a refresh) or an
// answer (an incoming call being answered), it asks the provider; once a session is agreed (the
// final answer or a peer's re-offer is in) it tells the provider with negotiated(), and when
// the call ends with ended(). Until the media engine (#5) provides one, PlaceholderSession
// offers audio PCMU on a port nobody sends to, as vphone-cli does, so peers accept the call.
// All calls run on the Phone's thread; a provider that hands work to a media thread queues it.
#pragma once

#include <QString>

#include <string>

namespace vphone::ua {

class Call;

/// Supplies SDP offers and answers for calls and learns the agreed sessions (RFC 3264).
class SessionDescriptionProvider {
public:
    /// Why an offer is wanted.
    enum class Purpose { Invalid, Initial, Hold, Resume, Refresh };

    virtual ~SessionDescriptionProvider() = default;
    /// Our offer: a new outgoing call (Initial), a re-INVITE putting the peer on hold (Hold,
    /// RFC 3264 §8.4 a=sendonly), taking it off (Resume) or repeating the session (Refresh).
    virtual std::string offer(const Call& call, Purpose purpose) = 0;
    /// Our answer to the peer's offer in an incoming INVITE.
    virtual std::string answer(const Call& call, const std::string& remoteOffer) = 0;
    /// A session is agreed: `local` and `remote` are the two descriptions now in force (start
    /// or update the media streams).
    virtual void negotiated(const Call& call, const std::string& local, const std::string& remote)
    {
        (void)call;
        (void)local;
        (void)remote;
    }
    /// The call ended: release its media.
    virtual void ended(const Call& call) { (void)call; }
};

/// Audio PCMU and telephone-event on a fixed port, no media actually sent or read; a=sendonly
/// for a hold offer. What calls carry until the media engine provides a real provider.
class PlaceholderSession : public SessionDescriptionProvider {
public:
    /// `host` goes into o= and c= (an IPv6 literal makes them IN IP6).
    explicit PlaceholderSession(QString host) : host_(std::move(host)) {}
    std::string offer(const Call& call, Purpose purpose) override;
    std::string answer(const Call& call, const std::string& remoteOffer) override;

private:
    std::string describe(const char* direction);
    QString host_;
    int version_ = 0; ///< o= session version, incremented for each new description (RFC 3264 §8)
};

} // namespace vphone::ua
