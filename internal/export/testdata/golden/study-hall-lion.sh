#!/bin/sh
# setup.sh: applies recipe study-hall on macos lion (macos 10.7, amd64).
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

# ---- the host: macos lion (macos 10.7, amd64)
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
if [ "$host_os" = Darwin ]; then
  host_ver=$(sw_vers -productVersion 2>/dev/null)
  # a 32-bit kernel (10.6) or a shell under Rosetta hides the machine
  if [ "$(sysctl -n hw.optional.x86_64 2>/dev/null)" = 1 ]; then host_arch=amd64; fi
  if [ "$(sysctl -n hw.optional.arm64 2>/dev/null)" = 1 ]; then host_arch=arm64; fi
fi
if [ "$host_os" = Darwin ] && [ "$host_arch" = amd64 ] && case $host_ver in 10.7|10.7.*) true ;; *) false ;; esac; then
  :
else
  echo 'envup: this script is for macos lion (macos 10.7, amd64); this host is '"$host_os ${host_id:-} ${host_ver:-?} $host_arch." >&2
  echo 'envup: nothing was changed. Export again for this host (envup export --probe tells what it is).' >&2
  exit 2
fi
note "=== setup.sh: $(date)"
say 'envup setup: study-hall for macos lion (macos 10.7, amd64); log: '"$log"

# ---- 1/11 packages/port
say '[1/11] packages/port: openssl not installed'
{
  :
  say '  run: port -N install openssl readline xz tk'
  port -N install openssl readline xz tk >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  note: packages/python-venv skipped: no names for port on this host'
}

# ---- 2/11 interpreter/python
say '[2/11] interpreter/python: python 3.7.6 built from source Python-3.7.6.tar.xz (existing: this host is not observed; archive: python 3.7.6 wanted; nothing prebuilt in the catalog runs on macos lion (10.7); a source build would give 3.7.6; system: envup does not know port'\''s name for python)'
if [ -e "$HOME"'/Library/Application Support/envup/python/3.7.6/.envup-install.json' ]; then
  say '      already there, skipped: ~/Library/Application Support/envup/python/3.7.6/.envup-install.json'
else
  :
  if [ ! -d "$HOME"'/Library/Application Support/envup/build/python-3.7.6' ]; then
    say '  mkdir ~/Library/Application Support/envup/build/python-3.7.6'
    mkdir -p "$HOME"'/Library/Application Support/envup/build/python-3.7.6' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup/build/python-3.7.6'
  fi
  say '  run: tar -xf {files}/Python-3.7.6.tar.xz -C "~/Library/Application Support/envup/build/python-3.7.6" --strip-components=1'
  tar -xf "$here/files"/Python-3.7.6.tar.xz -C "$HOME"'/Library/Application Support/envup/build/python-3.7.6' --strip-components=1 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh \"~/Library/Application Support/envup/build/python-3.7.6\" ./configure \"--prefix=~/Library/Application Support/envup/python/3.7.6\""
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"'/Library/Application Support/envup/build/python-3.7.6' ./configure --prefix="$HOME"'/Library/Application Support/envup/python/3.7.6' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh \"~/Library/Application Support/envup/build/python-3.7.6\" make -j2"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"'/Library/Application Support/envup/build/python-3.7.6' make -j2 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh \"~/Library/Application Support/envup/build/python-3.7.6\" make altinstall \"DESTDIR=~/Library/Application Support/envup/python/3.7.6.envup-stage\""
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"'/Library/Application Support/envup/build/python-3.7.6' make altinstall DESTDIR="$HOME"'/Library/Application Support/envup/python/3.7.6.envup-stage' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  copy files/.envup-install.json to ~/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6/.envup-install.json'
  mkdir -p "$HOME"'/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6'
  if [ -f "$HOME"'/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6/.envup-install.json' ] && cmp -s "$here/files"/.envup-install.json "$HOME"'/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6/.envup-install.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/.envup-install.json "~/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6/.envup-install.json"'
    cp "$here/files"/.envup-install.json "$HOME"'/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6/.envup-install.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6/.envup-install.json'
  fi
  say '  run: mv "~/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6" "~/Library/Application Support/envup/python/3.7.6"'
  mv "$HOME"'/Library/Application Support/envup/python/3.7.6.envup-stage~/Library/Application Support/envup/python/3.7.6' "$HOME"'/Library/Application Support/envup/python/3.7.6' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: rm -rf "~/Library/Application Support/envup/build/python-3.7.6"'
  rm -rf "$HOME"'/Library/Application Support/envup/build/python-3.7.6' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  if [ ! -d "$HOME"/.local/bin ]; then
    say '  mkdir ~/.local/bin'
    mkdir -p "$HOME"/.local/bin >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/.local/bin'
  fi
  say '  run: ln -sf "~/Library/Application Support/envup/python/3.7.6/bin/python3.7" ~/.local/bin/python3.7'
  ln -sf "$HOME"'/Library/Application Support/envup/python/3.7.6/bin/python3.7' "$HOME"/.local/bin/python3.7 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf "~/Library/Application Support/envup/python/3.7.6/bin/python3.7" ~/.local/bin/python3'
  ln -sf "$HOME"'/Library/Application Support/envup/python/3.7.6/bin/python3.7' "$HOME"/.local/bin/python3 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf "~/Library/Application Support/envup/python/3.7.6/bin/python3.7" ~/.local/bin/python'
  ln -sf "$HOME"'/Library/Application Support/envup/python/3.7.6/bin/python3.7' "$HOME"/.local/bin/python >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
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
  say '  run: "~/Library/Application Support/envup/python/3.7.6/bin/python3.7" -m venv ~/envs/study-hall'
  "$HOME"'/Library/Application Support/envup/python/3.7.6/bin/python3.7' -m venv "$HOME"/envs/study-hall >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
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
say '[4/11] service/redis: redis 7.2.15 built from source redis-7.2.15.tar.gz (archive: redis 7.2 wanted; nothing prebuilt in the catalog runs on macos lion (10.7); a source build would give 7.2.15)'
if [ -e "$HOME"'/Library/Application Support/envup/redis/7.2.15/.envup-install.json' ]; then
  say '      already there, skipped: ~/Library/Application Support/envup/redis/7.2.15/.envup-install.json'
