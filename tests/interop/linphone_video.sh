#!/usr/bin/env bash
# Two-way VP8 video between vphone-cli and linphonec (liblinphone 5.1, package linphone-cli) on
# 127.0.0.1: SIP 5590-5599, RTP 12400-12499. linphonec has a VP8 encoder and decoder (no H.264
# encoder), so VP8 only. linphonec runs with -V and a private HOME (it opens no SIP socket without
# a writable ~/.local/share/linphone), takes commands through a FIFO held open on fd 3 (EOF on
# stdin makes it spin), and shows what it decodes in an X11 window on a private Xvfb, which its
# `snapshot` command saves as a JPEG. With no camera it sends its built-in static image
# ("nowebcam", 572x468 here although size=vga, at the 1 fps it measures for that source); that image
# carries no barcode, so its frames are counted, not read. vphone-cli sends its moving test
# pattern at 640x360@30. Calls last about 7 s.
# Cases:
#  1. vphone-cli calls linphonec (-a auto-answer), plain RTP (vphone's default SRTP policy offers
#     SDES on RTP/AVP; linphonec with media_encryption=none answers without a=crypto);
#  2. linphonec calls vphone-cli (`call` command), plain RTP;
#  3. SDES-SRTP mandatory on both sides (linphonec media_encryption=srtp,
#     media_encryption_mandatory=1; vphone-cli --srtp mandatory), vphone-cli calling;
#  4. the same with linphonec calling.
# Asserted per case:
#  - vphone-cli decoded linphonec's VP8 at the size linphonec says it sends ("Setting sent
#    vsize=" in its log), at least 80 % of the frames linphonec's encoder rate (its last "VP8 Video
#    configuration set: ... fps=") gives over vphone's video media time, with keyframes, no decode
#    errors, a last decoded frame that is a picture (luma spread, not a flat frame), and SRTP
#    (SDES, no authentication failure) exactly in cases 3 and 4;
#  - linphonec decoded ours: its log says "MSVp8Dec: video is 640x360" and "First video frame
#    decoded successfully", its decoder FPS figure ("VP8 decoder: FPS:") is >= 24 (80 % of 30);
#    two snapshots taken 1 s apart are 640x360, not flat, and differ (our pattern moves): the
#    mean luminance per 8x8 block is decoded by linphone-video/jpeg_luma.py;
#  - cases 3 and 4: linphonec's log shows it matched our a=crypto and set SRTP keys on both
#    streams.
# usage: linphone_video.sh VPHONE_CLI VPHONE_VIDEO_CHECK
CLI=$(realpath "$1")
CHECK=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for p in linphonec Xvfb python3 ss; do
  command -v $p >/dev/null || { echo "$p missing: apt-get install linphone-cli xvfb python3 iproute2"; exit 1; }
done
export XDG_DATA_HOME=$WORK
SECONDS_OF_CALL=7
LIN_PORT=5590 VP_PORT=5592
LUMA="$HERE/linphone-video/jpeg_luma.py"

# a private X server for linphonec's video window (its snapshot command needs a display filter)
Xvfb -displayfd 4 -nolisten tcp -screen 0 1024x768x24 4>"$WORK/xdisplay" >"$WORK/xvfb.log" 2>&1 </dev/null &
PIDS+=($!)
wait_for "$WORK/xdisplay" "[0-9]" 10 || { echo "Xvfb did not start (logs in $WORK)"; exit 1; }
export DISPLAY=":$(cat "$WORK/xdisplay")"

