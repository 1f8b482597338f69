#!/usr/bin/env bash
# vphone-cli presence through Kamailio 5.6 (presence + presence_xml over db_text, digest auth;
# config in kamailio-presence/) on udp:127.0.0.1:5800, phones on 5801-5809, RTP 13100-13199:
#  1. bob registers and watches alice (SUBSCRIBE answered 407 then 200, NOTIFY from Kamailio);
#  2. alice registers with --presence "busy:in a meeting": her PUBLISH (407, then 200 with a
#     SIP-ETag) reaches bob as 'presence sip:alice@... busy "in a meeting"';
#  3. alice comes back with --presence available: bob sees available;
#  4. alice calls carol (auto-answer): bob sees on-the-phone while the call is up, then available;
#  5. busy lamp field: Kamailio's dialog + pua_dialoginfo publish each call's dialog-info and
#     presence_dialoginfo serves it: a watcher of carol (--watch-dialog) prints ringing, in-call
#     and idle while alice calls her (carol answers after 2 s, alice hangs up 2 s later);
#  6. pick-up: alice calls carol, who keeps ringing; a phone with --pick-up carol sees it ring
#     and sends alice an INVITE with Replaces (through Kamailio, digest-challenged); alice takes
#     it and CANCELs her call to carol, so the picker is connected to alice;
#  7. bob's SIGTERM unsubscribes (Expires: 0, the final NOTIFY says terminated).
# usage: kamailio_presence.sh VPHONE_CLI
CLI=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/presence.so ] ||
  { echo "kamailio-presence-modules missing: scripts/install-deps.sh --peers"; exit 1; }
KP=5800
PROXY="sip:127.0.0.1:$KP"
SHARE=/usr/share/kamailio/dbtext/kamailio

mkdir -p "$WORK/db"
cp "$HERE/kamailio/db/subscriber" "$WORK/db/"
head -1 "$SHARE/version" >"$WORK/db/version"
grep -E '^0?:?(subscriber|presentity|active_watchers|watchers|xcap|pua|dialog|dialog_vars):' "$SHARE/version" \
  >>"$WORK/db/version"
for t in presentity active_watchers watchers xcap pua dialog dialog_vars; do cp "$SHARE/$t" "$WORK/db/"; done
sed -e "s|@PORT@|$KP|g" -e "s|@DBDIR@|$WORK/db|g" "$HERE/kamailio-presence/kamailio.cfg" >"$WORK/kamailio.cfg"
for u in alice bob carol; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
kamailio -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed"; exit 1; }
start kamailio kamailio -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
wait_for "$WORK/kamailio.log" "INFO" 5

# phone NAME USER PORT ARGS...: a vphone-cli registered as USER through Kamailio
phone() {
  local name=$1 user=$2 port=$3
  shift 3
  start "$name" "$CLI" --listen "udp:127.0.0.1:$port" --account "sip:$user@127.0.0.1:$KP" \
    --password-file "$WORK/$user.pw" --proxy "$PROXY" --trace "$WORK/$name.trace" --rtp-ports 13100-13199 "$@"
}
stop_phone() {
  local pid_var="PID_${1//-/_}"
  kill -TERM "${!pid_var}"
  for _ in $(seq 60); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}"
}
ALICE="sip:alice@127.0.0.1:$KP"
# line_after FILE FIRST LINE SECONDS: LINE appears (whole line) after a line FIRST (bounded wait)
line_after() {
  for _ in $(seq $(($4 * 10))); do
    awk -v a="$2" -v b="$3" '$0==a{seen=1; next} seen && $0==b{found=1} END{exit !found}' "$1" && return 0
    sleep 0.1
  done
  return 1
}

echo "== bob watches alice through Kamailio"
phone bob bob 5801 --watch-presence "$ALICE" --duration 60
check "bob's SUBSCRIBE was challenged and accepted" wait_for "$WORK/kamailio.log" "presence: SUBSCRIBE presence from bob for alice" 10
check "bob got a NOTIFY (Subscription-State active)" wait_for "$WORK/bob.trace" "Subscription-State: active" 10

