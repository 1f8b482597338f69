#!/usr/bin/env bash
# vphone-cli through Kamailio over IPv6 (config in kamailio-tls/, -A WITH_TLS): Kamailio listens
# on udp:[::1]:5230, tcp:[::1]:5230 and tls:[::1]:5231 (its certificate, from a test CA, is for
# IP ::1), ports 5230-5239. Accounts are sip:USER@[::1]:5230.
#  1. over UDP, TCP, then TLS: bob and alice (--listen udp|tcp:[::1]:PORT) register (401 then
#     200), alice calls bob (auto-answer) through the proxy, both confirm, alice hangs up after 1 s;
#  2. a MESSAGE from alice to bob over UDP;
#  3. a TLS server on [::1] (openssl s_server) whose certificate, from the same CA, names only
#     127.0.0.1 is refused for its name.
# usage: kamailio_ipv6.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/kamailio-tls/setup.sh"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
compgen -G "/usr/lib/*/kamailio/modules/tls.so" >/dev/null ||
  { echo "Kamailio's tls module missing (kamailio-tls-modules): scripts/install-deps.sh --peers"; exit 1; }
ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128' || { echo "no ::1 on lo: IPv6 is disabled here"; exit 1; }
KP=5230
TP=5231
DOMAIN="[::1]:$KP"

check "openssl made a test CA and Kamailio's certificate for IP ::1" make_pki "$WORK" "IP:::1"
cp -r "$HERE/kamailio/db" "$WORK/db"
kamailio_config "$HERE/kamailio-tls/kamailio.cfg" "$WORK/kamailio.cfg" "$WORK/db" "$WORK" \
  "listen=udp:[::1]:$KP" "listen=tcp:[::1]:$KP" "listen=tls:[::1]:$TP" "alias=\"[::1]:$KP\"" "alias=\"[::1]:$TP\""
