#!/usr/bin/env bash
# The desktop app hosting a conference and transferring a call, end to end under Xvfb on
# 127.0.0.1 (SIP 6220-6229, RTP 16600-16819, displays :107-:110):
#  1. the app (440 Hz, test pattern) video-calls two vphone-cli peers answering by themselves
#     (--dial-after): P1 (660 Hz, 320x180 pattern) and P2 (880 Hz, 480x270 pattern), then merges
#     them (--merge-after, ConferenceModel::merge): its log shows the conference with both members
#     and the bridge's three participants; the peers see the focus (isfocus: they subscribe and
#     print the roster); the window (the conference view: the composite grid and the
#     participants) is pictured to OUT/app_conference.png and is not blank; P1's recording holds
#     the host (440) and P2 (880) through the bridge and not itself, P2's the host and P1; Leave
#     conference (--leave-after) hangs both up;
#  2. a second app in a call with P1' transfers it blind (--transfer-after, CallItem::transfer) to
#     P3: P1' gets the REFER and calls P3 (the INVITE at P3 comes from P1' with the app as
#     Referred-By), the app's log shows the NOTIFY progress and "Transferred", and its call ends.
# usage: app_conference.sh VPHONE VPHONE_CLI OUTPUT_DIR
set -uo pipefail
VPHONE=$(realpath "$1")
CLI=$(realpath "$2")
OUT=$(realpath "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
FREQS="$HERE/../interop/conference/freqs.py"
export XDG_DATA_HOME=$WORK XDG_CONFIG_HOME=$WORK XDG_RUNTIME_DIR=$WORK
mkdir -p "$OUT"

start_xvfb 107 110 || exit 1

freqs() { # WAV FROM TO WANT ABSENT
  local out rc
  out=$(python3 "$FREQS" "$1" "$2" "$3" --want "$4" --absent "$5" --min 0.8 2>&1)
  rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}
# json_check LOG PYTHON_EXPR: evaluated over the log's lines (L: list of dicts).
json_check() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys
log, expr = sys.argv[1:]
L = [json.loads(l) for l in open(log) if l.strip()] if os.path.exists(log) else []
def ev(name): return [e for e in L if e.get("event") == name]
ok = bool(eval(expr))
if not ok: print("       (false: %s)" % expr)
sys.exit(0 if ok else 1)
PY
}

echo "== the app calls P1 and P2, merges them into a conference, pictures it, leaves"
P1=sip:p1@127.0.0.1:6221
P2=sip:p2@127.0.0.1:6222
start p1 "$CLI" --listen udp:127.0.0.1:6221 --auto-answer --events --duration 40 --rtp-ports 16650-16679 \
  --audio-source tone:660 --video-source testsrc:320x180@15 --audio-sink "file:$WORK/p1.wav" \
  --stats-json "$WORK/p1.json"
start p2 "$CLI" --listen udp:127.0.0.1:6222 --auto-answer --events --duration 40 --rtp-ports 16680-16709 \
  --audio-source tone:880 --video-source testsrc:480x270@15 --audio-sink "file:$WORK/p2.wav" \
  --stats-json "$WORK/p2.json"
sleep 0.5
LOG=$WORK/app.jsonl
SHOT=$OUT/app_conference.png
rm -f "$SHOT"
start app "$VPHONE" --profile "$WORK/profile" --listen udp:127.0.0.1:6220 --rtp-ports 16600-16649 \
  --audio-source tone:440 --audio-sink null --video-source testsrc:320x180@15 --log "$LOG" --video \
  --dial-after "1:$P1" --dial-after "3:$P2" --merge-after 6 --screenshot-after 13 --screenshot "$SHOT" \
  --leave-after 17

check "the app starts on 127.0.0.1:6220" wait_for "$LOG" '"event":"started"' 20
check "P1 answers (Active)" wait_for "$LOG" '"id":1,.*"peer":"'"$P1"'".*"state":"Active"' 15
check "P2 answers (Active)" wait_for "$LOG" '"id":2,.*"peer":"'"$P2"'".*"state":"Active"' 15
check "merge takes both calls" wait_for "$LOG" '"event":"merge","ok":true' 15
check "the conference has both as members (in the order their re-INVITEs succeeded)" wait_for "$LOG" \
  '"active":true,"event":"conference","joining":\[\],"members":\["'"$P1"'","'"$P2"'"\]\|"members":\["'"$P2"'","'"$P1"'"\]' 15
