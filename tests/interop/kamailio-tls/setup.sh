# shellcheck shell=bash
# Set-up shared by kamailio_tls.sh, kamailio_ipv6.sh and baresip_kamailio.sh. Source it.
# make_pki DIR [SAN]: a throwaway PKI made with the openssl command line: DIR/ca.pem (a CA valid
# for 2 days) and DIR/kamailio.pem + DIR/kamailio.key (a server certificate it issued for SAN,
# by default IP 127.0.0.1 and sip.example.test), chain checked with `openssl verify`; openssl
# output in DIR/openssl.log.
make_pki() {
  local d=$1 san=${2:-IP:127.0.0.1,DNS:sip.example.test}
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 \
    -subj "/CN=vphone interop CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >"$d/openssl.log" 2>&1 &&
    issue_cert "$d" kamailio "$san"
}

# issue_cert DIR NAME SAN: DIR/NAME.pem + DIR/NAME.key, issued by DIR/ca.pem for the
# subjectAltName SAN (TLS server and client use), then verified against the CA.
issue_cert() {
  local d=$1 name=$2 san=$3
  {
    openssl req -newkey rsa:2048 -nodes -keyout "$d/$name.key" -out "$d/$name.csr" -subj "/CN=127.0.0.1" &&
      printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" >"$d/$name.ext" &&
      openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile "$d/$name.ext" -out "$d/$name.pem" &&
      openssl verify -CAfile "$d/ca.pem" "$d/$name.pem"
  } >>"$d/openssl.log" 2>&1
}

# kamailio_config TEMPLATE OUT DBDIR CERTDIR LISTEN_LINE...: the config from kamailio-tls/ with
# the listen=/alias= lines given and the db, certificate and CA paths filled in.
kamailio_config() {
  local template=$1 out=$2 db=$3 certs=$4
  shift 4
  printf '%s\n' "$@" >"$out.listen"
  sed -e "/@LISTEN@/r $out.listen" -e "/@LISTEN@/d" -e "s|@DBDIR@|$db|g" \
    -e "s|@CERT@|$certs/kamailio.pem|g" -e "s|@KEY@|$certs/kamailio.key|g" -e "s|@CA@|$certs/ca.pem|g" \
    "$template" >"$out"
}
