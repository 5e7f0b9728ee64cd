#!/usr/bin/env bash
# bench/venv.sh: create a venv and install 3 wheels offline, envup against
# the same steps by hand (python -m venv, then pip install --no-index
# --find-links), on Debian's python3.11 (apt: python3.11-venv python3-pip
# python3-setuptools python3-wheel). Prints medians of RUNS runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3.11
go build -o "$work/envup" ./cmd/envup

mkdir -p "$work/wheels"
for spec in seatbook:1.2.0 lab-hello:1.0.0 tinymath:0.3.1; do
  name=${spec%%:*} ver=${spec#*:} mod=${name//-/_}
  src="$work/src/$name"; mkdir -p "$src"
  printf '[build-system]\nrequires = ["setuptools", "wheel"]\nbuild-backend = "setuptools.build_meta"\n' > "$src/pyproject.toml"
  printf "from setuptools import setup\nsetup(name='%s', version='%s', py_modules=['%s'])\n" "$name" "$ver" "$mod" > "$src/setup.py"
  echo "x = 1" > "$src/$mod.py"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip wheel -q --no-build-isolation --no-deps --no-index --wheel-dir "$work/wheels" "$src"
done

cat > "$work/lab.yml" <<YML
envup: 1
interpreters:
  python: {version: "3.11", sources: [system]}
virtualenvs:
  lab:
    path: $work/venv-envup
    packages: [seatbook, lab-hello, tinymath]
    find_links: [$work/wheels]
    offline: true
YML
export HOME="$work/home" ENVUP_HOME="$work/envup-home" PIP_DISABLE_PIP_VERSION_CHECK=1
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }

for _ in $(seq "$runs"); do
  rm -rf "$work/venv-hand"; s=$(now)
  "$py" -m venv "$work/venv-hand"
  "$work/venv-hand/bin/python" -m pip install -q --no-index --find-links "$work/wheels" seatbook lab-hello tinymath
  echo $(( ($(now) - s) / 1000000 ))
done | median > "$work/hand"
for _ in $(seq "$runs"); do
  rm -rf "$work/venv-envup"; s=$(now)
  "$work/envup" apply "$work/lab.yml" >/dev/null
  echo $(( ($(now) - s) / 1000000 ))
done | median > "$work/envup.ms"
s=$(now); "$work/envup" apply "$work/lab.yml" | grep -q "Nothing to change"; noop=$(( ($(now) - s) / 1000000 ))

echo "by hand (python -m venv; pip install --no-index, 3 wheels): median $(cat "$work/hand") ms over $runs runs"
echo "envup apply (same venv and wheels):                       median $(cat "$work/envup.ms") ms over $runs runs"
echo "envup apply again (nothing to change):                    $noop ms"
