#!/bin/sh
# Runs one UI test against the real window: a virtual X server, a private D-Bus session and the
# accessibility bus, with GTK talking AT-SPI. Arguments after the script go to it.
#
# Xvfb picks its own free display (-displayfd) rather than xvfb-run -a guessing one: two X
# servers started at once (a test here, a screenshot run there) would otherwise race for it.
set -eu
fifo=$(mktemp -u "${TMPDIR:-/tmp}/attest-xvfb-XXXXXX")
mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$fifo" 2>/dev/null &
xvfb=$!
# wait for the server to be gone: a dying server removes its socket, and the next test's
# server may by then have taken the same display number
trap 'kill $xvfb 2>/dev/null || true; wait $xvfb 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r display < "$fifo"
export DISPLAY=":$display"
dbus-run-session -- sh -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  bus=$!
  sleep 1
  GTK_A11Y=atspi NO_AT_BRIDGE=0 /usr/bin/python3 "$@"
  status=$?
  kill $bus 2>/dev/null || true
  exit $status
' sh "$@"
