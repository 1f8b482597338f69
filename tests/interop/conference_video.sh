#!/usr/bin/env bash
# A three-party video conference hosted by vphone-cli --conference (RFC 4579 §5), on 127.0.0.1:
# SIP 6120-6122 and baresip's console 6131, RTP 14900-14979. The host sends its test pattern (testsrc:320x180@15) into the
# composite and records the whole grid; far end A is a vphone-cli sending its test pattern and
# recording what it decodes; far end B is baresip 1.0 (nobody here wrote it) sending a solid
# red picture from a Y4M file (avformat) and taking a snapshot of what it decodes. Everyone gets
# one composite (2x2 grid, joining order: host, A, B; the fourth cell dark). Asserted by pixel
# classes of the middle of each cell (conference/cells.py):
#  - A's decoded frame at the moment of B's snapshot: host pattern, A's own, B's red, dark;
#  - B's snapshot (taken 3 s into its call): the same grid;
#  - the host's own grid: the same as A's.
# usage: conference_video.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for p in baresip python3; do
  command -v $p >/dev/null || { echo "$p missing: scripts/install-deps.sh --peers"; exit 1; }
done
[ -f /usr/lib/baresip/modules/avcodec.so ] || { echo "baresip-ffmpeg missing: scripts/install-deps.sh --peers"; exit 1; }
export XDG_DATA_HOME=$WORK
CELLS="$HERE/conference/cells.py"
wait_pid() { # NAME SECONDS: waits for the process to end; its exit status
  local pid_var="PID_$1"
  for _ in $(seq $(($2 * 10))); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}"
}
cells() { # FILE EXPECT [FRAME]: the 2x2 grid's cells as expected (in that frame, or the last)
  local out rc
  out=$(python3 "$CELLS" "$1" 2x2 "$2" ${3:+--frame $3} 2>&1)
  rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}

# B's picture: 320x180 solid red (Y 81, U 90, V 240), 15 s at 15 fps.
python3 -c "
import sys
w, h, n = 320, 180, 225
f = open(sys.argv[1], 'wb')
f.write(b'YUV4MPEG2 W%d H%d F15:1 Ip A1:1 C420jpeg\n' % (w, h))
frame = b'FRAME\n' + bytes([81]) * (w * h) + bytes([90]) * (w * h // 4) + bytes([240]) * (w * h // 4)
for _ in range(n): f.write(frame)
" "$WORK/red.y4m" || { echo "cannot write the red picture"; exit 1; }
mkdir -p "$WORK/bob"
sed -e "s|@PORT@|6122|g" -e "s|@RTP_PORTS@|14960-14979|g" -e "s|@NAME@|bob|g" -e "s|@PATTERN@|$WORK/red.y4m|g" \
  -e "s|^video_size.*|video_size		320x180|" -e "s|^video_fps.*|video_fps		15|" \
  -e "s|^video_bitrate.*|video_bitrate		300000|" "$HERE/baresip-video/config" >"$WORK/bob/config"
printf 'module\t\t\tcons.so\ncons_listen\t\t127.0.0.1:6131\n' >>"$WORK/bob/config"
echo "<sip:bob@127.0.0.1:6122>;regint=0" >"$WORK/bob/accounts"

start host "$CLI" --listen udp:127.0.0.1:6120 --conference --duration 30 --audio-source tone:440 \
  --audio-sink null --video-source testsrc:320x180@15 --video-sink "file:$WORK/host.y4m" \
  --rtp-ports 14900-14939
sleep 0.5
start alice "$CLI" --listen udp:127.0.0.1:6121 --call sip:conf@127.0.0.1:6120 --hangup-after 12 \
  --audio-source tone:700 --video-source testsrc:320x180@15 --video-sink "file:$WORK/alice.y4m" \
  --rtp-ports 14940-14959
wait_for "$WORK/host.log" "conference joined sip:vphone@127.0.0.1:6121" 10
check "A joined the conference" grep -q "conference joined sip:vphone@127.0.0.1:6121" "$WORK/host.log"
start bob baresip -4 -f "$WORK/bob" -t 8 -e "/dial sip:conf@127.0.0.1:6120"
wait_for "$WORK/host.log" "conference joined sip:bob@127.0.0.1:6122" 10
check "B (baresip) joined the conference" grep -q "conference joined sip:bob@127.0.0.1:6122" "$WORK/host.log"
sleep 3
frames() { # Y4M: whole frames written so far (320x180 4:2:0 + FRAME line), minus one
  echo $(( ($(stat -c %s "$1") - $(head -c 100 "$1" | head -1 | wc -c)) / (320 * 180 * 3 / 2 + 6) - 1 ))
}
alice_frame=$(frames "$WORK/alice.y4m")
host_frame=$(frames "$WORK/host.y4m")
python3 -c "import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
  ('/snapshot_recv %s\n' % sys.argv[1]).encode(), ('127.0.0.1', 6131))" "$WORK/bob-recv.png"
wait_pid alice 15
check "A's call ran to its hang-up (exit 0)" test $? -eq 0
check "A decodes the composite: host pattern, itself, B's red, a dark cell" \
  cells "$WORK/alice.y4m" pattern,pattern,red,dark "$alice_frame"
for _ in $(seq 30); do [ -s "$WORK/bob-recv.png" ] && break; sleep 0.1; done
check "B (baresip) decodes the composite: the host's and A's patterns, its red, a dark cell" \
  cells "$WORK/bob-recv.png" pattern,pattern,red,dark
kill "$PID_host" 2>/dev/null
for _ in $(seq 50); do kill -0 "$PID_host" 2>/dev/null || break; sleep 0.1; done
check "the host's grid: its pattern, A's, B's red, a dark cell" cells "$WORK/host.y4m" pattern,pattern,red,dark "$host_frame"
finish
