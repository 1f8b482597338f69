#!/usr/bin/env bash
# Two vphone-cli instances calling each other with real, encrypted audio on 127.0.0.1 (SIP
# 5480-5499, RTP 11200-11299). Each side sends its own tone; vphone-tone-check asserts the far
# side's frequency fills at least 90 % of the recording, and --stats-json shows codec and SRTP.
#  1. Opus, SRTP by default (optional policy: SDES keys offered, taken by the peer);
#  2. PCMU with SRTP mandatory keyed by DTLS-SRTP on both sides; a DTLS call the callee holds
#     and resumes keeps its association (one handshake per side, RFC 8842 roles kept);
#     A muted microphone sends silence while RTP keeps flowing (--mute-after/--unmute-after).
#  3. DTMF digits received exactly, hold and resume by re-INVITE (the far end shows "remote"),
#     and a re-INVITE that changes the codec from Opus to PCMU;
#  4. a callee whose account demands SRTP (config file) refuses a caller that has it off, with 488
#     and a reason.
# usage: vphone_audio.sh VPHONE_CLI VPHONE_TONE_CHECK
CLI=$1
TONE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export XDG_DATA_HOME=$WORK/data # the DTLS certificate of both instances goes here

# json FILE PYTHON-EXPRESSION: evaluates the expression on the parsed --stats-json file `j`
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
# tone WAV HZ: the tone fills at least 90 % of the recording
tone() {
  local out
  out=$("$TONE" "$1" "$2" --min 0.9 2>&1)
  local rc=$?
  echo "       $(basename "$1"): $out"
  return $rc
}
# callee NAME PORT RTP ARGS...: an auto-answering vphone-cli recording what it hears
callee() {
  local name=$1 port=$2 rtp=$3
  shift 3
  start "$name" "$CLI" --listen "udp:127.0.0.1:$port" --auto-answer --events --duration 20 --rtp-ports "$rtp" \
    --audio-sink "file:$WORK/$name.wav" --stats-json "$WORK/$name.json" "$@"
  wait_for "$WORK/$name.log" "" 1
  sleep 0.3
}
# caller NAME PORT RTP TARGET_PORT ARGS...: calls the callee and hangs up after 4 s
caller() {
  local name=$1 port=$2 rtp=$3 target=$4
  shift 4
  timeout 30 "$CLI" --listen "udp:127.0.0.1:$port" --call "sip:bob@127.0.0.1:$target" --hangup-after 4 --events \
    --rtp-ports "$rtp" --audio-sink "file:$WORK/$name.wav" --stats-json "$WORK/$name.json" "$@" \
    >"$WORK/$name.log" 2>&1
}
stop_callee() { # stop_callee NAME: SIGTERM, then wait for its stats file
  local pid_var="PID_$1"
  kill "${!pid_var}" 2>/dev/null
  for _ in $(seq 50); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
}

echo "== Opus, SRTP offered by default (SDES)"
callee bob1 5480 11200-11219 --audio-source tone:880
caller alice1 5482 11220-11239 5480 --audio-source tone:440
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob1
check "alice hears bob's 880 Hz" tone "$WORK/alice1.wav" 880
check "bob hears alice's 440 Hz" tone "$WORK/bob1.wav" 440
for side in alice1 bob1; do
  check "$side: stats show Opus over SRTP (SDES, AES_CM_128_HMAC_SHA1_80)" json "$WORK/$side.json" \
    "j['calls'][0]['streams'][0]['codec']=='opus' and j['calls'][0]['streams'][0]['srtp']=={'suite':'AES_CM_128_HMAC_SHA1_80','keying':'sdes'}"
  check "$side: over 150 packets each way, none lost, no auth failures" json "$WORK/$side.json" \
    "(lambda s: s['packets_sent']>150 and s['packets_received']>150 and s['lost']==0 and s['srtp_auth_failures']==0)(j['calls'][0]['streams'][0])"
done

echo "== mute: alice's microphone muted from 1 s to 3 s of a 4 s call"
callee bob6 5480 11200-11219 --audio-source tone:880
caller alice6 5482 11220-11239 5480 --audio-source tone:440 --mute-after 1 --unmute-after 2
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob6
check "alice muted, then unmuted" \
  test "$(grep -o '"kind":"mute","state":"o[nf]*"' "$WORK/alice6.log" | cut -d'"' -f8 | tr '\n' ' ')" = "on off "
frac=$("$TONE" "$WORK/bob6.wav" 440 | cut -d' ' -f1)
echo "       bob6.wav: 440 Hz in $frac of the call (about half expected)"
check "bob heard alice's tone for only part of the call" python3 -c "import sys; sys.exit(0 if 0.3 < $frac < 0.8 else 1)"
check "RTP kept flowing while muted (> 150 packets at bob), and alice ended unmuted" json "$WORK/alice6.json" \
  "j['calls'][0]['streams'][0]['packets_sent']>150 and not j['calls'][0]['streams'][0]['muted']"
check "alice kept hearing bob throughout" tone "$WORK/alice6.wav" 880

