#!/usr/bin/env bash
# Trust on first use end to end (issue 7): an account added through the settings model registers
# over TLS at Kamailio (tests/interop/kamailio-tls/, -A WITH_TLS) on tls:127.0.0.1:5920, whose
# certificate is self-signed (openssl req -x509). The gtest SettingsTofu.* in vphone_tofu_tests
# (models_tofu_test.cpp) does the model part in two phases on one profile:
#  1. "Certificate not trusted", the fingerprint openssl prints, trust -> Registered, and a new
#     controller on the same profile registers with no prompt;
#  2. Kamailio restarted with a new self-signed certificate: "certificate changed", both
#     fingerprints, not registered; forget -> "Certificate not trusted" again.
# Ports 5920-5921 (SIP), 13500-13519 (RTP).
#  3. the settings page (offscreen): the row's "Inspect certificate…" opens the certificate dialog
#     with that fingerprint; "Trust this certificate" registers (vphone_tofu_views_tests; with
#     VPHONE_TOFU_SCREENSHOT=FILE the dialog is saved there).
# vphone-cli (5922-5923) around them: a refused certificate prints "certificate HOST sha256 FP"
# (the fingerprint openssl prints), --trust-cert with it registers, and the same pin after the
# certificate changed says so and fails.
# usage: settings_tofu.sh VPHONE_TOFU_TESTS VPHONE_TOFU_VIEWS_TESTS VPHONE_CLI
TESTS=$(realpath "$1")
VIEWS=$(realpath "$2")
CLI=$(realpath "$3")
HERE=$(cd "$(dirname "$0")/../interop" && pwd)
. "$HERE/lib.sh"
. "$HERE/kamailio-tls/setup.sh"
command -v kamailio >/dev/null || { echo "kamailio missing: scripts/install-deps.sh --peers"; exit 1; }
command -v openssl >/dev/null || { echo "openssl missing"; exit 1; }
compgen -G "/usr/lib/*/kamailio/modules/tls.so" >/dev/null ||
  { echo "Kamailio's tls module missing (kamailio-tls-modules): scripts/install-deps.sh --peers"; exit 1; }
KP=5920
cd "$WORK" || exit 1
cp -r "$HERE/kamailio/db" "$WORK/db"
mkdir -p "$WORK/profile"

# self_signed DIR: DIR/kamailio.pem + .key, self-signed for 127.0.0.1 (also the config's CA list)
self_signed() {
  mkdir -p "$1"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/kamailio.key" -out "$1/kamailio.pem" -days 2 \
    -subj "/CN=127.0.0.1/O=vphone tofu test" -addext "subjectAltName=IP:127.0.0.1" >>"$WORK/openssl.log" 2>&1 &&
    cp "$1/kamailio.pem" "$1/ca.pem"
}
fingerprint() { openssl x509 -in "$1/kamailio.pem" -noout -fingerprint -sha256 | cut -d= -f2; }
# served_fingerprint: the SHA-256 fingerprint of the certificate Kamailio serves now
served_fingerprint() {
  timeout 2 openssl s_client -connect "127.0.0.1:$KP" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 2>/dev/null | cut -d= -f2
}
# kamailio_up NAME DIR: Kamailio with DIR's certificate, serving TLS within ~10 s
kamailio_up() {
  kamailio_config "$HERE/kamailio-tls/kamailio.cfg" "$2/kamailio.cfg" "$WORK/db" "$2" \
    "listen=tls:127.0.0.1:$KP" "alias=\"127.0.0.1:$KP\""
  kamailio -A WITH_TLS -c -f "$2/kamailio.cfg" >"$2/check.log" 2>&1 || { cat "$2/check.log"; return 1; }
  start "$1" kamailio -A WITH_TLS -f "$2/kamailio.cfg" -DD -E -m 64 -M 8 -w "$2" -Y "$2"
  for _ in $(seq 50); do
    [ "$(served_fingerprint)" = "$(fingerprint "$2")" ] && return 0
    sleep 0.2
  done
  return 1
}
# phase NAME FILTER ENV...: one gtest phase (of $BINARY); its output in $WORK/NAME.gtest
BINARY=$TESTS
phase() {
  local name=$1 filter=$2
  shift 2
  env VPHONE_TOFU_PORT=$KP VPHONE_TOFU_PROFILE="$WORK/profile" QT_QPA_PLATFORM=offscreen "$@" \
    timeout 90 "$BINARY" --gtest_filter="$filter" >"$WORK/$name.gtest" 2>&1
  local rc=$?
  cat "$WORK/$name.gtest"
  check "$name (gtest rc=$rc)" test $rc -eq 0
  check "  and the gtest really ran (not skipped)" grep -q "^\[       OK \] ${filter%\*}" "$WORK/$name.gtest"
}

