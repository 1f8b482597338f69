#!/usr/bin/env bash
# Builds the optimised tree's parse benchmark and runs it: vphone against the Debian SIP stacks
# (libosip2, sofia-sip, belle-sip, libre; each optional, scripts/install-deps.sh --bench).
# Arguments are passed to the benchmark (see --help), e.g. scripts/bench-parse.sh --min-ratio 3
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --bench
cmake --preset release >/dev/null
cmake --build build/release --target vphone-bench-parse -j"$(nproc)"
exec build/release/bench/vphone-bench-parse "$@"
