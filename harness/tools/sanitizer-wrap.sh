#!/usr/bin/env bash
# The 'asan' configuration's runner is memharness (meson.build's test setups
# call it directly); this name stays for hand use and older scripts.
# Usage: sanitizer-wrap.sh PROGRAM [ARG...]
exec "${BASH_SOURCE[0]%/*}/memharness" run --tool asan -- "$@"
