#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`), seeds their corpora from the torture and bench
# messages, then runs each target for a bounded time and prints one line per target.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default: 30 s, every target)
#
# Corpora grow in build/fuzz/corpus/<target> from run to run; crash, timeout and out-of-memory
# inputs go to build/fuzz/artifacts/<target>-*, full logs to build/fuzz/logs/<target>.log.
# Reproduce a crash with: build/fuzz/fuzz/<target> build/fuzz/artifacts/<file>
# Exits non-zero if any target crashed or could not be built.
set -euo pipefail

seconds=${1:-30}
shift || true
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2
    exit 2
fi
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(fuzz_message_datagram fuzz_message_stream fuzz_multipart fuzz_uri fuzz_sdp)
    targets+=(fuzz_wav)
    targets+=(fuzz_rtp fuzz_rtcp fuzz_stun)
    targets+=(fuzz_h264_depacketizer fuzz_vp8_depacketizer)
    [ -f "$(dirname "${BASH_SOURCE[0]}")/../fuzz/contacts.cmake" ] && targets+=(fuzz_vcard)
    targets+=(fuzz_pidf fuzz_message_summary fuzz_dialog_info)
    targets+=(fuzz_conference_info)
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build/fuzz
corpus=$build/corpus
artifacts=$build/artifacts
logs=$build/logs
torture=$root/tests/data/torture
bench=$root/bench/corpus

cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"

mkdir -p "$artifacts" "$logs"

# seed DIR: stores stdin as one seed file named by its hash (so re-seeding is idempotent).
seed() {
    local tmp
    tmp=$(mktemp)
    cat >"$tmp"
    mv "$tmp" "$1/$(sha1sum <"$tmp" | cut -c1-40)"
}

