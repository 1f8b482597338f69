#!/usr/bin/env bash
# CPU per audio call: two vphone-cli processes call each other on 127.0.0.1 (SIP 5720-5723,
# RTP 11600-11699) for SECONDS with tones both ways, and the test reads each process's CPU time
# (utime + stime from /proc/PID/stat) over the call. Prints the share of one core per end, for
# each codec (Opus, PCMU) with SDES-SRTP. Benchmark, not a test; use a release build.
# usage: bench/cpu_per_call.sh BUILD_DIR [SECONDS, default 20]
set -uo pipefail
BUILD=${1:?usage: cpu_per_call.sh BUILD_DIR [SECONDS]}
SECS=${2:-20}
CLI=$BUILD/ui/cli/vphone-cli
[ -x "$CLI" ] || { echo "cpu_per_call: $CLI not built" >&2; exit 2; }
WORK=$(mktemp -d -t vphone-cpu.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
export XDG_DATA_HOME=$WORK
TICK=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # clock ticks of user + system time

printf '%-22s %12s %12s\n' "configuration" "caller CPU" "callee CPU"
for codec in opus pcmu; do
  "$CLI" --listen udp:127.0.0.1:5720 --auto-answer --duration $((SECS + 10)) --codecs "$codec,telephone-event" \
    --rtp-ports 11600-11649 --audio-source tone:880 --audio-sink null >"$WORK/bob.log" 2>&1 &
  bob=$!
  PIDS+=($bob)
  sleep 0.5
  "$CLI" --listen udp:127.0.0.1:5722 --call sip:bob@127.0.0.1:5720 --hangup-after $((SECS + 2)) --events \
    --codecs "$codec,telephone-event" --rtp-ports 11650-11699 --audio-source tone:440 --audio-sink null \
    >"$WORK/alice.log" 2>&1 &
  alice=$!
  PIDS+=($alice)
  for _ in $(seq 50); do grep -q '"kind":"started"' "$WORK/alice.log" && break; sleep 0.1; done
  sleep 1 # past call set-up
  a0=$(cpu $alice) b0=$(cpu $bob) t0=$(date +%s.%N)
  sleep "$SECS"
  a1=$(cpu $alice) b1=$(cpu $bob) t1=$(date +%s.%N)
  awk -v c="$codec + SDES-SRTP" -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v t0="$t0" -v t1="$t1" -v hz="$TICK" \
    'BEGIN { w = t1 - t0; printf "%-22s %10.2f %% %10.2f %%\n", c, 100 * a / hz / w, 100 * b / hz / w }'
  kill $alice $bob 2>/dev/null
  wait $alice $bob 2>/dev/null
  PIDS=()
done
