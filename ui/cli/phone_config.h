// vphone-cli's config file: the same settings as the flags, in INI form, read before the flags
// (which override it).
//
//   [general]                 listen, proxy, trace, events, dns-server, keepalive, auto-answer,
//                             duration, tls-cert, tls-key, ca-file, trust-cert, rate-limit,
//                             audio-source, audio-sink, codecs, ptime, srtp, keying, dtls-dir,
//                             rtp-ports, video-source, video-sink, video-codecs,
//                             max-resolution, video-bitrate, stun-server
//   [account] / [account NAME]  one per account: uri (required), password-file, password-env,
//                             password, proxy, register (yes/no), srtp (off/optional/mandatory),
//                             keying (sdes/dtls), ca-file, trust-cert
//
// Lines are "key = value"; '#' or ';' at the start of a line begins a comment; keys may repeat
// where the flag may (listen). Every error names the file, the line and the key. A password
// written in the file is refused unless the file is private to its owner (mode 0600 or
// stricter): a config file is often world-readable, a password in it would be readable by
// every user of the machine, and refusing beats silently leaking it.
#pragma once

#include "phone_options.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace vphone::cli {

/// $XDG_CONFIG_HOME/vphone/vphone-cli.conf (XDG_CONFIG_HOME defaults to ~/.config).
QString defaultConfigPath();

/// Reads the config file into `o`. [general] settings go through `applyFlag` as the equivalent
/// flag ({"--listen", value}); accounts are appended to o.accounts. False with *error
/// ("FILE:LINE: key 'KEY': why") on the first problem.
bool loadPhoneConfig(const QString& path, PhoneOptions& o,
                     const std::function<bool(const QStringList& flag, QString* error)>& applyFlag,
                     QString* error);

} // namespace vphone::cli