echo "== PCMU, SRTP mandatory, DTLS-SRTP keys"
callee bob2 5484 11240-11259 --audio-source tone:1000 --codecs pcmu --srtp mandatory --keying dtls
caller alice2 5486 11260-11279 5484 --audio-source tone:600 --codecs pcmu --srtp mandatory --keying dtls
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob2
check "alice's DTLS handshake completed" grep -q '"kind":"dtls","state":"connected"' "$WORK/alice2.log"
check "bob's DTLS handshake completed" grep -q '"kind":"dtls","state":"connected"' "$WORK/bob2.log"
check "alice hears bob's 1000 Hz" tone "$WORK/alice2.wav" 1000
check "bob hears alice's 600 Hz" tone "$WORK/bob2.wav" 600
for side in alice2 bob2; do
  check "$side: stats show PCMU over DTLS-SRTP" json "$WORK/$side.json" \
    "(lambda s: s['codec']=='pcmu' and s['srtp'] is not None and s['srtp']['keying']=='dtls' and s['packets_received']>150)(j['calls'][0]['streams'][0])"
done
check "the certificate was made once, key private (0600)" \
  test "$(stat -c %a "$WORK/data/vphone/dtls/dtls-key.pem" 2>/dev/null)" = 600

echo "== DTLS-SRTP: the callee holds and resumes; the association (and its roles) survives"
callee bob5 5496 11240-11259 --audio-source tone:1000 --keying dtls --hold-after 1 --resume-after 1
caller alice5 5498 11260-11279 5496 --audio-source tone:600 --keying dtls
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob5
check "bob held and resumed" test "$(grep -o '"kind":"hold","state":"[a-z]*"' "$WORK/bob5.log" | cut -d'"' -f8 | tr '\n' ' ')" = "local none "
check "one DTLS handshake on alice's side" test "$(grep -c '"kind":"dtls","state":"connected"' "$WORK/alice5.log")" -eq 1
check "one DTLS handshake on bob's side" test "$(grep -c '"kind":"dtls","state":"connected"' "$WORK/bob5.log")" -eq 1
check "alice hears bob's 1000 Hz throughout (he sends while holding)" tone "$WORK/alice5.wav" 1000

echo "== DTMF, hold/resume, codec change by re-INVITE"
callee bob3 5488 11280-11289 --audio-source tone:880
timeout 30 "$CLI" --listen udp:127.0.0.1:5490 --call sip:bob@127.0.0.1:5488 --events --rtp-ports 11290-11299 \
  --audio-source tone:440 --audio-sink "file:$WORK/alice3.wav" --stats-json "$WORK/alice3.json" \
  --dtmf '159#*0AD' --dtmf-after 0.3 --hold-after 2.5 --resume-after 1 --reinvite-after 4.5 \
  --reinvite-codecs pcmu,telephone-event --hangup-after 6 >"$WORK/alice3.log" 2>&1
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob3
digits=$(grep -o '"digit":"[^"]*"' "$WORK/bob3.log" | cut -d'"' -f4 | tr -d '\n')
echo "       bob received DTMF: $digits"
check "bob received exactly 159#*0AD" test "$digits" = '159#*0AD'
holds=$(grep -o '"kind":"hold","state":"[a-z]*"' "$WORK/bob3.log" | cut -d'"' -f8 | tr '\n' ' ')
echo "       bob's hold states: $holds"
check "bob saw the far end hold the call, then resume it" test "$holds" = "remote none "
check "alice saw her own hold, then the resume" \
  test "$(grep -o '"kind":"hold","state":"[a-z]*"' "$WORK/alice3.log" | cut -d'"' -f8 | tr '\n' ' ')" = "local none "
check "three re-INVITEs answered 200 on alice's side" \
  test "$(grep -c '"origin":"local","reason":"OK","state":"modified"' "$WORK/alice3.log")" -eq 3
check "media restarted with PCMU after the codec change" grep -q '"codec":"pcmu","event":"media","kind":"started"' "$WORK/bob3.log"
for side in alice3 bob3; do
  check "$side: the call ended on PCMU" json "$WORK/$side.json" "j['calls'][0]['streams'][0]['codec']=='pcmu'"
done
check "alice sent 8 digits" json "$WORK/alice3.json" "j['calls'][0]['streams'][0]['dtmf_sent']==8"

echo "== SRTP mandatory (the account's policy, from the config file) refuses plain RTP"
printf '[account bob]\nuri = sip:bob@127.0.0.1:5492\nregister = no\nsrtp = mandatory\n' >"$WORK/bob4.conf"
callee bob4 5492 11280-11289 --config "$WORK/bob4.conf"
caller alice4 5494 11290-11299 5492 --srtp off
check "the call fails (exit 1)" test $? -eq 1
stop_callee bob4
check "with 488" grep -q '"code":488' "$WORK/alice4.log"
check "bob says why" grep -q 'refusing the call: 488 .*SRTP' "$WORK/bob4.log"
cat "$WORK/bob4.log" | grep refusing | sed 's/^/       /'
finish
