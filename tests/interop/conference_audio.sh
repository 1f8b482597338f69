#!/usr/bin/env bash
# A four-party audio conference hosted by vphone-cli --conference (RFC 4579 §5: vphone is the
# focus), on 127.0.0.1: SIP 6080-6099, RTP 14500-14659. The host sends 440 Hz from its own
# --audio-source (a -9 dBFS WAV) and records what it hears; three far ends nobody here wrote:
# two baresip 1.0.0 (alice 700 Hz, bob 1000 Hz: ausine, dumping what they decode with sndfile)
# dial in, and carol, a linphonec 5.1 (liblinphone; no sound card: "soundcard use files",
# playing a 1300 Hz WAV and recording what it hears), is called by the host (--invite) and
# answers on her own (-a). Every recording must hold every other participant's frequency and
# not its own in >= 80 % of the 20 ms windows of a stretch after the last join
# (conference/freqs.py, Goertzel). bob leaves (his baresip quits after 10 s): the host logs
# 'conference left', and alice, carol and the host go on hearing each other without bob's
# tone. Meanwhile SIPp SUBSCRIBEs to the conference package (Event: conference) and gets the
# roster with 4 users (RFC 4575), then ends its subscription. --stats-json holds one
# participants row per member with the mixer's figures.
# usage: conference_audio.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for p in baresip sipp python3 linphonec ss; do
  command -v $p >/dev/null || { echo "$p missing: scripts/install-deps.sh --peers"; exit 1; }
done
FREQS="$HERE/conference/freqs.py"
HOST=6080