for u in alice bob; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
kamailio -A WITH_TLS -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed (logs in $WORK)"; exit 1; }
start kamailio kamailio -A WITH_TLS -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
up() { # it binds UDP and TCP before forking its workers: a TCP connect means both are up
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/::1/$KP") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
check "Kamailio listens on [::1]:$KP" up
tls_up() { # the handshake completes with our CA (bounded: about 10 s)
  for _ in $(seq 50); do
    timeout 2 openssl s_client -connect "[::1]:$TP" -CAfile "$WORK/ca.pem" -verify_return_error -verify_ip ::1 \
      -brief </dev/null >"$WORK/s_client.log" 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
check "and TLS on [::1]:$TP, with a certificate for ::1" tls_up

# sent_count TRACE STATUS METHOD: responses with that status to METHOD sent (vphone-cli --trace)
sent_count() {
  awk -v st="SIP/2.0 $2 " -v m="$3" '/^--- /{dir=$3; n=1; next}
    n==1{ok=(dir=="send" && index($0, st)==1); n=2; next}
    n==2 && /^CSeq:/{sub(/\r$/, ""); if (ok && $3==m) c++; n=0} END{print c+0}' "$1"
}

for proto in udp tcp tls; do
  # vphone-cli needs no tls: listener: it is reached over the connection it opened
  case $proto in
  udp) proxy="sip:$DOMAIN" listen=udp bob_port=5232 alice_port=5233 ;;
  tcp) proxy="sip:$DOMAIN;transport=tcp" listen=tcp bob_port=5234 alice_port=5235 ;;
  tls) proxy="sip:[::1]:$TP;transport=tls" listen=udp bob_port=5237 alice_port=5238 ;;
  esac
  P=${proto^^}
  echo "== alice calls bob through Kamailio over $P/IPv6"
  start bob-$proto "$CLI" --listen "$listen:[::1]:$bob_port" --account "sip:bob@$DOMAIN" --password-file "$WORK/bob.pw" \
    --proxy "$proxy" --ca-file "$WORK/ca.pem" --auto-answer --duration 60 --events --trace "$WORK/bob-$proto.trace"
  check "bob registers over $P/IPv6" wait_for "$WORK/bob-$proto.log" '"state":"registered"' 10
  check "Kamailio saved bob's IPv6 contact" grep -q "REGISTER ok: sip:bob@\[::1\]:$KP -> .*\[::1\]" "$WORK/kamailio.log"
  timeout 30 "$CLI" --listen "$listen:[::1]:$alice_port" --account "sip:alice@$DOMAIN" --password-file "$WORK/alice.pw" \
    --proxy "$proxy" --ca-file "$WORK/ca.pem" --call "sip:bob@$DOMAIN" --hangup-after 1 --events --trace "$WORK/alice-$proto.trace" \
    >"$WORK/alice-$proto.log" 2>"$WORK/alice-$proto.err"
  check "alice exits 0 after the call" test $? -eq 0
  check "alice registered" grep -q '"state":"registered"' "$WORK/alice-$proto.log"
  check "alice's call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice-$proto.log"
  check "alice's call ended" grep -q '"state":"terminated"' "$WORK/alice-$proto.log"
  check "bob's call was confirmed" grep -q '"state":"confirmed"' "$WORK/bob-$proto.log"
  check "bob's call ended (BYE through the proxy)" wait_for "$WORK/bob-$proto.log" '"reason":"BYE received"' 5
  check "bob sent the 200 to INVITE once (the ACK came through the proxy)" \
    test "$(sent_count "$WORK/bob-$proto.trace" 200 INVITE)" -eq 1
  check "Kamailio routed the INVITE to bob's IPv6 contact" \
    grep -q "routing INVITE from alice ($proto) to sip:bob@\[::1\]:$bob_port" "$WORK/kamailio.log"
  check "alice's Via and Contact carry [::1]" \
    bash -c "grep -q '^Via: SIP/2.0/$P \[::1\]:$alice_port;' '$WORK/alice-$proto.trace' && grep -q '^Contact: <sip:alice@\[::1\]:$alice_port;transport=$proto>' '$WORK/alice-$proto.trace'"
  check "bob's answer offers an IPv6 session (c=IN IP6 ::1)" grep -q '^c=IN IP6 ::1' "$WORK/bob-$proto.trace"
  if [ $proto = udp ]; then
    echo "== MESSAGE from alice to bob over UDP/IPv6"
    timeout 20 "$CLI" --listen "udp:[::1]:5236" --account "sip:alice@$DOMAIN" --password-file "$WORK/alice.pw" \
      --proxy "$proxy" --message "sip:bob@$DOMAIN" "hello over ipv6" --events --trace "$WORK/message.trace" \
      >"$WORK/message.log" 2>"$WORK/message.err"
    check "the sender exits 0 once delivered" test $? -eq 0
    check "bob got the text" wait_for "$WORK/bob-udp.log" '"text":"hello over ipv6"' 5
  fi
  pid_var="PID_bob_$proto"
  kill -TERM "${!pid_var}"
  for _ in $(seq 60); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  wait "${!pid_var}"
  check "bob exits 0 on SIGTERM" test $? -eq 0
  check "bob unregistered" grep -q '"state":"unregistered"' "$WORK/bob-$proto.log"
done
echo "== a certificate that does not name ::1 is refused"
check "openssl issued a certificate for IP 127.0.0.1 only" issue_cert "$WORK" v4only "IP:127.0.0.1"
start s_server openssl s_server -accept "[::1]:5239" -cert "$WORK/v4only.pem" -key "$WORK/v4only.key" -quiet
for _ in $(seq 50); do (exec 3<>"/dev/tcp/::1/5239") 2>/dev/null && break; sleep 0.1; done
timeout 20 "$CLI" --listen "udp:[::1]:5236" --account "sip:alice@$DOMAIN" --password-file "$WORK/alice.pw" \
  --proxy "sip:[::1]:5239;transport=tls" --ca-file "$WORK/ca.pem" --duration 5 --events \
  >"$WORK/v4only.log" 2>"$WORK/v4only.err"
rc=$?
check "vphone-cli exits non-zero (rc=$rc, not killed by the timeout)" test $rc -ne 0 -a $rc -ne 124
check "its stderr says the host name does not match" grep -q 'host name mismatch' "$WORK/v4only.err"
finish
