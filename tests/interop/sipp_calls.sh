#!/usr/bin/env bash
# vphone-cli against SIPp's built-in scenarios, on 127.0.0.1 (ports 5160-5169):
#  1. vphone-cli --auto-answer as UAS, SIPp `uac` places 3 calls (UDP), then 2 over TCP;
#  2. vphone-cli --call as UAC against SIPp `uas`, hanging up after 1 s.
# usage: sipp_calls.sh VPHONE_CLI
CLI=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK" # SIPp writes its logs into the current directory

echo "== vphone-cli as UAS, SIPp uac calls it (UDP and TCP)"
start uas "$CLI" --listen udp:127.0.0.1:5160 --listen tcp:127.0.0.1:5160 --auto-answer --events --duration 60
sleep 0.5
(cd "$WORK" && timeout 60 sipp -sn uac 127.0.0.1:5160 -s alice -i 127.0.0.1 -p 5161 -m 3 -l 1 -d 500 \
  -timeout 30 -timeout_error -trace_err -nostdin >"$WORK/sipp-uac-udp.log" 2>&1)
check "SIPp uac: 3 calls answered over UDP" test $? -eq 0
(cd "$WORK" && timeout 60 sipp -sn uac 127.0.0.1:5160 -s alice -i 127.0.0.1 -p 5162 -t t1 -m 2 -l 1 -d 500 \
  -timeout 30 -timeout_error -trace_err -nostdin >"$WORK/sipp-uac-tcp.log" 2>&1)
check "SIPp uac: 2 calls answered over TCP" test $? -eq 0
check "vphone-cli reported 5 confirmed calls" test "$(grep -c '"state":"confirmed"' "$WORK/uas.log")" -eq 5
check "vphone-cli reported 5 ended calls" test "$(grep -c '"state":"terminated"' "$WORK/uas.log")" -eq 5
kill -TERM "$PID_uas"
for _ in $(seq 50); do kill -0 "$PID_uas" 2>/dev/null || break; sleep 0.1; done
wait "$PID_uas"
check "vphone-cli exits 0 on SIGTERM" test $? -eq 0

echo "== vphone-cli as UAC, SIPp uas answers"
start sipp-uas sipp -sn uas -i 127.0.0.1 -p 5163 -m 1 -timeout 30 -trace_err -nostdin
sleep 0.5
timeout 30 "$CLI" --listen udp:127.0.0.1:5164 --call sip:service@127.0.0.1:5163 --hangup-after 1 --events \
  >"$WORK/uac.log" 2>&1
check "vphone-cli --call exits 0 after the call" test $? -eq 0
check "the call was confirmed" grep -q '"state":"confirmed"' "$WORK/uac.log"
wait "$PID_sipp_uas"
check "SIPp uas saw a complete call (INVITE, ACK, BYE)" test $? -eq 0

echo "== MESSAGE between two vphone-cli instances"
start bob "$CLI" --listen udp:127.0.0.1:5166 --events --duration 20
sleep 0.5
timeout 20 "$CLI" --listen udp:127.0.0.1:5167 --message sip:bob@127.0.0.1:5166 "hello from alice" --events \
  >"$WORK/alice-message.log" 2>&1
check "the sender exits 0 once delivered" test $? -eq 0
check "the sender reports delivery" grep -q '"state":"delivered"' "$WORK/alice-message.log"
check "the receiver got the text" wait_for "$WORK/bob.log" '"text":"hello from alice"' 5

echo "== a call nobody answers fails with a clear error and exit code"
timeout 60 "$CLI" --listen udp:127.0.0.1:5165 --call sip:nobody@127.0.0.1:5169 --hangup-after 1 \
  >"$WORK/noanswer.log" 2>&1
rc=$?
check "vphone-cli exits non-zero" test $rc -ne 0
check "and says why" grep -q "call to sip:nobody@127.0.0.1:5169 failed" "$WORK/noanswer.log"
finish
