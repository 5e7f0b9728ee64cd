#!/usr/bin/env bash
# bench/first-apply.sh: the study-hall first apply from a warm local mirror
# served on loopback (`envup serve`), "before" (envup at 547cfb1: serial
# apply, no warming, no progress lines) against "after" (this checkout),
# in the same run, each in a fresh HOME and ENVUP_HOME (empty cache).
# Prints, for each: the wall time, and the longest silence, on a terminal
# (under `script`: the longest gap between output chunks) and in a log
# (stdout+stderr to a pipe: the longest gap between lines), with the line
# the silence followed.
#
# The recipe is study-hall's shape, made to run here offline:
#   - build tools (make, gcc) as an apt package group (already installed: a check);
#   - python `sources: [existing]`: Debian's /usr/bin/python3.11 (PATH is
#     the system's, without pyenv shims);
#   - a virtualenv with redis-py (and what it needs) and `wheel`, from
#     wheels in the mirror:
#     `wheel` is Debian's real wheel (python3-pip-whl, /usr/share/python-wheels);
#     redis-py 4.3.4 and what it needs (async-timeout, deprecated, wrapt,
#     packaging) are Debian's python3-* debs repacked as wheels (PyPI is
#     not reachable here);
#   - Redis 7.0.15 built from Debian's source tarball (apt-get source redis),
#     started on a free port (the long step);
#   - DejaVu Sans Mono (fonts-dejavu-core's .ttf) by URL + sha256, from the mirror;
#   - VS Code settings, a file, and checks (redis-py imports, Redis answers PING).
# Both binaries read this recipe unchanged.
#
# Needs: a deb-src entry (apt-get source redis), apt-get download, make, a C
# compiler, python3-venv, fonts-dejavu-core, util-linux's script, go.
# Nothing is left behind. RUNS="tty log" (default) picks the modes.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
old_rev=${OLD_REV:-547cfb1}
modes=${RUNS:-tty log}
work=$(mktemp -d)
pids=()
cleanup() {
  for h in "$work"/run-*; do
    [ -d "$h/home" ] || continue
    HOME="$h/home" ENVUP_HOME="$h/envup-home" "$work/bin/envup-new" services stop "$h/lab/study-hall.yml" >/dev/null 2>&1 || true
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  git -C "$repo" worktree remove --force "$work/old-src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
sysPATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
py=/usr/bin/python3
now() { date +%s%N; }

# --- the binaries -----------------------------------------------------------
mkdir -p "$work/bin"
go build -o "$work/bin/envup-new" ./cmd/envup
git -C "$repo" worktree add --detach -q "$work/old-src" "$old_rev"
(cd "$work/old-src" && go build -o "$work/bin/envup-old" ./cmd/envup)

# --- the mirror ---------------------------------------------------------------
m="$work/mirror"
mkdir -p "$m" "$work/dl" "$work/debs"
(cd "$work/dl" && apt-get source --download-only -qq redis >/dev/null 2>&1)
cp "$work/dl"/redis_7.0.15.orig.tar.gz "$m/redis-7.0.15.tar.gz"
cp /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf "$m/"
cp /usr/share/python-wheels/wheel-*.whl "$m/"
(cd "$work/debs" && apt-get download -qq python3-redis python3-async-timeout python3-deprecated \
  python3-wrapt python3-packaging >/dev/null 2>&1)
for d in "$work/debs"/*.deb; do dpkg-deb -x "$d" "$work/debs/x-$(basename "$d" .deb)"; done
# Repack each deb's dist-packages as a wheel: the package's files and a
# .dist-info made from its metadata (dist-info as it is, or egg-info's PKG-INFO).
"$py" - "$work/debs" "$m" <<'PY'
import base64, glob, hashlib, os, re, sys, zipfile
debs, out = sys.argv[1], sys.argv[2]
for root in sorted(glob.glob(os.path.join(debs, "x-*", "usr/lib/python3/dist-packages"))):
    names = os.listdir(root)
    info = [n for n in names if n.endswith((".dist-info", ".egg-info"))][0]
    p = os.path.join(root, info)
    meta = open(os.path.join(p, "METADATA" if info.endswith(".dist-info") else "PKG-INFO") if os.path.isdir(p) else p).read()
    name = re.search(r"^Name: (.+)$", meta, re.M).group(1).strip()
    ver = re.search(r"^Version: (.+)$", meta, re.M).group(1).strip()
    if info.endswith(".egg-info") and os.path.isdir(p) and os.path.exists(os.path.join(p, "requires.txt")):
        section, reqs = "", []
        for line in open(os.path.join(p, "requires.txt")):
            line = line.strip()
            if line.startswith("["):
                section = line[1:-1]
            elif line and not section:
                reqs.append(line)
        if "Requires-Dist:" not in meta:
            head, _, body = meta.partition("\n\n")
            meta = head + "".join("\nRequires-Dist: " + r for r in reqs) + "\n\n" + body
    norm = re.sub(r"[-_.]+", "_", name)
    di = f"{norm}-{ver}.dist-info"
    whl = os.path.join(out, f"{norm}-{ver}-py3-none-any.whl")
    record = []
    with zipfile.ZipFile(whl, "w", zipfile.ZIP_DEFLATED) as z:
        def add(arc, data):
            z.writestr(arc, data)
            h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arc},sha256={h},{len(data)}")
        for n in sorted(names):
            if n == info or n == "__pycache__":
                continue
            full = os.path.join(root, n)
            if os.path.isfile(full):
                add(n, open(full, "rb").read())
                continue
            for d, subs, files in os.walk(full):
                subs[:] = sorted(s for s in subs if s != "__pycache__")
                for f in sorted(files):
                    fp = os.path.join(d, f)
                    add(os.path.relpath(fp, root), open(fp, "rb").read())
        add(f"{di}/METADATA", meta.encode())
        add(f"{di}/WHEEL", b"Wheel-Version: 1.0\nGenerator: envup-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        record.append(f"{di}/RECORD,,")
        z.writestr(f"{di}/RECORD", "\n".join(record) + "\n")
PY
# index.json, so `envup serve` lists the wheels on / (pip's --find-links).
# Only the wheels: listed there, redis-7.0.15.tar.gz is taken by pip as an
# sdist of redis-py 7.0.15 (`does not appear to be a Python project`). The
# tarball and the font are still served by name.
"$py" - "$m" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
files = []
for n in sorted(x for x in os.listdir(d) if x.endswith(".whl")):
    b = open(os.path.join(d, n), "rb").read()
    files.append({"name": n, "url": "https://mirror.example/" + n, "sha256": hashlib.sha256(b).hexdigest(),
                  "size": len(b), "platforms": ["linux/debian/12/amd64"]})
json.dump({"envup_mirror": 1, "files": files}, open(os.path.join(d, "index.json"), "w"), indent=2)
PY
redis_sum=$(sha256sum "$m/redis-7.0.15.tar.gz" | cut -d' ' -f1)
font_sum=$(sha256sum "$m/DejaVuSansMono.ttf" | cut -d' ' -f1)

freeport() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(freeport)
"$work/bin/envup-new" serve "$m" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/index.json" 2>/dev/null && break; sleep 0.1; done
mirror="http://127.0.0.1:$port"

# --- the recipe (one per run: its own Redis port) ---------------------------
recipe() { # DIR REDIS_PORT
  mkdir -p "$1"
  cat > "$1/study-hall.yml" <<YML
envup: 1
name: study-hall
description: study-hall's shape, offline from a loopback mirror (bench/first-apply.sh)
vars:
  venv: ~/envs/study-hall
  venv_python: \${venv}/bin/python
  font: DejaVu Sans Mono
packages:
  build-tools:
    apt: [make, gcc]
interpreters:
  python:
    version: ">= 3.2, < 3.13"
    sources: [existing]
    default: true
virtualenvs:
  study-hall:
    path: \${venv}
    python: python
    # Debian strips redis-py's requirements from its metadata: named here.
    packages: ["redis>=4", async-timeout, deprecated, wrapt, packaging, wheel]
services:
  redis:
    version: "7.0.15"
    sources: [build]
    source: {url: "https://download.redis.io/releases/redis-7.0.15.tar.gz", sha256: $redis_sum}
    port: $2
    config: {maxmemory: 64mb, appendonly: "yes"}
    start: true
fonts:
  DejaVu Sans Mono:
    url: https://github.com/dejavu-fonts/dejavu-fonts/raw/version_2_37/DejaVuSansMono.ttf
    sha256: $font_sum
editors:
  vscode:
    settings:
      editor.fontFamily: \${font}
      editor.fontSize: 14
      python.defaultInterpreterPath: \${venv_python}
files:
  ~/lab/README.txt: {content: "Tuesday lab: redis-py against a local Redis.\n", mode: "0644"}
checks:
  - name: redis-py imports
    run: ["\${venv_python}", -c, "import redis; print(redis.__version__)"]
    timeout: 30s
  - name: redis answers
    run: ["\${venv_python}", -c, "import redis; print(redis.Redis(port=$2).ping())"]
    expect: "True"
YML
}

# --- the timestampers ---------------------------------------------------------
# chunks: every read from the pipe is a burst of output; the longest gap
# between bursts (the start and the end count as bursts), and the last line
# shown before it. lines: the same between complete lines.
cat > "$work/gaps.py" <<'PY'
import os, re, sys, time
mode, start = sys.argv[1], int(sys.argv[2]) / 1e9
ansi = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")
last, best, before, tail, buf = start, 0.0, "(start)", b"", b""
def seen(t, text):
    global last, best, before, tail
    if t - last > best:
        best, before = t - last, tail.decode(errors="replace").strip()[-110:] or "(start)"
    last = t
    lines = [l for l in ansi.sub(b"\n", text).split(b"\n") if l.strip()]
    if lines:
        tail = lines[-1]
fd = sys.stdin.fileno()
while True:
    b = os.read(fd, 65536)
    t = time.time()
    if not b:
        break
    if mode == "chunks":
        seen(t, b)
        continue
    buf += b
    while b"\n" in buf:
        line, _, buf = buf.partition(b"\n")
        seen(t, line)
seen(time.time(), b"")
print(f"{best:.1f}\t{before}")
PY

# --- the runs -----------------------------------------------------------------
declare -A wall gap after rc
run() { # MODE WHICH
  local mode=$1 which=$2 dir="$work/run-$1-$2"
  local rport; rport=$(freeport)
  recipe "$dir/lab" "$rport"
  mkdir -p "$dir/home"
  local cmd=(env -i HOME="$dir/home" ENVUP_HOME="$dir/envup-home" PATH="$sysPATH" TERM=xterm-256color LANG=C.UTF-8
    "$work/bin/envup-$which" apply --mirror "$mirror" --offline "$dir/lab/study-hall.yml")
  local s e r=0 out
  s=$(now)
  if [ "$mode" = tty ]; then
    out=$( { script -qefc "$(printf '%q ' "${cmd[@]}")" /dev/null </dev/null | tee "$dir/out" | "$py" "$work/gaps.py" chunks "$s"; } ) || r=$?
  else
    out=$( { "${cmd[@]}" </dev/null 2>&1 | tee "$dir/out" | "$py" "$work/gaps.py" lines "$s"; } ) || r=$?
  fi
  e=$(now)
  wall[$mode-$which]=$(( (e - s) / 1000000 ))
  gap[$mode-$which]=${out%%$'\t'*}
  after[$mode-$which]=${out#*$'\t'}
  rc[$mode-$which]=$r
  HOME="$dir/home" ENVUP_HOME="$dir/envup-home" "$work/bin/envup-new" services stop "$dir/lab/study-hall.yml" >/dev/null 2>&1 || true
  grep -qa "PONG\|True\|[Aa]pplied\|✓" "$dir/out" || { echo "bench: $which ($mode) printed:"; tail -20 "$dir/out"; }
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; cp "$dir/out" "$KEEP/$mode-$which.out"; fi
}
for mode in $modes; do
  for which in old new; do
    run "$mode" "$which"
  done
done

echo "study-hall first apply, warm loopback mirror ($mirror), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "old = envup $old_rev, new = envup $(git -C "$repo" rev-parse --short HEAD)"
for mode in $modes; do
  for which in old new; do
    k=$mode-$which
    printf '%-3s %-4s wall %6.1f s  exit %s  longest silence %5.1f s  after: %s\n' \
      "$which" "$mode" "$(awk "BEGIN{print ${wall[$k]}/1000}")" "${rc[$k]}" "${gap[$k]}" "${after[$k]}"
  done
done
