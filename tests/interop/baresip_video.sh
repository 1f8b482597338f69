#!/usr/bin/env bash
# Two-way encrypted video between vphone-cli and baresip 1.0.0 (baresip-core + baresip-ffmpeg) on
# 127.0.0.1: SIP 5530-5549, RTP 11800-11899. vphone-cli sends its test pattern
# (--video-source testsrc:640x360@30); baresip plays the same pattern from a Y4M file through FFmpeg
# (avformat module; config in baresip-video/), so each side sends frames numbered by a barcode.
# Each call lasts about 6 s. Cases: H.264 and VP8, each with vphone-cli calling and with baresip
# calling, SDES-SRTP mandatory on both sides; and H.264 with DTLS-SRTP.
# Asserted per case:
#  - vphone-cli decoded baresip's frames at 640x360: its Y4M sink read back by vphone-video-check
#    holds >= 80 % of the frame numbers baresip sent in the span it covers, none out of order, and
#    at least 80 % of 30 fps over the call's media time; --stats-json shows the codec, SRTP, no
#    SRTP authentication failures, no decode errors;
#  - baresip decoded ours: its log says it receives 640 x 360 with the same codec, its snapshot
#    of the first decoded frame is 640x360, its effective receive frame rate (efps rx) is at least
#    80 % of 30, and its RTP statistics show no errors.
# usage: baresip_video.sh VPHONE_CLI VPHONE_VIDEO_CHECK
CLI=$(realpath "$1")
CHECK=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for p in baresip python3; do
  command -v $p >/dev/null || { echo "$p missing: scripts/install-deps.sh --peers"; exit 1; }
done
[ -f /usr/lib/baresip/modules/avcodec.so ] || { echo "baresip-ffmpeg missing: scripts/install-deps.sh --peers"; exit 1; }
export XDG_DATA_HOME=$WORK
SECONDS_OF_CALL=6
"$CHECK" --write-pattern "$WORK/pattern.y4m" 640x360@30 20 >/dev/null || { echo "cannot write the pattern"; exit 1; }

