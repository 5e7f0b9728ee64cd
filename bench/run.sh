#!/usr/bin/env bash
# bench/run.sh: wall time of `envup detect` and of a no-op `envup apply`
# for a recipe of 20 files + 1 package group + 3 checks, on this machine.
# Uses hyperfine when installed (apt-get install hyperfine), else a plain
# loop; prints medians. Nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/envup" ./cmd/envup
export HOME="$work/home" ENVUP_HOME="$work/envup-home" NO_COLOR=1
mkdir -p "$HOME"

# The package group names packages this machine already has, so a no-op
# apply only reads the package database.
recipe="$work/bench.yml"
{
  echo "envup: 1"
  echo "name: bench"
  echo "packages:"
  echo "  base:"
  echo "    apt: [coreutils, bash]"
  echo "    dnf: [coreutils, bash]"
  echo "    brew: [bash]"
  echo "files:"
  for i in $(seq -w 1 20); do
    echo "  ~/bench/file$i.txt: {content: \"file $i\\n\", mode: \"0644\"}"
  done
  echo "checks:"
  echo '  - {name: "true", run: ["true"]}'
  echo "  - {name: echo, run: [echo, ok], expect: ok}"
  echo "  - {name: sh, run: [sh, -c, 'exit 0']}"
} > "$recipe"
"$work/envup" apply "$recipe" >/dev/null
"$work/envup" apply "$recipe" | grep -q "Nothing to change" || { echo "bench: second apply changed something"; exit 1; }

if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/h.json" \
    "$work/envup detect" "$work/envup apply $recipe" >/dev/null
  python3 - "$work/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = "detect" if r["command"].endswith("detect") else "no-op apply (20 files, 1 package group, 3 checks)"
    print(f"{name}: median {r['median']*1000:.2f} ms, mean {r['mean']*1000:.2f} ms over {len(r['times'])} runs")
PY
else
  median() {
    local -a t=()
    for _ in $(seq "$runs"); do
      s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
      t+=($(( (e - s) / 1000 )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f ms\n", a[int((NR+1)/2)]/1000}'
  }
  echo "detect: median $(median "$work/envup" detect) over $runs runs (no hyperfine: plain loop)"
  echo "no-op apply (20 files, 1 package group, 3 checks): median $(median "$work/envup" apply "$recipe") over $runs runs"
fi
