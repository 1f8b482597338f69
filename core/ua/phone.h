// Phone: the signalling engine as QObjects — what the GUI and vphone-cli bind to (issue #4).
//
// Theory of operation: a Phone owns one UaDriver (the sans-I/O user agents on the Qt event
// loop) and the facade objects made from its events, all children of the Phone: Accounts
// (addAccount(), before start()), Calls (call() and each incoming INVITE) and MessageThreads
// (one per account and peer). start() opens the sockets and creates one user agent per account,
// or one account-less agent for direct IP calling when there are none. Driver events carry
// handles; the Phone maps each call handle to its Call and each message handle to its thread
// row, forgets a call's handle when it ends (the Call stays, Ended, commands no-ops) and keeps
// at most maxEndedCalls() ended calls, dropping the oldest (deleteLater) beyond that; the app
// may drop one earlier with removeCall(). Events for a handle the driver reports before its
// command returned (an at-once failure) are held and replayed once the handle is known.
// Nothing of core/sip is visible here: configuration is AccountSettings and plain Qt types,
// and SDP stays behind SessionDescriptionProvider (PlaceholderSession unless the application
// installs one, e.g. ui/common's MediaSessionProvider): the provider makes our offers and
// answers, the peer's re-INVITE/UPDATE offers reach it through the driver's offer answerer, and
// its refusals decide: an incoming call it cannot answer is rejected with its status, an
// outgoing call it cannot offer for ends at once (no INVITE), an unusable answer hangs up.
//
// Presence (phone_presence.cpp): Buddies watch other addresses (watchPresence(), watchDialog()
// for busy lamp fields); setOwnPresence() publishes our status (PUBLISH on each registered
// account, RFC 3903) and serves it to watchers that subscribe to us directly (no server). While a
// call is up our published status is OnThePhone, and it goes back to the chosen one afterwards
// (only once setOwnPresence() was called: a phone that never set a status publishes nothing).
// pickUp() takes a call ringing at a busy-lamp buddy (INVITE with Replaces to the caller).
//
// Conference (conference.cpp): conference() is the one ad hoc conference this phone hosts (RFC
// 4579 §5, made with the Phone); a REFER from one of its members adds the Refer-To address to
// it instead of transferring the member (phone_transfer.cpp). A call to a conference hosted
// elsewhere (the far end's Contact says isfocus) is watched through the focus's conference event
// package (phone_conference_watch.cpp): Call::conference(), Call::roster(), Call::addToConference().
#pragma once

#include "ua/account.h"
#include "ua/account_settings.h"
#include "ua/buddy.h"
#include "ua/call.h"
#include "ua/conference.h"
#include "ua/message_thread.h"
#include "ua/session_description_provider.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace vphone::ua {

class UaDriver;

/// The phone: accounts, calls and message threads over one signalling engine.
class Phone : public QObject {
    Q_OBJECT
    Q_PROPERTY(QList<vphone::ua::Account*> accounts READ accounts NOTIFY accountsChanged)
    Q_PROPERTY(QList<vphone::ua::Call*> calls READ calls NOTIFY callsChanged)
    Q_PROPERTY(QList<vphone::ua::MessageThread*> threads READ threads NOTIFY threadsChanged)
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    Q_PROPERTY(QStringList listenAddresses READ listenAddresses NOTIFY runningChanged)
    Q_PROPERTY(QList<vphone::ua::Buddy*> buddies READ buddies NOTIFY buddiesChanged)
    Q_PROPERTY(vphone::ua::Buddy::Status ownStatus READ ownStatus NOTIFY ownPresenceChanged)
    Q_PROPERTY(QString ownNote READ ownNote NOTIFY ownPresenceChanged)
    Q_PROPERTY(vphone::ua::Buddy::Status publishedStatus READ publishedStatus NOTIFY ownPresenceChanged)
    Q_PROPERTY(vphone::ua::Conference* conference READ conference CONSTANT)
public:
    explicit Phone(QObject* parent = nullptr);
    ~Phone() override;

    QList<Account*> accounts() const { return accounts_; }
    /// Every call still kept, oldest first (ended ones included, up to maxEndedCalls()).
    QList<Call*> calls() const { return calls_; }
    QList<MessageThread*> threads() const { return threads_; }
    bool running() const { return running_; }
    /// The addresses actually bound, "udp:127.0.0.1:5060" (port 0 resolved), after start().
    QStringList listenAddresses() const;

