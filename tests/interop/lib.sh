# Shared helpers for the interop tests: a private work directory, background processes started
# on 127.0.0.1 only, and a cleanup that stops exactly the PIDs we started (TERM, grace, KILL).
# Source it; then use `start NAME CMD...`, `wait_for FILE PATTERN [SECONDS]`, `pass`/`fail`.
set -uo pipefail
WORK=$(mktemp -d -t vphone-interop.XXXXXX)
PIDS=()
FAILS=0
CHECKS=0

cleanup() {
  local i p
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    p=${PIDS[i]}
    kill "$p" 2>/dev/null || continue
    for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  PIDS=()
}
trap cleanup EXIT

# start NAME CMD... : runs CMD in the background, output in $WORK/NAME.log, PID recorded.
start() {
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 </dev/null &
  PIDS+=($!)
  eval "PID_${name//-/_}=$!"
}

# wait_for FILE PATTERN [SECONDS]: polls until the file holds the pattern (bounded).
wait_for() {
  local file=$1 pattern=$2 limit=${3:-10}
  for _ in $(seq $((limit * 10))); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  CHECKS=$((CHECKS + 1))
  if "$@"; then
    echo "  ok   $what"
  else
    echo "  FAIL $what (logs in $WORK)"
    FAILS=$((FAILS + 1))
  fi
}

finish() {
  cleanup
  echo "$((CHECKS - FAILS)) passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

# baresip_has NAME PATTERN: $WORK/NAME.log (baresip's, colour escapes removed) holds the pattern.
# No grep -q: it would stop reading early, and with pipefail the SIGPIPE killing sed on a long
# log would make the pipeline fail although the line is there.
baresip_has() { sed 's/\x1b\[[0-9;]*m//g' "$WORK/$1.log" | grep -- "$2" >/dev/null; }

# start_xvfb FIRST LAST: a private X server on the first free display in :FIRST-:LAST (stopped
# by PID like the rest); exports DISPLAY and QT_QPA_PLATFORM=xcb. Returns 1 (and says why) when
# Xvfb is missing, no display is free or the server does not come up.
start_xvfb() {
  local n num=
  command -v Xvfb >/dev/null || { echo "FAIL: Xvfb is not installed (scripts/install-deps.sh)"; return 1; }
  for n in $(seq "$1" "$2"); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { num=$n; break; }
  done
  [ -n "$num" ] || { echo "FAIL: no free X display in :$1-:$2"; return 1; }
  start xvfb Xvfb ":$num" -nolisten tcp -screen 0 1280x800x24
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$num" ] && break; sleep 0.1; done
  [ -e "/tmp/.X11-unix/X$num" ] || { echo "FAIL: Xvfb :$num did not start"; cat "$WORK/xvfb.log"; return 1; }
  export DISPLAY=":$num" QT_QPA_PLATFORM=xcb
}
