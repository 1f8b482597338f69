#!/usr/bin/env bash
# The desktop app end to end under Xvfb (SIP 5600-5619, RTP 12500-12599, all on 127.0.0.1):
#  1. `vphone --video sip:far@127.0.0.1:5610` calls vphone-cli (auto-answer, 440 Hz tone, test
#     pattern) at start: the app's --log shows the call Active, then Ended (--hangup-after);
#     media flowed both ways (vphone-cli's --stats-json: audio packets and decoded video frames;
#     the app's own stats lines: the same the other way);
#  2. a screenshot of the window during the call (--screenshot-after, QQuickWindow::grabWindow)
#     is a PNG in the build directory that is not blank;
#  3. a second `vphone --profile SAME sip:far2@...` hands its URI to the running instance and exits
#     0 within 2 s; the running one places that call (Active, then Ended);
#  4. a call from another vphone-cli rings in the app's incoming-call dialog (a second screenshot,
#     app_incoming.png) and ends when the caller gives up (missed, in the history);
#  5. the app restarted on the same profile imports a vCard file (--import-vcard) and
#     pictures its Contacts and History tabs (--screenshot-tab): the history survived the restart.
# usage: app_call.sh VPHONE VPHONE_CLI OUTPUT_DIR
set -uo pipefail
VPHONE=$(realpath "$1")
CLI=$(realpath "$2")
OUT=$(realpath "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
export XDG_DATA_HOME=$WORK XDG_CONFIG_HOME=$WORK XDG_RUNTIME_DIR=$WORK
mkdir -p "$OUT"

# Xvfb is required: missing packages fail the test (scripts/install-deps.sh installs xvfb xauth).
start_xvfb 80 99 || exit 1

start far "$CLI" --listen udp:127.0.0.1:5610 --auto-answer --events --rtp-ports 12550-12579 \
  --audio-source tone:440 --video-source testsrc:320x180@15 --stats-json "$WORK/far.json"
sleep 0.5

PROFILE=$WORK/profile
mkdir -p "$PROFILE"
LOG=$WORK/app.jsonl
SHOT=$OUT/app_call.png
SHOT_IN=$OUT/app_incoming.png
rm -f "$SHOT" "$SHOT_IN"
start app "$VPHONE" --profile "$PROFILE" --listen udp:127.0.0.1:5600 --rtp-ports 12500-12549 \
  --audio-source tone:440 --audio-sink null --video-source testsrc:320x180@15 --log "$LOG" --screenshot-after 6 --screenshot "$SHOT" --screenshot-incoming "$SHOT_IN" --hangup-after 9 \
  --video sip:far@127.0.0.1:5610

# json_check PYTHON_EXPR: evaluates over the app's log lines (L: list of dicts) and far.json (F).
json_check() {
  python3 - "$LOG" "$WORK/far.json" "$1" <<'PY'
import json, os, sys
log, far, expr = sys.argv[1:]
L = [json.loads(l) for l in open(log) if l.strip()] if os.path.exists(log) else []
F = json.load(open(far)) if os.path.exists(far) else {"calls": []}
def calls(id): return [e for e in L if e.get("event") == "call" and e.get("id") == id]
def streams(id): # the app's last stats line of call `id`
    s = [e for e in L if e.get("event") == "stats" and e.get("id") == id]
    return s[-1]["streams"] if s else []
def stream(streams, kind): return next((s for s in streams if s["type"] == kind), {})
ok = bool(eval(expr))
if not ok: print("       (false: %s)" % expr)
sys.exit(0 if ok else 1)
PY
}

check "the app starts and listens on 127.0.0.1:5600" wait_for "$LOG" '"event":"started"' 20
check "the call to sip:far@127.0.0.1:5610 is answered (Active)" wait_for "$LOG" '"id":1,.*"state":"Active"' 20
check "the screenshot is taken during the call" wait_for "$LOG" '"event":"screenshot"' 20
check "the call ends (Ended) after --hangup-after" wait_for "$LOG" '"id":1,.*"state":"Ended"' 20
check "vphone-cli received audio and decoded video from the app" wait_for "$WORK/far.json" '"calls"' 10
check "  its audio: packets_received > 0" json_check 'stream(F["calls"][0]["streams"], "audio").get("packets_received", 0) > 0'
check "  its video: frames_decoded > 0" json_check 'stream(F["calls"][0]["streams"], "video").get("frames_decoded", 0) > 0'
check "the app received audio from vphone-cli" json_check 'stream(streams(1), "audio").get("packets_received", 0) > 0'
check "the app decoded vphone-cli's video" json_check 'stream(streams(1), "video").get("frames_decoded", 0) > 0'
check "the screenshot is a PNG in the build directory" test -s "$SHOT"
check "  of the whole window, not blank (>= 5 % non-background pixels, >= 10 kB)" json_check \
  '[e for e in L if e.get("event") == "screenshot" and e["saved"] and e["width"] >= 400 and e["non_background"] >= 0.05] and os.path.getsize("'"$SHOT"'") >= 10000'
shots() {
  python3 -c 'import json,sys; [print("       screenshot: %s %dx%d, %.0f %% non-background" % (e["file"], e["width"], e["height"], 100*e["non_background"])) for e in (json.loads(l) for l in open(sys.argv[1]) if "\"screenshot\"" in l) if e["file"] == sys.argv[2]]' "$LOG" "$1" 2>/dev/null
}
shots "$SHOT"

# A second launch with the same profile hands its URI over and exits at once.
t0=$(date +%s%N)
timeout 10 "$VPHONE" --profile "$PROFILE" sip:far2@127.0.0.1:5610 >"$WORK/second.log" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "       second launch: exit $rc after $ms ms"
check "a second launch with the same profile exits 0" test "$rc" -eq 0
check "  within 2 s" test "$ms" -lt 2000
check "the running instance got the URI" wait_for "$LOG" '"event":"handoff","message":"dial sip:far2@127.0.0.1:5610"' 5
check "  and called it (Active)" wait_for "$LOG" '"id":2,.*"peer":"sip:far2@127.0.0.1:5610".*"state":"Active"' 20
check "  until --hangup-after ended it" wait_for "$LOG" '"id":2,.*"state":"Ended"' 20
timeout 10 "$VPHONE" --profile "$PROFILE" >"$WORK/third.log" 2>&1
check "a launch without a URI exits 0" test $? -eq 0
check "  and brings the running window forward" wait_for "$LOG" '"event":"handoff","message":"raise"' 5
check "vphone-cli took both calls" json_check 'len(F["calls"]) >= 2 or print("       far.json: %d call(s)" % len(F["calls"]))'

# An incoming call rings in the dialog (pictured) until the caller gives up (CANCEL).
timeout 20 "$CLI" --listen udp:127.0.0.1:5612 --call sip:app@127.0.0.1:5600 --duration 4 --rtp-ports 12580-12599 \
  >"$WORK/caller.log" 2>&1
check "a call from vphone-cli rings in the app (incoming)" wait_for "$LOG" '"event":"incoming"' 5
check "  its dialog is pictured (not blank)" json_check \
  '[e for e in L if e.get("event") == "screenshot" and e["file"] == "'"$SHOT_IN"'" and e["saved"] and e["non_background"] >= 0.05]'
shots "$SHOT_IN"
check "  and the call ends when the caller gives up" wait_for "$LOG" '"id":3,.*"state":"Ended"' 10
check "the history has the two calls made (answered) and the one given up (missed)" json_check \
  '[e["outcome"] for e in L if e.get("event") == "history"] == ["answered", "answered", "missed"]'

# The same profile again (the database survives): two contacts imported from a vCard file, the
# Contacts and History tabs pictured.
kill "$PID_app" 2>/dev/null; wait "$PID_app" 2>/dev/null
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José García\r\nIMPP:sip:jose@example.test\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Adams\r\nIMPP:sip:zoe@example.test\r\nEND:VCARD\r\n' >"$WORK/two.vcf"
LOG2=$WORK/app2.jsonl
SHOT_CONTACTS=$OUT/app_contacts.png
SHOT_HISTORY=$OUT/app_history.png
rm -f "$SHOT_CONTACTS" "$SHOT_HISTORY"
start app2 "$VPHONE" --profile "$PROFILE" --listen udp:127.0.0.1:5601 --rtp-ports 12500-12549 --audio-source silence \
  --audio-sink null --video-source off --log "$LOG2" --import-vcard "$WORK/two.vcf" \
  --screenshot-tab "contacts:2:$SHOT_CONTACTS" --screenshot-tab "history:3:$SHOT_HISTORY"
check "a restart imports two contacts from a vCard file" wait_for "$LOG2" '"event":"import","summary":"2 imported"' 10
check "  the Contacts tab is pictured (not blank)" wait_for "$LOG2" '"file":"'"$SHOT_CONTACTS"'".*"saved":true' 10
check "  the History tab is pictured (not blank)" wait_for "$LOG2" '"file":"'"$SHOT_HISTORY"'".*"saved":true' 10
L2=$WORK/app2.jsonl
check "  both at least 5 % non-background" python3 -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if len([e for e in L if e.get("event") == "screenshot" and e["non_background"] >= 0.05]) == 2 else 1)' "$L2"
LOG=$LOG2 shots "$SHOT_CONTACTS"
LOG=$LOG2 shots "$SHOT_HISTORY"

finish
