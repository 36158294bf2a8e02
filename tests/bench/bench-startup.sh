#!/bin/sh
# bench-startup.sh
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Start-up time of `takes` against a bare libadwaita window, measured the
# same way in the same private X server: launch to the window mapped, to
# its first paint, and to its last paint before it stays still
# (bench-launch-timer watches the X server). Runs alternate between the
# two programs so that drift hits both alike.
#
#   bench-startup.sh [--build DIR] [--takes PATH] [--bare PATH]
#                    [--timer PATH] [--runs N] [--project FILE.takes]
#
# Goal (issue 2): takes ≤ 1.3 × the bare window. With --project, also
# times `takes FILE.takes` (say, the 500-shot project of bench-scale
# --keep) until its window is complete: the project loads after the first
# paint, so "settled" is the figure to compare with the welcome page.

set -eu

build=${TAKES_BUILD_DIR:-}
takes=""
bare=""
timer=""
runs=${TAKES_BENCH_RUNS:-10}
project=""
goal=1.3

while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --takes) takes=$2; shift 2 ;;
    --bare) bare=$2; shift 2 ;;
    --timer) timer=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --project) project=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -z "$build" ]; then
  build=$(cd "$(dirname "$0")/../.." && pwd)/_build
fi
[ -n "$takes" ] || takes=$build/takes
[ -n "$bare" ] || bare=$build/tests/bench/bench-bare-window
[ -n "$timer" ] || timer=$build/tests/bench/bench-launch-timer

for f in "$takes" "$bare" "$timer"; do
  if [ ! -x "$f" ]; then
    echo "missing $f (build first: ninja -C $build)" >&2
    exit 1
  fi
done

# Everything below runs once more inside a private X server and session bus.
if [ -z "${TAKES_BENCH_INNER:-}" ]; then
  for tool in Xvfb dbus-run-session; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "missing $tool (apt-get install xvfb dbus)" >&2
      exit 1
    fi
  done
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
  TAKES_BENCH_INNER=1 exec "$(dirname "$0")/../with-xvfb.sh" \
    dbus-run-session -- sh "$0" --build "$build" --takes "$takes" \
      --bare "$bare" --timer "$timer" --runs "$runs" ${project:+--project "$project"}
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/takes-bench-startup-XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

# Same conditions for both programs: renderer, no accessibility bus, a
# fresh home (so takes opens on its welcome page), settings in memory.
export GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none GSETTINGS_BACKEND=memory
export GTK_USE_PORTAL=0
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
export XDG_CACHE_HOME=$scratch/cache XDG_STATE_HOME=$scratch/state
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
if [ -z "${GSETTINGS_SCHEMA_DIR:-}" ] && [ -f "$build/data/gschemas.compiled" ]; then
  export GSETTINGS_SCHEMA_DIR=$build/data
fi

measure () {
  # $1 label, then the command; appends "mapped painted settled" to $scratch/$1
  label=$1
  shift
  "$timer" --timeout 30 -- "$@" >>"$scratch/$label" 2>>"$scratch/errors" || {
    echo "run of $1 failed:" >&2
    cat "$scratch/errors" >&2
    exit 1
  }
}

median () {
  # $1 file, $2 column
  cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One warm-up each: the first launch pays for cold disk caches.
measure warmup "$bare"
measure warmup "$takes"

i=1
while [ "$i" -le "$runs" ]; do
  if [ $((i % 2)) -eq 1 ]; then
    measure bare "$bare"
    measure takes "$takes"
  else
    measure takes "$takes"
    measure bare "$bare"
  fi
  if [ -n "$project" ]; then
    measure project "$takes" "$project"
  fi
  i=$((i + 1))
done

bare_map=$(median "$scratch/bare" 1)
bare_paint=$(median "$scratch/bare" 2)
bare_settled=$(median "$scratch/bare" 3)
takes_map=$(median "$scratch/takes" 1)
takes_paint=$(median "$scratch/takes" 2)
takes_settled=$(median "$scratch/takes" 3)

ratio () {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
verdict () {
  awk -v r="$1" -v g="$goal" 'BEGIN { print (r + 0 <= g) ? "met" : "MISSED" }'
}

map_ratio=$(ratio "$takes_map" "$bare_map")
paint_ratio=$(ratio "$takes_paint" "$bare_paint")
settled_ratio=$(ratio "$takes_settled" "$bare_settled")

echo "start-up, medians of $runs alternating runs (GSK_RENDERER=cairo, Xvfb)"
printf '%-22s %12s %12s %12s\n' "" "mapped" "first paint" "settled"
printf '%-22s %9s ms %9s ms %9s ms\n' "bare libadwaita window" "$bare_map" "$bare_paint" \
  "$bare_settled"
printf '%-22s %9s ms %9s ms %9s ms\n' "takes (welcome page)" "$takes_map" "$takes_paint" \
  "$takes_settled"
printf '%-22s %11sx %11sx %11sx   goal (first paint) <= %sx: %s\n' "ratio" "$map_ratio" \
  "$paint_ratio" "$settled_ratio" "$goal" "$(verdict "$paint_ratio")"
echo "RESULT startup bare_ms=$bare_paint takes_ms=$takes_paint ratio=$paint_ratio"

if [ -n "$project" ]; then
  project_map=$(median "$scratch/project" 1)
  project_paint=$(median "$scratch/project" 2)
  project_settled=$(median "$scratch/project" 3)
  printf '%-22s %9s ms %9s ms %9s ms   (%s)\n' "takes FILE" "$project_map" \
    "$project_paint" "$project_settled" "$(basename "$project")"
  open_ms=$(awk -v a="$project_settled" -v b="$takes_settled" 'BEGIN { printf "%.1f", a - b }')
  echo "opening it costs $open_ms ms over the welcome page, settled to settled (goal <= 500 ms)"
  echo "RESULT startup-project project_ms=$project_settled open_ms=$open_ms"
fi
