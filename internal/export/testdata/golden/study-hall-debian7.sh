#!/bin/sh
# setup.sh: applies recipe study-hall on debian 7 (linux debian 7, amd64).
# Made by envup export. It runs by itself on that host, with the files/ folder beside it.
# Run it: sh setup.sh (as root when a step needs it).
# Every step and its output goes to setup.log beside it; a second run skips what is done.
# Exit status: 0 done, 1 a step or check failed, 2 not the host it was made for.
set -u
here=$(cd "$(dirname "$0")" && pwd) || exit 1
log="$here/setup.log"
failed=0
checks=0

# say prints a line and appends it to the log; note only appends it.
say() { printf '%s\n' "$*"; printf '%s\n' "$*" >>"$log"; }
note() { printf '%s\n' "$*" >>"$log"; }
# stop ends the script with a status and a message.
stop() { code=$1; shift; say "$*"; say "envup setup: stopped; see $log"; exit "$code"; }
# result says how a check went: nothing is a pass, else why it failed.
result() {
  if [ -z "$1" ]; then say '    ok'; else failed=$((failed + 1)); say "    FAILED: $1"; fi
}

# ---- the host: debian 7 (linux debian 7, amd64)
host_os=$(uname -s)
host_arch=$(uname -m)
host_id=
host_ver=
case $host_arch in
  x86_64|amd64) host_arch=amd64 ;;
  i?86|i86pc) host_arch=386 ;;
  aarch64|arm64) host_arch=arm64 ;;
  armv6l|armv7l|armv7) host_arch=arm ;;
esac
if [ -r /etc/os-release ]; then
  # shellcheck source=/dev/null
  host_id=$(. /etc/os-release && printf '%s' "${ID:-}")
  # shellcheck source=/dev/null
  host_ver=$(. /etc/os-release && printf '%s' "${VERSION_ID:-}")
elif [ -r /etc/debian_version ]; then
  host_id=debian
  host_ver=$(cut -d. -f1 /etc/debian_version)
fi
if [ "$host_os" = Linux ] && [ "$host_id" = debian ] && [ "$host_arch" = amd64 ] && case $host_ver in 7|7.*) true ;; *) false ;; esac; then
  :
else
  echo 'envup: this script is for debian 7 (linux debian 7, amd64); this host is '"$host_os ${host_id:-} ${host_ver:-?} $host_arch." >&2
  echo 'envup: nothing was changed. Export again for this host (envup export --probe tells what it is).' >&2
  exit 2
fi
note "=== setup.sh: $(date)"
say 'envup setup: study-hall for debian 7 (linux debian 7, amd64); log: '"$log"

# ---- 1/11 packages/apt
say '[1/11] packages/apt: build-essential not installed'
{
  :
  say '  run: apt-get update'
  apt-get update >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: apt-get install -y --no-install-recommends build-essential pkg-config libssl-dev zlib1g-dev libbz2-dev libffi-dev libreadline-dev libsqlite3-dev liblzma-dev libncurses-dev tk-dev uuid-dev python3-venv'
  apt-get install -y --no-install-recommends build-essential pkg-config libssl-dev zlib1g-dev libbz2-dev libffi-dev libreadline-dev libsqlite3-dev liblzma-dev libncurses-dev tk-dev uuid-dev python3-venv >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
}

# ---- 2/11 interpreter/python
say '[2/11] interpreter/python: python 3.12.13 built from source Python-3.12.13.tar.xz; needs build-essential libssl-dev libsqlite3-dev libffi-dev zlib1g-dev libbz2-dev liblzma-dev (apt) first (existing: this host is not observed; archive: python >= 3.2, < 3.13 wanted; nothing prebuilt in the catalog runs on debian 7 (glibc); a source build would give 3.12.13; system: apt: apt-cache policy python3.12 python3.8 python3.7 python3.4: host not observed: planning for another platform)'
if [ -e "$HOME"/.local/share/envup/python/3.12.13/.envup-install.json ]; then
  say '      already there, skipped: ~/.local/share/envup/python/3.12.13/.envup-install.json'
