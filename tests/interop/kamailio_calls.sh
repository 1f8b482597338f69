#!/usr/bin/env bash
# vphone-cli through Kamailio (registrar + stateful proxy, digest auth over db_text, usrloc,
# record_route/loose_route; config in kamailio/) on 127.0.0.1:5170 udp+tcp, ports 5170-5185,
# RTP 10800-10849:
#  1. alice and bob register (401 then 200); alice calls bob (auto-answer) through the proxy
#     (407 then 200), hangs up after 1 s; over UDP, then over TCP;
#  2. a MESSAGE from alice to bob through the proxy;
#  3. ringing calls ended by SIGTERM: the caller's CANCEL (it waits for the 487 before exiting),
#     the callee's decline (603);
#  4. a wrong password fails registration at once, with a non-zero exit code;
#  5. baresip (config in baresip/) registered as carol: alice calls carol; carol calls bob.
# usage: kamailio_calls.sh VPHONE_CLI
CLI=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
KP=5170
PROXY_UDP="sip:127.0.0.1:$KP"
PROXY_TCP="sip:127.0.0.1:$KP;transport=tcp"

cp -r "$HERE/kamailio/db" "$WORK/db"
sed -e "s|@PORT@|$KP|g" -e "s|@DBDIR@|$WORK/db|g" "$HERE/kamailio/kamailio.cfg" >"$WORK/kamailio.cfg"
for u in alice bob carol; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
printf 'not-the-password\n' >"$WORK/wrong.pw"
kamailio -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed"; exit 1; }
start kamailio kamailio -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
# it binds UDP and TCP before forking its workers: a TCP connect means both are up
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$KP") 2>/dev/null && break
  sleep 0.1
done

# phone NAME USER PROXY LISTEN ARGS...: a vphone-cli registered as USER in the background
phone() {
  local name=$1 user=$2 proxy=$3 listen=$4
  shift 4
  start "$name" "$CLI" --listen "$listen" --account "sip:$user@127.0.0.1:$KP" --password-file "$WORK/$user.pw" \
    --proxy "$proxy" --events --trace "$WORK/$name.trace" "$@"
}
# sent_count TRACE STATUS METHOD: responses with that status to METHOD sent (vphone-cli --trace)
sent_count() {
  awk -v st="SIP/2.0 $2 " -v m="$3" '/^--- /{dir=$3; n=1; next}
    n==1{ok=(dir=="send" && index($0, st)==1); n=2; next}
    n==2 && /^CSeq:/{sub(/\r$/, ""); if (ok && $3==m) c++; n=0} END{print c+0}' "$1"
}
# wait_exit PID SECONDS: waits for a background process of ours to end (bounded)
wait_exit() {
  for _ in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
# stop_phone NAME: SIGTERM, then the exit code (it hangs up and unregisters first)
stop_phone() {
  local pid_var="PID_${1//-/_}"
  kill -TERM "${!pid_var}"
  for _ in $(seq 60); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}"
}

for proto in udp tcp; do
  if [ $proto = udp ]; then proxy=$PROXY_UDP bob_port=5172 alice_port=5174; else proxy=$PROXY_TCP bob_port=5176 alice_port=5178; fi
  echo "== alice calls bob through Kamailio over ${proto^^}"
  phone bob-$proto bob "$proxy" $proto:127.0.0.1:$bob_port --auto-answer --duration 60
  check "bob registers over ${proto^^}" wait_for "$WORK/bob-$proto.log" '"state":"registered"' 10
  timeout 30 "$CLI" --listen $proto:127.0.0.1:$alice_port --account "sip:alice@127.0.0.1:$KP" \
    --password-file "$WORK/alice.pw" --proxy "$proxy" --call "sip:bob@127.0.0.1:$KP" --hangup-after 1 \
    --events --trace "$WORK/alice-$proto.trace" >"$WORK/alice-$proto.log" 2>&1
  check "alice exits 0 after the call" test $? -eq 0
  check "alice registered" grep -q '"state":"registered"' "$WORK/alice-$proto.log"
  check "alice's call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice-$proto.log"
  check "alice's call ended" grep -q '"state":"terminated"' "$WORK/alice-$proto.log"
  check "bob's call was confirmed" grep -q '"state":"confirmed"' "$WORK/bob-$proto.log"
  check "bob's call ended (BYE through the proxy)" wait_for "$WORK/bob-$proto.log" '"state":"terminated"' 5
  check "bob sent the 200 to INVITE once (the ACK came through the proxy)" \
    test "$(sent_count "$WORK/bob-$proto.trace" 200 INVITE)" -eq 1
  check "Kamailio routed the INVITE to bob's contact" \
    grep -q "routing INVITE from alice to sip:bob@127.0.0.1:$bob_port" "$WORK/kamailio.log"
  echo "== MESSAGE from alice to bob through Kamailio over ${proto^^}"
  timeout 20 "$CLI" --listen $proto:127.0.0.1:5180 --account "sip:alice@127.0.0.1:$KP" \
    --password-file "$WORK/alice.pw" --proxy "$proxy" --message "sip:bob@127.0.0.1:$KP" "hello via kamailio" \
    --events --trace "$WORK/alice-message-$proto.trace" >"$WORK/alice-message-$proto.log" 2>&1
  check "the sender exits 0 once delivered" test $? -eq 0
  check "the sender reports delivery" grep -q '"state":"delivered"' "$WORK/alice-message-$proto.log"
  check "bob got the text" wait_for "$WORK/bob-$proto.log" '"text":"hello via kamailio"' 5
  stop_phone bob-$proto
  check "bob exits 0 on SIGTERM" test $? -eq 0
  check "bob unregistered" grep -q '"state":"unregistered"' "$WORK/bob-$proto.log"
