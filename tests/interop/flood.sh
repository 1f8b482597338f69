#!/usr/bin/env bash
# A call in progress survives a flood (ports 5100-5109, loopback only, bounded):
# 20000 garbage and malformed datagrams, then SIPp firing 600 INVITEs at 300 calls/s at the
# callee, then SIPVicious (svmap fingerprinting, svwar scanning 200 users with INVITE), while
# alice and bob talk. The call must end normally (BYE after 45 s) and bob must still answer a
# MESSAGE afterwards. SIPVicious runs without -R/-A (it never leaves loopback).
# usage: flood.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
cd "$WORK"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
command -v svwar >/dev/null || { echo "sipvicious missing: scripts/install-deps.sh --peers"; exit 1; }

start bob "$CLI" --listen udp:127.0.0.1:5100 --auto-answer --events --duration 90
sleep 0.5
start alice "$CLI" --listen udp:127.0.0.1:5101 --call sip:bob@127.0.0.1:5100 --hangup-after 45 --events
check "alice and bob are in a call" wait_for "$WORK/alice.log" '"state":"confirmed"' 10

python3 - <<'PY' >"$WORK/garbage.log" 2>&1
import os, random, socket, time
random.seed(4475)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
target = ("127.0.0.1", 5100)
templates = [
    b"INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5109;branch=z9hG4bK%d\r\n\r\n",
    b"OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nContent-Length: 99999\r\n\r\n",
    b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5100;branch=z9hG4bKnothing\r\n\r\n",
    b"BYE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5109;branch=z9hG4bK%d\r\nFrom: <sip:x@y>;tag=1\r\n"
    b"To: <sip:bob@127.0.0.1>;tag=2\r\nCall-ID: flood-%d\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n",
    b"REGISTER sip:127.0.0.1 SIP/2.0\r\n" + b"X-Long: " + b"a" * 8000 + b"\r\n\r\n",
]
sent = 0
deadline = time.time() + 20
for i in range(20000):
    if time.time() > deadline:
        break
    if i % 2:
        data = os.urandom(random.randint(1, 1400))
    else:
        t = templates[i % len(templates)]
        data = t.replace(b"%d", str(i).encode())
    s.sendto(data, target)
    sent += 1
    if i % 500 == 0:
        time.sleep(0.01)  # bounded pace: about 20000 datagrams in 1-2 s
print("sent", sent)
PY
check "20000 garbage datagrams were sent" grep -q "sent 20000" "$WORK/garbage.log"

timeout 60 sipp -sn uac 127.0.0.1:5100 -s flood -i 127.0.0.1 -p 5102 -r 300 -m 600 -l 600 -d 0 -timeout 50 \
  -nostdin >"$WORK/sipp-flood.log" 2>&1
check "SIPp's INVITE flood was absorbed (SIPp finished)" test $? -le 1

export HOME="$WORK" # svmap/svwar keep their session state under ~/.sipvicious
timeout 30 svmap -p5100 -b 127.0.0.1 -x 127.0.0.1 -P 5104 127.0.0.1 >"$WORK/svmap.log" 2>&1
check "svmap fingerprinted bob as vphone-cli" grep -q "127.0.0.1:5100 *| vphone-cli" "$WORK/svmap.log"
seq -f "user%g" 1 200 >"$WORK/users.txt"
timeout 40 svwar -m INVITE -d "$WORK/users.txt" -p 5100 -b 127.0.0.1 -x 127.0.0.1 -P 5105 127.0.0.1 \
  >"$WORK/svwar.log" 2>&1
check "svwar's INVITE scan finished" test $? -eq 0
check "alice's call was still up after the scans" bash -c "! grep -q '\"state\":\"terminated\"' '$WORK/alice.log'"

wait "$PID_alice"
check "the call in progress ended normally (alice exits 0)" test $? -eq 0
check "alice's call ended by her BYE, not by an error" grep -q '"reason":"BYE sent","state":"terminated"' "$WORK/alice.log"
timeout 20 "$CLI" --listen udp:127.0.0.1:5103 --message sip:bob@127.0.0.1:5100 "still there?" >"$WORK/after.log" 2>&1
check "bob still answers after the flood" test $? -eq 0
check "bob is still running" kill -0 "$PID_bob"
finish