else
  :
  if [ ! -d "$HOME"/.local/share/envup/build/python-3.12.13 ]; then
    say '  mkdir ~/.local/share/envup/build/python-3.12.13'
    mkdir -p "$HOME"/.local/share/envup/build/python-3.12.13 >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/share/envup/build/python-3.12.13'
  fi
  say '  run: tar -xf {files}/Python-3.12.13.tar.xz -C ~/.local/share/envup/build/python-3.12.13 --strip-components=1'
  tar -xf "$here/files"/Python-3.12.13.tar.xz -C "$HOME"/.local/share/envup/build/python-3.12.13 --strip-components=1 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh ~/.local/share/envup/build/python-3.12.13 ./configure --prefix=~/.local/share/envup/python/3.12.13"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"/.local/share/envup/build/python-3.12.13 ./configure --prefix="$HOME"/.local/share/envup/python/3.12.13 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh ~/.local/share/envup/build/python-3.12.13 make -j2"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"/.local/share/envup/build/python-3.12.13 make -j2 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh ~/.local/share/envup/build/python-3.12.13 make altinstall DESTDIR=~/.local/share/envup/python/3.12.13.envup-stage"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"/.local/share/envup/build/python-3.12.13 make altinstall DESTDIR="$HOME"/.local/share/envup/python/3.12.13.envup-stage >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  copy files/.envup-install.json to ~/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13/.envup-install.json'
  mkdir -p "$HOME"'/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13'
  if [ -f "$HOME"'/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13/.envup-install.json' ] && cmp -s "$here/files"/.envup-install.json "$HOME"'/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13/.envup-install.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/.envup-install.json ~/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13/.envup-install.json'
    cp "$here/files"/.envup-install.json "$HOME"'/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13/.envup-install.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13/.envup-install.json'
  fi
  say '  run: mv ~/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13 ~/.local/share/envup/python/3.12.13'
  mv "$HOME"'/.local/share/envup/python/3.12.13.envup-stage~/.local/share/envup/python/3.12.13' "$HOME"/.local/share/envup/python/3.12.13 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: rm -rf ~/.local/share/envup/build/python-3.12.13'
  rm -rf "$HOME"/.local/share/envup/build/python-3.12.13 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  if [ ! -d "$HOME"/.local/bin ]; then
    say '  mkdir ~/.local/bin'
    mkdir -p "$HOME"/.local/bin >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/bin'
  fi
  say '  run: ln -sf ~/.local/share/envup/python/3.12.13/bin/python3.12 ~/.local/bin/python3.12'
  ln -sf "$HOME"/.local/share/envup/python/3.12.13/bin/python3.12 "$HOME"/.local/bin/python3.12 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf ~/.local/share/envup/python/3.12.13/bin/python3.12 ~/.local/bin/python3'
  ln -sf "$HOME"/.local/share/envup/python/3.12.13/bin/python3.12 "$HOME"/.local/bin/python3 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf ~/.local/share/envup/python/3.12.13/bin/python3.12 ~/.local/bin/python'
  ln -sf "$HOME"/.local/share/envup/python/3.12.13/bin/python3.12 "$HOME"/.local/bin/python >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
fi

# ---- 3/11 virtualenv/study-hall
say '[3/11] virtualenv/study-hall: venv after interpreter/python is installed'
if [ -e "$HOME"/envs/study-hall/pyvenv.cfg ]; then
  say '      already there, skipped: ~/envs/study-hall/pyvenv.cfg'
else
  :
  say '  copy files/.envup-venv to ~/envs/study-hall/.envup-venv'
  mkdir -p "$HOME"/envs/study-hall >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/envs/study-hall'
  if [ -f "$HOME"/envs/study-hall/.envup-venv ] && cmp -s "$here/files"/.envup-venv "$HOME"/envs/study-hall/.envup-venv; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/.envup-venv ~/envs/study-hall/.envup-venv'
    cp "$here/files"/.envup-venv "$HOME"/envs/study-hall/.envup-venv >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/envs/study-hall/.envup-venv'
  fi
  say '  run: ~/.local/share/envup/python/3.12.13/bin/python3.12 -m venv ~/envs/study-hall'
  "$HOME"/.local/share/envup/python/3.12.13/bin/python3.12 -m venv "$HOME"/envs/study-hall >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  note: the wheelhouse ../../recipes/wheelhouse holds no wheels: pip will download from its index, so this host needs a network for virtualenv/study-hall (envup wheels fills a wheelhouse)'
  say '  run: ~/envs/study-hall/bin/python -m pip install --find-links {files} vpython redis>=4'
  "$HOME"/envs/study-hall/bin/python -m pip install --find-links "$here/files" vpython 'redis>=4' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  copy files/2-.envup-venv to ~/envs/study-hall/.envup-venv'
  mkdir -p "$HOME"/envs/study-hall >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/envs/study-hall'
  if [ -f "$HOME"/envs/study-hall/.envup-venv ] && cmp -s "$here/files"/2-.envup-venv "$HOME"/envs/study-hall/.envup-venv; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/2-.envup-venv ~/envs/study-hall/.envup-venv'
    cp "$here/files"/2-.envup-venv "$HOME"/envs/study-hall/.envup-venv >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/envs/study-hall/.envup-venv'
  fi
