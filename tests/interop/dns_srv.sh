#!/usr/bin/env bash
# Locating the server by DNS (RFC 3263) against dnsmasq on 127.0.0.53 (its own loopback address,
# port 53, answering only for example.test): a call to sip:bob@example.test finds bob through
# _sip._udp SRV records; over TCP, the first SRV target is dead (connection refused) and the
# call fails over to the second. Ports 5140-5149.
# usage: dns_srv.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
cd "$WORK"
command -v dnsmasq >/dev/null || { echo "dnsmasq missing: scripts/install-deps.sh --peers"; exit 1; }
DNS=127.0.0.53

start dnsmasq dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
  --listen-address=$DNS --port=53 --pid-file="$WORK/dnsmasq.pid" --log-queries --log-facility=- \
  --host-record=sip1.example.test,127.0.0.1 --host-record=sip2.example.test,127.0.0.1 \
  --srv-host=_sip._udp.example.test,sip1.example.test,5141,10,10 \
  --srv-host=_sip._tcp.example.test,sip1.example.test,5142,10,10 \
  --srv-host=_sip._tcp.example.test,sip2.example.test,5143,20,10
wait_for "$WORK/dnsmasq.log" "started" 5 || { echo "dnsmasq did not start"; cat "$WORK/dnsmasq.log"; exit 1; }

start bob "$CLI" --listen udp:127.0.0.1:5141 --listen tcp:127.0.0.1:5143 --auto-answer --events --duration 60
sleep 0.5

echo "== UDP: the SRV record leads to bob"
timeout 30 "$CLI" --listen udp:127.0.0.1:5144 --dns-server $DNS --call sip:bob@example.test --hangup-after 1 \
  --events >"$WORK/alice-udp.log" 2>&1
check "the call to sip:bob@example.test is answered" test $? -eq 0
check "dnsmasq was asked for the SRV record" grep -q "_sip._udp.example.test" "$WORK/dnsmasq.log"

echo "== TCP: the first SRV target is dead, the second answers"
timeout 30 "$CLI" --listen tcp:127.0.0.1:5145 --dns-server $DNS --call "sip:bob@example.test;transport=tcp" \
  --hangup-after 1 --events >"$WORK/alice-tcp.log" 2>&1
check "the call fails over and is answered" test $? -eq 0
check "vphone-cli says it tried the next server" grep -q "trying the next server 127.0.0.1:5143" "$WORK/alice-tcp.log"

echo "== a name that does not exist fails clearly"
timeout 30 "$CLI" --listen udp:127.0.0.1:5146 --dns-server $DNS --call sip:bob@nowhere.example.test \
  --hangup-after 1 >"$WORK/alice-nxdomain.log" 2>&1
check "vphone-cli exits non-zero" test $? -ne 0
check "and says the name cannot be resolved" grep -q "cannot resolve nowhere.example.test" "$WORK/alice-nxdomain.log"
finish
