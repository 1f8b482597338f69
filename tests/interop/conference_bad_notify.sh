#!/usr/bin/env bash
# vphone-cli as a watcher of a conference package (RFC 4575) served by a focus it did not write
# (SIPp, tests/interop/conference/focus_notify.xml), on 127.0.0.1: SIP 6100 (vphone-cli) and 6102
# (SIPp). `--watch-conference URI` subscribes without a call. The first NOTIFY holds broken XML:
# it is answered 200 and reported ("conference NOTIFY from ...: ... not well-formed XML"),
# nothing of it applied, nothing crashes; the second one's roster (version 2, two users) is
# printed; at exit the subscription is ended (SUBSCRIBE Expires: 0, final NOTIFY answered).
# usage: conference_bad_notify.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }

start notifier sipp -sf "$HERE/conference/focus_notify.xml" -i 127.0.0.1 -p 6102 -m 1 -timeout 15s \
  -timeout_error -nostdin -trace_msg -message_file "$WORK/notify.msg"
sleep 0.5
timeout 20 "$CLI" --listen udp:127.0.0.1:6100 --watch-conference sip:focus@127.0.0.1:6102 --duration 3 \
  >"$WORK/vphone.log" 2>"$WORK/vphone.err"
check "vphone-cli exits 0" test $? -eq 0
check "it subscribed to the focus" grep -q "conference: subscribing to sip:focus@127.0.0.1:6102" "$WORK/vphone.err"
check "the broken NOTIFY is reported, saying where" \
  grep -q "conference NOTIFY from sip:focus@127.0.0.1:6102: conference-info body is not well-formed XML at line" \
  "$WORK/vphone.err"
check "the good NOTIFY's roster is printed" grep -q 'roster sip:ann@127.0.0.1 connected "Ann" audio' "$WORK/vphone.log"
check "with both users" grep -q 'roster sip:ben@127.0.0.1 on-hold "" -' "$WORK/vphone.log"
check "nothing of the broken one was applied (one roster, version 2)" \
  sh -c "[ \$(grep -c '^conference roster' '$WORK/vphone.log') -eq 1 ] && grep -q ' v2: 2 users' '$WORK/vphone.log'"
for _ in $(seq 50); do kill -0 "$PID_notifier" 2>/dev/null || break; sleep 0.1; done
kill "$PID_notifier" 2>/dev/null
wait "$PID_notifier"
check "SIPp's scenario completed: both NOTIFYs answered 200, the unsubscribe served (exit 0)" test $? -eq 0
finish
