#!/usr/bin/env bash
# Installs what is missing, builds, and starts vphone.
# Until the desktop app exists (issue #7), what runs is the headless vphone-cli: with no
# arguments it prints its version and the libraries it uses, then checks the sample SIP messages
# in bench/corpus/ the way a UA would (the 180 there, as seen by a proxy, carries three Vias,
# so a UA drops it); with arguments it runs `vphone-cli ARGS...`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc 2>/dev/null || echo 2)" --target vphone-cli
cli=build/dev/ui/cli/vphone-cli
if [ $# -gt 0 ]; then
  exec "$cli" "$@"
fi
"$cli" version
echo
"$cli" parse --verbose bench/corpus/*.sip
