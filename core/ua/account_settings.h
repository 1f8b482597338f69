// AccountSettings: what Phone::addAccount() needs to know about one SIP account, in plain Qt
// types (a Q_GADGET, so QML can fill one in a settings form). Checked when the account is added:
// a URI that does not parse is refused there with a message naming the field.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace vphone::ua {

/// One account's configuration. The password stays inside the engine: no property of Account
/// exposes it and no log or problem message quotes it.
struct AccountSettings {
    Q_GADGET
    Q_PROPERTY(QString uri MEMBER uri)
    Q_PROPERTY(QString displayName MEMBER displayName)
    Q_PROPERTY(QString authUser MEMBER authUser)
    Q_PROPERTY(QString password MEMBER password)
    Q_PROPERTY(QString outboundProxy MEMBER outboundProxy)
    Q_PROPERTY(QString registrar MEMBER registrar)
    Q_PROPERTY(int expires MEMBER expires)
    Q_PROPERTY(bool registerOnStart MEMBER registerOnStart)
    Q_PROPERTY(QString stunServer MEMBER stunServer)
    Q_PROPERTY(QString forward MEMBER forward)
    Q_PROPERTY(QString forwardBusy MEMBER forwardBusy)
    Q_PROPERTY(QString forwardNoAnswer MEMBER forwardNoAnswer)
    Q_PROPERTY(int forwardAfter MEMBER forwardAfter)
    Q_PROPERTY(bool dnd MEMBER dnd)
    Q_PROPERTY(int dndCode MEMBER dndCode)
public:
    QString uri;                 ///< address of record, "sip:alice@example.test" (sip: or sips:)
    QString displayName;         ///< shown to callees in From
    QString authUser;            ///< digest user name; empty: the URI's user part
    QString password;            ///< digest password; empty: no credentials
    QString outboundProxy;       ///< every request goes here, e.g. "sip:127.0.0.1:5070;transport=tcp"
    QString registrar;           ///< defaults to the account's domain
    int expires = 3600;          ///< seconds asked for in REGISTER
    bool registerOnStart = true; ///< Phone::start() registers the account
    /// STUN server "host[:port]" whose view of the SIP UDP socket goes in Contact and Via (and
    /// of each call's RTP/RTCP sockets in the SDP, see MediaSessionProvider); empty: the phone's
    /// one (Phone::setStunServer()), or none.
    QString stunServer;
    // Call forwarding and do not disturb for incoming calls of this account (RFC 3261 §21.3.3:
    // a 302 with the target as Contact; the caller's UA places the new call).
    QString forward;         ///< every call goes to this sip: URI (302); empty: off
    QString forwardBusy;     ///< calls that come while another call is up go here (302)
    QString forwardNoAnswer; ///< calls still ringing after forwardAfter seconds go here (302)
    int forwardAfter = 20;   ///< seconds of ringing before forwardNoAnswer
    bool dnd = false;        ///< do not disturb: refuse every call with dndCode
    int dndCode = 486;       ///< 486 Busy Here or 603 Decline
};

} // namespace vphone::ua

Q_DECLARE_METATYPE(vphone::ua::AccountSettings)
