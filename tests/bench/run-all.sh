#!/bin/sh
# run-all.sh
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the benchmarks and runs them all, then prints one table of the
# figures against the goals of the issues (for the README).
#
#   tests/bench/run-all.sh [BUILD_DIR]      (default: _build)

set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/_build}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src" >/dev/null
fi
ninja -C "$build" takes tests/bench/bench-bare-window tests/bench/bench-scale \
  tests/bench/bench-launch-timer >/dev/null

log=$(mktemp "${TMPDIR:-/tmp}/takes-bench-XXXXXX")
trap 'rm -f "$log"' EXIT INT TERM

keep=$(mktemp -d "${TMPDIR:-/tmp}/takes-bench-project-XXXXXX")
trap 'rm -f "$log"; rm -rf "$keep"' EXIT INT TERM

echo "== scale: 500 shots x 4 takes"
"$build/tests/bench/bench-scale" --keep "$keep" | tee -a "$log"
echo
echo "== start-up: takes against a bare libadwaita window"
"$src/tests/bench/bench-startup.sh" --build "$build" --project "$keep/Scale.takes" \
  2>/dev/null | tee -a "$log"
echo

value () {
  # $1 bench, $2 key
  sed -n "s/^RESULT $1 .*\\b$2=\\([^ ]*\\).*/\\1/p" "$log" | tail -n 1
}

verdict () {
  awk -v v="$1" -v g="$2" 'BEGIN { if (v == "") print "n/a"; else print (v + 0 <= g + 0) ? "met" : "MISSED" }'
}

startup_ratio=$(value startup ratio)
startup_takes=$(value startup takes_ms)
startup_bare=$(value startup bare_ms)
open_ms=$(value startup-project open_ms)
project_ms=$(value startup-project project_ms)
save_ms=$(value scale save_ms)
load_ms=$(value scale load_ms)
parse_ms=$(value scale parse_ms)

echo "== summary ($(uname -m), $(nproc) CPUs, $(date -u +%Y-%m-%d))"
printf '| %-46s | %-26s | %-10s | %-6s |\n' "measure" "result" "goal" "status"
printf '|%s|%s|%s|%s|\n' "------------------------------------------------" \
  "----------------------------" "------------" "--------"
printf '| %-46s | %-26s | %-10s | %-6s |\n' \
  "start-up to first paint (takes / bare window)" \
  "${startup_takes} / ${startup_bare} ms = ${startup_ratio}x" "<= 1.3x" \
  "$(verdict "$startup_ratio" 1.3)"
printf '| %-46s | %-26s | %-10s | %-6s |\n' \
  "open 500 shots x 4 takes (load, validated)" "${load_ms} ms" "<= 500 ms" "$(verdict "$load_ms" 500)"
printf '| %-46s | %-26s | %-10s | %-6s |\n' \
  "same, in the window (over the welcome page)" "${open_ms} ms (${project_ms} ms)" "<= 500 ms" \
  "$(verdict "$open_ms" 500)"
printf '| %-46s | %-26s | %-10s | %-6s |\n' \
  "save 500 shots x 4 takes (atomic)" "${save_ms} ms" "<= 100 ms" "$(verdict "$save_ms" 100)"
printf '| %-46s | %-26s | %-10s | %-6s |\n' \
  "parse the same JSON alone (baseline)" "${parse_ms} ms" "-" "-"