    /// Adds an account; call before start(). Returns nullptr (and emits problem()) when the
    /// settings are invalid or the phone already runs.
    Q_INVOKABLE vphone::ua::Account* addAccount(const vphone::ua::AccountSettings& settings);
    /// Opens the sockets ("udp:127.0.0.1:5060", "tcp:0.0.0.0:5060", "tls:...") and starts the
    /// engine; registers the accounts that ask for it. False (and problem()) on failure.
    Q_INVOKABLE bool start(const QStringList& listen);
    /// Calls a sip:, sips: or tel: URI from `account` (the first account, or the account-less
    /// agent, when null). nullptr (and problem()) when the URI is bad or the phone is not running.
    Q_INVOKABLE vphone::ua::Call* call(const QString& uri, vphone::ua::Account* account = nullptr);
    /// The thread with `uri` on `account`, made if there is none yet (nullptr for a bad URI).
    Q_INVOKABLE vphone::ua::MessageThread* thread(const QString& uri, vphone::ua::Account* account = nullptr);
    /// Sends a text message to `uri` through its thread, which is returned (nullptr for a bad URI).
    Q_INVOKABLE vphone::ua::MessageThread* sendMessage(const QString& uri, const QString& text,
                                                       vphone::ua::Account* account = nullptr);
    /// Drops a call from calls() (hanging it up first if it has not ended) and deletes it later.
    Q_INVOKABLE void removeCall(vphone::ua::Call* call);

    // --- presence (phone_presence.cpp) ---
    QList<Buddy*> buddies() const { return buddies_; }
    /// Watches `uri`'s presence from `account` (first account / account-less agent when null).
    /// nullptr (and problem()) for a bad URI or before start().
    Q_INVOKABLE vphone::ua::Buddy* watchPresence(const QString& uri, vphone::ua::Account* account = nullptr);
    /// Watches `uri`'s calls (busy lamp field, RFC 4235 dialog package).
    Q_INVOKABLE vphone::ua::Buddy* watchDialog(const QString& uri, vphone::ua::Account* account = nullptr);
    /// Our status and note: published (PUBLISH) on every registered account and served to direct
    /// watchers; Unknown is refused (problem()). May be called before start().
    Q_INVOKABLE void setOwnPresence(vphone::ua::Buddy::Status status, const QString& note = {});
    Buddy::Status ownStatus() const { return ownStatus_; }
    QString ownNote() const { return ownNote_; }
    /// What is published now: OnThePhone while a call is up, else ownStatus().
    Buddy::Status publishedStatus() const;
    /// Picks up the call ringing at a Dialog buddy: INVITE to the caller with Replaces naming the
    /// ringing dialog (RFC 3891, early-only). nullptr (and problem()) when nothing rings there or
    /// the server did not give the dialog's tags.
    Q_INVOKABLE vphone::ua::Call* pickUp(vphone::ua::Buddy* buddy);

    /// The conference this phone hosts (conference.h): always the same object, idle until used.
    Conference* conference() const { return conference_; }

