#!/usr/bin/env bash
# vphone-cli against our own SIPp scenarios on 127.0.0.1 (ports 5150-5159):
#  401 and 407 digest challenges on INVITE, a callee that rings until CANCEL, and calls over a
#  lossy link (SIPp drops 10% of what it sends and receives) answered through retransmissions.
# usage: sipp_scenarios.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK" # SIPp writes its logs into the current directory
printf 'secret\n' >"$WORK/password"

# digest_ok TRACE HEADER: recomputes the RFC 2617/7616 MD5 response of the retried INVITE.
digest_ok() {
  python3 - "$1" "$2" <<'PY'
import hashlib, re, sys
text = open(sys.argv[1], encoding="latin-1").read()
m = re.search(r"^" + sys.argv[2] + r": Digest (.*)$", text, re.M)
p = dict(re.findall(r'(\w+)="?([^",]*)"?', m.group(1)))
h = lambda s: hashlib.md5(s.encode()).hexdigest()
ha1 = h(f"{p['username']}:{p['realm']}:secret")
ha2 = h(f"INVITE:{p['uri']}")
want = h(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:{p['qop']}:{ha2}")
sys.exit(0 if want == p["response"] else 1)
PY
}

for variant in 401:$HERE/sipp/uas_auth.xml 407:$HERE/sipp/uas_proxy_auth.xml; do
  code=${variant%%:*}
  xml=${variant#*:}
  echo "== INVITE challenged with $code, answered with the account's credentials"
  start "sipp-$code" sipp -sf "$xml" -i 127.0.0.1 -p 5150 -m 1 -timeout 30 -trace_err -nostdin
  sleep 0.5
  timeout 30 "$CLI" --listen udp:127.0.0.1:5151 --account sip:alice@127.0.0.1 --no-register \
    --password-file "$WORK/password" --call sip:bob@127.0.0.1:5150 --hangup-after 1 --events \
    --trace "$WORK/trace-$code.txt" >"$WORK/cli-$code.log" 2>&1
  check "vphone-cli exits 0 after the authenticated call" test $? -eq 0
  pid_var="PID_sipp_$code"
  wait "${!pid_var}"
  check "SIPp accepted the retried INVITE and saw the whole call" test $? -eq 0
  if [ "$code" = 401 ]; then header=Authorization; else header=Proxy-Authorization; fi
  check "the retry carried $header with qop=auth" grep -q "^$header: Digest .*qop=auth" "$WORK/trace-$code.txt"
  check "its digest response is right (recomputed independently)" digest_ok "$WORK/trace-$code.txt" "$header"
  check "the password is not in the trace" bash -c "! grep -q secret '$WORK/trace-$code.txt'"
done

echo "== a callee that only rings: hang-up sends CANCEL, the INVITE ends with 487"
start sipp-cancel sipp -sf "$HERE/sipp/uas_ring_then_cancel.xml" -i 127.0.0.1 -p 5152 -m 1 -timeout 30 \
  -trace_err -nostdin
sleep 0.5
timeout 30 "$CLI" --listen udp:127.0.0.1:5153 --call sip:bob@127.0.0.1:5152 --duration 1 --events \
  >"$WORK/cli-cancel.log" 2>&1
check "vphone-cli exits non-zero: the call was not answered" test $? -ne 0
check "the call ended with 487" grep -q '"code":487.*"state":"terminated"' "$WORK/cli-cancel.log"
wait "$PID_sipp_cancel"
check "SIPp saw CANCEL and the ACK for 487" test $? -eq 0

echo "== 10 calls over a link that loses 10% of packets each way"
start uas "$CLI" --listen udp:127.0.0.1:5154 --auto-answer --events --duration 120
sleep 0.5
(cd "$WORK" && timeout 110 sipp -sn uac 127.0.0.1:5154 -s bob -i 127.0.0.1 -p 5155 -m 10 -l 2 -d 200 -lost 10 \
  -timeout 100 -timeout_error -trace_err -trace_stat -nostdin >"$WORK/sipp-lossy.log" 2>&1)
check "all 10 calls completed despite the loss" test $? -eq 0
finish
