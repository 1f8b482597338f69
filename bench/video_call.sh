#!/usr/bin/env bash
# CPU of a two-way video call, vphone-cli pair next to a baresip pair, in the same run.
# For each size (640x360@30 at 800 kbit/s, 1280x720@30 at 2000 kbit/s) and codec (H.264, VP8):
#  - two vphone-cli processes call each other on 127.0.0.1 (SIP 5570/5572, RTP 12100-12199), both
#    sending their test pattern (--video-source testsrc:WxH@30) at that --video-bitrate, null video
#    and audio sinks, silence as audio (Opus), SDES-SRTP (the default policy offers it);
#  - two baresip 1.0.0 instances do the same (SIP 5580/5582, RTP 12200-12299; config in
#    baresip_video/): FFmpeg (avformat) plays the same pattern from a Y4M file written by
#    vphone-video-check at that size, so both stacks encode the same pictures; video_bitrate in
#    bit/s, fakevideo display, Opus sine as audio, SDES-SRTP (mediaenc=srtp).
# Each process's CPU time (utime + stime of /proc/PID/stat, all threads) is read over a window of
# SECONDS that starts 4 s after the video started (baresip: after the call is established), and shown as % of one core per side and the sum;
# per thread name too (/proc/PID/task/*/stat) to show where it goes. Frame rates prove the calls ran
# in real time: vphone's from --stats-json (fps over the last second, and frames/duration), baresip's
# effective rates (efps tx/rx) from its status line. Last column: vphone total / baresip total.
# Benchmark, not a test: it prints figures. Use a release build. The machine's load average is
# printed with each run: other work on the machine steals CPU and can cost frames, not CPU time.
# usage: bench/video_call.sh BUILD_DIR [SECONDS, default 20] [CODECS, default "h264 vp8"]
# VIDEO_CALL_SPECS (default "640x360:800 1280x720:2000"): the sizes and bitrate caps to run.
set -uo pipefail
BUILD=${1:?usage: video_call.sh BUILD_DIR [SECONDS] [CODECS]}
SECS=${2:-20}
CODECS=${3:-h264 vp8}
CLI=$BUILD/ui/cli/vphone-cli
CHECK=$BUILD/media/video/vphone-video-check
HERE=$(cd "$(dirname "$0")" && pwd)
for f in "$CLI" "$CHECK"; do [ -x "$f" ] || { echo "video_call: $f not built" >&2; exit 2; }; done
command -v baresip >/dev/null || { echo "video_call: baresip missing (apt-get install baresip-core baresip-ffmpeg)" >&2; exit 2; }
[ -f /usr/lib/baresip/modules/avformat.so ] || { echo "video_call: baresip-ffmpeg missing" >&2; exit 2; }
command -v python3 >/dev/null || { echo "video_call: python3 missing" >&2; exit 2; }
WORK=$(mktemp -d -t vphone-vcall.XXXXXX) # KEEP=1 keeps it (logs, stats) for inspection
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  if [ "${KEEP:-0}" = 1 ]; then echo "video_call: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export XDG_DATA_HOME=$WORK
TICK=$(getconf CLK_TCK)
SKIP=4 # seconds between the call's start (vphone: video started; baresip: call established) and the window

cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # ticks of user + system time
threads() {                                                               # PID > "tid ticks name" per thread
  local t
  for t in /proc/"$1"/task/*; do
    echo "${t##*/} $(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}') $(cat "$t/comm" 2>/dev/null)"
  done
}
# thread_share BEFORE AFTER SECONDS: "name/tid x.x%" per thread, the busiest six (threads alive at the end)
thread_share() {
  awk -v hz="$TICK" -v w="$3" 'NR == FNR { t[$1] = $2; next }
    { n = $3; for (i = 4; i <= NF; ++i) n = n "_" $i; n = n "/" $1; s[n] += $2 - ($1 in t ? t[$1] : 0) }
    END { for (n in s) if (s[n] > 0) printf "%.1f %s\n", 100 * s[n] / hz / w, n }' "$1" "$2" |
    sort -rn | head -6 | awk '{ printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1 }'
}
wait_for() { # FILE REGEX SECONDS
  for _ in $(seq $(($3 * 10))); do grep -q -E "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
stop() { # PID: SIGTERM, bounded wait, then SIGKILL
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
# measure NAME CALLER_PID CALLEE_PID: CPU over SECS from now, into $WORK/NAME.cpu ("caller% callee%")
measure() {
  local a0 b0 a1 b1 t0 t1
  threads "$2" >"$WORK/$1.ta0"
  threads "$3" >"$WORK/$1.tb0"
  a0=$(cpu "$2") b0=$(cpu "$3") t0=$(date +%s.%N)
  sleep "$SECS"
  a1=$(cpu "$2") b1=$(cpu "$3") t1=$(date +%s.%N)
  threads "$2" >"$WORK/$1.ta1"
  threads "$3" >"$WORK/$1.tb1"
  awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v t0="$t0" -v t1="$t1" -v hz="$TICK" \
    'BEGIN { w = t1 - t0; printf "%.1f %.1f %.3f\n", 100 * a / hz / w, 100 * b / hz / w, w }' >"$WORK/$1.cpu"
  local w
  w=$(awk '{print $3}' "$WORK/$1.cpu")
  echo "    threads caller: $(thread_share "$WORK/$1.ta0" "$WORK/$1.ta1" "$w")" >"$WORK/$1.threads"
  echo "    threads callee: $(thread_share "$WORK/$1.tb0" "$WORK/$1.tb1" "$w")" >>"$WORK/$1.threads"
}

# vphone CODEC W H KBPS: prints "caller% callee% fps..." for a vphone-cli pair
vphone() {
  local codec=$1 size=$2x$3 kbps=$4 n=v-$1-$2 callee caller
  local common=(--events --video-source "testsrc:$size@30" --video-sink null --video-codecs "$codec"
    --video-bitrate "$kbps" --max-resolution "$size" --audio-source silence --audio-sink null)
  "$CLI" --listen udp:127.0.0.1:5570 --auto-answer --duration $((SECS + 40)) --rtp-ports 12100-12149 \
    "${common[@]}" --stats-json "$WORK/$n-callee.json" >"$WORK/$n-callee.log" 2>&1 &
  callee=$!
  PIDS+=("$callee")
  sleep 0.5
  "$CLI" --listen udp:127.0.0.1:5572 --call sip:bob@127.0.0.1:5570 --hangup-after $((SECS + SKIP + 10)) \
    --rtp-ports 12150-12199 "${common[@]}" --stats-json "$WORK/$n-caller.json" >"$WORK/$n-caller.log" 2>&1 &
  caller=$!
  PIDS+=("$caller")
  if ! wait_for "$WORK/$n-caller.log" '"kind":"started".*"stream":"video"' 10; then
    echo "vphone $codec $size: video did not start (logs: $WORK/$n-*.log)" >&2
    stop "$caller"
    stop "$callee"
    return 1
  fi
  sleep "$SKIP" # past set-up and the first keyframes
  measure "$n" "$caller" "$callee"
  # A starved machine can stretch the window past the call's end: the figures then undercount.
  grep -q '"state":"terminated"' "$WORK/$n-caller.log" && echo "    (the call ended inside the window: CPU undercounted)" >>"$WORK/$n.threads"
  for _ in $(seq 200); do kill -0 "$caller" 2>/dev/null || break; sleep 0.1; done # it hangs up itself
  stop "$caller"
  for _ in $(seq 50); do [ -s "$WORK/$n-callee.json" ] && break; sleep 0.1; done
  stop "$callee"
  PIDS=()
  python3 - "$WORK/$n-caller.json" "$WORK/$n-callee.json" <<'PY' >"$WORK/$n.fps"
import json, sys
out = []
for path in sys.argv[1:]:
    try:
        call = json.load(open(path))["calls"][0]
        v = [s for s in call["streams"] if s["type"] == "video"][0]
        d = call["duration_s"] or 1
        out.append("%.0f/%.0f (%.1f/%.1f) %4.0f kb/s" % (v["fps_sent"], v["fps_received"], v["frames_encoded"] / d,
                                                     v["frames_decoded"] / d, v["bitrate_kbps"]))
    except Exception as e:  # no stats: say so in the table
        out.append("no stats (%s)" % type(e).__name__)
print(" | ".join(out))
PY
}

baresip_dir() { # NAME PORT RTP_PORTS ACCOUNT_LINE SIZE BITRATE PATTERN
  mkdir -p "$WORK/$1"
  sed -e "s|@PORT@|$2|g" -e "s|@RTP_PORTS@|$3|g" -e "s|@NAME@|$1|g" -e "s|@PATTERN@|$7|g" -e "s|@SIZE@|$5|g" \
    -e "s|@BITRATE@|$6|g" "$HERE/baresip_video/config" >"$WORK/$1/config"
  echo "$4" >"$WORK/$1/accounts"
}
efps() { sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -o 'efps=[0-9.]*/[0-9.]*' | tail -1 | cut -d= -f2; }
# video kbit/s sent over the call, from the statistics baresip prints when the call ends
bkbps() { sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '/^video +Transmit:/ { v = 1 } v && /avg. bitrate/ { print $3; exit }'; }

# baresip CODEC W H KBPS PATTERN: the same for a baresip pair
baresip_pair() {
  local codec=$1 size=$2x$3 kbps=$4 pattern=$5 n=b-$1-$2 bcodec callee caller
  [ "$codec" = h264 ] && bcodec=H264 || bcodec=VP8
  baresip_dir "$n-callee" 5580 12200-12249 \
    "<sip:bob@127.0.0.1:5580>;regint=0;answermode=auto;mediaenc=srtp;video_codecs=$bcodec" \
    "$size" $((kbps * 1000)) "$pattern"
  baresip_dir "$n-caller" 5582 12250-12299 "<sip:carol@127.0.0.1:5582>;regint=0;mediaenc=srtp;video_codecs=$bcodec" \
    "$size" $((kbps * 1000)) "$pattern"
  baresip -4 -f "$WORK/$n-callee" -t $((SECS + 30)) </dev/null >"$WORK/$n-callee.log" 2>&1 &
  callee=$!
  PIDS+=("$callee")
  wait_for "$WORK/$n-callee.log" "baresip is ready" 10
  baresip -4 -f "$WORK/$n-caller" -t $((SECS + 25)) -e "/dial sip:bob@127.0.0.1:5580" \
    </dev/null >"$WORK/$n-caller.log" 2>&1 &
  caller=$!
  PIDS+=("$caller")
  if ! wait_for "$WORK/$n-caller.log" "[Ee]stablished" 10; then
    echo "baresip $codec $size: call not established (logs: $WORK/$n-*.log)" >&2
    stop "$caller"
    stop "$callee"
    return 1
  fi
  sleep "$SKIP"
  measure "$n" "$caller" "$callee"
  stop "$caller"
  stop "$callee"
  PIDS=()
  echo "efps tx/rx $(efps "$WORK/$n-caller.log") $(bkbps "$WORK/$n-caller.log") kb/s | $(efps "$WORK/$n-callee.log")" \
    "$(bkbps "$WORK/$n-callee.log") kb/s" >"$WORK/$n.fps"
}

row() { # STACK CODEC SIZE NAME
  local c
  c=$(cat "$WORK/$4.cpu" 2>/dev/null) || c="- - -"
  read -r ca cb _ <<<"$c"
  printf '%-8s %-5s %-9s %8s %8s %8s  %s\n' "$1" "$2" "$3" "$ca" "$cb" \
    "$(awk -v a="$ca" -v b="$cb" 'BEGIN { if (a == "-") print "-"; else printf "%.1f", a + b }')" \
    "$(cat "$WORK/$4.fps" 2>/dev/null)"
  cat "$WORK/$4.threads" 2>/dev/null
}

echo "machine: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $SECS s per run"
echo "vphone fps: sent/received over the last second (sent/received frames per second of call) and kbit/s sent, caller | callee"
echo "baresip fps: efps tx/rx of its last status line and video kbit/s sent over the call, caller | callee"
printf '%-8s %-5s %-9s %8s %8s %8s  %s\n' stack codec size "caller%" "callee%" "total%" "fps"
for spec in ${VIDEO_CALL_SPECS:-640x360:800 1280x720:2000}; do
  size=${spec%%:*} kbps=${spec#*:}
  w=${size%x*} h=${size#*x}
  pattern=$WORK/pattern-$size.y4m
  "$CHECK" --write-pattern "$pattern" "$size@30" $((SECS + 15)) >/dev/null ||
    { echo "video_call: cannot write the pattern" >&2; exit 1; }
  for codec in $CODECS; do
    echo "-- $codec $size@30 $kbps kbit/s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    vphone "$codec" "$w" "$h" "$kbps"
    row vphone "$codec" "$size" "v-$codec-$w"
    baresip_pair "$codec" "$w" "$h" "$kbps" "$pattern"
    row baresip "$codec" "$size" "b-$codec-$w"
    awk -v v="$(cut -d' ' -f1-2 "$WORK/v-$codec-$w.cpu" 2>/dev/null)" \
      -v b="$(cut -d' ' -f1-2 "$WORK/b-$codec-$w.cpu" 2>/dev/null)" 'BEGIN {
        split(v, x, " "); split(b, y, " ")
        if (y[1] + y[2] > 0 && x[1] != "") printf "ratio vphone/baresip (total CPU): %.2f\n", (x[1] + x[2]) / (y[1] + y[2]) }'
  done
  rm -f "$pattern"
done