baresip_dir() { # NAME PORT RTP_PORTS ACCOUNT_LINE
  mkdir -p "$WORK/$1"
  sed -e "s|@PORT@|$2|g" -e "s|@RTP_PORTS@|$3|g" -e "s|@NAME@|$1|g" -e "s|@PATTERN@|$WORK/pattern.y4m|g" \
    "$HERE/baresip-video/config" >"$WORK/$1/config"
  echo "$4" >"$WORK/$1/accounts"
}
stop() { # NAME: SIGTERM, bounded wait
  local pid_var="PID_${1//-/_}"
  kill -TERM "${!pid_var}" 2>/dev/null
  for _ in $(seq 60); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}" 2>/dev/null
}
# vphone_ok JSON Y4M CODEC KEYING: what vphone-cli decoded
vphone_ok() {
  local report
  report=$("$CHECK" "$2" --expect-size 640x360) || { echo "       $report"; return 1; }
  python3 - "$1" "$3" "$4" "$report" <<'PY'
import json, sys
path, codec, keying, report = sys.argv[1:]
r = json.loads(report)
v = [s for s in json.load(open(path))["calls"][0]["streams"] if s["type"] == "video"][0]
span = r["last_counter"] - r["first_counter"] + 1 if r["counters_read"] else 0
media_s = v["frames_decoded"] / v["fps_received"] if v["fps_received"] else 0
print("       vphone decoded %d frames (%s %dx%d, %.1f fps), barcodes %d of %d sent in that span, "
      "out of order %d; keyframes %d, PLI %d, NACK %d, decode errors %d, srtp %s" % (
          v["frames_decoded"], v["codec"], v["width"], v["height"], v["fps_received"],
          r["unique_counters"], span, r["out_of_order"], v["keyframes"], v["pli"], v["nack"],
          v["decode_errors"], v["srtp"]))
ok = (v["codec"] == codec and v["width"] == 640 and v["height"] == 360 and v["srtp"] is not None
      and v["srtp"]["keying"] == keying and v["srtp_auth_failures"] == 0 and v["decode_errors"] == 0
      and span > 0 and r["unique_counters"] >= 0.8 * span and r["out_of_order"] == 0
      and v["fps_received"] >= 24 and v["frames_decoded"] >= 24 * 3)
sys.exit(0 if ok else 1)
PY
}
png_size() { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%dx%d' % struct.unpack('>II', d[16:24]))" "$1" 2>/dev/null; }
# baresip_ok NAME CODEC: what baresip decoded
baresip_ok() {
  local name=$1 codec=$2 efps size
  efps=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/$name.log" | grep -o 'efps=[0-9.]*/[0-9.]*' | tail -1 | cut -d/ -f2)
  size=$(png_size "$WORK/$name-recv.png")
  echo "       baresip: rx efps ${efps:-none}, snapshot ${size:-none}"
  baresip_has "$name" "Set video decoder: $codec" &&
    baresip_has "$name" "video: receiving with resolution 640 x 360" &&
    [ "$size" = 640x360 ] &&
    python3 -c "import sys; sys.exit(0 if float('${efps:-0}') >= 24 else 1)" &&
    ! sed 's/\x1b\[[0-9;]*m//g' "$WORK/$name.log" | grep -A4 '^video ' | grep -E '^errors: +[1-9]' >/dev/null
}

# case_out CASE CODEC MEDIAENC KEYING: vphone-cli (alice) calls baresip (bob)
case_out() {
  local c=$1 codec=$2 enc=$3 keying=$4 bcodec
  [ "$codec" = h264 ] && bcodec=H264 || bcodec=VP8
  echo "== $c: vphone-cli calls baresip, $bcodec, $keying-SRTP"
  baresip_dir "b$c" 5530 11800-11849 "<sip:bob@127.0.0.1:5530>;regint=0;answermode=auto;mediaenc=$enc"
  start "b$c" baresip -4 -f "$WORK/b$c" -t 30 -e "/snapshot_recv $WORK/b$c-recv.png"
  wait_for "$WORK/b$c.log" "baresip is ready" 10
  timeout 40 "$CLI" --listen udp:127.0.0.1:5532 --call sip:bob@127.0.0.1:5530 --hangup-after $SECONDS_OF_CALL \
    --events --rtp-ports 11850-11899 --srtp mandatory --keying "$keying" --video-source testsrc:640x360@30 \
    --video-codecs "$codec" --video-sink "file:$WORK/a$c.y4m" --stats-json "$WORK/a$c.json" >"$WORK/a$c.log" 2>&1
  check "the call succeeds (exit 0)" test $? -eq 0
  sleep 0.5
  stop "b$c"
  check "vphone-cli decoded baresip's $bcodec at 640x360, >= 80 % of the frames, over SRTP" \
    vphone_ok "$WORK/a$c.json" "$WORK/a$c.y4m" "$codec" "$keying"
  check "baresip decoded vphone-cli's $bcodec at 640x360, >= 24 fps" baresip_ok "b$c" "$bcodec"
}
# case_in CASE CODEC MEDIAENC KEYING: baresip (carol) calls vphone-cli (dave)
case_in() {
  local c=$1 codec=$2 enc=$3 keying=$4 bcodec
  [ "$codec" = h264 ] && bcodec=H264 || bcodec=VP8
  echo "== $c: baresip calls vphone-cli, $bcodec, $keying-SRTP"
  start "d$c" "$CLI" --listen udp:127.0.0.1:5534 --auto-answer --events --duration 30 --rtp-ports 11850-11899 \
    --srtp mandatory --keying "$keying" --video-source testsrc:640x360@30 --video-codecs "$codec" \
    --video-sink "file:$WORK/d$c.y4m" --stats-json "$WORK/d$c.json"
  wait_for "$WORK/d$c.log" "" 1
  sleep 0.3
  baresip_dir "c$c" 5536 11800-11849 "<sip:carol@127.0.0.1:5536>;regint=0;mediaenc=$enc;video_codecs=$bcodec"
  start "c$c" baresip -4 -f "$WORK/c$c" -t $((SECONDS_OF_CALL + 1)) -e "/snapshot_recv $WORK/c$c-recv.png" \
    -e "/dial sip:dave@127.0.0.1:5534"
  local pid_var="PID_c$c"
  timeout 30 tail --pid="${!pid_var}" -f /dev/null
  for _ in $(seq 50); do grep -q '"state":"terminated"' "$WORK/d$c.log" && break; sleep 0.1; done
  check "the call was answered and ended" grep -q '"state":"terminated"' "$WORK/d$c.log"
  stop "d$c"
  check "vphone-cli decoded baresip's $bcodec at 640x360, >= 80 % of the frames, over SRTP" \
    vphone_ok "$WORK/d$c.json" "$WORK/d$c.y4m" "$codec" "$keying"
  check "baresip decoded vphone-cli's $bcodec at 640x360, >= 24 fps" baresip_ok "c$c" "$bcodec"
}

case_out 1 h264 srtp-mand sdes
case_in 2 h264 srtp-mand sdes
case_out 3 vp8 srtp-mand sdes
case_in 4 vp8 srtp-mand sdes
case_out 5 h264 dtls_srtp dtls
finish
