#!/bin/sh
# Runs one UI test against the real window: a virtual X server, a private D-Bus session and the
# accessibility bus, with GTK talking AT-SPI.
set -eu
test_script="$1"
exec xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- sh -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  bus=$!
  sleep 1
  GTK_A11Y=atspi NO_AT_BRIDGE=0 /usr/bin/python3 "$0"
  status=$?
  kill $bus 2>/dev/null || true
  exit $status
' "$test_script"
