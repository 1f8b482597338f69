#!/usr/bin/env bash
# STUN server setting (issue 7) against coturn's turnserver, plain STUN on 127.0.0.1:3478
# (SIP 5900-5919, RTP 13400-13499). Two vphone-cli call each other with --stun-server:
#  1. each logs the address the server mapped for its SIP UDP socket and for the call's RTP and
#     RTCP sockets; coturn's log counts the Binding requests it answered; the INVITE's Contact
#     and Via, and the SDP's c= and m= lines, hold exactly the mapped addresses and ports (on
#     loopback they equal the local ones, so the proof is that every value matches what STUN
#     reported); the call carries both tones;
#  2. a STUN server that does not answer (127.0.0.1:3499, nothing listens) costs at most the
#     1.5 s SIP bound (and vphone-cli's wait for its first media probe before a direct call; no
#     SDP waits for STUN): the call connects within a few seconds, each side warns, and the
#     audio flows on the local addresses.
# usage: stun_coturn.sh VPHONE_CLI VPHONE_TONE_CHECK
CLI=$1
TONE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

command -v turnserver >/dev/null || {
  echo "FAIL: turnserver (coturn) is not installed (scripts/install-deps.sh --peers)"
  exit 1
}

tone() { # tone WAV HZ: the tone fills at least 90 % of the recording
  local out
  out=$("$TONE" "$1" "$2" --min 0.9 2>&1)
  local rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}
bindings() { grep -c 'handle_turn_binding:[0-9]*:start' "$WORK/turn.log"; }

# coturn in the foreground (-n: no config file), STUN only, no auth, no TLS/DTLS, no CLI;
# -V logs each Binding request it handles.
start turn turnserver -n --stun-only --no-auth --no-tls --no-dtls --listening-ip=127.0.0.1 \
  --listening-port=3478 --relay-ip=127.0.0.1 --no-cli --log-file=stdout --simple-log -V \
  --pidfile="$WORK/turn.pid"
check "turnserver listens on 127.0.0.1:3478" wait_for "$WORK/turn.log" "UDP listener opened on: 127.0.0.1:3478" 10

# callee NAME PORT RTP ARGS...: an auto-answering vphone-cli recording what it hears
callee() {
  local name=$1 port=$2 rtp=$3
  shift 3
  start "$name" "$CLI" --listen "udp:127.0.0.1:$port" --auto-answer --events --duration 20 --rtp-ports "$rtp" \
    --audio-sink "file:$WORK/$name.wav" --trace "$WORK/$name.trace" "$@"
  wait_for "$WORK/$name.log" "" 1
  sleep 0.3
}
stop_callee() {
  local pid_var="PID_$1"
  kill "${!pid_var}" 2>/dev/null
  for _ in $(seq 50); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
}

echo "== both sides learn their addresses from coturn"
before=$(bindings)
callee bob1 5900 13400-13419 --audio-source tone:880 --stun-server 127.0.0.1:3478
check "bob: mapped address for sip" wait_for "$WORK/bob1.log" "stun: mapped 127.0.0.1:5900 for sip" 5
timeout 30 "$CLI" --listen udp:127.0.0.1:5902 --call sip:bob@127.0.0.1:5900 --hangup-after 4 --events \
  --rtp-ports 13420-13439 --audio-source tone:440 --audio-sink "file:$WORK/alice1.wav" \
  --trace "$WORK/alice1.trace" --stun-server 127.0.0.1:3478 >"$WORK/alice1.log" 2>&1
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob1
grep -h 'stun:' "$WORK/alice1.log" "$WORK/bob1.log" | sed 's/^/       /'
for side in alice1 bob1; do
  check "$side: mapped address for sip" grep -q 'stun: mapped 127.0.0.1:59[0-9]* for sip' "$WORK/$side.log"
  check "$side: mapped address for rtp" grep -q 'stun: mapped 127.0.0.1:134[0-9]* for rtp' "$WORK/$side.log"
  check "$side: mapped address for rtcp" grep -q 'stun: mapped 127.0.0.1:134[0-9]* for rtcp' "$WORK/$side.log"
  check "$side: no STUN warning" sh -c "! grep -q 'stun: warning\|media: stun:' '$WORK/$side.log'"
