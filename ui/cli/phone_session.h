// The phone mode's Phone object, shared by phone.cpp (the run loop: options, accounts,
// signalling events, exit code) and phone_media.cpp (one MediaSession per call: offer/answer,
// hold, DTMF, mute, media events, --stats-json). Internal to vphone-cli.
#pragma once

#include "engine/conference_host.h"
#include "engine/media_session.h"
#include "phone_options.h"
#include "ua/conference_info.h"
#include "ua/conference_roster.h"
#include "ua/presence_bodies.h"
#include "ua/ua_driver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace vphone::cli {

class Phone : public QObject {
public:
    explicit Phone(PhoneOptions o) : o_(std::move(o)) {}
    ~Phone() override
    {
        endConferenceMedia();
        // Calls still up at exit (a peer that never answered our BYE): their figures too.
        while (!media_.empty())
            endMedia(media_.begin()->first);
    }

    /// Sets everything up; false (with the message printed) when the options cannot work.
    bool start();
    int exitCode() const { return failed_ ? 1 : 0; }

private:
    void emitEvent(QJsonObject o, ua::AccountId account);
    void onRegistration(ua::AccountId account, const sip::RegistrationChanged& e);
    bool allRegistered() const;
    bool allUnregistered() const;
    void maybeFinish();
    void shutdown();
    void exitWhenIdle();
    void placeCall();
    void dialOnce();

    // Media: one MediaSession per call (see media_session.h for the offer/answer steps).
    struct CallMedia {
        std::unique_ptr<media::MediaSession> session;
        QString peer;
        bool incoming = false;
        qint64 answeredAt = 0; ///< ms since the epoch, 0 until confirmed
    };
    /// A new media session for a call; nullptr (with the reason printed) when it cannot start.
    media::MediaSession* newMedia(sip::CallHandle call, const QString& peer, bool incoming);
    std::unique_ptr<media::MediaSession> makeMedia(ua::AccountId account);
    std::string mediaAddress() const;
    media::MediaSession* mediaOf(sip::CallHandle call);
    void answerIncoming(sip::CallHandle call, const std::string& offer);
    void onConfirmed(ua::AccountId account, const sip::CallStateChanged& e);
    void onTerminated(const sip::CallStateChanged& e);
    /// --dnd and --forward*: refuses or redirects an incoming call (true), or arms the
    /// no-answer forward and lets it ring (false).
    bool forwardIncoming(const sip::IncomingCall& e);
    void onLocalModify(sip::CallHandle call, const sip::CallModified& e);
    /// Sends a re-INVITE with this offer, or reports why there is none.
    void reoffer(sip::CallHandle call, const media::EngineResult<std::string>& offer, const char* what);
    void drainMedia();
    void endMedia(sip::CallHandle call);
    void writeStats();
    void mediaProblem(sip::CallHandle call, const std::string& what);

    // Presence (phone_presence.cpp): --watch-presence, --presence, --watch-mwi, --watch-dialog.
    void connectPresence();
    /// Subscribes and publishes what the options ask for (once registered, or at once).
    void startPresence();
    /// At shutdown: unsubscribes and removes our publications.
    void stopPresence();
    /// Publishes / serves our current status (after a change, a call, a registration).
    void updatePresence();
    void printLine(const QString& line, QJsonObject event);
    struct Watch {
        QString uri;
        bool dialog = false; ///< busy lamp (dialog package) rather than presence
        bool mwi = false;
        QString last; ///< the last line printed, to print changes only
        ua::DialogSet dialogs;
        bool pickUp = false; ///< --pick-up: take the first call ringing here
    };
    /// --pick-up: INVITE with Replaces to the caller of a dialog ringing at a watched address.
    void pickUpCall(const QString& watched, const ua::DialogEntry& ringing);
    std::map<sip::SubscriptionHandle, Watch> watches_;
    std::map<ua::AccountId, sip::PublicationHandle> publications_;
    std::set<sip::CallHandle> callsUp_; ///< confirmed calls: on-the-phone while any
    QString lastPublished_;
    bool presenceStarted_ = false;

