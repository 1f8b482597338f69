#!/usr/bin/env bash
# vphone-cli and baresip calling each other directly on 127.0.0.1 (ports 5186-5193, RTP
# 10850-10899). baresip (config in baresip/) answers on its own and has no sound card; vphone-cli
# offers its placeholder SDP (PCMU, nobody sends media), which baresip must accept.
#  1. vphone-cli --call baresip, hanging up after 1 s;
#  2. baresip dials vphone-cli --auto-answer and hangs up when its -t ends.
# usage: baresip_calls.sh VPHONE_CLI
CLI=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v baresip >/dev/null || { echo "baresip missing: scripts/install-deps.sh --peers"; exit 1; }

# baresip_dir NAME PORT RTP_PORTS ACCOUNT_LINE: a config directory $WORK/NAME
baresip_dir() {
  mkdir -p "$WORK/$1"
  sed -e "s|@PORT@|$2|g" -e "s|@RTP_PORTS@|$3|g" -e "s|@NAME@|$1|g" "$HERE/baresip/config" >"$WORK/$1/config"
  echo "$4" >"$WORK/$1/accounts"
}
# wait_exit PID SECONDS: waits for a background process of ours to end (bounded)
wait_exit() {
  for _ in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
# sent_count TRACE STATUS METHOD: responses with that status to METHOD sent (vphone-cli --trace)
sent_count() {
  awk -v st="SIP/2.0 $2 " -v m="$3" '/^--- /{dir=$3; n=1; next}
    n==1{ok=(dir=="send" && index($0, st)==1); n=2; next}
    n==2 && /^CSeq:/{sub(/\r$/, ""); if (ok && $3==m) c++; n=0} END{print c+0}' "$1"
}

echo "== vphone-cli calls baresip (auto-answer)"
baresip_dir carol 5186 10850-10869 "<sip:carol@127.0.0.1:5186>;regint=0;answermode=auto"
start carol baresip -4 -f "$WORK/carol" -t 30
wait_for "$WORK/carol.log" "baresip is ready" 10
timeout 30 "$CLI" --listen udp:127.0.0.1:5188 --call sip:carol@127.0.0.1:5186 --hangup-after 1 --events \
  --trace "$WORK/alice.trace" >"$WORK/alice.log" 2>&1
check "vphone-cli exits 0 after the call" test $? -eq 0
check "the call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice.log"
check "and ended" grep -q '"state":"terminated"' "$WORK/alice.log"
check "baresip established the call" baresip_has carol "Call established"
check "baresip got the BYE" wait_for "$WORK/carol.log" "terminated (duration" 3

echo "== baresip calls vphone-cli --auto-answer"
start bob "$CLI" --listen udp:127.0.0.1:5190 --auto-answer --events --duration 30 --trace "$WORK/bob.trace"
# vphone-cli opens its trace file right after binding its sockets
for _ in $(seq 50); do [ -e "$WORK/bob.trace" ] && break; sleep 0.1; done
baresip_dir dave 5192 10870-10889 "<sip:dave@127.0.0.1:5192>;regint=0"
start dave baresip -4 -f "$WORK/dave" -t 4 -e "/dial sip:bob@127.0.0.1:5190"
check "baresip ends on its own (-t 4)" wait_exit "$PID_dave" 15
check "vphone-cli saw the call" grep -q '"state":"incoming"' "$WORK/bob.log"
check "vphone-cli's call was confirmed" grep -q '"state":"confirmed"' "$WORK/bob.log"
check "and ended by baresip's BYE" wait_for "$WORK/bob.log" '"reason":"BYE received"' 3
check "baresip established the call" baresip_has dave "Call established"
check "vphone-cli sent its 200 once (baresip's ACK matched)" test "$(sent_count "$WORK/bob.trace" 200 INVITE)" -eq 1
finish
