#!/usr/bin/env bash
# Calls over SIP/TLS between two vphone-cli on 127.0.0.1 (ports 5110-5119), with a throwaway CA
# and a server certificate for 127.0.0.1/localhost made by the openssl command line: the caller
# verifies bob's certificate against --ca-file, refuses it without, and accepts it pinned with
# --trust-cert.
# usage: tls_calls.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v openssl >/dev/null || { echo "openssl missing"; exit 1; }
cd "$WORK"

echo "== a throwaway CA and a certificate for bob (127.0.0.1, localhost)"
openssl_ok() {
  {
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=vphone test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -newkey rsa:2048 -nodes -keyout bob.key -out bob.csr -subj "/CN=127.0.0.1" &&
      printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >bob.ext &&
      openssl x509 -req -in bob.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile bob.ext \
        -out bob.pem &&
      openssl verify -CAfile ca.pem bob.pem
  } >"$WORK/openssl.log" 2>&1
}
check "openssl made the CA and bob's certificate, which verifies" openssl_ok
# Another self-signed certificate for 127.0.0.1, to pin the wrong one.
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" >>"$WORK/openssl.log" 2>&1

start bob "$CLI" --listen tls:127.0.0.1:5110 --tls-cert "$WORK/bob.pem" --tls-key "$WORK/bob.key" --auto-answer \
  --events --duration 120 --trace "$WORK/trace-bob.txt"
listening() { # bounded: about 10 s
  for _ in $(seq 50); do
    timeout 1 bash -c '</dev/tcp/127.0.0.1/5110' 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
check "bob listens on TLS 127.0.0.1:5110" listening

# alice NAME PORT OPTIONS...: one call to bob over TLS, hung up after 1 s; returns vphone-cli's status.
alice() {
  local name=$1 port=$2
  shift 2
  timeout 40 "$CLI" --listen "udp:127.0.0.1:$port" --call 'sip:bob@127.0.0.1:5110;transport=tls' --hangup-after 1 \
    --events --trace "$WORK/trace-$name.txt" "$@" >"$WORK/$name.log" 2>"$WORK/$name.err"
}

echo "== alice trusts the CA (--ca-file)"
alice ca 5111 --ca-file "$WORK/ca.pem"
check "the call is confirmed and vphone-cli exits 0" test $? -eq 0
check "alice reported the call confirmed" grep -q '"state":"confirmed"' "$WORK/ca.log"
check "alice's INVITE went over TLS (Via: SIP/2.0/TLS)" grep -q '^Via: SIP/2.0/TLS ' "$WORK/trace-ca.txt"
check "bob received it over TLS" grep -q '^Via: SIP/2.0/TLS ' "$WORK/trace-bob.txt"
check "the ACK and the BYE went over TLS too" \
  bash -c "grep -A2 '^ACK ' '$WORK/trace-ca.txt' | grep -q 'SIP/2.0/TLS' && grep -A2 '^BYE ' '$WORK/trace-ca.txt' | grep -q 'SIP/2.0/TLS'"

echo "== alice trusts nothing: bob's certificate is refused"
alice noca 5112
check "vphone-cli exits non-zero" test $? -ne 0
check "its stderr says why (the certificate)" grep -qi 'certificate' "$WORK/noca.err"
check "it never reported the call confirmed" bash -c "! grep -q '\"state\":\"confirmed\"' '$WORK/noca.log'"

echo "== alice pins bob's certificate (--trust-cert)"
alice pinned 5113 --trust-cert "$WORK/bob.pem"
check "the call is confirmed and vphone-cli exits 0" test $? -eq 0
check "alice's INVITE went over TLS" grep -q '^Via: SIP/2.0/TLS ' "$WORK/trace-pinned.txt"

echo "== alice pins another certificate: bob's is refused"
alice wrongpin 5114 --trust-cert "$WORK/other.pem"
check "vphone-cli exits non-zero" test $? -ne 0
check "its stderr mentions the certificate" grep -qi 'certificate' "$WORK/wrongpin.err"
check "bob saw exactly two calls, both confirmed and ended" \
  bash -c "[ \$(grep -c '\"state\":\"confirmed\"' '$WORK/bob.log') = 2 ] && [ \$(grep -c '\"state\":\"terminated\"' '$WORK/bob.log') = 2 ]"
finish