fi

# ---- 4/11 service/redis
say '[4/11] service/redis: redis 7.2.15 built from source redis-7.2.15.tar.gz (archive: redis 7.2 wanted; nothing prebuilt in the catalog runs on debian 7 (glibc); a source build would give 7.2.15)'
if [ -e "$HOME"/.local/share/envup/redis/7.2.15/.envup-install.json ]; then
  say '      already there, skipped: ~/.local/share/envup/redis/7.2.15/.envup-install.json'
else
  :
  if [ ! -d "$HOME"/.local/share/envup/build/redis-7.2.15 ]; then
    say '  mkdir ~/.local/share/envup/build/redis-7.2.15'
    mkdir -p "$HOME"/.local/share/envup/build/redis-7.2.15 >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/share/envup/build/redis-7.2.15'
  fi
  say '  run: tar -xf {files}/redis-7.2.15.tar.gz -C ~/.local/share/envup/build/redis-7.2.15 --strip-components=1'
  tar -xf "$here/files"/redis-7.2.15.tar.gz -C "$HOME"/.local/share/envup/build/redis-7.2.15 --strip-components=1 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh ~/.local/share/envup/build/redis-7.2.15 make -j2"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"/.local/share/envup/build/redis-7.2.15 make -j2 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh ~/.local/share/envup/build/redis-7.2.15 make install PREFIX=~/.local/share/envup/redis/7.2.15.envup-stage"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"/.local/share/envup/build/redis-7.2.15 make install PREFIX="$HOME"/.local/share/envup/redis/7.2.15.envup-stage >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  copy files/2-.envup-install.json to ~/.local/share/envup/redis/7.2.15.envup-stage/.envup-install.json'
  mkdir -p "$HOME"/.local/share/envup/redis/7.2.15.envup-stage >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/share/envup/redis/7.2.15.envup-stage'
  if [ -f "$HOME"/.local/share/envup/redis/7.2.15.envup-stage/.envup-install.json ] && cmp -s "$here/files"/2-.envup-install.json "$HOME"/.local/share/envup/redis/7.2.15.envup-stage/.envup-install.json; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/2-.envup-install.json ~/.local/share/envup/redis/7.2.15.envup-stage/.envup-install.json'
    cp "$here/files"/2-.envup-install.json "$HOME"/.local/share/envup/redis/7.2.15.envup-stage/.envup-install.json >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/share/envup/redis/7.2.15.envup-stage/.envup-install.json'
  fi
  say '  run: mv ~/.local/share/envup/redis/7.2.15.envup-stage ~/.local/share/envup/redis/7.2.15'
  mv "$HOME"/.local/share/envup/redis/7.2.15.envup-stage "$HOME"/.local/share/envup/redis/7.2.15 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: rm -rf ~/.local/share/envup/build/redis-7.2.15'
  rm -rf "$HOME"/.local/share/envup/build/redis-7.2.15 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf ~/.local/share/envup/redis/7.2.15/bin/redis-server ~/.local/bin/redis-server'
  ln -sf "$HOME"/.local/share/envup/redis/7.2.15/bin/redis-server "$HOME"/.local/bin/redis-server >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf ~/.local/share/envup/redis/7.2.15/bin/redis-cli ~/.local/bin/redis-cli'
  ln -sf "$HOME"/.local/share/envup/redis/7.2.15/bin/redis-cli "$HOME"/.local/bin/redis-cli >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  if [ ! -d "$HOME"/.local/state/envup/services/redis/data ]; then
    say '  mkdir ~/.local/state/envup/services/redis/data'
    mkdir -p "$HOME"/.local/state/envup/services/redis/data >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/state/envup/services/redis/data'
  fi
  say '  note: ~/.local/state/envup/services/redis/redis.conf names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/redis.conf to ~/.local/state/envup/services/redis/redis.conf'
  mkdir -p "$HOME"/.local/state/envup/services/redis >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/state/envup/services/redis'
  if [ -f "$HOME"/.local/state/envup/services/redis/redis.conf ] && cmp -s "$here/files"/redis.conf "$HOME"/.local/state/envup/services/redis/redis.conf; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/redis.conf ~/.local/state/envup/services/redis/redis.conf'
    cp "$here/files"/redis.conf "$HOME"/.local/state/envup/services/redis/redis.conf >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/state/envup/services/redis/redis.conf'
  fi
  say '  run: ~/.local/share/envup/redis/7.2.15/bin/redis-server ~/.local/state/envup/services/redis/redis.conf'
  "$HOME"/.local/share/envup/redis/7.2.15/bin/redis-server "$HOME"/.local/state/envup/services/redis/redis.conf >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
