#!/usr/bin/env bash
# bench/wine-seat.sh: wall time of a no-op `envup.exe apply` of the
# study-hall Windows seat under Wine 10 (each run a cold process, as a
# user starts it), beside `envup.exe version` (what Wine itself costs)
# and the Linux envup's no-op apply of a Linux seat, on this machine.
# Needs root and the Wine 10 chroot: ENVUP_WINE10=DIR (see .ci/run).
# RUNS (default 20). Runs e2e/windows' TestStudyHallSeat, which prints
# the medians; nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/../e2e/windows"
: "${ENVUP_WINE10:?set ENVUP_WINE10 to the Wine 10 chroot (.ci/run makes it under /var/cache/envup-wine10)}"
ENVUP_NOOP_RUNS=${RUNS:-20} go test -tags wine10 -count=1 -run 'TestStudyHallSeat$' -v . 2>&1 | grep -E 'median|^(ok|FAIL)'
