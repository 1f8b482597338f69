#!/usr/bin/env bash
# Call transfer (RFC 3515 REFER, RFC 3892 Referred-By, RFC 3891 Replaces) on 127.0.0.1, SIP
# 6040-6079, RTP 14000-14499. vphone-cli in every role: A answers B's call and transfers B to C
# (blind, --transfer-to), or A calls B, holds it, calls C and transfers B to C with Replaces
# (--attended-transfer): the final call is B-C with audio both ways and A is out of it. SIPp as
# the transferor REFERs vphone-cli to C; SIPp's bad REFERs get 400/403 and its NOTIFY for a
# subscription vphone never made 481; baresip 1.0 as the transferee of a blind transfer calls C
# (its audio reaches C) and, through its cons module's /transfer, as the transferor REFERring
# vphone-cli B to C; bad transfer flags are refused. (baresip 1.0 cannot be the transferee of
# an attended transfer: it puts the Refer-To's ?Replaces= into its Request-URI instead of a
# Replaces header, which vphone-cli refuses with 400, so A reports 'transfer failed 400'.)
# usage: transfer.sh VPHONE_CLI VPHONE_TONE_CHECK
CLI=$(realpath "$1")
TONE=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
command -v baresip >/dev/null || { echo "baresip missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK" # SIPp writes its logs into the current directory

tone() { # tone WAV HZ: the tone fills at least 80 % of the recording
  local out
  out=$("$TONE" "$1" "$2" --min 0.8 2>&1)
  local rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}
udp_bound() { # udp_bound PORT: waits (bounded) until something listens on 127.0.0.1:PORT/udp
  for _ in $(seq 100); do
    ss -Hlun "sport = :$1" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  return 1
}
stop() { # stop NAME: SIGTERM and wait for it to exit
  local pid_var="PID_$1"
  kill "${!pid_var}" 2>/dev/null
  for _ in $(seq 50); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
}

echo "== blind: B calls A, A answers and REFERs B to C; B calls C, A hangs up on NOTIFY 200"
start carol1 "$CLI" --listen udp:127.0.0.1:6040 --auto-answer --duration 12 --rtp-ports 14000-14019 \
  --audio-source tone:880 --audio-sink "file:$WORK/carol1.wav" --trace "$WORK/carol1.trace"
start alice1 "$CLI" --listen udp:127.0.0.1:6042 --auto-answer --duration 12 --rtp-ports 14020-14039 \
  --audio-source tone:660 --audio-sink "file:$WORK/alice1.wav" \
  --transfer-to sip:carol@127.0.0.1:6040 --transfer-after 1
udp_bound 6040
udp_bound 6042
timeout 30 "$CLI" --listen udp:127.0.0.1:6044 --call sip:alice@127.0.0.1:6042 --duration 8 \
  --rtp-ports 14040-14059 --audio-source tone:440 --audio-sink "file:$WORK/bob1.wav" >"$WORK/bob1.log" 2>&1
check "B (transferee) exits 0" test $? -eq 0
stop carol1
stop alice1
check "A printed the NOTIFY progress" grep -q 'transfer NOTIFY 180 Ringing' "$WORK/alice1.log"
check "A: transfer done" grep -q 'transfer done' "$WORK/alice1.log"
check "B: referred to C by A" grep -q 'referred to sip:carol@127.0.0.1:6040 by <sip:vphone@127.0.0.1:6042>' "$WORK/bob1.log"
check "B hung up its call with A after the transfer" grep -q 'transferred: hanging up call' "$WORK/bob1.log"
check "the INVITE at C came from B (127.0.0.1:6044)" grep -q '^From: <sip:vphone@127.0.0.1:6044>' "$WORK/carol1.trace"
check "  with A as Referred-By (RFC 3892)" grep -q '^Referred-By: <sip:vphone@127.0.0.1:6042>' "$WORK/carol1.trace"
check "B hears C's 880 Hz" tone "$WORK/bob1.wav" 880
check "C hears B's 440 Hz" tone "$WORK/carol1.wav" 440

echo "== attended: A calls B, holds it, calls C, then REFERs B to C with Replaces"
start carol2 "$CLI" --listen udp:127.0.0.1:6046 --auto-answer --duration 12 --rtp-ports 14060-14079 \
  --audio-source tone:880 --audio-sink "file:$WORK/carol2.wav" --trace "$WORK/carol2.trace"
start bob2 "$CLI" --listen udp:127.0.0.1:6048 --auto-answer --duration 12 --rtp-ports 14080-14099 \
  --audio-source tone:440 --audio-sink "file:$WORK/bob2.wav"
udp_bound 6046
udp_bound 6048
timeout 30 "$CLI" --listen udp:127.0.0.1:6050 --call sip:bob@127.0.0.1:6048 --duration 6 \
  --rtp-ports 14100-14119 --audio-source tone:660 --transfer-to sip:carol@127.0.0.1:6046 \
  --transfer-after 1 --attended-transfer >"$WORK/alice2.log" 2>&1
check "A (transferor) exits 0" test $? -eq 0
sleep 2
stop carol2
stop bob2
check "A made the consultation call and REFERred with Replaces" grep -q 'transfer REFER to .* with Replaces' "$WORK/alice2.log"
check "A: transfer done" grep -q 'transfer done' "$WORK/alice2.log"
check "B: referred with Replaces" grep -q 'referred to .*6046.* (with Replaces)' "$WORK/bob2.log"
check "C: B's call replaced A's" grep -q 'call 2 replaces call 1' "$WORK/carol2.log"
check "C received an INVITE with Replaces from B" python3 - "$WORK/carol2.trace" <<'PY'
import re, sys
blocks = re.split(r"^--- ", open(sys.argv[1], encoding="latin-1").read(), flags=re.M)
sys.exit(0 if any(re.search(r"^INVITE ", b, re.M) and re.search(r"^Replaces: ", b, re.M)
                  and re.search(r"^From: <sip:vphone@127.0.0.1:6048>", b, re.M) for b in blocks) else 1)
PY
check "B hears C's 880 Hz" tone "$WORK/bob2.wav" 880
check "C hears B's 440 Hz" tone "$WORK/carol2.wav" 440

echo "== SIPp as the transferor: REFER to C, NOTIFYs 100/180/200, then vphone-cli hangs up"
start carol3 "$CLI" --listen udp:127.0.0.1:6052 --auto-answer=1 --duration 12 --rtp-ports 14120-14139 \
  --events
start bob3 "$CLI" --listen udp:127.0.0.1:6054 --auto-answer --duration 12 --rtp-ports 14140-14159
udp_bound 6052
udp_bound 6054
timeout 30 sipp -sf "$HERE/sipp/uac_refer_transferor.xml" -i 127.0.0.1 -p 6055 -m 1 -timeout 20 \
  -timeout_error -trace_err -nostdin -key target sip:carol@127.0.0.1:6052 127.0.0.1:6054 \
  >"$WORK/sipp-transferor.log" 2>&1
check "SIPp got 202, NOTIFY 100/180/200 (terminated) and vphone-cli's BYE" test $? -eq 0
check "vphone-cli: referred to C by SIPp" grep -q 'referred to sip:carol@127.0.0.1:6052 by <sip:alice@127.0.0.1:6055>' "$WORK/bob3.log"
check "C's call came from vphone-cli (6054) and was answered" \
  grep -q '"from":"<sip:vphone@127.0.0.1:6054>' "$WORK/carol3.log"
stop carol3
stop bob3

echo "== SIPp's bad REFERs and a NOTIFY for no subscription"
start bob4 "$CLI" --listen udp:127.0.0.1:6056 --auto-answer --duration 20 --rtp-ports 14160-14179
udp_bound 6056
timeout 30 sipp -sf "$HERE/sipp/uac_refer_bad.xml" -i 127.0.0.1 -p 6057 -m 1 -timeout 20 \
  -timeout_error -trace_err -nostdin 127.0.0.1:6056 >"$WORK/sipp-bad.log" 2>&1
check "400 Missing Refer-To, 400 Several Refer-To, 403 for http:, 481 for the NOTIFY, then BYE 200" test $? -eq 0
check "vphone-cli is still running" kill -0 "$PID_bob4"
stop bob4

echo "== baresip as the transferee: A (vphone-cli) calls baresip and REFERs it to C (vphone-cli)"
mkdir -p "$WORK/bare"
sed -e "s|@PORT@|6060|g" -e "s|@RTP_PORTS@|14200-14219|g" -e "s|@NAME@|bare|g" "$HERE/baresip/config" \
  >"$WORK/bare/config"
echo "<sip:bob@127.0.0.1:6060>;regint=0;answermode=auto" >"$WORK/bare/accounts"
start bare baresip -4 -f "$WORK/bare" -t 9
start carol5 "$CLI" --listen udp:127.0.0.1:6064 --auto-answer --duration 8 --rtp-ports 14240-14259 \
  --audio-source tone:880 --audio-sink "file:$WORK/carol5.wav" --trace "$WORK/carol5.trace"
wait_for "$WORK/bare.log" "baresip is ready" 10
udp_bound 6064
timeout 20 "$CLI" --listen udp:127.0.0.1:6066 --call sip:bob@127.0.0.1:6060 --duration 4 \
  --rtp-ports 14260-14279 --transfer-to sip:carol@127.0.0.1:6064 --transfer-after 1 >"$WORK/alice5.log" 2>&1
check "A (vphone-cli) exits 0" test $? -eq 0
check "A: transfer done" grep -q 'transfer done' "$WORK/alice5.log"
check "baresip followed the REFER: its call with C is established" \
  baresip_has bare "Call established: sip:carol@127.0.0.1:6064"
check "the INVITE at C came from baresip" grep -q '^From: <sip:bob@127.0.0.1:6060>' "$WORK/carol5.trace"
check "A's call with baresip ended" baresip_has bare "Call with sip:vphone@127.0.0.1:6066 terminated"
stop carol5
check "C hears baresip's 440 Hz" tone "$WORK/carol5.wav" 440
stop bare

echo "== baresip as the transferor: it calls vphone-cli B, then /transfer (cons module) to C"
mkdir -p "$WORK/ann"
sed -e "s|@PORT@|6068|g" -e "s|@RTP_PORTS@|14300-14319|g" -e "s|@NAME@|ann|g" "$HERE/baresip/config" \
  >"$WORK/ann/config"
printf 'module\t\t\tcons.so\ncons_listen\t\t127.0.0.1:6071\n' >>"$WORK/ann/config"
echo "<sip:ann@127.0.0.1:6068>;regint=0" >"$WORK/ann/accounts"
start carol6 "$CLI" --listen udp:127.0.0.1:6074 --auto-answer --duration 8 --rtp-ports 14340-14359 \
  --audio-source tone:880 --audio-sink "file:$WORK/carol6.wav" --trace "$WORK/carol6.trace"
start bob6 "$CLI" --listen udp:127.0.0.1:6076 --auto-answer --duration 8 --rtp-ports 14360-14379 \
  --audio-source tone:660
udp_bound 6074
udp_bound 6076
start ann baresip -4 -f "$WORK/ann" -t 7 -e "/dial sip:bob@127.0.0.1:6076"
wait_for "$WORK/ann.log" "Call established" 10
sleep 0.5
python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
  b'/transfer sip:carol@127.0.0.1:6074\n', ('127.0.0.1', 6071))"
