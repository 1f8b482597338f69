#!/usr/bin/env bash
# The Debian package (packaging/CMakeLists.txt) from an already built tree, installed and launched:
#  1. `cpack -G DEB` over the build directory (no rebuild: cpack only runs the install rules; gzip
#     instead of xz to keep CI fast) makes vphone_<VERSION>_<arch>.deb;
#  2. its control file: name, version, section net, maintainer, and Depends with the Qt, codec,
#     SRTP and OpenSSL libraries (dpkg-shlibdeps) and the QML modules / SQLite plugin (by hand);
#     postinst/postrm refresh the desktop database and the icon cache;
#  3. its files: usr/bin/vphone, usr/bin/vphone-cli, the .desktop file, the icon, and nothing else
#     (no test or benchmark binaries);
#  4. installed into a scratch root with `dpkg -x` (not `dpkg --root`: a root of its own would need a
#     dpkg database and every dependency installed in it; the libraries come from this machine,
#     which has them all as the build dependencies): the .desktop file passes desktop-file-validate,
#     update-desktop-database over it registers vphone.desktop for x-scheme-handler/sip, sips, tel
#     and callto; the installed binaries find all their libraries (ldd) and carry no RUNPATH into
#     the build tree;
#  5. the installed vphone-cli answers --version and --help; the installed vphone starts under Xvfb
#     (display :60-:62) with a temporary --profile (SIP 127.0.0.1:5850, RTP 13000-13009) and
#     shows its window: a screenshot of it is not blank.
# Under ASan (VPHONE_SANITIZE) the test is skipped (exit 77): nobody ships a sanitizer build, and
# the package's dependencies would then include the sanitizer runtimes.
# usage: deb_install.sh BUILD_DIR VERSION [sanitize]
set -uo pipefail
BUILD=$(realpath "$1")
VERSION=$2
if [ "${3:-}" = "sanitize" ]; then
  echo "SKIP: a sanitizer build (preset asan) is not packaged; the dev and release presets test the .deb"
  exit 77
fi
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
export XDG_DATA_HOME=$WORK XDG_CONFIG_HOME=$WORK XDG_RUNTIME_DIR=$WORK

for tool in cpack dpkg-deb dpkg-shlibdeps desktop-file-validate update-desktop-database Xvfb; do
  command -v "$tool" >/dev/null || {
    echo "FAIL: $tool is not installed (scripts/install-deps.sh installs desktop-file-utils, dpkg-dev, xvfb)"
    exit 1
  }
done

# 1. The package.
t0=$(date +%s%N)
(cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" \
  -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$WORK/cpack.log" 2>&1)
rc=$?
echo "       cpack: exit $rc after $((($(date +%s%N) - t0) / 1000000)) ms"
DEB=$(ls "$WORK"/pkg/vphone_"$VERSION"_*.deb 2>/dev/null | head -1)
check "cpack -G DEB makes vphone_${VERSION}_<arch>.deb" test "$rc" -eq 0 -a -n "$DEB"
if [ -z "$DEB" ]; then
  cat "$WORK/cpack.log"
  finish
  exit 1
fi
echo "       $(basename "$DEB"): $(stat -c %s "$DEB") bytes"

# 2. The control file.
field() { dpkg-deb -f "$DEB" "$1"; }
check "Package: vphone" test "$(field Package)" = vphone
check "Version: $VERSION" test "$(field Version)" = "$VERSION"
check "Section: net" test "$(field Section)" = net
check "a Maintainer and a Description" test -n "$(field Maintainer)" -a -n "$(field Description)"
DEPENDS=$(field Depends)
echo "       Depends: $DEPENDS"
depends_on() { # the Depends field names the package (alone or in an alternative)
  tr ',|' '\n\n' <<<"$DEPENDS" | sed 's/^ *//; s/ .*//' | grep -qx -- "$1"
}
for p in libqt6core6 libqt6gui6 libqt6qml6 libqt6quick6 libqt6network6 libqt6sql6 libqt6multimedia6 \
  libavcodec59 libavutil57 libswscale6 libswresample4 libavformat59 libavdevice59 libopus0 libspeexdsp1 libsrtp2-1 libssl3 \
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts \
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript \
  qml6-module-qtmultimedia libqt6sql6-sqlite; do
  check "  Depends names $p" depends_on "$p"
done
dpkg-deb -e "$DEB" "$WORK/control"
check "postinst runs update-desktop-database and gtk-update-icon-cache" \
  grep -q 'update-desktop-database.*gtk-update-icon-cache' <(tr '\n' ' ' <"$WORK/control/postinst")
