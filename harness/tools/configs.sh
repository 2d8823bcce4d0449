# The tool configurations of make check, sourced by check.sh.  Each one is a
# build directory (or a Meson test setup over one) whose verdict is read from
# Meson's test log and the tools' own report files, never from Criterion's
# exit status alone (TOOLCHAIN.md: Criterion hides what a tool finds at
# worker exit).

ALL_CONFIGS=(plain)

# Debian package groups a configuration needs (see install-deps.sh).
config_deps() {
  case "$1" in
    plain) echo "" ;;
    *) echo "configs.sh: unknown configuration '$1'" >&2; return 2 ;;
  esac
}

# Build directory of a configuration; outside implementations get their own
# so that lib/'s builds are never clobbered.
config_builddir() {
  local name=$1 impl=$2
  if [ -n "$impl" ]; then
    echo "$ROOT/build/impl-$name"
  else
    echo "$ROOT/build/$name"
  fi
}

# Configures (or reconfigures for a new NAPUTIL_IMPL) a build directory.
setup_builddir() {
  local dir=$1 impl=$2; shift 2
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" -Dnaputil_impl="$impl" >/dev/null || return 1
  else
    meson setup "$dir" -Dnaputil_impl="$impl" "$@" >"$dir.setup.log" 2>&1 || {
      cat "$dir.setup.log" >&2
      return 1
    }
  fi
}

run_config() {
  local name=$1 dir=$2 impl=$3
  case "$name" in
    plain)
      mkdir -p "$(dirname "$dir")"
      CC=gcc setup_builddir "$dir" "$impl" || return 1
      meson compile -C "$dir" || { echo "make check: build failed in $dir" >&2; return 1; }
      meson test -C "$dir" --print-errorlogs --no-rebuild --num-processes 2
      ;;
    *) echo "configs.sh: unknown configuration '$name'" >&2; return 2 ;;
  esac
}
