#!/usr/bin/env bash
# Members asking a vphone-cli focus to remove or add someone (RFC 4579 §5.6 and §5.5), on
# 127.0.0.1 (SIP 6500-6506, RTP 18500-18619). The host (--conference) takes P's call (vphone-cli);
# P's --conference-add REFERs, in its call, first add C, then remove C (Refer-To with
# method=BYE): the host hangs up C (BYE) and P's roster shows C disconnected; removing someone
# who is no member gets a 404 sipfrag. Then a REFER outside any dialog (SIPp,
# sipp/uac_refer_focus.xml): from a stranger 403; from P's address (a member) 202, the host
# invites D (its INVITE's Contact has isfocus: D subscribes to the conference) and NOTIFYs the
# progress in the REFER's own dialog up to 200. A second host with --conference-refer-any takes a
# stranger's out-of-dialog REFER (sipp/uac_refer_focus_any.xml) and adds E.
# usage: conference_refer.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }

start host "$CLI" --listen udp:127.0.0.1:6500 --conference --duration 40 --audio-source tone:440 \
  --audio-sink null --rtp-ports 18500-18519
start carol "$CLI" --listen udp:127.0.0.1:6502 --auto-answer --duration 35 --audio-sink null --events \
  --rtp-ports 18540-18559
start dan "$CLI" --listen udp:127.0.0.1:6503 --auto-answer --duration 35 --audio-sink null \
  --rtp-ports 18560-18579
sleep 0.5
start pat "$CLI" --listen udp:127.0.0.1:6501 --call sip:conf@127.0.0.1:6500 \
  --conference-add sip:carol@127.0.0.1:6502 --conference-add "sip:carol@127.0.0.1:6502;method=BYE" \
  --conference-add "sip:nobody@127.0.0.1:6509;method=BYE" --hangup-after 25 --audio-sink null \
  --rtp-ports 18520-18539

echo "== in P's call: add C, then REFER method=BYE removes C; a non-member's removal is 404"
check "P's add of C is done (200 sipfrag)" wait_for "$WORK/pat.log" "conference add done sip:carol@127.0.0.1:6502$" 20
check "the removal of C is done (200 sipfrag)" \
  wait_for "$WORK/pat.log" "conference add done sip:carol@127.0.0.1:6502;method=BYE" 20
check "the host removed C" grep -q "conference: removing sip:carol@127.0.0.1:6502$" "$WORK/host.log"
check "C left the conference at the host" wait_for "$WORK/host.log" "conference left sip:carol@127.0.0.1:6502" 5
check "C's call was ended by the focus's BYE (long before C's --duration)" \
  wait_for "$WORK/carol.log" '"event":"call".*"state":"terminated"' 5
check "P's roster shows C disconnected" \
  wait_for "$WORK/pat.log" "roster sip:carol@127.0.0.1:6502 disconnected" 5
check "removing a non-member gets 404" \
  wait_for "$WORK/pat.log" "conference add failed 404 Not a participant" 10
check "P's own call stayed up" sh -c "! grep -q 'conference left sip:.*6501' '$WORK/host.log'"

echo "== outside any dialog (SIPp): a stranger gets 403, the member P adds D"
PFROM=$(grep -o "conference joined sip:[^ ]*" "$WORK/host.log" | head -1 | cut -d' ' -f3)
check "P is a member (its address: ${PFROM:-none})" test -n "$PFROM"
timeout 60 sipp -sf "$HERE/sipp/uac_refer_focus.xml" -i 127.0.0.1 -p 6504 -m 1 -timeout 30 -timeout_error \
  -trace_err -nostdin -key from "$PFROM" -key target sip:dan@127.0.0.1:6503 127.0.0.1:6500 \
  >"$WORK/sipp.log" 2>&1
check "SIPp: 403 for the stranger, 202 and sipfrag NOTIFYs up to 200 for the member" test $? -eq 0
check "the host invited D" grep -q "conference: inviting sip:dan@127.0.0.1:6503" "$WORK/host.log"
check "D joined the conference at the host" grep -q "conference joined sip:dan@127.0.0.1:6503" "$WORK/host.log"
check "D's INVITE came from the focus (isfocus: D subscribes to the conference)" \
  wait_for "$WORK/dan.log" "conference: subscribing to sip:.*127.0.0.1:6500" 5
check "P's roster shows D connected" wait_for "$WORK/pat.log" "roster sip:dan@127.0.0.1:6503 connected" 5

echo "== a host with --conference-refer-any (no member yet) takes a stranger's REFER: it adds E"
start host2 "$CLI" --listen udp:127.0.0.1:6505 --conference --conference-refer-any --duration 20 \
  --audio-sink null --rtp-ports 18580-18599
start erin "$CLI" --listen udp:127.0.0.1:6506 --auto-answer --duration 20 --audio-sink null \
  --rtp-ports 18600-18619
check "host2's conference is up" wait_for "$WORK/host2.log" "conference sip:conference@127.0.0.1:6505 up" 10
timeout 60 sipp -sf "$HERE/sipp/uac_refer_focus_any.xml" -i 127.0.0.1 -p 6504 -m 1 -timeout 30 -timeout_error \
  -trace_err -nostdin -key from sip:stranger@127.0.0.1:6504 -key target sip:erin@127.0.0.1:6506 \
  127.0.0.1:6505 >"$WORK/sipp-any.log" 2>&1
check "SIPp: 202 and sipfrag NOTIFYs up to 200 for the stranger" test $? -eq 0
check "E joined host2's conference" grep -q "conference joined sip:erin@127.0.0.1:6506" "$WORK/host2.log"
finish
