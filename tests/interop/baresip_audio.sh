#!/usr/bin/env bash
# Secure two-way audio between vphone-cli and baresip 1.0.0 (Debian's baresip-core), on 127.0.0.1:
# SIP 5440-5479, RTP 11000-11199. vphone-cli sends a 440 Hz tone (--audio-source tone:440) and
# records what it decodes (--audio-sink file:...wav); baresip sends 1000 Hz (ausine) and its sndfile
# module dumps what it decodes (dump-*-dec.wav); config in baresip-audio/. Each call lasts about
# 6 s: baresip (libre) sends its RTCP reports on a fixed 5 s timer and every case asserts one arrived. vphone-tone-check (Goertzel, 20 ms windows) must find the far side's tone in at least 90 %
# of each received recording (both recorders start with the media, so the file is the call), and
# vphone-cli's --stats-json must show the codec, the SRTP suite and keying, and > 100 packets each
# way; baresip's log must show the same suite. Cases, each in both directions:
#  1. direct, Opus, SDES-SRTP mandatory (vphone --srtp mandatory, baresip mediaenc=srtp-mand);
#  2. direct, PCMU, SDES-SRTP mandatory;
#  3. direct, DTLS-SRTP (vphone --keying dtls, baresip mediaenc=dtls_srtp): Opus when vphone-cli
#     calls, PCMU when baresip calls. The DTLS server picks the SRTP profile: vphone-cli (the
#     offerer's actpass, baresip answers active) picks AEAD_AES_128_GCM; baresip, as server when
#     vphone-cli answers active, picks AES_CM_128_HMAC_SHA1_80;
#  4. through Kamailio (registrar + proxy with digest auth, config in kamailio/), Opus, SDES-SRTP
#     mandatory: alice (vphone-cli) calls carol (baresip, registered); carol calls bob (vphone-cli,
#     registered).
# RTCP: baresip 1.0 answers/offers without a=rtcp-mux, so on DTLS-SRTP calls the RTCP port runs its
# own DTLS handshake (RFC 5764 §4.1) keying SRTCP; every case asserts SRTCP reports arrived. On SDES
# calls baresip's first RTCP APP "PING" goes out in plaintext and vphone-cli counts it as malformed.
# usage: baresip_audio.sh VPHONE_CLI [VPHONE_TONE_CHECK]
CLI=$(realpath "$1")
TONE_CHECK=$(realpath "${2:-$(dirname "$CLI")/../../media/device/vphone-tone-check}")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for p in baresip kamailio python3; do
  command -v $p >/dev/null || { echo "$p missing: scripts/install-deps.sh --peers"; exit 1; }
done
[ -x "$TONE_CHECK" ] || { echo "vphone-tone-check not found at $TONE_CHECK"; exit 1; }
export XDG_DATA_HOME=$WORK # vphone-cli keeps its DTLS certificate in $XDG_DATA_HOME/vphone/dtls
VPHONE_HZ=440
BARESIP_HZ=1000
MIN=0.9
KP=5440
DOMAIN="127.0.0.1:$KP"
T0=$SECONDS

