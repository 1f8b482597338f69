#!/usr/bin/env bash
# Pictures of the desktop app for the README, taken under Xvfb with the app's hidden test flags:
# docs/screenshots/{main,video-call,contacts,history,chat,settings,conference}.png.
#  1. a temporary profile is seeded for real: four contacts from a vCard with photos (PNG avatars
#     drawn here), then the app (SIP 127.0.0.1:5856) calls Alice (a vphone-cli answering on 5857)
#     and Carla (5859), Bob (5858) calls the app and gives up (a missed call), Carla and Alice send
#     it messages (MESSAGE);
#  2. the app restarted on that profile pictures its tabs (--screenshot-tab): calls (the main
#     window), contacts, history, chats, and settings when this build has a settings tab (an
#     older one refuses the tab name: the picture is skipped with a note);
#  3. a video call to Carla's vphone-cli sending its test pattern (640x360@30), pictured 7 s in;
#  4. a conference: the app video-calls Alice, Bob and Carla (vphone-clis answering with test
#     patterns of different sizes and tones), merges the calls, and pictures the conference view
#     (the composite grid, the participants with their speaking dots) 15 s in.
# Loopback only: SIP 5855-5859 (David, 5855, has no phone running), RTP 13030-13049 and 16900-16999
# (the conference), X display :66-:69. Every contact address is on 127.0.0.1: the app looks up presence for each contact.
# usage: scripts/screenshots.sh [BUILD_DIR]   (default build/release, configured and built when
#        vphone or vphone-cli is missing; KEEP=1 keeps the work directory with the logs)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
OUT=${SHOTS_OUT:-$ROOT/docs/screenshots} # SHOTS_OUT: somewhere else (trying changes out)
if [ ! -x "$BUILD/ui/app/vphone" ] || [ ! -x "$BUILD/ui/cli/vphone-cli" ]; then
  echo "screenshots: building vphone and vphone-cli in $BUILD" >&2
  [ -f "$BUILD/CMakeCache.txt" ] || cmake --preset release -B "$BUILD" -S "$ROOT" >/dev/null || exit 2
  cmake --build "$BUILD" -j2 --target vphone vphone-cli >/dev/null || exit 2
fi
BUILD=$(realpath "$BUILD")
VPHONE=$BUILD/ui/app/vphone
CLI=$BUILD/ui/cli/vphone-cli
command -v Xvfb >/dev/null || { echo "screenshots: Xvfb missing (scripts/install-deps.sh)" >&2; exit 2; }

