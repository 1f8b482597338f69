#!/usr/bin/env bash
# SIPp offers vphone-cli --auto-answer absurd session descriptions on 127.0.0.1 (ports
# 5510-5519); each INVITE must be refused with 488 Not Acceptable Here (RFC 3264 §6) and ACKed,
# the callee must stay up and say what was wrong, and a sane offer afterwards is still answered.
#   port 0 on every stream, a thousand m-lines, an unknown transport, an 8000-byte fmtp (over
#   the 4096-byte line limit), SDP that does not parse, and SRTP keys that are not base64.
# usage: sipp_bad_sdp.sh VPHONE_CLI
CLI=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v sipp >/dev/null || { echo "sipp missing: scripts/install-deps.sh --peers"; exit 1; }
cd "$WORK"

# scenario NAME EXPECTED_STATUS BODY_FILE: a SIPp UAC scenario sending one INVITE with that body
scenario() {
  local name=$1 status=$2 body=$3
  {
    cat <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bad sdp">
  <send retrans="500">
    <![CDATA[
INVITE sip:bob@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:bob@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

XML
    cat "$body"
    cat <<XML
]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
XML
    if [ "$status" = 200 ]; then
      cat <<'XML'
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[last_Call-ID:]
CSeq: 1 ACK
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]>
  </send>
  <pause milliseconds="300"/>
  <send retrans="500">
    <![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[last_Call-ID:]
CSeq: 2 BYE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]>
  </send>
  <recv response="200"/>
XML
    else
      cat <<XML
  <recv response="$status"/>
  <send>
    <![CDATA[
ACK sip:bob@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[last_Call-ID:]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]>
  </send>
XML
    fi
    echo "</scenario>"
  } >"$WORK/$name.xml"
}

head_sdp() { printf 'v=0\r\no=sipp 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n'; }
{ head_sdp; printf 'm=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n'; } >port0.sdp
{ head_sdp; for i in $(seq 1000); do printf 'm=audio %d RTP/AVP 0\r\n' $((20000 + 2 * (i % 5000))); done; } >many.sdp
{ head_sdp; printf 'm=audio 6000 RTP/XYZ 0\r\na=rtpmap:0 PCMU/8000\r\n'; } >transport.sdp
{ head_sdp; printf 'm=audio 6000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 x=%s\r\n' \
  "$(head -c 8000 /dev/zero | tr '\0' 'a')"; } >fmtp.sdp
printf 'v=0\r\no=broken\r\nm=audio banana RTP/AVP 0\r\n' >garbage.sdp
{ head_sdp; printf 'm=audio 6000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!notbase64!!!\r\n'; } >crypto.sdp
{ head_sdp; printf 'm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'; } >good.sdp

start bob "$CLI" --listen udp:127.0.0.1:5510 --auto-answer --events --duration 120 --rtp-ports 11400-11419 \
  --srtp optional
sleep 0.5
for case in port0 many transport fmtp garbage crypto; do
  scenario "$case" 488 "$case.sdp"
  echo "== $case ($(wc -c <"$case.sdp") bytes of SDP)"
  timeout 30 sipp -sf "$WORK/$case.xml" -i 127.0.0.1 -p 5512 127.0.0.1:5510 -m 1 -timeout 20 -nostdin \
    -trace_err >"$WORK/sipp-$case.log" 2>&1
  check "refused with 488 and ACKed" test $? -eq 0
  check "the callee is still up" kill -0 "$PID_bob"
done
echo "== a sane offer afterwards"
scenario good 200 good.sdp
timeout 30 sipp -sf "$WORK/good.xml" -i 127.0.0.1 -p 5512 127.0.0.1:5510 -m 1 -timeout 20 -nostdin \
  -trace_err >"$WORK/sipp-good.log" 2>&1
check "answered with 200, then BYE" test $? -eq 0
echo "== what the callee said"
grep 'refusing' "$WORK/bob.log" | cut -c1-160 | sed 's/^/       /'
check "six refusals, each with a reason" test "$(grep -c 'refusing the call: 488 ..' "$WORK/bob.log")" -eq 6
check "the port-0 offer: every stream refused" grep -q 'refusing the call: 488 .*disabled by the offerer' "$WORK/bob.log"
check "the unparsable SDP: names the line" grep -q 'refusing the call: 488 .*line 3' "$WORK/bob.log"
finish
