#!/bin/sh
# setup.sh: applies recipe golden on debian 7 (linux debian 7, amd64).
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
say 'envup setup: golden for debian 7 (linux debian 7, amd64); log: '"$log"

# ---- 1/3 interpreter/python
say '[1/3] interpreter/python: python 3.4.4 from python-3.4.4.msi'
if [ -e "$HOME"/Python34/python.exe ]; then
  say '      already there, skipped: ~/Python34/python.exe'
else
  :
  if [ ! -d "$HOME"/Python34 ]; then
    say '  mkdir ~/Python34'
    mkdir -p "$HOME"/Python34 >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Python34'
  fi
  say '  copy files/python-3.4.4.msi to ~/Downloads (old)/python & co.msi'
  mkdir -p "$HOME"'/Downloads (old)' >>"$log" 2>&1 || stop 1 '  FAILED: could not make the folder ~/Downloads (old)'
  if [ -f "$HOME"'/Downloads (old)/python & co.msi' ] && cmp -s "$here/files"/python-3.4.4.msi "$HOME"'/Downloads (old)/python & co.msi'; then
    say '    same bytes already there: kept'
  else
    note '+ cp {files}/python-3.4.4.msi "~/Downloads (old)/python & co.msi"'
    cp "$here/files"/python-3.4.4.msi "$HOME"'/Downloads (old)/python & co.msi' >>"$log" 2>&1 || stop 1 '  FAILED: could not copy to ~/Downloads (old)/python & co.msi'
  fi
  say '  run: msiexec /i {files}/python-3.4.4.msi /qn TARGETDIR=~/Python34 "a b" "say \"hi\" & bye" 100% ^(x)|<y> "" "C:\\Program Files\\x\\" !bang! "it'\''s"'
  msiexec /i "$here/files"/python-3.4.4.msi /qn TARGETDIR="$HOME"/Python34 'a b' 'say "hi" & bye' 100% '^(x)|<y>' '' "C:\\Program Files\\x\\" '!bang!' 'it'\''s' >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"
fi

# ---- 2/3 font/dejavu-sans-mono
say '[2/3] font/dejavu-sans-mono: DejaVu Sans Mono'
{
  :
  if [ "$(id -u)" -ne 0 ]; then
    stop 2 'envup setup: fonts go to all users on this system: run it again as root (sudo sh setup.sh)'
  fi
  say '  note: log off and on again to see the font (100% sure)'
}

# ---- 3/3 checks
say '[3/3] checks: the recipe'\''s checks'
{
  :
  checks=$((checks + 1))
  say '  check: python runs'
  note '    + ~/Python34/python.exe --version'
  out=$("$HOME"/Python34/python.exe --version 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  if [ -z "$why" ]; then
    case $out in *'Python 3.4'*) ;; *) why='stdout does not contain "Python 3.4"' ;; esac
  fi
  result "$why"
  checks=$((checks + 1))
  say '  check: pip is 7 or later'
  note '    + ~/Python34/python.exe -m pip --version'
  out=$("$HOME"/Python34/python.exe -m pip --version 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  if [ -z "$why" ] && ! printf '%s\n' "$out" | LC_ALL=C grep -E -e '^pip [0-9]+\.[0-9]+' >/dev/null; then
    why='no line of stdout matches "^pip \d+\.\d+" (grep -E ^pip [0-9]+\.[0-9]+)'
  fi
  result "$why"
  checks=$((checks + 1))
  say '  check: redis answers'
  note '    + redis-cli ping'
  out=$(redis-cli ping 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  if [ -z "$why" ] && ! printf '%s\n' "$out" | LC_ALL=C grep -E -e "^((PONG|pong))\$" >/dev/null; then
    why="no line of stdout matches \"^(PONG|pong)\$\" (grep -E ^((PONG|pong))\$)"
  fi
  result "$why"
  checks=$((checks + 1))
  say '  check: a word'
  note '    + redis-cli echo PONG'
  out=$(redis-cli echo PONG 2>>"$log")
  rc=$?
  printf '%s\n' "$out" >>"$log"
  why=
  if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi
  say '    note: expect_re "\bPONG\b" is not checked: POSIX ERE has no \b; only the exit status is'
  result "$why"
}

if [ "$failed" -ne 0 ]; then
  say "envup setup: $failed of $checks checks failed; see $log"
  exit 1
fi
say "envup setup: done, $checks checks passed"
exit 0