WORK=$(mktemp -d -t vphone-shots.XXXXXX)
PIDS=()
stop() { # PID: TERM, up to 5 s grace, KILL
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done
  if [ "${KEEP:-0}" = 1 ]; then echo "screenshots: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
bg() { # NAME CMD...: in the background, output in $WORK/NAME.log, PID in $LAST
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 </dev/null &
  LAST=$!
  PIDS+=("$LAST")
}
wait_for() { # FILE PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "screenshots: timed out waiting for $2 in $1" >&2
  return 1
}

DISPLAY_NUM=
for n in 66 67 68 69; do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { DISPLAY_NUM=$n; break; }
done
[ -n "$DISPLAY_NUM" ] || { echo "screenshots: no free X display in :66-:69" >&2; exit 2; }
bg xvfb Xvfb ":$DISPLAY_NUM" -nolisten tcp -screen 0 1280x800x24
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
export DISPLAY=":$DISPLAY_NUM" QT_QPA_PLATFORM=xcb
export XDG_DATA_HOME=$WORK XDG_CONFIG_HOME=$WORK XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$WORK/run" "$OUT" && chmod 700 "$WORK/run"

# 1. Four contacts with photos (256x256 PNG avatars: a head and shoulders on a coloured disc).
python3 - "$WORK/contacts.vcf" <<'PY'
import base64, struct, sys, zlib
def avatar(bg, fg, size=256):
    rows = []
    c = size / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            dx, dy = x - c + 0.5, y - c + 0.5
            head = (dx * dx + (y - size * 0.40) ** 2) < (size * 0.19) ** 2
            body = ((dx / 0.36) ** 2 + ((y - size * 0.98) / 0.36) ** 2) < (size * 1.0) ** 2 and y > size * 0.62
            col = fg if head or body else bg
            row += bytes(col)
        rows.append(bytes(row))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
people = [("Alice Martin", "sip:alice@127.0.0.1:5857", "+33 1 42 68 53 00", (66, 133, 244), (232, 240, 254)),
          ("Bob Chen", "sip:bob@127.0.0.1:5858", "+1 415 555 0134", (15, 157, 88), (230, 244, 234)),
          ("Carla Rossi", "sip:carla@127.0.0.1:5859", "+39 06 555 0199", (219, 68, 55), (252, 232, 230)),
          ("David Okafor", "sip:david@127.0.0.1:5855", "+234 1 555 0102", (171, 71, 188), (243, 229, 245))]
with open(sys.argv[1], "w", newline="") as f:
    for name, uri, tel, bg, fg in people:
        photo = base64.b64encode(avatar(bg, fg)).decode()
        f.write("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:%s\r\nIMPP:%s\r\nTEL:%s\r\nPHOTO:data:image/png;base64,%s\r\nEND:VCARD\r\n"
                % (name, uri, tel, photo))
PY

PROFILE=$WORK/profile
mkdir -p "$PROFILE"
APP_ARGS=(--profile "$PROFILE" --listen udp:127.0.0.1:5856 --rtp-ports 13030-13039 --audio-source tone:440
  --audio-sink null --video-source testsrc:640x360@30)
peer() { # NAME PORT: PEER=(a vphone-cli as NAME@127.0.0.1:PORT)
  PEER=("$CLI" --listen "udp:127.0.0.1:$2" --account "sip:$1@127.0.0.1:$2" --no-register
    --rtp-ports 13040-13049 --audio-source tone:440 --video-source testsrc:640x360@30)
}

LOG=$WORK/seed.jsonl
bg seed "$VPHONE" "${APP_ARGS[@]}" --log "$LOG" --import-vcard "$WORK/contacts.vcf" --hangup-after 4
APP=$LAST
wait_for "$LOG" '"event":"started"' 20 || exit 1
grep -o '"summary":"[^"]*"' "$LOG" >&2
peer alice 5857
bg alice "${PEER[@]}" --auto-answer --events
ALICE=$LAST
peer carla 5859
bg carla "${PEER[@]}" --auto-answer --events
CARLA=$LAST
sleep 0.5
# The app calls Alice, then Carla (a second launch hands the URI to the running one); --hangup-after
# ends each call 4 s after the answer.
for who in alice:5857 carla:5859; do
  before=$(grep -c '"state":"Ended"' "$LOG")
  timeout 10 "$VPHONE" --profile "$PROFILE" "sip:${who%%:*}@127.0.0.1:${who#*:}" >>"$WORK/handoff.log" 2>&1
  for _ in $(seq 200); do [ "$(grep -c '"state":"Ended"' "$LOG")" -gt "$before" ] && break; sleep 0.1; done
done
# Bob calls and gives up after 4 s: a missed call.
peer bob 5858
timeout 20 "${PEER[@]}" --call sip:app@127.0.0.1:5856 --duration 4 >"$WORK/bob.log" 2>&1
# Messages from Carla and Alice (their answering phones stopped first: they free the ports).
send() { # NAME PORT TEXT
  peer "$1" "$2"
  timeout 10 "${PEER[@]}" --message sip:app@127.0.0.1:5856 "$3" >>"$WORK/messages.log" 2>&1
}
stop "$CARLA"
send carla 5859 "Are we still on for the design review at 3 pm?"
send carla 5859 "I'll bring the new mock-ups."
stop "$ALICE"
send alice 5857 "Thanks for the call! The slides are in your inbox."
sleep 1
echo "screenshots: seeded: $(grep -c '"event":"history"' "$LOG") calls in the history, $(grep -c '"event":"message' "$LOG") message events" >&2
stop "$APP"

# 2. The tabs, on the seeded profile.
shots_of_tabs() { # TAB:FILE...: one launch picturing each tab in turn (2 s apart)
  local args=() t=2 spec
  for spec in "$@"; do
    args+=(--screenshot-tab "${spec%%:*}:$t:${spec#*:}")
    t=$((t + 2))
  done
  LOG=$WORK/tabs.jsonl
  : >"$LOG"
  bg tabs "$VPHONE" "${APP_ARGS[@]}" --log "$LOG" "${args[@]}"
  local pid=$LAST
  for _ in $(seq $((t * 10 + 100))); do
    [ "$(grep -c '"event":"screenshot"' "$LOG")" -ge $# ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  stop "$pid"
  [ "$(grep -c '"event":"screenshot"' "$LOG")" -ge $# ]
}
rm -f "$OUT"/{main,contacts,history,chat,settings,video-call}.png
TABS=("calls:$OUT/main.png" "contacts:$OUT/contacts.png" "history:$OUT/history.png" "chats:$OUT/chat.png")
if ! shots_of_tabs "${TABS[@]}" "settings:$OUT/settings.png"; then
  if grep -q -- '--screenshot-tab settings' "$WORK/tabs.log"; then
    echo "screenshots: this vphone has no settings tab (--screenshot-tab settings refused): settings.png skipped" >&2
    shots_of_tabs "${TABS[@]}" || { echo "screenshots: the tab pictures failed (log: $WORK/tabs.log)" >&2; exit 1; }
  else
    echo "screenshots: the tab pictures failed:" >&2
    cat "$WORK/tabs.log" >&2
    exit 1
  fi
fi
cp "$LOG" "$WORK/tabs-ok.jsonl"

# 3. A video call to Carla, pictured 7 s after start.
peer carla 5859
bg carla2 "${PEER[@]}" --auto-answer --events
CARLA2=$LAST
sleep 0.5
LOG=$WORK/video.jsonl
bg video "$VPHONE" "${APP_ARGS[@]}" --log "$LOG" --screenshot-after 7 --screenshot "$OUT/video-call.png" \
  --hangup-after 9 --video sip:carla@127.0.0.1:5859
wait_for "$LOG" '"event":"screenshot"' 30
stop "$LAST"

# 4. The conference: three peers with their own RTP ranges (video calls take four ports each).
stop "$CARLA2"
rm -f "$OUT/conference.png"
conf_peer() { # NAME PORT RTP_RANGE TONE PATTERN
  bg "conf-$1" "$CLI" --listen "udp:127.0.0.1:$2" --account "sip:$1@127.0.0.1:$2" --no-register \
    --rtp-ports "$3" --audio-source "tone:$4" --video-source "testsrc:$5" --auto-answer --events
}
conf_peer alice 5857 16900-16919 523 640x360@30
conf_peer bob 5858 16920-16939 659 480x360@30
conf_peer carla 5859 16940-16959 784 320x240@30
sleep 0.5
LOG=$WORK/conference.jsonl
bg conference "$VPHONE" "${APP_ARGS[@]}" --rtp-ports 16960-16999 --log "$LOG" --window-size 1200x760 --video \
  --dial-after 1:sip:alice@127.0.0.1:5857 --dial-after 2:sip:bob@127.0.0.1:5858 \
  --dial-after 3:sip:carla@127.0.0.1:5859 --merge-after 8 --screenshot-after 15 --screenshot "$OUT/conference.png" \
  --leave-after 17
wait_for "$LOG" '"event":"screenshot"' 40
grep -o '"event":"conference","active":true,"members":[^]]*]' "$LOG" | tail -1 >&2
stop "$LAST"

python3 - "$WORK/tabs-ok.jsonl" "$WORK/video.jsonl" "$WORK/conference.jsonl" <<'PY'
import json, os, sys
for log in sys.argv[1:]:
    for l in open(log):
        e = json.loads(l)
        if e.get("event") == "screenshot":
            print("  %-40s %s %dx%d, %.0f %% non-background, %d kB" % (os.path.relpath(e["file"]), "saved" if e["saved"] else "NOT SAVED",
                  e["width"], e["height"], 100 * e["non_background"], os.path.getsize(e["file"]) // 1024 if e["saved"] else 0))
PY
