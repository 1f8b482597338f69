#!/usr/bin/env bash
# Source checks CI runs: clang-format (pinned to Debian 12's clang-format 14) and the
# sans-I/O rule for the protocol core (no Qt, sockets, threads or clock reads in core/sip, core/sdp, media/rtp).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

mapfile -t files < <(git ls-files -- '*.cpp' '*.h' | grep -v '^tests/data/')
if [ ${#files[@]} -gt 0 ]; then
  if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/vphone-format.log; then
    echo "check-source: these files are not clang-formatted (run: clang-format -i FILE):"
    grep -oE '^[^ :]+\.(cpp|h):[0-9]+:' /tmp/vphone-format.log | cut -d: -f1 | sort -u | sed 's/^/  /'
    fail=1
  fi
fi

for d in core/sip core/sdp media/rtp; do
  [ -d "$d" ] || continue
  hits=$(grep -rlE '#include *<(Q[A-Za-z]+|sys/socket\.h|netinet/[a-z_]+\.h|arpa/inet\.h|thread|mutex)>|steady_clock::now|system_clock::now|\btime\(' "$d" || true)
  if [ -n "$hits" ]; then
    echo "check-source: $d must stay sans-I/O (no Qt, sockets, threads or clock reads):"
    echo "$hits" | sed 's/^/  /'
    fail=1
  fi
done

# Every word the app shows is translatable: QML text properties take qsTr(), not a bare literal
# (symbols such as "▲" and numbers are fine).
hits=$(git ls-files -- 'ui/app/qml/*.qml' | xargs -r grep -nE '\b(text|title|placeholderText|ToolTip\.text|label): *"[^"]*[A-Za-z]{2}' || true)
if [ -n "$hits" ]; then
  echo "check-source: wrap these QML strings in qsTr() (ui/app/translations):"
  echo "$hits" | sed 's/^/  /'
  fail=1
fi

[ $fail -eq 0 ] && echo "check-source: format, sans-I/O and translation checks passed"
exit $fail