done
after=$(bindings)
echo "       coturn answered $((after - before)) Binding requests"
check "coturn answered the Binding requests (at least 3 per side: sip, rtp, rtcp)" test $((after - before)) -ge 6
# The INVITE alice sent and bob's 200 answer: Contact, Via sent-by, c= and m= against the log.
check "alice's INVITE and bob's 200 carry exactly the STUN-mapped addresses" python3 - "$WORK" <<'PY'
import re, sys
work = sys.argv[1]
def mapped(log, what):
    m = re.findall(r"stun: mapped ([0-9.]+):(\d+) for " + what + r"\b", open(f"{work}/{log}.log").read())
    assert m, f"{log}: no mapping for {what}"
    return m[-1][0], int(m[-1][1])
def first(trace, start):
    text = open(f"{work}/{trace}.trace", errors="replace").read()
    i = text.find(start)
    assert i >= 0, f"{trace}: no {start!r}"
    return text[i:i + 4000]
ok = True
for log, trace, start in (("alice1", "alice1", "INVITE sip:bob@"), ("bob1", "bob1", "SIP/2.0 200 OK")):
    if log == "bob1":
        text = open(f"{work}/bob1.trace", errors="replace").read()
        i = [m.start() for m in re.finditer(r"SIP/2\.0 200 OK", text) if "CSeq: 1 INVITE" in text[m.start():m.start() + 2000] or re.search(r"CSeq: *\d+ INVITE", text[m.start():m.start() + 1500])]
        assert i, "bob: no 200 to the INVITE"
        msg = text[i[0]:i[0] + 4000]
    else:
        msg = first(trace, start)
    sh, sp = mapped(log, "sip")
    rh, rp = mapped(log, "rtp")
    contact = re.search(r"Contact: *[^\r\n]*<sip:[^@>]*@?([0-9.]+):(\d+)", msg)
    c = re.search(r"c=IN IP4 ([0-9.]+)", msg)
    m = re.search(r"m=audio (\d+)", msg)
    checks = [("Contact", contact and (contact.group(1), int(contact.group(2))) == (sh, sp)),
              ("c=", c and c.group(1) == rh), ("m=audio port", m and int(m.group(1)) == rp)]
    if log == "alice1":
        via = re.search(r"Via: SIP/2\.0/UDP ([0-9.]+):(\d+)", msg)
        checks.append(("Via sent-by", via and (via.group(1), int(via.group(2))) == (sh, sp)))
    for name, good in checks:
        print(f"       {log}: {name} {'matches' if good else 'DIFFERS from'} the mapping (sip {sh}:{sp}, rtp {rh}:{rp})")
        ok = ok and bool(good)
sys.exit(0 if ok else 1)
PY
check "alice hears bob's 880 Hz" tone "$WORK/alice1.wav" 880
check "bob hears alice's 440 Hz" tone "$WORK/bob1.wav" 440

echo "== a STUN server that never answers: the call goes on with local addresses"
callee bob2 5904 13440-13459 --audio-source tone:1000 --stun-server 127.0.0.1:3499
t0=$(date +%s.%N)
timeout 30 "$CLI" --listen udp:127.0.0.1:5906 --call sip:bob@127.0.0.1:5904 --hangup-after 3 --events \
  --rtp-ports 13460-13479 --audio-source tone:600 --audio-sink "file:$WORK/alice2.wav" \
  --stun-server 127.0.0.1:3499 >"$WORK/alice2.log" 2>&1
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob2
answered=$(python3 - "$WORK/alice2.log" "$t0" <<'PY'
import json, sys, datetime
t0 = float(sys.argv[2])
for line in open(sys.argv[1]):
    if line.startswith("{") and '"state":"confirmed"' in line:
        ts = json.loads(line)["ts"]
        t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
        print(f"{t - t0:.2f}")
        break
PY
)
echo "       answered ${answered:-never} s after the call started"
check "answered within 8 s despite the silent server (1.5 s bounds: sip, and the caller's first media probe)" python3 -c "import sys; sys.exit(0 if '$answered' and float('$answered') < 8 else 1)"
grep -h 'stun' "$WORK/alice2.log" "$WORK/bob2.log" | grep -v '^{' | sed 's/^/       /'
for side in alice2 bob2; do
  check "$side: warns that the STUN server did not answer for media" grep -q 'media: stun: 127.0.0.1:3499: no answer' "$WORK/$side.log"
  check "$side: no mapped address was claimed" sh -c "! grep -q 'stun: mapped' '$WORK/$side.log'"
done
check "bob hears alice's 600 Hz" tone "$WORK/bob2.wav" 600
check "alice hears bob's 1000 Hz" tone "$WORK/alice2.wav" 1000
finish