check "vphone-cli B: referred to C by baresip" wait_for "$WORK/bob6.log" 'referred to sip:carol@127.0.0.1:6074' 5
check "B's INVITE reached C" wait_for "$WORK/carol6.trace" '^From: <sip:vphone@127.0.0.1:6076>' 5
check "B hung up its call with baresip once C answered" wait_for "$WORK/bob6.log" 'transferred: hanging up call' 5
check "baresip's call with B ended" baresip_has ann "Call with sip:bob@127.0.0.1:6076 terminated"
sleep 2
stop carol6
stop bob6
stop ann
check "C hears B's 660 Hz" tone "$WORK/carol6.wav" 660

echo "== bad transfer flags"
"$CLI" --listen udp:127.0.0.1:6058 --call sip:x@127.0.0.1:6059 --transfer-to http://x >"$WORK/flag1.log" 2>&1
check "--transfer-to http://x is refused (exit 2)" test $? -eq 2
check "  saying why" grep -q -- '--transfer-to needs a sip:, sips: or tel: URI' "$WORK/flag1.log"
"$CLI" --listen udp:127.0.0.1:6058 --call sip:x@127.0.0.1:6059 --attended-transfer >"$WORK/flag2.log" 2>&1
check "--attended-transfer without --transfer-to is refused (exit 2)" test $? -eq 2
"$CLI" --listen udp:127.0.0.1:6058 --call sip:x@127.0.0.1:6059 --transfer-to sip:c@127.0.0.1:6059 \
  --transfer-after soon >"$WORK/flag3.log" 2>&1
check "--transfer-after soon is refused (exit 2)" test $? -eq 2
"$CLI" --listen udp:127.0.0.1:6058 --transfer-to sip:c@127.0.0.1:6059 >"$WORK/flag4.log" 2>&1
check "--transfer-to without a call to transfer is refused (exit 2)" test $? -eq 2

finish