else
  :
  if [ ! -d "$HOME"'/Library/Application Support/envup/build/redis-7.2.15' ]; then
    say '  mkdir ~/Library/Application Support/envup/build/redis-7.2.15'
    mkdir -p "$HOME"'/Library/Application Support/envup/build/redis-7.2.15' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup/build/redis-7.2.15'
  fi
  say '  run: tar -xf {files}/redis-7.2.15.tar.gz -C "~/Library/Application Support/envup/build/redis-7.2.15" --strip-components=1'
  tar -xf "$here/files"/redis-7.2.15.tar.gz -C "$HOME"'/Library/Application Support/envup/build/redis-7.2.15' --strip-components=1 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh \"~/Library/Application Support/envup/build/redis-7.2.15\" make -j2"
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"'/Library/Application Support/envup/build/redis-7.2.15' make -j2 >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say "  run: sh -c \"cd \\\"\$1\\\" && shift && exec \\\"\$@\\\"\" sh \"~/Library/Application Support/envup/build/redis-7.2.15\" make install \"PREFIX=~/Library/Application Support/envup/redis/7.2.15.envup-stage\""
  sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$HOME"'/Library/Application Support/envup/build/redis-7.2.15' make install PREFIX="$HOME"'/Library/Application Support/envup/redis/7.2.15.envup-stage' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  copy files/2-.envup-install.json to ~/Library/Application Support/envup/redis/7.2.15.envup-stage/.envup-install.json'
  mkdir -p "$HOME"'/Library/Application Support/envup/redis/7.2.15.envup-stage' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup/redis/7.2.15.envup-stage'
  if [ -f "$HOME"'/Library/Application Support/envup/redis/7.2.15.envup-stage/.envup-install.json' ] && cmp -s "$here/files"/2-.envup-install.json "$HOME"'/Library/Application Support/envup/redis/7.2.15.envup-stage/.envup-install.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/2-.envup-install.json "~/Library/Application Support/envup/redis/7.2.15.envup-stage/.envup-install.json"'
    cp "$here/files"/2-.envup-install.json "$HOME"'/Library/Application Support/envup/redis/7.2.15.envup-stage/.envup-install.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/envup/redis/7.2.15.envup-stage/.envup-install.json'
  fi
  say '  run: mv "~/Library/Application Support/envup/redis/7.2.15.envup-stage" "~/Library/Application Support/envup/redis/7.2.15"'
  mv "$HOME"'/Library/Application Support/envup/redis/7.2.15.envup-stage' "$HOME"'/Library/Application Support/envup/redis/7.2.15' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: rm -rf "~/Library/Application Support/envup/build/redis-7.2.15"'
  rm -rf "$HOME"'/Library/Application Support/envup/build/redis-7.2.15' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf "~/Library/Application Support/envup/redis/7.2.15/bin/redis-server" ~/.local/bin/redis-server'
  ln -sf "$HOME"'/Library/Application Support/envup/redis/7.2.15/bin/redis-server' "$HOME"/.local/bin/redis-server >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  say '  run: ln -sf "~/Library/Application Support/envup/redis/7.2.15/bin/redis-cli" ~/.local/bin/redis-cli'
  ln -sf "$HOME"'/Library/Application Support/envup/redis/7.2.15/bin/redis-cli' "$HOME"/.local/bin/redis-cli >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
  if [ ! -d "$HOME"'/Library/Application Support/envup/services/redis/data' ]; then
    say '  mkdir ~/Library/Application Support/envup/services/redis/data'
    mkdir -p "$HOME"'/Library/Application Support/envup/services/redis/data' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup/services/redis/data'
  fi
  say '  note: ~/Library/Application Support/envup/services/redis/redis.conf names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/redis.conf to ~/Library/Application Support/envup/services/redis/redis.conf'
  mkdir -p "$HOME"'/Library/Application Support/envup/services/redis' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup/services/redis'
  if [ -f "$HOME"'/Library/Application Support/envup/services/redis/redis.conf' ] && cmp -s "$here/files"/redis.conf "$HOME"'/Library/Application Support/envup/services/redis/redis.conf'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/redis.conf "~/Library/Application Support/envup/services/redis/redis.conf"'
    cp "$here/files"/redis.conf "$HOME"'/Library/Application Support/envup/services/redis/redis.conf' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/envup/services/redis/redis.conf'
  fi
  say '  copy files/io.envup.redis.plist to ~/Library/LaunchAgents/io.envup.redis.plist'
  mkdir -p "$HOME"/Library/LaunchAgents >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/LaunchAgents'
  if [ -f "$HOME"/Library/LaunchAgents/io.envup.redis.plist ] && cmp -s "$here/files"/io.envup.redis.plist "$HOME"/Library/LaunchAgents/io.envup.redis.plist; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/io.envup.redis.plist ~/Library/LaunchAgents/io.envup.redis.plist'
    cp "$here/files"/io.envup.redis.plist "$HOME"/Library/LaunchAgents/io.envup.redis.plist >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/LaunchAgents/io.envup.redis.plist'
  fi
  say '  run: launchctl load -w ~/Library/LaunchAgents/io.envup.redis.plist'
  launchctl load -w "$HOME"/Library/LaunchAgents/io.envup.redis.plist >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
