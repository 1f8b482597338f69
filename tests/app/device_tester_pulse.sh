#!/usr/bin/env bash
# The settings page's device test against a real sound server: a private PulseAudio on our own
# socket under $WORK (stopped by PID) with a module-pipe-source as the default microphone and a
# null sink (vphone_sink) as the default speaker. The gtest
# DeviceTester.PulseMicLevelRisesWithAToneAndTheTestToneReachesTheSink in vphone_device_tester_tests
# writes silence and then 440 Hz into the pipe (the level must rise) and records the test tone
# from vphone_sink.monitor with parec (440 Hz must dominate what arrived). It is skipped unless
# this script runs it.
# usage: device_tester_pulse.sh VPHONE_DEVICE_TESTER_TESTS
TESTS=$1
HERE=$(cd "$(dirname "$0")/../interop" && pwd)
. "$HERE/lib.sh"
command -v pulseaudio >/dev/null || { echo "pulseaudio missing: scripts/install-deps.sh"; exit 1; }
command -v parec >/dev/null || { echo "parec missing (pulseaudio-utils)"; exit 1; }
SOCK=$WORK/pulse.sock
PIPE=$WORK/mic.pipe
cat >"$WORK/server.pa" <<PA
load-module module-native-protocol-unix socket=$SOCK auth-anonymous=1
load-module module-null-sink sink_name=vphone_sink rate=48000 channels=1
load-module module-pipe-source source_name=vphone_pipe file=$PIPE format=s16le rate=48000 channels=1
set-default-sink vphone_sink
set-default-source vphone_pipe
PA
mkdir -p "$WORK/pulse-runtime"
start pulseaudio env HOME="$WORK" PULSE_RUNTIME_PATH="$WORK/pulse-runtime" pulseaudio -n -F "$WORK/server.pa" \
  --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disallow-exit
for _ in $(seq 50); do
  [ -S "$SOCK" ] && [ -p "$PIPE" ] && break
  sleep 0.1
done
check "the private PulseAudio is up (socket and pipe)" test -S "$SOCK" -a -p "$PIPE"
PULSE_SERVER=unix:$SOCK VPHONE_PULSE_PIPE=$PIPE QT_QPA_PLATFORM=offscreen timeout 60 "$TESTS" \
  --gtest_filter='DeviceTester.*' >"$WORK/gtest.log" 2>&1
rc=$?
cat "$WORK/gtest.log"
check "mic level and test tone through PulseAudio (gtest rc=$rc)" test $rc -eq 0
check "  and the Pulse test really ran (not skipped)" grep -q '^\[       OK \] DeviceTester.PulseMic' "$WORK/gtest.log"
finish
