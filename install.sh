#!/bin/sh
# install.sh: install envup from a release, on Linux or macOS.
#
#   curl -fsSL https://github.com/envup/envup/releases/latest/download/install.sh | sh
#
# It downloads checksums.txt and this machine's archive
# (envup_VERSION_OS_ARCH.tar.gz) from the release, refuses the archive
# unless its sha256 is the one checksums.txt gives, then puts envup in
# ENVUP_INSTALL_DIR and the recipes the release ships in envup's data
# folder. Nothing is left behind when it fails.
#
#   ENVUP_INSTALL_BASE_URL  where the release's files are
#                           (https://github.com/envup/envup/releases/latest/download)
#   ENVUP_VERSION           a release to install instead of the latest (1.2.3)
#   ENVUP_INSTALL_DIR       where envup goes ($HOME/.local/bin)
#
# POSIX sh: e2e/release runs it under dash, busybox sh and bash against a
# release served on loopback.
set -eu

repo_url=https://github.com/envup/envup

die() {
  printf 'envup install: %s\n' "$*" >&2
  exit 1
}

say() {
  printf '%s\n' "$*"
}

# os and arch as the release names them (Go's GOOS and GOARCH).
detect_os() {
  case $(uname -s) in
    Linux) echo linux ;;
    Darwin) echo darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      die "this is Windows: use install.ps1 (irm $repo_url/releases/latest/download/install.ps1 | iex)" ;;
    *) die "no envup release for $(uname -s); build it from source: go install github.com/envup/envup/cmd/envup@latest" ;;
  esac
}

detect_arch() {
  arch=$(uname -m)
  # An arm64 Mac running this shell under Rosetta says x86_64.
  if [ "$1" = darwin ] && [ "$arch" = x86_64 ] &&
    [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  case $arch in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64 | armv8*) echo arm64 ;;
    i386 | i486 | i586 | i686 | x86) echo 386 ;;
    *) echo "$arch" ;;
  esac
}

# fetch URL FILE downloads URL into FILE, failing on an HTTP error.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed: install one of them and run this again"
  fi
}

# sha256 FILE prints FILE's sha256 in hex.
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else
    die "no sha256sum, shasum or openssl to check the download with"
  fi
}

# data_dir is envup's data folder (envup detect shows it), where the
# release's recipes go.
data_dir() {
  if [ -n "${ENVUP_HOME:-}" ]; then
    echo "$ENVUP_HOME/data"
  elif [ "$1" = darwin ]; then
    echo "$HOME/Library/Application Support/envup"
  else
    case ${XDG_DATA_HOME:-} in
      /*) echo "${XDG_DATA_HOME%/}/envup" ;;
      *) echo "$HOME/.local/share/envup" ;;
    esac
  fi
}

main() {
  case ${1:-} in
    "") ;;
    -h | --help)
      sed -n '2,16s/^# \{0,1\}//p' "$0" 2>/dev/null || true
      return 0 ;;
    *) die "unexpected argument: $1 (settings are environment variables: sh install.sh --help)" ;;
  esac
  [ -n "${HOME:-}" ] || die "HOME is not set"

  if [ -n "${ENVUP_INSTALL_BASE_URL:-}" ]; then
    base=${ENVUP_INSTALL_BASE_URL%/}
  elif [ -n "${ENVUP_VERSION:-}" ]; then
    base=$repo_url/releases/download/v${ENVUP_VERSION#v}
  else
    base=$repo_url/releases/latest/download
  fi
  install_dir=${ENVUP_INSTALL_DIR:-$HOME/.local/bin}
  os=$(detect_os)
  arch=$(detect_arch "$os")

  tmp=$(mktemp -d "${TMPDIR:-/tmp}/envup-install.XXXXXX") || die "cannot make a temporary folder"
  staged=""
  trap 'rm -rf "$tmp"; [ -z "$staged" ] || rm -rf "$staged"' EXIT
  trap 'exit 1' HUP INT TERM

  fetch "$base/checksums.txt" "$tmp/checksums.txt" ||
    die "cannot download $base/checksums.txt"
  # One line per file: "<sha256>  envup_1.2.3_linux_amd64.tar.gz".
  pattern="^envup_[^_/ ]+_${os}_${arch}[.]tar[.]gz\$"
  count=$(awk -v p="$pattern" '$2 ~ p' "$tmp/checksums.txt" | wc -l | tr -d ' ')
  case $count in
    0) die "$base/checksums.txt names no envup_VERSION_${os}_${arch}.tar.gz: no release for $os/$arch (releases are for linux and darwin on amd64 and arm64)" ;;
    1) ;;
    *) die "$base/checksums.txt names $count archives for $os/$arch, want one" ;;
  esac
  line=$(awk -v p="$pattern" '$2 ~ p' "$tmp/checksums.txt")
  want=${line%% *}
  name=${line##* }
  case $want in
    *[!0-9a-f]*) die "$base/checksums.txt: not a sha256 for $name: $want" ;;
  esac
  [ ${#want} -eq 64 ] || die "$base/checksums.txt: not a sha256 for $name: $want"

  say "envup install: downloading $base/$name"
  fetch "$base/$name" "$tmp/$name" || die "cannot download $base/$name"
  got=$(sha256 "$tmp/$name")
  [ "$got" = "$want" ] ||
    die "checksum mismatch for $name: checksums.txt says $want, the download is $got ($base/$name); nothing was installed"

  mkdir "$tmp/x"
  tar -xzf "$tmp/$name" -C "$tmp/x" || die "cannot unpack $name"
  [ -f "$tmp/x/envup" ] || die "$name has no envup binary"

  mkdir -p "$install_dir" || die "cannot make $install_dir"
  # Copied beside the old binary first, then renamed over it: a running
  # envup keeps its file, and a failed copy leaves the old one whole.
  staged="$install_dir/.envup.new.$$"
  if ! cp "$tmp/x/envup" "$staged" || ! chmod 755 "$staged"; then
    die "cannot write in $install_dir"
  fi
  version=$("$staged" --version) ||
    die "the envup in $name does not run here (is $install_dir on a noexec file system?); nothing was installed"
  mv -f "$staged" "$install_dir/envup" || die "cannot write $install_dir/envup"
  staged=""

  recipes=""
  if [ -d "$tmp/x/recipes" ]; then
    data=$(data_dir "$os")
    recipes="$data/recipes"
    mkdir -p "$data" || die "cannot make $data"
    staged="$data/.recipes.new.$$"
    cp -R "$tmp/x/recipes" "$staged" || die "cannot write in $data"
    # The folder is the release's: each install replaces it whole.
    rm -rf "$recipes"
    mv "$staged" "$recipes" || die "cannot write $recipes"
    staged=""
  fi

  say "$version installed: $install_dir/envup"
  if [ -n "$recipes" ]; then
    say "the recipes it ships are in $recipes (replaced by each install: copy one to change it)"
  fi
  case ":${PATH:-}:" in
    *":$install_dir:"*)
      [ -z "$recipes" ] || say "try: envup plan \"$recipes/study-hall.yml\"" ;;
    *)
      say ""
      say "$install_dir is not on your PATH. Add it for new shells, then open one:"
      say "  echo 'export PATH=\"$install_dir:\$PATH\"' >> ~/.profile"
      say "(or the same line in ~/.bashrc or ~/.zshrc); for this shell: export PATH=\"$install_dir:\$PATH\""
      [ -z "$recipes" ] || say "then try: envup plan \"$recipes/study-hall.yml\"" ;;
  esac
}

main "$@"
