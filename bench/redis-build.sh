#!/usr/bin/env bash
# bench/redis-build.sh: wall time of envup building Redis 7.0.15 (Debian's
# source tarball, served through a mirror folder, --offline) against a
# bare `make -j<cores>` of the same tarball; then the time from `apply`
# to PONG when it is already built (after `envup services stop`).
# Needs a deb-src entry for apt-get source, make and a C compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cleanup() { "$work/envup" services stop "$work/redis.yml" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
jobs=$(nproc)
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }

mkdir -p "$work/mirror" "$work/src"
(cd "$work/src" && apt-get source --download-only -qq redis >/dev/null 2>&1)
cp "$work/src"/redis_7.0.15.orig.tar.gz "$work/mirror/redis-7.0.15.tar.gz"
sum=$(sha256sum "$work/mirror/redis-7.0.15.tar.gz" | cut -d' ' -f1)
go build -o "$work/envup" ./cmd/envup
tls=
[ -e /usr/include/openssl/ssl.h ] && tls="BUILD_TLS=yes"

s=$(now)
mkdir -p "$work/bare" && tar -xzf "$work/mirror/redis-7.0.15.tar.gz" -C "$work/bare"
make -C "$work/bare/redis-7.0.15" -j"$jobs" $tls >/dev/null 2>&1
bare=$(ms "$s")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/redis.yml" <<YML
envup: 1
services:
  redis:
    version: "7.0.15"
    sources: [build]
    source: {url: "https://download.redis.io/releases/redis-7.0.15.tar.gz", sha256: $sum}
    port: $port
    start: true
YML
export HOME="$work/home" ENVUP_HOME="$work/envup-home"
s=$(now); "$work/envup" apply --mirror "$work/mirror" --offline "$work/redis.yml" >/dev/null; envup=$(ms "$s")
"$work/envup" services stop "$work/redis.yml" >/dev/null
s=$(now); "$work/envup" apply --mirror "$work/mirror" --offline "$work/redis.yml" >/dev/null; pong=$(ms "$s")

echo "bare make -j$jobs $tls:                $bare ms"
echo "envup apply (build, install, start, PONG): $envup ms ($(awk "BEGIN { printf \"%.3f\", $envup / $bare }")x the bare make)"
echo "envup apply to PONG, already built:        $pong ms"