check "postrm does the same on remove" grep -q 'update-desktop-database' "$WORK/control/postrm"
check "  both executable" test -x "$WORK/control/postinst" -a -x "$WORK/control/postrm"

# 3. The files.
dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./||' | grep -v '/$' | sort >"$WORK/files"
sed 's/^/       /' "$WORK/files"
expected="usr/bin/vphone
usr/bin/vphone-cli
usr/share/applications/vphone.desktop
usr/share/icons/hicolor/scalable/apps/vphone.svg"
check "exactly vphone, vphone-cli, the .desktop file and the icon (no test or bench binaries)" \
  test "$(cat "$WORK/files")" = "$expected"

# 4. Installed into a scratch root.
ROOT=$WORK/root
dpkg-deb -x "$DEB" "$ROOT"
DESKTOP=$ROOT/usr/share/applications/vphone.desktop
desktop-file-validate "$DESKTOP" >"$WORK/validate.log" 2>&1
rc=$?
sed 's/^/       /' "$WORK/validate.log"
check "desktop-file-validate accepts the installed vphone.desktop (no error, no warning, no hint)" \
  test "$rc" -eq 0 -a ! -s "$WORK/validate.log"
check "  MimeType: x-scheme-handler/sip, sips, tel, callto" grep -qx \
  'MimeType=x-scheme-handler/sip;x-scheme-handler/sips;x-scheme-handler/tel;x-scheme-handler/callto;' "$DESKTOP"
update-desktop-database "$ROOT/usr/share/applications" 2>"$WORK/udd.log"
for scheme in sip sips tel callto; do
  check "  update-desktop-database registers vphone.desktop for $scheme:" \
    grep -qx "x-scheme-handler/$scheme=vphone.desktop;" "$ROOT/usr/share/applications/mimeinfo.cache"
done
check "the icon is an SVG" grep -q '<svg' "$ROOT/usr/share/icons/hicolor/scalable/apps/vphone.svg"
for b in vphone vphone-cli; do
  check "$b finds all its libraries (ldd)" bash -c "ldd '$ROOT/usr/bin/$b' >'$WORK/ldd-$b.txt' && ! grep -q 'not found' '$WORK/ldd-$b.txt'"
  check "  carries no RUNPATH/RPATH" bash -c "! readelf -d '$ROOT/usr/bin/$b' | grep -qE 'RUNPATH|RPATH'"
done

# 5. Run what was installed.
out=$("$ROOT/usr/bin/vphone-cli" --version 2>&1)
check "the installed vphone-cli --version prints $VERSION" grep -q -- "$VERSION" <<<"$out"
"$ROOT/usr/bin/vphone-cli" --help >"$WORK/cli-help.txt" 2>&1
check "  --help exits 0 and describes --call" bash -c "[ $? -eq 0 ] && grep -q -- '--call' '$WORK/cli-help.txt'"
out=$(QT_QPA_PLATFORM=offscreen "$ROOT/usr/bin/vphone" --version 2>&1)
check "the installed vphone --version prints $VERSION" grep -q -- "$VERSION" <<<"$out"

check "Xvfb started on a free display in :60-:62" start_xvfb 60 62
LOG=$WORK/app.jsonl
SHOT=$WORK/installed.png
mkdir -p "$WORK/profile"
start app "$ROOT/usr/bin/vphone" --profile "$WORK/profile" --listen udp:127.0.0.1:5850 --rtp-ports 13000-13009 \
  --audio-source silence --audio-sink null --video-source off --log "$LOG" --screenshot-after 3 --screenshot "$SHOT"
check "the installed vphone starts (its --log says started)" wait_for "$LOG" '"event":"started"' 20
check "  and pictures its window" wait_for "$LOG" '"event":"screenshot"' 20
check "  the picture is saved, at least 400 px wide, >= 5 % non-background" python3 -c '
import json, sys
L = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
s = [e for e in L if e.get("event") == "screenshot" and e["saved"] and e["width"] >= 400 and e["non_background"] >= 0.05]
if s: print("       screenshot: %dx%d, %.0f %% non-background" % (s[0]["width"], s[0]["height"], 100 * s[0]["non_background"]))
sys.exit(0 if s else 1)' "$LOG"
check "  the process is still running (no QML module missing)" kill -0 "$PID_app"
check "  and wrote nothing about a missing module" bash -c "! grep -qi 'is not installed\|module .* not found' '$WORK/app.log'"
finish
