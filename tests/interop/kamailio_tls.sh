#!/usr/bin/env bash
# vphone-cli through Kamailio over SIP/TLS (config in kamailio-tls/, run with -A WITH_TLS) on
# tls:127.0.0.1:5210, ports 5210-5219. A throwaway CA and a server certificate for 127.0.0.1 and
# sip.example.test are made with the openssl command line. The phones listen on UDP only: every
# request goes out over the one TLS connection each opens to the proxy, and Kamailio reaches them
# back over that same connection (fix_nated_register / add_contact_alias, see the config).
#  1. bob and alice register over TLS (401 then 200) trusting the CA (--ca-file); alice calls
#     bob (auto-answer) through the proxy, both confirm, alice hangs up after 1 s;
#  2. a MESSAGE from alice to bob over TLS;
#  3. without the CA the certificate is refused: a clear error and a non-zero exit;
#  4. a wrong password fails registration at once, with a non-zero exit;
#  5. bob with a tls: listener (certificate from the CA) through a second Kamailio that reaches
#     UAs at their Contact: it connects to bob's listener, checking his certificate, and the
#     call goes through; carol's self-signed certificate is refused by that Kamailio.
# usage: kamailio_tls.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/kamailio-tls/setup.sh"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
command -v openssl >/dev/null || { echo "openssl missing"; exit 1; }
compgen -G "/usr/lib/*/kamailio/modules/tls.so" >/dev/null ||
  { echo "Kamailio's tls module missing (kamailio-tls-modules): scripts/install-deps.sh --peers"; exit 1; }
KP=5210
PROXY="sip:127.0.0.1:$KP;transport=tls"
cd "$WORK" || exit 1

echo "== a throwaway CA and Kamailio's certificate (127.0.0.1, sip.example.test)"
check "openssl made the CA and the server certificate, which verifies" make_pki "$WORK"

cp -r "$HERE/kamailio/db" "$WORK/db"
kamailio_config "$HERE/kamailio-tls/kamailio.cfg" "$WORK/kamailio.cfg" "$WORK/db" "$WORK" \
  "listen=tls:127.0.0.1:$KP" "alias=\"127.0.0.1:$KP\""
for u in alice bob; do printf '%s-secret\n' "$u" >"$WORK/$u.pw"; done
printf 'not-the-password\n' >"$WORK/wrong.pw"
kamailio -A WITH_TLS -c -f "$WORK/kamailio.cfg" >"$WORK/kamailio-check.log" 2>&1 ||
  { cat "$WORK/kamailio-check.log"; echo "kamailio config check failed (logs in $WORK)"; exit 1; }
