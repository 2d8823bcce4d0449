#!/usr/bin/env bash
# Checks the compiled implementation under test before anything links it:
# it must define every NapUtil function (docs/CONTRACT.md sections 3 and 4) and
# must not define CoTaskMem* (the harness provides them; a second
# definition would either break the link or, worse, bypass the tracking
# allocator).  Prints what is wrong in words, then nm's own lines.
# Usage: impl-symbols.sh LIBRARY.a     Exit: 0 fine, 1 wrong, 2 unreadable.
set -uo pipefail
lib=$1

required=(AllocConnections AllocFixupInfo AllocCountedString
  FreeConnections FreeFixupInfo FreeCountedString FreeIsolationInfo
  FreeIsolationInfoEx FreeSoH FreeNetworkSoH FreePrivateData
  FreeSystemHealthAgentState FreeSoHAttributeValue
  FreeNapComponentRegistrationInfoArray)
forbidden=(CoTaskMemAlloc CoTaskMemRealloc CoTaskMemFree)

if ! defined=$(nm -A -g --defined-only "$lib" 2>&1); then
  echo "make check: cannot read the symbols of $lib:" >&2
  echo "$defined" >&2
  exit 2
fi

# Symbol names defined with code or data (any type letter but U/w/v).
names=$(awk 'NF >= 3 && $2 !~ /^[Uwv]$/ {print $3}' <<<"$defined" | sort -u)

status=0
missing=()
for f in "${required[@]}"; do
  grep -qx "$f" <<<"$names" || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make check: the implementation under test does not define ${#missing[@]} NapUtil function(s): ${missing[*]}" >&2
  echo "  (every function of docs/CONTRACT.md sections 3 and 4 must be defined, with the reference's name)" >&2
  status=1
fi

extra=()
for f in "${forbidden[@]}"; do
  grep -qx "$f" <<<"$names" && extra+=("$f")
done
if [ ${#extra[@]} -gt 0 ]; then
  echo "make check: the implementation under test defines ${extra[*]}: the harness provides CoTaskMemAlloc, CoTaskMemRealloc and CoTaskMemFree (its tracking allocator), so the implementation must not define them; remove them (keep your own in a separate file that you do not pass in NAPUTIL_IMPL)" >&2
  grep -E " ($(IFS='|'; echo "${extra[*]}"))\$" <<<"$defined" | sed 's/^/  nm: /' >&2
  status=1
fi
exit $status
