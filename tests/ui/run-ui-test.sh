#!/bin/sh
# run-ui-test.sh
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one UI test (a Python program printing TAP) in a private X server
# and D-Bus session with the accessibility bus up, and exits with its code.
#
#   TAKES_BIN=_build/takes tests/ui/run-ui-test.sh tests/ui/test-project-flow.py

set -u

if [ $# -lt 1 ]; then
  echo "usage: $0 TEST.py" >&2
  exit 2
fi

test_py=$1
ui_dir=$(cd "$(dirname "$0")" && pwd)
python=${TAKES_PYTHON:-/usr/bin/python3}
limit=${TAKES_UI_TEST_TIMEOUT:-150}

missing=""
for tool in Xvfb dbus-run-session gdbus timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -x /usr/libexec/at-spi-bus-launcher ] || missing="$missing at-spi-bus-launcher"
"$python" -c "import gi; gi.require_version('Atspi', '2.0')" 2>/dev/null \
  || missing="$missing python3-gi/gir1.2-atspi-2.0"
if [ -n "$missing" ]; then
  echo "Bail out! missing:$missing (apt-get install xvfb dbus-x11 at-spi2-core python3-gi gir1.2-atspi-2.0 imagemagick)"
  exit 1
fi

export PYTHONPATH="$ui_dir${PYTHONPATH:+:$PYTHONPATH}"
export TAKES_PYTHON="$python" TAKES_UI_TEST_TIMEOUT="$limit"
# Keep the source tree clean of bytecode.
export PYTHONDONTWRITEBYTECODE=1
# The session and the app must not reach a desktop the caller may have.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS

exec "$ui_dir/../with-xvfb.sh" \
  dbus-run-session -- sh -c '
    # The registry it starts prints to stdout; keep stdout for TAP.
    /usr/libexec/at-spi-bus-launcher --launch-immediately >&2 &
    launcher=$!
    if ! gdbus wait --session --timeout 15 org.a11y.Bus; then
      echo "Bail out! the accessibility bus did not start"
      kill "$launcher" 2>/dev/null
      exit 1
    fi
    timeout -k 5 "$TAKES_UI_TEST_TIMEOUT" "$TAKES_PYTHON" "$1"
    rc=$?
    if [ "$rc" -eq 124 ]; then
      echo "Bail out! the test ran longer than $TAKES_UI_TEST_TIMEOUT s"
    fi
    kill "$launcher" 2>/dev/null
    wait "$launcher" 2>/dev/null
    exit "$rc"
  ' run-ui-test "$test_py"
