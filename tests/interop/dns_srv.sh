#!/usr/bin/env bash
# Locating the server by DNS (RFC 3263) against dnsmasq on 127.0.0.53 (its own loopback address,
# port 53, answering only for example.test): a call to sip:bob@example.test finds bob through
# _sip._udp SRV records; over TCP, the first SRV target is dead (connection refused) and the
# call fails over to the second; over UDP (RFC 3263 §4.3), a first target that never answers
# (a socket that swallows datagrams) or that answers 503 gives way to the second. Ports 5140-5149.
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
  --srv-host=_sip._tcp.example.test,sip2.example.test,5143,20,10 \
  --srv-host=_sip._udp.silent.example.test,sip1.example.test,5147,10,10 \
  --srv-host=_sip._udp.silent.example.test,sip2.example.test,5141,20,10 \
  --srv-host=_sip._udp.busy.example.test,sip1.example.test,5148,10,10 \
  --srv-host=_sip._udp.busy.example.test,sip2.example.test,5141,20,10
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

echo "== UDP: the first SRV target never answers, the call moves on to the second"
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
start silent python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5147))
print("ready", flush=True)
while True:
    print(s.recv(65535).split(b" ")[0].decode(), flush=True)'
start busy python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5148))
print("ready", flush=True)
keep = ("via:", "from:", "to:", "call-id:", "cseq:")
while True:
    data, peer = s.recvfrom(65535)
    text = data.decode(errors="replace")
    print(text.split(" ")[0], flush=True)
    if not text.startswith("INVITE "):
        continue
    lines = [l + (";tag=busy" if l.lower().startswith("to:") else "")
             for l in text.split("\r\n")[1:] if l.lower().startswith(keep)]
    reply = "SIP/2.0 503 Service Unavailable\r\n" + "\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n"
    s.sendto(reply.encode(), peer)'
wait_for "$WORK/silent.log" ready 10 && wait_for "$WORK/busy.log" ready 10 || { echo "python3 responders did not start"; exit 1; }
t0=$(date +%s%N)
timeout 30 "$CLI" --listen udp:127.0.0.1:5145 --dns-server $DNS --call sip:bob@silent.example.test --hangup-after 1 \
  --events >"$WORK/alice-silent.log" 2>&1
check "the call is answered by the second target" test $? -eq 0
ms=$((($(date +%s%N) - t0) / 1000000))
check "the silent target got the INVITE and its retransmissions" test "$(grep -c "^INVITE" "$WORK/silent.log")" -ge 3
check "vphone-cli gave up on it" grep -q "no answer from 127.0.0.1:5147" "$WORK/alice-silent.log"
check "and tried the next server" grep -q "trying the next server 127.0.0.1:5141" "$WORK/alice-silent.log"
check "long before the 32 s transaction timeout (took $ms ms)" test $ms -lt 15000

echo "== UDP: the first SRV target answers 503, the call moves on to the second"
timeout 30 "$CLI" --listen udp:127.0.0.1:5146 --dns-server $DNS --call sip:bob@busy.example.test --hangup-after 1 \
  --events >"$WORK/alice-busy.log" 2>&1
check "the call is answered by the second target" test $? -eq 0
check "vphone-cli saw the 503" grep -q "127.0.0.1:5148 answered 503" "$WORK/alice-busy.log"
check "and tried the next server" grep -q "trying the next server 127.0.0.1:5141" "$WORK/alice-busy.log"
check "the 503 was ACKed" wait_for "$WORK/busy.log" "^ACK" 3
check "bob answered all three UDP calls" test "$(grep -c '"state":"confirmed"' "$WORK/bob.log")" -ge 3

echo "== a name that does not exist fails clearly"
timeout 30 "$CLI" --listen udp:127.0.0.1:5146 --dns-server $DNS --call sip:bob@nowhere.example.test \
  --hangup-after 1 >"$WORK/alice-nxdomain.log" 2>&1
check "vphone-cli exits non-zero" test $? -ne 0
check "and says the name cannot be resolved" grep -q "cannot resolve nowhere.example.test" "$WORK/alice-nxdomain.log"
finish
