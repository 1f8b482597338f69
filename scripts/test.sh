#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then
#   1. checks formatting and the sans-I/O rule,
#   2. builds with -Werror (preset dev) and runs every test,
#   3. builds with ASan+UBSan (preset asan) and runs every test again,
#   4. builds the libFuzzer targets (preset fuzz) and runs each for a bounded time.
# usage: scripts/test.sh [--quick]      --quick skips steps 3 and 4
# Environment: VPHONE_FUZZ_SECONDS (default 5) per fuzz target.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n== %s ==\n' "$*"; }

step "dependencies"
bash scripts/install-deps.sh --peers

step "source checks"
bash scripts/check-source.sh

step "build and test (dev, -Werror)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs" | tee build/dev/ctest.log

if [ $quick -eq 0 ]; then
  step "build and test (asan: ASan + UBSan)"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan -j "$jobs" | tee build/asan/ctest.log

  step "fuzz (libFuzzer, ${VPHONE_FUZZ_SECONDS:-5} s per target)"
  bash scripts/fuzz.sh "${VPHONE_FUZZ_SECONDS:-5}"
fi
step "summary"
passed=0
failed=0
for log in build/dev/ctest.log build/asan/ctest.log; do
  [ $quick -eq 1 ] && [ "$log" = build/asan/ctest.log ] && continue
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  total=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/')
  bad=$(echo "$line" | sed -E 's/.*, ([0-9]+) tests failed.*/\1/')
  passed=$((passed + total - bad))
  failed=$((failed + bad))
done
echo "tests: $passed passed, $failed failed"
