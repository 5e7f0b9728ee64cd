#!/usr/bin/env bash
# Regenerates corpus.tsv: what systemd reads from each file of the shared
# os-release corpus. Needs gcc and a systemd whose libsystemd-shared
# exports load_env_file_pairs (Debian 12's systemd 252 does).
# Usage, from this folder: ./gen.sh [CORPUS_FILES_DIR]
#
# An error line ("error 74") would be a file systemd refuses; the corpus
# has none. A file with no assignments hashes the single line "".
set -euo pipefail
files=${1:-../../../../../shared/corpora/os-release/files}
lib=$(ls /usr/lib/*/systemd/libsystemd-shared-*.so /usr/lib/systemd/libsystemd-shared-*.so 2>/dev/null | head -n1 || true)
[ -n "$lib" ] || { echo "no libsystemd-shared here" >&2; exit 1; }
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
gcc -O1 -o "$bin/envfile" envfile.c "$lib" -Wl,-rpath,"$(dirname "$lib")"
field() { grep "^\"$1\"=" <<<"$2" | sed "s/^\"$1\"=//" || true; }
{
  printf '# what systemd (%s) reads from each file of the os-release corpus; made by gen.sh\n' "$(basename "$lib" .so)"
  printf '# file\tassignments\tsha256 of the sorted "KEY"="VALUE" lines, first 16 hex digits\tID\tVERSION_ID\tNAME\n'
  for f in "$files"/*; do
    out=$("$bin/envfile" "$f")
    sum=$(printf '%s\n' "$out" | sha256sum | cut -c1-16)
    n=0
    [ -z "$out" ] || n=$(grep -c '' <<<"$out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$n" "$sum" \
      "$(field ID "$out")" "$(field VERSION_ID "$out")" "$(field NAME "$out")"
  done
} >corpus.tsv
