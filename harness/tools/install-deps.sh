#!/usr/bin/env bash
# Installs the Debian packages a make target needs, when they are missing.
# Usage: install-deps.sh GROUP...   (groups: base clang valgrind chromium fuzz bench)
# As root it runs apt-get and says so; otherwise it prints the exact command
# and fails, because a half-configured build is worse than a clear stop.
set -euo pipefail

declare -A GROUP_PACKAGES=(
  # zip/unzip: the ClusterFuzzLite seed zips; patch: planted fuzz bugs are
  # patches applied to a copy of lib/src; python3-yaml: the workflow check.
  # libcjson-dev: the cJSON client (harness/cjson); libjansson-dev: the
  # out-of-tree example examples/jansson.
  [base]="gcc make python3 meson ninja-build pkg-config libcriterion-dev binutils zip unzip patch python3-yaml libcjson-dev libjansson-dev"
  # llvm-14: llvm-symbolizer, through which ThreadSanitizer names functions.
  [clang]="clang-14 libclang-rt-14-dev llvm-14"
  [valgrind]="valgrind"
  [chromium]="chromium"
  # make fuzz's coverage report: llvm-profdata-14 and llvm-cov-14.
  [fuzz]="llvm-14"
  # make bench's item 7 sweeps Debian's own jq (a program nobody built here).
  [bench]="jq"
)

missing=()
declare -A seen=()  # a package two groups share is asked for once
for group in "$@"; do
  pkgs=${GROUP_PACKAGES[$group]:-}
  if [ -z "$pkgs" ]; then
    echo "install-deps: unknown group '$group'" >&2
    exit 2
  fi
  for pkg in $pkgs; do
    [ -n "${seen[$pkg]:-}" ] && continue
    seen[$pkg]=1
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
      *"install ok installed"*) ;;
      *) missing+=("$pkg") ;;
    esac
  done
done

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "naputil: missing Debian packages: ${missing[*]}" >&2
  echo "naputil: run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "naputil: installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be empty or stale.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "naputil: installed ${missing[*]}"
