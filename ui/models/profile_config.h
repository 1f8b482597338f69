// ProfileConfig: what the app reads from its profile's settings file (PROFILE/vphone.ini,
// INI format) and command line: accounts, listen addresses, media. Loading is here so the
// controller gets plain values; nothing here talks to the network.
//
//   [network]  listen=udp:0.0.0.0:5060 (comma list)   rtpPorts=16384-32767   mediaAddress=
//              stunServer=host[:port] (STUN, RFC 5389: public address for SIP over UDP and media)
//   [media]    codecs=opus,pcmu,pcma,g722,telephone-event   videoSource=device|testsrc[:WxH[@FPS]]|off
//              audioSource=device[:NAME]|tone:HZ|file:PATH|silence   audioSink=device[:NAME]|file:PATH|null
//              videoCodecs=h264,vp8   srtp=off|optional|mandatory   keying=sdes|dtls
//   [accounts] size=N, then 1\uri, 1\displayName, 1\authUser, 1\password, 1\proxy,
//              1\registrar, 1\transport=udp|tcp|tls, 1\register=true,
//              1\stripPrefix, 1\addPrefix, 1\internationalPrefix   (the dial plan of numbers)
//              1\srtp=off|optional|mandatory (empty: [media] srtp)   1\passwordInKeychain=true
//              1\stunServer=host[:port] (empty: [network] stunServer)
//              (the password is in the system keychain, password_store.h, not in this file)
//   [ui]       closeToTray=false   assistantDone=false (the first-run assistant was finished or skipped)
//   [conference] referFromAnyone=false (a REFER outside a dialog may add or remove people in the
//              conference we host from anyone, not only from its members; RFC 4579 §5.5)
#pragma once

#include "engine/engine_config.h"
#include "models/dial_target.h"
#include "ua/account_settings.h"

#include <QList>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace vphone::ui {

/// One account of the profile.
struct ProfileAccount {
    ua::AccountSettings settings;
    QString transport = QStringLiteral("udp");
    DialPlan plan;
    QString srtp;                    ///< "off", "optional", "mandatory"; empty: the profile's [media] srtp
    bool passwordInKeychain = false; ///< the password is in the keychain (settings.password left empty)
    bool recordCalls = false;        ///< record every call of this account (accounts/N/recordCalls)
    // The account's STUN server is settings.stunServer (accounts/N/stunServer).
};

/// Everything the controller starts from.
struct ProfileConfig {
    QStringList listen{QStringLiteral("udp:0.0.0.0:5060")};
    QList<ProfileAccount> accounts;
    media::MediaConfig media;
    QString mediaAddress; ///< empty: the listen address, else the first non-loopback IPv4 one
    QString stunServer;   ///< [network] stunServer "host[:port]"; empty: no STUN
    QString profileDir;
    bool closeToTray = false;   ///< [ui] closeToTray: closing the window keeps the phone in the tray
    bool recordCalls = false;   ///< [media] recordCalls: record every call made without an account
    bool assistantDone = false; ///< [ui] assistantDone: no first-run assistant
    bool conferenceReferFromAnyone = false; ///< [conference] referFromAnyone
};

/// Reads `settings` into a ProfileConfig; `errors` gets one sentence per bad value (the value
/// is then left at its default). The password is read from the file for now.
ProfileConfig loadProfileConfig(QSettings& settings, QStringList* errors);

/// Replaces the [accounts] array of `settings` with `accounts` (the password is written only
/// when passwordInKeychain is false).
void writeProfileAccounts(QSettings& settings, const QList<ProfileAccount>& accounts);

} // namespace vphone::ui
