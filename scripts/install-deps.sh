#!/usr/bin/env bash
# Installs the Debian 12 packages vphone needs, and nothing when all are present.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also the SIP stacks the parse benchmark compares against,
#                                      baresip + JACK for the mouth-to-ear comparison, and
#                                      linphone-desktop + xdotool for bench/app_start.sh
#   scripts/install-deps.sh --peers    also the interop peers (SIPp, Kamailio, baresip, ...) and the
#                                      desktop test tools (dunst, trayer, xdotool, xwininfo)
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config ninja-build clang clang-format libclang-rt-dev
  qt6-base-dev qt6-declarative-dev qt6-multimedia-dev qt6-tools-dev qt6-l10n-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-dialogs qml6-module-qtquick-templates
  qml6-module-qtqml-workerscript qml6-module-qtmultimedia libqt6sql6-sqlite qtkeychain-qt6-dev
  libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavformat-dev libavdevice-dev
  libsrtp2-dev libssl-dev libopus-dev libgtest-dev googletest libbenchmark-dev
  libspeexdsp-dev pulseaudio xvfb xauth desktop-file-utils dpkg-dev
)
bench_pkgs=(libosip2-dev libsofia-sip-ua-dev libbellesip-dev libre-dev baresip-core baresip-ffmpeg jackd2 libjack-jackd2-dev
  xdotool x11-utils linphone-desktop)
peer_pkgs=(sip-tester baresip-core baresip-ffmpeg linphone-cli iproute2 kamailio kamailio-tls-modules kamailio-presence-modules sipsak dnsmasq sipvicious dunst trayer xdotool x11-utils qt6-gtk-platformtheme coturn gnome-keyring dbus)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --bench) want+=("${bench_pkgs[@]}") ;;
    --peers) want+=("${peer_pkgs[@]}") ;;
    *) echo "install-deps.sh: unknown option '$arg' (use --bench or --peers)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps.sh: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
