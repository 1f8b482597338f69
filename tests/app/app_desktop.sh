#!/usr/bin/env bash
# The app's desktop manners under Xvfb with a real notification service and a real tray, all
# started here on a private D-Bus session bus (SIP 5880-5889, RTP 13200-13249, displays :70-:79):
#  - dunst (org.freedesktop.Notifications) shows a notification for a ringing call; its context
#    menu (dunstctl context, with a dmenu stand-in that picks a line) invokes our actions:
#    "Answer" connects the call, "Decline" refuses the next one (the caller sees 603); the
#    notification goes away when the call stops ringing;
#  - an incoming MESSAGE raises a notification whose default action (dunstctl action) opens the
#    conversation;
#  - trayer (an XEmbed system tray) holds our tray icon; a click on it reaches the app, and its
#    menu's Quit ends the app cleanly (exit 0);
#  - the window follows the desktop's palette: light by default, dark when the desktop theme is
#    dark (Qt's GTK platform theme with GTK_THEME=Adwaita:dark), measured on screenshots.
# usage: app_desktop.sh VPHONE VPHONE_CLI
set -uo pipefail
VPHONE=$(realpath "$1")
CLI=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"
export XDG_DATA_HOME=$WORK XDG_CONFIG_HOME=$WORK XDG_RUNTIME_DIR=$WORK
for tool in Xvfb dbus-daemon dunst dunstctl trayer xdotool xwininfo python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (scripts/install-deps.sh --peers)"; exit 1; }
done

start_xvfb 70 79 || exit 1

# A private session bus, stopped by PID like the rest.
start dbus dbus-daemon --session --nofork --nopidfile --address="unix:path=$WORK/bus"
for _ in $(seq 50); do [ -S "$WORK/bus" ] && break; sleep 0.1; done
export DBUS_SESSION_BUS_ADDRESS="unix:path=$WORK/bus"

# dunst's context menu runs "dmenu" with one line per action ("#Answer (summary) [id,key]");
# this stand-in picks the line whose key is in $WORK/pick and records what it was offered.
cat >"$WORK/dmenu.sh" <<EOF
#!/bin/sh
tee -a "$WORK/dmenu.in" | grep -m1 -F "\$(cat "$WORK/pick")"
EOF
chmod +x "$WORK/dmenu.sh"
printf '[global]\n    dmenu = %s\n' "$WORK/dmenu.sh" >"$WORK/dunstrc"
start dunst dunst -config "$WORK/dunstrc"
start trayer trayer --edge top --align right --widthtype pixel --width 120 --height 24
sleep 1

PROFILE=$WORK/profile
mkdir -p "$PROFILE"
printf '[ui]\ncloseToTray=true\n' >"$PROFILE/vphone.ini"
LOG=$WORK/app.jsonl
start app "$VPHONE" --profile "$PROFILE" --listen udp:127.0.0.1:5880 --rtp-ports 13200-13219 \
  --audio-source tone:440 --audio-sink null --video-source off --log "$LOG"

check "the app starts" wait_for "$LOG" '"event":"started"' 20
check "it finds the notification service (dunst on the session bus)" \
  grep -q '"available":true,"event":"notifications"' "$LOG"
check "it has a tray icon" grep -q '"available":true,"event":"tray"' "$LOG"
tray_window() { xwininfo -root -tree | awk '/"panel": \("panel" "trayer"\)/{p=1; next} p && /"vphone"/{print $1; exit}'; }
check "the icon is embedded in trayer's panel" test -n "$(tray_window)"

echo "== a call rings: notification, answered from it"
echo ",answer]" >"$WORK/pick" # "[ID,KEY]": the id is dunst's, so match on the key
start caller1 "$CLI" --listen udp:127.0.0.1:5882 --call sip:me@127.0.0.1:5880 --events --rtp-ports 13220-13239 \
  --audio-source tone:880 --audio-sink null --duration 6
check "a notification is shown for the ringing call" wait_for "$LOG" '"event":"notification",.*"tag":"call:1"' 10
check "  dunst displays it" test "$(dunstctl count displayed)" -ge 1
dunstctl context
check "its Answer action reaches the app" wait_for "$LOG" '"action":"answer","event":"notification_action"' 10
check "  and the call connects" wait_for "$LOG" '"id":1,.*"state":"Active"' 10
check "  the menu offered Answer, Answer with video, Decline and Show" \
  bash -c "grep -q '^#Answer (' '$WORK/dmenu.in' && grep -q '^#Answer with video' '$WORK/dmenu.in' && grep -q '^#Decline' '$WORK/dmenu.in' && grep -q '^#Show' '$WORK/dmenu.in'"
