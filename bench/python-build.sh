#!/usr/bin/env bash
# bench/python-build.sh: wall time of envup building CPython 3.11.2 from
# source (apply with sources: [build] through a mirror folder, --offline)
# against the bare commands on the same tarball (tar x; ./configure
# --prefix; make -j<cores>; make altinstall), and of installing the result
# as an archive. Needs root-free build dependencies already installed
# (build-essential libssl-dev zlib1g-dev libbz2-dev libffi-dev
# libsqlite3-dev liblzma-dev ...) and a deb-src entry for apt-get source.
# Takes two CPython builds: about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=$(nproc)

mkdir -p "$work/mirror" "$work/src"
(cd "$work/src" && apt-get source --download-only -qq python3.11=3.11.2-6+deb12u8 >/dev/null 2>&1)
cp "$work/src/python3.11_3.11.2.orig.tar.gz" "$work/mirror/Python-3.11.2.tgz"
go build -o "$work/envup" ./cmd/envup

seconds() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

# The bare build.
start=$(seconds)
mkdir -p "$work/bare"
tar -xzf "$work/mirror/Python-3.11.2.tgz" -C "$work/bare"
(cd "$work/bare/Python-3.11.2" && ./configure --prefix="$work/bare-prefix" >/dev/null && make -j"$jobs" >/dev/null 2>&1 && make altinstall >/dev/null 2>&1)
bare=$(calc "$(seconds) - $start")

# envup's build.
cat > "$work/build.yml" <<YML
envup: 1
interpreters:
  python: {version: "3.11.2", sources: [build]}
YML
export HOME="$work/home" ENVUP_HOME="$work/envup-home"
start=$(seconds)
"$work/envup" apply --mirror "$work/mirror" --offline "$work/build.yml" >/dev/null
envup=$(calc "$(seconds) - $start")

# The archive install of what envup built.
tar -C "$ENVUP_HOME/data/python" --transform 's,^3.11.2,python,' --exclude .envup-install.json -czf "$work/mirror/cpython-3.11.2-repack.tar.gz" 3.11.2
sum=$(sha256sum "$work/mirror/cpython-3.11.2-repack.tar.gz" | cut -d' ' -f1)
cat > "$work/archive.yml" <<YML
envup: 1
interpreters:
  python:
    version: "3.11.2"
    sources: [archive]
    archive: {url: "https://example.org/cpython-3.11.2-repack.tar.gz", sha256: $sum}
YML
export ENVUP_HOME="$work/envup-home-2"
start=$(seconds)
"$work/envup" apply --mirror "$work/mirror" --offline "$work/archive.yml" >/dev/null
archive=$(calc "$(seconds) - $start")
start=$(seconds)
"$work/envup" apply --mirror "$work/mirror" --offline "$work/archive.yml" | grep -q "Nothing to change"
noop=$(calc "$(seconds) - $start")

printf 'bare configure && make -j%s && make altinstall: %.1f s\n' "$jobs" "$bare"
printf 'envup apply (build from source):                %.1f s  (%.3fx the bare build)\n' "$envup" "$(calc "$envup / $bare")"
printf 'envup apply (archive of that build):            %.2f s\n' "$archive"
printf 'envup apply again (nothing to change):          %.3f s\n' "$noop"