start kamailio kamailio -A WITH_TLS -f "$WORK/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK" -Y "$WORK"
tls_up() { # [PORT]: the handshake completes with our CA: Kamailio serves its certificate (~10 s)
  for _ in $(seq 50); do
    timeout 2 openssl s_client -connect "127.0.0.1:${1:-$KP}" -CAfile ca.pem -verify_return_error -brief \
      </dev/null >"$WORK/s_client.log" 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
check "Kamailio serves TLS on 127.0.0.1:$KP with the test certificate" tls_up

# phone NAME USER LISTEN_PORT ARGS...: a vphone-cli registered over TLS in the background
phone() {
  local name=$1 user=$2 port=$3
  shift 3
  start "$name" "$CLI" --listen "udp:127.0.0.1:$port" --account "sip:$user@127.0.0.1:$KP" \
    --password-file "$WORK/$user.pw" --proxy "$PROXY" --ca-file "$WORK/ca.pem" --events \
    --trace "$WORK/$name.trace" "$@"
}
# sent_count TRACE STATUS METHOD: responses with that status to METHOD sent (vphone-cli --trace)
sent_count() {
  awk -v st="SIP/2.0 $2 " -v m="$3" '/^--- /{dir=$3; n=1; next}
    n==1{ok=(dir=="send" && index($0, st)==1); n=2; next}
    n==2 && /^CSeq:/{sub(/\r$/, ""); if (ok && $3==m) c++; n=0} END{print c+0}' "$1"
}
# received_from TRACE METHOD: the peers (host:port) a request METHOD was received from
received_from() {
  awk -v m="$2" '/^--- /{dir=$3; peer=$4; n=1; next} n==1{if (dir=="recv" && index($0, m " ")==1) print peer; n=0}' "$1" |
    sort -u
}

echo "== alice calls bob through Kamailio over TLS"
phone bob bob 5212 --auto-answer --duration 60
check "bob registers over TLS" wait_for "$WORK/bob.log" '"state":"registered"' 10
check "Kamailio saved bob's connection as the way to reach him" \
  grep -q 'REGISTER from tls:127.0.0.1:[0-9]*: reached over this connection' "$WORK/kamailio.log"
timeout 30 "$CLI" --listen udp:127.0.0.1:5213 --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/alice.pw" \
  --proxy "$PROXY" --ca-file "$WORK/ca.pem" --call "sip:bob@127.0.0.1:$KP" --hangup-after 1 --events \
  --trace "$WORK/alice.trace" >"$WORK/alice.log" 2>"$WORK/alice.err"
check "alice exits 0 after the call" test $? -eq 0
check "alice registered" grep -q '"state":"registered"' "$WORK/alice.log"
check "alice's call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice.log"
check "alice's call ended" grep -q '"state":"terminated"' "$WORK/alice.log"
check "bob's call was confirmed" grep -q '"state":"confirmed"' "$WORK/bob.log"
check "bob's call ended (BYE through the proxy)" wait_for "$WORK/bob.log" '"reason":"BYE received"' 5
check "alice's REGISTER, INVITE, ACK and BYE all said Via: SIP/2.0/TLS" \
  test "$(grep -c '^Via: SIP/2.0/TLS ' "$WORK/alice.trace")" -ge 4
check "Kamailio routed the INVITE over TLS to bob's connection" \
  grep -q "routing INVITE from alice (tls) to sip:bob@127.0.0.1:5212;transport=tls via sip:127.0.0.1:[0-9]*;transport=tls" \
  "$WORK/kamailio.log"
check "bob got the INVITE and the BYE from the proxy's address (his own connection)" \
  test "$(received_from "$WORK/bob.trace" INVITE; received_from "$WORK/bob.trace" BYE)" = \
  "$(printf '127.0.0.1:%s\n127.0.0.1:%s' $KP $KP)"
check "bob sent the 200 to INVITE once (the ACK came through the proxy)" \
  test "$(sent_count "$WORK/bob.trace" 200 INVITE)" -eq 1
check "and nothing was sent to the UDP port bob's Contact names" \
  bash -c "! grep -q '^--- .* send .*:5212 ' '$WORK/alice.trace'"

echo "== MESSAGE from alice to bob over TLS"
timeout 20 "$CLI" --listen udp:127.0.0.1:5214 --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/alice.pw" \
  --proxy "$PROXY" --ca-file "$WORK/ca.pem" --message "sip:bob@127.0.0.1:$KP" "hello over tls" \
  --events --trace "$WORK/message.trace" >"$WORK/message.log" 2>"$WORK/message.err"
check "the sender exits 0 once delivered" test $? -eq 0
check "the sender reports delivery" grep -q '"state":"delivered"' "$WORK/message.log"
check "bob got the text" wait_for "$WORK/bob.log" '"text":"hello over tls"' 5

echo "== alice does not trust the CA: Kamailio's certificate is refused"
challenged() { grep -c 'REGISTER challenged: sip:alice' "$WORK/kamailio.log"; }
before=$(challenged)
timeout 20 "$CLI" --listen udp:127.0.0.1:5215 --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/alice.pw" \
  --proxy "$PROXY" --duration 10 --events --trace "$WORK/noca.trace" >"$WORK/noca.log" 2>"$WORK/noca.err"
rc=$?
check "vphone-cli exits non-zero (rc=$rc, not killed by the timeout)" test $rc -ne 0 -a $rc -ne 124
check "its stderr says the certificate is not trusted" grep -q 'certificate not trusted' "$WORK/noca.err"
check "and that registration failed" grep -q 'registration failed' "$WORK/noca.err"
check "it never registered" bash -c "! grep -q '\"state\":\"registered\"' '$WORK/noca.log'"
check "Kamailio never saw its REGISTER" test "$(challenged)" -eq "$before"

echo "== a wrong password over TLS fails registration quickly"
t0=$(date +%s%N)
timeout 20 "$CLI" --listen udp:127.0.0.1:5216 --account "sip:alice@127.0.0.1:$KP" --password-file "$WORK/wrong.pw" \
  --proxy "$PROXY" --ca-file "$WORK/ca.pem" --duration 10 --events --trace "$WORK/wrong.trace" \
  >"$WORK/wrong.log" 2>"$WORK/wrong.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "vphone-cli exits non-zero (rc=$rc, not killed by the timeout)" test $rc -ne 0 -a $rc -ne 124
check "and says why on stderr" grep -q "registration failed: 401" "$WORK/wrong.err"
check "within 3 s (took $ms ms)" test $ms -lt 3000
check "after at most 2 REGISTERs" test "$(grep -c '^REGISTER ' "$WORK/wrong.trace")" -le 2
check "the password never appears in a trace or log" \
  bash -c "! grep -rq 'not-the-password\|alice-secret\|bob-secret' '$WORK'/*.trace '$WORK'/*.log '$WORK'/*.err"

echo "== bob listens on TLS: a Kamailio that reaches UAs at their Contact connects to him"
# A second Kamailio (-A CONTACT_ONLY: no "received") on 5218; bob's certificate comes from the CA,
# which that Kamailio checks when it connects to bob's tls: listener.
K2=5218
mkdir -p "$WORK/k2"
kamailio_config "$HERE/kamailio-tls/kamailio.cfg" "$WORK/k2/kamailio.cfg" "$WORK/db" "$WORK" \
  "listen=tls:127.0.0.1:$K2" "alias=\"127.0.0.1:$K2\""
check "openssl issued bob's certificate (127.0.0.1)" issue_cert "$WORK" bob "IP:127.0.0.1"
start kamailio2 kamailio -A WITH_TLS -A CONTACT_ONLY -f "$WORK/k2/kamailio.cfg" -DD -E -m 64 -M 8 -w "$WORK/k2" -Y "$WORK/k2"
check "the second Kamailio serves TLS on 127.0.0.1:$K2" tls_up $K2
start bob-listener "$CLI" --listen tls:127.0.0.1:5217 --tls-cert "$WORK/bob.pem" --tls-key "$WORK/bob.key" \
  --account "sip:bob@127.0.0.1:$K2" --password-file "$WORK/bob.pw" --proxy "sip:127.0.0.1:$K2;transport=tls" \
  --ca-file "$WORK/ca.pem" --auto-answer --duration 60 --events --trace "$WORK/bob-listener.trace"
check "bob registers with his tls: listener as Contact" wait_for "$WORK/kamailio2.log" \
  "REGISTER ok: sip:bob@127.0.0.1:$K2 -> <sip:bob@127.0.0.1:5217;transport=tls>" 10
timeout 30 "$CLI" --listen udp:127.0.0.1:5219 --account "sip:alice@127.0.0.1:$K2" --password-file "$WORK/alice.pw" \
  --proxy "sip:127.0.0.1:$K2;transport=tls" --ca-file "$WORK/ca.pem" --call "sip:bob@127.0.0.1:$K2" --hangup-after 1 \
  --events --trace "$WORK/alice-listener.trace" >"$WORK/alice-listener.log" 2>"$WORK/alice-listener.err"
check "alice exits 0 after the call" test $? -eq 0
check "alice's call was confirmed" grep -q '"state":"confirmed"' "$WORK/alice-listener.log"
check "Kamailio sent the INVITE to bob's Contact, not to a saved connection" \
  grep -q "routing INVITE from alice (tls) to sip:bob@127.0.0.1:5217;transport=tls via <null>" "$WORK/kamailio2.log"
check "bob's call was confirmed and ended by alice's BYE" wait_for "$WORK/bob-listener.log" '"reason":"BYE received"' 5
check "bob got the INVITE on a connection Kamailio opened (not from port $K2)" \
  bash -c "p=\$(awk '/^--- /{dir=\$3; peer=\$4; n=1; next} n==1{if (dir==\"recv\" && /^INVITE /) print peer; n=0}' '$WORK/bob-listener.trace'); [ -n \"\$p\" ] && [ \"\${p##*:}\" != $K2 ]"

echo "== carol's tls: listener has a self-signed certificate: that Kamailio refuses to connect"
printf 'carol-secret\n' >"$WORK/carol.pw"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/self.key" -out "$WORK/self.pem" -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" >>"$WORK/openssl.log" 2>&1
start carol-self "$CLI" --listen tls:127.0.0.1:5211 --tls-cert "$WORK/self.pem" --tls-key "$WORK/self.key" \
  --account "sip:carol@127.0.0.1:$K2" --password-file "$WORK/carol.pw" --proxy "sip:127.0.0.1:$K2;transport=tls" \
  --ca-file "$WORK/ca.pem" --auto-answer --duration 60 --events
check "carol registers" wait_for "$WORK/carol-self.log" '"state":"registered"' 10
timeout 30 "$CLI" --listen udp:127.0.0.1:5219 --account "sip:alice@127.0.0.1:$K2" --password-file "$WORK/alice.pw" \
  --proxy "sip:127.0.0.1:$K2;transport=tls" --ca-file "$WORK/ca.pem" --call "sip:carol@127.0.0.1:$K2" --hangup-after 1 \
  --events >"$WORK/alice-self.log" 2>"$WORK/alice-self.err"
rc=$?
check "alice's call fails (rc=$rc, not killed by the timeout)" test $rc -ne 0 -a $rc -ne 124
check "with 408 from the proxy (no answer from carol)" grep -q "call to sip:carol@127.0.0.1:$K2 failed: 408" "$WORK/alice-self.err"
check "carol never saw the call" bash -c "! grep -q '\"state\":\"incoming\"' '$WORK/carol-self.log'"
check "Kamailio refused carol's certificate" grep -q "certificate verify failed" "$WORK/kamailio2.log"

kill -TERM "$PID_bob"
for _ in $(seq 60); do kill -0 "$PID_bob" 2>/dev/null || break; sleep 0.1; done
wait "$PID_bob"
check "bob exits 0 on SIGTERM" test $? -eq 0
check "bob unregistered over TLS" grep -q '"state":"unregistered"' "$WORK/bob.log"
finish