done

echo "== SIGTERM while the call rings: the caller cancels, then the callee declines"
phone bob-ring bob "$PROXY_UDP" udp:127.0.0.1:5172 --auto-answer=20 --duration 60
check "bob registers" wait_for "$WORK/bob-ring.log" '"state":"registered"' 10
phone alice-cancel alice "$PROXY_UDP" udp:127.0.0.1:5174 --call "sip:bob@127.0.0.1:$KP" --hangup-after 1
wait_for "$WORK/alice-cancel.log" '"state":"ringing"' 10
stop_phone alice-cancel
check "alice exits 1 (not answered)" test $? -eq 1
check "alice's CANCEL got the 487 before she exited" grep -q '"code":487,.*"state":"terminated"' "$WORK/alice-cancel.log"
check "bob's call ended with 487" wait_for "$WORK/bob-ring.log" '"code":487,.*"state":"terminated"' 3
phone alice-declined alice "$PROXY_UDP" udp:127.0.0.1:5174 --call "sip:bob@127.0.0.1:$KP" --hangup-after 1
wait_for "$WORK/alice-declined.log" '"state":"ringing"' 10
stop_phone bob-ring
check "bob exits 0 on SIGTERM while a call rings" test $? -eq 0
check "bob declined the call (603)" grep -q '"code":603,.*"state":"terminated"' "$WORK/bob-ring.log"
check "alice's call failed with 603" wait_for "$WORK/alice-declined.log" "call to sip:bob@127.0.0.1:$KP failed: 603" 5
check "and alice exits 1" wait_exit "$PID_alice_declined" 5
wait "$PID_alice_declined"
check "(exit code 1)" test $? -eq 1

echo "== baresip registered as carol through Kamailio"
# two baresip instances: one that answers (registered), one that dials bob and ends with its -t
for name in carol carol-out; do
  mkdir -p "$WORK/$name"
  if [ $name = carol ]; then port=5182 rtp=10800-10824 reg=60; else port=5184 rtp=10825-10849 reg=0; fi
  sed -e "s|@PORT@|$port|g" -e "s|@RTP_PORTS@|$rtp|g" -e "s|@NAME@|$name|g" "$HERE/baresip/config" >"$WORK/$name/config"
  echo "<sip:carol@127.0.0.1:$KP>;auth_pass=carol-secret;regint=$reg;answermode=auto" >"$WORK/$name/accounts"
done
start carol baresip -4 -f "$WORK/carol" -t 30
check "carol (baresip) registers" wait_for "$WORK/kamailio.log" "REGISTER ok: sip:carol@" 10
timeout 30 "$CLI" --listen udp:127.0.0.1:5174 --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/alice.pw" \
  --proxy "$PROXY_UDP" --call "sip:carol@127.0.0.1:$KP" --hangup-after 1 --events \
  --trace "$WORK/alice-carol.trace" >"$WORK/alice-carol.log" 2>&1
check "alice calls carol: exits 0 after the call" test $? -eq 0
check "alice's call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice-carol.log"
check "baresip established the call" baresip_has carol "Call established"
check "and got alice's BYE" wait_for "$WORK/carol.log" "terminated (duration" 3
phone bob-carol bob "$PROXY_UDP" udp:127.0.0.1:5172 --auto-answer --duration 60
check "bob registers" wait_for "$WORK/bob-carol.log" '"state":"registered"' 10
start carol-out baresip -4 -f "$WORK/carol-out" -t 4 -e "/dial sip:bob@127.0.0.1:$KP"
check "carol calls bob: baresip ends on its own (-t 4)" wait_exit "$PID_carol_out" 15
check "Kamailio routed carol's INVITE to bob" \
  grep -q "routing INVITE from carol to sip:bob@127.0.0.1:5172" "$WORK/kamailio.log"
check "bob's call was confirmed" grep -q '"state":"confirmed"' "$WORK/bob-carol.log"
check "and ended by carol's BYE" wait_for "$WORK/bob-carol.log" '"reason":"BYE received"' 3
check "baresip established the call" baresip_has carol-out "Call established"
stop_phone bob-carol
check "bob exits 0 on SIGTERM" test $? -eq 0

echo "== a wrong password fails registration quickly"
t0=$(date +%s%N)
timeout 30 "$CLI" --listen udp:127.0.0.1:5181 --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/wrong.pw" \
  --proxy "$PROXY_UDP" --duration 20 --events --trace "$WORK/wrong.trace" >"$WORK/wrong.log" 2>"$WORK/wrong.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "vphone-cli exits non-zero (rc=$rc)" test $rc -ne 0
check "and says why on stderr" grep -q "registration failed: 401" "$WORK/wrong.err"
check "within 3 s (took $ms ms)" test $ms -lt 3000
check "after at most 2 REGISTERs" test "$(grep -c '^REGISTER ' "$WORK/wrong.trace")" -le 2
finish
