#!/usr/bin/env bash
# The runner's own proof that a NAPUTIL_IMPL that cannot be checked gets a
# message naming the problem (issue 11 item 4), for one file, several, a
# directory and a static library: missing NapUtil functions, a CoTaskMem*
# defined by the implementation, C++ or another language, a relative path.
# It checks impl-spec.sh and impl-symbols.sh directly on objects compiled
# here (no Meson build per case, to stay cheap); check.sh runs the same two
# on every build.
# Usage: impl_errors.sh SOURCE_ROOT SCRATCH_DIR
set -uo pipefail
root=$1 scratch=$2
tools=$root/harness/tools
rm -rf "$scratch"; mkdir -p "$scratch/dir"
cd "$scratch" || exit 2
cc=${CC:-cc}
src=$root/lib/src
inc=$root/lib/include
lib_units=(connections counted_string fixup_info free_structures registration_info soh_attribute_value)

# Implementations: lib's own sources, with one thing changed.
: >ok.c
for u in "${lib_units[@]}"; do echo "#include \"$src/$u.c\"" >>ok.c; done
{ echo '#define FreeSoH FreeSoH_renamed'; echo '#define FreeNetworkSoH FreeNetworkSoH_renamed'; cat ok.c; } >missing.c
{ cat ok.c; echo "#include \"$src/cotaskmem_default.c\""; } >own_cotaskmem.c
for u in "${lib_units[@]}"; do echo "#include \"$src/$u.c\"" >"dir/$u.c"; done
rm dir/soh_attribute_value.c   # FreeSoHAttributeValue is then missing
echo 'class Impl { int x; };' >impl.cpp
echo 'not C at all' >impl.txt

fail=0
# check CASE STATUS PATTERN COMMAND...: the command must exit STATUS and say PATTERN.
check() {
  local name=$1 want=$2 pattern=$3; shift 3
  local out st
  out=$("$@" 2>&1); st=$?
  if [ "$st" != "$want" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL ($name): exit $st (want $want), output:"; echo "$out"; fail=1
  else
    echo "ok ($name): $(head -1 <<<"$out")"
  fi
}
# symbols OF SPEC: resolves SPEC like check.sh, compiles it into one .a
# with the C compiler, and runs the symbol check on it.
symbols_of() {
  local spec=$1 f objs=()
  # shellcheck source=harness/tools/impl-spec.sh
  source "$tools/impl-spec.sh"
  impl_resolve "$spec" || return $?
  rm -f impl.a
  for f in "${IMPL_FILES[@]}"; do
    case $f in
      *.a) objs+=("$f") ;;
      *) "$cc" -std=c11 -c -I"$inc" "$f" -o "$(basename "$f").o" || return 3
         objs+=("$(basename "$f").o") ;;
    esac
  done
  ar rcsT impl.a "${objs[@]}" && bash "$tools/impl-symbols.sh" impl.a
}

check correct 0 '^$' symbols_of "$scratch/ok.c"
check missing 1 'does not define 2 NapUtil function\(s\): FreeSoH FreeNetworkSoH|does not define 2 NapUtil function\(s\): FreeNetworkSoH FreeSoH' symbols_of "$scratch/missing.c"
check cotaskmem 1 'defines CoTaskMemAlloc CoTaskMemRealloc CoTaskMemFree: the harness provides' symbols_of "$scratch/own_cotaskmem.c"
check cotaskmem-nm-line 1 'nm: .*own_cotaskmem.c.o:[0-9a-f]+ T CoTaskMemAlloc' symbols_of "$scratch/own_cotaskmem.c"
check directory 1 'does not define 1 NapUtil function\(s\): FreeSoHAttributeValue' symbols_of "$scratch/dir"
check several-files 0 '^$' symbols_of "$scratch/dir/connections.c:$scratch/dir/counted_string.c $scratch/dir/fixup_info.c:$scratch/dir/free_structures.c:$scratch/dir/registration_info.c:$src/soh_attribute_value.c"
"$cc" -std=c11 -c -I"$inc" own_cotaskmem.c -o own.o && ar rcs own.a own.o
check static-library 1 'defines CoTaskMemAlloc CoTaskMemRealloc CoTaskMemFree' symbols_of "$scratch/own.a"
check cplusplus 2 'is C\+\+ \(\.cpp\), not C' symbols_of "$scratch/impl.cpp"
check not-c 2 'is not a C file \(\.c\), a directory of them or a static library \(\.a\)' symbols_of "$scratch/impl.txt"
check relative 2 "must hold absolute paths, got 'ok.c'" symbols_of ok.c
check missing-file 2 'no such file' symbols_of "$scratch/absent.c"
check empty-dir 2 'a directory without any \.c file' bash -c "mkdir -p '$scratch/empty' && source '$tools/impl-spec.sh' && impl_resolve '$scratch/empty'"
exit $fail