fi

# ---- 5/11 font/DejaVu Sans Mono
say '[5/11] font/DejaVu Sans Mono: ~/.local/share/fonts/envup/DejaVuSansMono.ttf absent'
if [ -e "$HOME"/.local/share/fonts/envup/DejaVuSansMono.ttf ]; then
  say '      already there, skipped: ~/.local/share/fonts/envup/DejaVuSansMono.ttf'
else
  :
  say '  copy files/DejaVuSansMono.ttf to ~/.local/share/fonts/envup/DejaVuSansMono.ttf'
  mkdir -p "$HOME"/.local/share/fonts/envup >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/share/fonts/envup'
  if [ -f "$HOME"/.local/share/fonts/envup/DejaVuSansMono.ttf ] && cmp -s "$here/files"/DejaVuSansMono.ttf "$HOME"/.local/share/fonts/envup/DejaVuSansMono.ttf; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/DejaVuSansMono.ttf ~/.local/share/fonts/envup/DejaVuSansMono.ttf'
    cp "$here/files"/DejaVuSansMono.ttf "$HOME"/.local/share/fonts/envup/DejaVuSansMono.ttf >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/share/fonts/envup/DejaVuSansMono.ttf'
  fi
  say '  run: fc-cache -f ~/.local/share/fonts/envup'
  fc-cache -f "$HOME"/.local/share/fonts/envup >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  note: editor/pycharm skipped: no PyCharm settings found: start PyCharm once, or set version:'
fi

# ---- 6/11 editor/vim
say '[6/11] editor/vim: ~/.vimrc absent'
{
  :
  say '  copy files/.vimrc to ~/.vimrc'
  mkdir -p "$HOME" >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~'
  if [ -f "$HOME"/.vimrc ] && cmp -s "$here/files"/.vimrc "$HOME"/.vimrc; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/.vimrc ~/.vimrc'
    cp "$here/files"/.vimrc "$HOME"/.vimrc >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.vimrc'
  fi
}

# ---- 7/11 editor/vscode
say '[7/11] editor/vscode: editor.fontFamily absent → "DejaVu Sans Mono"'
{
  :
  say '  note: ~/.config/Code/User/settings.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/settings.json to ~/.config/Code/User/settings.json'
  mkdir -p "$HOME"/.config/Code/User >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.config/Code/User'
  if [ -f "$HOME"/.config/Code/User/settings.json ] && cmp -s "$here/files"/settings.json "$HOME"/.config/Code/User/settings.json; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/settings.json ~/.config/Code/User/settings.json'
    cp "$here/files"/settings.json "$HOME"/.config/Code/User/settings.json >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.config/Code/User/settings.json'
  fi
}

# ---- 8/11 file/~/lab/README.txt
say '[8/11] file/~/lab/README.txt: ~/lab/README.txt absent'
{
  :
  say '  note: ~/lab/README.txt names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/README.txt to ~/lab/README.txt'
  mkdir -p "$HOME"/lab >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/lab'
  if [ -f "$HOME"/lab/README.txt ] && cmp -s "$here/files"/README.txt "$HOME"/lab/README.txt; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/README.txt ~/lab/README.txt'
    cp "$here/files"/README.txt "$HOME"/lab/README.txt >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/lab/README.txt'
  fi
  say '  note: ~/.local/state/envup/files.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/files.json to ~/.local/state/envup/files.json'
  mkdir -p "$HOME"/.local/state/envup >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/state/envup'
  if [ -f "$HOME"/.local/state/envup/files.json ] && cmp -s "$here/files"/files.json "$HOME"/.local/state/envup/files.json; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/files.json ~/.local/state/envup/files.json'
    cp "$here/files"/files.json "$HOME"/.local/state/envup/files.json >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/state/envup/files.json'
  fi
}

