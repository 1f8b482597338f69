#!/usr/bin/env bash
# Account passwords in a real system keychain: GNOME Keyring's Secret Service on a private D-Bus
# session bus (its own socket under the work directory, its own HOME so the keyring file is a
# scratch one), unlocked with a throw-away password. The gtest SettingsKeychain.* in
# vphone_settings_tests does the model part through QtKeychain (ui/models/password_store.h): the
# keychain is found, the password is there and not in vphone.ini, a new model reads it back, a
# password found in the file moves into the keychain, removing the account removes the entry.
# Skipped by that gtest unless this script runs it. Both daemons are stopped by PID.
# usage: settings_keychain.sh VPHONE_SETTINGS_TESTS
TESTS=$1
HERE=$(cd "$(dirname "$0")/../interop" && pwd)
. "$HERE/lib.sh"
for p in dbus-daemon gnome-keyring-daemon; do
  command -v $p >/dev/null || { echo "FAIL: $p missing: scripts/install-deps.sh --peers"; exit 1; }
done
export HOME=$WORK/home XDG_DATA_HOME=$WORK/home/.local/share XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$WORK/bus"
start dbus dbus-daemon --session --nofork --nopidfile --address="$DBUS_SESSION_BUS_ADDRESS"
for _ in $(seq 50); do [ -S "$WORK/bus" ] && break; sleep 0.1; done
check "a private D-Bus session bus runs" test -S "$WORK/bus"
# --unlock reads the keyring password from stdin and creates the "login" keyring with it.
printf 'throw-away-keyring-password' >"$WORK/keyring-password"
start keyring sh -c "exec gnome-keyring-daemon --foreground --unlock --components=secrets <'$WORK/keyring-password'"
secrets_owned() { # bounded: 10 s
  for _ in $(seq 100); do
    dbus-send --session --dest=org.freedesktop.DBus --type=method_call --print-reply /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && return 0
    sleep 0.1
  done
  return 1
}
check "GNOME Keyring owns org.freedesktop.secrets" secrets_owned
VPHONE_KEYCHAIN_TEST=1 QT_QPA_PLATFORM=offscreen timeout 60 "$TESTS" --gtest_filter='SettingsKeychain.*' \
  >"$WORK/gtest.log" 2>&1
rc=$?
cat "$WORK/gtest.log"
check "passwords in the keychain, not in the profile (gtest rc=$rc)" test $rc -eq 0
check "  and the gtest really ran (not skipped)" grep -q '^\[       OK \] SettingsKeychain' "$WORK/gtest.log"
finish
