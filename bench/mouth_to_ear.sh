#!/usr/bin/env bash
# Mouth-to-ear latency on loopback, vphone -> vphone and baresip -> baresip in the same run,
# with the same codecs (Opus, PCMU) and ptime (20 ms). Benchmark, not a test.
#   vphone:  vphone-bench-mouth-to-ear (bench/mouth_to_ear.cpp): two MediaSessions over
#            127.0.0.1, a click source probe and an onset-detecting sink probe on one clock.
#   baresip: bench/baresip_mouth_to_ear.sh: two baresip 1.0.0 instances over 127.0.0.1, a JACK
#            dummy server standing in for the sound cards, the same click and detector.
# Both count capture from the end of the frame that holds the click and playback from the moment
# the decoded sample is handed to the sink; see each one's header for details.
# usage: bench/mouth_to_ear.sh BUILD_DIR [SECONDS per configuration, default 10]
#        (needs scripts/install-deps.sh --bench for baresip and JACK)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:?usage: mouth_to_ear.sh BUILD_DIR [SECONDS]}
SECS=${2:-10}
echo "== vphone -> vphone (media engine, SRTP as listed)"
"$BUILD/bench/vphone-bench-mouth-to-ear" "$SECS" || exit 1
echo
echo "== baresip -> baresip (baresip 1.0.0 defaults, plain RTP, JACK dummy as the sound cards)"
bash "$HERE/baresip_mouth_to_ear.sh" "$SECS" opus pcmu || exit 1
