#!/usr/bin/env bash
# Screen sharing between two vphone-cli instances on 127.0.0.1 (SIP 5560-5569, RTP 12000-12099)
# under a private Xvfb (640x480x24 on a free display :91..:99, stopped by its PID). The root
# window is painted red (-noreset: it stays red after the painter disconnects); the caller shares the screen (--video-source screen:DISPLAY@10, VP8),
# the callee writes what it decodes to a Y4M file: 640x480 frames whose mean colour is the red.
# usage: screen_share.sh VPHONE_CLI VPHONE_SCREEN_PAINT
CLI=$(realpath "$1")
PAINT=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export XDG_DATA_HOME=$WORK

if ! command -v Xvfb >/dev/null; then
  echo "screen_share.sh: Xvfb is not installed (apt-get install xvfb)" >&2
  exit 1
fi
DISP=""
for n in $(seq 91 99); do
  [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
  start xvfb Xvfb ":$n" -screen 0 640x480x24 -nolisten tcp -noreset
  for _ in $(seq 50); do
    "$PAINT" ":$n" ff0000 2>/dev/null && { DISP=":$n"; break; }
    kill -0 "$PID_xvfb" 2>/dev/null || break # lost the race for :n
    sleep 0.1
  done
  [ -n "$DISP" ] && break
done
if [ -z "$DISP" ]; then
  echo "screen_share.sh: no Xvfb could be started on :91..:99" >&2
  exit 1
fi
echo "== the caller shares the red screen of Xvfb $DISP (VP8, 10 fps) for 4 s"
export DISPLAY=$DISP

start bob "$CLI" --listen udp:127.0.0.1:5560 --auto-answer --events --duration 20 --rtp-ports 12000-12049 \
  --video-source testsrc:320x240@10 --video-sink "file:$WORK/bob.y4m" --video-codecs vp8 \
  --stats-json "$WORK/bob.json"
wait_for "$WORK/bob.log" "" 1
sleep 0.3
timeout 40 "$CLI" --listen udp:127.0.0.1:5562 --call sip:bob@127.0.0.1:5560 --hangup-after 4 --events \
  --rtp-ports 12050-12099 --video-source "screen:$DISP@10" --video-codecs vp8 \
  --stats-json "$WORK/alice.json" >"$WORK/alice.log" 2>&1
check "the call succeeds (exit 0)" test $? -eq 0
kill "$PID_bob" 2>/dev/null
for _ in $(seq 50); do kill -0 "$PID_bob" 2>/dev/null || break; sleep 0.1; done
check "alice started video with vp8" \
  grep -q '"codec":"vp8","event":"media","kind":"started".*"stream":"video"' "$WORK/alice.log"

# The Y4M's size, frame count and mean Y/U/V of its frames (a PNG of the middle frame for a human).
y4m_report() {
  python3 - "$WORK/bob.y4m" "$WORK/bob-frame.ppm" <<'PY'
import sys
path, ppm = sys.argv[1:]
data = open(path, "rb").read()
head, _, rest = data.partition(b"\n")
tok = {t[:1]: t[1:] for t in head.split()[1:]}
w, h = int(tok[b"W"]), int(tok[b"H"])
cw, ch = (w + 1) // 2, (h + 1) // 2
size = w * h + 2 * cw * ch
frames = []
while rest.startswith(b"FRAME"):
    _, _, rest = rest.partition(b"\n")
    frames.append(rest[:size])
    rest = rest[size:]
frames = [f for f in frames if len(f) == size]
if not frames:
    print("%dx%d 0 0 0 0" % (w, h)); sys.exit(0)
mean = lambda b: sum(b) / len(b)
last = frames[-1]
y, u, v = last[:w * h], last[w * h:w * h + cw * ch], last[w * h + cw * ch:]
print("%dx%d %d %.1f %.1f %.1f" % (w, h, len(frames), mean(y), mean(u), mean(v)))
mid = frames[len(frames) // 2]
out = bytearray()
for r in range(h):
    for c in range(w):
        Y = mid[r * w + c] - 16
        U = mid[w * h + (r // 2) * cw + c // 2] - 128
        V = mid[w * h + cw * ch + (r // 2) * cw + c // 2] - 128
        for val in (1.164 * Y + 1.596 * V, 1.164 * Y - 0.392 * U - 0.813 * V, 1.164 * Y + 2.017 * U):
            out.append(max(0, min(255, int(val + 0.5))))
open(ppm, "wb").write(b"P6 %d %d 255\n" % (w, h) + bytes(out))
PY
}
read -r size frames my mu mv <<<"$(y4m_report)"
echo "       bob decoded ${frames:-0} frames of ${size:-?}, the last one's mean Y/U/V ${my:-?}/${mu:-?}/${mv:-?}" \
  "(red: 82/90/240; middle frame in $WORK/bob-frame.ppm)"
check "bob's frames are the screen's size, 640x480" test "${size:-}" = 640x480
check "bob decoded >= 20 frames (4 s at 10 fps)" test "${frames:-0}" -ge 20
check "they show the red screen (mean Y/U/V within 8 of 82/90/240)" python3 -c "
import sys
y, u, v = $my, $mu, $mv
sys.exit(0 if abs(y - 82) <= 8 and abs(u - 90) <= 8 and abs(v - 240) <= 8 else 1)"
finish
