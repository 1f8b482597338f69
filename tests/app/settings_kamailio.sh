#!/usr/bin/env bash
# An account added through the settings model (SettingsController) registers at a real registrar:
# Kamailio (tests/interop/kamailio/, digest auth over db_text) on 127.0.0.1:5870 udp+tcp. With a
# wrong password the account's row says "Wrong user name or password"; edited with the right
# one it says "Registered". The gtest SettingsKamailio.* in vphone_settings_tests does the model
# part (phone on 127.0.0.1:5871) and is skipped unless this script runs it.
# usage: settings_kamailio.sh VPHONE_SETTINGS_TESTS
TESTS=$1
HERE=$(cd "$(dirname "$0")/../interop" && pwd)
. "$HERE/lib.sh"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
KP=5870
cp -r "$HERE/kamailio/db" "$WORK/db"
sed -e "s|@PORT@|$KP|g" -e "s|@DBDIR@|$WORK/db|g" "$HERE/kamailio/kamailio.cfg" >"$WORK/kamailio.cfg"
kamailio -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed"; exit 1; }
start kamailio kamailio -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$KP") 2>/dev/null && break
  sleep 0.1
done
VPHONE_KAMAILIO_PORT=$KP QT_QPA_PLATFORM=offscreen timeout 60 "$TESTS" --gtest_filter='SettingsKamailio.*' \
  >"$WORK/gtest.log" 2>&1
rc=$?
cat "$WORK/gtest.log"
check "wrong password, then the right one, through the settings model (gtest rc=$rc)" test $rc -eq 0
check "  and the gtest really ran (not skipped)" grep -q '^\[       OK \] SettingsKamailio' "$WORK/gtest.log"
finish