# baresip_conf NAME PORT RTP_PORTS HZ ACCOUNT_PARAMS [ARGS...]: a baresip with its own config
baresip_conf() {
  local name=$1 port=$2 rtp=$3 hz=$4 params=$5
  shift 5
  mkdir -p "$WORK/$name"
  sed -e "s|@PORT@|$port|g" -e "s|@RTP_PORTS@|$rtp|g" -e "s|@NAME@|$name|g" -e "s|@TONE@|$hz|g" \
    -e "s|@DIR@|$WORK/$name|g" "$HERE/conference/baresip.config" >"$WORK/$name/config"
  echo "<sip:$name@127.0.0.1:$port>;regint=0$params" >"$WORK/$name/accounts"
  start "$name" baresip -4 -f "$WORK/$name" "$@"
  wait_for "$WORK/$name.log" "baresip is ready" 10
}
dec_wav() { # NAME: the WAV baresip NAME decoded
  local f=("$WORK/$1"/dump-*-dec.wav)
  [ -s "${f[0]}" ] && echo "${f[0]}"
}
freqs() { # WAV FROM TO WANT ABSENT
  local out rc
  out=$(python3 "$FREQS" "$1" "$2" "$3" --want "$4" --absent "$5" --min 0.8 2>&1)
  rc=$?
  echo "       $(basename "$(dirname "$1")")/$(basename "$1"): $out"
  return $rc
}
# tone_wav HZ FILE: 30 s of HZ at -9 dBFS (RMS), as loud as baresip's ausine, so that in each
# mix of three every tone holds about a third of the energy (a quieter host tone held ~10 %).
tone_wav() {
  python3 - "$1" "$2" <<'PY'
import math, struct, sys, wave
hz, path, rate = float(sys.argv[1]), sys.argv[2], 16000
w = wave.open(path, "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
w.writeframes(b"".join(struct.pack("<h", int(16000 * math.sin(2 * math.pi * hz * i / rate)))
                       for i in range(rate * 30)))
PY
}
# linphonec: a private HOME (it opens no SIP socket without a writable ~/.local/share/linphone),
# commands through a FIFO held open on fd 3 (EOF on stdin makes it spin), audio from/to files.
LIN_PORT=6094
start_carol() {
  mkdir -p "$WORK/carol/home/.local/share/linphone"
  sed -e "s|@SIP_PORT@|$LIN_PORT|g" -e "s|@AUDIO_PORT@|14640|g" -e "s|@VIDEO_PORT@|14642|g" \
    -e "s|@MEDIA_ENCRYPTION@|none|g" -e "s|@MANDATORY@|0|g" "$HERE/linphone-video/linphonerc.in" \
    | sed -e 's|contact="lin" <sip:lin@|contact="carol" <sip:carol@|' >"$WORK/carol/rc"
  tone_wav 1300 "$WORK/carol/tone.wav"
  mkfifo "$WORK/carol/in"
  HOME="$WORK/carol/home" linphonec -c "$WORK/carol/rc" -a -d 5 -l "$WORK/carol/debug.log" \
    <"$WORK/carol/in" >"$WORK/carol.log" 2>&1 &
  PIDS+=($!)
  PID_carol=$!
  exec 3>"$WORK/carol/in"
  for _ in $(seq 100); do ss -lun | grep -q "127.0.0.1:$LIN_PORT " && break; sleep 0.1; done
  lc "soundcard use files"
  lc "play $WORK/carol/tone.wav"
  lc "record $WORK/carol/heard.wav"
}
# lc COMMAND: to carol's FIFO, only while she runs (a write with no reader would SIGPIPE us)
lc() { kill -0 "$PID_carol" 2>/dev/null && echo "$*" >&3; }
stop_carol() {
  lc quit
  for _ in $(seq 50); do kill -0 "$PID_carol" 2>/dev/null || break; sleep 0.1; done
  kill "$PID_carol" 2>/dev/null
  exec 3>&-
}
since() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$1" "$2"; }

echo "== carol (linphonec, 1300 Hz) answers on her own; the host invites her as soon as it is up"
start_carol
check "linphonec listens on 127.0.0.1:$LIN_PORT" sh -c "ss -lun | grep -q '127.0.0.1:$LIN_PORT '"
tone_wav 440 "$WORK/host440.wav"
start host "$CLI" --listen udp:127.0.0.1:$HOST --conference --invite sip:carol@127.0.0.1:6094 \
  --audio-source "file:$WORK/host440.wav" --audio-sink "file:$WORK/host.wav" --rtp-ports 14500-14599 \
  --stats-json "$WORK/host.json" --duration 16
T_HOST=$(date +%s.%N)
check "the host invited carol into the conference" wait_for "$WORK/host.log" "conference joined sip:carol@127.0.0.1:6094" 10
T_CAROL=$(date +%s.%N) # linphonec's recording starts with the call's audio
echo "== alice (700 Hz) and bob (1000 Hz) dial in"
baresip_conf alice 6086 14600-14619 700 "" -t 40 -e "/dial sip:conf@127.0.0.1:$HOST"
T_ALICE=$(date +%s.%N)
check "alice joined" wait_for "$WORK/host.log" "conference joined sip:alice@127.0.0.1:6086" 10
baresip_conf bob 6090 14620-14639 1000 "" -t 8 -e "/dial sip:conf@127.0.0.1:$HOST"
T_BOB=$(date +%s.%N)
check "bob joined" wait_for "$WORK/host.log" "conference joined sip:bob@127.0.0.1:6090" 10
T_LAST=$(date +%s.%N)
sleep 0.5
echo "== SIPp subscribes to the conference package while all four are in"
(cd "$WORK" && timeout 15 sipp 127.0.0.1:$HOST -sf "$HERE/conference/subscribe.xml" -i 127.0.0.1 -p 6098 \
  -m 1 -trace_msg -trace_err -nostdin >"$WORK/sipp.log" 2>&1)
check "SIPp's SUBSCRIBE got 200 and a NOTIFY with the roster of 4 users (exit 0)" test $? -eq 0
check "the roster names every participant" sh -c "grep -h 'user entity' '$WORK'/subscribe_*_messages.log | \
  grep -q 'sip:alice@127.0.0.1:6086' && grep -h 'user entity' '$WORK'/subscribe_*_messages.log | \
  grep -q 'sip:carol@127.0.0.1:6094' && grep -h 'user entity' '$WORK'/subscribe_*_messages.log | grep -q 'sip:bob@127.0.0.1:6090'"
check "every endpoint in it is connected, with audio" grep -q '<status>connected</status><media id="1"><type>audio</type>' "$WORK"/subscribe_*_messages.log
echo "== bob leaves; the others go on"
check "the host saw bob leave" wait_for "$WORK/host.log" "conference left sip:bob@127.0.0.1:6090" 15
T_LEFT=$(date +%s.%N)
check "the host ended the conference after --duration (BYE to all, exit 0)" sh -c "
  for _ in \$(seq 150); do kill -0 $PID_host 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
wait "$PID_host"
check "vphone-cli --conference exits 0" test $? -eq 0
check "alice got the host's BYE" baresip_has alice "terminated"
check "carol (linphonec) got the host's BYE" wait_for "$WORK/carol.log" "Call.*ended\|Call terminated\|ended (Call terminated)" 5
kill "$PID_alice" 2>/dev/null
stop_carol
sleep 0.5

# Stretches of each recording (seconds from its start): all four in, from 1 s after the last join
# for 5 s; then from 1 s after bob left for 2.5 s.
A0=$(since "$T_LAST" "$T_ALICE"); C0=$(since "$T_LAST" "$T_CAROL"); B0=$(since "$T_LAST" "$T_BOB"); H0=$(since "$T_LAST" "$T_HOST")
AL=$(since "$T_LEFT" "$T_ALICE"); CL=$(since "$T_LEFT" "$T_CAROL"); HL=$(since "$T_LEFT" "$T_HOST")
plus() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) + float(sys.argv[2])))" "$1" "$2"; }
echo "== four in: each hears the three others, not itself"
check "alice hears 440, 1000, 1300 and not 700" freqs "$(dec_wav alice)" "$(plus $A0 1)" "$(plus $A0 6)" 440,1000,1300 700
check "bob hears 440, 700, 1300 and not 1000" freqs "$(dec_wav bob)" "$(plus $B0 1)" "$(plus $B0 5)" 440,700,1300 1000
check "carol hears 440, 700, 1000 and not 1300" freqs "$WORK/carol/heard.wav" "$(plus $C0 1)" "$(plus $C0 6)" 440,700,1000 1300
check "the host hears 700, 1000, 1300 and not 440" freqs "$WORK/host.wav" "$(plus $H0 1)" "$(plus $H0 6)" 700,1000,1300 440
echo "== after bob left: the three others still hear each other, and no 1000 Hz"
check "alice hears 440 and 1300, not 700" freqs "$(dec_wav alice)" "$(plus $AL 1)" "$(plus $AL 3.5)" 440,1300 700
check "alice no longer hears bob" freqs "$(dec_wav alice)" "$(plus $AL 1)" "$(plus $AL 3.5)" 440 1000
check "carol hears 440 and 700, not 1300" freqs "$WORK/carol/heard.wav" "$(plus $CL 1)" "$(plus $CL 3.5)" 440,700 1300
check "the host hears 700 and 1300, not 440" freqs "$WORK/host.wav" "$(plus $HL 1)" "$(plus $HL 3.5)" 700,1300 440
check "--stats-json: a participants row per member and the host, with frames in and out" python3 - "$WORK/host.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["participants"]
for r in rows:
    print("       %s codec=%s in=%d out=%d under=%d over=%d level=%.1f dBFS" % (
        r.get("uri"), r.get("codec"), r.get("frames_in", 0), r.get("frames_out", 0),
        r.get("underruns", 0), r.get("overruns", 0), r.get("level_dbfs", -99)))
uris = {r.get("uri") for r in rows}
ok = (len(rows) == 4 and any(r.get("host") for r in rows) and all(r.get("codec") for r in rows)
      and {"sip:alice@127.0.0.1:6086", "sip:bob@127.0.0.1:6090", "sip:carol@127.0.0.1:6094"} <= uris
      and all(r.get("frames_in", 0) > 100 and r.get("frames_out", 0) > 100 for r in rows))
sys.exit(0 if ok else 1)
PY
finish