echo "== Kamailio with a self-signed certificate"
check "openssl made a self-signed certificate" self_signed "$WORK/k1"
FP1=$(fingerprint "$WORK/k1")
check "Kamailio serves TLS on 127.0.0.1:$KP with it" kamailio_up kamailio "$WORK/k1"
printf 'alice-secret\n' >"$WORK/alice.pw"
# cli NAME PORT ARGS...: vphone-cli registering alice over TLS for up to 3 s; rc in $WORK/NAME.rc
cli() {
  local name=$1 port=$2
  shift 2
  timeout 20 "$CLI" --listen "udp:127.0.0.1:$port" --account "sip:alice@127.0.0.1:$KP" \
    --password-file "$WORK/alice.pw" --proxy "sip:127.0.0.1:$KP;transport=tls" --duration 3 --events "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err"
  echo $? >"$WORK/$name.rc"
}
cli cli-refused 5922
check "vphone-cli without a pin fails (rc=$(cat "$WORK/cli-refused.rc"))" test "$(cat "$WORK/cli-refused.rc")" -ne 0
check "and prints the line to pin it: certificate 127.0.0.1 sha256 $FP1" \
  grep -qx "certificate 127.0.0.1 sha256 $FP1" "$WORK/cli-refused.err"
cli cli-pinned 5923 --trust-cert "$WORK/k1/kamailio.pem"
check "vphone-cli --trust-cert with that certificate registers" grep -q '"state":"registered"' "$WORK/cli-pinned.out"
phase "not trusted, inspect, trust, registered, pinned across restarts" SettingsTofu.TrustOnFirstUse \
  VPHONE_TOFU_SHA256="$FP1"
check "the account registered at Kamailio over TLS" grep -q "REGISTER ok: sip:alice@127.0.0.1:$KP" "$WORK/kamailio.log"

echo "== Kamailio restarted with a new self-signed certificate"
kill -TERM "$PID_kamailio"
for _ in $(seq 50); do kill -0 "$PID_kamailio" 2>/dev/null || break; sleep 0.1; done
check "openssl made another self-signed certificate" self_signed "$WORK/k2"
FP2=$(fingerprint "$WORK/k2")
check "the two fingerprints differ" test "$FP1" != "$FP2"
check "Kamailio serves TLS with the new certificate" kamailio_up kamailio2 "$WORK/k2"
cli cli-changed 5922 --trust-cert "$WORK/k1/kamailio.pem"
check "vphone-cli pinned to the old certificate fails" test "$(cat "$WORK/cli-changed.rc")" -ne 0
check "  and says the certificate changed, with both fingerprints" grep -q \
  "the server's certificate changed since you trusted it (trusted sha256 $FP1, presented sha256 $FP2)" \
  "$WORK/cli-changed.err"
check "  and never registered" bash -c "! grep -q '\"state\":\"registered\"' '$WORK/cli-changed.out'"
phase "certificate changed, refused; forget, not trusted" SettingsTofu.CertificateChanged \
  VPHONE_TOFU_SHA256="$FP2" VPHONE_TOFU_TRUSTED="$FP1"
check "no REGISTER reached Kamailio with its new certificate" bash -c "! grep -q REGISTER '$WORK/kamailio2.log'"

echo "== the settings page: inspect the certificate, trust it"
BINARY=$VIEWS
phase "the certificate dialog shows the fingerprint; trusting registers" SettingsTofuView.* \
  VPHONE_TOFU_SHA256="$FP2" VPHONE_TOFU_SCREENSHOT="${VPHONE_TOFU_SCREENSHOT:-$WORK/certificate.png}"
check "the account registered at Kamailio with its new certificate" grep -q "REGISTER ok: sip:alice@127.0.0.1:$KP" \
  "$WORK/kamailio2.log"
finish
