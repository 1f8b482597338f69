#!/usr/bin/env bash
# baresip 1.0 and vphone-cli registered to Kamailio (config in kamailio-tls/, with TLS) on
# 127.0.0.1:5220 over UDP and over TLS (a test CA made by openssl), calling each other through it
# both ways. Ports 5220-5239 (baresip's RTP in 5230-5239). For each transport:
#  1. bob (vphone-cli, auto-answer, hangs up 1 s after answering) and carol (baresip,
#     answermode=auto, config in baresip-kamailio/) register; carol dials bob at start-up
#     (-e /dial): bob's call is confirmed, his BYE ends it on both sides;
#  2. alice (vphone-cli) calls carol: confirmed, alice hangs up after 1 s, exit code 0.
# usage: baresip_kamailio.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/kamailio-tls/setup.sh"
for p in kamailio baresip openssl; do
  command -v $p >/dev/null || { echo "$p missing: scripts/install-deps.sh --peers"; exit 1; }
done
compgen -G "/usr/lib/*/kamailio/modules/tls.so" >/dev/null ||
  { echo "Kamailio's tls module missing (kamailio-tls-modules): scripts/install-deps.sh --peers"; exit 1; }
KP=5220
DOMAIN="127.0.0.1:$KP"

check "openssl made the test CA and Kamailio's certificate" make_pki "$WORK"
cp -r "$HERE/kamailio/db" "$WORK/db"
kamailio_config "$HERE/kamailio-tls/kamailio.cfg" "$WORK/kamailio.cfg" "$WORK/db" "$WORK" \
  "listen=udp:127.0.0.1:$KP" "listen=tls:127.0.0.1:$KP" "alias=\"127.0.0.1:$KP\""
for u in alice bob; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
kamailio -A WITH_TLS -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed (logs in $WORK)"; exit 1; }
start kamailio kamailio -A WITH_TLS -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
tls_up() { # bounded: about 10 s
  for _ in $(seq 50); do
    timeout 2 openssl s_client -connect "$DOMAIN" -CAfile "$WORK/ca.pem" -verify_return_error -brief \
      </dev/null >"$WORK/s_client.log" 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
check "Kamailio is up (UDP and TLS on $DOMAIN)" tls_up

baresip_wait() { # NAME PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do baresip_has "$1" "$2" && return 0; sleep 0.1; done
  return 1
}
# received TRACE STATUS METHOD: responses with that status to METHOD received (vphone-cli --trace)
received() {
  awk -v st="SIP/2.0 $2 " -v m="$3" '/^--- /{dir=$3; n=1; next}
    n==1{ok=(dir=="recv" && index($0, st)==1); n=2; next}
    n==2 && /^CSeq:/{sub(/\r$/, ""); if (ok && $3==m) c++; n=0} END{print c+0}' "$1"
}
# stop NAME: SIGTERM, bounded wait, then the exit code
stop() {
  local pid_var="PID_${1//-/_}"
  kill -TERM "${!pid_var}"
  for _ in $(seq 60); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}"
}