    // Conferences (phone_conference.cpp): --conference host (focus), --invite, and the
    // participant's roster watch (--conference-subscribe, or a far end whose Contact has isfocus).
    void connectConference();
    /// Host: the conference is up (at placeCall()): its first roster, then the --invite calls.
    void startConference();
    /// Host: a confirmed call joins; its media goes into the mix.
    void conferenceJoin(sip::CallHandle call);
    /// A call ends (before its media does): out of the mix and the roster; its roster watch ends.
    void conferenceLeave(sip::CallHandle call);
    void publishConference();
    /// RFC 4579 §5.6: `referrer`'s REFER `referId` asks to remove the member at `who`.
    void conferenceRemove(sip::CallHandle referrer, std::uint64_t referId, const sip::Uri& who);
    void stopConference();
    QString conferenceUri() const;
    QString hostUri() const;
    void watchConference(ua::AccountId account, sip::CallHandle call, const std::string& remoteContact);
    /// The mixer's figures of every participant, live or as they left (--stats-json).
    QJsonArray conferenceStats();
    /// Out of the mix for every call and the host, the bridge stopped (before sessions end).
    void endConferenceMedia();
    struct Member {
        sip::CallHandle call = 0;
        QString uri;
        bool connected = false;
        int bridgeId = -1; ///< its ConferenceHost participant (-1: its media did not join)
    };
    struct RosterWatch {
        QString focus;
        sip::CallHandle call = 0;
        bool leaving = false;
        ua::ConferenceInfo info;
    };
    std::vector<Member> members_;
    std::map<sip::SubscriptionHandle, RosterWatch> rosterWatches_;
    ua::ConferenceRoster roster_; ///< what the conference package's subscribers get
    bool conferenceUp_ = false;
    /// The bridge with the host's own devices joined, and everyone's figures (conference_host.h).
    std::unique_ptr<media::ConferenceHost> conference_;
    /// The host's --audio-source/--audio-sink: the bridge's; the calls' own sessions get none.
    std::string hostSource_, hostSink_;
    /// A video conference (--conference with a --video-source or --video-sink): the host's camera
    /// feeds the composite, the host's sink records the whole grid; the calls offer video.
    std::string hostVideoSource_ = "off", hostVideoSink_ = "null";
    media::ConferenceBridge::Options conferenceMedia_;

    // Call transfer (cli_transfer.cpp): --transfer-to/--transfer-after/--attended-transfer as
    // transferor, every accepted REFER followed as transferee, INVITEs with Replaces answered.
    void connectTransfer();
    /// A call was answered: arms --transfer-to on the first one; the consultation call REFERs.
    void transferOnConfirmed(sip::CallHandle call);
    /// An INVITE with Replaces naming one of our confirmed calls: answered at once (true).
    bool takeOverIncoming(const sip::IncomingCall& e);
    /// A referred call's state goes to its referrer as a NOTIFY.
    void referredCallState(const sip::CallStateChanged& e);
    /// A new outgoing call with its media (transferee and consultation calls); 0 on failure.
    sip::CallHandle placeTransferCall(ua::AccountId account, const sip::Uri& target, const QString& peer,
                                      const std::string& replaces, const std::string& referredBy = {});
    struct Referral {
        sip::CallHandle original = 0; ///< the call the REFER came in
        std::uint64_t id = 0;         ///< its refer subscription
        int lastCode = 0;
        bool keep = false; ///< a focus adding a participant (RFC 4579 §5.5): the referrer stays
    };
    std::map<sip::CallHandle, Referral> referrals_; ///< by the referred (new) call
    sip::CallHandle transferred_ = 0;               ///< the call --transfer-to is moving
    sip::CallHandle consultation_ = 0;              ///< --attended-transfer: our call to the target
    bool transferArmed_ = false;
    /// --conference-add: the call to the focus the REFERs go in, and the URIs still to add.
    sip::CallHandle conferenceAddCall_ = 0;
    QStringList conferenceAddQueue_;
    /// Sends the next --conference-add REFER, if any is left.
    void nextConferenceAdd();
    /// A ReferProgress of a --conference-add REFER.
    void conferenceAddProgress(const sip::ReferProgress& e);

    PhoneOptions o_;
    ua::UaDriver driver_;
    QString contactHost_;
    std::map<sip::CallHandle, CallMedia> media_;
    QJsonArray finishedCalls_; ///< --stats-json entries of the calls that ended
    int dialed_ = 0;           ///< --call attempts placed so far (--repeat)
    sip::Uri target_;          ///< the parsed --call URI
    bool dialing_ = false;     ///< inside driver_.call(): the handle is not known yet
    std::optional<sip::CallStateChanged> endedWhileDialing_;
    /// Per account (driver order): whether it registers, and how far it got.
    struct AccountState {
        bool needRegistration = false;
        bool registered = false;
        bool unregistered = false; ///< stopping: the un-REGISTER was answered (or failed)
    };
    std::vector<AccountState> accounts_;
    bool registered_ = false; ///< every account that registers did at least once
    bool failed_ = false;
    bool stopping_ = false;
    bool callPlaced_ = false;
    sip::CallHandle outgoing_ = 0;
    bool outgoingDone_ = false;
    bool outgoingAnswered_ = false;
    sip::MessageHandle message_ = 0;
    bool messageDone_ = false;
    std::map<sip::CallHandle, bool> calls_; // handle -> confirmed
    std::set<sip::CallHandle> incoming_;
};

} // namespace vphone::cli
