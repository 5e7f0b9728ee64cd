#!/usr/bin/env bash
# bench/venv.sh: a venv with 3 local wheels, offline, on Debian's python3.11
# (apt: python3.11-venv python3-pip python3-pip-whl python3-setuptools
# python3-wheel), side by side in one run, medians of RUNS (5) each:
#   - by hand: python3.11 -m venv (ensurepip), then pip install --no-index
#     --find-links;
#   - envup before: each of OLD_REVS (default: main; space-separated), built
#     from `git archive` into a temp folder;
#   - envup now (this checkout): -m venv --without-pip, then pip and
#     setuptools hard-linked from the seed envup keeps in its data folder
#     (installed and byte-compiled once from the pip wheel Debian's python
#     bundles, /usr/share/python-wheels), then the venv's own pip installs
#     the 3 wheels;
# and the floors under the new way: the new way's two commands typed by
# hand; the same with pip not byte-compiled (--no-compile: what compiling
# pip's own modules into each venv costs, which ensurepip pays too); the 3
# wheels alone (a venv without pip); `-m venv --without-pip` alone; pip's
# own start (`pip --version` from the unpacked wheel, by the venv's python).
# Each run makes the venv afresh; envup's data folder (the unpacked wheel)
# stays between runs, as on a machine that made one venv before. Nothing
# is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
old_revs=${OLD_REVS:-main}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3.11
go build -o "$work/envup" ./cmd/envup
n=0
for rev in $old_revs; do
  n=$((n + 1))
  mkdir -p "$work/old-src-$n"
  git archive "$(git rev-parse "$rev")" | tar -x -C "$work/old-src-$n"
  (cd "$work/old-src-$n" && go build -o "$work/envup-old-$n" ./cmd/envup)
done

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
export HOME="$work/home" PIP_DISABLE_PIP_VERSION_CHECK=1 NO_COLOR=1
unset PIP_FIND_LINKS # a machine-wide setting would add a folder to every pip call
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }

hand() {
  rm -rf "$work/venv-hand"; local s; s=$(now)
  "$py" -m venv "$work/venv-hand"
  "$work/venv-hand/bin/python" -m pip install -q --no-index --find-links "$work/wheels" seatbook lab-hello tinymath
  ms "$s"
}
envup_run() { # binary, ENVUP_HOME
  rm -rf "$work/venv-envup"; local s; s=$(now)
  ENVUP_HOME=$2 "$1" apply "$work/lab.yml" >/dev/null 2>&1
  ms "$s"
}
ENVUP_HOME="$work/eh-new" "$work/envup" apply "$work/lab.yml" >/dev/null # unpacks the wheel, makes the seed once
runner=$(ls -d "$work"/eh-new/data/pip/*/run)
bare() { # extra pip options
  rm -rf "$work/venv-bare"; local s; s=$(now)
  "$py" -m venv --without-pip "$work/venv-bare"
  "$work/venv-bare/bin/python3.11" "$runner/pip/__pip-runner__.py" install -q --no-index --find-links "$work/wheels" \
    --find-links /usr/share/python-wheels "$@" seatbook lab-hello tinymath
  ms "$s"
}
pip_pin="pip==$(basename "$(dirname "$runner")" | cut -d- -f1)"
# Before 3.12 envup (like ensurepip) installs setuptools with pip.
st_whl=$(ls /usr/share/python-wheels/setuptools-*-none-any.whl | tail -1)
st_pin="setuptools==$(basename "$st_whl" | cut -d- -f2)"
without_pip() { rm -rf "$work/venv-wp"; local s; s=$(now); "$py" -m venv --without-pip "$work/venv-wp"; ms "$s"; }
pip_start() { local s; s=$(now); "$work/venv-envup/bin/python3.11" "$runner/pip/__pip-runner__.py" --version >/dev/null; ms "$s"; }

# Interleaved, so a busy moment of the machine falls on each alike.
for _ in $(seq "$runs"); do
  hand >> "$work/t-hand"
  for i in $(seq "$n"); do envup_run "$work/envup-old-$i" "$work/eh-old-$i" >> "$work/t-old-$i"; done
  envup_run "$work/envup" "$work/eh-new" >> "$work/t-new"
  bare "$pip_pin" "$st_pin" >> "$work/t-bare"
  bare --no-compile "$pip_pin" "$st_pin" >> "$work/t-nocompile"
  bare >> "$work/t-nopip"
  without_pip >> "$work/t-wp"
  pip_start >> "$work/t-start"
done
grep -q "Nothing to change" <(ENVUP_HOME="$work/eh-new" "$work/envup" apply "$work/lab.yml")
"$work/venv-envup/bin/pip" --version | grep -q "^pip .* from $work/venv-envup/"

printf 'venv + 3 local wheels, offline, python 3.11.2 (Debian), medians of %s, %s cores, load %s\n' "$runs" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '  %-64s %6s ms\n' "$@"; }
row "by hand: -m venv (ensurepip) + pip install" "$(median < "$work/t-hand")"
i=0
for rev in $old_revs; do
  i=$((i + 1))
  row "envup before ($rev $(git rev-parse --short "$rev"))" "$(median < "$work/t-old-$i")"
done
printf '  %-64s %6s ms\n' \
  "envup now: --without-pip + the kept seed linked + the venv's pip" "$(median < "$work/t-new")" \
  "  the same two commands by hand (pip, setuptools, 3 wheels)" "$(median < "$work/t-bare")" \
  "  by hand, pip+setuptools not byte-compiled (--no-compile)" "$(median < "$work/t-nocompile")" \
  "  by hand, the 3 wheels only (no pip in the venv)" "$(median < "$work/t-nopip")" \
  "  floor: -m venv --without-pip alone" "$(median < "$work/t-wp")" \
  "  floor: pip's own start (pip --version)" "$(median < "$work/t-start")"