    // C++ configuration, before start().
    /// Installs the media hook (not owned; must outlive the Phone, which tells it about the
    /// calls still up when destroyed). Null restores the placeholder. Set it before start()
    /// or between calls: a call's descriptions all come from one provider.
    void setSessionDescriptionProvider(SessionDescriptionProvider* provider) { provider_ = provider; }
    /// RFC 3261 §17 timers T1, T2, T4 (defaults 500 ms, 4 s, 5 s); tests shorten them.
    void setTransactionTimers(std::chrono::milliseconds t1, std::chrono::milliseconds t2,
                              std::chrono::milliseconds t4);
    /// The User-Agent header value.
    void setUserAgentName(const QString& name) { userAgentName_ = name; }
    /// The STUN server ("host[:port]") of direct-IP calls and of accounts without their own
    /// (AccountSettings::stunServer). Call before start(): each account then registers once its
    /// Binding request ended (at most 1.5 s), with the mapped address in Contact and Via.
    void setStunServer(const QString& server) { stunServer_ = server; }
    /// Whether the conference this phone hosts takes a REFER sent outside any dialog (RFC 4579
    /// §5.5: add someone, or with method=BYE remove a member) from anyone, not only from its
    /// members (the default: others get 403). Any time.
    void setConferenceReferFromAnyone(bool anyone);
    bool conferenceReferFromAnyone() const { return referFromAnyone_; }
    /// How many ended calls calls() keeps (default 50).
    void setMaxEndedCalls(int n) { maxEndedCalls_ = std::max(0, n); }
    int maxEndedCalls() const { return maxEndedCalls_; }
    /// The engine underneath (C++ only: TLS, keep-alive, name server settings before start()).
    UaDriver& driver() { return *driver_; }

signals:
    void accountsChanged();
    void callsChanged();
    void threadsChanged();
    void buddiesChanged();
    void ownPresenceChanged();
    void runningChanged();
    /// A new incoming call, already ringing (state Incoming): answer() or reject() it.
    void incomingCall(vphone::ua::Call* call);
    /// A message arrived in `thread` at `row`.
    void messageReceived(vphone::ua::MessageThread* thread, int row);
    /// The peer of `original` asked us to call `target` (REFER, RFC 3515; `referredBy` from
    /// Referred-By): `placed` is that new call, already dialing; its progress goes back to the
    /// referrer and `original` ends once it is answered (phone_transfer.cpp).
    void transferRequested(vphone::ua::Call* original, vphone::ua::Call* placed, const QString& target,
                           const QString& referredBy);
    /// An incoming INVITE with Replaces took over `replaced` (RFC 3891): `call` was answered by
    /// itself and `replaced` ends with reason "replaced".
    void callReplaced(vphone::ua::Call* replaced, vphone::ua::Call* call);
    /// Something the user should know that is not a call or registration state: bad input, a
    /// socket that would not open, a malformed packet, a network change.
    void problem(const QString& what);

private:
    friend class Account;
    friend class Call;
    friend class MessageThread;
    friend class Buddy;
    friend class Conference;
    // Commands of the facade objects.
    void registerAccount(Account* account);
    void unregisterAccount(Account* account);
    void answer(Call* call);
    void reject(Call* call, int code);
    void hangUp(Call* call);
    void modify(Call* call, SessionDescriptionProvider::Purpose purpose);
    // For Conference (conference.cpp): a call's driver handle (0 once ended) and whether a
    // re-INVITE of ours is under way in it.
    static std::uint64_t handleOf(const Call* call) { return call->handle_; }
    static bool reinviteUnderWay(const Call* call)
    {
        return call->pendingPurpose_ != SessionDescriptionProvider::Purpose::Invalid;
    }
    // transfer (phone_transfer.cpp)
    bool transfer(Call* call, const QString& uri, Call* consultation);
    void connectTransfer();
    /// An incoming INVITE with Replaces naming one of our confirmed calls: answered at once.
    bool takeOver(Call* call, std::uint64_t replaced);
    /// Transferee: the referred call `placed` changed state: NOTIFY the referrer.
    void referredCallChanged(Call* placed);
    struct Referral {
        std::uint64_t original = 0; ///< the driver handle of the call the REFER came in
        std::uint64_t id = 0;       ///< the refer subscription (UserAgent::notifyRefer)
        int lastCode = 0;
        bool conference = false; ///< a member asked to add someone: its own call stays up
    };
    QHash<Call*, Referral> referrals_;
    // conferences hosted elsewhere (phone_conference_watch.cpp)
    void connectConferenceWatch();
    /// The far end's Contact in `call` (`remoteContact`, may be empty) said isfocus or not.
    void focusLearnt(Call* call, bool focus, const std::string& remoteContact);
    /// SUBSCRIBEs to the conference package of `call`'s focus (its Contact, else its target).
    void watchConference(Call* call, const std::string& remoteContact);
    /// Ends the watch of `call`'s conference, if any (the call ended or left the conference).
    void unwatchConference(Call* call);
    bool addToConference(Call* call, const QString& uri);
    struct ConferenceWatch {
        QPointer<Call> call;
        QString focus;       ///< the address subscribed to
        ConferenceInfo info; ///< the roster merged so far (RFC 4575 §4.6)
        bool leaving = false;
    };
    QHash<std::uint64_t, ConferenceWatch> conferenceWatches_; ///< subscription handle -> watch
    Call* conferenceSubscribing_ = nullptr; ///< inside subscribe(): its at-once failure is this call's
    /// Sends row `row` of `thread` (already appended, Sending); marks it Failed if it cannot go.
    void sendText(MessageThread* thread, int row, const QString& text);
    /// A call leaves calls() (removeCall(), or deleted): hang it up if needed, forget its handle.
    void forget(Call* call);

