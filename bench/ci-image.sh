#!/usr/bin/env bash
# bench/ci-image.sh: build examples/Dockerfile with podman on a machine that
# reaches neither Docker Hub, python.org nor PyPI (only Debian's mirrors and
# the Go module proxy), and report the time and the image's size.
#
# - The base images come from debootstrap: bookworm (minbase) imported as
#   the Debian image, and the same with ca-certificates and this machine's
#   Go (/usr/local/go) as the Go image; examples/Dockerfile takes them as
#   --build-arg BASE_IMAGE= and GO_IMAGE= (its defaults stay Docker Hub's).
# - The recipe is ci-python.yml as this machine can serve it
#   (ci-python-local.yml, written below): Python 3.11.2 built from its
#   source (Debian's orig tarball, byte-identical to python.org's
#   Python-3.11.2.tgz; the catalog pins its sha256) instead of a 3.12
#   archive from GitHub, and a virtualenv with pip and wheel only, offline,
#   from Debian's wheels (python3-pip-whl, python3-wheel-whl) instead of
#   pip, wheel, build, pytest and coverage from PyPI.
# - Both come from a loopback `envup serve` mirror: --build-arg ENVUP_MIRROR.
#
# Needs root, podman, runc, debootstrap, a deb-src entry, Go. Slow: the
# image build compiles CPython (about 15 minutes on 2 busy cores). Not run
# by .ci/run. The podman flags (runc, cgroupfs, ulimits at the hard limits)
# are for a host whose cgroups are hybrid and that lacks CAP_SYS_RESOURCE.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=/var/cache/envup-ci-image/bookworm-minbase+go-$(/usr/local/go/bin/go env GOVERSION)
base=localhost/envup-local/debian:12-minbase
goimg=localhost/envup-local/golang:$(/usr/local/go/bin/go env GOVERSION)-bookworm
podman=(podman --runtime runc --cgroup-manager cgroupfs)
limits=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit "nproc=4096:4096")

# The base images, cached outside the clone.
mkdir -p "$cache"
if [ ! -d "$cache/rootfs/usr" ]; then
  debootstrap --variant=minbase bookworm "$cache/rootfs.new" http://deb.debian.org/debian >"$cache/debootstrap.log"
  mv "$cache/rootfs.new" "$cache/rootfs"
fi
if ! "${podman[@]}" image exists "$base"; then
  tar -C "$cache/rootfs" -c . | "${podman[@]}" import -q - "$base" >/dev/null
fi
if ! "${podman[@]}" image exists "$goimg"; then
  rm -rf "$cache/go-rootfs"
  cp -a "$cache/rootfs" "$cache/go-rootfs"
  chroot "$cache/go-rootfs" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates git >/dev/null && rm -rf /var/lib/apt/lists/*'
  # this machine's own CAs (an egress proxy's), for the Go module proxy
  if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$cache/go-rootfs/usr/local/share/ca-certificates/"
    chroot "$cache/go-rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  tar -c -C "$cache/go-rootfs" . -C / usr/local/go | "${podman[@]}" import -q \
    --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV GOPATH=/go' --change 'ENV GOTOOLCHAIN=local' - "$goimg" >/dev/null
  rm -rf "$cache/go-rootfs"
fi

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The mirror: the CPython source and the wheels, with an index so that
# envup serve lists the wheels for pip.
mkdir -p "$work/mirror" "$work/src"
(cd "$work/src" && apt-get source --download-only -qq python3.11=3.11.2-6+deb12u8 >/dev/null 2>&1)
cp "$work/src/python3.11_3.11.2.orig.tar.gz" "$work/mirror/Python-3.11.2.tgz"
cp /usr/share/python-wheels/pip-*.whl /usr/share/python-wheels/wheel-*.whl "$work/mirror/"
python3 - "$work/mirror" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
files = []
for name in sorted(os.listdir(d)):
    data = open(os.path.join(d, name), "rb").read()
    wheel = name.endswith(".whl")
    files.append({
        "name": name,
        "url": ("https://files.pythonhosted.org/" if wheel else "https://www.python.org/ftp/python/3.11.2/") + name,
        "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
        "platforms": ["linux/debian/12/amd64"],
        "kinds": ["virtualenv" if wheel else "interpreter"],
    })
json.dump({"envup_mirror": 1, "files": files}, open(os.path.join(d, "index.json"), "w"), indent=2)
PY
go build -o "$work/envup" ./cmd/envup
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/envup" serve --addr "127.0.0.1:$port" "$work/mirror" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/index.json" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/" >/dev/null

# The build context: what the Dockerfile copies, and the variant recipe.
mkdir -p "$work/context"
cp -r go.mod go.sum cmd internal recipes "$work/context/"
cat >"$work/context/recipes/ci-python-local.yml" <<'YML'
# recipes/ci-python.yml as bench/ci-image.sh can serve it: Python 3.11.2 from
# its source, a virtualenv with pip and wheel from local wheels, offline.
envup: 1
name: ci-python-local
description: Build tools, Python 3.11.2 (from source) and a virtualenv, without python.org or PyPI.

vars:
  venv: ~/.venvs/ci
  venv_python: ${venv}/bin/python

include: [common/build-tools.yml]

interpreters:
  python:
    version: "3.11.2"
    sources: [build]
    default: true

virtualenvs:
  ci:
    path: ${venv}
    packages: [pip, wheel]
    offline: true

checks:
  - name: python is 3.11.2
    run: ["${venv_python}", -c, "import sys; print('%d.%d.%d' % sys.version_info[:3])"]
    expect_re: '^3\.11\.2$'
  - name: pip runs
    run: ["${venv_python}", -m, pip, --version]
    timeout: 30s
YML
"$work/envup" render "$work/context/recipes/ci-python-local.yml" >/dev/null

start=$(date +%s)
"${podman[@]}" build "${limits[@]}" --network host --pull=never \
  -f examples/Dockerfile -t localhost/envup-local/ci-python:3.11 \
  --build-arg GO_IMAGE="$goimg" --build-arg BASE_IMAGE="$base" \
  --build-arg RECIPE=recipes/ci-python-local.yml \
  --build-arg ENVUP_MIRROR="http://127.0.0.1:$port/" \
  "$work/context"
took=$(($(date +%s) - start))
size=$("${podman[@]}" image inspect --format '{{.Size}}' localhost/envup-local/ci-python:3.11)
echo "built localhost/envup-local/ci-python:3.11 in ${took} s; $((size / 1000000)) MB"
"${podman[@]}" run --rm "${limits[@]}" localhost/envup-local/ci-python:3.11
# The virtualenv is first on the PATH: its python has wheel, the
# interpreter's has not.
"${podman[@]}" run --rm "${limits[@]}" localhost/envup-local/ci-python:3.11 python -m wheel version
