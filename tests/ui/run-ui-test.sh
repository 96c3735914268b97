#!/bin/sh
# Runs one UI test against the real window: a virtual X server, a private D-Bus session and the
# accessibility bus, with GTK talking AT-SPI. Arguments after the script go to it.
#
# Xvfb picks its own free display (-displayfd) rather than xvfb-run -a guessing one, and the
# display is tried before the test starts: servers started and stopped side by side (two test
# runs at once) have been seen to leave a display number that does not answer.
set -eu
fifo=$(mktemp -u "${TMPDIR:-/tmp}/attest-xvfb-XXXXXX")
xvfb=""
cleanup() {
  if [ -n "$xvfb" ]; then
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
  fi
  rm -f "$fifo" "$fifo.log"
}
trap cleanup EXIT

for attempt in 1 2 3; do
  rm -f "$fifo"
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$fifo" 2>"$fifo.log" &
  xvfb=$!
  read -r display < "$fifo"
  export DISPLAY=":$display"
  tries=0
  until xdotool getdisplaygeometry >/dev/null 2>&1 || [ $tries -ge 20 ]; do
    tries=$((tries + 1))
    sleep 0.25
  done
  if xdotool getdisplaygeometry >/dev/null 2>&1; then
    break
  fi
  echo "run-ui-test: display $DISPLAY does not answer (attempt $attempt)" >&2
  cat "$fifo.log" >&2 || true
  cleanup
  xvfb=""
done

dbus-run-session -- sh -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  bus=$!
  sleep 1
  GTK_A11Y=atspi NO_AT_BRIDGE=0 /usr/bin/python3 "$@"
  status=$?
  kill $bus 2>/dev/null || true
  exit $status
' sh "$@"
