#!/usr/bin/env bash
# Call-rate benchmark (not a test): SIPp's built-in `uac` places calls at increasing rates
# against `vphone-cli --auto-answer` (no media) and, in the same run, against baresip
# auto-answering (its g711/ausine/aubridge media: it has no signalling-only mode). For each
# rate: calls attempted, failed, achieved calls/s and the median INVITE->200 time (SIPp's
# response-time trace). Loopback only; every run is bounded by count and time.
# usage: bench/call_rate.sh [VPHONE_CLI] [RATES...]   (default rates 50 100 200 400)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI=$(realpath "${1:-$ROOT/build/release/ui/cli/vphone-cli}")
shift || true
RATES=("$@")
[ ${#RATES[@]} -eq 0 ] && RATES=(50 100 200 400)
. "$ROOT/tests/interop/lib.sh"
cd "$WORK"
SECONDS_PER_RATE=5

run_rates() { # NAME TARGET_PORT SIPP_PORT
  local name=$1 port=$2 sport=$3 rate calls rc ok failed median
  for rate in "${RATES[@]}"; do
    calls=$((rate * SECONDS_PER_RATE))
    rm -f uac_*_rtt.csv uac_*_.csv
    timeout 120 sipp -sn uac "127.0.0.1:$port" -s bench -i 127.0.0.1 -p "$sport" -r "$rate" -m "$calls" \
      -l $((rate * 4)) -d 0 -timeout 60 -trace_rtt -rtt_freq 1 -trace_stat -fd 1 -nostdin \
      >"$WORK/sipp-$name-$rate.log" 2>&1
    rc=$?
    ok=$(grep -E "^ +Successful call" "$WORK/sipp-$name-$rate.log" | awk -F'|' '{gsub(/ /,"",$3); print $3}')
    failed=$(grep -E "^ +Failed call" "$WORK/sipp-$name-$rate.log" | awk -F'|' '{gsub(/ /,"",$3); print $3}')
    median=$(python3 - "$WORK" <<'PY'
import csv, glob, statistics, sys
vals = []
for f in glob.glob(sys.argv[1] + "/uac_*_rtt.csv"):
    for row in csv.reader(open(f), delimiter=";"):
        try:
            vals.append(float(row[2]))
        except (ValueError, IndexError):
            pass
print(f"{statistics.median(vals):.2f}" if vals else "n/a")
PY
)
    printf '%-10s %6s cps for %ss  calls %5s  ok %5s  failed %4s  median INVITE->200 %s ms (SIPp resolution 1 ms)  (sipp rc %s)\n' \
      "$name" "$rate" "$SECONDS_PER_RATE" "$calls" "${ok:-?}" "${failed:-?}" "$median" "$rc"
  done
}

echo "== vphone-cli --auto-answer --rate-limit 0 (no media; all calls come from one address)"
start vphone "$CLI" --listen udp:127.0.0.1:5130 --auto-answer --rate-limit 0 --duration 600
sleep 0.5
run_rates vphone 5130 5131
cleanup

if command -v baresip >/dev/null; then
  echo "== baresip 1.0 auto-answer (g711, ausine, aubridge)"
  mkdir -p "$WORK/bob"
  cat >"$WORK/bob/config" <<CFG
poll_method		epoll
sip_listen		127.0.0.1:5132
net_interface		127.0.0.1
dns_server		127.0.0.1:53
audio_player		aubridge,bob
audio_alert		aubridge,bob
audio_source		ausine,440
ausrc_srate		48000
ausrc_channels		2
rtp_ports		11000-11999
module_path		/usr/lib/baresip/modules
module			g711.so
module			ausine.so
module			aubridge.so
module_tmp		account.so
module_app		menu.so
CFG
  echo "<sip:bench@127.0.0.1:5132>;regint=0;answermode=auto" >"$WORK/bob/accounts"
  start baresip baresip -4 -f "$WORK/bob" -t 600
  wait_for "$WORK/baresip.log" "baresip is ready" 10
  run_rates baresip 5132 5133
  cleanup
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