# start_linphonec NAME MEDIA_ENCRYPTION MANDATORY ARGS...: linphonec with its own HOME and config,
# reading commands from $WORK/NAME.in (held open on fd 3); waits until its SIP socket is up.
start_linphonec() {
  local name=$1 enc=$2 mand=$3
  shift 3
  mkdir -p "$WORK/$name-home/.local/share/linphone"
  sed -e "s|@SIP_PORT@|$LIN_PORT|g" -e "s|@AUDIO_PORT@|12400|g" -e "s|@VIDEO_PORT@|12402|g" \
    -e "s|@MEDIA_ENCRYPTION@|$enc|g" -e "s|@MANDATORY@|$mand|g" "$HERE/linphone-video/linphonerc.in" \
    >"$WORK/$name.rc"
  mkfifo "$WORK/$name.in"
  HOME="$WORK/$name-home" linphonec -c "$WORK/$name.rc" -V -d 5 -l "$WORK/$name-debug.log" "$@" \
    <"$WORK/$name.in" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  LIN_PID=$!
  exec 3>"$WORK/$name.in"
  for _ in $(seq 100); do ss -lun | grep -q "127.0.0.1:$LIN_PORT " && break; sleep 0.1; done
  lc "soundcard use files" # no sound card here: silence instead of ALSA errors
}
# lc COMMAND: to linphonec's FIFO, only while it runs (a write with no reader would SIGPIPE us)
lc() { kill -0 "$LIN_PID" 2>/dev/null && echo "$*" >&3; }
stop_linphonec() { # quit, bounded wait, then cleanup's TERM/KILL if it is still there
  lc quit
  for _ in $(seq 50); do kill -0 "$LIN_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$LIN_PID" 2>/dev/null
  exec 3>&-
}
# snapshots NAME: once linphonec decodes our video, two snapshots 1 s apart
snapshots() {
  wait_for "$WORK/$1-debug.log" "First video frame decoded" 10
  sleep 1.5
  lc "snapshot $WORK/$1-snap1.jpg"
  sleep 1
  lc "snapshot $WORK/$1-snap2.jpg"
  wait_for "$WORK/$1.log" "snap2.jpg" 5
}

