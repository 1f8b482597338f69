#!/usr/bin/env bash
# Start time and memory of the desktop app, vphone next to Linphone (Debian's linphone-desktop
# 4.4, Qt 5), measured the same way in the same run, RUNS times each (default 5), interleaved:
#  - start: from exec to the first mapped top-level window whose _NET_WM_PID is the process, seen
#    as the X server's MapNotify event by bench/window_wait.py, which listens before it starts the
#    app. (Until 2026-11-29 this polled `xdotool search --onlyvisible --pid` every 10 ms; each
#    poll opened a new X connection, 15-80 ms apiece on Xvfb, so the map was seen late and the
#    polling took CPU from the app being timed: that way vphone measured about 0.45 s where the
#    event says 0.2 s, and Linphone about 2.0 s.)
#  - CPU to window: the utime + stime the process has used when that window shows (the start's
#    own cost, which other work on the machine stretches far less than the wall time);
#  - idle RSS: VmRSS summed over the process and its descendants (/proc), 5 s after that window;
#  - RSS in a video call: the app calls a local `vphone-cli --auto-answer` peer (test pattern
#    640x360@30, 440 Hz tone) at launch, sampled every second for 15 s from the answer; the peak is
#    shown. vphone: its URI argument with --video. linphone: `linphone --call URI` places an
#    audio-only call (linphone-desktop 4.4's launchAudioCall, whatever the video settings), and a
#    video re-INVITE waits for a click in a dialog; so the peer calls linphone instead, which
#    answers with video by itself ([ui] auto_answer, auto_answer_with_video) and sends its
#    StaticImage picture (there is no camera). The peer hangs up after 16 s and writes per-call
#    stats: the frames it decoded from each app prove the calls carried video.
# Both run under one private Xvfb (display :63-:65, 1280x800x24, llvmpipe GL) with one private
# D-Bus session bus (linphone exits at once without one), a private profile/HOME each, no sound
# server, and one warm-up launch each that is not counted (profile creation, page cache).
# Loopback only: SIP 127.0.0.1:5851 (vphone's peer), 5854 (linphone's caller), 5852 (linphone),
# 5853 (vphone); RTP 13010-13013 (linphone), 13014-13019 and 13020-13023 (the peers), 13024-13029
# (vphone).
# Benchmark, not a test: it prints a table. Use a release build. The load average is printed:
# other work on the machine slows both apps' start.
# usage: bench/app_start.sh [BUILD_DIR, default build/release]   (RUNS=N, KEEP=1 keeps the logs,
#        APPS="vphone" measures only vphone, CALLS=0 skips the video calls)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(realpath "${1:-$HERE/../build/release}")
RUNS=${RUNS:-5}
APPS=${APPS:-vphone linphone}
CALLS=${CALLS:-1}
VPHONE=$BUILD/ui/app/vphone
CLI=$BUILD/ui/cli/vphone-cli
for f in "$VPHONE" "$CLI"; do [ -x "$f" ] || { echo "app_start: $f not built" >&2; exit 2; }; done
need=()
command -v linphone >/dev/null || need+=(linphone-desktop)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v dbus-daemon >/dev/null || need+=(dbus)
if [ ${#need[@]} -gt 0 ]; then
  echo "app_start: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    { echo "app_start: could not install ${need[*]}" >&2; exit 2; }
fi

WORK=$(mktemp -d -t vphone-appstart.XXXXXX)
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
  [ -n "${BUS_PID:-}" ] && kill "$BUS_PID" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "app_start: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

DISPLAY_NUM=
for n in 63 64 65; do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { DISPLAY_NUM=$n; break; }
done
[ -n "$DISPLAY_NUM" ] || { echo "app_start: no free X display in :63-:65" >&2; exit 2; }
Xvfb ":$DISPLAY_NUM" -nolisten tcp -screen 0 1280x800x24 >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
export DISPLAY=":$DISPLAY_NUM"
dbus-daemon --session --fork --address="unix:path=$WORK/bus" --print-pid=3 3>"$WORK/bus.pid" ||
  { echo "app_start: dbus-daemon did not start" >&2; exit 2; }
BUS_PID=$(cat "$WORK/bus.pid")
export DBUS_SESSION_BUS_ADDRESS="unix:path=$WORK/bus"
mkdir -p "$WORK/run" && chmod 700 "$WORK/run"
export XDG_RUNTIME_DIR=$WORK/run

# vphone: a private profile, the same test pattern and tone as the peer, nothing played.
mkdir -p "$WORK/vphone-profile"
VPHONE_ARGS=(--profile "$WORK/vphone-profile" --listen udp:127.0.0.1:5853 --rtp-ports 13024-13029
  --audio-source tone:440 --audio-sink null --video-source testsrc:640x360@30)
# linphone: a private HOME with a linphonerc bound to 127.0.0.1 (IPv6 off, or it puts a non-loopback
# IPv6 address in its SDP; [rtp] bind_address, or its SDP has the address of the default route),
# video sent (its StaticImage, there is no camera) and shown.
LHOME=$WORK/linphone-home
mkdir -p "$LHOME/.local/share/linphone" "$LHOME/.config/linphone"
cat >"$LHOME/.config/linphone/linphonerc" <<CFG
[sip]
use_ipv6=0
ipv6_migration_done=1
bind_address=127.0.0.1
sip_port=5852
sip_tcp_port=-1
sip_tls_port=-1
guess_hostname=0
register_only_when_network_is_up=0
contact="lin" <sip:lin@127.0.0.1:5852>
ping_with_options=0
keepalive_period=0
dns_srv_enabled=0
[net]
firewall_policy=1
nat_address=127.0.0.1
[rtp]
bind_address=127.0.0.1
audio_rtp_port=13010
video_rtp_port=13012
[sound]
echocancellation=0
[video]
size=vga
automatically_accept=1
automatically_initiate=1
capture=1
display=1
[ui]
auto_answer=1
auto_answer_with_video=1
[misc]
log_collection_upload_server_url=
version_check_url_root=
CFG

# The peer: sends 640x360@30 and a tone, hangs up 16 s after the answer. For vphone it answers
# every call; linphone's is started per call (it calls linphone).
PEER_ARGS=(--hangup-after 16 --events --audio-source tone:440 --video-source testsrc:640x360@30)
"$CLI" --listen udp:127.0.0.1:5851 --rtp-ports 13014-13019 --auto-answer "${PEER_ARGS[@]}" \
  --stats-json "$WORK/peer-vphone.json" >"$WORK/peer-vphone.log" 2>&1 </dev/null &
PIDS+=($!)
sleep 0.5
kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "app_start: the peer did not start:" >&2; cat "$WORK/peer-vphone.log" >&2; exit 2; }

rss_tree() { # PID: kB of VmRSS over the process and its descendants
  local all=" $1 " grew=1 pid ppid
  while [ $grew = 1 ]; do
    grew=0
    for s in /proc/[0-9]*/stat; do
      { read -r pid _ _ ppid _ <"$s"; } 2>/dev/null || continue
      [[ $all == *" $ppid "* && $all != *" $pid "* ]] && { all="$all$pid "; grew=1; }
    done
  done
  for pid in $all; do awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}
launch() { # APP [URI]: starts it in the background, PID in $APP_PID
  local app=$1 uri=${2:-}
  if [ "$app" = vphone ]; then
    if [ -n "$uri" ]; then
      "$VPHONE" "${VPHONE_ARGS[@]}" --video "$uri" >>"$WORK/vphone.log" 2>&1 </dev/null &
    else
      "$VPHONE" "${VPHONE_ARGS[@]}" >>"$WORK/vphone.log" 2>&1 </dev/null &
    fi
  elif [ -n "$uri" ]; then
    HOME=$LHOME linphone --call "$uri" >>"$WORK/linphone.log" 2>&1 </dev/null &
  else
    HOME=$LHOME linphone >>"$WORK/linphone.log" 2>&1 </dev/null &
  fi
  APP_PID=$!
  PIDS+=("$APP_PID")
}
launch_timed() { # APP: starts it through window_wait.py; APP_PID, and ms and cpu ("none": no window)
  local cmd
  if [ "$1" = vphone ]; then
    cmd=("$VPHONE" "${VPHONE_ARGS[@]}")
  else
    cmd=(env HOME="$LHOME" linphone)
  fi
  read -r APP_PID ms cpu < <(python3 "$HERE/window_wait.py" --timeout 60 --log "$WORK/$1.log" -- "${cmd[@]}")
  [ -n "$APP_PID" ] && PIDS+=("$APP_PID")
  [ "$ms" = none ] && ms=
  [ "$cpu" = none ] && cpu=
}
RESULTS=$WORK/results # lines: APP FIGURE VALUE
: >"$RESULTS"
idle_run() { # APP COUNTED(0/1)
  local ms cpu rss
  launch_timed "$1"
  [ -n "$APP_PID" ] || { echo "  $1: window_wait.py did not start it" >&2; return; }
  sleep 5
  rss=$(rss_tree "$APP_PID")
  stop "$APP_PID"
  if [ -z "$ms" ]; then # no window: not a figure (the log says why)
    echo "  $1: no window (exited or hung); last lines of its log:" >&2
    tail -3 "$WORK/$1.log" | sed 's/^/    /' >&2
    return
  fi
  if [ "$2" = 1 ]; then
    echo "$1 start_ms $ms" >>"$RESULTS"
    [ -n "$cpu" ] && echo "$1 start_cpu_ms $cpu" >>"$RESULTS"
    echo "$1 idle_mb $((rss / 1024))" >>"$RESULTS"
  fi
  echo "  $1: window after ${ms:-(none)} ms (CPU ${cpu:-?} ms), idle RSS $((rss / 1024)) MB" >&2
}
call_run() { # APP: a video call to the peer, RSS peak over 15 s
  local before=0 peak=0 rss peer=$WORK/peer-$1.log
  if [ "$1" = vphone ]; then
    before=$(grep -c '"state":"confirmed"' "$peer")
    launch vphone "sip:peer@127.0.0.1:5851"
  else
    launch linphone
    for _ in $(seq 300); do # its SIP socket is up
      ss -lun 2>/dev/null | grep -q '127.0.0.1:5852 ' && break
      sleep 0.1
    done
    sleep 1
    : >"$peer"
    "$CLI" --listen udp:127.0.0.1:5854 --rtp-ports 13020-13023 --call sip:lin@127.0.0.1:5852 "${PEER_ARGS[@]}" \
      --stats-json "$WORK/peer-linphone.json" >"$peer" 2>&1 </dev/null &
    PIDS+=($!)
  fi
  for _ in $(seq 300); do
    [ "$(grep -c '"state":"confirmed"' "$peer")" -gt "$before" ] && break
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$(grep -c '"state":"confirmed"' "$peer")" -le "$before" ]; then
    echo "  $1: the call was not answered in 30 s" >&2
    stop "$APP_PID"
    return
  fi
  for _ in $(seq 15); do
    sleep 1
    rss=$(rss_tree "$APP_PID")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  sleep 2 # the peer hangs up at 16 s and writes its stats
  stop "$APP_PID"
  echo "$1 call_mb $((peak / 1024))" >>"$RESULTS"
  frames=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["calls"][-1]; print(next((s.get("frames_decoded",0) for s in c["streams"] if s["type"]=="video"),0), next((s.get("codec","-") for s in c["streams"] if s["type"]=="video"),"-"))' "$WORK/peer-$1.json" 2>/dev/null)
  echo "$1 peer_frames ${frames%% *}" >>"$RESULTS"
  echo "  $1: video call RSS peak $((peak / 1024)) MB; the peer decoded ${frames:-?} (frames, codec) from it" >&2
}

echo "app_start: $RUNS runs each on $DISPLAY; vphone $("$VPHONE" --version 2>/dev/null | tail -1), $(dpkg-query -W -f='linphone-desktop ${Version}' linphone-desktop)" >&2
echo "warm-up (not counted):" >&2
for app in $APPS; do idle_run "$app" 0; done
for r in $(seq "$RUNS"); do
  echo "run $r of $RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg)):" >&2
  for app in $APPS; do
    idle_run "$app" 1
    [ "$CALLS" = 1 ] && call_run "$app"
  done
done

python3 - "$RESULTS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def fig(app, name):
    v = [float(r[2]) for r in rows if r[0] == app and r[1] == name]
    if not v: return "-"
    return "%g (%g-%g)" % (statistics.median(v), min(v), max(v)) if len(v) > 1 else "%g" % v[0]
print()
print("launch to first window, RSS idle and in a video call: median (min-max), %s cores, load %s" % (sys.argv[2], sys.argv[3]))
print("%-10s %-22s %-22s %-18s %-22s %s" % ("app", "start ms", "CPU to window ms", "idle RSS MB", "video call RSS MB", "frames the peer decoded"))
for app in ("vphone", "linphone"):
    print("%-10s %-22s %-22s %-18s %-22s %s" % (app, fig(app, "start_ms"), fig(app, "start_cpu_ms"), fig(app, "idle_mb"), fig(app, "call_mb"), fig(app, "peer_frames")))
PY
