#!/bin/sh
# probe.sh: prints this host's platform as one JSON object, for envup.
# Made by envup export --probe. Run it and bring back what it prints:
#   sh probe.sh > facts.json
# then: envup export --facts facts.json --format sh --to DIR RECIPE
set -u

# j writes a JSON string: backslashes and quotes escaped, control
# characters dropped.
j() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\000-\037')"
}

os=$(uname -s)
machine=$(uname -m)
kernel=$(uname -r)
arch=$machine
case $machine in
  x86_64|amd64) arch=amd64 ;;
  i?86|i86pc) arch=386 ;;
  aarch64|arm64) arch=arm64 ;;
  armv6l|armv7l|armv7) arch=arm ;;
esac

case $os in
Darwin)
  version=$(sw_vers -productVersion 2>/dev/null)
  build=$(sw_vers -buildVersion 2>/dev/null)
  edition=$(sw_vers -productName 2>/dev/null)
  # a 32-bit kernel (10.6) or a shell under Rosetta hides the machine
  rosetta=false
  if [ "$(sysctl -n hw.optional.x86_64 2>/dev/null)" = 1 ]; then arch=amd64; fi
  if [ "$(sysctl -n hw.optional.arm64 2>/dev/null)" = 1 ]; then arch=arm64; fi
  if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null)" = 1 ]; then rosetta=true; fi
  # the name, as envup's detect.MacName gives it
  major=${version%%.*}
  rest=${version#*.}
  minor=${rest%%.*}
  if [ "$rest" = "$version" ]; then minor=0; fi
  name="macos $major"
  if [ "$major" = 10 ]; then
    name="macos 10.$minor"
    case $minor in
      0) name=cheetah ;; 1) name=puma ;; 2) name=jaguar ;; 3) name=panther ;;
      4) name=tiger ;; 5) name=leopard ;; 6) name='snow leopard' ;; 7) name=lion ;;
      8) name='mountain lion' ;; 9) name=mavericks ;; 10) name=yosemite ;;
      11) name='el capitan' ;; 12) name=sierra ;; 13) name='high sierra' ;;
      14) name=mojave ;; 15) name=catalina ;; 16) name='big sur' ;;
    esac
  fi
  case $major in
    11) name='big sur' ;; 12) name=monterey ;; 13) name=ventura ;;
    14) name=sonoma ;; 15) name=sequoia ;; 26) name=tahoe ;;
  esac
  printf '{"os":"macos","version":%s,"name":%s,"arch":%s,"kernel":%s,"edition":%s,"build":%s,"rosetta":%s,"home":%s}\n' \
    "$(j "$version")" "$(j "$name")" "$(j "$arch")" "$(j "$kernel")" "$(j "$edition")" "$(j "$build")" "$rosetta" "$(j "$HOME")"
  ;;
Linux)
  id=''
  version_id=''
  like=''
  codename=''
  pretty=''
  if [ -r /etc/os-release ]; then osr=/etc/os-release; else osr=/usr/lib/os-release; fi
  if [ -r "$osr" ]; then
    # shellcheck source=/dev/null
    id=$(. "$osr" && printf '%s' "${ID:-}")
    # shellcheck source=/dev/null
    version_id=$(. "$osr" && printf '%s' "${VERSION_ID:-}")
    # shellcheck source=/dev/null
    like=$(. "$osr" && printf '%s' "${ID_LIKE:-}")
    # shellcheck source=/dev/null
    codename=$(. "$osr" && printf '%s' "${VERSION_CODENAME:-}")
    # shellcheck source=/dev/null
    pretty=$(. "$osr" && printf '%s' "${PRETTY_NAME:-}")
  elif [ -r /etc/debian_version ]; then
    id=debian
    version_id=$(cut -d. -f1 /etc/debian_version)
  elif [ -r /etc/redhat-release ]; then
    pretty=$(head -n 1 /etc/redhat-release)
    case $pretty in
      CentOS*) id=centos ;; Fedora*) id=fedora ;; *) id=rhel ;;
    esac
    version_id=$(printf '%s\n' "$pretty" | sed -n 's/.* release \([0-9][0-9]*\).*/\1/p')
  fi
  libc_name=''
  libc_version=''
  if v=$(getconf GNU_LIBC_VERSION 2>/dev/null) && [ -n "$v" ]; then
    libc_name=glibc
    libc_version=${v#glibc }
  else
    first=$(ldd --version 2>&1 | head -n 1)
    case $first in
      *musl*)
        libc_name=musl
        libc_version=$(ldd --version 2>&1 | sed -n 's/^Version //p')
        ;;
      *GLIBC*|*"GNU libc"*)
        libc_name=glibc
        libc_version=${first##* }
        ;;
    esac
  fi
  likes=
  for w in $like; do
    likes="${likes:+$likes,}$(j "$w")"
  done
  name=$id
  if [ -n "$version_id" ]; then name="$id $version_id"; fi
  printf '{"os":"linux","version":%s,"name":%s,"arch":%s,"kernel":%s' \
    "$(j "$version_id")" "$(j "$name")" "$(j "$arch")" "$(j "$kernel")"
  if [ -n "$libc_name" ]; then
    printf ',"libc":{"name":%s,"version":%s}' "$(j "$libc_name")" "$(j "$libc_version")"
  fi
  printf ',"distro":{"id":%s,"id_like":[%s],"version":%s,"codename":%s,"pretty_name":%s},"edition":%s,"home":%s}\n' \
    "$(j "$id")" "$likes" "$(j "$version_id")" "$(j "$codename")" "$(j "$pretty")" "$(j "$pretty")" "$(j "$HOME")"
  ;;
*)
  printf '{"os":%s,"arch":%s,"kernel":%s}\n' "$(j "$(printf '%s' "$os" | tr '[:upper:]' '[:lower:]')")" "$(j "$arch")" "$(j "$kernel")"
  ;;
esac