# ---- 9/11 file/~/lab/bounce.py
say '[9/11] file/~/lab/bounce.py: ~/lab/bounce.py absent'
{
  :
  say '  copy files/bounce.py to ~/lab/bounce.py'
  mkdir -p "$HOME"/lab >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/lab'
  if [ -f "$HOME"/lab/bounce.py ] && cmp -s "$here/files"/bounce.py "$HOME"/lab/bounce.py; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/bounce.py ~/lab/bounce.py'
    cp "$here/files"/bounce.py "$HOME"/lab/bounce.py >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/lab/bounce.py'
  fi
  say '  note: ~/.local/state/envup/files.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/2-files.json to ~/.local/state/envup/files.json'
  mkdir -p "$HOME"/.local/state/envup >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/state/envup'
  if [ -f "$HOME"/.local/state/envup/files.json ] && cmp -s "$here/files"/2-files.json "$HOME"/.local/state/envup/files.json; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/2-files.json ~/.local/state/envup/files.json'
    cp "$here/files"/2-files.json "$HOME"/.local/state/envup/files.json >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/state/envup/files.json'
  fi
}

# ---- 10/11 file/~/lab/seats.py
say '[10/11] file/~/lab/seats.py: ~/lab/seats.py absent'
{
  :
  say '  note: ~/lab/seats.py names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/seats.py to ~/lab/seats.py'
  mkdir -p "$HOME"/lab >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/lab'
  if [ -f "$HOME"/lab/seats.py ] && cmp -s "$here/files"/seats.py "$HOME"/lab/seats.py; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/seats.py ~/lab/seats.py'
    cp "$here/files"/seats.py "$HOME"/lab/seats.py >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/lab/seats.py'
  fi
  say '  note: ~/.local/state/envup/files.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/3-files.json to ~/.local/state/envup/files.json'
  mkdir -p "$HOME"/.local/state/envup >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/state/envup'
  if [ -f "$HOME"/.local/state/envup/files.json ] && cmp -s "$here/files"/3-files.json "$HOME"/.local/state/envup/files.json; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/3-files.json ~/.local/state/envup/files.json'
    cp "$here/files"/3-files.json "$HOME"/.local/state/envup/files.json >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/.local/state/envup/files.json'
  fi
}

# ---- 11/11 
say '[11/11] the recipe'\''s checks'
{
  :
  checks=$((checks + 1))
  say '  check: redis answers'
  note '    + redis-cli -p 6379 ping'
  out=$(redis-cli -p 6379 ping 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  if [ -z "$why" ]; then
    case $out in *PONG*) ;; *) why='stdout does not contain "PONG"' ;; esac
  fi
  result "$why"
  checks=$((checks + 1))
  say '  check: python version'
  note '    + ~/envs/study-hall/bin/python -c "import sys; print('\''%d.%d.%d'\'' % sys.version_info[:3])"'
  out=$("$HOME"/envs/study-hall/bin/python -c 'import sys; print('\''%d.%d.%d'\'' % sys.version_info[:3])' 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  if [ -z "$why" ] && ! printf '%s\n' "$out" | LC_ALL=C grep -E -e '^3\.[0-9]+\.[0-9]+' >/dev/null; then
    why='no line of stdout matches "^3\.\d+\.\d+" (grep -E ^3\.[0-9]+\.[0-9]+)'
  fi
  result "$why"
  checks=$((checks + 1))
  say '  check: vpython imports'
  note '    + ~/envs/study-hall/bin/python -c "import vpython"'
  out=$("$HOME"/envs/study-hall/bin/python -c 'import vpython' 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  result "$why"
  checks=$((checks + 1))
  say '  check: redis-py imports'
  note '    + ~/envs/study-hall/bin/python -c "import redis; print(redis.__version__)"'
  out=$("$HOME"/envs/study-hall/bin/python -c 'import redis; print(redis.__version__)' 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  result "$why"
}

if [ "$failed" -ne 0 ]; then
  say "envup setup: $failed of $checks checks failed; see $log"
  exit 1
fi
say "envup setup: done, $checks checks passed"
exit 0
