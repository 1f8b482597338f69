#!/usr/bin/env bash
# vphone-cli against SIPp scenarios exercising dialogs on 127.0.0.1 (ports 5120-5129):
#  a re-INVITE in an answered call, a forking proxy answering twice, a 200 crossing our CANCEL,
#  and requests naming dialogs that do not exist (INVITE with Replaces, BYE) answered 481.
# usage: sipp_dialogs.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK" # SIPp writes its logs into the current directory

# sipp_uac NAME XML PORT TARGET: runs one call of a caller scenario in the foreground.
sipp_uac() {
  timeout 60 sipp -sf "$2" -i 127.0.0.1 -p "$3" -m 1 -timeout 40 -timeout_error -trace_err -nostdin "$4" \
    >"$WORK/$1.log" 2>&1
}
# udp_bound PORT: waits (bounded, about 10 s) until something listens on 127.0.0.1:PORT/udp.
udp_bound() {
  for _ in $(seq 100); do
    ss -Hlun "sport = :$1" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  return 1
}
count() { grep -c -- "$2" "$1" 2>/dev/null; }
# traced DIRECTION TRACE REGEX...: some message vphone-cli sent (or received) matches every REGEX.
traced() {
  python3 - "$@" <<'PY'
import re, sys
direction, path, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
blocks = re.split(r"^--- ", open(path, encoding="latin-1").read(), flags=re.M)
sys.exit(0 if any(b.split("\n", 1)[0].split()[1:2] == [direction] and
                  all(re.search(p, b, re.M) for p in patterns) for b in blocks if b) else 1)
PY
}

echo "== re-INVITE in an answered call: 200 with SDP, ACK, then BYE"
start uas-reinvite "$CLI" --listen udp:127.0.0.1:5120 --auto-answer --events --duration 60 \
  --trace "$WORK/trace-reinvite.txt"
udp_bound 5120
sipp_uac sipp-reinvite "$HERE/sipp/uac_reinvite.xml" 5121 127.0.0.1:5120
check "SIPp got 200 with SDP for the INVITE and the re-INVITE, and 200 for BYE" test $? -eq 0
wait_for "$WORK/uas-reinvite.log" '"state":"terminated"' 10
sleep 0.5
check "vphone-cli reported the call confirmed once" test "$(count "$WORK/uas-reinvite.log" '"state":"confirmed"')" = 1
check "and terminated once" test "$(count "$WORK/uas-reinvite.log" '"state":"terminated"')" = 1
check "vphone-cli answered the re-INVITE: 200, CSeq 2 INVITE, its To tag, an SDP body" \
  traced send "$WORK/trace-reinvite.txt" '^SIP/2.0 200' '^CSeq: 2 INVITE' '^To: .*;tag=' '^v=0' '^m=audio'
check "and got the ACK for that 200" traced recv "$WORK/trace-reinvite.txt" '^ACK ' '^CSeq: 2 ACK' 

echo "== a forking proxy: two 180s and two 200s with different To tags"
start sipp-fork sipp -sf "$HERE/sipp/uas_forking.xml" -i 127.0.0.1 -p 5122 -m 1 -timeout 40 -trace_err -nostdin
udp_bound 5122
timeout 40 "$CLI" --listen udp:127.0.0.1:5123 --call sip:bob@127.0.0.1:5122 --hangup-after 1 --events \
  --trace "$WORK/trace-fork.txt" >"$WORK/cli-fork.log" 2>&1
check "vphone-cli exits 0 after the call" test $? -eq 0
wait "$PID_sipp_fork"
check "SIPp saw ACK A, ACK B, BYE B at once, and BYE A at hang-up" test $? -eq 0
check "vphone-cli reported one confirmed call" test "$(count "$WORK/cli-fork.log" '"state":"confirmed"')" = 1
check "the BYE to the second fork went to its Contact, with its tag" \
  traced send "$WORK/trace-fork.txt" '^BYE sip:forkB@' '^To: .*;tag=forkB' 

echo "== the callee's 200 crosses our CANCEL: ACK it, then BYE"
start sipp-race sipp -sf "$HERE/sipp/uas_answer_crosses_cancel.xml" -i 127.0.0.1 -p 5124 -m 1 -timeout 40 \
  -trace_err -nostdin
udp_bound 5124
timeout 40 "$CLI" --listen udp:127.0.0.1:5125 --call sip:bob@127.0.0.1:5124 --duration 1 --events \
  --trace "$WORK/trace-race.txt" >"$WORK/cli-race.log" 2>&1
wait "$PID_sipp_race"
check "SIPp got CANCEL, then the ACK for its 200 and a BYE" test $? -eq 0
check "the ACK carried the INVITE's CSeq number (§13.2.2.4)" traced send "$WORK/trace-race.txt" '^ACK ' '^CSeq: 1 ACK'
check "the 200 for the CANCEL came in too" traced recv "$WORK/trace-race.txt" '^SIP/2.0 200' '^CSeq: 1 CANCEL' 
check "vphone-cli reported the call ended by its BYE" grep -q '"reason":"BYE sent","state":"terminated"' "$WORK/cli-race.log"

echo "== requests for dialogs that do not exist get 481"
start uas-481 "$CLI" --listen udp:127.0.0.1:5126 --auto-answer --events --duration 60
udp_bound 5126
sipp_uac sipp-replaces "$HERE/sipp/uac_replaces_unknown.xml" 5127 127.0.0.1:5126
check "INVITE with Replaces for no dialog gets 481 (RFC 3891 §3)" test $? -eq 0
sipp_uac sipp-bye "$HERE/sipp/uac_bye_unknown.xml" 5128 127.0.0.1:5126
check "BYE for no dialog gets 481 (RFC 3261 §12.2.2)" test $? -eq 0
check "vphone-cli reported no call for either" bash -c "! grep -q '\"event\":\"call\"' '$WORK/uas-481.log'"
finish
