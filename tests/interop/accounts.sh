#!/usr/bin/env bash
# Several accounts, network recovery and IPv6 in vphone-cli, on loopback (ports 5240-5269):
#  1. one vphone-cli with two accounts (alice and bob) registers both through Kamailio
#     (registrar + proxy, the config of kamailio_calls.sh, read from kamailio/ unchanged); carol
#     calls alice, then bob: each call arrives on the account it was addressed to, and the
#     --events lines name the account.
# usage: accounts.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
cd "$WORK"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
KP=5240
PROXY="sip:127.0.0.1:$KP"

cp -r "$HERE/kamailio/db" "$WORK/db"
sed -e "s|@PORT@|$KP|g" -e "s|@DBDIR@|$WORK/db|g" "$HERE/kamailio/kamailio.cfg" >"$WORK/kamailio.cfg"
for u in alice bob carol; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
kamailio -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed"; exit 1; }
start kamailio kamailio -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$KP") 2>/dev/null && break
  sleep 0.1
done

echo "== one vphone-cli, two accounts: each call arrives on the account it was addressed to"
start two env BOB_PW=bob-secret "$CLI" --listen udp:127.0.0.1:5242 --proxy "$PROXY" \
  --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/alice.pw" \
  --account "sip:bob@127.0.0.1:$KP" --password-env BOB_PW \
  --auto-answer --events --duration 60 --trace "$WORK/two.trace"
check "alice registers" wait_for "$WORK/two.log" '"account":"sip:alice@127.0.0.1:5240".*"state":"registered"' 10
check "bob registers" wait_for "$WORK/two.log" '"account":"sip:bob@127.0.0.1:5240".*"state":"registered"' 10
check "Kamailio saved both contacts on the one socket" \
  grep -q "REGISTER ok: sip:bob@127.0.0.1:$KP -> <sip:bob@127.0.0.1:5242" "$WORK/kamailio.log"
for callee in alice bob; do
  timeout 30 "$CLI" --listen udp:127.0.0.1:5244 --account "sip:carol@127.0.0.1:$KP" \
    --password-file "$WORK/carol.pw" --proxy "$PROXY" --call "sip:$callee@127.0.0.1:$KP" --hangup-after 1 \
    --events >"$WORK/carol-$callee.log" 2>&1
  check "carol's call to $callee is answered" test $? -eq 0
  check "it arrived on $callee's account" \
    grep -q "\"account\":\"sip:$callee@127.0.0.1:$KP\".*\"direction\":\"in\".*\"state\":\"incoming\"" "$WORK/two.log"
  check "and was confirmed there" \
    grep -q "\"account\":\"sip:$callee@127.0.0.1:$KP\".*\"direction\":\"in\".*\"state\":\"confirmed\"" "$WORK/two.log"
done
check "no call arrived on the wrong account" \
  test "$(grep -c '"state":"incoming"' "$WORK/two.log")" -eq 2
kill -TERM "$PID_two"
for _ in $(seq 60); do kill -0 "$PID_two" 2>/dev/null || break; sleep 0.1; done
wait "$PID_two"
check "vphone-cli exits 0 on SIGTERM" test $? -eq 0
check "both accounts unregistered" test "$(grep -c '"state":"unregistered"' "$WORK/two.log")" -eq 2
finish
