#!/usr/bin/env bash
# Two vphone-cli instances in video calls on 127.0.0.1 (SIP 5550-5559, RTP 11900-11999). Each side
# sends its test pattern (frames numbered by a barcode) and writes what it decodes to a Y4M file;
# vphone-video-check reads the numbers back.
#  1. H.264 both ways, SDES-SRTP (the default policy offers it), 640x360@30: each side decodes
#     >= 80 % of the other's frames at 640x360, in order; stats show the codec, SRTP, keyframes and
#     the lip-sync figure;
#  2. VP8 with DTLS-SRTP mandatory; the callee's --max-resolution 320x180 caps what it sends, the
#     caller's 640x360 source reaches the callee whole;
#  3. an audio call to which the caller adds video after 1 s (--video-after: re-INVITE with a
#     second m-line) and removes it 2 s later (--video-off-after: port 0): the callee decodes about
#     2 s of frames and the call goes on with audio;
#  4. a callee without video answers a video offer with the video m-line refused (port 0): the
#     call is audio-only, no video decoded.
# usage: vphone_video.sh VPHONE_CLI VPHONE_VIDEO_CHECK
CLI=$(realpath "$1")
CHECK=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export XDG_DATA_HOME=$WORK

callee() { # NAME ARGS...
  local name=$1
  shift
  start "$name" "$CLI" --listen udp:127.0.0.1:5550 --auto-answer --events --duration 20 --rtp-ports 11900-11949 \
    --video-sink "file:$WORK/$name.y4m" --stats-json "$WORK/$name.json" "$@"
  wait_for "$WORK/$name.log" "" 1
  sleep 0.3
}
caller() { # NAME SECONDS ARGS...
  local name=$1 secs=$2
  shift 2
  timeout 40 "$CLI" --listen udp:127.0.0.1:5552 --call sip:bob@127.0.0.1:5550 --hangup-after "$secs" --events \
    --rtp-ports 11950-11999 --video-sink "file:$WORK/$name.y4m" --stats-json "$WORK/$name.json" "$@" \
    >"$WORK/$name.log" 2>&1
}
stop_callee() {
  local pid_var="PID_$1"
  kill "${!pid_var}" 2>/dev/null
  for _ in $(seq 50); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
}
# video_ok NAME SIZE CODEC KEYING MIN_FRAMES: NAME's Y4M and stats
video_ok() {
  local report
  report=$("$CHECK" "$WORK/$1.y4m" --expect-size "$2") || { echo "       $1: $report"; return 1; }
  python3 - "$WORK/$1.json" "$report" "$3" "$4" "$5" "$1" <<'PY'
import json, sys
path, report, codec, keying, min_frames, name = sys.argv[1:]
r = json.loads(report)
v = [s for s in json.load(open(path))["calls"][0]["streams"] if s["type"] == "video"][0]
span = r["last_counter"] - r["first_counter"] + 1 if r["counters_read"] else 0
print("       %s: decoded %d %s frames %dx%d at %.1f fps, barcodes %d of %d, out of order %d, keyframes %d, "
      "sent %dx%d at %.1f fps %.0f kbit/s, A/V %s ms" % (
          name, v["frames_decoded"], v["codec"], v["width"], v["height"], v["fps_received"],
          r["unique_counters"], span, r["out_of_order"], v["keyframes"], v["sent_width"], v["sent_height"],
          v["fps_sent"], v["bitrate_kbps"], v["av_sync_ms"]))
ok = (v["codec"] == codec and v["srtp"] is not None and v["srtp"]["keying"] == keying
      and v["srtp_auth_failures"] == 0 and v["decode_errors"] == 0 and v["keyframes"] >= 1
      and span > 0 and r["unique_counters"] >= 0.8 * span and r["out_of_order"] == 0
      and r["frames"] >= int(min_frames))
sys.exit(0 if ok else 1)
PY
}

