#!/usr/bin/env bash
# bench/snapshot.sh: how long a snapshot and a diff take on a machine with
# 10 interpreters and 20 venvs × 100 packages (a generated tree; Go
# benchmarks in internal/snapshot/bench_test.go), then the binary's wall
# time for `envup snapshot` and `envup diff` on this machine as it is.
# Targets: a snapshot ≤ 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./internal/snapshot/ -run '^$' -bench 'Take|Diff' -benchtime "${BENCHTIME:-30x}" -count "${COUNT:-3}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/envup" ./cmd/envup
"$work/envup" snapshot -o "$work/warm.json" 2>/dev/null # learns interpreter versions once
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "${RUNS:-30}" \
    "$work/envup snapshot -o $work/a.json" \
    "$work/envup diff $work/warm.json $work/a.json"
else
  for cmd in "snapshot -o $work/a.json" "diff $work/warm.json $work/a.json"; do
    start=$(date +%s%N)
    for _ in $(seq 10); do "$work/envup" $cmd >/dev/null 2>&1 || true; done
    echo "envup $cmd: $(( ($(date +%s%N) - start) / 10000000 )) ms/run (mean of 10)"
  done
fi
