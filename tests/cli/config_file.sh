#!/usr/bin/env bash
# vphone-cli --config: the INI file sets what the flags set, flags override it, the default path
# ($XDG_CONFIG_HOME/vphone/vphone-cli.conf) is read, and every mistake names file, line and key.
# Two phones on 127.0.0.1:5260-5263.
# usage: config_file.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")/../interop" && pwd)
. "$HERE/lib.sh"
cd "$WORK"
export XDG_CONFIG_HOME="$WORK/xdg" # never the user's own file

# expect_error NAME PATTERN: vphone-cli --config NAME.conf fails with exit 2 and PATTERN on stderr
expect_error() {
  "$CLI" --config "$WORK/$1.conf" --duration 0 >"$WORK/$1.out" 2>"$WORK/$1.err"
  local rc=$?
  check "$1: exit code 2 (got $rc)" test $rc -eq 2
  check "$1: says '$2'" grep -qF -- "$2" "$WORK/$1.err"
}

echo "== mistakes are named by file, line and key"
printf '[general]\nlisten = udp:127.0.0.1:5260\nlisen = udp:127.0.0.1:5261\n' >bad-key.conf
expect_error bad-key "bad-key.conf:3: key 'lisen': unknown in [general]"
printf '[general]\n# a comment\nkeepalive = soon\n' >bad-value.conf
expect_error bad-value "bad-value.conf:3: key 'keepalive': --keepalive needs 0 (off) or at least 1 second, got 'soon'"
printf '[general]\nlisten = udp:example.test:5060\n' >bad-listen.conf
expect_error bad-listen "bad-listen.conf:2: key 'listen': bad listen address 'udp:example.test:5060'"
printf '[phone]\n' >bad-section.conf
expect_error bad-section "bad-section.conf:1: unknown section [phone]"
printf '[account alice]\nregister = maybe\n' >bad-bool.conf
expect_error bad-bool "bad-bool.conf:2: key 'register': 'maybe' is not yes or no"
printf '[account alice]\nregister = no\n' >no-uri.conf
expect_error no-uri "no-uri.conf: [account alice] has no uri"
printf 'listen = udp:127.0.0.1:5260\n' >no-section.conf
expect_error no-section "no-section.conf:1: key 'listen': comes before any [general] or [account] section"
printf '[account]\nuri = sip:alice@127.0.0.1\npassword = secret\n' >password.conf
chmod 644 password.conf
expect_error password "password.conf:3: key 'password': refused: $WORK/password.conf can be read by other users"
check "the refusal does not echo the password" bash -c "! grep -q secret '$WORK/password.err'"
printf '[general]\ncodecs = opus,bogus\n' >bad-codec.conf
expect_error bad-codec "bad-codec.conf:2: key 'codecs': --codecs: unknown codec 'bogus'"
printf '[account alice]\nuri = sip:alice@127.0.0.1\nsrtp = sometimes\n' >bad-srtp.conf
expect_error bad-srtp "bad-srtp.conf:3: key 'srtp': --srtp 'sometimes': expected off, optional or mandatory"
printf '[general]\nrtp-ports = 5000-4000\n' >bad-ports.conf
expect_error bad-ports "bad-ports.conf:2: key 'rtp-ports': --rtp-ports '5000-4000'"
printf '[general]\naudio-source = mic\n' >bad-source.conf
expect_error bad-source "bad-source.conf:2: key 'audio-source': --audio-source 'mic'"
"$CLI" --config "$WORK/missing.conf" >/dev/null 2>"$WORK/missing.err"
check "a missing --config file is an error" grep -q "cannot read config file $WORK/missing.conf" "$WORK/missing.err"

echo "== a private file may hold a password"
chmod 600 password.conf
"$CLI" --config "$WORK/password.conf" --no-register --listen udp:127.0.0.1:5263 --duration 0.2 >"$WORK/private.out" 2>&1
check "mode 0600: accepted, runs and exits 0" test $? -eq 0

echo "== the file configures a phone; flags override it"
cat >callee.conf <<CONF
# the callee: an account that does not register, answering on its own
[general]
listen = udp:127.0.0.1:5269
events = yes
auto-answer = yes
duration = 20

[account alice]
uri = sip:alice@127.0.0.1
register = no
CONF
start callee "$CLI" --config "$WORK/callee.conf" --listen udp:127.0.0.1:5260 --trace "$WORK/callee.trace"
sleep 0.5
mkdir -p "$WORK/xdg/vphone"
printf '[general]\nlisten = udp:127.0.0.1:5261\nevents = yes\n' >"$WORK/xdg/vphone/vphone-cli.conf"
timeout 20 "$CLI" --call sip:alice@127.0.0.1:5260 --hangup-after 0.5 >"$WORK/caller.log" 2>&1
check "the caller (default config file) reaches the callee on the --listen flag's port" test $? -eq 0
check "the default file turned --events on" grep -q '"state":"confirmed"' "$WORK/caller.log"
check "the caller used the default file's listen address" grep -q "recv 127.0.0.1:5261" "$WORK/callee.trace"
check "the callee's --listen flag replaced the file's address" bash -c "! grep -q 5269 '$WORK/callee.trace'"
check "the callee answered on the file's account" \
  wait_for "$WORK/callee.log" '"account":"sip:alice@127.0.0.1".*"state":"confirmed"' 5
finish
