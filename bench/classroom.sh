#!/usr/bin/env bash
# bench/classroom.sh: bytes downloaded from the origin when 1 seat, then 5
# seats, set up a lab through a teacher's `envup serve` (target: equal —
# the teacher fetches each file once), and the wall time of each seat's
# apply. The origin is an `envup serve` on loopback holding a stand-in
# python (python-build-standalone layout) and DejaVu Sans Mono; its
# request log is summed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
trap 'kill -INT "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/envup" ./cmd/envup
envup=$work/envup

mkdir -p "$work/src/python/bin" "$work/origin" "$work/lab"
cat > "$work/src/python/bin/python3.12" <<'PY'
#!/bin/sh
case "$*" in
*version_info*) echo 3.12.99 ;;
*) echo 'missing:' ;;
esac
PY
chmod 755 "$work/src/python/bin/python3.12"
head -c 20000000 /dev/urandom > "$work/src/python/ballast" # a 20 MB archive, like a real one
tar -czf "$work/origin/cpython-3.12.99-standin.tar.gz" -C "$work/src" python
cp recipes/fonts/DejaVuSansMono.ttf "$work/origin/"
py_sum=$(sha256sum "$work/origin/cpython-3.12.99-standin.tar.gz" | cut -d' ' -f1)
font_sum=$(sha256sum "$work/origin/DejaVuSansMono.ttf" | cut -d' ' -f1)

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 300); do curl -sf -o /dev/null "$1" && return; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

oport=$(port)
"$envup" serve "$work/origin" --addr "127.0.0.1:$oport" > /dev/null 2> "$work/origin.log" & pids+=($!)
wait_http "http://127.0.0.1:$oport/DejaVuSansMono.ttf"
cp "$work/origin.log" "$work/origin.log.start" # the readiness probe is not counted

cat > "$work/lab/lab.yml" <<YML
envup: 1
interpreters:
  python:
    version: "3.12.99"
    sources: [archive]
    archive: {url: "http://127.0.0.1:$oport/cpython-3.12.99-standin.tar.gz", sha256: $py_sum}
fonts:
  DejaVu Sans Mono: {url: "http://127.0.0.1:$oport/DejaVuSansMono.ttf", sha256: $font_sum}
YML

origin_bytes() { # bytes the origin sent since the last mark
  tail -n +"$(( $(wc -l < "$work/origin.log.start") + 1 ))" "$work/origin.log" | awk '{s += $5} END {print s+0}'
  cp "$work/origin.log" "$work/origin.log.start"
}

run_lab() { # seats
  local seats=$1 tdir="$work/teacher-$1"
  HOME="$tdir" ENVUP_HOME="$tdir/.envup" "$envup" lock "$work/lab/lab.yml" > /dev/null
  HOME="$tdir" ENVUP_HOME="$tdir/.envup" "$envup" fetch "$work/lab/lab.yml" --to "$tdir/mirror" > /dev/null 2>&1
  local mport; mport=$(port)
  "$envup" serve "$tdir/mirror" --addr "127.0.0.1:$mport" > /dev/null 2> "$tdir.serve.log" & local spid=$!
  wait_http "http://127.0.0.1:$mport/index.json"
  local start end
  start=$(date +%s%N)
  local seat_pids=()
  for s in $(seq "$seats"); do
    HOME="$tdir/seat$s" ENVUP_HOME="$tdir/seat$s/.envup" XDG_CONFIG_HOME="$tdir/seat$s/.config" \
      "$envup" apply --mirror "http://127.0.0.1:$mport" --offline --locked "$work/lab/lab.yml" > "$tdir/seat$s.log" 2>&1 &
    seat_pids+=($!)
  done
  wait "${seat_pids[@]}" || true
  end=$(date +%s%N)
  kill -INT "$spid"; wait "$spid" || true
  local ok; ok=$(grep -l 'Apply complete' "$tdir"/seat*.log | wc -l)
  local served; served=$(awk '$4 == 200 {s += $5} END {print s+0}' "$tdir.serve.log")
  printf '%d seat(s): origin sent %d bytes; teacher served %d bytes; %d/%d seats applied; all seats done in %d ms\n' \
    "$seats" "$(origin_bytes)" "$served" "$ok" "$seats" $(( (end - start) / 1000000 ))
}

run_lab 1
run_lab 5