    void connectDriver();
    SessionDescriptionProvider& provider();
    Account* accountById(int id) const;
    MessageThread* findOrMakeThread(const QString& key, const QString& target, Account* account);
    void callEvent(std::uint64_t handle, int state, int code, const QString& reason, const std::string& sdp);
    void modifiedEvent(std::uint64_t handle, bool local, int code, const QString& reason,
                       const std::string& sdp);
    /// The peer's re-INVITE/UPDATE offer in a call (the driver's offer answerer): our answer.
    SdpResult remoteOffer(std::uint64_t handle, const std::string& offer);
    /// Tells the provider the call's descriptions are in force; when it finds them unusable the
    /// call ends (hung up, its reason the provider's) and false comes back.
    bool agree(Call* call);
    /// Ends a call from our side at once, showing `code` and `reason`: the driver rejects it
    /// with `rejectCode` (an unanswered incoming call) or, when that is 0, hangs it up.
    void endCall(Call* call, int code, const QString& reason, int rejectCode);
    void messageResultEvent(std::uint64_t handle, int code, const QString& reason);
    /// The driver ended a call: forget its handle so no command reaches the dropped dialog.
    void callEnded(Call* call);
    void pruneEndedCalls();
    // presence plumbing (phone_presence.cpp)
    void connectPresence();
    /// At start(): voicemail watches of accounts that do not register, our presence document.
    void startPresence();
    Buddy* watch(Buddy::Kind kind, const QString& uri, Account* account);
    void unwatch(Buddy* buddy);
    void watchVoicemail(Account* account);
    /// Publishes / serves publishedStatus() where it should go (after a change or a registration).
    void updatePresence();
    QByteArray presenceDocument(const QString& entity) const;
    /// A Call for an INVITE the driver already sent (pick-up), like call() does for its own.
    /// call() with an optional Replaces header value (pickUp()).
    Call* placeCall(const QString& uri, Account* account, const std::string& replaces,
                    const std::string& referredBy = {});
    /// Events that came for a handle before the command that made it returned.
    struct Early {
        std::uint64_t handle = 0;
        int kind = 0; ///< 0 call state, 1 message result
        int state = 0;
        int code = 0;
        QString reason;
        std::string sdp;
    };
    void replayEarly(std::uint64_t handle);

    std::unique_ptr<UaDriver> driver_;
    Conference* conference_ = nullptr; ///< child; deleted first in ~Phone
    std::unique_ptr<PlaceholderSession> placeholder_;
    SessionDescriptionProvider* provider_ = nullptr;
    QList<Account*> accounts_;
    QList<Call*> calls_;
    QList<MessageThread*> threads_;
    QHash<QString, MessageThread*> threadByKey_;
    QHash<std::uint64_t, Call*> callByHandle_;
    /// Calls that ended while a transfer of ours was in progress, by their old handle: the
    /// transferee's final NOTIFY may come after the call's BYE (it sends its 200 NOTIFY and hangs
    /// up; a NOTIFY waits for the one before it) and still says how the transfer went.
    QHash<std::uint64_t, QPointer<Call>> transferAfterEnd_;
    struct PendingMessage {
        QPointer<MessageThread> thread;
        int row = 0;
    };
    QHash<std::uint64_t, PendingMessage> messageByHandle_;
    std::vector<Early> early_;
    QList<Buddy*> buddies_;
    QHash<std::uint64_t, QPointer<Buddy>> buddyByHandle_;
    QHash<std::uint64_t, QPointer<Account>> mwiByHandle_;
    QHash<int, std::uint64_t> publicationOf_; ///< account id -> its presence publication
    QSet<std::uint64_t> callsUp_;             ///< confirmed calls (OnThePhone while any)
    Buddy::Status ownStatus_ = Buddy::Status::Unknown;
    QString ownNote_;
    Buddy::Status lastPublished_ = Buddy::Status::Unknown;
    QString lastPublishedNote_;
    Buddy* subscribing_ = nullptr;      ///< see phone_presence.cpp
    Account* mwiSubscribing_ = nullptr; ///< see phone_presence.cpp
    std::chrono::milliseconds t1_{500}, t2_{4000}, t4_{5000};
    QString userAgentName_ = QStringLiteral("vphone/0.1");
    QString stunServer_;
    bool referFromAnyone_ = false; ///< setConferenceReferFromAnyone()
    int maxEndedCalls_ = 50;
    bool running_ = false;
    bool commandRunning_ = false; ///< inside a driver command: unknown handles may be ours
};

} // namespace vphone::ua