# vphone_ok NAME LIN SRTP(none|sdes): what vphone-cli (log/json/y4m NAME) decoded from linphonec LIN
vphone_ok() {
  local report
  report=$("$CHECK" "$WORK/$1.y4m") || { echo "       $report"; return 1; }
  python3 - "$WORK/$1.json" "$WORK/$1.log" "$WORK/$2-debug.log" "$3" "$report" <<'PY'
import datetime, json, re, sys
path, events, linlog, srtp, report = sys.argv[1:]
r = json.loads(report)
v = [s for s in json.load(open(path))["calls"][0]["streams"] if s["type"] == "video"][0]
log = open(linlog, errors="replace").read()
sent = re.findall(r"Setting sent vsize=(\d+)x(\d+)", log)
conf = re.findall(r"VP8 Video configuration set: bitrate=\d+bits/s, fps=([0-9.]+), vsize=(\d+)x(\d+)", log)
lw, lh = map(int, sent[-1]) if sent else (0, 0)
lfps = float(conf[-1][0]) if conf else 0.0
ts = lambda l: datetime.datetime.fromisoformat(json.loads(l)["ts"].replace("Z", "+00:00"))
lines = open(events).read().splitlines()
start = [ts(l) for l in lines if '"kind":"started"' in l and '"stream":"video"' in l]
end = [ts(l) for l in lines if '"state":"terminated"' in l]
media_s = (end[0] - start[0]).total_seconds() if start and end else 0.0
expected = lfps * media_s
# luma spread of the last decoded frame: linphonec's static picture, not a flat (e.g. green) frame
with open(r["file"], "rb") as f:
    f.readline()
    y, chroma, sd = None, 2 * ((r["width"] + 1) // 2) * ((r["height"] + 1) // 2), 0.0
    while f.readline():
        y = f.read(r["width"] * r["height"])
        f.read(chroma)
    if y:
        s = y[::7]
        m = sum(s) / len(s)
        sd = (sum((x - m) ** 2 for x in s) / len(s)) ** 0.5
print("       linphonec sends %dx%d at %.1f fps; vphone decoded %d frames %dx%d in %.1f s of video "
      "(expected %.1f, need %.1f), stats: %s %dx%d, %d frames, %.1f fps, keyframes %d, PLI %d, "
      "NACK %d, decode errors %d, srtp %s, auth failures %d; last frame luma stddev %.1f" % (
          lw, lh, lfps, r["frames"], r["width"], r["height"], media_s, expected, 0.8 * expected,
          v["codec"], v["width"], v["height"], v["frames_decoded"], v["fps_received"], v["keyframes"],
          v["pli"], v["nack"], v["decode_errors"], v["srtp"], v["srtp_auth_failures"], sd))
ok = (sd > 20 and v["codec"] == "vp8" and lw > 0 and lfps > 0 and (r["width"], r["height"]) == (lw, lh)
      and (v["width"], v["height"]) == (lw, lh) and media_s > 3
      and r["frames"] >= 0.8 * expected and v["keyframes"] >= 1 and v["decode_errors"] == 0
      and v["srtp_auth_failures"] == 0
      and (v["srtp"] is None if srtp == "none" else (v["srtp"] or {}).get("keying") == srtp))
sys.exit(0 if ok else 1)
PY
}
# linphonec_ok LIN: what linphonec decoded from us (its debug log and its two snapshots)
linphonec_ok() {
  local log="$WORK/$1-debug.log" size fps luma
  size=$(grep -o 'MSVp8Dec: video is [0-9]*x[0-9]*' "$log" | tail -1 | awk '{print $4}')
  fps=$(grep -o 'VP8 decoder: FPS: [0-9.]*' "$log" | awk '{print $4}' | tr '\n' ' ')
  luma=$(python3 "$LUMA" "$WORK/$1-snap1.jpg" "$WORK/$1-snap2.jpg" 2>&1)
  echo "       linphonec: decoder says ${size:-nothing}, decoder FPS ${fps:-none}; snapshots (luma per 8x8 block): $luma"
  [ "$size" = 640x360 ] && grep -q "First video frame decoded successfully" "$log" &&
    python3 - "$fps" "$luma" <<'PY'
import json, sys
fps = [float(x) for x in sys.argv[1].split()]
l = json.loads(sys.argv[2])
ok = (fps and max(fps) >= 24
      and all(l.get(k, {}).get("width") == 640 and l.get(k, {}).get("height") == 360
              and l.get(k, {}).get("stddev", 0) > 20 for k in "ab")
      and l.get("diff", 0) > 5)
sys.exit(0 if ok else 1)
PY
}
# linphonec_srtp LIN: linphonec took our SDES offer/answer and keyed both streams
linphonec_srtp() {
  local log="$WORK/$1-debug.log" n_tx n_rx suite
  n_tx=$(grep -c 'media_stream_set_srtp_send_key' "$log")
  n_rx=$(grep -c 'media_stream_set_srtp_recv_key' "$log")
  suite=$(grep -o 'Found crypto algorithm matching tag [0-9]*' "$log" | head -1)
  echo "       linphonec: ${suite:-no matching crypto}, SRTP send keys set $n_tx, receive keys set $n_rx"
  [ -n "$suite" ] && [ "$n_tx" -ge 2 ] && [ "$n_rx" -ge 2 ]
}

# loopback_only NAME: every c= line vphone-cli sent or received is 127.0.0.1, and so is the address
# it sends video to (liblinphone 5.1 offers its default route's address unless [rtp] bind_address)
loopback_only() {
  local cs remote
  cs=$(grep '^c=' "$WORK/$1.trace" | tr -d '\r' | sort -u | tr '\n' ' ')
  remote=$(grep -o '"remote":"[^"]*","stream":"video"' "$WORK/$1.log" | head -1 | cut -d'"' -f4)
  echo "       SDP connection lines: ${cs:-none}; vphone sends video to ${remote:-nothing}"
  [ "$cs" = "c=IN IP4 127.0.0.1 " ] && [[ "$remote" == 127.0.0.1:* ]]
}

# case_out CASE MEDIA_ENCRYPTION MANDATORY SRTP_FLAG: vphone-cli (alice) calls linphonec (lin)
case_out() {
  local c=$1 enc=$2 mand=$3 srtp=$4 keying=none
  [ "$srtp" = mandatory ] && keying=sdes
  echo "== $c: vphone-cli calls linphonec, VP8, linphonec media_encryption=$enc, vphone --srtp $srtp"
  start_linphonec "lin$c" "$enc" "$mand" -a
  "$CLI" --listen udp:127.0.0.1:$VP_PORT --call sip:lin@127.0.0.1:$LIN_PORT --hangup-after $SECONDS_OF_CALL \
    --events --rtp-ports 12450-12499 --srtp "$srtp" --video-source testsrc:640x360@30 --video-codecs vp8 \
    --video-sink "file:$WORK/a$c.y4m" --stats-json "$WORK/a$c.json" --trace "$WORK/a$c.trace" \
    >"$WORK/a$c.log" 2>&1 </dev/null &
  local vp=$!
  PIDS+=($vp)
  snapshots "lin$c"
  local rc=124
  for _ in $(seq 300); do kill -0 $vp 2>/dev/null || break; sleep 0.1; done
  kill -0 $vp 2>/dev/null || { wait $vp; rc=$?; }
  check "the call succeeds (exit 0)" test $rc -eq 0
  stop_linphonec
  check "SDP and media on 127.0.0.1 only" loopback_only "a$c"
  check "vphone-cli decoded linphonec's VP8 at its size, >= 80 % of its frames ($keying)" \
    vphone_ok "a$c" "lin$c" "$keying"
  check "linphonec decoded vphone-cli's VP8 at 640x360, >= 24 fps, moving pattern in its snapshots" \
    linphonec_ok "lin$c"
  [ "$keying" = sdes ] && check "linphonec used SDES-SRTP on both streams" linphonec_srtp "lin$c"
}
# case_in CASE MEDIA_ENCRYPTION MANDATORY SRTP_FLAG: linphonec (lin) calls vphone-cli (bob)
case_in() {
  local c=$1 enc=$2 mand=$3 srtp=$4 keying=none
  [ "$srtp" = mandatory ] && keying=sdes
  echo "== $c: linphonec calls vphone-cli, VP8, linphonec media_encryption=$enc, vphone --srtp $srtp"
  start "b$c" "$CLI" --listen udp:127.0.0.1:$VP_PORT --auto-answer --hangup-after $SECONDS_OF_CALL --duration 30 \
    --events --rtp-ports 12450-12499 --srtp "$srtp" --video-source testsrc:640x360@30 --video-codecs vp8 \
    --video-sink "file:$WORK/b$c.y4m" --stats-json "$WORK/b$c.json" --trace "$WORK/b$c.trace"
  wait_for "$WORK/b$c.log" "" 1
  sleep 0.3
  start_linphonec "lin$c" "$enc" "$mand"
  lc "call sip:bob@127.0.0.1:$VP_PORT"
  snapshots "lin$c"
  wait_for "$WORK/b$c.log" '"state":"terminated"' 15
  check "the call was answered and ended" grep -q '"state":"terminated"' "$WORK/b$c.log"
  local pid_var="PID_b$c"
  kill "${!pid_var}" 2>/dev/null
  for _ in $(seq 50); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  stop_linphonec
  check "SDP and media on 127.0.0.1 only" loopback_only "b$c"
  check "vphone-cli decoded linphonec's VP8 at its size, >= 80 % of its frames ($keying)" \
    vphone_ok "b$c" "lin$c" "$keying"
  check "linphonec decoded vphone-cli's VP8 at 640x360, >= 24 fps, moving pattern in its snapshots" \
    linphonec_ok "lin$c"
  [ "$keying" = sdes ] && check "linphonec used SDES-SRTP on both streams" linphonec_srtp "lin$c"
}

case_out 1 none 0 optional
case_in 2 none 0 optional
case_out 3 srtp 1 mandatory
case_in 4 srtp 1 mandatory
finish
