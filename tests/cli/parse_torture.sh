#!/usr/bin/env bash
# Runs `vphone-cli parse` on every torture message and checks each verdict against INDEX.md.
# usage: parse_torture.sh VPHONE_CLI TORTURE_DIR
set -euo pipefail
cli=$1
dir=$2
fail=0
count=0
while IFS= read -r row; do
  file=$(printf '%s' "$row" | awk -F'|' '{print $2}' | tr -d ' `')
  allowed=$(printf '%s' "$row" | sed 's/\\|/@/g' | awk -F'|' '{print $5}' | tr -d '`' | sed 's/^ *//; s/ *$//')
  out=$("$cli" parse "$dir/$file")
  case "$out" in
    REJECT*) key=$(printf '%s' "$out" | cut -d' ' -f1-2) ;;
    *) key=$out ;;
  esac
  count=$((count + 1))
  match=0
  IFS='@' read -ra options <<<"$allowed"
  for o in "${options[@]}"; do [ "$o" = "$key" ] && match=1; done
  if [ $match -ne 1 ]; then
    echo "FAIL $file: got '$out', allowed '$allowed'"
    fail=$((fail + 1))
  fi
done < <(grep -E '^\| `[^`]+\.sip`' "$dir/INDEX.md")
# Several files in one run print one "path: verdict" line each.
lines=$("$cli" parse "$dir"/*.sip | wc -l)
files=$(ls "$dir"/*.sip | wc -l)
[ "$lines" -eq "$files" ] || { echo "FAIL: $lines lines for $files files"; fail=$((fail + 1)); }
echo "$((count - fail)) passed, $fail failed"
[ $fail -eq 0 ] && [ $count -eq 61 ]
