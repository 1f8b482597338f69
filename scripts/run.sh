#!/usr/bin/env bash
# Installs what is missing, builds, and starts vphone, the desktop app (issue 7).
#   scripts/run.sh [VPHONE ARGS...]     e.g. scripts/run.sh sip:bob@192.0.2.7
#                                        or   scripts/run.sh --profile ~/vphone-work
#   scripts/run.sh --cli [ARGS...]      the headless vphone-cli instead: with no ARGS it prints
#                                        its version and checks the sample SIP messages in
#                                        bench/corpus/ the way a UA would (the 180 there, as a
#                                        proxy saw it, carries three Vias, so a UA drops it)
# Without a display ($DISPLAY or $WAYLAND_DISPLAY) the app cannot open its window: the script
# says so and shows how to run it under Xvfb (xvfb-run is in Debian's xvfb package).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset dev >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${1:-}" = "--cli" ]; then
  shift
  cmake --build --preset dev -j "$jobs" --target vphone-cli
  cli=build/dev/ui/cli/vphone-cli
  if [ $# -gt 0 ]; then
    exec "$cli" "$@"
  fi
  "$cli" version
  echo
  exec "$cli" parse --verbose bench/corpus/*.sip
fi

cmake --build --preset dev -j "$jobs" --target vphone
app=build/dev/ui/app/vphone
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  "$app" --version
  echo "run.sh: no display here (\$DISPLAY and \$WAYLAND_DISPLAY are empty), so the window cannot open." >&2
  echo "        On a desktop, run: $app $*" >&2
  echo "        Headless, under a virtual screen: xvfb-run -a $app $*" >&2
  exit 1
fi
exec "$app" "$@"
