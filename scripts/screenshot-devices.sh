#!/usr/bin/env bash
# The settings page's devices section as a picture for the README: docs/screenshots/settings-devices.png,
# taken under Xvfb (display :66-:69, the first free one) by the views test
# DevicesViews.LevelBarMovesPreviewShowsAndLeavingStopsTheTests with a tone:440 microphone (the
# level bar) and the test pattern as the camera (the preview); SIP 127.0.0.1:5940, no call.
# usage: scripts/screenshot-devices.sh [BUILD_DIR]   (default build/dev; builds the test target)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/dev}
cmake --build "$BUILD" -j2 --target vphone_devices_views_tests >/dev/null || exit 2
command -v Xvfb >/dev/null || { echo "screenshot-devices: Xvfb missing (scripts/install-deps.sh)" >&2; exit 2; }
DISPLAY_NUM=
for n in 66 67 68 69; do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { DISPLAY_NUM=$n; break; }
done
[ -n "$DISPLAY_NUM" ] || { echo "screenshot-devices: displays :66-:69 are all taken" >&2; exit 2; }
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XPID=$!
trap 'kill $XPID 2>/dev/null; wait $XPID 2>/dev/null' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
mkdir -p "$ROOT/docs/screenshots"
DISPLAY=":$DISPLAY_NUM" VPHONE_DEVICES_SCREENSHOT="$ROOT/docs/screenshots/settings-devices.png" \
  timeout 60 "$BUILD/tests/vphone_devices_views_tests" || exit 1
echo "screenshot-devices: $ROOT/docs/screenshots/settings-devices.png"