check "the bridge has three participants (the host first)" wait_for "$LOG" \
  '"event":"conference_participants".*"host":true.*"uri":"'"$P2"'"' 15
check "P1 sees the focus (isfocus: subscribed, roster NOTIFY)" wait_for "$WORK/p1.log" 'roster' 15
check "the conference view is pictured" wait_for "$LOG" '"event":"screenshot"' 20
check "  a PNG that is not blank (>= 5 % non-background, >= 20 kB)" json_check "$LOG" \
  '[e for e in ev("screenshot") if e["saved"] and e["width"] >= 400 and e["non_background"] >= 0.05] and os.path.getsize("'"$SHOT"'") >= 20000'
python3 -c 'import json,sys; [print("       screenshot: %s %dx%d, %.0f %% non-background" % (e["file"], e["width"], e["height"], 100*e["non_background"])) for e in (json.loads(l) for l in open(sys.argv[1])) if e.get("event") == "screenshot"]' "$LOG"
check "Leave conference hangs up both calls" wait_for "$LOG" '"id":2,.*"state":"Ended"' 15
check "  and the conference is over" wait_for "$LOG" '"active":false,"event":"conference"' 10
check "  (P1's call ended too)" json_check "$LOG" '[e for e in ev("call") if e["id"] == 1 and e["state"] == "Ended"]'
kill "$PID_p1" "$PID_p2" 2>/dev/null
wait "$PID_p1" "$PID_p2" 2>/dev/null
# P1 answered ~1 s after start, P2 ~3 s; merged at 6 s, left at 17 s: the windows below lie inside.
check "P1 hears the host (440) and P2 (880) through the bridge, not itself" freqs "$WORK/p1.wav" 8 14 440,880 660
check "P2 hears the host (440) and P1 (660) through the bridge, not itself" freqs "$WORK/p2.wav" 6 12 440,660 880

echo "== a second app transfers its call with P1' blind to P3"
P1B=sip:p1b@127.0.0.1:6225
P3=sip:p3@127.0.0.1:6226
start p1b "$CLI" --listen udp:127.0.0.1:6225 --auto-answer --duration 25 --rtp-ports 16750-16779 \
  --audio-source tone:660
start p3 "$CLI" --listen udp:127.0.0.1:6226 --auto-answer --events --duration 25 --rtp-ports 16780-16809 \
  --audio-source tone:880 --trace "$WORK/p3.trace"
sleep 0.5
LOG2=$WORK/app2.jsonl
start app2 "$VPHONE" --profile "$WORK/profile2" --listen udp:127.0.0.1:6224 --rtp-ports 16710-16749 \
  --audio-source tone:440 --audio-sink null --video-source off --log "$LOG2" \
  --dial-after "1:$P1B" --transfer-after "4:$P3"
check "the app's call to P1' is answered" wait_for "$LOG2" '"id":1,.*"state":"Active"' 20
check "the app REFERs P1' to P3" wait_for "$LOG2" '"event":"transfer",.*"ok":true,.*"uri":"'"$P3"'"' 15
check "P1' got the REFER naming P3, from the app" wait_for "$WORK/p1b.log" "referred to $P3 by .*127.0.0.1:6224" 10
check "P3 got an INVITE from P1' (6225)" wait_for "$WORK/p3.trace" '^From: <sip:vphone@127.0.0.1:6225>' 5
check "  with the app as Referred-By (RFC 3892)" wait_for "$WORK/p3.trace" '^Referred-By: .*127.0.0.1:6224' 5
check "the app shows the NOTIFY progress" wait_for "$LOG2" '"event":"transfer_progress".*"Transferring… ' 10
check "  and \"Transferred\"" wait_for "$LOG2" '"event":"transfer_progress".*"state":"Done",.*"text":"Transferred"' 15
check "  and its call ends" wait_for "$LOG2" '"id":1,.*"state":"Ended"' 10
finish
