#!/bin/bash
# Multicast paging (issue 8, RFC 8866 §5.7): one `vphone-cli --page` sends an 880 Hz tone as PCMU
# RTP to 239.255.6.1:13840; two `--listen-group` processes on the same host (SO_REUSEPORT) must
# both record it for most of the paging time, and a third listening to another group on the same
# port must hear nothing. Bad --page/--listen-group values are refused with a clear error.
#
# Everything runs inside a network namespace this script creates (unshare --net: the kernel
# removes it when the last process in it exits), with only `lo` up, multicast on and a route for
# 239.0.0.0/8 via lo: no packet can reach the machine's real interfaces. Ports 13840-13899, SIP 6020-6021.
# usage: multicast_page.sh VPHONE_CLI VPHONE_TONE_CHECK   (exit 77: namespaces not available)
CLI=$1
TONE=$2
if [ -z "${VPHONE_MCAST_NETNS:-}" ]; then
  if ! unshare --net true 2>/dev/null; then
    echo "SKIP: cannot create a network namespace here (unshare --net needs root or user namespaces)"
    exit 77
  fi
  VPHONE_MCAST_NETNS=1 exec unshare --net bash "$0" "$@"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

ip link set lo up && ip link set lo multicast on && ip route add 239.0.0.0/8 dev lo || {
  echo "FAIL: cannot set up lo for multicast in the namespace"
  exit 1
}
# We are alone in the namespace: nothing but lo exists.
check "the namespace has only lo" test "$(ip -o link show | wc -l)" -eq 1

PAGE_S=5
LISTEN_S=8

listener() { # listener NAME GROUP:PORT RTP-RANGE
  start "$1" "$CLI" --listen-group "$2" --rtp-ports "$3" --audio-sink "file:$WORK/$1.wav" \
    --duration "$LISTEN_S" --stats-json "$WORK/$1.json"
}
listener l1 239.255.6.1:13840 13850-13859
listener l2 239.255.6.1:13840 13860-13869
listener other 239.255.6.2:13840 13880-13889
for n in l1 l2 other; do
  check "$n is listening" wait_for "$WORK/$n.log" "listening to" 5
done
start pager "$CLI" --page 239.255.6.1:13840 --rtp-ports 13870-13879 --audio-source tone:880 \
  --duration "$PAGE_S" --stats-json "$WORK/pager.json"
for n in pager l1 l2 other; do
  pid_var="PID_$n"
  wait "${!pid_var}"
  check "$n exits 0" test $? -eq 0
done

# tone WAV HZ: seconds of the recording that hold HZ (20 ms windows).
tone_seconds() {
  "$TONE" "$1" "$2" | sed -n 's/.*(\([0-9]*\) of [0-9]* windows.*/\1/p' | awk '{ printf "%.2f", $1 * 0.02 }'
}
enough() { awk -v got="$1" -v want="$2" 'BEGIN { exit !(got >= want) }'; }
want=$(awk -v p="$PAGE_S" 'BEGIN { printf "%.2f", p * 0.8 }')
for n in l1 l2; do
  got=$(tone_seconds "$WORK/$n.wav" 880)
  echo "       $n.wav: 880 Hz for ${got}s of a ${PAGE_S}s page"
  check "$n recorded the page's 880 Hz for >= 80% of the paging time" enough "$got" "$want"
  check "$n did not record 440 Hz" test "$(tone_seconds "$WORK/$n.wav" 440)" = "0.00"
done
got=$(tone_seconds "$WORK/other.wav" 880)
check "the listener of another group heard nothing (${got}s)" test "$got" = "0.00"

field() { # field JSON KEY: the first stream's KEY
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["calls"][0]["streams"][0][sys.argv[2]])' "$1" "$2"
}
sent=$(field "$WORK/pager.json" packets_sent)
echo "       pager sent $sent packets ($(field "$WORK/pager.json" codec), $(field "$WORK/pager.json" direction))"
check "the pager sent about ${PAGE_S}s of 20 ms packets" enough "$sent" $((PAGE_S * 50 * 9 / 10))
check "the pager sent PCMU" test "$(field "$WORK/pager.json" codec)" = pcmu
for n in l1 l2; do
  got=$(field "$WORK/$n.json" packets_received)
  echo "       $n received $got packets, lost $(field "$WORK/$n.json" lost)"
  check "$n --stats-json counts the page's packets" enough "$got" $((sent * 9 / 10))
  check "$n --stats-json says recvonly" test "$(field "$WORK/$n.json" direction)" = recvonly
done
check "the other group's --stats-json counts no packets" test "$(field "$WORK/other.json" packets_received)" = 0
# Its own RTCP comes back through the group (IP_MULTICAST_LOOP) and must be dropped, not taken
# for another source with our SSRC (an RFC 3550 §8.2 collision).
check "the other group's listener sent RTCP" enough "$(field "$WORK/other.json" rtcp_sent)" 1
check "... and ignored its own RTCP looped back by the group" \
  test "$(field "$WORK/other.json" rtcp_received)" = 0

# The same page set up by SIP: a paging system's INVITE (SIPp) names the group in its SDP; the
# auto-answering vphone-cli answers with the group (RFC 3264 §6.2), joins it and records the page.
start sipcallee "$CLI" --listen udp:127.0.0.1:6020 --auto-answer --duration 12 --rtp-ports 13890-13899 \
  --audio-sink "file:$WORK/sipcallee.wav" --stats-json "$WORK/sipcallee.json"
for _ in $(seq 50); do ss -Hlun "sport = :6020" | grep -q . && break; sleep 0.1; done
(cd "$WORK" && timeout 40 sipp -sf "$HERE/sipp/uac_multicast_page.xml" -i 127.0.0.1 -p 6021 -m 1 -timeout 30 \
  -timeout_error -trace_err -nostdin 127.0.0.1:6020 >"$WORK/sipp.log" 2>&1) &
SIPP_JOB=$!
sleep 1.5 # the call is up and the group joined
start sippager "$CLI" --page 239.255.6.1:13840 --rtp-ports 13870-13879 --audio-source tone:660 --duration 3
wait "$SIPP_JOB"
check "SIPp: the answer names the group, its TTL and port, recvonly; BYE answered" test $? -eq 0
wait "$PID_sippager"
kill "$PID_sipcallee" 2>/dev/null
wait "$PID_sipcallee"
got=$(tone_seconds "$WORK/sipcallee.wav" 660)
echo "       sipcallee.wav: 660 Hz for ${got}s of a 3s page"
check "the SIP callee recorded the page for >= 80% of its time" enough "$got" 2.4
check "the SIP callee's --stats-json counts the page's packets" enough \
  "$(field "$WORK/sipcallee.json" packets_received)" 135

# Bad input: a clear error, exit 2, no crash.
refused() { # refused PATTERN ARGS...
  local pattern=$1
  shift
  "$CLI" "$@" >"$WORK/bad.log" 2>&1
  [ $? -eq 2 ] && grep -q -- "$pattern" "$WORK/bad.log"
}
check "--page with a unicast address is refused" refused "IPv4 multicast group" --page 127.0.0.1:13840
check "--page without a port is refused" refused "GROUP:PORT" --page 239.255.6.1
check "--listen-group with port 0 is refused" refused "port 1-65535" --listen-group 239.255.6.1:0
check "--multicast-ttl 256 is refused" refused "0-255" --page 239.255.6.1:13840 --multicast-ttl 256
check "--page with --call is refused" refused "without SIP" --page 239.255.6.1:13840 --call sip:x@127.0.0.1
finish
