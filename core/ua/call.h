// Call: one call (an INVITE dialog, RFC 3261 §12-§15) as QML sees it.
//
// Theory of operation: only Phone makes Calls — one for Phone::call() and one for each
// incoming INVITE — and owns them (Qt parent). Phone routes the driver's events for the call's
// handle to applyState()/applyModified(), which update the properties and emit their NOTIFY
// signals. The commands go back to the driver through the Phone; once the call has Ended its
// handle is forgotten and every command is a no-op, so a view may keep showing an ended call
// (Phone keeps a bounded history of them) without reaching a dialog the engine has dropped.
// SDP never reaches QML: localSdp()/remoteSdp() are for the media layer, and the descriptions
// come from the Phone's SessionDescriptionProvider.
//
// Conferences hosted elsewhere (RFC 4579 as a participant, phone_conference_watch.cpp): a call
// whose far end's Contact carries `isfocus` (in its 2xx, its INVITE or a later re-INVITE) is a
// conference(); the Phone then watches the focus's conference event package and keeps roster()
// up to date, and addToConference() asks the focus to invite someone (REFER, §5.5).
#pragma once

#include "ua/session_description_provider.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantList>

#include <cstdint>
#include <string>

namespace vphone::ua {

class Account;
class Phone;

/// One call, incoming or outgoing.
class Call : public QObject {
    Q_OBJECT
    Q_MOC_INCLUDE("ua/account.h")
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(Direction direction READ direction CONSTANT)
    Q_PROPERTY(QString remoteUri READ remoteUri CONSTANT)
    Q_PROPERTY(QString remoteDisplayName READ remoteDisplayName CONSTANT)
    Q_PROPERTY(int code READ code NOTIFY codeChanged)
    Q_PROPERTY(QString reason READ reason NOTIFY reasonChanged)
    Q_PROPERTY(vphone::ua::Account* account READ account CONSTANT)
    Q_PROPERTY(QDateTime startedAt READ startedAt CONSTANT)
    Q_PROPERTY(QDateTime connectedAt READ connectedAt NOTIFY connectedAtChanged)
    Q_PROPERTY(QDateTime endedAt READ endedAt NOTIFY endedAtChanged)
    Q_PROPERTY(int duration READ duration NOTIFY durationChanged)
    Q_PROPERTY(TransferState transferState READ transferState NOTIFY transferProgress)
    Q_PROPERTY(bool conference READ isConference NOTIFY conferenceChanged)
    Q_PROPERTY(QVariantList roster READ roster NOTIFY rosterChanged)
    Q_PROPERTY(TransferState conferenceAddState READ conferenceAddState NOTIFY conferenceAddProgress)
public:
    enum class State {
        Invalid,
        Calling,    ///< outgoing INVITE sent
        Proceeding, ///< outgoing: the callee's side is working on it (1xx other than 180/183)
        Ringing,    ///< outgoing: 180 received
        EarlyMedia, ///< outgoing: 183 with a session description
        Incoming,   ///< incoming: waiting for answer() or reject() (180 Ringing already sent)
        Active,     ///< answered (2xx sent or received and ACKed)
        Held,       ///< we put the peer on hold (hold() succeeded)
        Ended,      ///< over; code and reason say how
    };
    Q_ENUM(State)
    enum class Direction { Invalid, Incoming, Outgoing };
    Q_ENUM(Direction)
    /// Our transfer of this call (phone_transfer.cpp): REFER sent, accepted (202), done (the
    /// transferee's new call answered: this one is hung up), or failed (the call stays).
    enum class TransferState { None, Trying, Accepted, Done, Failed };
    Q_ENUM(TransferState)

    State state() const { return state_; }
    Direction direction() const { return direction_; }
    /// The peer's address ("sip:bob@example.test"): the target we called, or the caller's From.
    QString remoteUri() const { return remoteUri_; }
    /// The caller's display name from From (empty when it sent none, and for outgoing calls).
    QString remoteDisplayName() const { return remoteDisplayName_; }
    /// SIP status of the last state change (200 when answered, 486 when busy, 0 when no
    /// response code applies, e.g. a BYE; reason then says what happened).
    int code() const { return code_; }
    QString reason() const { return reason_; }
    /// The account the call belongs to (nullptr for direct IP calling without an account).
    Account* account() const;
    QDateTime startedAt() const { return startedAt_; }
    /// When the call became Active (invalid before).
    QDateTime connectedAt() const { return connectedAt_; }
    /// When it Ended (invalid before).
    QDateTime endedAt() const { return endedAt_; }
    /// Seconds connected: until now while up, final once Ended (0 if never answered). NOTIFY
    /// fires when the call connects and when it ends; a view ticking a clock re-reads it.
    int duration() const;