echo "== alice publishes busy with a note"
phone alice-busy alice 5802 --presence "busy:in a meeting" --duration 60
check "Kamailio took alice's PUBLISH" wait_for "$WORK/kamailio.log" "presence: PUBLISH presence from alice for alice" 10
check "alice's PUBLISH got a SIP-ETag" wait_for "$WORK/alice-busy.trace" "SIP-ETag:" 10
check "bob prints: presence $ALICE busy \"in a meeting\"" wait_for "$WORK/bob.log" "presence $ALICE busy \"in a meeting\"" 10
stop_phone alice-busy
check "alice removed her publication on exit (Expires: 0 with SIP-If-Match)" \
  grep -q "SIP-If-Match" "$WORK/alice-busy.trace"

echo "== alice comes back available, then calls carol"
phone carol carol 5803 --auto-answer --duration 60
wait_for "$WORK/kamailio.log" "REGISTER ok: sip:carol@" 10
phone alice alice 5804 --presence available --call "sip:carol@127.0.0.1:$KP" --hangup-after 3
check "bob prints: presence $ALICE available" wait_for "$WORK/bob.log" "presence $ALICE available" 10
check "bob prints: presence $ALICE on-the-phone during the call" wait_for "$WORK/bob.log" "presence $ALICE on-the-phone" 10
check "and available again after it" bash -c "sleep 4; tail -n 3 '$WORK/bob.log' | grep -q 'presence $ALICE \\(available\\|offline\\)'"
grep "^presence" "$WORK/bob.log" | sed 's/^/    bob: /'

stop_phone carol

echo "== busy lamp: bob (a second phone) watches carol's calls"
CAROL="sip:carol@127.0.0.1:$KP"
phone carol-ring carol 5803 --auto-answer=2 --duration 60
wait_for "$WORK/kamailio.log" "REGISTER ok: sip:carol@.*5803" 10
phone bob-blf bob 5805 --no-register --watch-dialog "$CAROL" --duration 60
check "the dialog SUBSCRIBE reached the presence server" \
  wait_for "$WORK/kamailio.log" "presence: SUBSCRIBE dialog from bob for carol" 10
sleep 1
phone alice-blf alice 5806 --call "$CAROL" --hangup-after 2
check "bob-blf prints: dialog $CAROL ringing" wait_for "$WORK/bob-blf.log" "dialog $CAROL ringing" 10
check "then: dialog $CAROL in-call" line_after "$WORK/bob-blf.log" "dialog $CAROL ringing" "dialog $CAROL in-call" 10
check "then: dialog $CAROL idle" line_after "$WORK/bob-blf.log" "dialog $CAROL in-call" "dialog $CAROL idle" 10
grep "^dialog" "$WORK/bob-blf.log" | sed 's/^/    bob-blf: /'
stop_phone bob-blf
stop_phone carol-ring

echo "== pick-up of the call ringing at carol"
phone carol-pick carol 5803 --auto-answer=30 --duration 60
wait_for "$WORK/kamailio.log" "REGISTER ok: sip:carol@.*5803" 10
phone bob-pick bob 5807 --no-register --pick-up "$CAROL" --duration 60
wait_for "$WORK/kamailio.log" "presence: SUBSCRIBE dialog from bob for carol" 10
sleep 1
phone alice-pick alice 5808 --call "$CAROL" --auto-answer --duration 60
check "the picker prints: pickup $CAROL ..." wait_for "$WORK/bob-pick.log" "^pickup $CAROL sip:alice@" 10
check "its INVITE carries Replaces with early-only" wait_for "$WORK/bob-pick.trace" "^Replaces: .*;early-only" 5
check "alice answered the picker (200 to its INVITE)" \
  bash -c "for _ in \$(seq 50); do awk '/^--- /{d=\$3; n=1; next} n==1{ok=(d==\"recv\" && /^SIP\/2.0 200/); n=2; next} ok && /^CSeq: [0-9]+ INVITE/{f=1} END{exit !f}' '$WORK/bob-pick.trace' && exit 0; sleep 0.1; done; exit 1"
check "alice CANCELled her own call to carol" wait_for "$WORK/alice-pick.trace" "^CANCEL sip:" 5
check "carol's ringing call ended (487)" wait_for "$WORK/carol-pick.trace" "^SIP/2.0 487" 5
stop_phone alice-pick
stop_phone bob-pick
stop_phone carol-pick

echo "== bob unsubscribes on exit"
stop_phone bob
check "bob exits 0" test $? -eq 0
check "bob sent SUBSCRIBE with Expires: 0" grep -q "^Expires: 0" "$WORK/bob.trace"
check "the final NOTIFY said terminated" grep -q "Subscription-State: terminated" "$WORK/bob.trace"
finish
