#!/usr/bin/env bash
# bench/python-archive.sh: installing a python from an archive in
# python-build-standalone's install_only layout (one top folder python/:
# bin, lib/python3.X, include), served by `envup serve` on loopback, with
# an empty download cache each time; envup before (OLD_REV, default main,
# built from `git archive`: download, verify, then extract) against envup
# now (extract while the bytes arrive, verify, rename into place), side by
# side, medians of RUNS (5). Also the bare commands: curl to a file,
# sha256sum, tar -xzf; and curl | tar -xz (no verification) as the floor.
#
# No real PBS archive can be fetched here (no GitHub): the archive is made
# from this machine's real CPython, Debian's python3.11 (its binary,
# /usr/lib/python3.11 with its __pycache__ but without dist-packages, links
# followed, libpython3.11.so.1.0 and /usr/include/python3.11), so
# it runs; the script prints its size beside the figures (PBS's 3.12
# install_only_stripped archives are about 30 MB, install_only about 45 MB).
# Nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
old_rev=${OLD_REV:-main}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/envup" ./cmd/envup
mkdir -p "$work/old-src"
git archive "$(git rev-parse "$old_rev")" | tar -x -C "$work/old-src"
(cd "$work/old-src" && go build -o "$work/envup-old" ./cmd/envup)

# The archive, in PBS's layout, from Debian's python3.11.
root="$work/pack/python"
mkdir -p "$root/bin" "$root/lib" "$root/include"
cp /usr/bin/python3.11 "$root/bin/python3.11"
ln -s python3.11 "$root/bin/python3"
tar -C /usr/lib -chf - --exclude=dist-packages python3.11 | tar -C "$root/lib" -xf -
cp /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 "$root/lib/"
cp -r /usr/include/python3.11 "$root/include/"
name=cpython-3.11.2-envup-pbs-layout.tar.gz
mkdir -p "$work/mirror"
tar -C "$work/pack" -czf "$work/mirror/$name" python
sum=$(sha256sum "$work/mirror/$name" | cut -d' ' -f1)
size=$(du -m "$work/mirror/$name" | cut -f1)
files=$(tar -tzf "$work/mirror/$name" | wc -l)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/envup" serve "$work/mirror" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/$name" 2>/dev/null && break; sleep 0.1; done

cat > "$work/py.yml" <<YML
envup: 1
interpreters:
  python:
    version: "3.11.2"
    sources: [archive]
    archive: {url: "https://builds.example.org/$name", sha256: $sum}
YML
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
export NO_COLOR=1
apply() { # binary, tag
  local h="$work/h-$2"; rm -rf "$h"; mkdir -p "$h"; local s; s=$(now)
  HOME="$h" ENVUP_HOME="$h/envup" "$1" apply --mirror "http://127.0.0.1:$port" --offline "$work/py.yml" >/dev/null
  ms "$s"
  "$h/envup/data/python/3.11.2/bin/python3.11" -c 'import ssl, lzma, venv' # it runs
}
by_hand() {
  rm -rf "$work/hand"; mkdir -p "$work/hand"; local s; s=$(now)
  curl -fsS -o "$work/hand/a.tgz" "http://127.0.0.1:$port/$name"
  echo "$sum  $work/hand/a.tgz" | sha256sum -c --quiet
  tar -C "$work/hand" -xzf "$work/hand/a.tgz"
  ms "$s"
}
piped() {
  rm -rf "$work/pipe"; mkdir -p "$work/pipe"; local s; s=$(now)
  curl -fsS "http://127.0.0.1:$port/$name" | tar -C "$work/pipe" -xzf -
  ms "$s"
}
for _ in $(seq "$runs"); do
  apply "$work/envup-old" old >> "$work/t-old"
  apply "$work/envup" new >> "$work/t-new"
  by_hand >> "$work/t-hand"
  piped >> "$work/t-pipe"
done

printf 'python archive install from a loopback mirror (%s MB, %s entries, PBS install_only layout from Debian python3.11), empty cache, medians of %s, %s cores, load %s\n' \
  "$size" "$files" "$runs" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-58s %6s ms\n' \
  "envup before ($old_rev $(git rev-parse --short "$old_rev")): download, verify, extract" "$(median < "$work/t-old")" \
  "envup now: extract while it arrives, verify, rename" "$(median < "$work/t-new")" \
  "by hand: curl to a file; sha256sum; tar -xzf" "$(median < "$work/t-hand")" \
  "floor: curl | tar -xz (nothing verified)" "$(median < "$work/t-pipe")"
