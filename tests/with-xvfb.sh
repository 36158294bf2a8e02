#!/bin/sh
# with-xvfb.sh
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command against a private X server and exits with its code:
#
#   tests/with-xvfb.sh COMMAND [ARGS...]
#
# The server picks its own free display number (-displayfd) and says so
# once it accepts connections. Tests start several of these at once;
# `xvfb-run -a` guesses a free number from lock files, and two guessing
# together share one server, or find it gone ("cannot open display").
# -noreset: by default the server resets when its last client leaves, and
# a program connecting during the reset is refused.

set -u

if ! command -v Xvfb >/dev/null 2>&1; then
  echo "Bail out! Xvfb is missing (apt-get install xvfb)"
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/takes-xvfb-XXXXXX") || exit 1
Xvfb -displayfd 3 -screen 0 "${TAKES_XVFB_SCREEN:-1600x1000x24}" -nolisten tcp -noreset \
  3>"$dir/display" 2>"$dir/log" &
server=$!

tries=0
while [ ! -s "$dir/display" ]; do
  if ! kill -0 "$server" 2>/dev/null || [ "$tries" -ge 200 ]; then
    echo "Bail out! the X server did not start: $(tail -n 3 "$dir/log" | tr '\n' ' ')"
    kill "$server" 2>/dev/null
    rm -rf "$dir"
    exit 1
  fi
  sleep 0.05
  tries=$((tries + 1))
done

DISPLAY=:$(head -n 1 "$dir/display")
export DISPLAY
unset WAYLAND_DISPLAY

"$@"
rc=$?

kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
rm -rf "$dir"
exit $rc
