#!/usr/bin/env bash
# vphone-cli against SIPp scenarios that change calls in progress, on 127.0.0.1 (ports 5194-5209):
#  reliable provisional responses (RFC 3262) both ways, an UPDATE in a confirmed call (RFC 3311),
#  and re-INVITE glare (RFC 3261 §14.1): both sides re-INVITE at once, both get 491, and
#  vphone-cli's retry after the random back-off succeeds.
# usage: sipp_modify.sh VPHONE_CLI
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

echo "== vphone-cli calls a callee that sends its 180 reliably: PRACK, 200, ACK, BYE"
start sipp-rel sipp -sf "$HERE/sipp/uas_100rel.xml" -i 127.0.0.1 -p 5194 -m 1 -timeout 40 -trace_err -nostdin
udp_bound 5194
timeout 40 "$CLI" --listen udp:127.0.0.1:5195 --call sip:bob@127.0.0.1:5194 --hangup-after 1 --events \
  --trace "$WORK/trace-rel.txt" >"$WORK/cli-rel.log" 2>&1
check "vphone-cli completes the call (exit 0)" test $? -eq 0
wait "$PID_sipp_rel"
check "SIPp saw Supported: 100rel, the PRACK with RAck 4711, the ACK and the BYE" test $? -eq 0
check "the PRACK went in the early dialog: RAck 4711 1 INVITE, CSeq 2" \
  traced send "$WORK/trace-rel.txt" '^PRACK ' '^RAck: 4711 1 INVITE' '^CSeq: 2 PRACK' '^To: .*;tag='
check "the BYE counts the PRACK: CSeq 3" traced send "$WORK/trace-rel.txt" '^BYE ' '^CSeq: 3 BYE'
check "vphone-cli reported ringing, then confirmed" \
  bash -c "grep -q '\"state\":\"ringing\"' '$WORK/cli-rel.log' && grep -q '\"state\":\"confirmed\"' '$WORK/cli-rel.log'"

echo "== a caller requiring 100rel calls vphone-cli: reliable 180, PRACK answered, then the 200"
start uas-rel "$CLI" --listen udp:127.0.0.1:5196 --auto-answer=1 --events --duration 60 \
  --trace "$WORK/trace-uas-rel.txt"
udp_bound 5196
sipp_uac sipp-uac-rel "$HERE/sipp/uac_100rel.xml" 5197 127.0.0.1:5196
check "SIPp got a reliable 180, 200 for its PRACK, then 200 with SDP for the INVITE" test $? -eq 0
wait_for "$WORK/uas-rel.log" '"state":"terminated"' 10
check "vphone-cli sent the 180 with Require: 100rel and an RSeq" \
  traced send "$WORK/trace-uas-rel.txt" '^SIP/2.0 180' '^Require: 100rel' '^RSeq: [0-9]+'
check "vphone-cli's call was confirmed, then ended by SIPp's BYE" \
  grep -q '"reason":"BYE received","state":"terminated"' "$WORK/uas-rel.log"

echo "== UPDATE with an offer in a confirmed call gets 200 with an answer"
start uas-upd "$CLI" --listen udp:127.0.0.1:5198 --auto-answer --events --duration 60 \
  --trace "$WORK/trace-update.txt"
udp_bound 5198
sipp_uac sipp-update "$HERE/sipp/uac_update.xml" 5199 127.0.0.1:5198
check "SIPp got Allow with UPDATE, 200 with SDP and Contact for the UPDATE, 200 for BYE" test $? -eq 0
wait_for "$WORK/uas-upd.log" '"state":"terminated"' 10
check "vphone-cli reported the peer's UPDATE as a modification" \
  grep -q '"code":200,"event":"call","method":"UPDATE","origin":"remote".*"state":"modified"' "$WORK/uas-upd.log"
check "vphone-cli answered the UPDATE: 200, CSeq 2 UPDATE, an SDP body" \
  traced send "$WORK/trace-update.txt" '^SIP/2.0 200' '^CSeq: 2 UPDATE' '^v=0'

echo "== re-INVITE glare: both sides re-INVITE at once, both get 491, vphone-cli's retry succeeds"
start sipp-glare sipp -sf "$HERE/sipp/uas_glare.xml" -i 127.0.0.1 -p 5200 -m 1 -timeout 40 -trace_err -nostdin
udp_bound 5200
timeout 40 "$CLI" --listen udp:127.0.0.1:5201 --call sip:bob@127.0.0.1:5200 --reinvite-after 1 \
  --hangup-after 7 --events --trace "$WORK/trace-glare.txt" >"$WORK/cli-glare.log" 2>&1
check "vphone-cli completes the call (exit 0)" test $? -eq 0
wait "$PID_sipp_glare"
check "SIPp saw re-INVITE 2, 491 for its own, the ACK, re-INVITE 3 after the back-off, ACK, BYE" test $? -eq 0
check "vphone-cli answered SIPp's crossing re-INVITE with 491" \
  traced send "$WORK/trace-glare.txt" '^SIP/2.0 491' '^CSeq: 1 INVITE'
check "vphone-cli got 491 for its re-INVITE (CSeq 2)" traced recv "$WORK/trace-glare.txt" '^SIP/2.0 491' '^CSeq: 2 INVITE'
check "and ACKed the 200 to its retry (CSeq 3)" traced send "$WORK/trace-glare.txt" '^ACK ' '^CSeq: 3 ACK'
check "vphone-cli reported its re-INVITE done: modified, 200, once" \
  test "$(count "$WORK/cli-glare.log" '"origin":"local".*"state":"modified"')" = 1
check "with code 200" grep -q '"code":200,"event":"call","method":"INVITE","origin":"local"' "$WORK/cli-glare.log"
python3 - "$WORK/trace-glare.txt" >"$WORK/backoff.txt" <<'PY'
import re, sys
# The time between the 491 for our re-INVITE and the retry: 2.1-4 s (§14.1, we own the Call-ID).
blocks = re.split(r"^--- ", open(sys.argv[1], encoding="latin-1").read(), flags=re.M)
def ts(b):
    m = re.search(r"(\d\d):(\d\d):(\d\d(?:\.\d+)?)", b.split("\n", 1)[0])
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
got = [ts(b) for b in blocks if b and " recv " in b.split("\n", 1)[0] + " " and re.search(r"^SIP/2.0 491", b, re.M)
       and re.search(r"^CSeq: 2 INVITE", b, re.M)]
retry = [ts(b) for b in blocks if b and re.search(r"^INVITE ", b, re.M) and re.search(r"^CSeq: 3 INVITE", b, re.M)]
print("%.3f" % (retry[0] - got[0]) if got and retry else "none")
PY
check "the retry came 2.1-4 s after the 491 ($(cat "$WORK/backoff.txt") s)" \
  python3 -c "import sys; v=open('$WORK/backoff.txt').read().strip(); sys.exit(0 if v!='none' and 2.0<=float(v)<=4.2 else 1)"
finish
