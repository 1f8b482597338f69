#!/usr/bin/env bash
# Presence without a server and message waiting from a SIPp voicemail server, on 127.0.0.1:
#  1. direct IP (the notifier role): bob runs with --presence "away:at lunch" and --auto-answer;
#     alice watches him (SUBSCRIBE straight to bob) and prints 'presence ... away "at lunch"';
#     carol calls bob: alice sees on-the-phone, then away again once the call ends;
#  2. MWI: SIPp (sipp/uas_mwi.xml) answers alice's SUBSCRIBE for message-summary and NOTIFYs
#     Voice-Message: 2/8; vphone-cli prints 'mwi 2/8' and unsubscribes at exit.
# Ports 5810-5819, RTP 13100-13199.
# usage: presence_direct_mwi.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK" # SIPp writes its error log to the current directory
BOB="sip:bob@127.0.0.1:5810"

echo "== direct IP: alice watches bob, carol calls bob"
start bob "$CLI" --listen udp:127.0.0.1:5810 --presence "away:at lunch" --auto-answer --rtp-ports 13100-13149 \
  --duration 30 --trace "$WORK/bob.trace"
sleep 0.3
start alice "$CLI" --listen udp:127.0.0.1:5811 --watch-presence "$BOB" --duration 30 --trace "$WORK/alice.trace"
check "alice prints: presence $BOB away \"at lunch\"" wait_for "$WORK/alice.log" "presence $BOB away \"at lunch\"" 10
timeout 20 "$CLI" --listen udp:127.0.0.1:5812 --call "$BOB" --hangup-after 2 --rtp-ports 13150-13199 \
  >"$WORK/carol.log" 2>&1 &
PIDS+=($!)
check "alice prints: presence $BOB on-the-phone while carol's call is up" \
  wait_for "$WORK/alice.log" "presence $BOB on-the-phone" 10
check "alice sees away again after the call" bash -c "sleep 3; tail -n 1 '$WORK/alice.log' | grep -q 'presence $BOB away \"at lunch\"'"
check "bob answered the SUBSCRIBE with 200 and NOTIFYs (no server)" grep -q "^NOTIFY sip:" "$WORK/bob.trace"
kill -TERM "$PID_alice"; for _ in $(seq 50); do kill -0 "$PID_alice" 2>/dev/null || break; sleep 0.1; done
check "alice's exit unsubscribed: bob sent the final NOTIFY (terminated)" \
  wait_for "$WORK/bob.trace" "Subscription-State: terminated" 5

echo "== MWI from a SIPp voicemail server"
start sipp sipp -sf "$HERE/sipp/uas_mwi.xml" -i 127.0.0.1 -p 5815 -m 1 -timeout 20 -trace_err -nostdin
sleep 0.5
timeout 20 "$CLI" --listen udp:127.0.0.1:5816 --account sip:alice@127.0.0.1:5815 --no-register --watch-mwi \
  --duration 2 --trace "$WORK/mwi.trace" >"$WORK/mwi.log" 2>&1
check "vphone-cli exits 0" test $? -eq 0
check "it prints: mwi 2/8" grep -qx "mwi 2/8" "$WORK/mwi.log"
check "it sent SUBSCRIBE with Event: message-summary" grep -q "^Event: message-summary" "$WORK/mwi.trace"
check "and unsubscribed at exit (Expires: 0)" grep -q "^Expires: 0" "$WORK/mwi.trace"
check "SIPp played the whole scenario" wait_for "$WORK/sipp.log" "Successful call *| *0 *| *1" 10
finish
