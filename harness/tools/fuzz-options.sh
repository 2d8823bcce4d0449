#!/usr/bin/env bash
# The one reader of fuzz/<target>.options (the [libfuzzer] section that
# ClusterFuzzLite also reads): prints one libFuzzer flag per line, the
# dictionary's path made absolute.  Used by make fuzz, fuzz-selftest,
# fuzz-regress and make bench.
# Usage: fuzz-options.sh TARGET [--no-dict]
# A target without an .options file prints nothing; a line that is not
# "key = value", a comment or a section header is an error naming it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: fuzz-options.sh TARGET [--no-dict]" >&2; exit 2; }
target=$1
no_dict=0
[ "${2:-}" = --no-dict ] && no_dict=1
file=$root/fuzz/$target.options
[ -f "$file" ] || exit 0
n=0
section=
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  line=$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
  case "$line" in
    '' | '#'* | ';'*) continue ;;
    '['*']') section=${line#[}; section=${section%]}; continue ;;
    *=*) ;;
    *) echo "fuzz-options: $file:$n: not 'key = value': $line" >&2; exit 2 ;;
  esac
  # Only libFuzzer's section holds libFuzzer flags.
  [ "$section" = libfuzzer ] || continue
  key=$(echo "${line%%=*}" | tr -d '[:space:]')
  value=$(echo "${line#*=}" | sed 's/^[[:space:]]*//')
  case "$key" in
    '' | *[!A-Za-z0-9_]*) echo "fuzz-options: $file:$n: bad key '$key'" >&2; exit 2 ;;
    dict) [ $no_dict -eq 1 ] || echo "-dict=$root/fuzz/$value" ;;
    *) echo "-$key=$value" ;;
  esac
done <"$file"
