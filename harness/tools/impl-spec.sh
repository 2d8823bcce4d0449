# shellcheck shell=bash
# Sourced by check.sh: reads NAPUTIL_IMPL (docs/CONTRACT.md section 6) into the
# list of files to build and the key of their build directories.
#
# NAPUTIL_IMPL holds one or more absolute paths separated by colons or
# whitespace (so a path may contain neither):
#   /abs/file.c     a C source file
#   /abs/dir        every *.c file directly in it (not its subdirectories)
#   /abs/libx.a     a static library, linked as it is
# Anything else (a relative path, a missing file, C++ or another language)
# is refused with a message naming the path and the problem.

# Sets IMPL_FILES (absolute .c and .a paths, in the order given, a
# directory's files sorted) or prints what is wrong and returns 2.
impl_resolve() {
  local spec=$1 item f found
  IMPL_FILES=()
  local -a items
  IFS=$': \t\n' read -r -a items <<<"$spec"
  if [ ${#items[@]} -eq 0 ]; then
    echo "make check: NAPUTIL_IMPL is set but names no file" >&2
    return 2
  fi
  for item in "${items[@]}"; do
    case "$item" in
      /*) ;;
      *) echo "make check: NAPUTIL_IMPL must hold absolute paths, got '$item'" >&2; return 2 ;;
    esac
    if [ -d "$item" ]; then
      found=0
      for f in "$item"/*.c; do
        [ -f "$f" ] || continue
        IMPL_FILES+=("$f"); found=1
      done
      if [ $found = 0 ]; then
        echo "make check: NAPUTIL_IMPL=$item: a directory without any .c file" >&2
        return 2
      fi
      continue
    fi
    if [ ! -f "$item" ]; then
      echo "make check: NAPUTIL_IMPL=$item: no such file" >&2
      return 2
    fi
    case "$item" in
      *.c|*.a) IMPL_FILES+=("$item") ;;
      *.cpp|*.cc|*.cxx|*.C|*.c++|*.hpp)
        echo "make check: NAPUTIL_IMPL=$item is C++ (.${item##*.}), not C: the harness builds and checks C11 implementations only" >&2
        return 2 ;;
      *.h)
        echo "make check: NAPUTIL_IMPL=$item is a header: give the .c files (or a directory or a .a) that define the NapUtil functions" >&2
        return 2 ;;
      *)
        echo "make check: NAPUTIL_IMPL=$item is not a C file (.c), a directory of them or a static library (.a)" >&2
        return 2 ;;
    esac
  done
}

# The build directory name for IMPL_FILES: a readable label (the first
# file's name) and a hash of every path and every file's content, so that
# two different implementations (or two versions of one) never share a
# build, while the same one reuses its build.
impl_key() {
  local label sum
  label=$(basename "${IMPL_FILES[0]}")
  label=${label%.*}
  label=$(printf '%s' "$label" | tr -c 'A-Za-z0-9_.-' '_' | cut -c1-40)
  sum=$( { printf '%s\n' "${IMPL_FILES[@]}"; cat "${IMPL_FILES[@]}"; } | sha256sum | cut -c1-12)
  echo "$label-$sum"
}

# IMPL_FILES as the value of Meson's naputil_impl option (colon-separated).
impl_option() {
  local IFS=:
  echo "${IMPL_FILES[*]}"
}
