// Conference: an ad hoc conference hosted by this phone (RFC 4579 §5: we are the focus), as the
// GUI and vphone-cli see it. Signalling only: the media bridge that mixes the members' audio and
// composes their video lives in ui/common (ConferenceMedia), which follows this object's signals.
//
// Theory of operation. Phone::conference() makes the one Conference of the phone on first use
// (a child of the Phone). add() takes one of our calls that is up (Active or Held) into it: our
// Contact in that dialog carries ;isfocus from then on and a re-INVITE tells the peer (RFC 4579
// §5.3; a held call is resumed by the same re-INVITE), and the call is a member once that
// re-INVITE succeeded. invite() places a new call whose INVITE already carries ;isfocus; it
// becomes a member once answered. With autoAnswer, incoming calls are answered into the
// conference (vphone-cli --conference). A member's REFER (RFC 4579 §5.5, Refer-To the one to add)
// makes the focus invite() that address and NOTIFY the member of its progress, instead of a
// transfer. remove() hangs a member up; a member whose call ends for any reason leaves. end()
// hangs every member up (the host leaving). The roster is served as the conference event package
// (RFC 4575, application/conference-info+xml) to every subscriber, a new version after each
// change, with the host as the first user; after end() subscribers get a final NOTIFY.
// ConferenceRoster (conference_roster.h) writes that document for this class and vphone-cli.
#pragma once

#include "ua/conference_roster.h"

#include <QList>
#include <QObject>
#include <QString>

#include <string>

namespace vphone::ua {

class Account;
class Call;
class Phone;

/// The conference hosted by a Phone (at most one at a time).
class Conference : public QObject {
    Q_OBJECT
    Q_MOC_INCLUDE("ua/call.h")
    /// True from the first add()/invite()/auto-answered call until end() or the last member left.
    Q_PROPERTY(bool active READ active NOTIFY activeChanged)
    /// The calls now in the conference (answered, joined), in joining order.
    Q_PROPERTY(QList<vphone::ua::Call*> members READ members NOTIFY membersChanged)
    /// The calls invited or being merged that have not joined yet.
    Q_PROPERTY(QList<vphone::ua::Call*> pending READ pending NOTIFY membersChanged)
    /// The conference URI (our Contact's address with user "conference"; the entity of the roster).
    Q_PROPERTY(QString uri READ uri NOTIFY activeChanged)
    /// Incoming calls are answered into the conference by themselves.
    Q_PROPERTY(bool autoAnswer READ autoAnswer WRITE setAutoAnswer NOTIFY autoAnswerChanged)
    /// The roster document's version (1 for the first NOTIFY body, +1 per change).
    Q_PROPERTY(int version READ version NOTIFY membersChanged)
public:
    bool active() const;
    QList<Call*> members() const;
    QList<Call*> pending() const;
    QString uri() const;
    bool autoAnswer() const;
    void setAutoAnswer(bool on);
    int version() const;

    /// Takes `call` (ours, Active or Held, not a member) in. False (and Phone::problem()) when
    /// it cannot be: ended, ringing, already a member.
    Q_INVOKABLE bool add(vphone::ua::Call* call);
    /// Calls `uri` into the conference from `account` (the first account / account-less agent
    /// when null). nullptr (and Phone::problem()) for a bad URI.
    Q_INVOKABLE vphone::ua::Call* invite(const QString& uri, vphone::ua::Account* account = nullptr);
    /// Hangs `call` up (BYE); it leaves (memberLeft). False when it is not a member or pending.
    Q_INVOKABLE bool remove(vphone::ua::Call* call);
    /// The host leaves: every member and pending call is hung up, the roster's subscribers get
    /// their final NOTIFY, active goes false. A later add()/invite() starts a new conference.
    Q_INVOKABLE void end();

    /// The roster as last served (C++ only: tests, logs). Kept after end() until the next start.
    const ConferenceRoster& roster() const;
    /// The host's own endpoint shows video too (the roster's first user; default audio only).
    void setHostVideo(bool on);

signals:
    void activeChanged();
    void membersChanged();
    void autoAnswerChanged();
    /// `call` is in: its media should join the bridge now.
    void memberJoined(vphone::ua::Call* call);
    /// `call` is out (removed, hung up by either side, failed): its media leaves the bridge.
    void memberLeft(vphone::ua::Call* call);
    /// A member asked (REFER, RFC 4579 §5.5) to add `uri`: `placed` is the focus's INVITE to it.
    void addRequested(vphone::ua::Call* referrer, vphone::ua::Call* placed, const QString& uri);
    /// end() ran or the last member left: the bridge should stop.
    void ended();

private:
    friend class Phone;
    explicit Conference(Phone* phone);
    // For Phone (phone_transfer.cpp, phone_calls.cpp).
    bool isMember(const Call* call) const;
    /// invite() for a member's REFER (RFC 4579 §5.5), with its Referred-By.
    Call* inviteReferred(const QString& uri, Account* account, const std::string& referredBy);
    /// `call` leaves calls() (Phone::removeCall()): it leaves the conference now.
    void release(Call* call);
    // conference.cpp
    Call* placeFocusCall(const QString& uri, Account* account, const std::string& referredBy);
    void start();
    void track(Call* call);
    void untrack(Call* call);
    void stateOf(Call* call);
    void modifiedOf(Call* call, bool local, int code, const QString& reason);
    void join(Call* call);
    /// `call` is out (member: memberLeft; pending: dropped). False when it was neither.
    bool leave(Call* call);
    void finishIfEmpty();
    void finish();
    void publish();
    bool refuse(const QString& why);
    struct Private;
    Private* d_ = nullptr; // owned; the implementation (conference.cpp) decides its contents
public:
    ~Conference() override;
};

} // namespace vphone::ua
