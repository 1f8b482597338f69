#!/usr/bin/env bash
# A participant asks the focus to add someone (RFC 4579 §5.5), vphone-cli in each role, on
# 127.0.0.1 (SIP 6110-6113, RTP 14800-14859). The host (--conference, 440 Hz) takes P's call;
# P (660 Hz, --conference-add URI) sends an in-dialog REFER naming C; the host invites C into
# the conference (INVITE from the focus), NOTIFYs the progress, and keeps P's call. C (880 Hz,
# auto-answer) then hears the host and P and not itself; P hears the host and C (conference/
# freqs.py, Goertzel over 20 ms windows, >= 80 %). A --conference-add of someone busy fails in words (486).
# usage: conference_add.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
FREQS="$HERE/conference/freqs.py"

freqs() { # WAV FROM TO WANT ABSENT
  local out rc
  out=$(python3 "$FREQS" "$1" "$2" "$3" --want "$4" --absent "$5" --min 0.8 2>&1)
  rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}

start host "$CLI" --listen udp:127.0.0.1:6110 --conference --duration 30 --audio-source tone:440 \
  --audio-sink null --rtp-ports 14800-14819
start carol "$CLI" --listen udp:127.0.0.1:6112 --auto-answer --duration 16 --audio-source tone:880 \
  --audio-sink "file:$WORK/carol.wav" --rtp-ports 14840-14859
sleep 0.5
timeout 30 "$CLI" --listen udp:127.0.0.1:6111 --call sip:conf@127.0.0.1:6110 \
  --conference-add sip:carol@127.0.0.1:6112 --hangup-after 10 --audio-source tone:660 \
  --audio-sink "file:$WORK/pat.wav" --rtp-ports 14820-14839 >"$WORK/pat.log" 2>&1
check "P's call succeeds and ends by its own hang-up (exit 0)" test $? -eq 0
check "P's REFER was accepted (202)" grep -q "conference add accepted 202" "$WORK/pat.log"
check "the focus NOTIFYed 200 for C and P says so" \
  grep -q "conference add done sip:carol@127.0.0.1:6112" "$WORK/pat.log"
check "P was not moved away (no transfer hang-up)" sh -c "! grep -q 'transferred: hanging up' '$WORK/pat.log'"
check "the host invited C itself" grep -q "conference: inviting sip:carol@127.0.0.1:6112" "$WORK/host.log"
check "C joined the conference at the host" grep -q "conference joined sip:carol@127.0.0.1:6112" "$WORK/host.log"
check "C's call came from the focus (6110)" grep -q "127.0.0.1:6110" "$WORK/carol.log"
check "C hears the host (440) and P (660), not itself" freqs "$WORK/carol.wav" 1 6 440,660 880
check "P hears the host (440) and C (880), not itself" freqs "$WORK/pat.wav" 4 9 440,880 660

echo "== --conference-add of someone busy (--dnd): the focus NOTIFYs 486, P says the add failed"
start dan "$CLI" --listen udp:127.0.0.1:6113 --dnd --duration 15
sleep 0.3
timeout 30 "$CLI" --listen udp:127.0.0.1:6111 --call sip:conf@127.0.0.1:6110 \
  --conference-add sip:dan@127.0.0.1:6113 --hangup-after 4 --rtp-ports 14820-14839 >"$WORK/pat2.log" 2>&1
check "P exits 1: the add failed" test $? -eq 1
check "P says the add failed with the code" grep -q "conference add failed 486 Busy Here" "$WORK/pat2.log"
finish