echo "== 1: H.264 both ways, SDES-SRTP, 640x360@30"
callee bob1 --video-source testsrc:640x360@30 --video-codecs h264
caller alice1 5 --video-source testsrc:640x360@30 --video-codecs h264
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob1
check "both sides started video with h264" \
  grep -q '"codec":"h264","event":"media","kind":"started".*"stream":"video"' "$WORK/alice1.log"
check "alice decoded bob's pattern: 640x360, >= 80 % of frames, >= 100 frames" video_ok alice1 640x360 h264 sdes 100
check "bob decoded alice's pattern: 640x360, >= 80 % of frames, >= 100 frames" video_ok bob1 640x360 h264 sdes 100
check "alice shows bob's video no earlier than its sound (lip sync)" \
  python3 -c "import json,sys; v=json.load(open('$WORK/alice1.json'))['calls'][0]['streams'][1]; sys.exit(0 if v['av_sync_ms'] is not None and -20 < v['av_sync_ms'] < 150 else 1)"

echo "== 2: VP8, DTLS-SRTP mandatory; the callee sends at most 320x180"
callee bob2 --video-source testsrc:640x360@30 --video-codecs vp8 --srtp mandatory --keying dtls \
  --max-resolution 320x180
caller alice2 5 --video-source testsrc:640x360@30 --video-codecs vp8,h264 --srtp mandatory --keying dtls
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob2
check "alice decoded bob's VP8 at 320x180 (his --max-resolution)" video_ok alice2 320x180 vp8 dtls 100
check "bob decoded alice's VP8 at 640x360" video_ok bob2 640x360 vp8 dtls 100

echo "== 3: video added to an audio call after 1 s, removed 2 s later"
callee bob3 --video-source testsrc:320x180@30
caller alice3 6 --video-source testsrc:320x180@30 --video-after 1 --video-off-after 2
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob3
check "alice's audio started before her video" \
  python3 -c "
import sys
lines = open('$WORK/alice3.log').read().splitlines()
a = [i for i, l in enumerate(lines) if '\"kind\":\"started\"' in l and '\"stream\":\"audio\"' in l]
v = [i for i, l in enumerate(lines) if '\"kind\":\"started\"' in l and '\"stream\":\"video\"' in l]
sys.exit(0 if a and v and a[0] < v[0] else 1)"
frames=$("$CHECK" "$WORK/bob3.y4m" | python3 -c "import json,sys; print(json.load(sys.stdin)['frames'])")
echo "       bob3 decoded $frames frames in the 2 s video was on"
check "bob decoded about 2 s of video (40 to 75 frames at 30 fps)" test "${frames:-0}" -ge 40 -a "${frames:-0}" -le 75
check "the audio went on to the end (> 250 packets each way)" \
  python3 -c "import json,sys; a=json.load(open('$WORK/alice3.json'))['calls'][0]['streams'][0]; sys.exit(0 if a['type']=='audio' and a['packets_sent']>250 and a['packets_received']>250 else 1)"

echo "== 4: a callee without video refuses the video m-line, the call is audio-only"
start bob4 "$CLI" --listen udp:127.0.0.1:5550 --auto-answer --events --duration 20 --rtp-ports 11900-11949 \
  --stats-json "$WORK/bob4.json"
wait_for "$WORK/bob4.log" "" 1
sleep 0.3
caller alice4 3 --video-source testsrc:320x180@30
check "the call succeeds (exit 0)" test $? -eq 0
stop_callee bob4
check "alice's audio started, her video did not" \
  bash -c "grep -q '\"stream\":\"audio\"' '$WORK/alice4.log' && ! grep -q '\"kind\":\"started\".*\"stream\":\"video\"' '$WORK/alice4.log'"
check "bob has no video stream" \
  python3 -c "import json,sys; s=json.load(open('$WORK/bob4.json'))['calls'][0]['streams']; sys.exit(0 if [x['type'] for x in s]==['audio'] else 1)"
finish