sip_files=("$torture"/*.sip "$bench"/*.sip)

# --- message_datagram: each message as one datagram.
dir=$corpus/fuzz_message_datagram
mkdir -p "$dir"
for f in "${sip_files[@]}"; do seed "$dir" <"$f"; done

# --- message_stream: first byte = read size - 1; then the stream. Single messages read 16
# bytes at a time, the bench messages back to back (with CRLF keep-alives) in several sizes.
dir=$corpus/fuzz_message_stream
mkdir -p "$dir"
for f in "${sip_files[@]}"; do { printf '\x0f'; cat "$f"; } | seed "$dir"; done
for size in '\x00' '\x06' '\x3f' '\xff'; do
    {
        printf "$size"
        for f in "$bench"/*.sip; do cat "$f"; printf '\r\n\r\n'; done
    } | seed "$dir"
done

# --- multipart: "boundary\n" then the body of each message whose Content-Type has a boundary.
dir=$corpus/fuzz_multipart
mkdir -p "$dir"
for f in "${sip_files[@]}"; do
    boundary=$({ grep -aioE '^(content-type|c)[[:space:]]*:.*boundary=("[^"]*"|[^;[:space:]]*)' "$f" || true; } |
        head -n1 | sed -E 's/.*[bB][oO][uU][nN][dD][aA][rR][yY]=//; s/^"//; s/"$//' | tr -d '\r')
    [[ -n $boundary ]] || continue
    # Bytes up to and including the empty line that ends the header section.
    head=$(LC_ALL=C awk '{ n += length($0) + 1 } $0 == "\r" { print n; exit }' "$f")
    [[ -n $head ]] || continue
    { printf '%s\n' "$boundary"; tail -c +$((head + 1)) "$f"; } | seed "$dir"
done
printf 'b\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\n\r\nworld\r\n--b--\r\n' | seed "$dir"
printf 'b\npreamble\r\n--b \t\r\nA : 1\r\n\tfolded\r\n\r\n\r\n--b\r\n\r\n--b--\r\nepilogue' | seed "$dir"
printf '"a b"\n--a b\r\nContent-ID: <x@y>\r\n\r\n--a bx\r\n\r\n--a b--' | seed "$dir"

# --- uri: Request-URIs, URIs in <...>, and a few of each shape the parser must know.
dir=$corpus/fuzz_uri
mkdir -p "$dir"
for f in "${sip_files[@]}"; do
    uri=$(awk 'NR == 1 && $1 != "SIP/2.0" && NF >= 3 { print $2 }' "$f")
    [[ -z $uri ]] || printf '%s' "$uri" | seed "$dir"
    { grep -aoE '<[^<>[:cntrl:]]+>' "$f" || true; } | tr -d '<>' | sort -u | while IFS= read -r uri; do
        printf '%s' "$uri" | seed "$dir"
    done
done
for uri in \
    'sip:alice@example.com' \
    'sips:bob:secret@example.com:5061;transport=tls;maddr=192.0.2.1?subject=hi&priority=urgent' \
    'sip:[2001:db8::10]:5060;lr' \
    'sip:user@[::ffff:192.0.2.128];transport=udp' \
    'sip:%61lice;phone-context=example.com@example.com;user=phone' \
    'tel:+1-201-555-0123;ext=1234' \
    'tel:7042;phone-context=example.com' \
    'TEL:+358-555-1234567;postd=pp22;isub=1411' \
    'mailto:alice@example.com' \
    'urn:service:sos'; do
    printf '%s' "$uri" | seed "$dir"
done

# --- sdp: the real-world SDP corpus, and the SDP bodies of the SIP messages that carry one.
dir=$corpus/fuzz_sdp
mkdir -p "$dir"
for f in "$root"/tests/data/sdp/*.sdp; do seed "$dir" <"$f"; done
for f in "${sip_files[@]}"; do
    grep -aqiE '^(content-type|c)[[:space:]]*:[[:space:]]*application/sdp' "$f" || continue
    head=$(LC_ALL=C awk '{ n += length($0) + 1 } $0 == "\r" { print n; exit }' "$f")
    [[ -n $head ]] || continue
    tail -c +$((head + 1)) "$f" | seed "$dir"
done

# --- wav: a valid mono and stereo header with a few samples, one with a LIST chunk first, and
# unfinished recordings (data size 0) — the shapes parseWav() must walk.
dir=$corpus/fuzz_wav
mkdir -p "$dir"
printf 'RIFF\x2c\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x08\x00\x00\x00\x01\x00\x02\x00\x03\x00\x04\x00' | seed "$dir"
printf 'RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00\x80\xbb\x00\x00\x00\xee\x02\x00\x04\x00\x10\x00data\x00\x00\x00\x00\x01\x00\x02\x00' | seed "$dir"
printf 'RIFF\x00\x00\x00\x00WAVELIST\x05\x00\x00\x00INFOx\x00fmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00data\xff\xff\xff\xff\x00\x00' | seed "$dir"
printf 'RIFF\x00\x00\x00\x00WAVEfmt \x28\x00\x00\x00\xfe\xff\x01\x00\x80\xbb\x00\x00\x00\x77\x01\x00\x02\x00\x10\x00\x16\x00\x10\x00\x04\x00\x00\x00\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71data\x02\x00\x00\x00\x01\x00' | seed "$dir"

# --- rtp: runs of datagrams, each after a 2-byte length: a clean Opus-like stream, one with a
# CSRC, an extension and padding, one with a sequence wrap.
dir=$corpus/fuzz_rtp
mkdir -p "$dir"
printf '\x00\x10\x80\x6f\x00\x01\x00\x00\x00\x00\x11\x22\x33\x44\xaa\xbb\xcc\xdd\x00\x10\x80\x6f\x00\x02\x00\x00\x03\xc0\x11\x22\x33\x44\xaa\xbb\xcc\xdd\x00\x10\x80\x6f\x00\x04\x00\x00\x0b\x40\x11\x22\x33\x44\xaa\xbb\xcc\xdd' | seed "$dir"
printf '\x00\x1c\xb1\xe0\x12\x34\x01\x02\x03\x04\xde\xad\xbe\xef\x00\x00\x00\x07\xbe\xde\x00\x01\x10\xff\x00\x00\x09\x09\x00\x02' | seed "$dir"
printf '\x00\x0c\x80\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x01\x00\x0c\x80\x00\x00\x00\x00\x00\x00\xa0\x00\x00\x00\x01' | seed "$dir"

# --- rtcp: SR + SDES, RR + BYE with a reason, generic NACK, PLI, FIR, APP.
dir=$corpus/fuzz_rtcp
mkdir -p "$dir"
printf '\x81\xc8\x00\x0c\x00\x00\x00\x01\xe8\x00\x00\x00\x10\x00\x00\x00\x00\x00\x03\xc0\x00\x00\x00\x0a\x00\x00\x06\x40\x00\x00\x00\x02\x19\x00\x00\x03\x00\x01\x00\x05\x00\x00\x00\x7b\x11\x22\x33\x44\x00\x01\x80\x00\x81\xca\x00\x03\x00\x00\x00\x01\x01\x05alice\x00\x00\x00' | seed "$dir"
printf '\x80\xc9\x00\x01\x00\x00\x00\x01\x81\xcb\x00\x03\x00\x00\x00\x01\x04done\x00\x00\x00' | seed "$dir"
printf '\x81\xcd\x00\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x64\x80\x01' | seed "$dir"
printf '\x81\xce\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\x84\xce\x00\x04\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x07\x00\x00\x00' | seed "$dir"
printf '\x80\xcc\x00\x02\x00\x00\x00\x01name' | seed "$dir"

# --- stun: a Binding request and the RFC 5769 §2.2 sample IPv4 response (XOR-MAPPED-ADDRESS,
# SOFTWARE, MESSAGE-INTEGRITY, FINGERPRINT).
dir=$corpus/fuzz_stun
mkdir -p "$dir"
printf '\x00\x01\x00\x00\x21\x12\xa4\x42\xb7\xe7\xa7\x01\xbc\x34\xd6\x86\xfa\x87\xdf\xae' | seed "$dir"
printf '\x01\x01\x00\x3c\x21\x12\xa4\x42\xb7\xe7\xa7\x01\xbc\x34\xd6\x86\xfa\x87\xdf\xae\x80\x22\x00\x0b\x74\x65\x73\x74\x20\x76\x65\x63\x74\x6f\x72\x20\x00\x20\x00\x08\x00\x01\xa1\x47\xe1\x12\xa6\x43\x00\x08\x00\x14\x2b\x91\xf5\x99\xfd\x9e\x90\xc3\x8c\x74\x89\xf9\x2a\xf9\xba\x53\xf0\x6b\xe7\xd7\x80\x28\x00\x04\xc0\x7d\x4c\x96' | seed "$dir"

# --- h264_depacketizer / vp8_depacketizer: byte 0 picks the round trip's packet size and order;
# then pseudo-packets: 2-byte length, sequence step, timestamp step (x1500), flags (bit 0 marker,
# the rest ms to advance), payload. H.264: STAP-A (SPS, PPS) + IDR, then an FU-A pair and a P
# slice; VP8: a key frame in two packets (15-bit picture ID), then one with every extension.
dir=$corpus/fuzz_h264_depacketizer
mkdir -p "$dir"
printf '\x05\x00\x10\x01\x00\x00\x18\x00\x04\x67\x42\x00\x1f\x00\x02\x68\xce\x00\x03\x65\x88\x84\x00\x03\x01\x00\x01\x65\x88\x80\x00\x04\x01\x02\x00\x7c\x81\x9a\x01\x00\x03\x01\x00\x21\x7c\x41\x02\x00\x03\x01\x02\x41\x41\x9a\x04' | seed "$dir"
printf '\x83\x00\x02\x01\x00\x00\x09\xf0\x00\x06\x02\x00\x01\x18\x00\x05\x00\x06\x01\x00\x01\x1c\xc5\x01\x02\x03' | seed "$dir"
dir=$corpus/fuzz_vp8_depacketizer
mkdir -p "$dir"
printf '\x05\x00\x08\x01\x00\x00\x90\x80\x80\x01\x10\x02\x9d\x01\x00\x05\x01\x00\x01\x80\x80\x80\x01\x2a\x00\x08\x01\x02\x01\x90\xf0\x81\x02\x07\xa5\x11\x22' | seed "$dir"
printf '\x41\x00\x02\x01\x00\x00\x90\x80\x00\x01\x01\x00\x01\x10\x00\x04\x01\x02\x00\x90\x20\x00\x01' | seed "$dir"

# --- vcard: the sample address-book exports the contacts tests read (Apple, Google, RFC 6350).
dir=$corpus/fuzz_vcard
mkdir -p "$dir"
for f in "$root"/tests/data/vcard/*.vcf; do [ -f "$f" ] && seed "$dir" <"$f"; done

# --- presence bodies: the documents of RFC 3863/4480, RFC 3842 and RFC 4235 and our own PIDF.
dir=$corpus/fuzz_pidf
mkdir -p "$dir"
printf '%s' '<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:a@b"><tuple id="t"><status><basic>open</basic></status><note>n</note></tuple><dm:person id="p"><rpid:activities><rpid:on-the-phone/></rpid:activities><dm:note>busy</dm:note></dm:person></presence>' | seed "$dir"
printf '%s' '<impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf" entity="pres:x@y"><impp:tuple id="a"><impp:status><impp:basic>closed</impp:basic></impp:status></impp:tuple><impp:note>x</impp:note></impp:presence>' | seed "$dir"
dir=$corpus/fuzz_message_summary
mkdir -p "$dir"
printf 'Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\nVoice-Message: 4/8 (1/2)\r\n\r\nTo: <a@b>\r\n' | seed "$dir"
printf 'Messages-Waiting: no\nVoice-Message: 0/3\nFax-Message: 1/0\n' | seed "$dir"
dir=$corpus/fuzz_dialog_info
mkdir -p "$dir"
printf '%s' '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:bob@example.com"><dialog id="d" call-id="c" local-tag="l" remote-tag="r" direction="recipient"><state>early</state><local><identity>sip:bob@example.com</identity><target uri="sip:bob@pc"/></local><remote><identity display="A">sip:alice@example.com</identity></remote></dialog></dialog-info>' | seed "$dir"
printf '%s' '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="partial" entity="sip:b@c"/>' | seed "$dir"
dir=$corpus/fuzz_conference_info
mkdir -p "$dir"
printf '%s' '<?xml version="1.0"?><conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:conf@h" state="full" version="3"><conference-description><subject>s</subject></conference-description><conference-state><user-count>2</user-count></conference-state><users><user entity="sip:bob@h" state="full"><display-text>Bob</display-text><endpoint entity="sip:bob@pc"><status>connected</status><media id="1"><type>audio</type><status>sendrecv</status></media></endpoint></user></users></conference-info>' | seed "$dir"
printf '%s' '<c:conference-info xmlns:c="urn:ietf:params:xml:ns:conference-info" entity="sip:c@h" state="partial" version="4"><c:users><c:user entity="sip:bob@h" state="deleted"/></c:users></c:conference-info>' | seed "$dir"

# --- run
failed=0
for target in "${targets[@]}"; do
    bin=$build/fuzz/$target
    log=$logs/$target.log
    if [[ ! -x $bin ]]; then
        printf '%-22s NOT BUILT\n' "$target"
        failed=1
        continue
    fi
    mkdir -p "$corpus/$target"
    status=0
    "$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" "$corpus/$target" >"$log" 2>&1 || status=$?
    runs=$(grep -aoE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -n1)
    [[ -n $runs ]] || runs=$(grep -aoE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')
    files=$(find "$corpus/$target" -type f | wc -l)
    if ((status == 0)); then
        printf '%-22s ok       %12s runs in %ss, corpus %s\n' "$target" "${runs:-?}" "$seconds" "$files"
    else
        what=$(grep -aE '^SUMMARY: |ERROR: libFuzzer: |invariant broken: ' "$log" | head -n1 | cut -c1-100)
        artifact=$(grep -aoE "Test unit written to [^ ]+" "$log" | tail -n1 | sed 's/Test unit written to //')
        printf '%-22s FAILED   %12s runs (exit %s): %s; input %s; log %s\n' "$target" "${runs:-?}" \
            "$status" "${what:-see log}" "${artifact:-none}" "$log"
        failed=1
    fi
done
exit "$failed"
