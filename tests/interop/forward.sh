#!/usr/bin/env bash
# Call forwarding and do not disturb between vphone-cli instances on 127.0.0.1 (SIP 6000-6009,
# RTP 13700-13779). A calls B; B answers the INVITE with 302 (--forward, --forward-no-answer)
# and A follows the redirect (RFC 3261 §8.1.3.4) to C, an auto-answering vphone-cli: the call is
# between A and C with audio both ways (each side's tone found in the other's recording). B with
# --dnd refuses with 486 Busy Here, with --dnd-code 603 with 603 Decline. With --forward-busy only a
# second call, while B is in one, goes to C.
# usage: forward.sh VPHONE_CLI VPHONE_TONE_CHECK
CLI=$1
TONE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

tone() { # tone WAV HZ: the tone fills at least 90 % of the recording
  local out
  out=$("$TONE" "$1" "$2" --min 0.9 2>&1)
  local rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}
stop() { # stop NAME: SIGTERM and wait for it to exit
  local pid_var="PID_$1"
  kill "${!pid_var}" 2>/dev/null
  for _ in $(seq 50); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
}
carol() { # carol NAME: the forwarding target, auto-answering on 6000 with an 880 Hz tone
  start "$1" "$CLI" --listen udp:127.0.0.1:6000 --auto-answer --duration 20 --rtp-ports 13700-13719 \
    --audio-source tone:880 --audio-sink "file:$WORK/$1.wav"
  wait_for "$WORK/$1.log" "" 1
}
bob() { # bob NAME ARGS...: the callee on 6002
  local name=$1
  shift
  start "$name" "$CLI" --listen udp:127.0.0.1:6002 --duration 20 --rtp-ports 13720-13739 "$@"
  wait_for "$WORK/$name.log" "" 1
  sleep 0.3
}
alice() { # alice NAME ARGS...: calls bob on 6002, hangs up 4 s after the answer
  local name=$1
  shift
  timeout 30 "$CLI" --listen udp:127.0.0.1:6004 --call sip:bob@127.0.0.1:6002 --hangup-after 4 \
    --rtp-ports 13740-13759 --audio-source tone:440 --audio-sink "file:$WORK/$name.wav" "$@" >"$WORK/$name.log" 2>&1
}

echo "== --forward: B redirects every call to C with 302; A ends up talking to C"
carol carol1
bob bob1 --forward sip:carol@127.0.0.1:6000
alice alice1
check "the call succeeds (exit 0)" test $? -eq 0
stop carol1
stop bob1
check "A followed the redirect" grep -q 'call redirected to sip:carol@127.0.0.1:6000 (302)' "$WORK/alice1.log"
check "B forwarded, always" grep -q 'forwarding the call from .* to sip:carol@127.0.0.1:6000 (always)' "$WORK/bob1.log"
check "B never answered (no media there)" test ! -e "$WORK/bob1.wav"
check "A hears C's 880 Hz" tone "$WORK/alice1.wav" 880
check "C hears A's 440 Hz" tone "$WORK/carol1.wav" 440

echo "== --forward-no-answer after 1 s of ringing"
carol carol2
bob bob2 --forward-no-answer sip:carol@127.0.0.1:6000 --forward-after 1
alice alice2
check "the call succeeds (exit 0)" test $? -eq 0
stop carol2
stop bob2
check "B forwarded after ringing" grep -q 'to sip:carol@127.0.0.1:6000 (no answer)' "$WORK/bob2.log"
check "A followed the redirect" grep -q 'call redirected to sip:carol@127.0.0.1:6000 (302)' "$WORK/alice2.log"
check "A hears C's 880 Hz" tone "$WORK/alice2.wav" 880
check "C hears A's 440 Hz" tone "$WORK/carol2.wav" 440

echo "== --forward-busy: a second call while B is in one goes to C"
carol carol5
bob bob5 --auto-answer --forward-busy sip:carol@127.0.0.1:6000 --audio-source tone:660
timeout 30 "$CLI" --listen udp:127.0.0.1:6006 --call sip:bob@127.0.0.1:6002 --hangup-after 6 \
  --rtp-ports 13760-13779 --audio-source tone:330 >"$WORK/first5.log" 2>&1 &
FIRST=$!
sleep 1.5
alice alice5
check "the second call succeeds (exit 0)" test $? -eq 0
wait "$FIRST"
check "the first call, answered by B, succeeds too (exit 0)" test $? -eq 0
stop carol5
stop bob5
check "B forwarded the second call as busy" grep -q 'to sip:carol@127.0.0.1:6000 (busy)' "$WORK/bob5.log"
check "B forwarded only once" test "$(grep -c 'forwarding the call' "$WORK/bob5.log")" -eq 1
check "the first caller stayed with B" test "$(grep -c 'redirected' "$WORK/first5.log")" -eq 0
check "A (second) hears C's 880 Hz" tone "$WORK/alice5.wav" 880

echo "== --dnd: 486 Busy Here"
bob bob3 --dnd
alice alice3
check "the call fails (exit 1)" test $? -eq 1
stop bob3
check "A's log says busy (486)" grep -q 'failed: 486 Busy Here' "$WORK/alice3.log"
check "B says do not disturb" grep -q 'do not disturb: refusing the call from .* with 486' "$WORK/bob3.log"

echo "== --dnd --dnd-code 603: 603 Decline"
bob bob4 --dnd --dnd-code 603
alice alice4
check "the call fails (exit 1)" test $? -eq 1
stop bob4
check "A's log says declined (603)" grep -q 'failed: 603 Decline' "$WORK/alice4.log"

echo "== the same from the config file: [general] dnd = yes, dnd-code = 603"
printf '[general]\ndnd = yes\ndnd-code = 603\n' >"$WORK/bob6.conf"
bob bob6 --config "$WORK/bob6.conf"
alice alice6
check "the call fails (exit 1)" test $? -eq 1
stop bob6
check "A's log says declined (603)" grep -q 'failed: 603 Decline' "$WORK/alice6.log"

echo "== bad input"
"$CLI" --forward mailto:x@example.test >"$WORK/bad1.log" 2>&1
check "--forward with a non-SIP URI is refused (exit 2)" test $? -eq 2
check "and says why" grep -q -- '--forward needs a sip: or sips: URI' "$WORK/bad1.log"
"$CLI" --dnd --dnd-code 404 >"$WORK/bad2.log" 2>&1
check "--dnd-code 404 is refused (exit 2)" test $? -eq 2
finish