for proto in udp tls; do
  P=${proto^^}
  if [ $proto = udp ]; then
    proxy="sip:$DOMAIN" bob_port=5222 alice_port=5223 carol_port=5224
    account="<sip:carol@$DOMAIN>"
  else
    proxy="sip:$DOMAIN;transport=tls" bob_port=5226 alice_port=5227 carol_port=5228
    account="<sip:carol@$DOMAIN;transport=tls>;outbound=\"sip:$DOMAIN;transport=tls\""
  fi
  echo "== baresip (carol) calls vphone-cli (bob) through Kamailio over $P"
  start bob-$proto "$CLI" --listen "udp:127.0.0.1:$bob_port" --account "sip:bob@$DOMAIN" --password-file "$WORK/bob.pw" \
    --proxy "$proxy" --ca-file "$WORK/ca.pem" --auto-answer --hangup-after 1 --duration 60 --events \
    --trace "$WORK/bob-$proto.trace"
  check "bob registers over $P" wait_for "$WORK/bob-$proto.log" '"state":"registered"' 10
  mkdir -p "$WORK/carol-$proto"
  sed -e "s|@PORT@|$carol_port|g" -e "s|@RTP_PORTS@|5230-5239|g" -e "s|@NAME@|carol-$proto|g" \
    -e "s|@CAFILE@|$WORK/ca.pem|g" "$HERE/baresip-kamailio/config" >"$WORK/carol-$proto/config"
  echo "$account;auth_pass=carol-secret;regint=60;answermode=auto" >"$WORK/carol-$proto/accounts"
  start carol-$proto baresip -4 -f "$WORK/carol-$proto" -t 40 -e "/dial sip:bob@$DOMAIN"
  check "carol (baresip) registers over $P" wait_for "$WORK/kamailio.log" "REGISTER ok: sip:carol@$DOMAIN -> .* over $proto" 10
  check "Kamailio routed carol's INVITE ($proto) to bob" \
    wait_for "$WORK/kamailio.log" "routing INVITE from carol ($proto) to sip:bob@127.0.0.1:$bob_port" 10
  check "bob's call was confirmed" wait_for "$WORK/bob-$proto.log" '"state":"confirmed"' 10
  check "bob's call came in from carol" grep -q '"direction":"in","event":"call","from":"[^"]*sip:carol@' "$WORK/bob-$proto.log"
  check "bob hung up after 1 s (BYE sent)" wait_for "$WORK/bob-$proto.log" '"reason":"BYE sent"' 5
  check "baresip established the call" baresip_has carol-$proto "Call established"
  check "and got bob's BYE" baresip_wait carol-$proto "terminated (duration" 5
  check "which baresip answered with 200 (through the proxy)" test "$(received "$WORK/bob-$proto.trace" 200 BYE)" -eq 1
  check "bob's requests all went over $P" \
    bash -c "! grep '^Via: SIP/2.0/' '$WORK/bob-$proto.trace' | grep -vq '^Via: SIP/2.0/$P '"

  echo "== vphone-cli (alice) calls baresip (carol) through Kamailio over $P"
  timeout 30 "$CLI" --listen "udp:127.0.0.1:$alice_port" --account "sip:alice@$DOMAIN" --password-file "$WORK/alice.pw" \
    --proxy "$proxy" --ca-file "$WORK/ca.pem" --call "sip:carol@$DOMAIN" --hangup-after 1 --events \
    --trace "$WORK/alice-$proto.trace" >"$WORK/alice-$proto.log" 2>"$WORK/alice-$proto.err"
  check "alice exits 0 after the call" test $? -eq 0
  check "alice's call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice-$proto.log"
  check "alice's call ended by her BYE" grep -q '"reason":"BYE sent"' "$WORK/alice-$proto.log"
  check "which baresip answered with 200 (through the proxy)" test "$(received "$WORK/alice-$proto.trace" 200 BYE)" -eq 1
  check "Kamailio routed alice's INVITE ($proto) to carol" \
    grep -q "routing INVITE from alice ($proto) to sip:carol[^@]*@127.0.0.1:[0-9]*" "$WORK/kamailio.log"
  check "baresip established a second call" \
    test "$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/carol-$proto.log" | grep -c 'Call established')" -eq 2
  check "and got alice's BYE" \
    bash -c "for _ in \$(seq 30); do [ \$(sed 's/\x1b\[[0-9;]*m//g' '$WORK/carol-$proto.log' | grep -c 'terminated (duration') -eq 2 ] && exit 0; sleep 0.1; done; exit 1"
  stop carol-$proto
  stop bob-$proto
  check "bob exits 0 on SIGTERM" test $? -eq 0
  check "bob unregistered" grep -q '"state":"unregistered"' "$WORK/bob-$proto.log"
done
finish
