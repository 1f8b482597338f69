#!/usr/bin/env bash
# Soak: COUNT consecutive audio calls (Opus over SRTP, tones both ways) between two long-lived
# vphone-cli instances on 127.0.0.1 (SIP 5500-5503, RTP 11300-11399). The caller places them with
# --repeat, pausing between calls; at the pause after the 10 % mark and after the last call the
# test reads each process's resident memory (VmRSS) and open file descriptors from /proc.
# Asserts: every call was answered and ended, descriptors did not grow, and (unless --no-rss,
# used under ASan whose quarantine holds freed memory on purpose) resident memory after the last
# call is within 10 % of after the 10 % mark. Prints the figures for the issue's closing note.
# usage: soak_audio.sh VPHONE_CLI COUNT [--no-rss]
CLI=$1
COUNT=${2:-200}
RSS_CHECK=1
[ "${3:-}" = --no-rss ] && RSS_CHECK=0
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export XDG_DATA_HOME=$WORK/data
EARLY=$((COUNT / 10))
[ "$EARLY" -lt 1 ] && EARLY=1

start bob "$CLI" --listen udp:127.0.0.1:5500 --auto-answer --events --duration 900 --rtp-ports 11300-11349 \
  --audio-source tone:880 --audio-sink null
sleep 0.5
start alice "$CLI" --listen udp:127.0.0.1:5502 --call sip:bob@127.0.0.1:5500 --events --duration 900 \
  --rtp-ports 11350-11399 --audio-source tone:440 --audio-sink null --repeat "$COUNT" --repeat-pause 0.2 \
  --hangup-after 0.3 --rate-limit 0

ended() { grep -c '"state":"terminated"' "$WORK/alice.log" 2>/dev/null; }
# sample PID: "RSS_KB FDS"
sample() { echo "$(awk '/^VmRSS/{print $2}' /proc/"$1"/status) $(ls /proc/"$1"/fd | wc -l)"; }
# wait_calls N SECONDS: until the caller has seen N calls end (bounded)
wait_calls() {
  for _ in $(seq $(($2 * 20))); do
    [ "$(ended)" -ge "$1" ] && return 0
    kill -0 "$PID_alice" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

limit=$((COUNT * 3 + 30))
check "the first $EARLY calls end" wait_calls "$EARLY" "$limit"
read -r a_rss1 a_fd1 <<<"$(sample "$PID_alice")"
read -r b_rss1 b_fd1 <<<"$(sample "$PID_bob")"
check "all $COUNT calls end" wait_calls "$COUNT" "$limit"
sleep 0.2
read -r a_rss2 a_fd2 <<<"$(sample "$PID_alice")"
read -r b_rss2 b_fd2 <<<"$(sample "$PID_bob")"
echo "       caller: after call $EARLY RSS ${a_rss1} kB, ${a_fd1} fds; after call $COUNT RSS ${a_rss2} kB, ${a_fd2} fds"
echo "       callee: after call $EARLY RSS ${b_rss1} kB, ${b_fd1} fds; after call $COUNT RSS ${b_rss2} kB, ${b_fd2} fds"
check "every call was answered" test "$(grep -c '"state":"confirmed"' "$WORK/alice.log")" -eq "$COUNT"
check "and carried audio both ways" test "$(grep -c '"kind":"started"' "$WORK/alice.log")" -eq "$COUNT"
check "the callee answered and ended them all" test "$(grep -c '"state":"terminated"' "$WORK/bob.log")" -eq "$COUNT"
check "caller: no descriptor growth" test "$a_fd2" -le "$a_fd1"
check "callee: no descriptor growth" test "$b_fd2" -le "$b_fd1"
if [ "$RSS_CHECK" = 1 ]; then
  check "caller: RSS within 10 %" test $((a_rss2 * 100)) -le $((a_rss1 * 110))
  check "callee: RSS within 10 %" test $((b_rss2 * 100)) -le $((b_rss1 * 110))
fi
kill "$PID_alice" "$PID_bob" 2>/dev/null
for p in "$PID_alice" "$PID_bob"; do
  for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
check "no errors reported" bash -c "! grep -h 'vphone-cli:' '$WORK/alice.log' '$WORK/bob.log' | grep -v 'not answered'"
finish