fi

# ---- 5/11 font/DejaVu Sans Mono
say '[5/11] font/DejaVu Sans Mono: ~/Library/Fonts/DejaVuSansMono.ttf absent'
if [ -e "$HOME"/Library/Fonts/DejaVuSansMono.ttf ]; then
  say '      already there, skipped: ~/Library/Fonts/DejaVuSansMono.ttf'
else
  :
  say '  copy files/DejaVuSansMono.ttf to ~/Library/Fonts/DejaVuSansMono.ttf'
  mkdir -p "$HOME"/Library/Fonts >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Fonts'
  if [ -f "$HOME"/Library/Fonts/DejaVuSansMono.ttf ] && cmp -s "$here/files"/DejaVuSansMono.ttf "$HOME"/Library/Fonts/DejaVuSansMono.ttf; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/DejaVuSansMono.ttf ~/Library/Fonts/DejaVuSansMono.ttf'
    cp "$here/files"/DejaVuSansMono.ttf "$HOME"/Library/Fonts/DejaVuSansMono.ttf >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Fonts/DejaVuSansMono.ttf'
  fi
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
  say '  note: ~/Library/Application Support/Code/User/settings.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/settings.json to ~/Library/Application Support/Code/User/settings.json'
  mkdir -p "$HOME"'/Library/Application Support/Code/User' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/Code/User'
  if [ -f "$HOME"'/Library/Application Support/Code/User/settings.json' ] && cmp -s "$here/files"/settings.json "$HOME"'/Library/Application Support/Code/User/settings.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/settings.json "~/Library/Application Support/Code/User/settings.json"'
    cp "$here/files"/settings.json "$HOME"'/Library/Application Support/Code/User/settings.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/Code/User/settings.json'
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
  say '  note: ~/Library/Application Support/envup/files.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/files.json to ~/Library/Application Support/envup/files.json'
  mkdir -p "$HOME"'/Library/Application Support/envup' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup'
  if [ -f "$HOME"'/Library/Application Support/envup/files.json' ] && cmp -s "$here/files"/files.json "$HOME"'/Library/Application Support/envup/files.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/files.json "~/Library/Application Support/envup/files.json"'
    cp "$here/files"/files.json "$HOME"'/Library/Application Support/envup/files.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/envup/files.json'
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
  say '  note: ~/Library/Application Support/envup/files.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/2-files.json to ~/Library/Application Support/envup/files.json'
  mkdir -p "$HOME"'/Library/Application Support/envup' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup'
  if [ -f "$HOME"'/Library/Application Support/envup/files.json' ] && cmp -s "$here/files"/2-files.json "$HOME"'/Library/Application Support/envup/files.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/2-files.json "~/Library/Application Support/envup/files.json"'
    cp "$here/files"/2-files.json "$HOME"'/Library/Application Support/envup/files.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/envup/files.json'
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
  say '  note: ~/Library/Application Support/envup/files.json names paths under ~, which this export could not know: export with --facts from this host'\''s probe for its real home'
  say '  copy files/3-files.json to ~/Library/Application Support/envup/files.json'
  mkdir -p "$HOME"'/Library/Application Support/envup' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Library/Application Support/envup'
  if [ -f "$HOME"'/Library/Application Support/envup/files.json' ] && cmp -s "$here/files"/3-files.json "$HOME"'/Library/Application Support/envup/files.json'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/3-files.json "~/Library/Application Support/envup/files.json"'
    cp "$here/files"/3-files.json "$HOME"'/Library/Application Support/envup/files.json' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Library/Application Support/envup/files.json'
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