# baresip_dir NAME PORT RTP_PORTS ACCOUNT_LINE: a config directory $WORK/NAME (also its snd_path)
baresip_dir() {
  mkdir -p "$WORK/$1"
  sed -e "s|@PORT@|$2|g" -e "s|@RTP_PORTS@|$3|g" -e "s|@NAME@|$1|g" -e "s|@TONE@|$BARESIP_HZ|g" \
    -e "s|@DIR@|$WORK/$1|g" "$HERE/baresip-audio/config" >"$WORK/$1/config"
  echo "$4" >"$WORK/$1/accounts"
}
baresip_wait() { # NAME PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do baresip_has "$1" "$2" && return 0; sleep 0.1; done
  return 1
}
# stop NAME: SIGTERM, bounded wait, then the exit code
stop() {
  local pid_var="PID_${1//-/_}"
  kill -TERM "${!pid_var}" 2>/dev/null
  for _ in $(seq 60); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}"
}
# tone WAV HZ: vphone-tone-check at --min $MIN; prints its verdict, remembered for the summary
SUMMARY=()
tone() {
  local out rc
  out=$("$TONE_CHECK" "$1" "$2" --min "$MIN" 2>&1)
  rc=$?
  echo "       $(basename "$(dirname "$1")")/$(basename "$1"): $out"
  SUMMARY+=("$CASE, $3: $out")
  return $rc
}
# dec_wav NAME: the one WAV baresip NAME's sndfile module wrote for the decoded audio
dec_wav() {
  local f=("$WORK/$1"/dump-*-dec.wav)
  [ ${#f[@]} -eq 1 ] && [ -s "${f[0]}" ] && echo "${f[0]}"
}
# stats_ok JSON CODEC SUITE KEYING: vphone-cli's --stats-json holds one call with one audio stream
# using CODEC, SRTP SUITE keyed by KEYING, more than 100 packets each way, no SRTP auth failures
stats_ok() {
  python3 - "$@" <<'PY'
import json, sys
path, codec, suite, keying = sys.argv[1:]
calls = json.load(open(path))["calls"]
s = calls[0]["streams"][0]
print("       stats: codec=%s srtp=%s sent=%d received=%d lost=%d auth_failures=%d" % (
    s["codec"], s["srtp"], s["packets_sent"], s["packets_received"], s["lost"], s["srtp_auth_failures"]))
print("       rtcp received %d, sent %d, malformed %d" % (s["rtcp_received"], s["rtcp_sent"], s["malformed"]))
ok = (len(calls) == 1 and s["type"] == "audio" and s["codec"] == codec and s["srtp"] is not None
      and s["srtp"]["suite"] == suite and s["srtp"]["keying"] == keying
      and s["packets_sent"] > 100 and s["packets_received"] > 100 and s["srtp_auth_failures"] == 0
      and s["rtcp_received"] >= 1)
sys.exit(0 if ok else 1)
PY
}
# baresip_codec NAME CODEC: baresip encoded and decoded CODEC
baresip_codec() { baresip_has "$1" "Set audio encoder: $2" && baresip_has "$1" "Set audio decoder: $2"; }
# baresip_srtp NAME SUITE KEYING: baresip's log shows SRTP with SUITE, keyed as KEYING
baresip_srtp() {
  if [ "$3" = dtls ]; then
    baresip_has "$1" "verified sha-256 fingerprint OK" &&
      baresip_has "$1" "DTLS-SRTP complete (audio/RTP) Profile=$2"
  else
    baresip_has "$1" "SRTP is Enabled (cryptosuite=$2)"
  fi
}
# media_checks VPHONE BARESIP CODEC SUITE KEYING: what every case asserts once the call is over
media_checks() {
  local v=$1 b=$2 codec=$3 suite=$4 keying=$5 bcodec
  [ "$codec" = opus ] && bcodec=opus || bcodec=PCMU
  check "vphone-cli's media started with $codec" \
    grep -q "\"codec\":\"$codec\",\"event\":\"media\",\"kind\":\"started\"" "$WORK/$v.log"
  [ "$keying" = dtls ] &&
    check "vphone-cli's DTLS handshake connected" grep -q '"kind":"dtls","state":"connected"' "$WORK/$v.log"
  check "stats: $codec, SRTP $suite ($keying), > 100 packets each way" stats_ok "$WORK/$v.json" "$codec" "$suite" "$keying"
  check "baresip used $bcodec both ways" \
    baresip_codec "$b" $bcodec
  check "baresip's SRTP: $suite ($keying)" baresip_srtp "$b" "$suite" "$keying"
  check "vphone-cli received baresip's $BARESIP_HZ Hz in >= $MIN of the call" \
    tone "$WORK/$v.wav" $BARESIP_HZ "vphone got $BARESIP_HZ Hz"
  local wav
  wav=$(dec_wav "$b")
  check "baresip dumped what it decoded" test -n "$wav"
  check "baresip received vphone-cli's $VPHONE_HZ Hz in >= $MIN of the call" \
    tone "${wav:-$WORK/$b/missing.wav}" $VPHONE_HZ "baresip got $VPHONE_HZ Hz"
}
# vphone_args NAME RTP_PORTS CODEC KEYING: vphone-cli's media flags for a case
vphone_args() {
  ARGS=(--events --trace "$WORK/$1.trace" --audio-source "tone:$VPHONE_HZ" --audio-sink "file:$WORK/$1.wav"
    --codecs "$3" --srtp mandatory --keying "$4" --rtp-ports "$2" --stats-json "$WORK/$1.json")
}

# call_baresip N CODEC KEYING SUITE: vphone-cli calls a baresip that answers on its own (direct)
call_baresip() {
  local n=$1 codec=$2 keying=$3 suite=$4 me=srtp-mand
  [ "$keying" = dtls ] && me=dtls_srtp
  local b=carol$n v=alice$n bport=$((5442 + 4 * n)) vport=$((5444 + 4 * n))
  CASE="direct $codec $keying, vphone-cli -> baresip"
  echo "== $CASE"
  baresip_dir "$b" $bport $((11000 + 10 * n))-$((11009 + 10 * n)) \
    "<sip:carol@127.0.0.1:$bport>;regint=0;answermode=auto;mediaenc=$me"
  start "$b" baresip -4 -f "$WORK/$b" -t 30
  wait_for "$WORK/$b.log" "baresip is ready" 10
  vphone_args "$v" $((11100 + 10 * n))-$((11109 + 10 * n)) "$codec" "$keying"
  timeout 30 "$CLI" --listen "udp:127.0.0.1:$vport" --call "sip:carol@127.0.0.1:$bport" --hangup-after 6 \
    "${ARGS[@]}" >"$WORK/$v.log" 2>"$WORK/$v.err"
  check "vphone-cli exits 0 after the call" test $? -eq 0
  check "baresip got the BYE" baresip_wait "$b" "terminated (duration" 5
  stop "$b"
  media_checks "$v" "$b" "$codec" "$suite" "$keying"
}

# baresip_calls N CODEC KEYING SUITE: baresip dials vphone-cli --auto-answer (direct), which hangs
# up after 6 s; baresip offers Opus, PCMU and PCMA, vphone-cli accepts only CODEC
baresip_calls() {
  local n=$1 codec=$2 keying=$3 suite=$4 me=srtp-mand
  [ "$keying" = dtls ] && me=dtls_srtp
  local b=dave$n v=bob$n bport=$((5442 + 4 * n)) vport=$((5444 + 4 * n))
  CASE="direct $codec $keying, baresip -> vphone-cli"
  echo "== $CASE"
  vphone_args "$v" $((11100 + 10 * n))-$((11109 + 10 * n)) "$codec" "$keying"
  start "$v" "$CLI" --listen "udp:127.0.0.1:$vport" --auto-answer --hangup-after 6 --duration 30 "${ARGS[@]}"
  # vphone-cli opens its trace file right after binding its sockets
  for _ in $(seq 50); do [ -e "$WORK/$v.trace" ] && break; sleep 0.1; done
  baresip_dir "$b" $bport $((11000 + 10 * n))-$((11009 + 10 * n)) "<sip:dave@127.0.0.1:$bport>;regint=0;mediaenc=$me"
  start "$b" baresip -4 -f "$WORK/$b" -t 30 -e "/dial sip:bob@127.0.0.1:$vport"
  check "vphone-cli answered and hung up after 6 s" wait_for "$WORK/$v.log" '"reason":"BYE sent"' 15
  check "baresip got the BYE" baresip_wait "$b" "terminated (duration" 5
  stop "$b"
  stop "$v"
  check "vphone-cli exits 0 on SIGTERM" test $? -eq 0
  media_checks "$v" "$b" "$codec" "$suite" "$keying"
}

call_baresip 0 opus sdes AES_CM_128_HMAC_SHA1_80
baresip_calls 1 opus sdes AES_CM_128_HMAC_SHA1_80
call_baresip 2 pcmu sdes AES_CM_128_HMAC_SHA1_80
baresip_calls 3 pcmu sdes AES_CM_128_HMAC_SHA1_80
call_baresip 4 opus dtls AEAD_AES_128_GCM
baresip_calls 5 pcmu dtls AES_CM_128_HMAC_SHA1_80

echo "== Kamailio on $DOMAIN (registrar + proxy, digest auth)"
cp -r "$HERE/kamailio/db" "$WORK/db"
sed -e "s|@PORT@|$KP|g" -e "s|@DBDIR@|$WORK/db|g" "$HERE/kamailio/kamailio.cfg" >"$WORK/kamailio.cfg"
for u in alice bob; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
kamailio -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed (logs in $WORK)"; exit 1; }
start kamailio kamailio -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
# it binds UDP and TCP before forking its workers: a TCP connect means both are up
kamailio_up() {
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$KP") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
check "Kamailio is up" kamailio_up

CASE="Kamailio opus sdes, vphone-cli -> baresip"
echo "== $CASE: alice (vphone-cli) -> Kamailio -> carol (baresip, registered)"
baresip_dir carol-k 5470 11080-11089 "<sip:carol@$DOMAIN>;auth_pass=carol-secret;regint=60;answermode=auto;mediaenc=srtp-mand"
start carol-k baresip -4 -f "$WORK/carol-k" -t 60
check "carol (baresip) registers" wait_for "$WORK/kamailio.log" "REGISTER ok: sip:carol@$DOMAIN" 10
vphone_args alice-k 11180-11189 opus sdes
timeout 30 "$CLI" --listen udp:127.0.0.1:5466 --account "sip:alice@$DOMAIN" --password-file "$WORK/alice.pw" \
  --proxy "sip:$DOMAIN" --call "sip:carol@$DOMAIN" --hangup-after 6 "${ARGS[@]}" >"$WORK/alice-k.log" 2>"$WORK/alice-k.err"
check "alice exits 0 after the call" test $? -eq 0
check "Kamailio routed alice's INVITE to carol" grep -q "routing INVITE from alice to sip:carol[^@]*@127.0.0.1:5470" "$WORK/kamailio.log"
check "carol got the BYE" baresip_wait carol-k "terminated (duration" 5
stop carol-k
media_checks alice-k carol-k opus AES_CM_128_HMAC_SHA1_80 sdes

CASE="Kamailio opus sdes, baresip -> vphone-cli"
echo "== $CASE: carol (baresip) -> Kamailio -> bob (vphone-cli, registered)"
vphone_args bob-k 11190-11199 opus sdes
start bob-k "$CLI" --listen udp:127.0.0.1:5468 --account "sip:bob@$DOMAIN" --password-file "$WORK/bob.pw" \
  --proxy "sip:$DOMAIN" --auto-answer --hangup-after 6 --duration 60 "${ARGS[@]}"
check "bob registers" wait_for "$WORK/bob-k.log" '"state":"registered"' 10
baresip_dir dave-k 5472 11090-11099 "<sip:carol@$DOMAIN>;auth_pass=carol-secret;regint=0;mediaenc=srtp-mand"
start dave-k baresip -4 -f "$WORK/dave-k" -t 60 -e "/dial sip:bob@$DOMAIN"
check "bob answered and hung up after 6 s" wait_for "$WORK/bob-k.log" '"reason":"BYE sent"' 15
check "Kamailio routed carol's INVITE to bob" grep -q "routing INVITE from carol to sip:bob@127.0.0.1:5468" "$WORK/kamailio.log"
check "bob's call came in from carol" grep -q '"direction":"in","event":"call","from":"[^"]*sip:carol@' "$WORK/bob-k.log"
check "carol got the BYE" baresip_wait dave-k "terminated (duration" 5
stop dave-k
stop bob-k
check "bob exits 0 on SIGTERM" test $? -eq 0
media_checks bob-k dave-k opus AES_CM_128_HMAC_SHA1_80 sdes

echo "== tone fractions (>= $MIN required), $((SECONDS - T0)) s"
printf '  %s\n' "${SUMMARY[@]}"
finish
