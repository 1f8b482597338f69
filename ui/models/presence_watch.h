// PresenceWatch: the app's presence — every contact's first SIP address watched for presence
// (RFC 3856 through the facade's Buddy), contacts marked BLF watched for their calls (RFC 4235
// busy lamp field) with pick-up of a ringing call, our own status (chosen by the user, kept in
// the profile's vphone.ini as [presence] status/note, published by the facade, "on the phone"
// during calls on its own), and the voicemail badge (RFC 3842, summed over the accounts).
//
// Theory of operation: it owns no protocol. sync() compares the contacts in the database with
// the Buddies it holds and watches or unwatches the difference; it runs when the phone starts,
// when the address book changes and after PhoneController::restart() (whose new ua::Phone has no
// Buddies). Each Buddy change is reported as contactChanged(id), which ContactListModel turns
// into a dataChanged() of that row (roles "presence" and "lamp").
#pragma once

#include "ua/buddy.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

namespace vphone::ua {
class Account;
class Phone;
} // namespace vphone::ua

namespace vphone::ui {

class PhoneController;

class PresenceWatch : public QObject {
    Q_OBJECT
    /// "available", "away", "busy", "offline": what the user chose (the status menu).
    Q_PROPERTY(QString ownStatus READ ownStatus NOTIFY ownStatusChanged)
    /// What others see now ("on-the-phone" during a call).
    Q_PROPERTY(QString publishedStatus READ publishedStatus NOTIFY ownStatusChanged)
    Q_PROPERTY(int voicemailNew READ voicemailNew NOTIFY voicemailChanged)
    Q_PROPERTY(int voicemailOld READ voicemailOld NOTIFY voicemailChanged)
    /// "2 new voice messages (8 old)", empty when there is nothing to show.
    Q_PROPERTY(QString voicemailText READ voicemailText NOTIFY voicemailChanged)
public:
    explicit PresenceWatch(PhoneController& controller);

    QString ownStatus() const;
    QString publishedStatus() const;
    /// Sets and publishes our status ("available", "away", "busy", "offline") and note; false
    /// for another word. Remembered in the profile.
    Q_INVOKABLE bool setOwnStatus(const QString& status, const QString& note = {});

    /// A contact's presence: "available", "away", "busy", "on-the-phone", "offline", or "" while
    /// unknown (not watched, not yet answered, refused).
    QString presenceOf(qint64 contactId) const;
    /// A BLF contact's line: "idle", "ringing", "in-call", or "" (not BLF, unknown).
    QString lampOf(qint64 contactId) const;
    /// Takes the call ringing at BLF contact `contactId` (INVITE with Replaces); false (and the
    /// controller's lastProblem) when nothing rings there.
    Q_INVOKABLE bool pickUp(qint64 contactId);

    int voicemailNew() const;
    int voicemailOld() const;
    QString voicemailText() const;

    /// Watches what the address book asks for and unwatches the rest.
    void sync();

    static QString statusWord(ua::Buddy::Status status);

signals:
    void ownStatusChanged();
    void voicemailChanged();
    /// The presence or lamp of contact `id` changed.
    void contactChanged(qint64 id);

private:
    void attachPhone();
    void applySavedStatus();
    /// A voicemail count summed over the phone's accounts.
    int voicemailSum(int (ua::Account::*count)() const) const;

    PhoneController& controller_;
    QPointer<ua::Phone> phone_;
    struct Watched {
        QString uri;
        QPointer<ua::Buddy> presence;
        QPointer<ua::Buddy> lamp;
    };
    QHash<qint64, Watched> watched_; ///< contact id -> its watches
};

} // namespace vphone::ui
