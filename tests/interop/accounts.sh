#!/usr/bin/env bash
# Several accounts, network recovery and IPv6 in vphone-cli, on loopback (ports 5240-5269):
#  1. one vphone-cli with two accounts (alice and bob) registers both through Kamailio
#     (registrar + proxy, the config of kamailio_calls.sh, read from kamailio/ unchanged); carol
#     calls alice, then bob: each call arrives on the account it was addressed to, and the
#     --events lines name the account.
#  2. IPv6: vphone-cli calls vphone-cli on [::1] over UDP and TCP (Via, Contact and SDP with
#     brackets / IP6; the callee's transport fills in rport and received), SIPp's uac calls
#     vphone-cli on ::1, and vphone-cli calls SIPp's uas on ::1.
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

echo "== IPv6: vphone-cli to vphone-cli on [::1], UDP and TCP"
start bob6 "$CLI" --listen "udp:[::1]:5254" --listen "tcp:[::1]:5254" --auto-answer --events --duration 60 \
  --trace "$WORK/bob6.trace"
sleep 0.5
for proto in udp tcp; do
  # over TCP the connection comes from an ephemeral port, and rport says which
  if [ $proto = udp ]; then port=5255 src=5255 uri="sip:bob@[::1]:5254"; else port=5256 src='[0-9]*' uri="sip:bob@[::1]:5254;transport=tcp"; fi
  timeout 20 "$CLI" --listen "$proto:[::1]:$port" --call "$uri" --hangup-after 0.5 --events \
    --trace "$WORK/alice6-$proto.trace" >"$WORK/alice6-$proto.log" 2>&1
  check "the call over ${proto^^} on ::1 is answered" test $? -eq 0
  check "Via carries the bracketed address" grep -q "^Via: SIP/2.0/${proto^^} \[::1\]:$port;branch=" "$WORK/alice6-$proto.trace"
  check "Contact too" grep -q "^Contact: <sip:vphone@\[::1\]:$port;transport=$proto>" "$WORK/alice6-$proto.trace"
  check "the SDP says IP6" grep -q "^c=IN IP6 ::1" "$WORK/alice6-$proto.trace"
  check "the answer's Via has rport and received from the callee's transport" \
    grep -q "^Via: SIP/2.0/${proto^^} \[::1\]:$port;branch=[^;]*;rport=$src;received=::1" "$WORK/alice6-$proto.trace"
done
check "the callee confirmed both calls" test "$(grep -c '"state":"confirmed"' "$WORK/bob6.log")" -eq 2

echo "== IPv6: SIPp on ::1 calls vphone-cli, and vphone-cli calls SIPp"
(cd "$WORK" && timeout 30 sipp -sn uac "[::1]:5254" -i ::1 -p 5257 -m 2 -l 1 -d 300 -timeout 20 -timeout_error \
  -trace_err -nostdin >"$WORK/sipp6-uac.log" 2>&1)
check "SIPp uac: 2 calls answered on ::1" test $? -eq 0
check "the callee confirmed them" test "$(grep -c '"state":"confirmed"' "$WORK/bob6.log")" -eq 4
start sipp6-uas sipp -sn uas -i ::1 -p 5258 -m 1 -timeout 20 -trace_err -nostdin
sleep 0.5
timeout 20 "$CLI" --listen "udp:[::1]:5259" --call "sip:service@[::1]:5258" --hangup-after 0.5 --events \
  >"$WORK/alice6-sipp.log" 2>&1
check "vphone-cli's call to SIPp uas on ::1 is answered and ended" test $? -eq 0
check "its call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice6-sipp.log"
finish