    /// Answers an incoming call (200 OK with our answer from the SessionDescriptionProvider).
    Q_INVOKABLE void answer();
    /// Refuses an incoming call with a 4xx-6xx status (486 Busy Here, 603 Decline...).
    Q_INVOKABLE void reject(int code = 486);
    /// Ends the call in any state: CANCEL while unanswered, BYE once up, 603 for an incoming one.
    Q_INVOKABLE void hangUp();
    /// Re-INVITE repeating our session (a refresh); modified() reports the outcome.
    Q_INVOKABLE void reinvite();
    /// Re-INVITE with a hold offer (RFC 3264 §8.4): Held once the peer accepts.
    Q_INVOKABLE void hold();
    /// Re-INVITE taking the peer off hold: Active once accepted.
    Q_INVOKABLE void resume();
    /// Blind transfer (RFC 3515): REFER the peer to `uri`; transferProgress() reports the
    /// NOTIFYs and the call is hung up once the transferee's new call is answered. False (and
    /// Phone::problem()) when the URI is bad or the call is not up.
    Q_INVOKABLE bool transfer(const QString& uri);
    /// Attended transfer (RFC 3891): REFER the peer to `other`'s peer, with Replaces naming our
    /// call with it; both our calls end once the peer's INVITE replaces `other`.
    Q_INVOKABLE bool transferTo(vphone::ua::Call* other);
    TransferState transferState() const { return transferState_; }

    /// The far end is a conference focus (RFC 4579: its Contact in this dialog has `isfocus`).
    /// Stays as last known once the call has ended.
    bool isConference() const { return conference_; }
    /// The conference's users as the focus last reported them (RFC 4575 conference event
    /// package), one map per user: "uri", "name" (display text), "status" ("connected",
    /// "disconnected"... of its first endpoint; empty when none said) and "media" ("audio,video").
    /// Empty until the first NOTIFY; kept as last known once the call has ended.
    QVariantList roster() const { return roster_; }
    /// Asks the focus to invite `uri` into the conference (RFC 4579 §5.5: REFER in this call's
    /// dialog). conferenceAddProgress() reports the REFER's answer and the focus's NOTIFYs; this
    /// call stays up whatever happens. False (and Phone::problem()) when the URI is bad, the call
    /// is not an up conference call, or a transfer or another add of this call is under way.
    Q_INVOKABLE bool addToConference(const QString& uri);
    /// Our last addToConference(): Trying (REFER sent), Accepted (202), Done (the focus's INVITE
    /// was answered) or Failed.
    TransferState conferenceAddState() const { return conferenceAddState_; }

    /// Our session description in force (media layer, C++ only).
    const std::string& localSdp() const { return localSdp_; }
    /// The peer's session description in force (its answer, or its offer for incoming calls).
    const std::string& remoteSdp() const { return remoteSdp_; }
    /// True once Ended: commands do nothing.
    bool isEnded() const { return state_ == State::Ended; }
    /// Deleting a call that has not ended hangs it up first (prefer Phone::removeCall()).
    ~Call() override;

signals:
    void stateChanged(vphone::ua::Call::State state);
    void codeChanged(int code);
    void reasonChanged(const QString& reason);
    void connectedAtChanged();
    void endedAtChanged();
    void durationChanged();
    /// A re-INVITE ended (ours: `local`; the peer's: not). 2xx means the new session holds.
    void modified(bool local, int code, const QString& reason);
    /// Our transfer moved on: the REFER's answer (202, or its failure) or a NOTIFY's sipfrag
    /// status ("180 Ringing", "200 OK"); transferState() says where it stands.
    void transferProgress(int code, const QString& reason);
    /// conference() changed (the far end's Contact gained or lost `isfocus`).
    void conferenceChanged();
    /// roster() changed (a NOTIFY from the focus that changed something).
    void rosterChanged();
    /// Our addToConference() moved on, like transferProgress(); conferenceAddState() says where.
    void conferenceAddProgress(int code, const QString& reason);

private:
    friend class Phone;
    Call(Phone* phone, Direction direction, QString remoteUri, QString remoteDisplayName, Account* account);
    void setState(State state, int code, const QString& reason);

    QPointer<Phone> phone_;
    QPointer<Account> account_;
    std::uint64_t handle_ = 0; ///< the driver's handle; 0 once ended (forgotten)
    State state_ = State::Invalid;
    Direction direction_ = Direction::Invalid;
    QString remoteUri_;
    QString remoteDisplayName_;
    int code_ = 0;
    QString reason_;
    QDateTime startedAt_;
    QDateTime connectedAt_;
    QDateTime endedAt_;
    std::string localSdp_;
    std::string remoteSdp_;
    /// An offer of ours waiting for its re-INVITE's answer, and why it was made (0: none).
    std::string pendingOffer_;
    SessionDescriptionProvider::Purpose pendingPurpose_ = SessionDescriptionProvider::Purpose::Invalid;
    TransferState transferState_ = TransferState::None;
    bool conference_ = false;
    QVariantList roster_;
    TransferState conferenceAddState_ = TransferState::None;
    std::uint64_t conferenceWatch_ = 0; ///< our subscription to the focus's roster (0: none)
};

} // namespace vphone::ua
