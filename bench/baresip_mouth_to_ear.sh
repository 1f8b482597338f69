#!/usr/bin/env bash
# needs: baresip-core jackd2 libjack-jackd2-dev gcc
#
# Mouth-to-ear audio latency baresip -> baresip on loopback, for comparison with
# vphone-bench-mouth-to-ear (bench/mouth_to_ear.cpp). Benchmark, not a test.
# usage: bench/baresip_mouth_to_ear.sh [SECONDS] [CODEC...]   (default 10 s, codecs opus pcmu)
#
# How: a private JACK server with the dummy backend (no sound card; 48 kHz, 256-frame periods
# = 5.33 ms; synchronous mode -S, so a busy client delays the cycle instead of missing it; the
# "xrun" notices left are the dummy driver's timer waking a few us late) stands in for the
# sound cards. baresip "alice" captures from JACK (jack module,
# port alice:input_1) and calls baresip "bob" (auto-answer) on 127.0.0.1, who plays to JACK
# (bob:output_1). Codec and ptime 20 are set in both accounts (audio_codecs=, ptime=); all other
# media settings are baresip 1.0.0's defaults, notably jitter_buffer_delay 5-10 (packets held
# in the RTP jitter buffer) and audio_buffer 20-160 ms (the buffer in front of the player); no
# SRTP.
# The helper bench/baresip_m2e/m2e_jack.c (compiled with cc on each run) writes a 5 ms 1 kHz
# click every ~500 ms into alice:input_1 and notes the onset of each click at bob:output_1
# (first sample > 3000/32768, re-armed after 100 ms of quiet: the detector of mouth_to_ear.cpp).
# Both events are stamped in JACK frames, one clock for both ends. Both baresips run their
# audio inside the JACK process cycle, so their clocks are JACK's (no drift between the ends).
#
# What the figures mean (all from the same clicks, in JACK frames / 48 kHz):
#  * "graph" = onset frame at bob's output minus onset frame written into alice's input.
#    Client-to-client JACK connections add no buffering (the writer runs before alice and bob
#    before the reader in the same period); the script checks this first by wiring the helper's
#    writer straight to its reader ("JACK loop-through", must be ~0 ms: the detector fires 2
#    samples = 0.04 ms into the click, as mouth_to_ear.cpp's does). So "graph" is baresip's own
#    path: 20 ms packetisation, encode, RTP over UDP, jitter buffer, decode, resampling (PCMU),
#    the receive audio_buffer, and the granularity of JACK's 5.33 ms periods at both ends.
#  * The headline adds ONE JACK period (5.33 ms) of capture buffering: like mouth_to_ear.cpp,
#    which takes a frame handed over at T as captured over [T - 20 ms, T], a period handed to
#    alice at the start of a cycle is taken as captured during the period before it. Playback is
#    counted from the cycle in which bob hands the sample to JACK, as mouth_to_ear.cpp counts it
#    from the sink write. So the headline = "graph" + 1 period is the figure to set beside
#    vphone-bench-mouth-to-ear; the detail line also gives "graph" (JACK periods subtracted).
#    A real sound card under JACK with 2 periods would add one more period (playback) on top;
#    mouth_to_ear.cpp has no card buffers either.
#  * Every sample goes through the same packet framing (the receiver plays a packet's samples
#    in order), so where a click falls in a 20 ms packet does not change its delay; the spread
#    comes from the jitter buffer / audio_buffer levels and the 256-frame JACK periods.
#  Not included: sound card / driver buffers beyond that one capture period, acoustics, network
#  delay (loopback). Overrides for exploring baresip's buffers (defaults = baresip's own):
#  BARESIP_JBUF=min-max (jitter_buffer_delay, frames), BARESIP_AUBUF=min-max (audio_buffer, ms).
#  KEEP=1 keeps the work directory (logs); it is also kept when a configuration fails.
#
# Ports: SIP 5700-5709 (TLS listeners on +1), RTP 10900-10999, JACK server "vphone-m2e-<pid>".
# Loopback only; every process started here is stopped by PID on exit; all waits are bounded.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SECS=${1:-10}
shift || true
CODECS=("$@")
[ ${#CODECS[@]} -eq 0 ] && CODECS=(opus pcmu)
PTIME=20
MODDIR=/usr/lib/baresip/modules

die() { echo "baresip_mouth_to_ear: $*" >&2; exit 2; }
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -ge 2 ] && [ "$SECS" -le 300 ] || die "SECONDS must be 2..300 (got '$SECS')"
for c in baresip jackd cc; do command -v "$c" >/dev/null || die "'$c' not found (needs: baresip-core jackd2 libjack-jackd2-dev gcc)"; done
[ -f /usr/include/jack/jack.h ] || die "JACK headers missing (apt-get install libjack-jackd2-dev)"
for m in jack opus g711 account menu; do
  [ -f "$MODDIR/$m.so" ] || die "baresip module $MODDIR/$m.so missing"
done

W=$(mktemp -d -t baresip-m2e.XXXXXX)
PIDS=()
cleanup() { # stop what we started, newest first: TERM, up to 3 s grace, then KILL
  local i p s
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do p=${PIDS[i]}
    kill "$p" 2>/dev/null || continue
    for _ in $(seq 30); do s=$(ps -o stat= -p "$p" 2>/dev/null); { [ -z "$s" ] || [ "${s:0:1}" = Z ]; } && break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null
  done
  PIDS=()
}
drop_pid() { local p keep=(); for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}"); }
stop() { # PID: TERM, grace, KILL, forget
  local p=$1 s
  kill "$p" 2>/dev/null
  for _ in $(seq 30); do s=$(ps -o stat= -p "$p" 2>/dev/null); { [ -z "$s" ] || [ "${s:0:1}" = Z ]; } && break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; drop_pid "$p"
}
trap 'cleanup; [ "${KEEP:-0}" = 1 ] || rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

cc -O2 -Wall -o "$W/m2e_jack" "$HERE/baresip_m2e/m2e_jack.c" -ljack -lm >"$W/cc.log" 2>&1 \
  || { cat "$W/cc.log" >&2; die "cannot compile the JACK helper"; }

# Private JACK server: never autostart one, point every JACK client (baresip's too) at ours.
JSERVER="vphone-m2e-$$"
export JACK_NO_START_SERVER=1 JACK_DEFAULT_SERVER="$JSERVER"
start_jackd() { # $1: extra option (--no-realtime or nothing)
  jackd ${1:+"$1"} -S -n "$JSERVER" -d dummy -r 48000 -p 256 >"$W/jackd.log" 2>&1 </dev/null &
  JPID=$!; PIDS+=("$JPID")
  for _ in $(seq 50); do
    grep -q "JACK server starting" "$W/jackd.log" && ps -p "$JPID" >/dev/null && { sleep 0.3; return 0; }
    ps -p "$JPID" >/dev/null || break
    sleep 0.1
  done
  stop "$JPID"; return 1
}
start_jackd || start_jackd --no-realtime || { cat "$W/jackd.log" >&2; die "jackd (dummy backend) did not start"; }

# Check that JACK adds nothing between client ports: the helper's writer wired to its reader.
cal=$(timeout 20 "$W/m2e_jack" "$JSERVER" '^m2e_ear:in$' '^m2e_mouth:out$' 2 5 "$PTIME" 2>"$W/cal.log")
calmed=$(sed -n 's/.* med=\([^ ]*\).*/\1/p' <<<"$cal")
[ -n "$calmed" ] || die "JACK loop-through check failed: $cal $(cat "$W/cal.log")"
awk -v m="$calmed" 'BEGIN { exit !(m < 0.1) }' || die "JACK loop-through is $calmed ms, expected ~0 (JACK graph adds buffering?)"
JBUF=${BARESIP_JBUF:-} AUBUF=${BARESIP_AUBUF:-}
echo "JACK dummy 48 kHz, period 256 frames (5.33 ms), loop-through $calmed ms; baresip $(baresip -h 2>&1 | sed -n 's/.*baresip v\([0-9.]*\).*/\1/p' | head -1) jitter_buffer_delay ${JBUF:-5-10 (default)} audio_buffer ${AUBUF:-20-160 ms (default)}"

mkua() { # name sipport rtpports codec
  mkdir -p "$W/$1"
  cat >"$W/$1/config" <<CFG
poll_method		epoll
sip_listen		127.0.0.1:$2
net_interface		127.0.0.1
dns_server		127.0.0.1:53
audio_player		jack
audio_source		jack
audio_alert		jack
ausrc_srate		48000
auplay_srate		48000
ausrc_channels		1
auplay_channels		1
ausrc_format		float
auplay_format		float
jack_connect_ports	no
jack_client_name	$1
rtp_ports		$3
module_path		$MODDIR
module			g711.so
module			opus.so
module			jack.so
$([ -f "$MODDIR/g722.so" ] && printf 'module\t\t\tg722.so')
module_tmp		account.so
module_app		menu.so
${JBUF:+jitter_buffer_delay	$JBUF}
${AUBUF:+audio_buffer		$AUBUF}
CFG
  echo "<sip:$1@127.0.0.1:$2>;regint=0;answermode=auto;ptime=$PTIME;audio_codecs=$4" >"$W/$1/accounts"
}

codec_spec() {
  case "${1,,}" in
    opus) echo opus/48000/2 ;;
    pcmu) echo PCMU/8000/1 ;;
    pcma) echo PCMA/8000/1 ;;
    g722) echo G722/16000/1 ;;
    */*) echo "$1" ;;
    *) return 1 ;;
  esac
}

fails=0 n=0
for codec in "${CODECS[@]}"; do
  spec=$(codec_spec "$codec") || { echo "baresip->baresip $codec: unknown codec (use opus, pcmu, pcma, g722 or NAME/RATE/CH)"; fails=$((fails + 1)); continue; }
  [ "${spec,,}" = g722/16000/1 ] && [ ! -f "$MODDIR/g722.so" ] && { echo "baresip->baresip $codec: no g722 module"; fails=$((fails + 1)); continue; }
  # alternate between two port sets so a just-closed call never collides with the next one
  if ((n % 2 == 0)); then AP=5700 BP=5702; else AP=5704 BP=5706; fi
  n=$((n + 1))
  D="$W/$codec"; mkdir -p "$D"
  rm -rf "$W/alice" "$W/bob"
  mkua alice "$AP" 10900-10949 "$spec"
  mkua bob "$BP" 10950-10999 "$spec"
  baresip -4 -f "$W/bob" -t $((SECS + 15)) >"$D/bob.log" 2>&1 </dev/null &
  BPID=$!; PIDS+=("$BPID")
  for _ in $(seq 50); do grep -q "baresip is ready" "$D/bob.log" && break; sleep 0.1; done
  "$W/m2e_jack" "$JSERVER" '^alice(-[0-9]+)?:input_1$' '^bob(-[0-9]+)?:output_1$' "$SECS" 10 "$PTIME" \
    >"$D/m2e.out" 2>"$D/m2e.log" &
  MPID=$!; PIDS+=("$MPID")
  baresip -4 -f "$W/alice" -t $((SECS + 14)) -e "/dial sip:bob@127.0.0.1:$BP" >"$D/alice.log" 2>&1 </dev/null &
  APID=$!; PIDS+=("$APID")
  timeout $((SECS + 20)) tail --pid="$MPID" -f /dev/null
  if ps -p "$MPID" >/dev/null; then stop "$MPID"; mrc=124; else wait "$MPID" 2>/dev/null; mrc=$?; drop_pid "$MPID"; fi
  stop "$APID"; stop "$BPID"
  line=$(cat "$D/m2e.out")
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $line"; }
  if [ "$mrc" != 0 ] || [ -z "$(get med)" ]; then
    echo "baresip->baresip $codec ptime $PTIME: FAILED (helper exit $mrc: $(tr '\n' ' ' <"$D/m2e.log")$line)"
    tr -d '\033' <"$D/alice.log" | grep -iE "warn|error|fail|not found" | head -5 | sed 's/^/  alice: /'
    tr -d '\033' <"$D/bob.log" | grep -iE "warn|error|fail|not found" | head -5 | sed 's/^/  bob:   /'
    fails=$((fails + 1)); continue
  fi
  # which codec the call really used (bob's log: "audio: Set audio decoder: ...")
  dec=$(tr -d '\033' <"$D/bob.log" | sed -n 's/.*Set audio decoder: *\([^ ]*\).*/\1/p' | head -1)
  if [ "${dec,,}" != "$(cut -d/ -f1 <<<"${spec,,}")" ]; then
    echo "baresip->baresip $codec ptime $PTIME: FAILED (bob decoded '${dec:-nothing}', not ${spec%%/*})"
    fails=$((fails + 1)); continue
  fi
  awk -v c="$codec" -v p="$PTIME" -v per="$(get period_ms)" -v m="$(get med)" -v p95="$(get p95)" \
      -v lo="$(get min)" -v hi="$(get max)" -v n="$(get clicks)" -v sp="$(get spoken)" -v xr="$(get xruns)" \
      -v dec="${dec:-?}" 'BEGIN {
    printf "baresip->baresip %s ptime %s: mouth-to-ear median %.1f ms p95 %.1f ms (%d clicks)\n", c, p, m + per, p95 + per, n
    printf "  incl. 1 JACK capture period %.2f ms; without it (graph only): median %.1f p95 %.1f min %.1f max %.1f ms; decoder %s; %d clicks sent; %d JACK xrun notices\n", per, m, p95, lo, hi, dec, sp, xr
  }'
done
[ "$fails" -eq 0 ] || { KEEP=1; echo "baresip_mouth_to_ear: $fails configuration(s) failed; logs kept in $W" >&2; exit 1; }
exit 0