check "  and the notification is withdrawn once answered" \
  bash -c 'for _ in $(seq 30); do [ "$(dunstctl count displayed)" -eq 0 ] && exit 0; sleep 0.1; done; exit 1'
check "the caller's call ends normally" wait_for "$LOG" '"id":1,.*"state":"Ended"' 15

echo "== a second call, declined from the notification"
echo ",decline]" >"$WORK/pick"
start caller2 "$CLI" --listen udp:127.0.0.1:5884 --call sip:me@127.0.0.1:5880 --events --rtp-ports 13240-13249 \
  --audio-source tone:880 --audio-sink null --duration 6
check "a notification is shown for it" wait_for "$LOG" '"event":"notification",.*"tag":"call:2"' 10
dunstctl context
check "its Decline action reaches the app" wait_for "$LOG" '"action":"decline","event":"notification_action"' 10
check "  and the caller is refused with 603" wait_for "$WORK/caller2.log" '"code":603' 10

echo "== a message: notification, opened from it"
"$CLI" --listen udp:127.0.0.1:5886 --message sip:me@127.0.0.1:5880 "lunch at noon?" --duration 2 \
  >"$WORK/message.log" 2>&1
check "the message is stored" wait_for "$LOG" '"event":"message",.*"text":"lunch at noon?"' 10
check "a notification is shown for it" wait_for "$LOG" '"event":"notification",.*"tag":"message:sip:' 10
dunstctl action 0
check "its default action reaches the app" wait_for "$LOG" '"action":"default","event":"notification_action","t":"[^"]*","tag":"message:' 10

echo "== the tray icon"
ICON=$(tray_window)
if [ -n "$ICON" ]; then
  xdotool mousemove --window "$ICON" 10 10 click 1
  check "a click on the tray icon reaches the app" wait_for "$LOG" '"event":"tray_activated"' 10
  xdotool mousemove --window "$ICON" 10 10 click 3
  sleep 1
  xdotool key Up Return # the last entry of the menu: Quit
  for _ in $(seq 100); do kill -0 "$PID_app" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$PID_app" 2>/dev/null; then
    check "Quit in the tray menu ends the app" false
  else
    wait "$PID_app"
    check "Quit in the tray menu ends the app with status 0" test $? -eq 0
  fi
else
  check "the tray icon can be clicked" false
fi

echo "== the system palette: light by default, dark under a dark desktop theme (GTK Adwaita:dark)"
for theme in light dark; do
  mkdir -p "$WORK/$theme"
  if [ $theme = dark ]; then
    QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark "$VPHONE" --profile "$WORK/$theme" --listen udp:127.0.0.1:5888 \
      --video-source off --audio-source silence --audio-sink null --log "$WORK/$theme.jsonl" \
      --screenshot-after 2 --screenshot "$WORK/$theme.png" >"$WORK/$theme.out" 2>&1 &
  else
    "$VPHONE" --profile "$WORK/$theme" --listen udp:127.0.0.1:5888 --video-source off --audio-source silence \
      --audio-sink null --log "$WORK/$theme.jsonl" --screenshot-after 2 --screenshot "$WORK/$theme.png" \
      >"$WORK/$theme.out" 2>&1 &
  fi
  PIDS+=($!)
  wait_for "$WORK/$theme.jsonl" '"event":"screenshot"' 20
  kill "${PIDS[-1]}" 2>/dev/null
  wait "${PIDS[-1]}" 2>/dev/null
done
luma() { python3 -c 'import json,sys; print(next(e["luma"] for e in map(json.loads, open(sys.argv[1])) if e.get("event") == "screenshot"))' "$WORK/$1.jsonl" 2>/dev/null || echo -1; }
LIGHT=$(luma light)
DARK=$(luma dark)
echo "  mean luma: light $LIGHT, dark $DARK"
check "the window is light by default (mean luma > 0.6)" python3 -c "import sys; sys.exit(0 if $LIGHT > 0.6 else 1)"
check "and dark under a dark desktop theme (mean luma < 0.35)" python3 -c "import sys; sys.exit(0 if 0 <= $DARK < 0.35 else 1)"
finish
