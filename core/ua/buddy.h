// Buddy: one watched address of a Phone — its presence (RFC 3856 subscription, PIDF status and
// note) or, for a busy lamp field key, its calls (RFC 4235 dialog event package: idle, ringing,
// in a call) with the ids of the ringing call for a pick-up.
//
// Theory of operation: Phone::watchPresence() / Phone::watchDialog() make a Buddy (child of the
// Phone) and subscribe (Event: presence, Accept: application/pidf+xml; or Event: dialog, Accept:
// application/dialog-info+xml). Each NOTIFY lands in applyNotify(): its body is parsed
// (presence_bodies.h) and the properties move, each NOTIFY signal emitted once per change. A
// NOTIFY without a body changes nothing but the watch state (pending: not yet authorised). For
// the dialog package, partial documents are merged into the dialogs known by id; the lamp is
// Ringing while a dialog is early with the watched party as recipient, InCall while any dialog
// is confirmed (or early with the watched party calling), Idle otherwise. The engine re-subscribes
// on its own after a server ends the subscription with a retry reason; a Buddy whose watch ended
// for good (rejected, 404, 489, unwatch()) is Ended and lastError says why.
#pragma once

#include "ua/presence_bodies.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>

namespace vphone::ua {

class Account;
class Phone;

/// A watched address: presence or busy lamp field.
class Buddy : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString uri READ uri CONSTANT)
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(vphone::ua::Account* account READ account CONSTANT)
    Q_PROPERTY(Watch watchState READ watchState NOTIFY watchStateChanged)
    Q_PROPERTY(Status status READ status NOTIFY presenceChanged)
    Q_PROPERTY(Basic basic READ basic NOTIFY presenceChanged)
    Q_PROPERTY(QString note READ note NOTIFY presenceChanged)
    Q_PROPERTY(DialogState dialogState READ dialogState NOTIFY dialogStateChanged)
    Q_PROPERTY(QString ringingCallId READ ringingCallId NOTIFY dialogStateChanged)
    Q_PROPERTY(QString ringingLocalTag READ ringingLocalTag NOTIFY dialogStateChanged)
    Q_PROPERTY(QString ringingRemoteTag READ ringingRemoteTag NOTIFY dialogStateChanged)
    Q_PROPERTY(QString ringingCaller READ ringingCaller NOTIFY dialogStateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
public:
    /// What is watched: presence (RFC 3856) or calls (RFC 4235, busy lamp field).
    enum class Kind { Presence, Dialog };
    Q_ENUM(Kind)
    /// The presence summary (same values as setOwnPresence() takes).
    enum class Status { Unknown, Available, Away, Busy, OnThePhone, Offline };
    Q_ENUM(Status)
    /// PIDF basic status.
    enum class Basic { Unknown, Open, Closed };
    Q_ENUM(Basic)
    /// The busy lamp: nothing known yet, no call, a call ringing at the watched address, a call.
    enum class DialogState { Unknown, Idle, Ringing, InCall };
    Q_ENUM(DialogState)
    /// The subscription: being set up, accepted but not yet authorised, active, over.
    enum class Watch { Subscribing, Pending, Active, Ended };
    Q_ENUM(Watch)

    QString uri() const { return uri_; }
    Kind kind() const { return kind_; }
    Account* account() const { return account_; }
    Watch watchState() const { return watch_; }
    Status status() const { return status_; }
    Basic basic() const { return basic_; }
    QString note() const { return note_; }
    DialogState dialogState() const { return dialogState_; }
    /// The ringing call's Call-ID and tags as the watched party sees them (local = its own tag),
    /// for Phone::pickUp(); empty unless Ringing and the server sent them.
    QString ringingCallId() const { return ringing_.callId; }
    QString ringingLocalTag() const { return ringing_.localTag; }
    QString ringingRemoteTag() const { return ringing_.remoteTag; }
    /// Who is calling the watched party (remote identity), when Ringing.
    QString ringingCaller() const { return ringing_.remoteIdentity; }
    /// The ringing dialog's other end: its target URI, else its identity (where a pick-up goes).
    QString ringingCallerTarget() const
    {
        return ringing_.remoteTarget.isEmpty() ? ringing_.remoteIdentity : ringing_.remoteTarget;
    }
    /// Why the watch ended, or the last body that could not be read.
    QString lastError() const { return lastError_; }

    /// Stops watching (SUBSCRIBE with Expires: 0); the Buddy then goes Ended.
    Q_INVOKABLE void unwatch();

signals:
    void watchStateChanged(vphone::ua::Buddy::Watch state);
    void presenceChanged();
    void dialogStateChanged(vphone::ua::Buddy::DialogState state);
    void lastErrorChanged(const QString& error);

private:
    friend class Phone;
    Buddy(Phone* phone, Kind kind, QString uri, Account* account);
    /// A NOTIFY: Subscription-State (sip::SubscriptionState's value) and body.
    void applyNotify(int subscriptionState, const QString& contentType, const QByteArray& body);
    void applyEnded(const QString& why);
    void setWatch(Watch w);
    void setError(const QString& e);
    void updateLamp();

    QPointer<Phone> phone_;
    Kind kind_;
    QString uri_;
    QPointer<Account> account_;
    std::uint64_t handle_ = 0;
    Watch watch_ = Watch::Subscribing;
    Status status_ = Status::Unknown;
    Basic basic_ = Basic::Unknown;
    QString note_;
    DialogState dialogState_ = DialogState::Unknown;
    DialogSet dialogs_;
    DialogEntry ringing_;
    QString lastError_;
};

} // namespace vphone::ua
