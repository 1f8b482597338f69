#!/usr/bin/env bash
# vphone-cli following 3xx redirects from a SIPp redirect server (tests/interop/sipp/uas_redirect.xml)
# on 127.0.0.1 (SIP 6010-6014, RTP 13780-13799):
#  1. SIPp answers A's INVITE with 302 and Contact pointing at C, an auto-answering vphone-cli: A
#     sends a new INVITE there and the call connects, with audio both ways (tone checks);
#  2. SIPp redirects to the very address A called: A stops the loop at once and the call fails
#     with "redirect loop".
# usage: sipp_redirect.sh VPHONE_CLI VPHONE_TONE_CHECK
CLI=$(realpath "$1")
TONE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK" # SIPp writes its logs into the current directory

tone() { # tone WAV HZ: the tone fills at least 90 % of the recording
  local out
  out=$("$TONE" "$1" "$2" --min 0.9 2>&1)
  local rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}

echo "== SIPp 302 to C: A follows it and talks to C"
start carol "$CLI" --listen udp:127.0.0.1:6012 --auto-answer --duration 20 --rtp-ports 13780-13789 \
  --audio-source tone:880 --audio-sink "file:$WORK/carol.wav"
start sipp-redirect sipp -sf "$HERE/sipp/uas_redirect.xml" -key target sip:carol@127.0.0.1:6012 \
  -i 127.0.0.1 -p 6010 -m 1 -timeout 30 -trace_err -nostdin
sleep 0.5
timeout 30 "$CLI" --listen udp:127.0.0.1:6014 --call sip:bob@127.0.0.1:6010 --hangup-after 4 --events \
  --rtp-ports 13790-13799 --audio-source tone:440 --audio-sink "file:$WORK/alice.wav" >"$WORK/alice.log" 2>&1
check "the call succeeds (exit 0)" test $? -eq 0
wait "$PID_sipp_redirect"
check "SIPp sent its 302 and got the ACK" test $? -eq 0
kill "$PID_carol" 2>/dev/null
for _ in $(seq 50); do kill -0 "$PID_carol" 2>/dev/null || break; sleep 0.1; done
check "A logs the redirect" grep -q 'call redirected to sip:carol@127.0.0.1:6012 (302)' "$WORK/alice.log"
check "the event shows one call, back to calling with the new target" \
  grep -q '"code":302,.*"reason":"redirected to sip:carol@127.0.0.1:6012","state":"calling"' "$WORK/alice.log"
check "the call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice.log"
check "A hears C's 880 Hz" tone "$WORK/alice.wav" 880
check "C hears A's 440 Hz" tone "$WORK/carol.wav" 440

echo "== SIPp redirects to itself: the loop is stopped"
start sipp-loop sipp -sf "$HERE/sipp/uas_redirect.xml" -key target sip:bob@127.0.0.1:6010 \
  -i 127.0.0.1 -p 6010 -m 1 -timeout 30 -trace_err -nostdin
sleep 0.5
timeout 30 "$CLI" --listen udp:127.0.0.1:6014 --call sip:bob@127.0.0.1:6010 --hangup-after 4 \
  >"$WORK/loop.log" 2>&1
check "the call fails (exit 1)" test $? -eq 1
wait "$PID_sipp_loop"
check "SIPp saw one INVITE and its ACK" test $? -eq 0
check "A says why: 302 redirect loop" grep -q 'failed: 302 redirect loop' "$WORK/loop.log"
check "A sent one INVITE only" test "$(grep -c 'redirected to' "$WORK/loop.log")" -eq 0
finish
